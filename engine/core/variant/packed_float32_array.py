"""Godot's ``PackedFloat32Array``: a packed array of float32 (values are rounded on store)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.core.variant._common import float32_bytes, float32_list, real, to_float32
from engine.core.variant._packed_array import PackedArray


class PackedFloat32Array(PackedArray[float]):
    """``PackedFloat32Array()``, ``PackedFloat32Array([0.5, 1.0])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> float:
        return to_float32(real(value))

    @classmethod
    def _coerce_many(cls, values: Iterable[Any]) -> list[float]:
        if isinstance(values, PackedFloat32Array):
            return list(values._data)
        return float32_list(real(v) for v in values)

    @staticmethod
    def _default() -> float:
        return 0.0

    def to_byte_array(self) -> bytes:
        return float32_bytes(self._data)
