"""Godot's ``Window``, reduced to the tree root's title and size.

The platform layer reads ``title`` and ``size`` when it opens the pygame window (or the
offscreen surface when headless) and writes ``size`` back when the window is resized.
"""

from __future__ import annotations

from engine.core.properties import GodotProperty
from engine.core.variant.rect2 import Rect2
from engine.core.variant.vector2i import Vector2i
from engine.scene.viewport import Viewport


class Window(Viewport):
    """The root of a ``SceneTree`` (``get_tree().root``)."""

    def __init__(self) -> None:
        super().__init__()
        self._title = ""
        self._size = Vector2i(960, 540)

    def set_title(self, title: str) -> None:
        self._title = str(title)

    def get_title(self) -> str:
        return self._title

    def set_size(self, size: Vector2i) -> None:
        if not isinstance(size, Vector2i):
            raise TypeError(f"size must be a Vector2i, not {type(size).__name__}")
        self._size = size

    def get_size(self) -> Vector2i:
        return self._size

    def get_visible_rect(self) -> Rect2:
        return Rect2(0, 0, self._size.x, self._size.y)

    title = GodotProperty(get_title, set_title, default="")
    size = GodotProperty(get_size, set_size, default=Vector2i(960, 540))
