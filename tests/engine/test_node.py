"""Node: naming, paths, tree notifications (enter/ready/exit order), groups, freeing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from engine.core.message_queue import MessageQueue
from engine.core.object import is_instance_valid
from engine.core.variant.node_path import NodePath
from engine.scene.node import Node
from engine.scene.scene_tree import SceneTree


class Recorder(Node):
    """Logs every callback into a shared list."""

    def __init__(self, name: str, log: list[tuple[str, str]]) -> None:
        super().__init__()
        self.set_name(name)
        self.log = log

    def _enter_tree(self) -> None:
        self.log.append(("enter", self.name))

    def _ready(self) -> None:
        self.log.append(("ready", self.name))

    def _exit_tree(self) -> None:
        self.log.append(("exit", self.name))


@pytest.fixture
def tree() -> Iterator[SceneTree]:
    t = SceneTree()
    t.initialize()
    yield t
    t.finalize()
    MessageQueue.get_singleton().flush()


def build(log: list[tuple[str, str]]) -> Recorder:
    """A -> (B -> D), C"""
    a, b, c, d = (Recorder(n, log) for n in "ABCD")
    a.add_child(b)
    a.add_child(c)
    b.add_child(d)
    return a


def test_notification_constants_have_godot_values() -> None:
    assert Node.NOTIFICATION_ENTER_TREE == 10
    assert Node.NOTIFICATION_EXIT_TREE == 11
    assert Node.NOTIFICATION_READY == 13
    assert Node.NOTIFICATION_PAUSED == 14
    assert Node.NOTIFICATION_UNPAUSED == 15
    assert Node.NOTIFICATION_PHYSICS_PROCESS == 16
    assert Node.NOTIFICATION_PROCESS == 17
    assert Node.NOTIFICATION_PARENTED == 18
    assert Node.NOTIFICATION_UNPARENTED == 19
    assert Node.NOTIFICATION_INTERNAL_PROCESS == 25
    assert Node.NOTIFICATION_INTERNAL_PHYSICS_PROCESS == 26
    assert Node.NOTIFICATION_POST_ENTER_TREE == 27
    assert Node.NOTIFICATION_WM_CLOSE_REQUEST == 1006
    assert (Node.PROCESS_MODE_INHERIT, Node.PROCESS_MODE_DISABLED) == (0, 4)


def test_enter_is_preorder_and_ready_is_children_first(tree: SceneTree) -> None:
    log: list[tuple[str, str]] = []
    tree.root.add_child(build(log))
    assert log == [
        ("enter", "A"),
        ("enter", "B"),
        ("enter", "D"),
        ("enter", "C"),
        ("ready", "D"),
        ("ready", "B"),
        ("ready", "C"),
        ("ready", "A"),
    ]


def test_tree_built_before_initialize_enters_at_initialize() -> None:
    log: list[tuple[str, str]] = []
    t = SceneTree()
    t.root.add_child(build(log))
    assert log == []
    t.initialize()
    assert log[0] == ("enter", "A")
    assert log[-1] == ("ready", "A")
    t.finalize()


def test_exit_is_children_first_last_child_first(tree: SceneTree) -> None:
    log: list[tuple[str, str]] = []
    a = build(log)
    tree.root.add_child(a)
    log.clear()
    tree.root.remove_child(a)
    assert log == [("exit", "C"), ("exit", "D"), ("exit", "B"), ("exit", "A")]
    assert not a.is_inside_tree()
    assert a.get_tree() is None
    a.free()


def test_ready_runs_once_unless_requested(tree: SceneTree) -> None:
    log: list[tuple[str, str]] = []
    a = Recorder("A", log)
    tree.root.add_child(a)
    tree.root.remove_child(a)
    tree.root.add_child(a)
    assert log.count(("ready", "A")) == 1
    assert log.count(("enter", "A")) == 2
    tree.root.remove_child(a)
    a.request_ready()
    tree.root.add_child(a)
    assert log.count(("ready", "A")) == 2


def test_tree_signals_in_godot_order(tree: SceneTree) -> None:
    events: list[str] = []
    node = Node()
    node.set_name("N")
    node.tree_entered.connect(lambda: events.append("tree_entered"))
    node.ready.connect(lambda: events.append("ready"))
    node.tree_exiting.connect(lambda: events.append("tree_exiting"))
    node.tree_exited.connect(lambda: events.append("tree_exited"))
    tree.root.child_entered_tree.connect(lambda n: events.append(f"child_entered:{n.name}"))
    tree.root.child_exiting_tree.connect(lambda n: events.append(f"child_exiting:{n.name}"))
    tree.node_added.connect(lambda n: events.append(f"node_added:{n.name}"))
    tree.root.add_child(node)
    tree.root.remove_child(node)
    assert events == [
        "tree_entered",
        "node_added:N",
        "child_entered:N",
        "ready",
        "tree_exiting",
        "child_exiting:N",
        "tree_exited",
    ]
    node.free()


def test_notifications_received_in_order(tree: SceneTree) -> None:
    seen: list[int] = []

    class Listener(Node):
        def _notification(self, what: int) -> None:
            seen.append(what)

    node = Listener()
    tree.root.add_child(node)
    tree.root.remove_child(node)
    assert seen == [
        Node.NOTIFICATION_PARENTED,
        Node.NOTIFICATION_ENTER_TREE,
        Node.NOTIFICATION_POST_ENTER_TREE,
        Node.NOTIFICATION_READY,
        Node.NOTIFICATION_EXIT_TREE,
        Node.NOTIFICATION_UNPARENTED,
    ]
    node.free()


def test_unnamed_and_clashing_children_get_unique_names() -> None:
    parent = Node()
    first = Node()
    parent.add_child(first)
    assert first.name.startswith("@Node@")
    a = Node()
    a.name = "Enemy"
    parent.add_child(a)
    b = Node()
    b.name = "Enemy"
    parent.add_child(b)
    assert a.name == "Enemy"
    assert b.name.startswith("@Node@")
    readable = Node()
    readable.name = "Enemy"
    parent.add_child(readable, True)
    assert readable.name == "Enemy2"
    another = Node()
    another.name = "Enemy"
    parent.add_child(another, True)
    assert another.name == "Enemy3"
    assert len({c.name for c in parent.get_children()}) == parent.get_child_count() == 5
    parent.free()


def test_rename_clash_gets_serial_name_and_invalid_characters_dropped() -> None:
    parent = Node()
    a, b = Node(), Node()
    a.name = "Box"
    b.name = "Crate"
    parent.add_child(a)
    parent.add_child(b)
    b.name = "Box"
    assert b.name == "Box2"
    assert parent.get_node("Box2") is b
    assert parent.get_node_or_null("Crate") is None
    a.name = "my.node:x"
    assert a.name == "mynodex"
    parent.free()


def test_get_node_paths(tree: SceneTree) -> None:
    main = Node()
    main.name = "Main"
    player = Node()
    player.name = "Player"
    gun = Node()
    gun.name = "Gun"
    hud = Node()
    hud.name = "HUD"
    main.add_child(player)
    main.add_child(hud)
    player.add_child(gun)
    tree.root.add_child(main)
    assert tree.root.get_node("/root/Main/Player") is player
    assert main.get_node("Player/Gun") is gun
    assert gun.get_node("../../HUD") is hud
    assert gun.get_node(".") is gun
    assert main.get_node(NodePath("Player/Gun")) is gun
    assert main.get_node("Player/Gun:position") is gun
    assert gun.get_path() == NodePath("/root/Main/Player/Gun")
    assert str(hud.get_path_to(gun)) == "../Player/Gun"
    assert hud.get_node(hud.get_path_to(gun)) is gun
    assert main.has_node("HUD")
    assert not main.has_node("Nope")


def test_get_node_miss_logs_godot_error(tree: SceneTree, caplog: pytest.LogCaptureFixture) -> None:
    main = Node()
    main.name = "Main"
    tree.root.add_child(main)
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert main.get_node("Missing") is None
        assert main.get_node_or_null("Missing") is None
    assert caplog.text.count("Node not found") == 1
    assert 'Node not found: "Missing" (relative to "/root/Main").' in caplog.text


def test_absolute_path_outside_tree_fails(caplog: pytest.LogCaptureFixture) -> None:
    node = Node()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert node.get_node_or_null("/root") is None
    assert "absolute paths from outside" in caplog.text
    node.free()


def test_add_child_errors(caplog: pytest.LogCaptureFixture) -> None:
    a, b = Node(), Node()
    a.add_child(b)
    with caplog.at_level(logging.ERROR, logger="godot"):
        a.add_child(a)
        Node().add_child(b)
        b.add_child(a)
    assert "to itself" in caplog.text
    assert "already has a parent" in caplog.text
    assert "cyclic dependency" in caplog.text
    assert b.get_parent() is a
    with pytest.raises(TypeError):
        a.add_child("not a node")  # type: ignore[arg-type]
    a.free()


def test_add_child_during_enter_tree_is_refused(
    tree: SceneTree, caplog: pytest.LogCaptureFixture
) -> None:
    class Greedy(Node):
        def _enter_tree(self) -> None:
            self.get_parent().add_child(Node())  # type: ignore[union-attr]

    parent = Node()
    parent.add_child(Greedy())
    with caplog.at_level(logging.ERROR, logger="godot"):
        tree.root.add_child(parent)
    assert "busy setting up children" in caplog.text
    assert parent.get_child_count() == 1


def test_children_order_move_and_index() -> None:
    parent = Node()
    kids = [Node() for _ in range(3)]
    for i, kid in enumerate(kids):
        kid.name = f"K{i}"
        parent.add_child(kid)
    assert parent.get_children() == kids
    assert parent.get_child(-1) is kids[2]
    parent.move_child(kids[2], 0)
    assert [k.name for k in parent.get_children()] == ["K2", "K0", "K1"]
    assert kids[1].get_index() == 2
    kids[0].add_sibling(extra := Node())
    assert parent.get_child(2) is extra
    assert parent.get_child(10) is None
    parent.free()


def test_find_child_honours_owned_like_godot() -> None:
    root = Node()
    a = Node()
    a.name = "Alpha"
    b = Node()
    b.name = "Beta"
    root.add_child(a)
    a.add_child(b)
    assert root.find_child("Beta") is None  # no owner: skipped, as in Godot
    assert root.find_child("Beta", True, False) is b
    assert root.find_child("B*", False, False) is None
    assert root.find_child("?lpha", False, False) is a
    b.owner = root
    a.owner = root
    assert root.find_child("Beta") is b
    assert root.find_children("*", "Node", True, False) == [a, b]
    assert b.find_parent("Al*") is a
    root.free()


def test_groups_follow_tree_membership(tree: SceneTree) -> None:
    a, b = Node(), Node()
    a.add_to_group("enemies")
    assert a.is_in_group("enemies")
    assert tree.get_nodes_in_group("enemies") == []
    tree.root.add_child(b)
    tree.root.add_child(a)
    b.add_to_group("enemies")
    assert tree.get_nodes_in_group("enemies") == [b, a]  # tree order, not join order
    assert tree.get_first_node_in_group("enemies") is b
    tree.root.remove_child(a)
    assert tree.get_nodes_in_group("enemies") == [b]
    assert a.get_groups() == ["enemies"]
    b.remove_from_group("enemies")
    assert not tree.has_group("enemies")
    a.free()


def test_free_removes_from_parent_and_frees_children(tree: SceneTree) -> None:
    log: list[tuple[str, str]] = []
    a = build(log)
    tree.root.add_child(a)
    b = a.get_node("B")
    d = a.get_node("B/D")
    assert b is not None and d is not None
    b.free()
    assert not is_instance_valid(b)
    assert not is_instance_valid(d)
    assert [c.name for c in a.get_children()] == ["C"]
    assert ("exit", "D") in log


def test_queue_free_waits_for_end_of_frame(tree: SceneTree) -> None:
    node = Node()
    tree.root.add_child(node)
    node.queue_free()
    assert is_instance_valid(node)
    assert node.is_queued_for_deletion()
    tree.process(0.016)
    assert not is_instance_valid(node)
    assert tree.root.get_child_count() == 0


def test_queue_free_twice_and_free_before_flush_are_safe(tree: SceneTree) -> None:
    node = Node()
    tree.root.add_child(node)
    node.queue_free()
    node.queue_free()
    other = Node()
    tree.root.add_child(other)
    other.queue_free()
    other.free()
    tree.process(0.016)
    assert not is_instance_valid(node)
    assert not is_instance_valid(other)


def test_to_string_and_tree_strings(tree: SceneTree) -> None:
    log: list[tuple[str, str]] = []
    a = build(log)
    tree.root.add_child(a)
    assert str(a).startswith("A:<Node#")
    assert a.get_tree_string() == ".\nB\nB/D\nC\n"
    assert a.get_tree_string_pretty() == "A\n┠╴B\n┃  ┖╴D\n┖╴C\n"


def test_virtual_overrides_turn_processing_on_before_ready(tree: SceneTree) -> None:
    states: list[bool] = []

    class Proc(Node):
        def _ready(self) -> None:
            states.append(self.is_processing())
            states.append(self.is_physics_processing())

        def _process(self, delta: float) -> None:
            pass

    plain = Node()
    tree.root.add_child(Proc())
    tree.root.add_child(plain)
    assert states == [True, False]
    assert not plain.is_processing()


def test_propagate_call_and_notification_order() -> None:
    calls: list[str] = []

    class Greeter(Node):
        def greet(self, word: str) -> None:
            calls.append(f"{self.name}:{word}")

    top, mid, leaf = Greeter(), Node(), Greeter()
    top.name, mid.name, leaf.name = "Top", "Mid", "Leaf"
    top.add_child(mid)
    mid.add_child(leaf)
    top.propagate_call("greet", ["hi"])
    assert calls == ["Leaf:hi", "Top:hi"]  # children first by default
    calls.clear()
    top.propagate_call("greet", ["yo"], True)
    assert calls == ["Top:yo", "Leaf:yo"]
    top.propagate_call("ready")  # a signal, not a method: ignored
    top.free()
