"""``ClassDB``: every Object class by name, for ``instantiate()`` and class queries.

Each Object subclass registers itself when its class statement runs (``Object``'s
``__init_subclass__``). Engine classes (defined in a module under ``engine.`` or ``netpeer.``)
are Godot's *native* classes; every other subclass is a user ("script") class. Lookups by
name prefer the native class, so a user class that happens to be called ``Node`` never
hides the engine's; among user classes with the same name the latest definition wins.

A class is not instantiable when it is abstract (``inspect.isabstract``, or
``_godot_abstract = True`` in its own class body, like Godot's ``GDREGISTER_ABSTRACT_CLASS``)
or when its ``__init__`` needs arguments.

Godot: core/object/class_db.h, core/object/class_db.cpp, doc/classes/ClassDB.xml.
"""

from __future__ import annotations

import inspect
import weakref
from typing import TYPE_CHECKING, Any

from engine.core.messages import push_error, push_warning

if TYPE_CHECKING:
    from engine.core.object import Object

_native: dict[str, type[Object]] = {}
# User classes may be created dynamically (tests, factories): never keep them alive.
_user: weakref.WeakValueDictionary[str, type[Object]] = weakref.WeakValueDictionary()
_instantiable: weakref.WeakKeyDictionary[type[Object], bool] = weakref.WeakKeyDictionary()


def _is_native_module(module: str) -> bool:
    return module.split(".", 1)[0] in ("engine", "netpeer")


class ClassDB:
    """Registry of Object classes by name (Godot's ``ClassDB`` singleton, static here)."""

    @staticmethod
    def _register(cls: type[Object]) -> None:
        """Record ``cls`` under its ``__name__`` (called from ``Object.__init_subclass__``)."""
        native = _is_native_module(cls.__module__)
        if native:
            previous = _native.get(cls.__name__)
            if previous is not None and previous.__module__ != cls.__module__:
                push_warning(
                    f"ClassDB: engine class '{cls.__name__}' of {cls.__module__} replaces the "
                    f"one of {previous.__module__}."
                )
            _native[cls.__name__] = cls
        else:
            _user[cls.__name__] = cls
        _instantiable.pop(cls, None)

    @staticmethod
    def _get_class(name: str) -> type[Object] | None:
        """The Python class registered under ``name`` (native first), or None."""
        if not isinstance(name, str):
            raise TypeError(f"class name must be a str, got {type(name).__name__}")
        return _native.get(name) or _user.get(name)

    @staticmethod
    def _is_native(name: str) -> bool:
        """True if ``name`` is an engine class (not a user class)."""
        return name in _native

    @staticmethod
    def class_exists(name: str) -> bool:
        """True if a class with this name is registered."""
        return ClassDB._get_class(name) is not None

    @staticmethod
    def get_class_list() -> list[str]:
        """Names of all registered classes, sorted."""
        return sorted(set(_native) | set(_user))

    @staticmethod
    def get_parent_class(name: str) -> str:
        """Name of the direct parent class (the nearest Object ancestor); "" for Object."""
        cls = ClassDB._get_class(name)
        if cls is None:
            return ""
        for base in cls.__mro__[1:]:
            if ClassDB._get_class(base.__name__) is base:
                return base.__name__
        return ""

    @staticmethod
    def is_parent_class(name: str, inherits: str) -> bool:
        """True if class ``name`` is ``inherits`` or derives from it."""
        cls = ClassDB._get_class(name)
        parent = ClassDB._get_class(inherits)
        return cls is not None and parent is not None and issubclass(cls, parent)

    @staticmethod
    def get_inheriters_from_class(name: str) -> list[str]:
        """Names of all registered classes that derive from ``name`` (not ``name`` itself)."""
        parent = ClassDB._get_class(name)
        if parent is None:
            return []
        return sorted(
            n
            for n in ClassDB.get_class_list()
            if (c := ClassDB._get_class(n)) is not None
            and c is not parent
            and issubclass(c, parent)
        )

    @staticmethod
    def can_instantiate(name: str) -> bool:
        """True if ``instantiate(name)`` can create an object."""
        cls = ClassDB._get_class(name)
        return cls is not None and _can_instantiate(cls)

    @staticmethod
    def instantiate(name: str) -> Object | None:
        """Create an object of class ``name``; prints an error and returns None if impossible."""
        cls = ClassDB._get_class(name)
        if cls is None:
            push_error(f"Cannot get class '{name}'.")
            return None
        if not _can_instantiate(cls):
            push_error(f"Class '{name}' or its base class cannot be instantiated.")
            return None
        return cls()

    @staticmethod
    def class_has_signal(name: str, signal: str) -> bool:
        """True if the class declares ``signal`` (itself or an ancestor)."""
        cls = ClassDB._get_class(name)
        return cls is not None and signal in cls._godot_signals

    @staticmethod
    def class_get_signal_list(name: str) -> list[dict[str, Any]]:
        """Signals of the class as ``MethodInfo`` dictionaries (derived classes first)."""
        cls = ClassDB._get_class(name)
        return [] if cls is None else [d.get_method_info() for d in cls._godot_signal_order]

    @staticmethod
    def class_has_method(name: str, method: str, no_inheritance: bool = False) -> bool:
        """True if the class has a method called ``method``."""
        cls = ClassDB._get_class(name)
        if cls is None:
            return False
        if no_inheritance:
            return callable(cls.__dict__.get(method))
        return cls._class_has_method(method)


def _can_instantiate(cls: type[Object]) -> bool:
    known = _instantiable.get(cls)
    if known is not None:
        return known
    result = not (cls.__dict__.get("_godot_abstract", False) or inspect.isabstract(cls))
    if result:
        try:
            parameters = list(inspect.signature(cls).parameters.values())
        except (TypeError, ValueError):
            parameters = []
        result = all(
            p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            for p in parameters
        )
    _instantiable[cls] = result
    return result
