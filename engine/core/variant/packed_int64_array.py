"""Godot's ``PackedInt64Array``: a packed array of int64 (values wrap like a C cast)."""

from __future__ import annotations

import struct
from typing import Any

from engine.core.variant._common import integer, wrap_int64
from engine.core.variant._packed_array import PackedArray


class PackedInt64Array(PackedArray[int]):
    """``PackedInt64Array()``, ``PackedInt64Array([1, 2, 3])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> int:
        return wrap_int64(integer(value))

    @staticmethod
    def _default() -> int:
        return 0

    def to_byte_array(self) -> bytes:
        return struct.pack(f"<{len(self._data)}q", *self._data)
