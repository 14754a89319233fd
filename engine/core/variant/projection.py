"""Godot's ``Projection``: an immutable 4x4 matrix given by four Vector4 columns."""

from __future__ import annotations

from typing import Any, overload

from engine.core.variant._common import FrozenValue, num
from engine.core.variant.transform3d import Transform3D
from engine.core.variant.vector4 import Vector4

_set = object.__setattr__


class Projection(FrozenValue):
    """``Projection()`` (identity), ``Projection(x, y, z, w)`` (columns),
    ``Projection(Transform3D)``, ``Projection(Projection)``."""

    __slots__ = ("w", "x", "y", "z")
    x: Vector4
    y: Vector4
    z: Vector4
    w: Vector4

    IDENTITY: Projection
    ZERO: Projection

    PLANE_NEAR = 0
    PLANE_FAR = 1
    PLANE_LEFT = 2
    PLANE_TOP = 3
    PLANE_RIGHT = 4
    PLANE_BOTTOM = 5

    def __init__(self, *args: Any) -> None:
        if not args:
            cols = (
                Vector4._make(1.0, 0.0, 0.0, 0.0),
                Vector4._make(0.0, 1.0, 0.0, 0.0),
                Vector4._make(0.0, 0.0, 1.0, 0.0),
                Vector4._make(0.0, 0.0, 0.0, 1.0),
            )
        elif len(args) == 1 and isinstance(args[0], Projection):
            cols = args[0]._args()
        elif len(args) == 1 and isinstance(args[0], Transform3D):
            b, o = args[0].basis, args[0].origin
            cols = (
                Vector4._make(b.x.x, b.x.y, b.x.z, 0.0),
                Vector4._make(b.y.x, b.y.y, b.y.z, 0.0),
                Vector4._make(b.z.x, b.z.y, b.z.z, 0.0),
                Vector4._make(o.x, o.y, o.z, 1.0),
            )
        elif len(args) == 4 and all(isinstance(a, Vector4) for a in args):
            cols = args
        else:
            raise TypeError("unsupported Projection() arguments")
        _set(self, "x", cols[0])
        _set(self, "y", cols[1])
        _set(self, "z", cols[2])
        _set(self, "w", cols[3])

    @classmethod
    def _make(cls, x: Vector4, y: Vector4, z: Vector4, w: Vector4) -> Projection:
        p = object.__new__(cls)
        _set(p, "x", x)
        _set(p, "y", y)
        _set(p, "z", z)
        _set(p, "w", w)
        return p

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z, self.w)

    def __eq__(self, other: object) -> bool:
        if type(other) is Projection:
            return self._args() == other._args()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Projection, *self._args()))

    def __str__(self) -> str:
        # Godot prints one line per column, each preceded by a newline.
        return "".join("\n" + ", ".join(num(c) for c in col) for col in self._args())

    def __getitem__(self, index: int) -> Vector4:
        result: Vector4 = self._args()[index]
        return result

    def xform(self, v: Vector4) -> Vector4:
        x, y, z, w = self.x, self.y, self.z, self.w
        return Vector4._make(
            x.x * v.x + y.x * v.y + z.x * v.z + w.x * v.w,
            x.y * v.x + y.y * v.y + z.y * v.z + w.y * v.w,
            x.z * v.x + y.z * v.y + z.z * v.z + w.z * v.w,
            x.w * v.x + y.w * v.y + z.w * v.z + w.w * v.w,
        )

    @overload
    def __mul__(self, o: Vector4) -> Vector4: ...
    @overload
    def __mul__(self, o: Projection) -> Projection: ...
    def __mul__(self, o: Vector4 | Projection) -> Vector4 | Projection:
        if type(o) is Vector4:
            return self.xform(o)
        if type(o) is Projection:
            return Projection._make(
                self.xform(o.x), self.xform(o.y), self.xform(o.z), self.xform(o.w)
            )
        return NotImplemented

    def transposed(self) -> Projection:
        c = self._args()
        return Projection._make(*(Vector4._make(*(col[i] for col in c)) for i in range(4)))


Projection.IDENTITY = Projection()
_Z = Vector4._make(0.0, 0.0, 0.0, 0.0)
Projection.ZERO = Projection._make(_Z, _Z, _Z, _Z)
