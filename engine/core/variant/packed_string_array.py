"""Godot's ``PackedStringArray``: a packed array of strings."""

from __future__ import annotations

from typing import Any

from engine.core.variant._packed_array import PackedArray


class PackedStringArray(PackedArray[str]):
    """``PackedStringArray()``, ``PackedStringArray(["a", "b"])``."""

    __slots__ = ()

    @staticmethod
    def _coerce(value: Any) -> str:
        if type(value) is str:
            return value
        if isinstance(value, str):
            return str.__str__(value)
        from engine.core.variant.node_path import NodePath

        if isinstance(value, NodePath):
            return str(value)
        raise TypeError(f"PackedStringArray elements are strings, got {type(value).__name__}")

    @staticmethod
    def _default() -> str:
        return ""

    @staticmethod
    def _element_str(value: Any) -> str:
        return '"' + str(value) + '"'

    def join(self, delimiter: str) -> str:
        """Python convenience: ``delimiter.join(array)`` (GDScript: ``delimiter.join(array)``)."""
        return delimiter.join(self._data)
