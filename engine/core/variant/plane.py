"""Godot's ``Plane``: an immutable plane in Hessian normal form (normal, d)."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import FrozenValue, num, real
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


class Plane(FrozenValue):
    """``Plane()``, ``Plane(a, b, c, d)``, ``Plane(normal)``, ``Plane(normal, d)``,
    ``Plane(normal, point)``, ``Plane(point1, point2, point3)``."""

    __slots__ = ("d", "normal")
    normal: Vector3
    d: float

    PLANE_YZ: Plane
    PLANE_XZ: Plane
    PLANE_XY: Plane

    def __init__(self, *args: Any) -> None:
        if not args:
            normal, d = Vector3.ZERO, 0.0
        elif len(args) == 1 and isinstance(args[0], Plane):
            normal, d = args[0].normal, args[0].d
        elif len(args) == 1 and isinstance(args[0], Vector3):
            normal, d = args[0], 0.0
        elif len(args) == 2 and isinstance(args[0], Vector3) and isinstance(args[1], Vector3):
            normal, d = args[0], args[0].dot(args[1])
        elif len(args) == 2 and isinstance(args[0], Vector3):
            normal, d = args[0], real(args[1])
        elif len(args) == 3 and all(isinstance(a, Vector3) for a in args):
            p1, p2, p3 = args
            normal = (p1 - p3).cross(p1 - p2).normalized()
            d = normal.dot(p1)
        elif len(args) == 4:
            normal = Vector3._make(real(args[0]), real(args[1]), real(args[2]))
            d = real(args[3])
        else:
            raise TypeError("unsupported Plane() arguments")
        _set(self, "normal", normal)
        _set(self, "d", d)

    @classmethod
    def _make(cls, a: float, b: float, c: float, d: float) -> Plane:
        p = object.__new__(cls)
        _set(p, "normal", Vector3._make(a, b, c))
        _set(p, "d", d)
        return p

    def _args(self) -> tuple[Any, ...]:
        return (self.normal.x, self.normal.y, self.normal.z, self.d)

    @property
    def x(self) -> float:
        return self.normal.x

    @property
    def y(self) -> float:
        return self.normal.y

    @property
    def z(self) -> float:
        return self.normal.z

    def __eq__(self, other: object) -> bool:
        if type(other) is Plane:
            return self.normal == other.normal and self.d == other.d
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Plane, self.normal, self.d))

    def __str__(self) -> str:
        return f"[N: {self.normal}, D: {num(self.d)}]"

    def __neg__(self) -> Plane:
        return Plane._make(-self.normal.x, -self.normal.y, -self.normal.z, -self.d)

    def distance_to(self, point: Vector3) -> float:
        return self.normal.dot(point) - self.d

    def has_point(self, point: Vector3, tolerance: float = 1e-05) -> bool:
        return abs(self.distance_to(point)) <= tolerance

    def is_point_over(self, point: Vector3) -> bool:
        return self.normal.dot(point) > self.d

    def get_center(self) -> Vector3:
        return self.normal * self.d

    def normalized(self) -> Plane:
        length = self.normal.length()
        if length == 0:
            return Plane._make(0.0, 0.0, 0.0, 0.0)
        n = self.normal / length
        return Plane._make(n.x, n.y, n.z, self.d / length)

    def project(self, point: Vector3) -> Vector3:
        return point - self.normal * self.distance_to(point)


Plane.PLANE_YZ = Plane._make(1.0, 0.0, 0.0, 0.0)
Plane.PLANE_XZ = Plane._make(0.0, 1.0, 0.0, 0.0)
Plane.PLANE_XY = Plane._make(0.0, 0.0, 1.0, 0.0)
