"""The pygame window (or headless offscreen surface), its events and its frame output.

With a display it opens a window titled and sized from the tree's root ``Window``, turns
``pygame.QUIT`` into the window-close request (``NOTIFICATION_WM_CLOSE_REQUEST`` and a quit
if ``SceneTree.auto_accept_quit``), keeps ``Window.size`` in sync on resize and hands every
other ``pygame.event.Event`` to ``root.push_input()`` (so ``_input(event)`` receives pygame
events). Headless it initialises no video driver at all, opens no window and delivers no
events, but still renders every frame into an offscreen ``pygame.Surface``
(``get_surface()``), so drawing can be checked pixel by pixel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from engine.core.variant.color import Color
from engine.core.variant.vector2i import Vector2i
from engine.platform.canvas_renderer import DEFAULT_CLEAR_COLOR, CanvasRenderer

if TYPE_CHECKING:
    from engine.scene.scene_tree import SceneTree


class DisplayServerPygame:
    """One pygame window or offscreen surface that a ``SceneTree`` draws into."""

    def __init__(
        self, *, headless: bool, size: tuple[int, int] = (960, 540), title: str = "netpeer"
    ) -> None:
        self.headless = headless
        self.renderer = CanvasRenderer()
        self._clear_color = DEFAULT_CLEAR_COLOR
        width, height = max(1, int(size[0])), max(1, int(size[1]))
        if not pygame.font.get_init():
            pygame.font.init()
        self._surface: Any
        if headless:
            self._surface = pygame.Surface((width, height))
        else:
            pygame.display.init()
            pygame.display.set_caption(title)
            self._surface = pygame.display.set_mode((width, height), pygame.RESIZABLE)

    def get_surface(self) -> Any:
        """The surface frames are drawn into (the window's, or the offscreen one)."""
        return self._surface

    def set_default_clear_color(self, color: Color) -> None:
        """Background colour of every frame (Godot's grey by default)."""
        self._clear_color = color

    def process_events(self, tree: SceneTree) -> None:
        """Deliver pending pygame events to the tree (nothing to do headless)."""
        if self.headless:
            return
        root = tree.get_root()
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                tree._main_window_close()
            elif event.type == pygame.VIDEORESIZE:
                root.set_size(Vector2i(event.w, event.h))
                root.push_input(event)
            elif root.is_inside_tree():
                root.push_input(event)

    def draw(self, tree: SceneTree) -> None:
        """Render the tree's CanvasItems and show the frame."""
        root = tree.get_root()
        if not root.is_inside_tree():
            return
        if not self.headless:
            self._surface = pygame.display.get_surface() or self._surface
        self.renderer.render(root, self._surface, self._clear_color)
        if not self.headless:
            pygame.display.flip()

    def close(self) -> None:
        """Close the window (the font module stays initialised for other users)."""
        if not self.headless and pygame.display.get_init():
            pygame.display.quit()
