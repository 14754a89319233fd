"""Godot properties declared once from their ``set_x``/``get_x`` pair.

Godot binds a property to a setter and a getter (``ADD_PROPERTY``); scripts can use either
``peer.set_inbound_buffer_size(n)`` or ``peer.inbound_buffer_size = n``. ``GodotProperty``
gives Python the same two spellings: it looks the accessor methods up by name on every
access, so a subclass that overrides ``set_x`` changes the property too. Every declared
property is recorded per class for ``Object.get_property_list()`` and ``Object.get/set``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, NoReturn, TypeVar, overload

_T = TypeVar("_T")
_S = TypeVar("_S")

_NO_DEFAULT: Any = object()


class GodotProperty(Generic[_T, _S]):
    """A data descriptor that forwards to a getter and an optional setter method.

    ``_T`` is what the getter returns, ``_S`` what the setter accepts: they differ where
    Godot converts on assignment (``peer.supported_protocols = ["chat"]`` stores a
    ``PackedStringArray``).
    """

    @overload
    def __init__(
        self: GodotProperty[_T, NoReturn],
        getter: Callable[[Any], _T],
        setter: None = None,
        default: _T = _NO_DEFAULT,
    ) -> None: ...
    @overload
    def __init__(
        self,
        getter: Callable[[Any], _T],
        setter: Callable[[Any, _S], object],
        default: _T = _NO_DEFAULT,
    ) -> None: ...
    def __init__(
        self,
        getter: Callable[[Any], _T],
        setter: Callable[[Any, _S], object] | None = None,
        default: _T = _NO_DEFAULT,
    ) -> None:
        self.getter_name = getter.__name__
        self.setter_name = setter.__name__ if setter is not None else None
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        registry: dict[str, GodotProperty[Any, Any]] = dict(getattr(owner, "_godot_properties", {}))
        registry[name] = self
        owner._godot_properties = registry  # type: ignore[attr-defined]

    @overload
    def __get__(self, instance: None, owner: type) -> GodotProperty[_T, _S]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> _T: ...
    def __get__(self, instance: object | None, owner: type) -> GodotProperty[_T, _S] | _T:
        if instance is None:
            return self
        result: _T = getattr(instance, self.getter_name)()
        return result

    def __set__(self, instance: object, value: _S) -> None:
        if self.setter_name is None:
            raise AttributeError(f"property {self.name!r} is read-only")
        getattr(instance, self.setter_name)(value)


def godot_properties(cls: type) -> dict[str, GodotProperty[Any, Any]]:
    """Return the properties declared on ``cls`` and its ancestors, by name."""
    registry: dict[str, GodotProperty[Any, Any]] = getattr(cls, "_godot_properties", {})
    return dict(registry)
