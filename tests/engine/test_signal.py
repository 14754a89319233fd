"""Signals: declaration, both connect spellings, return codes, flags, emission order and safety."""

from __future__ import annotations

import functools
import gc
import logging
import types
from collections.abc import Iterator
from typing import Any

import pytest

from engine.core.callable import Callable
from engine.core.error import Error
from engine.core.message_queue import MessageQueue
from engine.core.object import (
    CONNECT_DEFERRED,
    CONNECT_ONE_SHOT,
    CONNECT_PERSIST,
    CONNECT_REFERENCE_COUNTED,
    Object,
)
from engine.core.signal import Signal, signal


class Emitter(Object):
    health_changed = signal("old_value", "new_value")
    died = signal()


class Receiver(Object):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []

    def on_health(self, old: int, new: int) -> None:
        self.calls.append(("health", old, new))

    def on_died(self) -> None:
        self.calls.append(("died",))

    def on_any(self, *args: object) -> None:
        self.calls.append(args)


@pytest.fixture(autouse=True)
def clean_queue() -> Iterator[None]:
    MessageQueue.get_singleton()._clear()
    yield
    MessageQueue.get_singleton()._clear()


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "godot" and r.levelno >= 40]


# -- declaration and the Signal value ---------------------------------------------------------


def test_instance_attribute_is_a_bound_signal_value() -> None:
    e = Emitter()
    s = e.health_changed
    assert isinstance(s, Signal)
    assert s.get_name() == "health_changed"
    assert s.get_object() is e
    assert s.get_object_id() == e.get_instance_id()
    assert s == Signal(e, "health_changed")
    assert s != Signal(e, "died")
    assert s != Emitter().health_changed
    assert hash(s) == hash(Signal(e, "health_changed"))
    assert str(s) == "Object::[signal]health_changed"


def test_signal_attribute_cannot_be_assigned() -> None:
    e = Emitter()
    with pytest.raises(AttributeError):
        e.health_changed = 5


def test_has_signal_and_signal_list() -> None:
    e = Emitter()
    assert e.has_signal("health_changed")
    assert e.has_signal("died")
    assert e.has_signal("property_list_changed")  # inherited from Object
    assert not e.has_signal("nope")
    names = [d["name"] for d in e.get_signal_list()]
    assert names == ["health_changed", "died", "script_changed", "property_list_changed"]
    info = e.get_signal_list()[0]
    assert [a["name"] for a in info["args"]] == ["old_value", "new_value"]
    assert set(info) == {"name", "args", "default_args", "flags", "id", "return"}
    assert set(info["args"][0]) == {"name", "class_name", "type", "hint", "hint_string", "usage"}


def test_typed_signal_argument() -> None:
    class Typed(Object):
        scored = signal({"name": "points", "type": 2}, "who")

    info = Typed().get_signal_list()[0]
    assert [(a["name"], a["type"]) for a in info["args"]] == [("points", 2), ("who", 0)]


def test_signal_declared_in_subclass_and_overridden_name() -> None:
    class Child(Emitter):
        extra = signal("x")

    c = Child()
    assert c.has_signal("extra") and c.has_signal("died")
    assert [d["name"] for d in c.get_signal_list()][:3] == ["extra", "health_changed", "died"]


def test_null_signal() -> None:
    assert Signal().is_null()
    assert Signal() == Signal()
    assert not Signal()
    assert Signal().get_object() is None
    assert Signal().get_connections() == []


def test_signal_from_object_id_for_decoders() -> None:
    e = Emitter()
    s = Signal._from_object_id(e.get_instance_id(), "died")
    assert s == e.died
    assert s.get_object() is e
    dangling = Signal._from_object_id(987654321, "gone")
    assert dangling.get_object() is None and not dangling.is_null()
    with pytest.raises(TypeError):
        Signal._from_object_id("1", "x")  # type: ignore[arg-type]


# -- connect / emit, both spellings ------------------------------------------------------------


def test_connect_and_emit_by_name() -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("health_changed", r.on_health) == Error.OK
    assert e.emit_signal("health_changed", 10, 7) == Error.OK
    assert r.calls == [("health", 10, 7)]
    assert e.is_connected("health_changed", r.on_health)


