"""Godot's ``Vector4``: an immutable 4D vector of reals."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from engine.core.variant._common import FrozenValue, approx, num, real
from engine.core.variant.vector2 import _div

if TYPE_CHECKING:
    from engine.core.variant.vector4i import Vector4i

_set = object.__setattr__


class Vector4(FrozenValue):
    """``Vector4()``, ``Vector4(x, y, z, w)``, ``Vector4(Vector4 or Vector4i)``."""

    __slots__ = ("w", "x", "y", "z")
    x: float
    y: float
    z: float
    w: float

    ZERO: Vector4
    ONE: Vector4
    INF: Vector4

    AXIS_X = 0
    AXIS_Y = 1
    AXIS_Z = 2
    AXIS_W = 3

    def __init__(
        self,
        x: float | Vector4 | Vector4i = 0.0,
        y: float | None = None,
        z: float | None = None,
        w: float | None = None,
    ) -> None:
        if y is None and z is None and w is None:
            if isinstance(x, (int, float)):
                if x != 0:
                    raise TypeError("Vector4() takes 0 or 4 numbers, or one vector")
                x = y = z = w = 0.0
            else:
                from engine.core.variant.vector4i import Vector4i

                if not isinstance(x, (Vector4, Vector4i)):
                    raise TypeError(f"cannot build a Vector4 from {type(x).__name__}")
                src = x
                x, y, z, w = float(src.x), float(src.y), float(src.z), float(src.w)
        if y is None or z is None or w is None:
            raise TypeError("Vector4() takes 0 or 4 numbers, or one vector")
        _set(self, "x", real(x))
        _set(self, "y", real(y))
        _set(self, "z", real(z))
        _set(self, "w", real(w))

    @classmethod
    def _make(cls, x: float, y: float, z: float, w: float) -> Vector4:
        v = object.__new__(cls)
        _set(v, "x", x)
        _set(v, "y", y)
        _set(v, "z", z)
        _set(v, "w", w)
        return v

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z, self.w)

    def __eq__(self, other: object) -> bool:
        if type(other) is Vector4:
            return (
                self.x == other.x and self.y == other.y and self.z == other.z and self.w == other.w
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Vector4, self.x, self.y, self.z, self.w))

    def __str__(self) -> str:
        return f"({num(self.x)}, {num(self.y)}, {num(self.z)}, {num(self.w)})"

    def __iter__(self) -> Any:
        return iter((self.x, self.y, self.z, self.w))

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> float:
        return (self.x, self.y, self.z, self.w)[index]

    def __add__(self, o: Vector4) -> Vector4:
        if type(o) is not Vector4:
            return NotImplemented
        return Vector4._make(self.x + o.x, self.y + o.y, self.z + o.z, self.w + o.w)

    def __sub__(self, o: Vector4) -> Vector4:
        if type(o) is not Vector4:
            return NotImplemented
        return Vector4._make(self.x - o.x, self.y - o.y, self.z - o.z, self.w - o.w)

    def __mul__(self, o: Vector4 | float) -> Vector4:
        if type(o) is Vector4:
            return Vector4._make(self.x * o.x, self.y * o.y, self.z * o.z, self.w * o.w)
        if isinstance(o, (int, float)):
            return Vector4._make(self.x * o, self.y * o, self.z * o, self.w * o)
        return NotImplemented

    def __rmul__(self, o: float) -> Vector4:
        return self.__mul__(o)

    def __truediv__(self, o: Vector4 | float) -> Vector4:
        if type(o) is Vector4:
            return Vector4._make(
                _div(self.x, o.x), _div(self.y, o.y), _div(self.z, o.z), _div(self.w, o.w)
            )
        if isinstance(o, (int, float)):
            return Vector4._make(_div(self.x, o), _div(self.y, o), _div(self.z, o), _div(self.w, o))
        return NotImplemented

    def __neg__(self) -> Vector4:
        return Vector4._make(-self.x, -self.y, -self.z, -self.w)

    def length(self) -> float:
        return math.sqrt(self.length_squared())

    def length_squared(self) -> float:
        return self.x * self.x + self.y * self.y + self.z * self.z + self.w * self.w

    def normalized(self) -> Vector4:
        length = self.length()
        if length == 0.0:
            return Vector4.ZERO
        return self / length

    def dot(self, with_: Vector4) -> float:
        return self.x * with_.x + self.y * with_.y + self.z * with_.z + self.w * with_.w

    def lerp(self, to: Vector4, weight: float) -> Vector4:
        return self + (to - self) * weight

    def is_equal_approx(self, to: Vector4) -> bool:
        return all(approx(a, b) for a, b in zip(self, to, strict=True))


Vector4.ZERO = Vector4._make(0.0, 0.0, 0.0, 0.0)
Vector4.ONE = Vector4._make(1.0, 1.0, 1.0, 1.0)
Vector4.INF = Vector4._make(math.inf, math.inf, math.inf, math.inf)
