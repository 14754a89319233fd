"""Godot's ``PackedInt32Array``: a packed array of int32 (values wrap like a C cast)."""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable
from typing import Any

from engine.core.variant._common import int32
from engine.core.variant._packed_array import PackedArray


class PackedInt32Array(PackedArray[int]):
    """``PackedInt32Array()``, ``PackedInt32Array([1, 2, 3])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> int:
        return int32(value)

    @classmethod
    def _coerce_many(cls, values: Iterable[Any]) -> list[int]:
        if isinstance(values, PackedInt32Array):
            return list(values._data)
        if not isinstance(values, (list, tuple)):
            values = list(values)
        try:
            return array("i", values).tolist()  # fast path: in-range ints only
        except (OverflowError, TypeError):
            return [int32(v) for v in values]

    @staticmethod
    def _default() -> int:
        return 0

    def to_byte_array(self) -> bytes:
        return struct.pack(f"<{len(self._data)}i", *self._data)
