"""Godot's ``Rect2i``: an immutable axis-aligned rectangle of int32 components."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import FrozenValue, int32
from engine.core.variant.rect2 import Rect2
from engine.core.variant.vector2i import Vector2i

_set = object.__setattr__


class Rect2i(FrozenValue):
    """``Rect2i()``, ``Rect2i(position, size)``, ``Rect2i(x, y, w, h)``, ``Rect2i(Rect2)``."""

    __slots__ = ("position", "size")
    position: Vector2i
    size: Vector2i

    def __init__(self, *args: Any) -> None:
        if not args:
            position, size = Vector2i.ZERO, Vector2i.ZERO
        elif len(args) == 1:
            if not isinstance(args[0], (Rect2, Rect2i)):
                raise TypeError(f"cannot build a Rect2i from {type(args[0]).__name__}")
            position, size = Vector2i(args[0].position), Vector2i(args[0].size)
        elif len(args) == 2:
            if not (isinstance(args[0], Vector2i) and isinstance(args[1], Vector2i)):
                raise TypeError("Rect2i(position, size) takes two Vector2i")
            position, size = args
        elif len(args) == 4:
            position = Vector2i._make(int32(args[0]), int32(args[1]))
            size = Vector2i._make(int32(args[2]), int32(args[3]))
        else:
            raise TypeError("Rect2i() takes 0, 1, 2 or 4 arguments")
        _set(self, "position", position)
        _set(self, "size", size)

    @classmethod
    def _make(cls, x: int, y: int, w: int, h: int) -> Rect2i:
        r = object.__new__(cls)
        _set(r, "position", Vector2i._make(x, y))
        _set(r, "size", Vector2i._make(w, h))
        return r

    def _args(self) -> tuple[Any, ...]:
        return (self.position.x, self.position.y, self.size.x, self.size.y)

    @property
    def end(self) -> Vector2i:
        return self.position + self.size

    def __eq__(self, other: object) -> bool:
        if type(other) is Rect2i:
            return self.position == other.position and self.size == other.size
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Rect2i, self.position, self.size))

    def __str__(self) -> str:
        return f"[P: {self.position}, S: {self.size}]"

    def get_area(self) -> int:
        return self.size.x * self.size.y

    def has_point(self, point: Vector2i) -> bool:
        p, s = self.position, self.size
        return p.x <= point.x < p.x + s.x and p.y <= point.y < p.y + s.y
