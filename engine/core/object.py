"""Godot's Object (stub: the object-model work replaces this with the full class)."""

from __future__ import annotations


class Object:
    """Base class of every Godot object."""

    def __init__(self) -> None:
        pass
