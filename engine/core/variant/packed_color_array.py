"""Godot's ``PackedColorArray``: a packed array of Color."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import float32_bytes
from engine.core.variant._packed_array import PackedArray
from engine.core.variant.color import Color


class PackedColorArray(PackedArray[Color]):
    """``PackedColorArray()``, ``PackedColorArray([Color.RED])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> Color:
        if isinstance(value, Color):
            return value
        raise TypeError(f"PackedColorArray elements are Color, got {type(value).__name__}")

    @staticmethod
    def _default() -> Color:
        return Color()

    def to_byte_array(self) -> bytes:
        return float32_bytes(c for v in self._data for c in (v.r, v.g, v.b, v.a))
