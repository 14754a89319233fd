"""Godot's ``CanvasItem``: a node that draws 2D shapes with ``draw_*`` calls in ``_draw()``.

Drawing is *retained*, as in Godot: ``_draw()`` runs once after ``queue_redraw()`` (and
when the item enters the tree or becomes visible), during the frame's deferred-call flush.
Its ``draw_line``/``draw_rect``/``draw_circle``/``draw_string`` calls are recorded as
commands in the item's local coordinates and kept until the next redraw. The platform
layer (``engine.platform.canvas_renderer``) replays the commands of every visible item,
in tree order, through its global transform onto a pygame surface. Nothing here imports
pygame, so a headless server keeps the same scene code.

Godot: ``scene/main/canvas_item.cpp``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.core.message_queue import MessageQueue
from engine.core.messages import push_error
from engine.core.properties import GodotProperty
from engine.core.signal import signal
from engine.core.variant.color import Color
from engine.core.variant.rect2 import Rect2
from engine.core.variant.transform2d import Transform2D
from engine.core.variant.vector2 import Vector2
from engine.scene.node import Node

# One recorded draw call: (kind, arguments). Kinds and arguments:
#   "line":     (from: Vector2, to: Vector2, color: Color, width: float)
#   "polyline": (points: tuple[Vector2, ...], color: Color, width: float)
#   "rect":     (rect: Rect2, color: Color, filled: bool, width: float)
#   "circle":   (center: Vector2, radius: float, color: Color)
#   "polygon":  (points: tuple[Vector2, ...], color: Color)
#   "string":   (pos: Vector2, text: str, alignment: int, width: float, font_size: int,
#                modulate: Color)
DrawCommand = tuple[str, tuple[Any, ...]]

_WHITE = Color(1.0, 1.0, 1.0, 1.0)


def _vec(value: Any, what: str) -> Vector2:
    if isinstance(value, Vector2):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Vector2(value[0], value[1])
    raise TypeError(f"{what} must be a Vector2, not {type(value).__name__}")


def _color(value: Any) -> Color:
    if isinstance(value, Color):
        return value
    raise TypeError(f"color must be a Color, not {type(value).__name__}")


class CanvasItem(Node):
    """Base class of everything drawn in 2D (Godot ``CanvasItem``)."""

    NOTIFICATION_TRANSFORM_CHANGED = 2000
    NOTIFICATION_LOCAL_TRANSFORM_CHANGED = 35
    NOTIFICATION_DRAW = 30
    NOTIFICATION_VISIBILITY_CHANGED = 31
    NOTIFICATION_ENTER_CANVAS = 32
    NOTIFICATION_EXIT_CANVAS = 33
    NOTIFICATION_WORLD_2D_CHANGED = 36

    # HorizontalAlignment (@GlobalScope), for draw_string.
    HORIZONTAL_ALIGNMENT_LEFT = 0
    HORIZONTAL_ALIGNMENT_CENTER = 1
    HORIZONTAL_ALIGNMENT_RIGHT = 2
    HORIZONTAL_ALIGNMENT_FILL = 3

    draw = signal()
    visibility_changed = signal()
    hidden = signal()
    item_rect_changed = signal()

    def __init__(self) -> None:
        super().__init__()
        self._visible = True
        self._modulate = _WHITE
        self._self_modulate = _WHITE
        self._z_index = 0
        self._drawing = False
        self._pending_update = False
        self._draw_commands: list[DrawCommand] = []

    def _notification(self, what: int) -> None:
        if what == Node.NOTIFICATION_ENTER_TREE:
            self.notification(CanvasItem.NOTIFICATION_ENTER_CANVAS)
            self.queue_redraw()
        elif what == Node.NOTIFICATION_EXIT_TREE:
            self.notification(CanvasItem.NOTIFICATION_EXIT_CANVAS, True)
            self._draw_commands = []

    # -- virtual --------------------------------------------------------------------------------

    def _draw(self) -> None:
        """Override to draw with ``draw_*``; runs after ``queue_redraw()``."""

    # -- transform (Node2D overrides get_transform) ---------------------------------------------

    def get_transform(self) -> Transform2D:
        """The local transform relative to the parent CanvasItem (identity here)."""
        return Transform2D()

    def get_global_transform(self) -> Transform2D:
        """The transform to the canvas: parent CanvasItems' transforms composed with ours."""
        parent = self.get_parent()
        if isinstance(parent, CanvasItem):
            return parent.get_global_transform() * self.get_transform()
        return self.get_transform()

    # -- visibility -----------------------------------------------------------------------------

    def set_visible(self, visible: bool) -> None:
        """Show or hide the item and its CanvasItem children."""
        visible = bool(visible)
        if visible == self._visible:
            return
        self._visible = visible
        if visible:
            self.queue_redraw()
        else:
            self.emit_signal("hidden")
        self._propagate_visibility_changed()

    def _propagate_visibility_changed(self) -> None:
        self.notification(CanvasItem.NOTIFICATION_VISIBILITY_CHANGED)
        self.emit_signal("visibility_changed")
        for child in self.get_children():
            if isinstance(child, CanvasItem) and child._visible:
                child._propagate_visibility_changed()

    def is_visible(self) -> bool:
        return self._visible

    def show(self) -> None:
        self.set_visible(True)

    def hide(self) -> None:
        self.set_visible(False)

    def is_visible_in_tree(self) -> bool:
        """True if this item and every CanvasItem ancestor are visible, inside a tree."""
        if not self.is_inside_tree():
            return False
        node: Node | None = self
        while isinstance(node, CanvasItem):
            if not node._visible:
                return False
            node = node.get_parent()
        return True

    def set_modulate(self, modulate: Color) -> None:
        """Colour multiplied into this item and its children."""
        self._modulate = _color(modulate)

    def get_modulate(self) -> Color:
        return self._modulate

    def set_self_modulate(self, self_modulate: Color) -> None:
        """Colour multiplied into this item only."""
        self._self_modulate = _color(self_modulate)

    def get_self_modulate(self) -> Color:
        return self._self_modulate

    def set_z_index(self, z_index: int) -> None:
        """Stored for API parity; items draw in tree order."""
        self._z_index = int(z_index)

    def get_z_index(self) -> int:
        return self._z_index

    # -- redraw ---------------------------------------------------------------------------------

    def queue_redraw(self) -> None:
        """Run ``_draw()`` again during this frame's deferred calls."""
        if not self.is_inside_tree() or self._pending_update:
            return
        self._pending_update = True
        MessageQueue.get_singleton().push_call(self, "_redraw_callback")

    def _redraw_callback(self) -> None:
        if not self.is_inside_tree():
            self._pending_update = False
            return
        self._draw_commands = []
        if self.is_visible_in_tree():
            self._drawing = True
            try:
                self.notification(CanvasItem.NOTIFICATION_DRAW)
                self.emit_signal("draw")
                self._draw()
            finally:
                self._drawing = False
        self._pending_update = False

    def _get_draw_commands(self) -> list[DrawCommand]:
        """The commands recorded by the last ``_draw()`` (read by the platform renderer)."""
        return self._draw_commands

    def _record(self, kind: str, args: tuple[Any, ...]) -> bool:
        if not self._drawing:
            push_error(
                "Drawing is only allowed inside this node's `_draw()`, functions connected to "
                "its `draw` signal, or when it receives NOTIFICATION_DRAW."
            )
            return False
        self._draw_commands.append((kind, args))
        return True

    # -- draw calls -----------------------------------------------------------------------------

    def draw_line(
        self,
        from_: Vector2,
        to: Vector2,
        color: Color,
        width: float = -1.0,
        antialiased: bool = False,
    ) -> None:
        """A line segment; ``width`` < 0 draws the thinnest line."""
        self._record("line", (_vec(from_, "from"), _vec(to, "to"), _color(color), float(width)))

    def draw_polyline(
        self,
        points: Sequence[Vector2],
        color: Color,
        width: float = -1.0,
        antialiased: bool = False,
    ) -> None:
        """Connected line segments through ``points``."""
        pts = tuple(_vec(p, "point") for p in points)
        self._record("polyline", (pts, _color(color), float(width)))

    def draw_rect(
        self, rect: Rect2, color: Color, filled: bool = True, width: float = -1.0
    ) -> None:
        """A rectangle, filled or outlined (``width`` applies to outlines)."""
        if not isinstance(rect, Rect2):
            raise TypeError(f"rect must be a Rect2, not {type(rect).__name__}")
        self._record("rect", (rect, _color(color), bool(filled), float(width)))

    def draw_circle(self, position: Vector2, radius: float, color: Color) -> None:
        """A filled circle."""
        self._record("circle", (_vec(position, "position"), float(radius), _color(color)))

    def draw_colored_polygon(
        self,
        points: Sequence[Vector2],
        color: Color,
        uvs: Sequence[Vector2] = (),
        texture: object = None,
    ) -> None:
        """A filled polygon of one colour (``uvs`` and ``texture`` are accepted and ignored:
        the pygame renderer has no textures)."""
        pts = tuple(_vec(p, "point") for p in points)
        self._record("polygon", (pts, _color(color)))

    def draw_string(
        self,
        font: object,
        pos: Vector2,
        text: str,
        alignment: int = HORIZONTAL_ALIGNMENT_LEFT,
        width: float = -1,
        font_size: int = 16,
        modulate: Color = _WHITE,
        justification_flags: int = 3,
        direction: int = 0,
        orientation: int = 0,
    ) -> None:
        """Text whose baseline starts at ``pos``.

        ``font`` is accepted for API parity; ``None`` (Godot's fallback font) is the norm:
        the platform draws with pygame's default font at ``font_size`` pixels.
        ``justification_flags`` (default ``JUSTIFICATION_KASHIDA | JUSTIFICATION_WORD_BOUND``),
        ``direction`` and ``orientation`` (``DIRECTION_AUTO``, ``ORIENTATION_HORIZONTAL``) are
        accepted for API parity too and ignored: pygame lays out one horizontal line.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        self._record(
            "string",
            (
                _vec(pos, "pos"),
                text,
                int(alignment),
                float(width),
                int(font_size),
                _color(modulate),
            ),
        )

    # -- properties -----------------------------------------------------------------------------

    visible = GodotProperty(is_visible, set_visible, default=True)
    modulate = GodotProperty(get_modulate, set_modulate, default=_WHITE)
    self_modulate = GodotProperty(get_self_modulate, set_self_modulate, default=_WHITE)
    z_index = GodotProperty(get_z_index, set_z_index, default=0)
