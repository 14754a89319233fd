"""Godot's ``Transform2D``: an immutable 2x3 affine transform (x, y columns + origin)."""

from __future__ import annotations

import math
from typing import Any, overload

from engine.core.variant._common import FrozenValue, real
from engine.core.variant.vector2 import Vector2

_set = object.__setattr__


class Transform2D(FrozenValue):
    """``Transform2D()`` (identity), ``Transform2D(rotation, position)``,
    ``Transform2D(rotation, scale, skew, position)``, ``Transform2D(x_axis, y_axis, origin)``."""

    __slots__ = ("origin", "x", "y")
    x: Vector2
    y: Vector2
    origin: Vector2

    IDENTITY: Transform2D
    FLIP_X: Transform2D
    FLIP_Y: Transform2D

    def __init__(self, *args: Any) -> None:
        if not args:
            x, y, origin = Vector2._make(1.0, 0.0), Vector2._make(0.0, 1.0), Vector2.ZERO
        elif len(args) == 1 and isinstance(args[0], Transform2D):
            x, y, origin = args[0].x, args[0].y, args[0].origin
        elif len(args) == 2 and isinstance(args[1], Vector2):
            rotation = real(args[0])
            c, s = math.cos(rotation), math.sin(rotation)
            x, y, origin = Vector2._make(c, s), Vector2._make(-s, c), args[1]
        elif len(args) == 3 and all(isinstance(a, Vector2) for a in args):
            x, y, origin = args
        elif len(args) == 4 and isinstance(args[1], Vector2) and isinstance(args[3], Vector2):
            rotation, scale, skew = real(args[0]), args[1], real(args[2])
            x = Vector2._make(math.cos(rotation) * scale.x, math.sin(rotation) * scale.x)
            y = Vector2._make(
                -math.sin(rotation + skew) * scale.y, math.cos(rotation + skew) * scale.y
            )
            origin = args[3]
        else:
            raise TypeError("unsupported Transform2D() arguments")
        _set(self, "x", x)
        _set(self, "y", y)
        _set(self, "origin", origin)

    @classmethod
    def _make(cls, x: Vector2, y: Vector2, origin: Vector2) -> Transform2D:
        t = object.__new__(cls)
        _set(t, "x", x)
        _set(t, "y", y)
        _set(t, "origin", origin)
        return t

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.origin)

    def __eq__(self, other: object) -> bool:
        if type(other) is Transform2D:
            return self.x == other.x and self.y == other.y and self.origin == other.origin
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Transform2D, self.x, self.y, self.origin))

    def __str__(self) -> str:
        return f"[X: {self.x}, Y: {self.y}, O: {self.origin}]"

    def __getitem__(self, index: int) -> Vector2:
        return (self.x, self.y, self.origin)[index]

    def basis_xform(self, v: Vector2) -> Vector2:
        return Vector2._make(self.x.x * v.x + self.y.x * v.y, self.x.y * v.x + self.y.y * v.y)

    @overload
    def __mul__(self, other: Vector2) -> Vector2: ...
    @overload
    def __mul__(self, other: Transform2D) -> Transform2D: ...
    def __mul__(self, other: Vector2 | Transform2D) -> Vector2 | Transform2D:
        if type(other) is Vector2:
            return self.basis_xform(other) + self.origin
        if type(other) is Transform2D:
            return Transform2D._make(
                self.basis_xform(other.x), self.basis_xform(other.y), self * other.origin
            )
        return NotImplemented

    def determinant(self) -> float:
        return self.x.x * self.y.y - self.x.y * self.y.x

    def get_origin(self) -> Vector2:
        return self.origin

    def get_rotation(self) -> float:
        return math.atan2(self.x.y, self.x.x)

    def get_scale(self) -> Vector2:
        sign = 1.0 if self.determinant() >= 0 else -1.0
        return Vector2._make(self.x.length(), sign * self.y.length())

    def affine_inverse(self) -> Transform2D:
        det = self.determinant()
        if det == 0:
            raise ZeroDivisionError('Condition "det == 0" is true.')
        idet = 1.0 / det
        x = Vector2._make(self.y.y * idet, -self.x.y * idet)
        y = Vector2._make(-self.y.x * idet, self.x.x * idet)
        partial = Transform2D._make(x, y, Vector2.ZERO)
        return Transform2D._make(x, y, -partial.basis_xform(self.origin))

    def inverse(self) -> Transform2D:
        """Inverse assuming an orthonormal basis (transpose), like Godot's ``inverse()``."""
        x = Vector2._make(self.x.x, self.y.x)
        y = Vector2._make(self.x.y, self.y.y)
        partial = Transform2D._make(x, y, Vector2.ZERO)
        return Transform2D._make(x, y, -partial.basis_xform(self.origin))

    def translated(self, offset: Vector2) -> Transform2D:
        return Transform2D._make(self.x, self.y, self.origin + offset)

    def is_equal_approx(self, xform: Transform2D) -> bool:
        return (
            self.x.is_equal_approx(xform.x)
            and self.y.is_equal_approx(xform.y)
            and self.origin.is_equal_approx(xform.origin)
        )


Transform2D.IDENTITY = Transform2D()
Transform2D.FLIP_X = Transform2D._make(
    Vector2._make(-1.0, 0.0), Vector2._make(0.0, 1.0), Vector2.ZERO
)
Transform2D.FLIP_Y = Transform2D._make(
    Vector2._make(1.0, 0.0), Vector2._make(0.0, -1.0), Vector2.ZERO
)
