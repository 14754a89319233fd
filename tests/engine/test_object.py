"""Object: identity, validity, free(), class names, notifications, properties, metadata, calls."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from engine.core import object as object_module
from engine.core.callable import Callable
from engine.core.error import Error
from engine.core.message_queue import MessageQueue
from engine.core.object import (
    NOTIFICATION_POSTINITIALIZE,
    NOTIFICATION_PREDELETE,
    PROPERTY_USAGE_CATEGORY,
    PROPERTY_USAGE_SCRIPT_VARIABLE,
    PROPERTY_USAGE_STORAGE,
    Object,
    instance_from_id,
    is_instance_valid,
)
from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted
from engine.core.signal import signal


@pytest.fixture(autouse=True)
def clean_queue() -> Iterator[None]:
    MessageQueue.get_singleton()._clear()
    yield
    MessageQueue.get_singleton()._clear()


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "godot" and r.levelno >= 40]


class Base(Object):
    def __init__(self) -> None:
        super().__init__()
        self.log: list[str] = []

    def _notification(self, what: int) -> None:
        self.log.append(f"Base{what}")


class Middle(Base):
    def _notification(self, what: int) -> None:
        self.log.append(f"Middle{what}")


class Leaf(Middle):
    def _notification(self, what: int) -> None:
        self.log.append(f"Leaf{what}")


class NoHandler(Leaf):
    pass


# -- identity and validity --------------------------------------------------------------------


def test_instance_ids_are_unique_and_positive() -> None:
    objects = [Object() for _ in range(100)]
    ids = [o.get_instance_id() for o in objects]
    assert all(i > 0 for i in ids)
    assert len(set(ids)) == 100


def test_instance_from_id_and_is_instance_valid() -> None:
    o = Object()
    assert instance_from_id(o.get_instance_id()) is o
    assert is_instance_valid(o)
    assert not is_instance_valid(None)
    assert not is_instance_valid(42)
    assert instance_from_id(0) is None
    with pytest.raises(TypeError):
        instance_from_id("1")  # type: ignore[arg-type]


def test_registry_is_weak() -> None:
    o = Object()
    instance_id = o.get_instance_id()
    ref = weakref.ref(o)
    del o
    gc.collect()
    assert ref() is None
    assert instance_from_id(instance_id) is None


def test_object_is_cheap() -> None:
    o = Object()
    assert not hasattr(o, "__dict__")
    assert o._signals is None and o._meta is None and o._incoming is None


def test_to_string_and_repr() -> None:
    o = Object()
    assert o.to_string() == f"<Object#{o.get_instance_id()}>"
    assert repr(o) == str(o) == o.to_string()

    class Named(Object):
        def _to_string(self) -> str:
            return "custom"

    assert str(Named()) == "custom"
    r = RefCounted()
    assert repr(r) == f"<RefCounted#{r.get_instance_id()}>"


def test_constants() -> None:
    assert NOTIFICATION_POSTINITIALIZE == Object.NOTIFICATION_POSTINITIALIZE == 0
    assert NOTIFICATION_PREDELETE == Object.NOTIFICATION_PREDELETE == 1
    assert object_module.CONNECT_DEFERRED == 1
    assert object_module.CONNECT_PERSIST == 2
    assert object_module.CONNECT_ONE_SHOT == 4
    assert object_module.CONNECT_REFERENCE_COUNTED == 8


# -- class names ------------------------------------------------------------------------------


def test_get_class_reports_the_native_class() -> None:
    class Player(RefCounted):
        pass

    class Boss(Player):
        pass

    assert Object().get_class() == "Object"
    assert Base().get_class() == "Object"
    assert Boss().get_class() == "RefCounted"
    assert Boss().is_class("RefCounted")
    assert Boss().is_class("Object")
    assert not Boss().is_class("Player")  # script classes are not native classes
    assert not Object().is_class("RefCounted")


# -- notifications ----------------------------------------------------------------------------


def test_notification_runs_base_to_derived() -> None:
    leaf = Leaf()
    leaf.notification(42)
    assert leaf.log == ["Base42", "Middle42", "Leaf42"]


def test_notification_reversed_runs_derived_to_base() -> None:
    leaf = Leaf()
    leaf.notification(7, True)
    assert leaf.log == ["Leaf7", "Middle7", "Base7"]
    leaf.log.clear()
    leaf.notification(8, reversed=True)
    assert leaf.log == ["Leaf8", "Middle8", "Base8"]


def test_class_without_handler_inherits_chain() -> None:
    obj = NoHandler()
    obj.notification(3)
    assert obj.log == ["Base3", "Middle3", "Leaf3"]


# -- free() -----------------------------------------------------------------------------------


def test_free_sends_predelete_reversed_and_invalidates() -> None:
    leaf = Leaf()
    log = leaf.log
    instance_id = leaf.get_instance_id()
    leaf.free()
    assert log == ["Leaf1", "Middle1", "Base1"]
    assert not is_instance_valid(leaf)
    assert instance_from_id(instance_id) is None
    assert repr(leaf) == "<Freed Object>"


def test_using_a_freed_object_is_an_error() -> None:
    leaf = Leaf()
    leaf.free()
    with pytest.raises(ReferenceError):
        leaf.get_instance_id()
    with pytest.raises(ReferenceError):
        _ = leaf.log
    with pytest.raises(ReferenceError):
        leaf.log = []
    with pytest.raises(ReferenceError):
        leaf.free()
    with pytest.raises(ReferenceError):
        Callable(leaf, "free")
    assert isinstance(leaf, Leaf)


def test_free_disconnects_both_ways() -> None:
    class Emitter(Object):
        ping = signal()

        def on_ping(self) -> None:
            pass

    source, target, other = Emitter(), Emitter(), Emitter()
    source.connect("ping", target.on_ping)
    target.connect("ping", other.on_ping)
    assert other.get_incoming_connections() != []
    target.free()
    assert source.get_signal_connection_list("ping") == []
    assert source._signals == {}
    assert other.get_incoming_connections() == []
    assert other._incoming == {}


def test_cancel_free_during_predelete() -> None:
    class Stubborn(Object):
        def _notification(self, what: int) -> None:
            if what == NOTIFICATION_PREDELETE:
                self.cancel_free()

    s = Stubborn()
    s.free()
    assert is_instance_valid(s)
    assert s.get_instance_id() > 0


def test_is_queued_for_deletion_default() -> None:
    assert not Object().is_queued_for_deletion()


# -- methods ----------------------------------------------------------------------------------


class Calc(Object):
    total = 0

    def add(self, a: int, b: int = 1) -> int:
        return a + b


def test_has_method_call_callv() -> None:
    c = Calc()
    assert c.has_method("add")
    assert c.has_method("free")
    assert c.has_method("connect")
    assert not c.has_method("total")
    assert not c.has_method("nothing")
    assert c.call("add", 2, 3) == 5
    assert c.callv("add", [2]) == 3
    with pytest.raises(AttributeError, match="Nonexistent function 'nothing'"):
        c.call("nothing")
    with pytest.raises(TypeError):
        c.callv("add", 5)  # type: ignore[arg-type]


def test_call_deferred_and_set_deferred() -> None:
    class Target(Object):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[Any] = []
            self.value = 0

        def record(self, *args: Any) -> None:
            self.seen.append(args)

    t = Target()
    t.call_deferred("record", 1, 2)
    t.set_deferred("value", 9)
    assert t.seen == [] and t.value == 0
    assert MessageQueue.get_singleton().flush() == Error.OK
    assert t.seen == [(1, 2)]
    assert t.value == 9


# -- properties -------------------------------------------------------------------------------


class Props(RefCounted):
    def __init__(self) -> None:
        super().__init__()
        self._speed = 1.5
        self._label = "hi"
        self.plain = 3

    def set_speed(self, value: float) -> None:
        self._speed = float(value)

    def get_speed(self) -> float:
        return self._speed

    def get_label(self) -> str:
        return self._label

    speed = GodotProperty(get_speed, set_speed, default=1.5)
    label = GodotProperty(get_label)


def test_get_set_through_godot_property() -> None:
    p = Props()
    assert p.get("speed") == 1.5
    p.set("speed", 4)
    assert p.get_speed() == 4.0 and p.speed == 4.0
    p.speed = 2.0
    assert p.get("speed") == 2.0
    p.set("label", "changed")  # read-only: ignored like Godot
    assert p.get("label") == "hi"


def test_get_set_falls_back_to_plain_attributes() -> None:
    p = Props()
    assert p.get("plain") == 3
    p.set("plain", 4)
    assert p.plain == 4
    p.set("does_not_exist", 1)  # unknown: ignored, nothing created
    assert not hasattr(p, "does_not_exist")
    assert p.get("does_not_exist") is None
    assert p.get("get_speed") == Callable(p, "get_speed")
    with pytest.raises(TypeError):
        p.set(1, 2)  # type: ignore[arg-type]


def test_property_list_contains_storage_properties() -> None:
    p = Props()
    p.set_meta("team", 2)
    plist = p.get_property_list()
    by_name = {d["name"]: d for d in plist}
    for entry in plist:
        assert set(entry) == {"name", "class_name", "type", "hint", "hint_string", "usage"}
    assert by_name["RefCounted"]["usage"] == PROPERTY_USAGE_CATEGORY
    assert by_name["script"]["type"] == 24 and by_name["script"]["usage"] & PROPERTY_USAGE_STORAGE
    speed = by_name["speed"]
    assert speed["type"] == 3
    assert speed["usage"] & PROPERTY_USAGE_STORAGE
    assert speed["usage"] & PROPERTY_USAGE_SCRIPT_VARIABLE
    assert by_name["label"]["type"] == 4
    assert not by_name["label"]["usage"] & PROPERTY_USAGE_STORAGE
    assert by_name["metadata/team"]["type"] == 2
    assert by_name["metadata/team"]["usage"] & PROPERTY_USAGE_STORAGE
    names = [d["name"] for d in plist]
    assert names.index("script") < names.index("speed") < names.index("metadata/team")
    stored = [d["name"] for d in plist if d["usage"] & PROPERTY_USAGE_STORAGE]
    for name in stored:
        p.set(name, p.get(name))  # every stored property round-trips through get/set


def test_custom_property_hooks() -> None:
    class Dynamic(Object):
        def __init__(self) -> None:
            super().__init__()
            self.store: dict[str, Any] = {"power": 9}

        def _get_property_list(self) -> list[dict[str, Any]]:
            return [{"name": "power", "type": 2, "usage": 6}]

        def _get(self, name: str) -> Any:
            return self.store.get(name)

        def _set(self, name: str, value: Any) -> bool:
            if name in self.store:
                self.store[name] = value
                return True
            return False

    d = Dynamic()
    assert d.get("power") == 9
    d.set("power", 10)
    assert d.store["power"] == 10
    assert any(e["name"] == "power" and e["type"] == 2 for e in d.get_property_list())


# -- metadata ---------------------------------------------------------------------------------


def test_meta(caplog: pytest.LogCaptureFixture) -> None:
    o = Object()
    assert not o.has_meta("hp")
    o.set_meta("hp", 10)
    assert o.has_meta("hp") and o.get_meta("hp") == 10
    assert o.get_meta_list() == ["hp"]
    assert o.get("metadata/hp") == 10
    o.set("metadata/mp", 5)
    assert o.get_meta("mp") == 5
    assert o.get_meta("missing", 7) == 7
    assert errors(caplog) == []
    assert o.get_meta("missing") is None
    assert errors(caplog) == [
        "ERROR: The object does not have any 'meta' values with the key 'missing'."
    ]
    o.set_meta("hp", None)  # null removes
    assert not o.has_meta("hp")
    o.remove_meta("mp")
    o.remove_meta("never")
    assert o.get_meta_list() == []
    o.set_meta("not an identifier", 1)
    assert not o.has_meta("not an identifier")
    assert "Invalid metadata identifier" in errors(caplog)[-1]


def test_meta_change_notifies_property_list() -> None:
    o = Object()
    seen: list[int] = []
    o.property_list_changed.connect(lambda: seen.append(1))
    o.set_meta("visible_key", 1)
    o.set_meta("_hidden", 1)
    o.remove_meta("visible_key")
    assert seen == [1, 1]


def test_meta_property_types_and_validate_property() -> None:
    from engine.core.variant.vector2 import Vector2

    class Hidden(Object):
        def _validate_property(self, prop: dict[str, Any]) -> None:
            if prop["name"] == "metadata/secret":
                prop["usage"] = 0

    h = Hidden()
    h.set_meta("where", Vector2(1, 2))
    h.set_meta("secret", "x")
    h.set_meta("link", Object())
    by_name = {d["name"]: d for d in h.get_property_list()}
    assert by_name["metadata/where"]["type"] == 5
    assert by_name["metadata/secret"]["usage"] == 0
    assert by_name["metadata/link"]["type"] == 24
    assert by_name["metadata/link"]["hint_string"] == "Resource"


def test_objects_are_references_for_copy_and_not_picklable() -> None:
    import copy
    import pickle

    o = Object()
    assert copy.copy(o) is o
    container: dict[str, Any] = {"child": o, "list": [o]}
    duplicate = copy.deepcopy(container)
    assert duplicate["child"] is o and duplicate["list"][0] is o
    assert duplicate["list"] is not container["list"]
    with pytest.raises(TypeError):
        pickle.dumps(o)


def test_method_list() -> None:
    methods = {m["name"]: m for m in Calc().get_method_list()}
    assert "add" in methods and "connect" in methods and "free" in methods
    assert [a["name"] for a in methods["add"]["args"]] == ["a", "b"]
    assert methods["add"]["default_args"] == [1]
    assert methods["call"]["flags"] & 16  # METHOD_FLAG_VARARG
    assert "total" not in methods


def test_script_translation_and_revert_stubs(caplog: pytest.LogCaptureFixture) -> None:
    class Revertible(Object):
        def _property_can_revert(self, name: str) -> bool:
            return name == "hp"

        def _property_get_revert(self, name: str) -> Any:
            return 100 if name == "hp" else None

    o = Revertible()
    assert o.property_can_revert("hp") and not o.property_can_revert("mp")
    assert o.property_get_revert("hp") == 100
    assert not Object().property_can_revert("hp")
    assert Object().property_get_revert("hp") is None
    assert o.get_script() is None
    o.set_script(None)
    assert errors(caplog) == []
    o.set_script("res://player.gd")
    assert len(errors(caplog)) == 1
    assert o.can_translate_messages()
    o.set_message_translation(False)
    assert not o.can_translate_messages()
    assert o.tr("Hello") == "Hello"
    assert o.tr_n("apple", "apples", 1) == "apple"
    assert o.tr_n("apple", "apples", 3) == "apples"
