"""Godot's ``Node``: the building block of the scene tree.

Theory of operation (Godot: ``scene/main/node.cpp``)

* A node has a name, a parent and an ordered list of children whose names are unique
  among siblings (a clash is renamed ``@Class@N``, or ``Name2`` with a readable name).
* Adding a subtree to a node that is inside a ``SceneTree`` makes the whole subtree
  *enter* the tree in pre-order (``NOTIFICATION_ENTER_TREE``, ``_enter_tree()``,
  ``tree_entered``), then become *ready* children first (``NOTIFICATION_READY``,
  ``_ready()``, ``ready``), which happens only once per node unless ``request_ready()``.
* Removing it makes the subtree *exit* children first, last child first (``_exit_tree()``,
  ``tree_exiting``, ``NOTIFICATION_EXIT_TREE``), then emits ``tree_exited``.
* Overriding ``_process``/``_physics_process``/``_input``/``_unhandled_input`` turns the
  matching processing on just before ``_ready()``; ``set_process(False)`` turns it off.
  The tree calls them in tree order (pre-order), sorted by priority, on nodes that
  ``can_process()`` given the pause state and ``process_mode``.
* ``queue_free()`` frees the node at the end of the current frame; ``free()`` at once.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.core.messages import fail, push_error
from engine.core.object import Object
from engine.core.properties import GodotProperty
from engine.core.signal import signal
from engine.core.variant.node_path import NodePath

if TYPE_CHECKING:
    from engine.scene.scene_tree import SceneTree
    from engine.scene.viewport import Viewport
    from engine.scene.window import Window

# Godot's global counter for "@Class@N" names; the first generated name uses 2.
_unique_name_counter = itertools.count(2)

_INVALID_NAME_CHARACTERS = (".", ":", "@", "/", '"', "%")


def _path_string(path: object) -> str:
    """Accept a ``str`` or a ``NodePath``-like object; strip the ``:subname`` part."""
    text = path if isinstance(path, str) else str(path)
    return text.split(":", 1)[0]


class Node(Object):
    """Base class for every scene object (Godot ``Node``)."""

    # Notifications (Godot values).
    NOTIFICATION_ENTER_TREE = 10
    NOTIFICATION_EXIT_TREE = 11
    NOTIFICATION_MOVED_IN_PARENT = 12
    NOTIFICATION_READY = 13
    NOTIFICATION_PAUSED = 14
    NOTIFICATION_UNPAUSED = 15
    NOTIFICATION_PHYSICS_PROCESS = 16
    NOTIFICATION_PROCESS = 17
    NOTIFICATION_PARENTED = 18
    NOTIFICATION_UNPARENTED = 19
    NOTIFICATION_SCENE_INSTANTIATED = 20
    NOTIFICATION_DRAG_BEGIN = 21
    NOTIFICATION_DRAG_END = 22
    NOTIFICATION_PATH_RENAMED = 23
    NOTIFICATION_CHILD_ORDER_CHANGED = 24
    NOTIFICATION_INTERNAL_PROCESS = 25
    NOTIFICATION_INTERNAL_PHYSICS_PROCESS = 26
    NOTIFICATION_POST_ENTER_TREE = 27
    NOTIFICATION_DISABLED = 28
    NOTIFICATION_ENABLED = 29
    NOTIFICATION_WM_MOUSE_ENTER = 1002
    NOTIFICATION_WM_MOUSE_EXIT = 1003
    NOTIFICATION_WM_WINDOW_FOCUS_IN = 1004
    NOTIFICATION_WM_WINDOW_FOCUS_OUT = 1005
    NOTIFICATION_WM_CLOSE_REQUEST = 1006
    NOTIFICATION_WM_GO_BACK_REQUEST = 1007
    NOTIFICATION_WM_SIZE_CHANGED = 1008

    # ProcessMode
    PROCESS_MODE_INHERIT = 0
    PROCESS_MODE_PAUSABLE = 1
    PROCESS_MODE_WHEN_PAUSED = 2
    PROCESS_MODE_ALWAYS = 3
    PROCESS_MODE_DISABLED = 4

    # DuplicateFlags / InternalMode are not implemented; kept out on purpose.

    ready = signal()
    renamed = signal()
    tree_entered = signal()
    tree_exiting = signal()
    tree_exited = signal()
    child_entered_tree = signal("node")
    child_exiting_tree = signal("node")
    child_order_changed = signal()

    def __init__(self) -> None:
        super().__init__()
        self._name = ""
        self._parent: Node | None = None
        self._children: list[Node] = []
        self._children_by_name: dict[str, Node] = {}
        self._tree: SceneTree | None = None
        self._viewport: Viewport | None = None
        self._inside_tree = False
        self._ready_first = True
        self._ready_notified = False
        self._blocked = 0
        self._depth = -1
        self._owner: Node | None = None
        self._groups: dict[str, bool] = {}
        self._process_mode = Node.PROCESS_MODE_INHERIT
        self._process_priority = 0
        self._physics_process_priority = 0
        self._processing = False
        self._physics_processing = False
        self._processing_internal = False
        self._physics_processing_internal = False
        self._processing_input = False
        self._processing_unhandled_input = False
        self._tree_index = -1

    # -- virtual methods ----------------------------------------------------------------------

    def _enter_tree(self) -> None:
        """Called when the node enters the scene tree (parents before children)."""

    def _exit_tree(self) -> None:
        """Called when the node is about to leave the scene tree (children first)."""

    def _ready(self) -> None:
        """Called once, when the node and all its children have entered the tree."""

    def _process(self, delta: float) -> None:
        """Called every frame with the elapsed seconds, when processing is on."""

    def _physics_process(self, delta: float) -> None:
        """Called every physics tick with the fixed step, when physics processing is on."""

    def _input(self, event: Any) -> None:
        """Called with each input event (a ``pygame.event.Event``), last node first."""

    def _unhandled_input(self, event: Any) -> None:
        """Called with input events no ``_input`` marked as handled."""

    def _notification(self, what: int) -> None:
        if what == Node.NOTIFICATION_PROCESS:
            self._process(self.get_process_delta_time())
        elif what == Node.NOTIFICATION_PHYSICS_PROCESS:
            self._physics_process(self.get_physics_process_delta_time())
        elif what == Node.NOTIFICATION_READY:
            cls = type(self)
            if cls._input is not Node._input:
                self.set_process_input(True)
            if cls._unhandled_input is not Node._unhandled_input:
                self.set_process_unhandled_input(True)
            if cls._process is not Node._process:
                self.set_process(True)
            if cls._physics_process is not Node._physics_process:
                self.set_physics_process(True)
            self._ready()
        elif what == Object.NOTIFICATION_PREDELETE:
            self._predelete()

    def _predelete(self) -> None:
        if self._tree is not None and self in self._tree._delete_queue_set:
            self._tree._delete_queue_set.discard(self)
        if self._parent is not None:
            self._parent.remove_child(self)
        # Free children last-first, like Godot ("faster and more consistent with creation").
        while self._children:
            self._children[-1].free()

    # -- name -----------------------------------------------------------------------------------

    def set_name(self, name: str) -> None:
        """Rename the node; a clash with a sibling gets a readable suffix (``Name2``)."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        validated = name
        for ch in _INVALID_NAME_CHARACTERS:
            validated = validated.replace(ch, "")
        if not validated:
            push_error('Condition "name.is_empty()" is true.')
            return
        old = self._name
        self._name = validated
        if self._parent is not None:
            parent = self._parent
            parent._validate_child_name(self, True)
            if parent._children_by_name.get(old) is self:
                del parent._children_by_name[old]
            parent._children_by_name[self._name] = self
        self.propagate_notification(Node.NOTIFICATION_PATH_RENAMED)
        if self._tree is not None:
            self.emit_signal("renamed")
            self._tree._node_renamed(self)

    def get_name(self) -> str:
        return self._name

    def _validate_child_name(self, child: Node, force_human_readable: bool) -> None:
        if force_human_readable:
            child._name = self._generate_serial_child_name(child, child._name)
            return
        existing = self._children_by_name.get(child._name) if child._name else None
        if child._name and (existing is None or existing is child):
            return
        child._name = f"@{child.get_class()}@{next(_unique_name_counter)}"

    def _generate_serial_child_name(self, child: Node, name: str) -> str:
        if not name:
            name = child.get_class()
        existing = self._children_by_name.get(name)
        if existing is None or existing is child:
            return name
        base = name.rstrip("0123456789")
        nums = name[len(base) :]
        while True:
            nums = "2" if not nums else str(int(nums) + 1).rjust(len(nums), "0")
            attempt = base + nums
            existing = self._children_by_name.get(attempt)
            if existing is None or existing is child:
                return attempt

    # -- children ---------------------------------------------------------------------------

    def add_child(self, node: Node, force_readable_name: bool = False) -> None:
        """Add ``node`` as the last child; it enters the tree (and gets ready) if we are in one."""
        if not isinstance(node, Node):
            raise TypeError(f"add_child() expects a Node, not {type(node).__name__}")
        if node is self:
            push_error(f"Can't add child '{node._name}' to itself.")
            return
        if node._parent is not None:
            push_error(
                f"Can't add child '{node._name}' to '{self._name}', already has a parent "
                f"'{node._parent._name}'."
            )
            return
        if node.is_ancestor_of(self):
            push_error(
                f"Can't add child '{node._name}' to '{self._name}' as it would result in a "
                f"cyclic dependency since '{node._name}' is already a parent of '{self._name}'."
            )
            return
        if self._blocked > 0:
            push_error(
                "Parent node is busy setting up children, `add_child()` failed. Consider using "
                "`add_child.call_deferred(child)` instead."
            )
            return
        self._validate_child_name(node, force_readable_name)
        self._children.append(node)
        self._children_by_name[node._name] = node
        node._parent = self
        node.notification(Node.NOTIFICATION_PARENTED)
        if self._tree is not None:
            node._set_tree(self._tree)
        self.notification(Node.NOTIFICATION_CHILD_ORDER_CHANGED)
        self.emit_signal("child_order_changed")

    def add_sibling(self, sibling: Node, force_readable_name: bool = False) -> None:
        """Add ``sibling`` to this node's parent, right after this node."""
        if self._parent is None:
            push_error("Can't add sibling: the node has no parent.")
            return
        self._parent.add_child(sibling, force_readable_name)
        if sibling._parent is self._parent:
            self._parent.move_child(sibling, self.get_index() + 1)

    def remove_child(self, node: Node) -> None:
        """Remove ``node`` from the children; it exits the tree but is not freed."""
        if not isinstance(node, Node):
            raise TypeError(f"remove_child() expects a Node, not {type(node).__name__}")
        if self._blocked > 0:
            push_error(
                "Parent node is busy adding/removing children, `remove_child()` can't be called "
                "at this time. Consider using `remove_child.call_deferred(child)` instead."
            )
            return
        if node._parent is not self:
            push_error('Condition "p_child->data.parent != this" is true.')
            return
        was_inside = self._inside_tree
        self._blocked += 1
        try:
            node._set_tree(None)
        finally:
            self._blocked -= 1
        node.notification(Node.NOTIFICATION_UNPARENTED)
        self._children.remove(node)
        if self._children_by_name.get(node._name) is node:
            del self._children_by_name[node._name]
        node._parent = None
        self.notification(Node.NOTIFICATION_CHILD_ORDER_CHANGED)
        self.emit_signal("child_order_changed")
        if was_inside:
            node._propagate_after_exit_tree()

    def reparent(self, new_parent: Node, keep_global_transform: bool = True) -> None:
        """Move this node under ``new_parent`` (the transform is not kept in netpeer)."""
        if self._parent is None:
            push_error('Condition "!data.parent" is true.')
            return
        if new_parent is self._parent:
            return
        self._parent.remove_child(self)
        new_parent.add_child(self)

    def move_child(self, child_node: Node, to_index: int) -> None:
        """Move ``child_node`` to ``to_index`` among the children (negative counts from the end)."""
        if child_node._parent is not self:
            push_error('Condition "p_child->data.parent != this" is true.')
            return
        count = len(self._children)
        if to_index < 0:
            to_index += count
        if not 0 <= to_index < count:
            push_error(f"Index p_index = {to_index} is out of bounds (count = {count}).")
            return
        if self._blocked > 0:
            push_error("Parent node is busy setting up children, `move_child()` failed.")
            return
        self._children.remove(child_node)
        self._children.insert(to_index, child_node)
        if self._tree is not None:
            self._tree._tree_changed()
        for child in self._children:
            child.notification(Node.NOTIFICATION_MOVED_IN_PARENT)
        self.notification(Node.NOTIFICATION_CHILD_ORDER_CHANGED)
        self.emit_signal("child_order_changed")

    def get_child_count(self) -> int:
        return len(self._children)

    def get_children(self) -> list[Node]:
        """A new list of the children, in order."""
        return list(self._children)

    def get_child(self, idx: int) -> Node | None:
        """The child at ``idx`` (negative counts from the end), or ``None`` with an error."""
        count = len(self._children)
        if idx < 0:
            idx += count
        if not 0 <= idx < count:
            return fail(None, f"Index p_index = {idx} is out of bounds (count = {count}).")
        return self._children[idx]

    def get_index(self) -> int:
        """This node's position among its parent's children; -1 without a parent."""
        if self._parent is None:
            return -1
        return self._parent._children.index(self)

    def get_parent(self) -> Node | None:
        return self._parent

    def is_ancestor_of(self, node: Node) -> bool:
        """True if ``node`` is a descendant of this node."""
        parent = node._parent
        while parent is not None:
            if parent is self:
                return True
            parent = parent._parent
        return False

    def is_greater_than(self, node: Node) -> bool:
        """True if this node comes after ``node`` in tree order (both in the same tree)."""
        return self._tree_order_key() > node._tree_order_key()

    def _tree_order_key(self) -> tuple[int, ...]:
        key: list[int] = []
        node: Node = self
        while node._parent is not None:
            key.append(node._parent._children.index(node))
            node = node._parent
        key.reverse()
        return tuple(key)

    # -- paths --------------------------------------------------------------------------------

    def get_node_or_null(self, path: object) -> Node | None:
        """Find a node by path: ``"Child/Grandchild"``, ``"../Sibling"``, ``"/root/Main"``."""
        text = _path_string(path)
        if not text:
            return None
        absolute = text.startswith("/")
        if absolute and not self._inside_tree:
            return fail(
                None, "Can't use get_node() with absolute paths from outside the active scene tree."
            )
        current: Node | None
        root: Node = self
        if absolute:
            current = None
            while root._parent is not None:
                root = root._parent
        else:
            current = self
        for name in (part for part in text.split("/") if part):
            if name == ".":
                nxt = current
            elif name == "..":
                if current is None or current._parent is None:
                    return None
                nxt = current._parent
            elif current is None:
                nxt = root if name == root._name else None
            else:
                nxt = current._children_by_name.get(name)
            if nxt is None:
                return None
            current = nxt
        return current

    def get_node(self, path: object) -> Node | None:
        """Like ``get_node_or_null`` but logs Godot's "Node not found" error on a miss."""
        node = self.get_node_or_null(path)
        if node is None:
            text = _path_string(path)
            desc = self._get_description()
            if text.startswith("/"):
                push_error(f'Node not found: "{text}" (absolute path attempted from "{desc}").')
            else:
                push_error(f'Node not found: "{text}" (relative to "{desc}").')
        return node

    def has_node(self, path: object) -> bool:
        return self.get_node_or_null(path) is not None

    def _get_description(self) -> str:
        return str(self.get_path()) if self._inside_tree else self._name

    def get_path(self) -> NodePath:
        """The absolute path (``/root/Main/Player``); empty with an error outside the tree."""
        if not self._inside_tree:
            return fail(NodePath(), "Cannot get path of node as it is not in a scene tree.")
        names = [n._name for n in self._ancestry()]
        return NodePath._from_parts(names, (), True)

    def get_path_to(self, node: Node) -> NodePath:
        """The relative path from this node to ``node`` (``../Sibling/Child``)."""
        if node is self:
            return NodePath(".")
        mine = self._ancestry()
        theirs = node._ancestry()
        if mine[0] is not theirs[0]:
            return fail(NodePath(), "The nodes are not in the same tree.")
        common = 0
        while common < min(len(mine), len(theirs)) and mine[common] is theirs[common]:
            common += 1
        ups = [".."] * (len(mine) - common)
        downs = [n._name for n in theirs[common:]]
        return NodePath._from_parts(ups + downs, (), False)

    def _ancestry(self) -> list[Node]:
        chain: list[Node] = []
        node: Node | None = self
        while node is not None:
            chain.append(node)
            node = node._parent
        chain.reverse()
        return chain

    def find_child(self, pattern: str, recursive: bool = True, owned: bool = True) -> Node | None:
        """First descendant (pre-order) whose name matches the ``*``/``?`` ``pattern``.

        As in Godot, ``owned=True`` (the default) skips nodes without an ``owner`` and
        their subtrees; nodes built in code have no owner, so pass ``owned=False``.
        """
        if not pattern:
            return fail(None, 'Condition "p_pattern.is_empty()" is true.')
        for child in self._children:
            if owned and child._owner is None:
                continue
            if fnmatch.fnmatchcase(child._name, pattern):
                return child
            if recursive:
                found = child.find_child(pattern, True, owned)
                if found is not None:
                    return found
        return None

    def find_children(
        self, pattern: str, type: str = "", recursive: bool = True, owned: bool = True
    ) -> list[Node]:
        """Every descendant (pre-order) matching ``pattern`` and, if given, class ``type``."""
        found: list[Node] = []
        for child in self._children:
            if owned and child._owner is None:
                continue
            if fnmatch.fnmatchcase(child._name, pattern) and (not type or child.is_class(type)):
                found.append(child)
            if recursive:
                found.extend(child.find_children(pattern, type, True, owned))
        return found

    def find_parent(self, pattern: str) -> Node | None:
        """Nearest ancestor whose name matches ``pattern``."""
        parent = self._parent
        while parent is not None:
            if fnmatch.fnmatchcase(parent._name, pattern):
                return parent
            parent = parent._parent
        return None

    def set_owner(self, owner: Node | None) -> None:
        """Set the node that owns this one (must be an ancestor)."""
        if owner is not None and not owner.is_ancestor_of(self):
            push_error("Invalid owner. Owner must be an ancestor in the tree.")
            return
        self._owner = owner

    def get_owner(self) -> Node | None:
        return self._owner

    # -- tree membership ---------------------------------------------------------------------

    def get_tree(self) -> SceneTree | None:
        """The ``SceneTree`` this node is in; ``None`` with an error outside a tree."""
        if self._tree is None:
            return fail(None, 'Parameter "data.tree" is null.')
        return self._tree

    def is_inside_tree(self) -> bool:
        return self._inside_tree

    def is_node_ready(self) -> bool:
        """True once ``_ready`` ran (and until the node leaves the tree)."""
        return self._ready_notified

    def request_ready(self) -> None:
        """Make ``_ready`` run again the next time the node enters the tree."""
        self._ready_first = True

    def get_viewport(self) -> Viewport | None:
        return self._viewport

    def get_window(self) -> Window | None:
        """The ``Window`` this node is in (the tree's root), or ``None`` outside a tree."""
        from engine.scene.window import Window

        node = self._viewport
        while node is not None and not isinstance(node, Window):
            parent = node._parent
            node = parent._viewport if parent is not None else None
        return node

    def get_depth(self) -> int:
        return self._depth

    def _set_tree(self, tree: SceneTree | None) -> None:
        old = self._tree
        if old is not None:
            self._propagate_exit_tree()
        self._tree = tree
        if tree is not None:
            self._propagate_enter_tree()
            if self._parent is None or self._parent._ready_notified:
                self._propagate_ready()
        if old is not None:
            old._tree_changed()
        if tree is not None:
            tree._tree_changed()

    def _propagate_enter_tree(self) -> None:
        from engine.scene.viewport import Viewport

        if self._parent is not None:
            self._tree = self._parent._tree
            self._depth = self._parent._depth + 1
        else:
            self._depth = 1
        tree = self._tree
        assert tree is not None
        if isinstance(self, Viewport):
            self._viewport = self
        elif self._parent is not None:
            self._viewport = self._parent._viewport
        self._inside_tree = True
        for group in self._groups:
            tree._add_to_group(group, self)
        self.notification(Node.NOTIFICATION_ENTER_TREE)
        self._enter_tree()
        self.emit_signal("tree_entered")
        tree._node_added(self)
        if self._parent is not None:
            self._parent.emit_signal("child_entered_tree", self)
        self._blocked += 1
        try:
            for child in list(self._children):
                if not child._inside_tree:
                    child._propagate_enter_tree()
        finally:
            self._blocked -= 1

    def _propagate_ready(self) -> None:
        self._ready_notified = True
        self._blocked += 1
        try:
            for child in list(self._children):
                child._propagate_ready()
        finally:
            self._blocked -= 1
        self.notification(Node.NOTIFICATION_POST_ENTER_TREE)
        if self._ready_first:
            self._ready_first = False
            self.notification(Node.NOTIFICATION_READY)
            self.emit_signal("ready")

    def _propagate_exit_tree(self) -> None:
        self._blocked += 1
        try:
            for child in reversed(list(self._children)):
                child._propagate_exit_tree()
        finally:
            self._blocked -= 1
        self._exit_tree()
        self.emit_signal("tree_exiting")
        self.notification(Node.NOTIFICATION_EXIT_TREE, True)
        tree = self._tree
        if tree is not None:
            tree._node_removed(self)
        if self._parent is not None:
            self._parent.emit_signal("child_exiting_tree", self)
        if tree is not None:
            for group in self._groups:
                tree._remove_from_group(group, self)
        self._viewport = None
        self._inside_tree = False
        self._ready_notified = False
        self._tree = None
        self._depth = -1

    def _propagate_after_exit_tree(self) -> None:
        self._blocked += 1
        try:
            for child in reversed(list(self._children)):
                child._propagate_after_exit_tree()
        finally:
            self._blocked -= 1
        self.emit_signal("tree_exited")

    def propagate_notification(self, what: int) -> None:
        """Send ``what`` to this node, then to every descendant (pre-order)."""
        self.notification(what)
        self._blocked += 1
        try:
            for child in list(self._children):
                child.propagate_notification(what)
        finally:
            self._blocked -= 1

    def propagate_call(
        self, method: str, args: Sequence[Any] = (), parent_first: bool = False
    ) -> None:
        """Call ``method(*args)`` on this node and every descendant that has it."""
        if parent_first and self.has_method(method):
            getattr(self, method)(*args)
        self._blocked += 1
        try:
            for child in list(self._children):
                child.propagate_call(method, args, parent_first)
        finally:
            self._blocked -= 1
        if not parent_first and self.has_method(method):
            getattr(self, method)(*args)

    # -- processing ----------------------------------------------------------------------------

    def _processing_changed(self) -> None:
        if self._tree is not None:
            self._tree._process_order_dirty = True

    def set_process(self, enable: bool) -> None:
        """Turn ``_process(delta)`` calls on or off."""
        if self._processing != enable:
            self._processing = bool(enable)
            self._processing_changed()

    def is_processing(self) -> bool:
        return self._processing

    def set_physics_process(self, enable: bool) -> None:
        """Turn ``_physics_process(delta)`` calls on or off."""
        if self._physics_processing != enable:
            self._physics_processing = bool(enable)
            self._processing_changed()

    def is_physics_processing(self) -> bool:
        return self._physics_processing

    def set_process_internal(self, enable: bool) -> None:
        """Turn ``NOTIFICATION_INTERNAL_PROCESS`` on or off (used by engine classes)."""
        if self._processing_internal != enable:
            self._processing_internal = bool(enable)
            self._processing_changed()

    def is_processing_internal(self) -> bool:
        return self._processing_internal

    def set_physics_process_internal(self, enable: bool) -> None:
        """Turn ``NOTIFICATION_INTERNAL_PHYSICS_PROCESS`` on or off."""
        if self._physics_processing_internal != enable:
            self._physics_processing_internal = bool(enable)
            self._processing_changed()

    def is_physics_processing_internal(self) -> bool:
        return self._physics_processing_internal

    def set_process_input(self, enable: bool) -> None:
        self._processing_input = bool(enable)

    def is_processing_input(self) -> bool:
        return self._processing_input

    def set_process_unhandled_input(self, enable: bool) -> None:
        self._processing_unhandled_input = bool(enable)

    def is_processing_unhandled_input(self) -> bool:
        return self._processing_unhandled_input

    def set_process_priority(self, priority: int) -> None:
        """Lower values run ``_process`` earlier; equal values keep tree order."""
        self._process_priority = int(priority)
        self._processing_changed()

    def get_process_priority(self) -> int:
        return self._process_priority

    def set_physics_process_priority(self, priority: int) -> None:
        self._physics_process_priority = int(priority)
        self._processing_changed()

    def get_physics_process_priority(self) -> int:
        return self._physics_process_priority

    def set_process_mode(self, mode: int) -> None:
        """How pausing affects this node and the children that inherit from it."""
        if mode not in range(5):
            raise ValueError(f"invalid process mode {mode}")
        tree = self._tree
        paused = tree is not None and tree.is_paused()
        before = self._can_process(paused) if tree is not None else False
        self._process_mode = mode
        if tree is not None:
            after = self._can_process(paused)
            if before and not after:
                self.notification(Node.NOTIFICATION_DISABLED)
            elif after and not before:
                self.notification(Node.NOTIFICATION_ENABLED)

    def get_process_mode(self) -> int:
        return self._process_mode

    def can_process(self) -> bool:
        """True if the node processes given the tree's pause state and ``process_mode``."""
        if self._tree is None:
            return fail(False, 'Condition "!is_inside_tree()" is true. Returning: false')
        return self._can_process(self._tree.is_paused())

    def _effective_process_mode(self) -> int:
        node: Node | None = self
        while node is not None:
            if node._process_mode != Node.PROCESS_MODE_INHERIT:
                return node._process_mode
            node = node._parent
        return Node.PROCESS_MODE_PAUSABLE

    def _can_process(self, paused: bool) -> bool:
        mode = self._effective_process_mode()
        if mode == Node.PROCESS_MODE_DISABLED:
            return False
        if mode == Node.PROCESS_MODE_ALWAYS:
            return True
        if paused:
            return mode == Node.PROCESS_MODE_WHEN_PAUSED
        return mode == Node.PROCESS_MODE_PAUSABLE

    def _propagate_pause_notification(self, enable: bool) -> None:
        before = self._can_process(not enable)
        after = self._can_process(enable)
        if before and not after:
            self.notification(Node.NOTIFICATION_PAUSED)
        elif after and not before:
            self.notification(Node.NOTIFICATION_UNPAUSED)
        for child in list(self._children):
            child._propagate_pause_notification(enable)

    def get_process_delta_time(self) -> float:
        """The ``delta`` of the current process frame (0 outside a tree)."""
        return self._tree._process_time if self._tree is not None else 0.0

    def get_physics_process_delta_time(self) -> float:
        """The fixed ``delta`` of physics ticks (0 outside a tree)."""
        return self._tree._physics_process_time if self._tree is not None else 0.0

    # -- groups ---------------------------------------------------------------------------------

    def add_to_group(self, group: str, persistent: bool = False) -> None:
        """Add the node to ``group`` (kept while it is outside the tree, too)."""
        if not group:
            push_error('Condition "!p_identifier.operator String().length()" is true.')
            return
        if group in self._groups:
            return
        self._groups[group] = persistent
        if self._tree is not None:
            self._tree._add_to_group(group, self)

    def remove_from_group(self, group: str) -> None:
        if group not in self._groups:
            return
        del self._groups[group]
        if self._tree is not None:
            self._tree._remove_from_group(group, self)

    def is_in_group(self, group: str) -> bool:
        return group in self._groups

    def get_groups(self) -> list[str]:
        return list(self._groups)

    # -- lifetime -------------------------------------------------------------------------------

    def queue_free(self) -> None:
        """Free the node (and its children) at the end of the current frame."""
        tree = self._tree
        if tree is None:
            from engine.scene.scene_tree import SceneTree

            tree = SceneTree._get_singleton()
        if tree is None:
            push_error("Can't queue free a node when no SceneTree is available.")
            return
        tree.queue_delete(self)

    # -- multiplayer hook -----------------------------------------------------------------------

    def get_multiplayer(self) -> Any:
        """The tree's multiplayer object (``SceneTree.set_multiplayer``), or ``None``."""
        if self._tree is None:
            return None
        return self._tree.get_multiplayer()

    # -- debugging ------------------------------------------------------------------------------

    def get_tree_string(self) -> str:
        """The subtree's relative paths, one per line."""
        return "".join(line + "\n" for line in self._tree_lines(self))

    def _tree_lines(self, base: Node) -> list[str]:
        lines = [str(base.get_path_to(self))]
        for child in self._children:
            lines.extend(child._tree_lines(base))
        return lines

    def get_tree_string_pretty(self) -> str:
        """The subtree drawn with box characters, like ``print_tree_pretty()``."""
        out: list[str] = []
        self._pretty_lines("", True, out, True)
        return "".join(out)

    def _pretty_lines(self, prefix: str, last: bool, out: list[str], first: bool) -> None:
        branch = "" if first else ("┖╴" if last else "┠╴")
        out.append(f"{prefix}{branch}{self._name}\n")
        child_prefix = prefix if first else prefix + ("   " if last else "┃  ")
        for i, child in enumerate(self._children):
            child._pretty_lines(child_prefix, i == len(self._children) - 1, out, False)

    def print_tree(self) -> None:
        print(self.get_tree_string(), end="")

    def print_tree_pretty(self) -> None:
        print(self.get_tree_string_pretty(), end="")

    def to_string(self) -> str:
        """``"Name:<Node#id>"`` like Godot (or what ``_to_string()`` returns)."""
        base = super().to_string()
        if getattr(self, "_to_string", None) is not None or not self._name:
            return base
        return f"{self._name}:{base}"

    # -- properties -----------------------------------------------------------------------------

    name = GodotProperty(get_name, set_name, default="")
    owner = GodotProperty(get_owner, set_owner, default=None)
    process_mode = GodotProperty(get_process_mode, set_process_mode, default=0)
    process_priority = GodotProperty(get_process_priority, set_process_priority, default=0)
    process_physics_priority = GodotProperty(
        get_physics_process_priority, set_physics_process_priority, default=0
    )
    multiplayer = GodotProperty(get_multiplayer)
