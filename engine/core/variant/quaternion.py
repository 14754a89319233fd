"""Godot's ``Quaternion``: an immutable rotation quaternion (x, y, z, w)."""

from __future__ import annotations

import math
from typing import Any, overload

from engine.core.variant._common import FrozenValue, approx, num, real
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


class Quaternion(FrozenValue):
    """``Quaternion()`` (identity), ``Quaternion(x, y, z, w)``, ``Quaternion(axis, angle)``,
    ``Quaternion(Quaternion)``."""

    __slots__ = ("w", "x", "y", "z")
    x: float
    y: float
    z: float
    w: float

    IDENTITY: Quaternion

    def __init__(self, *args: Any) -> None:
        values: tuple[float, ...]
        if not args:
            values = (0.0, 0.0, 0.0, 1.0)
        elif len(args) == 1 and isinstance(args[0], Quaternion):
            values = args[0]._args()
        elif len(args) == 2 and isinstance(args[0], Vector3):
            axis, angle = args[0], real(args[1])
            length = axis.length()
            if length == 0:
                values = (0.0, 0.0, 0.0, 0.0)
            else:
                s = math.sin(angle * 0.5) / length
                values = (axis.x * s, axis.y * s, axis.z * s, math.cos(angle * 0.5))
        elif len(args) == 4:
            values = tuple(real(a) for a in args)
        else:
            raise TypeError("unsupported Quaternion() arguments")
        _set(self, "x", values[0])
        _set(self, "y", values[1])
        _set(self, "z", values[2])
        _set(self, "w", values[3])

    @classmethod
    def _make(cls, x: float, y: float, z: float, w: float) -> Quaternion:
        q = object.__new__(cls)
        _set(q, "x", x)
        _set(q, "y", y)
        _set(q, "z", z)
        _set(q, "w", w)
        return q

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z, self.w)

    def __eq__(self, other: object) -> bool:
        if type(other) is Quaternion:
            return (
                self.x == other.x and self.y == other.y and self.z == other.z and self.w == other.w
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Quaternion, self.x, self.y, self.z, self.w))

    def __str__(self) -> str:
        return f"({num(self.x)}, {num(self.y)}, {num(self.z)}, {num(self.w)})"

    def __iter__(self) -> Any:
        return iter(self._args())

    def __add__(self, o: Quaternion) -> Quaternion:
        if type(o) is not Quaternion:
            return NotImplemented
        return Quaternion._make(self.x + o.x, self.y + o.y, self.z + o.z, self.w + o.w)

    def __sub__(self, o: Quaternion) -> Quaternion:
        if type(o) is not Quaternion:
            return NotImplemented
        return Quaternion._make(self.x - o.x, self.y - o.y, self.z - o.z, self.w - o.w)

    def __neg__(self) -> Quaternion:
        return Quaternion._make(-self.x, -self.y, -self.z, -self.w)

    @overload
    def __mul__(self, o: Quaternion) -> Quaternion: ...
    @overload
    def __mul__(self, o: Vector3) -> Vector3: ...
    @overload
    def __mul__(self, o: float) -> Quaternion: ...
    def __mul__(self, o: Quaternion | Vector3 | float) -> Quaternion | Vector3:
        if type(o) is Quaternion:
            return Quaternion._make(
                self.w * o.x + self.x * o.w + self.y * o.z - self.z * o.y,
                self.w * o.y + self.y * o.w + self.z * o.x - self.x * o.z,
                self.w * o.z + self.z * o.w + self.x * o.y - self.y * o.x,
                self.w * o.w - self.x * o.x - self.y * o.y - self.z * o.z,
            )
        if type(o) is Vector3:
            u = Vector3._make(self.x, self.y, self.z)
            uv = u.cross(o)
            return o + ((uv * self.w) + u.cross(uv)) * 2.0
        if isinstance(o, (int, float)):
            return Quaternion._make(self.x * o, self.y * o, self.z * o, self.w * o)
        return NotImplemented

    def length(self) -> float:
        return math.sqrt(self.length_squared())

    def length_squared(self) -> float:
        return self.dot(self)

    def dot(self, with_: Quaternion) -> float:
        return self.x * with_.x + self.y * with_.y + self.z * with_.z + self.w * with_.w

    def normalized(self) -> Quaternion:
        length = self.length()
        if length == 0:
            return Quaternion._make(0.0, 0.0, 0.0, 0.0)
        return self * (1.0 / length)

    def is_normalized(self) -> bool:
        return approx(self.length_squared(), 1.0)

    def inverse(self) -> Quaternion:
        return Quaternion._make(-self.x, -self.y, -self.z, self.w)

    def get_axis(self) -> Vector3:
        if abs(self.w) > 1 - 1e-6:
            return Vector3._make(self.x, self.y, self.z)
        r = 1.0 / math.sqrt(1 - self.w * self.w)
        return Vector3._make(self.x * r, self.y * r, self.z * r)

    def get_angle(self) -> float:
        return 2 * math.acos(max(-1.0, min(1.0, self.w)))

    def is_equal_approx(self, to: Quaternion) -> bool:
        return all(approx(a, b) for a, b in zip(self._args(), to._args(), strict=True))


Quaternion.IDENTITY = Quaternion._make(0.0, 0.0, 0.0, 1.0)