def test_connect_and_emit_through_signal_value() -> None:
    e, r = Emitter(), Receiver()
    assert e.health_changed.connect(r.on_health) == Error.OK
    e.health_changed.emit(3, 4)
    assert r.calls == [("health", 3, 4)]
    assert e.health_changed.is_connected(r.on_health)
    assert e.is_connected("health_changed", Callable(r, "on_health"))
    conns = e.health_changed.get_connections()
    assert conns == [{"signal": e.health_changed, "callable": Callable(r, "on_health"), "flags": 0}]
    e.health_changed.disconnect(r.on_health)
    assert not e.health_changed.is_connected(r.on_health)
    e.health_changed.emit(5, 6)
    assert r.calls == [("health", 3, 4)]


def test_every_kind_of_python_callable_is_accepted() -> None:
    e = Emitter()
    seen: list[str] = []

    def function() -> None:
        seen.append("function")

    class Plain:
        def method(self) -> None:
            seen.append("method")

        def __call__(self) -> None:
            seen.append("callable object")

    plain = Plain()
    r = Receiver()
    targets: list[Any] = [
        function,
        lambda: seen.append("lambda"),
        plain.method,
        plain,
        functools.partial(seen.append, "partial"),
        Callable.from_py(lambda: seen.append("Callable")),
        r.on_died,
    ]
    for target in targets:
        assert e.connect("died", target) == Error.OK
    assert e.emit_signal("died") == Error.OK
    assert seen == ["function", "lambda", "method", "callable object", "partial", "Callable"]
    assert r.calls == [("died",)]


def test_callbacks_run_in_connection_order() -> None:
    e = Emitter()
    order: list[int] = []
    for i in range(10):
        e.connect("died", functools.partial(order.append, i))
    e.emit_signal("died")
    assert order == list(range(10))


