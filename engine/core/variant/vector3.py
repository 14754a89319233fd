"""Godot's ``Vector3``: an immutable 3D vector of reals with GDScript's operators and methods."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from engine.core.variant._common import FrozenValue, approx, num, real
from engine.core.variant.vector2 import _div

if TYPE_CHECKING:
    from engine.core.variant.vector3i import Vector3i

_set = object.__setattr__


class Vector3(FrozenValue):
    """``Vector3()``, ``Vector3(x, y, z)``, ``Vector3(Vector3 or Vector3i)``."""

    __slots__ = ("x", "y", "z")
    x: float
    y: float
    z: float

    ZERO: Vector3
    ONE: Vector3
    INF: Vector3
    LEFT: Vector3
    RIGHT: Vector3
    UP: Vector3
    DOWN: Vector3
    FORWARD: Vector3
    BACK: Vector3

    AXIS_X = 0
    AXIS_Y = 1
    AXIS_Z = 2

    def __init__(
        self, x: float | Vector3 | Vector3i = 0.0, y: float | None = None, z: float | None = None
    ) -> None:
        if y is None and z is None:
            if isinstance(x, (int, float)):
                if x != 0:
                    raise TypeError("Vector3() takes 0 or 3 numbers, or one vector")
                x = y = z = 0.0
            else:
                from engine.core.variant.vector3i import Vector3i

                if not isinstance(x, (Vector3, Vector3i)):
                    raise TypeError(f"cannot build a Vector3 from {type(x).__name__}")
                src = x
                x, y, z = float(src.x), float(src.y), float(src.z)
        if y is None or z is None:
            raise TypeError("Vector3() takes 0 or 3 numbers, or one vector")
        _set(self, "x", real(x))
        _set(self, "y", real(y))
        _set(self, "z", real(z))

    @classmethod
    def _make(cls, x: float, y: float, z: float) -> Vector3:
        v = object.__new__(cls)
        _set(v, "x", x)
        _set(v, "y", y)
        _set(v, "z", z)
        return v

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z)

    def __eq__(self, other: object) -> bool:
        if type(other) is Vector3:
            return self.x == other.x and self.y == other.y and self.z == other.z
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Vector3, self.x, self.y, self.z))

    def __str__(self) -> str:
        return f"({num(self.x)}, {num(self.y)}, {num(self.z)})"

    def __iter__(self) -> Any:
        return iter((self.x, self.y, self.z))

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index: int) -> float:
        return (self.x, self.y, self.z)[index]

    def __bool__(self) -> bool:
        return self.x != 0.0 or self.y != 0.0 or self.z != 0.0

    def __add__(self, o: Vector3) -> Vector3:
        if type(o) is not Vector3:
            return NotImplemented
        return Vector3._make(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o: Vector3) -> Vector3:
        if type(o) is not Vector3:
            return NotImplemented
        return Vector3._make(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, o: Vector3 | float) -> Vector3:
        if type(o) is Vector3:
            return Vector3._make(self.x * o.x, self.y * o.y, self.z * o.z)
        if isinstance(o, (int, float)):
            return Vector3._make(self.x * o, self.y * o, self.z * o)
        return NotImplemented

    def __rmul__(self, o: float) -> Vector3:
        if isinstance(o, (int, float)):
            return Vector3._make(self.x * o, self.y * o, self.z * o)
        return NotImplemented

    def __truediv__(self, o: Vector3 | float) -> Vector3:
        if type(o) is Vector3:
            return Vector3._make(_div(self.x, o.x), _div(self.y, o.y), _div(self.z, o.z))
        if isinstance(o, (int, float)):
            return Vector3._make(_div(self.x, o), _div(self.y, o), _div(self.z, o))
        return NotImplemented

    def __neg__(self) -> Vector3:
        return Vector3._make(-self.x, -self.y, -self.z)

    def __pos__(self) -> Vector3:
        return self

    def length(self) -> float:
        return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    def length_squared(self) -> float:
        return self.x * self.x + self.y * self.y + self.z * self.z

    def normalized(self) -> Vector3:
        length = self.length()
        if length == 0.0:
            return Vector3._make(0.0, 0.0, 0.0)
        return Vector3._make(self.x / length, self.y / length, self.z / length)

    def is_normalized(self) -> bool:
        return approx(self.length_squared(), 1.0)

    def dot(self, with_: Vector3) -> float:
        return self.x * with_.x + self.y * with_.y + self.z * with_.z

    def cross(self, with_: Vector3) -> Vector3:
        return Vector3._make(
            self.y * with_.z - self.z * with_.y,
            self.z * with_.x - self.x * with_.z,
            self.x * with_.y - self.y * with_.x,
        )

    def distance_to(self, to: Vector3) -> float:
        return (to - self).length()

    def distance_squared_to(self, to: Vector3) -> float:
        return (to - self).length_squared()

    def direction_to(self, to: Vector3) -> Vector3:
        return (to - self).normalized()

    def lerp(self, to: Vector3, weight: float) -> Vector3:
        return Vector3._make(
            self.x + (to.x - self.x) * weight,
            self.y + (to.y - self.y) * weight,
            self.z + (to.z - self.z) * weight,
        )

    def angle_to(self, to: Vector3) -> float:
        return math.atan2(self.cross(to).length(), self.dot(to))

    def abs(self) -> Vector3:
        return Vector3._make(abs(self.x), abs(self.y), abs(self.z))

    def floor(self) -> Vector3:
        return Vector3._make(
            float(math.floor(self.x)), float(math.floor(self.y)), float(math.floor(self.z))
        )

    def ceil(self) -> Vector3:
        return Vector3._make(
            float(math.ceil(self.x)), float(math.ceil(self.y)), float(math.ceil(self.z))
        )

    def rotated(self, axis: Vector3, angle: float) -> Vector3:
        """Rodrigues rotation around a normalized ``axis``."""
        cosine = math.cos(angle)
        sine = math.sin(angle)
        return self * cosine + axis.cross(self) * sine + axis * (axis.dot(self) * (1.0 - cosine))

    def is_equal_approx(self, to: Vector3) -> bool:
        return approx(self.x, to.x) and approx(self.y, to.y) and approx(self.z, to.z)

    def is_zero_approx(self) -> bool:
        return abs(self.x) < 0.00001 and abs(self.y) < 0.00001 and abs(self.z) < 0.00001

    def is_finite(self) -> bool:
        return math.isfinite(self.x) and math.isfinite(self.y) and math.isfinite(self.z)


Vector3.ZERO = Vector3._make(0.0, 0.0, 0.0)
Vector3.ONE = Vector3._make(1.0, 1.0, 1.0)
Vector3.INF = Vector3._make(math.inf, math.inf, math.inf)
Vector3.LEFT = Vector3._make(-1.0, 0.0, 0.0)
Vector3.RIGHT = Vector3._make(1.0, 0.0, 0.0)
Vector3.UP = Vector3._make(0.0, 1.0, 0.0)
Vector3.DOWN = Vector3._make(0.0, -1.0, 0.0)
Vector3.FORWARD = Vector3._make(0.0, 0.0, -1.0)
Vector3.BACK = Vector3._make(0.0, 0.0, 1.0)
