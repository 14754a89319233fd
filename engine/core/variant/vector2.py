"""Godot's ``Vector2``: an immutable 2D vector of reals with GDScript's operators and methods."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from engine.core.variant._common import FrozenValue, approx, num, real

if TYPE_CHECKING:
    from engine.core.variant.vector2i import Vector2i

_set = object.__setattr__


class Vector2(FrozenValue):
    """``Vector2()``, ``Vector2(x, y)``, ``Vector2(Vector2 or Vector2i)``."""

    __slots__ = ("x", "y")
    x: float
    y: float

    ZERO: Vector2
    ONE: Vector2
    INF: Vector2
    LEFT: Vector2
    RIGHT: Vector2
    UP: Vector2
    DOWN: Vector2

    AXIS_X = 0
    AXIS_Y = 1

    def __init__(self, x: float | Vector2 | Vector2i = 0.0, y: float | None = None) -> None:
        if y is None:
            if isinstance(x, (int, float)):
                if x != 0:
                    raise TypeError("Vector2() takes 0 or 2 numbers, or one vector")
                _set(self, "x", 0.0)
                _set(self, "y", 0.0)
                return
            from engine.core.variant.vector2i import Vector2i

            if isinstance(x, (Vector2, Vector2i)):
                _set(self, "x", float(x.x))
                _set(self, "y", float(x.y))
                return
            raise TypeError(f"cannot build a Vector2 from {type(x).__name__}")
        _set(self, "x", real(x))
        _set(self, "y", real(y))

    @classmethod
    def _make(cls, x: float, y: float) -> Vector2:
        """Build from two Python floats without checks (codec fast path)."""
        v = object.__new__(cls)
        _set(v, "x", x)
        _set(v, "y", y)
        return v

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y)

    # Value semantics
    def __eq__(self, other: object) -> bool:
        if type(other) is Vector2:
            return self.x == other.x and self.y == other.y
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if type(other) is Vector2:
            return not (self.x == other.x and self.y == other.y)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Vector2, self.x, self.y))

    def __str__(self) -> str:
        return f"({num(self.x)}, {num(self.y)})"

    def __iter__(self) -> Any:
        return iter((self.x, self.y))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> float:
        return (self.x, self.y)[index]

    def __bool__(self) -> bool:
        return self.x != 0.0 or self.y != 0.0

    # Operators
    def __add__(self, other: Vector2) -> Vector2:
        if type(other) is not Vector2:
            return NotImplemented
        return Vector2._make(self.x + other.x, self.y + other.y)

    def __sub__(self, other: Vector2) -> Vector2:
        if type(other) is not Vector2:
            return NotImplemented
        return Vector2._make(self.x - other.x, self.y - other.y)

    def __mul__(self, other: Vector2 | float) -> Vector2:
        if type(other) is Vector2:
            return Vector2._make(self.x * other.x, self.y * other.y)
        if isinstance(other, (int, float)):
            return Vector2._make(self.x * other, self.y * other)
        return NotImplemented

    def __rmul__(self, other: float) -> Vector2:
        if isinstance(other, (int, float)):
            return Vector2._make(self.x * other, self.y * other)
        return NotImplemented

    def __truediv__(self, other: Vector2 | float) -> Vector2:
        if type(other) is Vector2:
            return Vector2._make(_div(self.x, other.x), _div(self.y, other.y))
        if isinstance(other, (int, float)):
            return Vector2._make(_div(self.x, other), _div(self.y, other))
        return NotImplemented

    def __neg__(self) -> Vector2:
        return Vector2._make(-self.x, -self.y)

    def __pos__(self) -> Vector2:
        return self

    def __abs__(self) -> Vector2:
        return self.abs()

    # Methods
    def length(self) -> float:
        return math.hypot(self.x, self.y)

    def length_squared(self) -> float:
        return self.x * self.x + self.y * self.y

    def normalized(self) -> Vector2:
        length = self.length()
        if length == 0.0:
            return Vector2._make(0.0, 0.0)
        return Vector2._make(self.x / length, self.y / length)

    def is_normalized(self) -> bool:
        return approx(self.length_squared(), 1.0)

    def dot(self, with_: Vector2) -> float:
        return self.x * with_.x + self.y * with_.y

    def cross(self, with_: Vector2) -> float:
        return self.x * with_.y - self.y * with_.x

    def distance_to(self, to: Vector2) -> float:
        return math.hypot(self.x - to.x, self.y - to.y)

    def distance_squared_to(self, to: Vector2) -> float:
        dx = self.x - to.x
        dy = self.y - to.y
        return dx * dx + dy * dy

    def direction_to(self, to: Vector2) -> Vector2:
        return Vector2._make(to.x - self.x, to.y - self.y).normalized()

    def lerp(self, to: Vector2, weight: float) -> Vector2:
        return Vector2._make(self.x + (to.x - self.x) * weight, self.y + (to.y - self.y) * weight)

    def angle(self) -> float:
        return math.atan2(self.y, self.x)

    def angle_to(self, to: Vector2) -> float:
        return math.atan2(self.cross(to), self.dot(to))

    def angle_to_point(self, to: Vector2) -> float:
        return math.atan2(to.y - self.y, to.x - self.x)

    def rotated(self, angle: float) -> Vector2:
        sine = math.sin(angle)
        cosine = math.cos(angle)
        return Vector2._make(self.x * cosine - self.y * sine, self.x * sine + self.y * cosine)

    def orthogonal(self) -> Vector2:
        return Vector2._make(self.y, -self.x)

    def abs(self) -> Vector2:
        return Vector2._make(abs(self.x), abs(self.y))

    def sign(self) -> Vector2:
        return Vector2._make(_sign(self.x), _sign(self.y))

    def floor(self) -> Vector2:
        return Vector2._make(float(math.floor(self.x)), float(math.floor(self.y)))

    def ceil(self) -> Vector2:
        return Vector2._make(float(math.ceil(self.x)), float(math.ceil(self.y)))

    def round(self) -> Vector2:
        return Vector2._make(_round(self.x), _round(self.y))

    def clamp(self, min: Vector2, max: Vector2) -> Vector2:
        return Vector2._make(_clamp(self.x, min.x, max.x), _clamp(self.y, min.y, max.y))

    def limit_length(self, length: float = 1.0) -> Vector2:
        current = self.length()
        if current > 0.0 and length < current:
            return Vector2._make(self.x / current * length, self.y / current * length)
        return self

    def move_toward(self, to: Vector2, delta: float) -> Vector2:
        vd = to - self
        distance = vd.length()
        if distance <= delta or distance < 0.00001:
            return to
        return self + vd / distance * delta

    def project(self, b: Vector2) -> Vector2:
        return b * (self.dot(b) / b.length_squared())

    def slide(self, n: Vector2) -> Vector2:
        return self - n * self.dot(n)

    def reflect(self, line: Vector2) -> Vector2:
        return line * (2.0 * self.dot(line)) - self

    def bounce(self, n: Vector2) -> Vector2:
        return -self.reflect(n)

    def aspect(self) -> float:
        return self.x / self.y

    def is_equal_approx(self, to: Vector2) -> bool:
        return approx(self.x, to.x) and approx(self.y, to.y)

    def is_zero_approx(self) -> bool:
        return abs(self.x) < 0.00001 and abs(self.y) < 0.00001

    def is_finite(self) -> bool:
        return math.isfinite(self.x) and math.isfinite(self.y)

    @staticmethod
    def from_angle(angle: float) -> Vector2:
        return Vector2._make(math.cos(angle), math.sin(angle))


def _div(a: float, b: float) -> float:
    """IEEE division (GDScript float division by zero gives inf/nan, never an exception)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0.0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _sign(v: float) -> float:
    return 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)


def _round(v: float) -> float:
    """C ``round()``: halves away from zero."""
    if not math.isfinite(v):
        return v
    return float(math.floor(abs(v) + 0.5)) * (1.0 if v >= 0 else -1.0)


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if v < lo else (hi if v > hi else v)


Vector2.ZERO = Vector2._make(0.0, 0.0)
Vector2.ONE = Vector2._make(1.0, 1.0)
Vector2.INF = Vector2._make(math.inf, math.inf)
Vector2.LEFT = Vector2._make(-1.0, 0.0)
Vector2.RIGHT = Vector2._make(1.0, 0.0)
Vector2.UP = Vector2._make(0.0, -1.0)
Vector2.DOWN = Vector2._make(0.0, 1.0)
