"""Godot's ``SceneTree``: the main loop that owns the node hierarchy.

Theory of operation (Godot: ``scene/main/scene_tree.cpp``)

A driver calls ``initialize()`` once (the root and everything already added to it enter
the tree and get ready), then per frame zero or more ``physics_process(step)`` calls and
one ``process(delta)`` call, and ``finalize()`` at the end. Each returns ``True`` once
``quit()`` was called. One frame runs, in this order:

physics_process(step), per fixed tick:
    ``physics_frame`` signal -> ``_physics_process`` in tree order -> deferred calls ->
    physics-bound ``SceneTreeTimer``s -> free queued nodes.
process(delta):
    multiplayer ``poll()`` -> ``process_frame`` signal -> deferred calls -> ``_process`` in
    tree order -> deferred calls -> ``SceneTreeTimer``s -> free queued nodes.

"Tree order" is pre-order (parent before children, children in order), stably sorted by
``process_priority``. Nodes removed or freed during a pass are skipped. Tests and headless
servers drive a tree directly with any ``delta``; ``engine.platform`` drives it with real time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from engine.core.engine import Engine
from engine.core.message_queue import MessageQueue
from engine.core.messages import push_error
from engine.core.object import Object, is_instance_valid
from engine.core.properties import GodotProperty
from engine.core.signal import signal
from engine.scene.main_loop import MainLoop
from engine.scene.node import Node
from engine.scene.scene_tree_timer import SceneTreeTimer
from engine.scene.window import Window


class SceneTree(MainLoop):
    """Manages the node hierarchy and the game loop (Godot ``SceneTree``)."""

    GROUP_CALL_DEFAULT = 0
    GROUP_CALL_REVERSE = 1
    GROUP_CALL_DEFERRED = 2
    GROUP_CALL_UNIQUE = 4

    tree_changed = signal()
    node_added = signal("node")
    node_removed = signal("node")
    node_renamed = signal("node")
    process_frame = signal()
    physics_frame = signal()

    _singleton: ClassVar[SceneTree | None] = None

    def __init__(self) -> None:
        super().__init__()
        self._root = Window()
        self._finalized = False
        self._root.set_name("root")
        self._current_scene: Node | None = None
        self._paused = False
        self._quit = False
        self._exit_code = 0
        self._auto_accept_quit = True
        self._quit_on_go_back = True
        self._process_time = 0.0
        self._physics_process_time = 0.0
        self._current_frame = 0
        self._node_count = 0
        self._groups: dict[str, dict[Node, None]] = {}
        self._delete_queue: list[Object] = []
        self._delete_queue_set: set[Object] = set()
        self._timers: list[SceneTreeTimer] = []
        self._multiplayer: Any = None
        self._multiplayer_poll = True
        self._order_dirty = True
        self._ordered: list[Node] = []
        self._process_order_dirty = True
        self._process_list: list[Node] = []
        self._physics_list: list[Node] = []
        self._removed_during_pass: set[Node] | None = None
        if SceneTree._singleton is None:
            SceneTree._singleton = self

    @classmethod
    def _get_singleton(cls) -> SceneTree | None:
        return cls._singleton

    # -- MainLoop ------------------------------------------------------------------------------

    def initialize(self) -> None:
        """Make the root (and everything added to it so far) enter the tree and get ready."""
        if self._finalized:
            push_error('Parameter "root" is null.')
            return
        SceneTree._singleton = self
        Engine._set_main_loop(self)
        super().initialize()
        self._root._set_tree(self)

    def physics_process(self, delta: float) -> bool:
        """Run one fixed physics tick of length ``delta``; return ``True`` to quit."""
        self._current_frame += 1
        if super().physics_process(delta):
            self._quit = True
        self._physics_process_time = delta
        self.emit_signal("physics_frame")
        self._process_nodes(True)
        MessageQueue.get_singleton().flush()
        self._process_timers(delta, True)
        self._flush_delete_queue()
        return self._quit

    def process(self, delta: float) -> bool:
        """Run one frame that took ``delta`` seconds; return ``True`` to quit."""
        if super().process(delta):
            self._quit = True
        self._process_time = delta
        if self._multiplayer_poll and self._multiplayer is not None:
            self._multiplayer.poll()
        self.emit_signal("process_frame")
        MessageQueue.get_singleton().flush()
        self._process_nodes(False)
        MessageQueue.get_singleton().flush()
        self._process_timers(delta, False)
        # Last, like Godot 4.4 (PR #93871): a queue_free() from a timer's timeout frees the
        # node this frame. 4.2 flushed before the idle timers (see docs/godot-differences.md).
        self._flush_delete_queue()
        return self._quit

    def finalize(self) -> None:
        """Free queued nodes, take the root out of the tree and free it."""
        self._flush_delete_queue()
        if not self._finalized:
            self._finalized = True
            root = self._root
            if root._tree is self:
                root._set_tree(None)
                root._propagate_after_exit_tree()
            root.free()
            self._flush_delete_queue()
        super().finalize()
        self._timers.clear()
        if SceneTree._singleton is self:
            SceneTree._singleton = None
        if Engine.get_main_loop() is self:
            Engine._set_main_loop(None)

    # -- frame internals -----------------------------------------------------------------------

    def _tree_changed(self) -> None:
        self._order_dirty = True
        self._process_order_dirty = True
        self.emit_signal("tree_changed")

    def _node_added(self, node: Node) -> None:
        self._node_count += 1
        self._order_dirty = True
        self._process_order_dirty = True
        self.emit_signal("node_added", node)

    def _node_removed(self, node: Node) -> None:
        if self._removed_during_pass is not None:
            self._removed_during_pass.add(node)
        if self._current_scene is node:
            self._current_scene = None
        self._node_count -= 1
        self._order_dirty = True
        self._process_order_dirty = True
        self.emit_signal("node_removed", node)

    def _node_renamed(self, node: Node) -> None:
        self.emit_signal("node_renamed", node)
        self._tree_changed()

    def _get_ordered_nodes(self) -> list[Node]:
        """Every node in the tree, in tree order (cached until the tree changes)."""
        if self._order_dirty:
            ordered: list[Node] = []
            if self._root._tree is self:
                stack: list[Node] = [self._root]
                while stack:
                    node = stack.pop()
                    node._tree_index = len(ordered)
                    ordered.append(node)
                    stack.extend(reversed(node._children))
            self._ordered = ordered
            self._order_dirty = False
        return self._ordered

    def _process_nodes(self, physics: bool) -> None:
        if self._process_order_dirty:
            ordered = self._get_ordered_nodes()
            process = [n for n in ordered if n._processing or n._processing_internal]
            process.sort(key=lambda n: n._process_priority)
            phys = [n for n in ordered if n._physics_processing or n._physics_processing_internal]
            phys.sort(key=lambda n: n._physics_process_priority)
            self._process_list = process
            self._physics_list = phys
            self._process_order_dirty = False
        nodes = self._physics_list if physics else self._process_list
        paused = self._paused
        # Like Godot's nodes_removed_on_group_call: a node that leaves the tree during the
        # pass (removed or freed) is skipped; freed nodes always leave the tree first.
        outer = self._removed_during_pass
        removed: set[Node] = set()
        self._removed_during_pass = removed
        try:
            for node in list(nodes):
                if removed and node in removed:
                    continue
                if not node._can_process(paused):
                    continue
                if physics:
                    if node._physics_processing_internal:
                        node.notification(Node.NOTIFICATION_INTERNAL_PHYSICS_PROCESS)
                        if removed and node in removed:
                            continue
                    if node._physics_processing:
                        node.notification(Node.NOTIFICATION_PHYSICS_PROCESS)
                else:
                    if node._processing_internal:
                        node.notification(Node.NOTIFICATION_INTERNAL_PROCESS)
                        if removed and node in removed:
                            continue
                    if node._processing:
                        node.notification(Node.NOTIFICATION_PROCESS)
        finally:
            self._removed_during_pass = outer
            if outer is not None:
                outer.update(removed)

    def _process_timers(self, delta: float, physics: bool) -> None:
        unscaled = self._unscaled(delta)
        for timer in list(self._timers):
            if (self._paused and not timer._process_always) or (
                timer._process_in_physics != physics
            ):
                continue
            timer._time_left -= unscaled if timer._ignore_time_scale else delta
            if timer._time_left <= 0:
                if timer in self._timers:
                    self._timers.remove(timer)
                timer.emit_signal("timeout")

    @staticmethod
    def _unscaled(delta: float) -> float:
        scale = Engine.get_time_scale()
        return delta / scale if scale > 0 else Engine._process_step

    def queue_delete(self, obj: Object) -> None:
        """Free ``obj`` at the end of the current frame (what ``queue_free()`` uses)."""
        if obj in self._delete_queue_set:
            return
        obj._is_queued_for_deletion = True
        self._delete_queue.append(obj)
        self._delete_queue_set.add(obj)

    def _flush_delete_queue(self) -> None:
        while self._delete_queue:
            obj = self._delete_queue.pop(0)
            if obj not in self._delete_queue_set:
                continue
            self._delete_queue_set.discard(obj)
            if is_instance_valid(obj):
                obj.free()

    # -- root, scene, pause, quit ---------------------------------------------------------------

    def get_root(self) -> Window:
        """The root ``Window`` (named ``"root"``); add the game's main node to it."""
        return self._root

    def set_current_scene(self, child_node: Node | None) -> None:
        """Mark ``child_node`` (a child of the root) as the current scene."""
        if child_node is not None and child_node._parent is not self._root:
            push_error("Scene must be a direct child of the root.")
            return
        self._current_scene = child_node

    def get_current_scene(self) -> Node | None:
        return self._current_scene

    def set_pause(self, enable: bool) -> None:
        """Pause or resume processing of pausable nodes (``PROCESS_MODE_PAUSABLE``)."""
        enable = bool(enable)
        if enable == self._paused:
            return
        self._paused = enable
        if self._root._tree is self:
            self._root._propagate_pause_notification(enable)

    def is_paused(self) -> bool:
        return self._paused

    def quit(self, exit_code: int = 0) -> None:
        """Ask the loop to stop after the current frame, with ``exit_code``."""
        self._exit_code = int(exit_code)
        self._quit = True

    def _get_exit_code(self) -> int:
        return self._exit_code

    def _main_window_close(self) -> None:
        """The window's close button: quit if ``auto_accept_quit``."""
        if self._root._tree is self:
            self._root.propagate_notification(Node.NOTIFICATION_WM_CLOSE_REQUEST)
        if self._auto_accept_quit:
            self._quit = True

    def set_auto_accept_quit(self, enabled: bool) -> None:
        self._auto_accept_quit = bool(enabled)

    def is_auto_accept_quit(self) -> bool:
        return self._auto_accept_quit

    def set_quit_on_go_back(self, enabled: bool) -> None:
        self._quit_on_go_back = bool(enabled)

    def is_quit_on_go_back(self) -> bool:
        return self._quit_on_go_back

    def get_frame(self) -> int:
        """Physics ticks this tree has run."""
        return self._current_frame

    def get_node_count(self) -> int:
        """Nodes currently inside the tree, the root included."""
        return self._node_count

    def create_timer(
        self,
        time_sec: float,
        process_always: bool = True,
        process_in_physics: bool = False,
        ignore_time_scale: bool = False,
    ) -> SceneTreeTimer:
        """A one-shot ``SceneTreeTimer`` whose ``timeout`` fires after ``time_sec``."""
        timer = SceneTreeTimer()
        timer._time_left = float(time_sec)
        timer._process_always = bool(process_always)
        timer._process_in_physics = bool(process_in_physics)
        timer._ignore_time_scale = bool(ignore_time_scale)
        self._timers.append(timer)
        return timer

    # -- multiplayer hook -----------------------------------------------------------------------

    def set_multiplayer(self, multiplayer: Any, root_path: str = "") -> None:
        """Install the object polled at the start of every frame (a ``MultiplayerAPI``).

        netpeer's ``SceneMultiplayer`` plugs in here; anything with a ``poll()`` method does.
        """
        if root_path:
            push_error("Custom multiplayer root paths are not supported.")
            return
        self._multiplayer = multiplayer

    def get_multiplayer(self, for_path: str = "") -> Any:
        return self._multiplayer

    def set_multiplayer_poll_enabled(self, enabled: bool) -> None:
        self._multiplayer_poll = bool(enabled)

    def is_multiplayer_poll_enabled(self) -> bool:
        return self._multiplayer_poll

    # -- groups --------------------------------------------------------------------------------

    def _add_to_group(self, group: str, node: Node) -> None:
        self._groups.setdefault(group, {})[node] = None

    def _remove_from_group(self, group: str, node: Node) -> None:
        members = self._groups.get(group)
        if members is None:
            return
        members.pop(node, None)
        if not members:
            del self._groups[group]

    def has_group(self, name: str) -> bool:
        return name in self._groups

    def get_nodes_in_group(self, group: str) -> list[Node]:
        """The group's nodes inside this tree, in tree order."""
        members = self._groups.get(group)
        if not members:
            return []
        self._get_ordered_nodes()
        return sorted(members, key=lambda n: n._tree_index)

    def get_first_node_in_group(self, group: str) -> Node | None:
        nodes = self.get_nodes_in_group(group)
        return nodes[0] if nodes else None

    def get_node_count_in_group(self, group: str) -> int:
        return len(self._groups.get(group, ()))

    def _group_targets(self, flags: int, group: str) -> list[Node]:
        nodes = self.get_nodes_in_group(group)
        if flags & SceneTree.GROUP_CALL_REVERSE:
            nodes.reverse()
        return nodes

    def call_group_flags(self, flags: int, group: str, method: str, *args: Any) -> None:
        """Call ``method(*args)`` on every node of ``group`` that has it.

        ``GROUP_CALL_REVERSE`` goes last to first; ``GROUP_CALL_DEFERRED`` queues the calls
        for the end of the frame (``GROUP_CALL_UNIQUE`` is accepted and ignored).
        """
        for node in self._group_targets(flags, group):
            if node._tree is not self:
                continue
            fn: Callable[..., Any] | None = getattr(node, method, None)
            if fn is None or not callable(fn):
                continue
            if flags & SceneTree.GROUP_CALL_DEFERRED:
                node.call_deferred(method, *args)
            else:
                fn(*args)

    def call_group(self, group: str, method: str, *args: Any) -> None:
        """Call ``method(*args)`` on every node of ``group`` now, in tree order."""
        self.call_group_flags(SceneTree.GROUP_CALL_DEFAULT, group, method, *args)

    def notify_group_flags(self, call_flags: int, group: str, notification: int) -> None:
        for node in self._group_targets(call_flags, group):
            if node._tree is not self:
                continue
            if call_flags & SceneTree.GROUP_CALL_DEFERRED:
                node.call_deferred("notification", notification)
            else:
                node.notification(notification, bool(call_flags & SceneTree.GROUP_CALL_REVERSE))

    def notify_group(self, group: str, notification: int) -> None:
        self.notify_group_flags(SceneTree.GROUP_CALL_DEFAULT, group, notification)

    def set_group_flags(self, call_flags: int, group: str, property: str, value: Any) -> None:
        for node in self._group_targets(call_flags, group):
            if node._tree is not self:
                continue
            if call_flags & SceneTree.GROUP_CALL_DEFERRED:
                node.call_deferred("set", property, value)
            else:
                node.set(property, value)

    def set_group(self, group: str, property: str, value: Any) -> None:
        self.set_group_flags(SceneTree.GROUP_CALL_DEFAULT, group, property, value)

    # -- properties -----------------------------------------------------------------------------

    root = GodotProperty(get_root)
    current_scene = GodotProperty(get_current_scene, set_current_scene, default=None)
    paused = GodotProperty(is_paused, set_pause, default=False)
    auto_accept_quit = GodotProperty(is_auto_accept_quit, set_auto_accept_quit, default=True)
    quit_on_go_back = GodotProperty(is_quit_on_go_back, set_quit_on_go_back, default=True)
    multiplayer_poll = GodotProperty(
        is_multiplayer_poll_enabled, set_multiplayer_poll_enabled, default=True
    )
