"""Godot's ``Signal`` value and the ``signal(...)`` declaration used in class bodies.

Declaring a signal is one line in the class body, like GDScript's ``signal``::

    class Player(Node):
        health_changed = signal("old_value", "new_value")

The declaration is a descriptor: ``player.health_changed`` returns a bound ``Signal`` value
(an object id plus a name, Godot's ``Signal`` Variant), so both GDScript spellings work:
``player.health_changed.connect(cb)`` / ``.emit(a, b)`` and
``player.connect("health_changed", cb)`` / ``player.emit_signal("health_changed", a, b)``.
Connections live on the Object (object.py); a ``Signal`` value only forwards to it, never keeps
the object alive, and compares equal to another with the same object and name.

Godot: core/variant/callable.h (``Signal``), core/object/object.cpp (``connect``/``emit``),
doc/classes/Signal.xml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from engine.core import object_db
from engine.core.error import Error
from engine.core.messages import push_error

if TYPE_CHECKING:
    from engine.core.callable import Callable, PyCallable
    from engine.core.object import Object

_PROPERTY_USAGE_DEFAULT = 6


def _property_info(
    name: str,
    type: int = 0,
    hint: int = 0,
    hint_string: str = "",
    usage: int = _PROPERTY_USAGE_DEFAULT,
    class_name: str = "",
) -> dict[str, Any]:
    """A Godot ``PropertyInfo`` as the dictionary scripts see."""
    return {
        "name": name,
        "class_name": class_name,
        "type": type,
        "hint": hint,
        "hint_string": hint_string,
        "usage": usage,
    }


def _argument_info(argument: object) -> dict[str, Any]:
    """Normalise a signal argument given as a name or as a ``{"name", "type"}`` dictionary."""
    if isinstance(argument, str):
        return _property_info(argument)
    if isinstance(argument, dict):
        name = argument.get("name", "")
        kind = argument.get("type", 0)
        if not isinstance(name, str) or type(kind) is not int:
            raise TypeError("a signal argument dictionary needs a str 'name' and an int 'type'")
        info = _property_info(name, kind)
        for field in ("class_name", "hint", "hint_string", "usage"):
            if field in argument:
                info[field] = argument[field]
        return info
    raise TypeError(f"a signal argument is a name or a dictionary, not {type(argument).__name__}")


def _method_info(name: str, arguments: list[dict[str, Any]]) -> dict[str, Any]:
    """A Godot ``MethodInfo`` dictionary, as ``get_signal_list()`` returns it."""
    return {
        "name": name,
        "args": [dict(a) for a in arguments],
        "default_args": [],
        "flags": 1,  # METHOD_FLAG_NORMAL
        "id": 0,
        "return": _property_info(""),
    }


class _SignalDeclaration:
    """Class-body declaration of a signal; reading it from an instance gives a ``Signal``."""

    __slots__ = ("arguments", "name")

    def __init__(self, arguments: list[dict[str, Any]]) -> None:
        self.arguments = arguments
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> _SignalDeclaration: ...
    @overload
    def __get__(self, instance: object, owner: type) -> Signal: ...
    def __get__(self, instance: object | None, owner: type) -> _SignalDeclaration | Signal:
        if instance is None:
            return self
        return Signal._from_object_id(object.__getattribute__(instance, "_instance_id"), self.name)

    def __set__(self, instance: object, value: object) -> None:
        raise AttributeError(f"signal {self.name!r} can't be assigned")

    def get_method_info(self) -> dict[str, Any]:
        return _method_info(self.name, self.arguments)

    def __repr__(self) -> str:
        names = ", ".join(a["name"] for a in self.arguments)
        return f"signal {self.name}({names})"


def signal(*arguments: str | dict[str, Any]) -> _SignalDeclaration:
    """Declare a signal in a class body: ``hit = signal("damage", "source")``.

    The arguments name the signal's parameters (as ``get_signal_list()`` reports them); a
    ``{"name": ..., "type": Variant type}`` dictionary gives a typed parameter. Reading the
    attribute from an instance returns a ``Signal`` bound to that instance.
    """
    return _SignalDeclaration([_argument_info(a) for a in arguments])


class Signal:
    """A signal of a specific object, held as a value (object id + signal name).

    ``Signal()`` is null; ``Signal(obj, "name")`` or ``obj.name`` gives a bound one. Methods
    forward to the object; a Signal whose object was freed does nothing.

    Godot: doc/classes/Signal.xml.
    """

    __slots__ = ("_name", "_object_id")

    def __init__(self, object: Object | None = None, signal: str = "") -> None:
        if not isinstance(signal, str):
            raise TypeError(f"signal name must be a str, got {type(signal).__name__}")
        if object is None:
            self._object_id = 0
        else:
            instance_id = getattr(object, "_instance_id", None)
            if type(instance_id) is not int:
                raise TypeError(f"expected an Object, got {type(object).__name__}")
            self._object_id = instance_id
        self._name = signal

    @classmethod
    def _from_object_id(cls, object_id: int, name: str) -> Signal:
        """Build a Signal from an instance id and a name (used by decoders); never fails."""
        if type(object_id) is not int or not isinstance(name, str):
            raise TypeError("object_id must be an int and name a str")
        result = cls.__new__(cls)
        result._object_id = object_id
        result._name = name
        return result

    def connect(self, callable: Callable | PyCallable, flags: int = 0) -> Error:
        """Connect ``callable`` to this signal; see ``Object.connect``."""
        obj = self.get_object()
        if obj is None:
            from engine.core.callable import Callable  # import cycle

            Callable.from_py(callable)  # TypeError for non-callables, like Object.connect
            push_error(f"Can't connect to signal '{self._name}': the object is null or freed.")
            return Error.ERR_INVALID_PARAMETER
        return obj.connect(self._name, callable, flags)

    def disconnect(self, callable: Callable | PyCallable) -> None:
        """Disconnect ``callable`` from this signal; see ``Object.disconnect``."""
        obj = self.get_object()
        if obj is None:
            push_error(f"Can't disconnect from signal '{self._name}': the object is null or freed.")
            return
        obj.disconnect(self._name, callable)

    def is_connected(self, callable: Callable | PyCallable) -> bool:
        """True if ``callable`` is connected to this signal."""
        obj = self.get_object()
        if obj is None:
            push_error(f"Can't check signal '{self._name}': the object is null or freed.")
            return False
        return obj.is_connected(self._name, callable)

    def emit(self, *args: Any) -> None:
        """Emit the signal with ``args`` (nothing happens if the object is gone)."""
        obj = object_db.get_instance(self._object_id)
        if obj is not None:
            obj.emit_signal(self._name, *args)

    def get_connections(self) -> list[dict[str, Any]]:
        """Connections as ``{"signal", "callable", "flags"}`` dictionaries."""
        obj = self.get_object()
        return [] if obj is None else obj.get_signal_connection_list(self._name)

    def get_name(self) -> str:
        return self._name

    def get_object(self) -> Object | None:
        """The object emitting this signal, or None if null or freed."""
        return object_db.get_instance(self._object_id)

    def get_object_id(self) -> int:
        return self._object_id

    def is_null(self) -> bool:
        return self._object_id == 0 and not self._name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signal):
            return NotImplemented
        return self._object_id == other._object_id and self._name == other._name

    def __hash__(self) -> int:
        return hash((self._object_id, self._name))

    def __str__(self) -> str:
        obj = self.get_object()
        return f"{obj.get_class() if obj is not None else 'null'}::[signal]{self._name}"

    def __repr__(self) -> str:
        return f"Signal({self})"

    def __bool__(self) -> bool:
        return not self.is_null()
