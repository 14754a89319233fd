"""Godot's ``Vector4i``: an immutable 4D vector of int32 components."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import FrozenValue, int32, wrap_int32
from engine.core.variant.vector4 import Vector4

_set = object.__setattr__


class Vector4i(FrozenValue):
    """``Vector4i()``, ``Vector4i(x, y, z, w)``, ``Vector4i(Vector4 or Vector4i)``."""

    __slots__ = ("w", "x", "y", "z")
    x: int
    y: int
    z: int
    w: int

    ZERO: Vector4i
    ONE: Vector4i

    def __init__(
        self,
        x: int | Vector4 | Vector4i = 0,
        y: int | None = None,
        z: int | None = None,
        w: int | None = None,
    ) -> None:
        if y is None and z is None and w is None:
            if isinstance(x, (Vector4, Vector4i)):
                src = x
                x, y, z, w = int32(src.x), int32(src.y), int32(src.z), int32(src.w)
            elif isinstance(x, (int, float)) and x == 0:
                x = y = z = w = 0
        if y is None or z is None or w is None or not isinstance(x, (int, float)):
            raise TypeError("Vector4i() takes 0 or 4 integers, or one vector")
        _set(self, "x", int32(x))
        _set(self, "y", int32(y))
        _set(self, "z", int32(z))
        _set(self, "w", int32(w))

    @classmethod
    def _make(cls, x: int, y: int, z: int, w: int) -> Vector4i:
        v = object.__new__(cls)
        _set(v, "x", x)
        _set(v, "y", y)
        _set(v, "z", z)
        _set(v, "w", w)
        return v

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z, self.w)

    def __eq__(self, other: object) -> bool:
        if type(other) is Vector4i:
            return self._args() == other._args()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Vector4i, *self._args()))

    def __str__(self) -> str:
        return f"({self.x}, {self.y}, {self.z}, {self.w})"

    def __iter__(self) -> Any:
        return iter(self._args())

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> int:
        result: int = self._args()[index]
        return result

    def __add__(self, o: Vector4i) -> Vector4i:
        if type(o) is not Vector4i:
            return NotImplemented
        return Vector4i._make(*(wrap_int32(a + b) for a, b in zip(self, o, strict=True)))

    def __sub__(self, o: Vector4i) -> Vector4i:
        if type(o) is not Vector4i:
            return NotImplemented
        return Vector4i._make(*(wrap_int32(a - b) for a, b in zip(self, o, strict=True)))

    def __neg__(self) -> Vector4i:
        return Vector4i._make(*(wrap_int32(-a) for a in self))


Vector4i.ZERO = Vector4i._make(0, 0, 0, 0)
Vector4i.ONE = Vector4i._make(1, 1, 1, 1)
