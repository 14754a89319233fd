"""SceneTree: frame order, tree-order processing, priorities, pause, deferred calls, timers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.core.engine import Engine
from engine.core.message_queue import MessageQueue
from engine.core.object import is_instance_valid
from engine.scene.node import Node
from engine.scene.scene_tree import SceneTree


@pytest.fixture
def tree() -> Iterator[SceneTree]:
    Engine._reset()
    t = SceneTree()
    t.initialize()
    yield t
    t.finalize()
    MessageQueue.get_singleton().flush()
    Engine._reset()


class Logger(Node):
    def __init__(self, name: str, log: list[Any]) -> None:
        super().__init__()
        self.set_name(name)
        self.log = log

    def _process(self, delta: float) -> None:
        self.log.append(("process", self.name, delta))

    def _physics_process(self, delta: float) -> None:
        self.log.append(("physics", self.name, delta))


def add_tree(tree: SceneTree, log: list[Any]) -> dict[str, Logger]:
    """root -> A -> (B -> D), C"""
    nodes = {n: Logger(n, log) for n in "ABCD"}
    nodes["A"].add_child(nodes["B"])
    nodes["A"].add_child(nodes["C"])
    nodes["B"].add_child(nodes["D"])
    tree.root.add_child(nodes["A"])
    return nodes


def test_process_runs_in_tree_order_with_given_delta(tree: SceneTree) -> None:
    log: list[Any] = []
    add_tree(tree, log)
    tree.process(0.25)
    assert log == [("process", n, 0.25) for n in "ABDC"]


def test_physics_process_in_tree_order_and_frame_counter(tree: SceneTree) -> None:
    log: list[Any] = []
    add_tree(tree, log)
    tree.physics_process(1 / 60)
    tree.physics_process(1 / 60)
    assert [e[1] for e in log] == list("ABDCABDC")
    assert all(e[0] == "physics" and e[2] == 1 / 60 for e in log)
    assert tree.get_frame() == 2


def test_priority_sorts_before_tree_order(tree: SceneTree) -> None:
    log: list[Any] = []
    nodes = add_tree(tree, log)
    nodes["C"].process_priority = -1
    nodes["A"].process_priority = 5
    tree.process(0.1)
    assert [e[1] for e in log] == ["C", "B", "D", "A"]


def test_set_process_false_stops_calls(tree: SceneTree) -> None:
    log: list[Any] = []
    nodes = add_tree(tree, log)
    nodes["B"].set_process(False)
    tree.process(0.1)
    assert [e[1] for e in log] == ["A", "D", "C"]
    assert not nodes["B"].is_processing()


def test_frame_order_signal_process_deferred_free(tree: SceneTree) -> None:
    events: list[str] = []

    class Actor(Node):
        def _process(self, delta: float) -> None:
            events.append("_process")
            self.call_deferred("deferred")
            self.queue_free()
            self.tree_exiting.connect(lambda: events.append("freed"))

        def deferred(self) -> None:
            events.append("deferred")

    tree.process_frame.connect(lambda: events.append("process_frame"))
    actor = Actor()
    tree.root.add_child(actor)
    tree.process(0.016)
    assert events == ["process_frame", "_process", "deferred", "freed"]
    assert not is_instance_valid(actor)


def test_physics_frame_signal_precedes_physics_process(tree: SceneTree) -> None:
    events: list[str] = []

    class Body(Node):
        def _physics_process(self, delta: float) -> None:
            events.append("_physics_process")

    tree.physics_frame.connect(lambda: events.append("physics_frame"))
    tree.root.add_child(Body())
    tree.physics_process(1 / 60)
    assert events == ["physics_frame", "_physics_process"]


def test_node_removed_during_pass_is_skipped(tree: SceneTree) -> None:
    log: list[Any] = []
    nodes = add_tree(tree, log)

    class Remover(Node):
        def _process(self, delta: float) -> None:
            log.append(("process", "R", delta))
            nodes["A"].remove_child(nodes["C"])
            nodes["B"].free()

    remover = Remover()
    nodes["A"].add_child(remover)
    nodes["A"].move_child(remover, 0)
    tree.process(0.5)
    assert [e[1] for e in log] == ["A", "R"]
    nodes["C"].free()


def test_nodes_added_during_pass_process_next_frame(tree: SceneTree) -> None:
    log: list[Any] = []

    class Spawner(Node):
        def _process(self, delta: float) -> None:
            log.append("spawner")
            if len(log) == 1:
                self.add_child(Logger("Child", log))

    tree.root.add_child(Spawner())
    tree.process(0.1)
    assert log == ["spawner"]
    tree.process(0.1)
    assert log == ["spawner", "spawner", ("process", "Child", 0.1)]


def test_pause_stops_pausable_nodes_only(tree: SceneTree) -> None:
    log: list[Any] = []
    nodes = add_tree(tree, log)
    always = Logger("Always", log)
    always.process_mode = Node.PROCESS_MODE_ALWAYS
    paused_only = Logger("WhenPaused", log)
    paused_only.process_mode = Node.PROCESS_MODE_WHEN_PAUSED
    disabled = Logger("Disabled", log)
    disabled.process_mode = Node.PROCESS_MODE_DISABLED
    for n in (always, paused_only, disabled):
        tree.root.add_child(n)
    nodes["B"].process_mode = Node.PROCESS_MODE_ALWAYS  # D inherits ALWAYS from B

    tree.process(0.1)
    assert [e[1] for e in log] == ["A", "B", "D", "C", "Always"]
    log.clear()
    tree.paused = True
    assert tree.is_paused()
    tree.process(0.1)
    assert [e[1] for e in log] == ["B", "D", "Always", "WhenPaused"]
    log.clear()
    tree.paused = False
    tree.process(0.1)
    assert [e[1] for e in log] == ["A", "B", "D", "C", "Always"]


def test_pause_notifications(tree: SceneTree) -> None:
    seen: list[tuple[str, int]] = []

    class Watch(Node):
        def _notification(self, what: int) -> None:
            if what in (Node.NOTIFICATION_PAUSED, Node.NOTIFICATION_UNPAUSED):
                seen.append((self.name, what))

    pausable, always = Watch(), Watch()
    pausable.name, always.name = "P", "A"
    always.process_mode = Node.PROCESS_MODE_ALWAYS
    tree.root.add_child(pausable)
    tree.root.add_child(always)
    tree.paused = True
    tree.paused = False
    assert seen == [("P", Node.NOTIFICATION_PAUSED), ("P", Node.NOTIFICATION_UNPAUSED)]


def test_call_group_in_tree_order_and_flags(tree: SceneTree) -> None:
    calls: list[tuple[str, int]] = []

    class Enemy(Node):
        def hit(self, damage: int) -> None:
            calls.append((self.name, damage))

    enemies = [Enemy() for _ in range(3)]
    for i, e in enumerate(enemies):
        e.name = f"E{i}"
        tree.root.add_child(e)
        e.add_to_group("enemies")
    plain = Node()
    plain.add_to_group("enemies")  # no hit(): skipped silently
    tree.root.add_child(plain)
    tree.call_group("enemies", "hit", 3)
    assert calls == [("E0", 3), ("E1", 3), ("E2", 3)]
    calls.clear()
    tree.call_group_flags(SceneTree.GROUP_CALL_REVERSE, "enemies", "hit", 1)
    assert calls == [("E2", 1), ("E1", 1), ("E0", 1)]
    calls.clear()
    tree.call_group_flags(SceneTree.GROUP_CALL_DEFERRED, "enemies", "hit", 2)
    assert calls == []
    tree.process(0.0)
    assert calls == [("E0", 2), ("E1", 2), ("E2", 2)]
    tree.set_group("enemies", "process_priority", 7)
    assert all(e.process_priority == 7 for e in enemies)
    assert tree.get_node_count_in_group("enemies") == 4


def test_create_timer_fires_once_after_time(tree: SceneTree) -> None:
    fired: list[int] = []
    timer = tree.create_timer(0.1)
    timer.timeout.connect(lambda: fired.append(Engine.get_process_frames()))
    tree.process(0.05)
    assert fired == []
    assert timer.time_left == pytest.approx(0.05)
    tree.process(0.05)
    assert len(fired) == 1
    tree.process(0.05)
    assert len(fired) == 1


def test_create_timer_respects_pause_and_physics(tree: SceneTree) -> None:
    fired: list[str] = []
    tree.create_timer(0.01, process_always=False).timeout.connect(lambda: fired.append("pausable"))
    tree.create_timer(0.01).timeout.connect(lambda: fired.append("always"))
    tree.create_timer(0.01, True, True).timeout.connect(lambda: fired.append("physics"))
    tree.paused = True
    tree.process(0.02)
    assert fired == ["always"]
    tree.physics_process(0.02)
    assert fired == ["always", "physics"]
    tree.paused = False
    tree.process(0.02)
    assert fired == ["always", "physics", "pausable"]


def test_quit_sets_exit_code_and_returns_true(tree: SceneTree) -> None:
    class Quitter(Node):
        def _process(self, delta: float) -> None:
            self.get_tree().quit(3)  # type: ignore[union-attr]

    assert tree.process(0.01) is False
    tree.root.add_child(Quitter())
    assert tree.process(0.01) is True
    assert tree._get_exit_code() == 3


def test_window_close_request(tree: SceneTree) -> None:
    seen: list[int] = []

    class Watch(Node):
        def _notification(self, what: int) -> None:
            if what == Node.NOTIFICATION_WM_CLOSE_REQUEST:
                seen.append(what)

    tree.root.add_child(Watch())
    tree.auto_accept_quit = False
    tree._main_window_close()
    assert seen == [1006]
    assert tree.process(0.0) is False
    tree.auto_accept_quit = True
    tree._main_window_close()
    assert tree.process(0.0) is True


def test_multiplayer_is_polled_first_each_frame(tree: SceneTree) -> None:
    events: list[str] = []

    class FakeMultiplayer:
        def poll(self) -> None:
            events.append("poll")

    tree.set_multiplayer(FakeMultiplayer())
    tree.process_frame.connect(lambda: events.append("process_frame"))
    tree.process(0.0)
    tree.multiplayer_poll = False
    tree.process(0.0)
    assert events == ["poll", "process_frame", "process_frame"]
    node = Node()
    tree.root.add_child(node)
    assert isinstance(node.multiplayer, FakeMultiplayer)


def test_current_scene_and_node_count(tree: SceneTree) -> None:
    scene = Node()
    tree.root.add_child(scene)
    tree.current_scene = scene
    assert tree.current_scene is scene
    scene.add_child(Node())
    assert tree.get_node_count() == 3
    scene.queue_free()
    tree.process(0.0)
    assert tree.current_scene is None
    assert tree.get_node_count() == 1


def test_finalize_frees_everything() -> None:
    t = SceneTree()
    node = Node()
    t.root.add_child(node)
    t.initialize()
    assert Engine.get_main_loop() is t
    root = t.root
    t.finalize()
    assert not is_instance_valid(node)
    assert not is_instance_valid(root)
    assert Engine.get_main_loop() is None


def test_input_goes_last_node_first_until_handled(tree: SceneTree) -> None:
    got: list[str] = []

    class Handler(Node):
        def __init__(self, name: str, handle: bool) -> None:
            super().__init__()
            self.name = name
            self.handle = handle

        def _input(self, event: Any) -> None:
            got.append(f"input:{self.name}:{event}")
            if self.handle:
                self.get_viewport().set_input_as_handled()  # type: ignore[union-attr]

        def _unhandled_input(self, event: Any) -> None:
            got.append(f"unhandled:{self.name}:{event}")

    first, second = Handler("first", False), Handler("second", False)
    tree.root.add_child(first)
    tree.root.add_child(second)
    tree.root.push_input("click")
    assert got == [
        "input:second:click",
        "input:first:click",
        "unhandled:second:click",
        "unhandled:first:click",
    ]
    got.clear()
    second.handle = True
    tree.root.push_input("key")
    assert got == ["input:second:key"]
    got.clear()
    tree.paused = True
    tree.root.push_input("paused")
    assert got == []


def test_root_window_viewport_and_visible_rect(tree: SceneTree) -> None:
    node = Node()
    tree.root.add_child(node)
    assert tree.root.name == "root"
    assert node.get_viewport() is tree.root
    assert node.get_window() is tree.root
    rect = node.get_viewport().get_visible_rect()  # type: ignore[union-attr]
    assert (rect.size.x, rect.size.y) == (960, 540)
    assert Node().get_window() is None


def test_queue_free_from_a_timer_timeout_frees_in_the_same_frame(tree: SceneTree) -> None:
    """The delete queue is flushed after the timers in both phases (Godot 4.4, PR #93871;
    4.2 flushed before the idle timers, so the node lived one more frame)."""
    idle_victim, physics_victim = Node(), Node()
    tree.root.add_child(idle_victim)
    tree.root.add_child(physics_victim)
    tree.create_timer(0.01).timeout.connect(idle_victim.queue_free)
    tree.create_timer(0.01, True, True).timeout.connect(physics_victim.queue_free)
    tree.physics_process(0.02)
    assert not is_instance_valid(physics_victim)
    assert is_instance_valid(idle_victim)
    tree.process(0.02)
    assert not is_instance_valid(idle_victim)
