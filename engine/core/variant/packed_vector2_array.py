"""Godot's ``PackedVector2Array``: a packed array of Vector2."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import float32_bytes
from engine.core.variant._packed_array import PackedArray
from engine.core.variant.vector2 import Vector2
from engine.core.variant.vector2i import Vector2i


class PackedVector2Array(PackedArray[Vector2]):
    """``PackedVector2Array()``, ``PackedVector2Array([Vector2(1, 2)])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> Vector2:
        if type(value) is Vector2:
            return value
        if isinstance(value, (Vector2, Vector2i)):
            return Vector2(value)
        raise TypeError(f"PackedVector2Array elements are Vector2, got {type(value).__name__}")

    @staticmethod
    def _default() -> Vector2:
        return Vector2.ZERO

    def to_byte_array(self) -> bytes:
        return float32_bytes(c for v in self._data for c in (v.x, v.y))
