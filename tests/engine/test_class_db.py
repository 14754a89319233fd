"""ClassDB: registration by name, parents, instantiate."""

from __future__ import annotations

import abc

import pytest

from engine.core.class_db import ClassDB
from engine.core.object import Object
from engine.core.ref_counted import RefCounted
from engine.core.signal import signal


class DBWidget(RefCounted):
    clicked = signal("button")

    def press(self) -> None:
        pass


class DBSpecialWidget(DBWidget):
    pass


class DBNeedsArgs(Object):
    def __init__(self, required: int) -> None:
        super().__init__()
        self.required = required


class DBAbstract(Object):
    _godot_abstract = True


class DBAbstractABC(Object, abc.ABC):
    @abc.abstractmethod
    def run(self) -> None: ...


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "godot" and r.levelno >= 40]


def test_classes_register_by_name() -> None:
    assert ClassDB.class_exists("Object")
    assert ClassDB.class_exists("RefCounted")
    assert ClassDB.class_exists("DBWidget")
    assert not ClassDB.class_exists("NoSuchClass")
    assert {"Object", "RefCounted", "DBWidget"} <= set(ClassDB.get_class_list())


def test_parent_classes() -> None:
    assert ClassDB.get_parent_class("Object") == ""
    assert ClassDB.get_parent_class("RefCounted") == "Object"
    assert ClassDB.get_parent_class("DBSpecialWidget") == "DBWidget"
    assert ClassDB.get_parent_class("Nope") == ""
    assert ClassDB.is_parent_class("DBSpecialWidget", "RefCounted")
    assert ClassDB.is_parent_class("DBWidget", "DBWidget")
    assert not ClassDB.is_parent_class("RefCounted", "DBWidget")
    assert not ClassDB.is_parent_class("Nope", "Object")
    assert "DBSpecialWidget" in ClassDB.get_inheriters_from_class("DBWidget")
    assert "DBWidget" not in ClassDB.get_inheriters_from_class("DBWidget")


def test_instantiate() -> None:
    o = ClassDB.instantiate("DBSpecialWidget")
    assert isinstance(o, DBSpecialWidget)
    r = ClassDB.instantiate("RefCounted")
    assert type(r) is RefCounted
    assert r is not None and r.get_reference_count() == 1
    assert type(ClassDB.instantiate("Object")) is Object


def test_instantiate_failures(caplog: pytest.LogCaptureFixture) -> None:
    assert ClassDB.instantiate("NoSuchClass") is None
    assert errors(caplog)[-1] == "ERROR: Cannot get class 'NoSuchClass'."
    for name in ("DBNeedsArgs", "DBAbstract", "DBAbstractABC"):
        assert not ClassDB.can_instantiate(name)
        assert ClassDB.instantiate(name) is None
        assert "cannot be instantiated" in errors(caplog)[-1]
    assert ClassDB.can_instantiate("DBWidget")
    assert not ClassDB.can_instantiate("NoSuchClass")


def test_native_class_is_not_shadowed_by_user_class() -> None:
    class RefCounted(Object):  # a user class with an engine class's name
        pass

    assert ClassDB._get_class("RefCounted") is not RefCounted
    assert ClassDB._is_native("RefCounted")
    assert not ClassDB._is_native("DBWidget")


def test_signal_and_method_queries() -> None:
    assert ClassDB.class_has_signal("DBSpecialWidget", "clicked")
    assert ClassDB.class_has_signal("DBWidget", "property_list_changed")
    assert not ClassDB.class_has_signal("Object", "clicked")
    assert ClassDB.class_get_signal_list("DBWidget")[0]["name"] == "clicked"
    assert ClassDB.class_has_method("DBSpecialWidget", "press")
    assert not ClassDB.class_has_method("DBSpecialWidget", "press", no_inheritance=True)
    assert ClassDB.class_has_method("DBWidget", "press", no_inheritance=True)
    assert not ClassDB.class_has_method("Nope", "press")
    with pytest.raises(TypeError):
        ClassDB.class_exists(5)  # type: ignore[arg-type]


def test_dynamic_user_classes_are_not_kept_alive() -> None:
    import gc
    import weakref

    def make() -> type[Object]:
        return type("DBTemporary", (Object,), {})

    cls = make()
    assert ClassDB.class_exists("DBTemporary")
    assert ClassDB.can_instantiate("DBTemporary")
    ref = weakref.ref(cls)
    del cls
    gc.collect()
    assert ref() is None
    assert not ClassDB.class_exists("DBTemporary")