def test_wrong_python_types_raise_type_error() -> None:
    e = Emitter()
    with pytest.raises(TypeError):
        e.connect("died", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        e.connect(5, print)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        e.connect("died", print, flags="deferred")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        e.emit_signal(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        e.died.connect("not callable")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        e.disconnect("died", None)  # type: ignore[arg-type]


# -- return codes -----------------------------------------------------------------------------


def test_duplicate_connect_is_invalid_parameter(caplog: pytest.LogCaptureFixture) -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("died", r.on_died) == Error.OK
    assert e.connect("died", r.on_died) == Error.ERR_INVALID_PARAMETER
    assert e.connect("died", Callable(r, "on_died")) == Error.ERR_INVALID_PARAMETER
    assert any("already connected" in m for m in errors(caplog))
    e.emit_signal("died")
    assert r.calls == [("died",)]


def test_duplicate_ignores_binds() -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("died", Callable(r, "on_any").bind(1)) == Error.OK
    assert e.connect("died", Callable(r, "on_any").bind(2)) == Error.ERR_INVALID_PARAMETER
    assert e.is_connected("died", Callable(r, "on_any"))
    assert e.is_connected("died", Callable(r, "on_any").bind(99))


def test_unknown_signal_connect_is_invalid_parameter(caplog: pytest.LogCaptureFixture) -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("exploded", r.on_died) == Error.ERR_INVALID_PARAMETER
    assert any("nonexistent signal 'exploded'" in m for m in errors(caplog))


def test_null_or_invalid_callable_is_invalid_parameter(caplog: pytest.LogCaptureFixture) -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("died", Callable()) == Error.ERR_INVALID_PARAMETER
    assert e.connect("died", Callable(r, "no_such_method")) == Error.ERR_INVALID_PARAMETER
    gone = Receiver()
    target = Callable(gone, "on_died")
    gone.free()
    assert e.connect("died", target) == Error.ERR_INVALID_PARAMETER
    assert len(errors(caplog)) == 3


def test_emit_never_connected_declared_signal_is_unavailable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    e = Emitter()
    assert e.emit_signal("died") == Error.ERR_UNAVAILABLE
    assert errors(caplog) == []


def test_emit_after_last_disconnect_is_unavailable() -> None:
    e, r = Emitter(), Receiver()
    e.connect("died", r.on_died)
    e.disconnect("died", r.on_died)
    assert e.emit_signal("died") == Error.ERR_UNAVAILABLE


def test_emit_unknown_signal_prints_and_is_unavailable(caplog: pytest.LogCaptureFixture) -> None:
    e = Emitter()
    assert e.emit_signal("exploded") == Error.ERR_UNAVAILABLE
    assert errors(caplog) == ['ERROR: Can\'t emit non-existing signal "exploded".']


def test_emit_while_blocked(caplog: pytest.LogCaptureFixture) -> None:
    e, r = Emitter(), Receiver()
    e.connect("died", r.on_died)
    e.set_block_signals(True)
    assert e.is_blocking_signals()
    assert e.emit_signal("died") == Error.ERR_CANT_ACQUIRE_RESOURCE
    assert e.emit_signal("no_such_signal") == Error.ERR_CANT_ACQUIRE_RESOURCE
    e.died.emit()
    assert r.calls == []
    e.set_block_signals(False)
    assert e.emit_signal("died") == Error.OK
    assert r.calls == [("died",)]
    assert errors(caplog) == []


def test_call_error_reports_method_not_found_and_continues(
    caplog: pytest.LogCaptureFixture,
) -> None:
    e, r = Emitter(), Receiver()
    e.connect("health_changed", r.on_died)  # takes no arguments
    e.connect("health_changed", r.on_health)
    assert e.emit_signal("health_changed", 1, 2) == Error.ERR_METHOD_NOT_FOUND
    assert r.calls == [("health", 1, 2)]
    assert any("Error calling from signal 'health_changed'" in m for m in errors(caplog))


def test_exception_inside_callback_propagates() -> None:
    e = Emitter()

    def bad() -> None:
        raise TypeError("inside the callback")

    e.connect("died", bad)
    with pytest.raises(TypeError, match="inside the callback"):
        e.emit_signal("died")


def test_disconnect_errors(caplog: pytest.LogCaptureFixture) -> None:
    e, r = Emitter(), Receiver()
    e.disconnect("died", r.on_died)
    e.disconnect("exploded", r.on_died)
    e.connect("died", r.on_died)
    e.disconnect("died", r.on_health)
    e.disconnect("died", Callable())
    messages = errors(caplog)
    assert len(messages) == 4
    assert "nonexistent connection" in messages[0]
    assert "nonexistent signal 'exploded'" in messages[1]
    assert "nonexistent connection" in messages[2]
    assert "null" in messages[3]
    assert e.is_connected("died", r.on_died)


def test_is_connected_unknown_signal_prints(caplog: pytest.LogCaptureFixture) -> None:
    e, r = Emitter(), Receiver()
    assert not e.is_connected("died", r.on_died)
    assert errors(caplog) == []
    assert not e.is_connected("exploded", r.on_died)
    assert errors(caplog) == ["ERROR: Nonexistent signal: exploded."]


# -- flags ------------------------------------------------------------------------------------


def test_one_shot_disconnects_after_emission() -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("died", r.on_died, CONNECT_ONE_SHOT) == Error.OK
    assert e.emit_signal("died") == Error.OK
    assert not e.is_connected("died", r.on_died)
    assert e.emit_signal("died") == Error.ERR_UNAVAILABLE
    assert r.calls == [("died",)]


def test_one_shot_does_not_recurse() -> None:
    e = Emitter()
    calls: list[int] = []

    def again() -> None:
        calls.append(1)
        e.emit_signal("died")

    e.connect("died", again, CONNECT_ONE_SHOT)
    e.emit_signal("died")
    assert calls == [1]


def test_deferred_connection_runs_on_flush() -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("health_changed", r.on_health, CONNECT_DEFERRED) == Error.OK
    assert e.emit_signal("health_changed", 1, 2) == Error.OK
    assert r.calls == []
    MessageQueue.get_singleton().flush()
    assert r.calls == [("health", 1, 2)]


def test_deferred_one_shot() -> None:
    e, r = Emitter(), Receiver()
    e.connect("died", r.on_died, CONNECT_DEFERRED | CONNECT_ONE_SHOT)
    e.emit_signal("died")
    e.emit_signal("died")
    MessageQueue.get_singleton().flush()
    assert r.calls == [("died",)]


def test_deferred_to_receiver_freed_before_flush() -> None:
    e, r = Emitter(), Receiver()
    calls = r.calls
    e.connect("died", r.on_died, CONNECT_DEFERRED)
    e.emit_signal("died")
    r.free()
    assert MessageQueue.get_singleton().flush() == Error.OK
    assert calls == []


def test_reference_counted_connection() -> None:
    e, r = Emitter(), Receiver()
    assert e.connect("died", r.on_died, CONNECT_REFERENCE_COUNTED) == Error.OK
    assert e.connect("died", r.on_died, CONNECT_REFERENCE_COUNTED) == Error.OK
    assert e.connect("died", r.on_died, CONNECT_REFERENCE_COUNTED) == Error.OK
    e.emit_signal("died")
    assert r.calls == [("died",)]  # one connection, counted three times
    e.disconnect("died", r.on_died)
    e.disconnect("died", r.on_died)
    assert e.is_connected("died", r.on_died)
    e.disconnect("died", r.on_died)
    assert not e.is_connected("died", r.on_died)


def test_reference_counted_on_existing_plain_connection() -> None:
    e, r = Emitter(), Receiver()
    # Godot: a plain connection has count 0; counting it up once gives 1, so one
    # disconnect removes it.
    e.connect("died", r.on_died)
    assert e.connect("died", r.on_died, CONNECT_REFERENCE_COUNTED) == Error.OK
    e.disconnect("died", r.on_died)
    assert not e.is_connected("died", r.on_died)


def test_persist_flag_is_recorded() -> None:
    e, r = Emitter(), Receiver()
    e.connect("died", r.on_died, CONNECT_PERSIST)
    assert e.get_signal_connection_list("died")[0]["flags"] == CONNECT_PERSIST
    e.emit_signal("died")
    assert r.calls == [("died",)]


def test_flags_are_class_constants_too() -> None:
    assert Object.CONNECT_DEFERRED == 1
    assert Object.CONNECT_PERSIST == 2
    assert Object.CONNECT_ONE_SHOT == 4
    assert Object.CONNECT_REFERENCE_COUNTED == 8


# -- re-entrancy ------------------------------------------------------------------------------


def test_connect_during_emission_takes_effect_next_time() -> None:
    e = Emitter()
    calls: list[str] = []

    def late() -> None:
        calls.append("late")

    def first() -> None:
        calls.append("first")
        if not e.is_connected("died", late):
            e.connect("died", late)

    e.connect("died", first)
    e.emit_signal("died")
    assert calls == ["first"]
    e.emit_signal("died")
    assert calls == ["first", "first", "late"]


def test_disconnect_self_and_others_during_emission() -> None:
    e = Emitter()
    calls: list[str] = []

    def a() -> None:
        calls.append("a")
        e.disconnect("died", a)
        e.disconnect("died", b)

    def b() -> None:
        calls.append("b")

    e.connect("died", a)
    e.connect("died", b)
    assert e.emit_signal("died") == Error.OK
    # Godot calls from a snapshot: b still runs this time.
    assert calls == ["a", "b"]
    assert e.emit_signal("died") == Error.ERR_UNAVAILABLE


def test_receiver_freed_during_emission_is_skipped() -> None:
    e = Emitter()
    r = Receiver()
    calls = r.calls

    def killer() -> None:
        r.free()

    e.connect("died", killer)
    e.connect("died", r.on_died)
    assert e.emit_signal("died") == Error.OK
    assert calls == []


def test_emitter_cannot_be_freed_during_its_own_emission(
    caplog: pytest.LogCaptureFixture,
) -> None:
    e = Emitter()
    e.connect("died", e.free)
    e.emit_signal("died")
    assert "ERROR: Object is locked and can't be freed." in errors(caplog)
    assert e.get_instance_id() > 0
    e.free()


# -- weak targets -----------------------------------------------------------------------------


def test_connection_does_not_keep_receiver_alive() -> None:
    e = Emitter()
    r = Receiver()
    calls = r.calls
    e.connect("died", r.on_died)
    e.connect("health_changed", Callable(r, "on_health").bind(1))
    del r
    gc.collect()
    assert e.emit_signal("died") == Error.OK
    assert calls == []
    assert e.get_signal_connection_list("died") == []
    # the dead connection was dropped, so the signal has no record any more
    assert e.emit_signal("died") == Error.ERR_UNAVAILABLE


def test_freed_receiver_stops_receiving() -> None:
    e, r = Emitter(), Receiver()
    calls = r.calls
    e.connect("died", r.on_died)
    r.free()
    assert e.get_signal_connection_list("died") == []
    assert e.emit_signal("died") == Error.ERR_UNAVAILABLE
    assert calls == []


def test_plain_functions_are_held_strongly() -> None:
    e = Emitter()
    calls: list[int] = []
    e.connect("died", lambda: calls.append(1))
    gc.collect()
    e.emit_signal("died")
    assert calls == [1]


def test_bound_method_not_named_on_class_is_still_weak() -> None:
    class Holder(Object):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

    def bump(self: Holder) -> None:
        self.count += 1

    e = Emitter()
    h = Holder()
    method = types.MethodType(bump, h)
    assert e.connect("died", method) == Error.OK
    e.emit_signal("died")
    assert h.count == 1
    wrapped = Callable.from_py(method)
    assert wrapped.is_custom() and wrapped.get_object() is h and wrapped.get_method() == "bump"
    assert e.is_connected("died", method)
    del h, method, wrapped
    gc.collect()
    assert e.emit_signal("died") == Error.OK
    assert e.get_signal_connection_list("died") == []


# -- user signals -----------------------------------------------------------------------------


def test_user_signal(caplog: pytest.LogCaptureFixture) -> None:
    o = Object()
    r = Receiver()
    assert not o.has_signal("pinged")
    o.add_user_signal("pinged", [{"name": "count", "type": 2}])
    assert o.has_signal("pinged") and o.has_user_signal("pinged")
    assert o.emit_signal("pinged", 1) == Error.OK  # user signals keep their record
    assert o.connect("pinged", r.on_any) == Error.OK
    o.emit_signal("pinged", 5)
    o.disconnect("pinged", r.on_any)
    assert o.emit_signal("pinged", 6) == Error.OK
    assert r.calls == [(5,)]
    info = o.get_signal_list()[-1]
    assert info["name"] == "pinged" and info["args"][0]["type"] == 2
    o.add_user_signal("pinged")
    o.add_user_signal("property_list_changed")
    o.add_user_signal("")
    assert len(errors(caplog)) == 3
    assert not Object().has_signal("pinged")


def test_signal_connection_list_and_incoming() -> None:
    e, r = Emitter(), Receiver()
    e.connect("died", r.on_died, CONNECT_DEFERRED)
    e.connect("health_changed", r.on_health)
    incoming = r.get_incoming_connections()
    assert {c["signal"].get_name() for c in incoming} == {"died", "health_changed"}
    assert all(c["signal"].get_object() is e for c in incoming)
    listed = e.get_signal_connection_list("died")
    assert listed == [{"signal": e.died, "callable": Callable(r, "on_died"), "flags": 1}]
    assert e.get_signal_connection_list("exploded") == []


def test_error_messages_go_to_the_godot_logger(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="godot"):
        Emitter().connect("nope", print)
    assert caplog.records[0].name == "godot"


def test_signal_forwarded_to_another_signal_emit() -> None:
    a, b, r = Emitter(), Emitter(), Receiver()
    b.connect("health_changed", r.on_health)
    assert a.connect("health_changed", b.health_changed.emit) == Error.OK
    assert a.connect("health_changed", b.health_changed.emit) == Error.ERR_INVALID_PARAMETER
    a.health_changed.emit(1, 2)
    assert r.calls == [("health", 1, 2)]
    assert a.is_connected("health_changed", b.health_changed.emit)
    a.disconnect("health_changed", b.health_changed.emit)
    assert not a.is_connected("health_changed", b.health_changed.emit)
