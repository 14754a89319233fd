"""Godot's ``Quaternion``: an immutable rotation quaternion (x, y, z, w)."""

from __future__ import annotations

import math
from typing import Any, overload

from engine.core.variant._common import FrozenValue, approx, num, real
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


_CMP_EPSILON = 0.00001


def _from_rows(r: tuple[float, ...]) -> tuple[float, float, float, float]:
    """Godot's ``Basis::get_quaternion()`` of a row-major 3x3 matrix (Shepperd's method)."""
    trace = r[0] + r[4] + r[8]
    q = [0.0, 0.0, 0.0, 0.0]
    if trace > 0.0:
        s = math.sqrt(trace + 1.0)
        q[3] = s * 0.5
        s = 0.5 / s
        q[0] = (r[7] - r[5]) * s
        q[1] = (r[2] - r[6]) * s
        q[2] = (r[3] - r[1]) * s
    else:
        i = max(range(3), key=lambda n: r[4 * n])  # largest diagonal element, first on ties
        j, k = (i + 1) % 3, (i + 2) % 3
        s = math.sqrt(r[4 * i] - r[4 * j] - r[4 * k] + 1.0)
        q[i] = s * 0.5
        s = 0.5 / s
        q[3] = (r[3 * k + j] - r[3 * j + k]) * s
        q[j] = (r[3 * j + i] + r[3 * i + j]) * s
        q[k] = (r[3 * k + i] + r[3 * i + k]) * s
    return q[0], q[1], q[2], q[3]


def _shortest_arc(v0: Vector3, v1: Vector3) -> tuple[float, float, float, float]:
    """Godot's ``Quaternion(arc_from, arc_to)``: the rotation taking ``v0`` to ``v1``."""
    d = v0.dot(v1)
    if d < -1.0 + _CMP_EPSILON:
        return 0.0, 1.0, 0.0, 0.0
    c = v0.cross(v1)
    s = math.sqrt((1.0 + d) * 2.0)
    rs = 1.0 / s
    return c.x * rs, c.y * rs, c.z * rs, s * 0.5


def _is_basis(value: object) -> bool:
    from engine.core.variant.basis import Basis  # basis.py imports this module

    return isinstance(value, Basis)


class Quaternion(FrozenValue):
    """``Quaternion()`` (identity), ``Quaternion(x, y, z, w)``, ``Quaternion(axis, angle)``,
    ``Quaternion(arc_from, arc_to)``, ``Quaternion(Basis)``, ``Quaternion(Quaternion)``."""

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
        elif len(args) == 1 and _is_basis(args[0]):
            values = _from_rows(args[0]._rows())
        elif len(args) == 2 and isinstance(args[0], Vector3) and isinstance(args[1], Vector3):
            values = _shortest_arc(args[0], args[1])
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
