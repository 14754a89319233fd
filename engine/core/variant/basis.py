"""Godot's ``Basis``: an immutable 3x3 matrix. ``x``, ``y``, ``z`` are its columns, as in GDScript.

Godot stores a Basis as three rows and the binary codec writes them row by row; ``_rows()``
gives that view. ``Basis(x_axis, y_axis, z_axis)`` takes columns.
"""

from __future__ import annotations

import math
from typing import Any, overload

from engine.core.variant._common import FrozenValue, real
from engine.core.variant.quaternion import Quaternion
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


class Basis(FrozenValue):
    """``Basis()`` (identity), ``Basis(x_axis, y_axis, z_axis)``, ``Basis(axis, angle)``,
    ``Basis(Quaternion)``, ``Basis(Basis)``."""

    __slots__ = ("x", "y", "z")
    x: Vector3
    y: Vector3
    z: Vector3

    IDENTITY: Basis
    FLIP_X: Basis
    FLIP_Y: Basis
    FLIP_Z: Basis

    def __init__(self, *args: Any) -> None:
        if not args:
            x, y, z = Vector3.RIGHT, Vector3.UP, Vector3.BACK
        elif len(args) == 1 and isinstance(args[0], Basis):
            x, y, z = args[0].x, args[0].y, args[0].z
        elif len(args) == 1 and isinstance(args[0], Quaternion):
            x, y, z = _from_quaternion(args[0])
        elif len(args) == 2 and isinstance(args[0], Vector3):
            x, y, z = _from_axis_angle(args[0], real(args[1]))
        elif len(args) == 3 and all(isinstance(a, Vector3) for a in args):
            x, y, z = args
        else:
            raise TypeError("unsupported Basis() arguments")
        _set(self, "x", x)
        _set(self, "y", y)
        _set(self, "z", z)

    @classmethod
    def _make(cls, x: Vector3, y: Vector3, z: Vector3) -> Basis:
        b = object.__new__(cls)
        _set(b, "x", x)
        _set(b, "y", y)
        _set(b, "z", z)
        return b

    @classmethod
    def _from_rows(cls, r: Any) -> Basis:
        """Build from 9 row-major components (the wire order)."""
        return cls._make(
            Vector3._make(r[0], r[3], r[6]),
            Vector3._make(r[1], r[4], r[7]),
            Vector3._make(r[2], r[5], r[8]),
        )

    def _rows(self) -> tuple[float, ...]:
        """The 9 components row-major: rows[0] = (x.x, y.x, z.x)."""
        x, y, z = self.x, self.y, self.z
        return (x.x, y.x, z.x, x.y, y.y, z.y, x.z, y.z, z.z)

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z)

    def __eq__(self, other: object) -> bool:
        if type(other) is Basis:
            return self.x == other.x and self.y == other.y and self.z == other.z
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Basis, self.x, self.y, self.z))

    def __str__(self) -> str:
        return f"[X: {self.x}, Y: {self.y}, Z: {self.z}]"

    def __getitem__(self, index: int) -> Vector3:
        return (self.x, self.y, self.z)[index]

    def xform(self, v: Vector3) -> Vector3:
        x, y, z = self.x, self.y, self.z
        return Vector3._make(
            x.x * v.x + y.x * v.y + z.x * v.z,
            x.y * v.x + y.y * v.y + z.y * v.z,
            x.z * v.x + y.z * v.y + z.z * v.z,
        )

    @overload
    def __mul__(self, o: Vector3) -> Vector3: ...
    @overload
    def __mul__(self, o: Basis) -> Basis: ...
    def __mul__(self, o: Vector3 | Basis) -> Vector3 | Basis:
        if type(o) is Vector3:
            return self.xform(o)
        if type(o) is Basis:
            return Basis._make(self.xform(o.x), self.xform(o.y), self.xform(o.z))
        return NotImplemented

    def determinant(self) -> float:
        return self.x.dot(self.y.cross(self.z))

    def transposed(self) -> Basis:
        return Basis._from_rows(
            (
                self.x.x,
                self.x.y,
                self.x.z,
                self.y.x,
                self.y.y,
                self.y.z,
                self.z.x,
                self.z.y,
                self.z.z,
            )
        )

    def inverse(self) -> Basis:
        det = self.determinant()
        if det == 0:
            raise ZeroDivisionError('Condition "det == 0" is true.')
        inv = 1.0 / det
        # Rows of the inverse are the cross products of the columns, scaled.
        r0 = self.y.cross(self.z) * inv
        r1 = self.z.cross(self.x) * inv
        r2 = self.x.cross(self.y) * inv
        return Basis._from_rows((r0.x, r0.y, r0.z, r1.x, r1.y, r1.z, r2.x, r2.y, r2.z))

    def orthonormalized(self) -> Basis:
        x = self.x.normalized()
        y = (self.y - x * x.dot(self.y)).normalized()
        z = (self.z - x * x.dot(self.z) - y * y.dot(self.z)).normalized()
        return Basis._make(x, y, z)

    def get_scale(self) -> Vector3:
        sign = 1.0 if self.determinant() >= 0 else -1.0
        return Vector3._make(self.x.length(), self.y.length(), self.z.length()) * sign

    def is_equal_approx(self, b: Basis) -> bool:
        return (
            self.x.is_equal_approx(b.x)
            and self.y.is_equal_approx(b.y)
            and self.z.is_equal_approx(b.z)
        )


def _from_axis_angle(axis: Vector3, angle: float) -> tuple[Vector3, Vector3, Vector3]:
    c, s = math.cos(angle), math.sin(angle)
    t = 1.0 - c
    ax, ay, az = axis.x, axis.y, axis.z
    rows = (
        t * ax * ax + c, t * ax * ay - s * az, t * ax * az + s * ay,
        t * ax * ay + s * az, t * ay * ay + c, t * ay * az - s * ax,
        t * ax * az - s * ay, t * ay * az + s * ax, t * az * az + c,
    )  # fmt: skip
    b = Basis._from_rows(rows)
    return b.x, b.y, b.z


def _from_quaternion(q: Quaternion) -> tuple[Vector3, Vector3, Vector3]:
    d = q.length_squared()
    s = 2.0 / d if d else 0.0
    xs, ys, zs = q.x * s, q.y * s, q.z * s
    wx, wy, wz = q.w * xs, q.w * ys, q.w * zs
    xx, xy, xz = q.x * xs, q.x * ys, q.x * zs
    yy, yz, zz = q.y * ys, q.y * zs, q.z * zs
    rows = (
        1.0 - (yy + zz), xy - wz, xz + wy,
        xy + wz, 1.0 - (xx + zz), yz - wx,
        xz - wy, yz + wx, 1.0 - (xx + yy),
    )  # fmt: skip
    b = Basis._from_rows(rows)
    return b.x, b.y, b.z


Basis.IDENTITY = Basis()
Basis.FLIP_X = Basis._make(Vector3.LEFT, Vector3.UP, Vector3.BACK)
Basis.FLIP_Y = Basis._make(Vector3.RIGHT, Vector3.DOWN, Vector3.BACK)
Basis.FLIP_Z = Basis._make(Vector3.RIGHT, Vector3.UP, Vector3.FORWARD)
