"""Godot's ``PackedFloat64Array``: a packed array of doubles."""

from __future__ import annotations

import struct
from typing import Any

from engine.core.variant._common import real
from engine.core.variant._packed_array import PackedArray


class PackedFloat64Array(PackedArray[float]):
    """``PackedFloat64Array()``, ``PackedFloat64Array([0.1, 1.0])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> float:
        return real(value)

    @staticmethod
    def _default() -> float:
        return 0.0

    def to_byte_array(self) -> bytes:
        return struct.pack(f"<{len(self._data)}d", *self._data)
