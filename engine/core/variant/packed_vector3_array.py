"""Godot's ``PackedVector3Array``: a packed array of Vector3."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import float32_bytes
from engine.core.variant._packed_array import PackedArray
from engine.core.variant.vector3 import Vector3
from engine.core.variant.vector3i import Vector3i


class PackedVector3Array(PackedArray[Vector3]):
    """``PackedVector3Array()``, ``PackedVector3Array([Vector3(1, 2, 3)])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> Vector3:
        if type(value) is Vector3:
            return value
        if isinstance(value, (Vector3, Vector3i)):
            return Vector3(value)
        raise TypeError(f"PackedVector3Array elements are Vector3, got {type(value).__name__}")

    @staticmethod
    def _default() -> Vector3:
        return Vector3.ZERO

    def to_byte_array(self) -> bytes:
        return float32_bytes(c for v in self._data for c in (v.x, v.y, v.z))
