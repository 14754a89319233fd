"""Callable: null/standard/custom forms, calling, bind/unbind, equality, weak targets."""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from engine.core.callable import Callable
from engine.core.message_queue import MessageQueue
from engine.core.object import Object


@pytest.fixture(autouse=True)
def clean_queue() -> Iterator[None]:
    MessageQueue.get_singleton()._clear()
    yield
    MessageQueue.get_singleton()._clear()


class Target(Object):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []

    def record(self, *args: Any) -> str:
        self.calls.append(args)
        return "done"

    def pair(self, a: Any, b: Any) -> tuple[Any, Any]:
        return (a, b)


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "godot" and r.levelno >= 40]


def test_null_callable() -> None:
    c = Callable()
    assert c.is_null() and c.is_standard() and not c.is_custom() and not c.is_valid()
    assert c == Callable()
    assert hash(c) == hash(Callable())
    assert not c
    assert c.get_object() is None and c.get_object_id() == 0 and c.get_method() == ""


def test_null_callable_call_prints(caplog: pytest.LogCaptureFixture) -> None:
    assert Callable().call() is None
    assert len(errors(caplog)) == 1


def test_standard_callable() -> None:
    t = Target()
    c = Callable(t, "record")
    assert c.is_standard() and not c.is_custom() and not c.is_null() and c.is_valid()
    assert c.get_object() is t
    assert c.get_object_id() == t.get_instance_id()
    assert c.get_method() == "record"
    assert c.call(1, 2) == "done"
    assert c(3) == "done"
    assert c.callv([4, 5]) == "done"
    assert t.calls == [(1, 2), (3,), (4, 5)]
    assert str(c) == "Object::record"
    assert repr(c) == "Callable(Object::record)"


def test_standard_callable_to_missing_method() -> None:
    t = Target()
    c = Callable(t, "nope")
    assert not c.is_valid()
    with pytest.raises(AttributeError):
        c.call()


def test_constructor_type_errors() -> None:
    with pytest.raises(TypeError):
        Callable(5, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Callable(Target(), 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Callable.from_py(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Callable(Target(), "record").callv(1)  # type: ignore[arg-type]


def test_value_equality() -> None:
    t = Target()
    assert Callable(t, "record") == Callable(t, "record")
    assert Callable(t, "record") != Callable(t, "pair")
    assert Callable(t, "record") != Callable(Target(), "record")
    assert len({Callable(t, "record"), Callable(t, "record")}) == 1
    assert Callable(t, "record") == Callable.from_py(t.record)
    assert Callable(t, "record") != "record"


def test_from_py_wraps_python_callables() -> None:
    def f(x: int) -> int:
        return x * 2

    c = Callable.from_py(f)
    assert c.is_custom() and c.is_valid() and not c.is_null()
    assert c.call(4) == 8
    assert c == Callable.from_py(f)
    assert c.get_method() == "f"
    assert c.get_object() is None
    assert Callable.from_py(c) is c
    p = functools.partial(f, 5)
    assert Callable.from_py(p).call() == 10

    class Plain:
        def m(self) -> int:
            return 1

    plain = Plain()
    assert Callable.from_py(plain.m) == Callable.from_py(plain.m)
    assert Callable.from_py(plain.m) != Callable.from_py(Plain().m)


def test_standard_callable_does_not_keep_object_alive(caplog: pytest.LogCaptureFixture) -> None:
    t = Target()
    c = Callable(t, "record")
    del t
    gc.collect()
    assert c.get_object() is None
    assert not c.is_valid()
    assert c.call() is None
    assert len(errors(caplog)) == 1


def test_callable_of_freed_object_is_invalid() -> None:
    t = Target()
    c = Callable(t, "record")
    t.free()
    assert not c.is_valid()
    assert c.get_object() is None


def test_bind_appends_arguments() -> None:
    t = Target()
    c = Callable(t, "record").bind("x", "y")
    assert c.is_custom() and c.is_valid()
    assert c.get_object() is t and c.get_method() == "record"
    c.call(1)
    assert t.calls == [(1, "x", "y")]
    assert c.get_bound_arguments() == ["x", "y"]
    assert c.get_bound_arguments_count() == 2


def test_chained_binds_apply_right_to_left() -> None:
    t = Target()
    c = Callable(t, "record").bind(1).bind(2)
    c.call(0)
    assert t.calls == [(0, 2, 1)]
    assert c.get_bound_arguments() == [2, 1]


def test_bindv_and_empty_bind() -> None:
    t = Target()
    base = Callable(t, "pair")
    assert base.bindv([]) == base
    assert base.bindv([7]).call(6) == (6, 7)
    with pytest.raises(TypeError):
        base.bindv(7)  # type: ignore[arg-type]


def test_unbind_drops_last_arguments(caplog: pytest.LogCaptureFixture) -> None:
    t = Target()
    c = Callable(t, "pair").unbind(2)
    assert c.call(1, 2, 3, 4) == (1, 2)
    assert c.get_bound_arguments_count() == -2
    assert Callable(t, "pair").unbind(0) == Callable(t, "pair")
    assert "unbind" in errors(caplog)[0]
    with pytest.raises(TypeError):
        Callable(t, "pair").unbind("1")  # type: ignore[arg-type]


def test_bind_equality() -> None:
    t = Target()
    a = Callable(t, "record").bind(1)
    assert a == Callable(t, "record").bind(1)
    assert a != Callable(t, "record").bind(2)
    assert a != Callable(t, "record")
    assert hash(a) == hash(Callable(t, "record").bind(1))
    assert a._base_comparator() == Callable(t, "record")


def test_call_deferred() -> None:
    t = Target()
    Callable(t, "record").call_deferred(1)
    Callable.from_py(lambda: t.record("lambda")).call_deferred()
    assert t.calls == []
    MessageQueue.get_singleton().flush()
    assert t.calls == [(1,), ("lambda",)]


def test_wrong_argument_count_raises_on_direct_call() -> None:
    t = Target()
    with pytest.raises(TypeError):
        Callable(t, "pair").call(1)
