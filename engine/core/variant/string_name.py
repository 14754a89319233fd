"""Godot's ``StringName``: an interned-name string. A ``str`` subclass, so it works anywhere
a ``str`` does; the codec keeps it apart from ``String`` (type 21 instead of 4)."""

from __future__ import annotations


class StringName(str):
    """``StringName()``, ``StringName("name")``, ``StringName(other)``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"StringName({str.__repr__(self)})"
