"""Godot's ``Transform3D``: an immutable 3x4 affine transform (basis + origin)."""

from __future__ import annotations

from typing import Any, overload

from engine.core.variant._common import FrozenValue
from engine.core.variant.basis import Basis
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


def _is_projection(value: object) -> bool:
    from engine.core.variant.projection import Projection  # projection.py imports this module

    return isinstance(value, Projection)


class Transform3D(FrozenValue):
    """``Transform3D()`` (identity), ``Transform3D(basis, origin)``,
    ``Transform3D(x_axis, y_axis, z_axis, origin)``, ``Transform3D(Transform3D)``,
    ``Transform3D(Projection)`` (the upper 3x4 part)."""

    __slots__ = ("basis", "origin")
    basis: Basis
    origin: Vector3

    IDENTITY: Transform3D

    def __init__(self, *args: Any) -> None:
        if not args:
            basis, origin = Basis.IDENTITY, Vector3.ZERO
        elif len(args) == 1 and isinstance(args[0], Transform3D):
            basis, origin = args[0].basis, args[0].origin
        elif len(args) == 2 and isinstance(args[0], Basis) and isinstance(args[1], Vector3):
            basis, origin = args
        elif len(args) == 4 and all(isinstance(a, Vector3) for a in args):
            basis, origin = Basis._make(args[0], args[1], args[2]), args[3]
        elif len(args) == 1 and _is_projection(args[0]):
            x, y, z, w = args[0]._args()
            basis = Basis._make(
                Vector3._make(x.x, x.y, x.z),
                Vector3._make(y.x, y.y, y.z),
                Vector3._make(z.x, z.y, z.z),
            )
            origin = Vector3._make(w.x, w.y, w.z)
        else:
            raise TypeError("unsupported Transform3D() arguments")
        _set(self, "basis", basis)
        _set(self, "origin", origin)

    @classmethod
    def _make(cls, basis: Basis, origin: Vector3) -> Transform3D:
        t = object.__new__(cls)
        _set(t, "basis", basis)
        _set(t, "origin", origin)
        return t

    def _args(self) -> tuple[Any, ...]:
        return (self.basis, self.origin)

    def __eq__(self, other: object) -> bool:
        if type(other) is Transform3D:
            return self.basis == other.basis and self.origin == other.origin
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Transform3D, self.basis, self.origin))

    def __str__(self) -> str:
        b = self.basis
        return f"[X: {b.x}, Y: {b.y}, Z: {b.z}, O: {self.origin}]"

    @overload
    def __mul__(self, o: Vector3) -> Vector3: ...
    @overload
    def __mul__(self, o: Transform3D) -> Transform3D: ...
    def __mul__(self, o: Vector3 | Transform3D) -> Vector3 | Transform3D:
        if type(o) is Vector3:
            return self.basis.xform(o) + self.origin
        if type(o) is Transform3D:
            return Transform3D._make(self.basis * o.basis, self * o.origin)
        return NotImplemented

    def affine_inverse(self) -> Transform3D:
        inv = self.basis.inverse()
        return Transform3D._make(inv, -inv.xform(self.origin))

    def inverse(self) -> Transform3D:
        """Inverse assuming an orthonormal basis (transpose), like Godot's ``inverse()``."""
        inv = self.basis.transposed()
        return Transform3D._make(inv, -inv.xform(self.origin))

    def translated(self, offset: Vector3) -> Transform3D:
        return Transform3D._make(self.basis, self.origin + offset)

    def is_equal_approx(self, xform: Transform3D) -> bool:
        return self.basis.is_equal_approx(xform.basis) and self.origin.is_equal_approx(xform.origin)


Transform3D.IDENTITY = Transform3D()
