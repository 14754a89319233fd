"""Godot's ``Vector3i``: an immutable 3D vector of int32 components."""

from __future__ import annotations

import math
from typing import Any

from engine.core.variant._common import FrozenValue, int32, wrap_int32
from engine.core.variant.vector2i import _tdiv
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


class Vector3i(FrozenValue):
    """``Vector3i()``, ``Vector3i(x, y, z)``, ``Vector3i(Vector3 or Vector3i)``."""

    __slots__ = ("x", "y", "z")
    x: int
    y: int
    z: int

    ZERO: Vector3i
    ONE: Vector3i

    AXIS_X = 0
    AXIS_Y = 1
    AXIS_Z = 2

    def __init__(
        self, x: int | Vector3 | Vector3i = 0, y: int | None = None, z: int | None = None
    ) -> None:
        if y is None and z is None:
            if isinstance(x, (Vector3, Vector3i)):
                src = x
                x, y, z = int32(src.x), int32(src.y), int32(src.z)
            elif isinstance(x, (int, float)) and x == 0:
                x = y = z = 0
        if y is None or z is None or not isinstance(x, (int, float)):
            raise TypeError("Vector3i() takes 0 or 3 integers, or one vector")
        _set(self, "x", int32(x))
        _set(self, "y", int32(y))
        _set(self, "z", int32(z))

    @classmethod
    def _make(cls, x: int, y: int, z: int) -> Vector3i:
        v = object.__new__(cls)
        _set(v, "x", x)
        _set(v, "y", y)
        _set(v, "z", z)
        return v

    def _args(self) -> tuple[Any, ...]:
        return (self.x, self.y, self.z)

    def __eq__(self, other: object) -> bool:
        if type(other) is Vector3i:
            return self.x == other.x and self.y == other.y and self.z == other.z
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Vector3i, self.x, self.y, self.z))

    def __str__(self) -> str:
        return f"({self.x}, {self.y}, {self.z})"

    def __iter__(self) -> Any:
        return iter((self.x, self.y, self.z))

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index: int) -> int:
        return (self.x, self.y, self.z)[index]

    def __add__(self, o: Vector3i) -> Vector3i:
        if type(o) is not Vector3i:
            return NotImplemented
        return Vector3i._make(
            wrap_int32(self.x + o.x), wrap_int32(self.y + o.y), wrap_int32(self.z + o.z)
        )

    def __sub__(self, o: Vector3i) -> Vector3i:
        if type(o) is not Vector3i:
            return NotImplemented
        return Vector3i._make(
            wrap_int32(self.x - o.x), wrap_int32(self.y - o.y), wrap_int32(self.z - o.z)
        )

    def __mul__(self, o: Vector3i | int) -> Vector3i:
        if type(o) is Vector3i:
            return Vector3i._make(
                wrap_int32(self.x * o.x), wrap_int32(self.y * o.y), wrap_int32(self.z * o.z)
            )
        if isinstance(o, int):
            return Vector3i._make(
                wrap_int32(self.x * o), wrap_int32(self.y * o), wrap_int32(self.z * o)
            )
        return NotImplemented

    def __rmul__(self, o: int) -> Vector3i:
        return self.__mul__(o)

    def __floordiv__(self, o: Vector3i | int) -> Vector3i:
        """GDScript ``/`` on Vector3i (C division, truncating toward zero)."""
        if type(o) is Vector3i:
            return Vector3i._make(_tdiv(self.x, o.x), _tdiv(self.y, o.y), _tdiv(self.z, o.z))
        if isinstance(o, int):
            return Vector3i._make(_tdiv(self.x, o), _tdiv(self.y, o), _tdiv(self.z, o))
        return NotImplemented

    __truediv__ = __floordiv__

    def __neg__(self) -> Vector3i:
        return Vector3i._make(wrap_int32(-self.x), wrap_int32(-self.y), wrap_int32(-self.z))

    def abs(self) -> Vector3i:
        return Vector3i._make(
            wrap_int32(abs(self.x)), wrap_int32(abs(self.y)), wrap_int32(abs(self.z))
        )

    def length(self) -> float:
        return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    def length_squared(self) -> int:
        return self.x * self.x + self.y * self.y + self.z * self.z


Vector3i.ZERO = Vector3i._make(0, 0, 0)
Vector3i.ONE = Vector3i._make(1, 1, 1)
