"""Godot's ``Vector2i``: an immutable 2D vector of int32 components."""

from __future__ import annotations

import math
from typing import Any

from engine.core.variant._common import FrozenValue, int32, wrap_int32
from engine.core.variant.vector2 import Vector2

_set = object.__setattr__


def _tdiv(a: int, b: int) -> int:
    """C integer division (truncates toward zero); ZeroDivisionError like Godot's error."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _tmod(a: int, b: int) -> int:
    return a - b * _tdiv(a, b)


class Vector2i(FrozenValue):
    """``Vector2i()``, ``Vector2i(x, y)``, ``Vector2i(Vector2 or Vector2i)`` (floats truncate)."""

    __slots__ = ("x", "y")
    x: int
    y: int

    ZERO: Vector2i
    ONE: Vector2i
    LEFT: Vector2i
    RIGHT: Vector2i
    UP: Vector2i
    DOWN: Vector2i

    AXIS_X = 0
    AXIS_Y = 1

    def __init__(self, x: int | Vector2 | Vector2i = 0, y: int | None = None) -> None:
        if y is None:
            if isinstance(x, (Vector2, Vector2i)):
                _set(self, "x", int32(x.x))
                _set(self, "y", int32(x.y))
                return
            if isinstance(x, (int, float)) and x == 0:
                _set(self, "x", 0)
                _set(self, "y", 0)
                return
            raise TypeError("Vector2i() takes 0 or 2 integers, or one vector")
        _set(self, "x", int32(x))
        _set(self, "y", int32(y))

    @classmethod
    def _make(cls, x: int, y: int) -> Vector2i:
        v = object.__new__(cls)
        _set(v, "x", x)
        _set(v, "y", y)
        return v

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y)

    def __eq__(self, other: object) -> bool:
        if type(other) is Vector2i:
            return self.x == other.x and self.y == other.y
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Vector2i, self.x, self.y))

    def __str__(self) -> str:
        return f"({self.x}, {self.y})"

    def __iter__(self) -> Any:
        return iter((self.x, self.y))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> int:
        return (self.x, self.y)[index]

    def __bool__(self) -> bool:
        return self.x != 0 or self.y != 0

    def __add__(self, other: Vector2i) -> Vector2i:
        if type(other) is not Vector2i:
            return NotImplemented
        return Vector2i._make(wrap_int32(self.x + other.x), wrap_int32(self.y + other.y))

    def __sub__(self, other: Vector2i) -> Vector2i:
        if type(other) is not Vector2i:
            return NotImplemented
        return Vector2i._make(wrap_int32(self.x - other.x), wrap_int32(self.y - other.y))

    def __mul__(self, other: Vector2i | int) -> Vector2i:
        if type(other) is Vector2i:
            return Vector2i._make(wrap_int32(self.x * other.x), wrap_int32(self.y * other.y))
        if isinstance(other, int):
            return Vector2i._make(wrap_int32(self.x * other), wrap_int32(self.y * other))
        return NotImplemented

    def __rmul__(self, other: int) -> Vector2i:
        return self.__mul__(other)

    def __floordiv__(self, other: Vector2i | int) -> Vector2i:
        """GDScript ``/`` on Vector2i (C division, truncating toward zero)."""
        if type(other) is Vector2i:
            return Vector2i._make(_tdiv(self.x, other.x), _tdiv(self.y, other.y))
        if isinstance(other, int):
            return Vector2i._make(_tdiv(self.x, other), _tdiv(self.y, other))
        return NotImplemented

    __truediv__ = __floordiv__

    def __mod__(self, other: Vector2i | int) -> Vector2i:
        if type(other) is Vector2i:
            return Vector2i._make(_tmod(self.x, other.x), _tmod(self.y, other.y))
        if isinstance(other, int):
            return Vector2i._make(_tmod(self.x, other), _tmod(self.y, other))
        return NotImplemented

    def __neg__(self) -> Vector2i:
        return Vector2i._make(wrap_int32(-self.x), wrap_int32(-self.y))

    def __abs__(self) -> Vector2i:
        return self.abs()

    def abs(self) -> Vector2i:
        return Vector2i._make(wrap_int32(abs(self.x)), wrap_int32(abs(self.y)))

    def sign(self) -> Vector2i:
        return Vector2i._make((self.x > 0) - (self.x < 0), (self.y > 0) - (self.y < 0))

    def length(self) -> float:
        return math.hypot(self.x, self.y)

    def length_squared(self) -> int:
        return self.x * self.x + self.y * self.y

    def aspect(self) -> float:
        return self.x / self.y

    def clamp(self, min: Vector2i, max: Vector2i) -> Vector2i:
        return Vector2i._make(
            min.x if self.x < min.x else (max.x if self.x > max.x else self.x),
            min.y if self.y < min.y else (max.y if self.y > max.y else self.y),
        )


Vector2i.ZERO = Vector2i._make(0, 0)
Vector2i.ONE = Vector2i._make(1, 1)
Vector2i.LEFT = Vector2i._make(-1, 0)
Vector2i.RIGHT = Vector2i._make(1, 0)
Vector2i.UP = Vector2i._make(0, -1)
Vector2i.DOWN = Vector2i._make(0, 1)
