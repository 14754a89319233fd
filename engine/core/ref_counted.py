"""Godot's RefCounted (stub: the object-model work replaces this with the full class)."""

from __future__ import annotations

from engine.core.object import Object


class RefCounted(Object):
    """Base class of objects whose lifetime follows their references."""
