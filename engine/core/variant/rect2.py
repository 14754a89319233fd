"""Godot's ``Rect2``: an immutable axis-aligned rectangle (position + size) of reals."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import FrozenValue, real
from engine.core.variant.vector2 import Vector2

_set = object.__setattr__


class Rect2(FrozenValue):
    """``Rect2()``, ``Rect2(position, size)``, ``Rect2(x, y, width, height)``, ``Rect2(Rect2i)``."""

    __slots__ = ("position", "size")
    position: Vector2
    size: Vector2

    def __init__(self, *args: Any) -> None:
        if not args:
            position, size = Vector2.ZERO, Vector2.ZERO
        elif len(args) == 1:
            from engine.core.variant.rect2i import Rect2i

            if not isinstance(args[0], (Rect2, Rect2i)):
                raise TypeError(f"cannot build a Rect2 from {type(args[0]).__name__}")
            position, size = Vector2(args[0].position), Vector2(args[0].size)
        elif len(args) == 2:
            if not (isinstance(args[0], Vector2) and isinstance(args[1], Vector2)):
                raise TypeError("Rect2(position, size) takes two Vector2")
            position, size = args
        elif len(args) == 4:
            position = Vector2._make(real(args[0]), real(args[1]))
            size = Vector2._make(real(args[2]), real(args[3]))
        else:
            raise TypeError("Rect2() takes 0, 1, 2 or 4 arguments")
        _set(self, "position", position)
        _set(self, "size", size)

    @classmethod
    def _make(cls, x: float, y: float, w: float, h: float) -> Rect2:
        r = object.__new__(cls)
        _set(r, "position", Vector2._make(x, y))
        _set(r, "size", Vector2._make(w, h))
        return r

    def _args(self) -> tuple[Any, ...]:
        return (self.position.x, self.position.y, self.size.x, self.size.y)

    @property
    def end(self) -> Vector2:
        return self.position + self.size

    def __eq__(self, other: object) -> bool:
        if type(other) is Rect2:
            return self.position == other.position and self.size == other.size
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Rect2, self.position, self.size))

    def __str__(self) -> str:
        return f"[P: {self.position}, S: {self.size}]"

    def get_area(self) -> float:
        return self.size.x * self.size.y

    def get_center(self) -> Vector2:
        return self.position + self.size * 0.5

    def has_area(self) -> bool:
        return self.size.x > 0.0 and self.size.y > 0.0

    def has_point(self, point: Vector2) -> bool:
        p, s = self.position, self.size
        return p.x <= point.x < p.x + s.x and p.y <= point.y < p.y + s.y

    def intersects(self, b: Rect2, include_borders: bool = False) -> bool:
        a_end, b_end = self.end, b.end
        if include_borders:
            return not (
                self.position.x > b_end.x
                or a_end.x < b.position.x
                or self.position.y > b_end.y
                or a_end.y < b.position.y
            )
        return not (
            self.position.x >= b_end.x
            or a_end.x <= b.position.x
            or self.position.y >= b_end.y
            or a_end.y <= b.position.y
        )

    def grow(self, amount: float) -> Rect2:
        return Rect2._make(
            self.position.x - amount,
            self.position.y - amount,
            self.size.x + amount * 2,
            self.size.y + amount * 2,
        )

    def abs(self) -> Rect2:
        p, s = self.position, self.size
        return Rect2._make(p.x + min(s.x, 0.0), p.y + min(s.y, 0.0), abs(s.x), abs(s.y))

    def is_equal_approx(self, rect: Rect2) -> bool:
        return self.position.is_equal_approx(rect.position) and self.size.is_equal_approx(rect.size)
