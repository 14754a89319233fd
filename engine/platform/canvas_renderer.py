"""Replays the draw commands recorded by CanvasItems onto a ``pygame.Surface``.

``CanvasRenderer().render(root, surface)`` clears the surface, walks the tree in tree order
and draws every visible CanvasItem's commands through its global transform, multiplied by
the ``modulate`` of its CanvasItem ancestors and its own ``self_modulate``. A plain ``Node``
between two CanvasItems starts a fresh transform, as in Godot. Translucent colours are
blended through a small per-shape alpha surface; text is drawn with pygame's default font
(which needs no display), so the same code renders headless into an offscreen surface.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pygame

from engine.core.variant.color import Color
from engine.core.variant.transform2d import Transform2D
from engine.core.variant.vector2 import Vector2
from engine.scene.canvas_item import CanvasItem, DrawCommand
from engine.scene.node import Node

_IDENTITY = Transform2D()
_WHITE = Color(1.0, 1.0, 1.0, 1.0)
# Godot's default clear colour (rendering/environment/defaults/default_clear_color).
DEFAULT_CLEAR_COLOR = Color(0.3, 0.3, 0.3, 1.0)

_RGBA = tuple[int, int, int, int]
_Point = tuple[float, float]


def _rgba(color: Color) -> _RGBA:
    def byte(v: float) -> int:
        return max(0, min(255, round(v * 255)))

    return (byte(color.r), byte(color.g), byte(color.b), byte(color.a))


def _modulated(color: Color, modulate: Color) -> Color:
    if modulate == _WHITE:
        return color
    return Color(
        color.r * modulate.r, color.g * modulate.g, color.b * modulate.b, color.a * modulate.a
    )


class CanvasRenderer:
    """Draws a scene tree's CanvasItems onto pygame surfaces."""

    def __init__(self) -> None:
        self._fonts: dict[int, Any] = {}

    def render(self, root: Node, surface: Any, clear_color: Color | None = None) -> None:
        """Clear ``surface`` with ``clear_color`` (Godot's grey by default) and draw ``root``."""
        surface.fill(_rgba(clear_color if clear_color is not None else DEFAULT_CLEAR_COLOR))
        self._walk(root, surface, _IDENTITY, _WHITE, False)

    def _walk(
        self, node: Node, surface: Any, xform: Transform2D, modulate: Color, in_canvas: bool
    ) -> None:
        if isinstance(node, CanvasItem):
            if not node.is_visible():
                return
            local = node.get_transform()
            xform = xform * local if in_canvas else local
            modulate = _modulated(node.get_modulate(), modulate)
            item_modulate = _modulated(node.get_self_modulate(), modulate)
            for command in node._get_draw_commands():
                self._draw(surface, command, xform, item_modulate)
            in_canvas = True
        else:
            xform, modulate, in_canvas = _IDENTITY, _WHITE, False
        for child in node._children:
            self._walk(child, surface, xform, modulate, in_canvas)

    # -- commands -------------------------------------------------------------------------------

    def _draw(self, surface: Any, command: DrawCommand, xform: Transform2D, mod: Color) -> None:
        kind, args = command
        scale = math.sqrt(abs(xform.determinant())) or 1.0
        if kind == "line":
            a, b, color, width = args
            self._lines(surface, [xform * a, xform * b], _modulated(color, mod), width, scale)
        elif kind == "polyline":
            points, color, width = args
            self._lines(surface, [xform * p for p in points], _modulated(color, mod), width, scale)
        elif kind == "rect":
            rect, color, filled, width = args
            p, s = rect.position, rect.size
            corners = [p, Vector2(p.x + s.x, p.y), p + s, Vector2(p.x, p.y + s.y)]
            pts = [xform * c for c in corners]
            rgba = _rgba(_modulated(color, mod))
            if filled:
                self._polygon(surface, pts, rgba, axis_aligned=_axis_aligned(xform))
            else:
                self._lines(surface, [*pts, pts[0]], _modulated(color, mod), width, scale)
        elif kind == "circle":
            center, radius, color = args
            c = xform * center
            r = max(0.5, radius * scale)
            rgba = _rgba(_modulated(color, mod))
            bbox = pygame.Rect(
                math.floor(c.x - r), math.floor(c.y - r), math.ceil(2 * r) + 2, math.ceil(2 * r) + 2
            )
            self._blend(
                surface,
                rgba,
                bbox,
                lambda target, ox, oy, col: pygame.draw.circle(
                    target, col, (c.x - ox, c.y - oy), r
                ),
            )
        elif kind == "polygon":
            points, color = args
            self._polygon(surface, [xform * p for p in points], _rgba(_modulated(color, mod)))
        elif kind == "string":
            pos, text, alignment, width, font_size, modulate = args
            self._string(
                surface, xform * pos, text, alignment, width * scale, font_size, mod, modulate
            )

    def _lines(
        self, surface: Any, points: Sequence[Vector2], color: Color, width: float, scale: float
    ) -> None:
        if len(points) < 2:
            return
        w = 1 if width < 0 else max(1, round(width * scale))
        rgba = _rgba(color)
        pts: list[_Point] = [(p.x, p.y) for p in points]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        bbox = pygame.Rect(
            math.floor(min(xs)) - w,
            math.floor(min(ys)) - w,
            math.ceil(max(xs) - min(xs)) + 2 * w + 2,
            math.ceil(max(ys) - min(ys)) + 2 * w + 2,
        )
        self._blend(
            surface,
            rgba,
            bbox,
            lambda target, ox, oy, col: pygame.draw.lines(
                target, col, False, [(x - ox, y - oy) for x, y in pts], w
            ),
        )

    def _polygon(
        self, surface: Any, points: Sequence[Vector2], rgba: _RGBA, axis_aligned: bool = False
    ) -> None:
        if len(points) < 3:
            return
        xs = [p.x for p in points]
        ys = [p.y for p in points]
        if axis_aligned:
            # Pixel-exact fill for unrotated rectangles: cover [min, max) like Godot.
            left, top = round(min(xs)), round(min(ys))
            bbox = pygame.Rect(left, top, round(max(xs)) - left, round(max(ys)) - top)
            self._blend(
                surface,
                rgba,
                bbox,
                lambda target, ox, oy, col: target.fill(col, bbox.move(-ox, -oy)),
            )
            return
        pts: list[_Point] = [(p.x, p.y) for p in points]
        bbox = pygame.Rect(
            math.floor(min(xs)),
            math.floor(min(ys)),
            math.ceil(max(xs) - min(xs)) + 2,
            math.ceil(max(ys) - min(ys)) + 2,
        )
        self._blend(
            surface,
            rgba,
            bbox,
            lambda target, ox, oy, col: pygame.draw.polygon(
                target, col, [(x - ox, y - oy) for x, y in pts]
            ),
        )

    def _blend(
        self,
        surface: Any,
        rgba: _RGBA,
        bbox: Any,
        paint: Callable[[Any, int, int, _RGBA], object],
    ) -> None:
        """Paint opaque colours straight onto ``surface``; blend translucent ones."""
        if rgba[3] == 0:
            return
        if rgba[3] == 255:
            paint(surface, 0, 0, rgba)
            return
        clipped = bbox.clip(surface.get_rect())
        if clipped.width <= 0 or clipped.height <= 0:
            return
        layer = pygame.Surface(clipped.size, pygame.SRCALPHA)
        paint(layer, clipped.x, clipped.y, rgba)
        surface.blit(layer, clipped.topleft)

    def _font(self, size: int) -> Any:
        font = self._fonts.get(size)
        if font is None:
            if not pygame.font.get_init():
                pygame.font.init()
            font = pygame.font.Font(None, max(1, size))
            self._fonts[size] = font
        return font

    def _string(
        self,
        surface: Any,
        pos: Vector2,
        text: str,
        alignment: int,
        width: float,
        font_size: int,
        item_modulate: Color,
        modulate: Color,
    ) -> None:
        if not text:
            return
        font = self._font(font_size)
        rgba = _rgba(_modulated(modulate, item_modulate))
        if rgba[3] == 0:
            return
        image = font.render(text, True, rgba[:3])
        if rgba[3] < 255:
            image.set_alpha(rgba[3])
        x = pos.x
        if width > 0 and alignment == CanvasItem.HORIZONTAL_ALIGNMENT_CENTER:
            x += (width - image.get_width()) / 2
        elif width > 0 and alignment == CanvasItem.HORIZONTAL_ALIGNMENT_RIGHT:
            x += width - image.get_width()
        surface.blit(image, (round(x), round(pos.y - font.get_ascent())))


def _axis_aligned(xform: Transform2D) -> bool:
    return xform.x.y == 0 and xform.y.x == 0
