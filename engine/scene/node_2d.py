"""Godot's ``Node2D``: a CanvasItem with a position, rotation and scale.

Children that are CanvasItems draw relative to this transform. The values are immutable
``Vector2``s, so move a node with ``node.position += Vector2(1, 0)`` or ``translate()``.
Godot: ``scene/2d/node_2d.cpp``.
"""

from __future__ import annotations

import math

from engine.core.properties import GodotProperty
from engine.core.variant.transform2d import Transform2D
from engine.core.variant.vector2 import Vector2
from engine.scene.canvas_item import CanvasItem


def _as_vector2(value: object) -> Vector2:
    if isinstance(value, Vector2):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Vector2(value[0], value[1])
    raise TypeError(f"expected a Vector2, got {type(value).__name__}")


class Node2D(CanvasItem):
    """A 2D game object with a transform (Godot ``Node2D``)."""

    def __init__(self) -> None:
        super().__init__()
        self._position = Vector2()
        self._rotation = 0.0
        self._scale = Vector2(1.0, 1.0)

    def _transform_changed(self) -> None:
        self.notification(CanvasItem.NOTIFICATION_LOCAL_TRANSFORM_CHANGED)

    # -- local transform ------------------------------------------------------------------------

    def set_position(self, position: Vector2) -> None:
        self._position = _as_vector2(position)
        self._transform_changed()

    def get_position(self) -> Vector2:
        return self._position

    def set_rotation(self, radians: float) -> None:
        self._rotation = float(radians)
        self._transform_changed()

    def get_rotation(self) -> float:
        return self._rotation

    def set_rotation_degrees(self, degrees: float) -> None:
        self.set_rotation(math.radians(degrees))

    def get_rotation_degrees(self) -> float:
        return math.degrees(self._rotation)

    def set_scale(self, scale: Vector2) -> None:
        self._scale = _as_vector2(scale)
        self._transform_changed()

    def get_scale(self) -> Vector2:
        return self._scale

    def get_transform(self) -> Transform2D:
        return Transform2D(self._rotation, self._scale, 0.0, self._position)

    def set_transform(self, xform: Transform2D) -> None:
        self._position = xform.get_origin()
        self._rotation = xform.get_rotation()
        self._scale = xform.get_scale()
        self._transform_changed()

    def translate(self, offset: Vector2) -> None:
        """Move by ``offset`` in the parent's coordinates."""
        self.set_position(self._position + _as_vector2(offset))

    def rotate(self, radians: float) -> None:
        self.set_rotation(self._rotation + radians)

    def apply_scale(self, ratio: Vector2) -> None:
        ratio = _as_vector2(ratio)
        self.set_scale(Vector2(self._scale.x * ratio.x, self._scale.y * ratio.y))

    def move_local_x(self, delta: float, scaled: bool = False) -> None:
        axis = self.get_transform().x
        if not scaled:
            axis = axis.normalized()
        self.set_position(self._position + axis * delta)

    def move_local_y(self, delta: float, scaled: bool = False) -> None:
        axis = self.get_transform().y
        if not scaled:
            axis = axis.normalized()
        self.set_position(self._position + axis * delta)

    # -- global transform -----------------------------------------------------------------------

    def _parent_global_transform(self) -> Transform2D:
        parent = self.get_parent()
        if isinstance(parent, CanvasItem):
            return parent.get_global_transform()
        return Transform2D()

    def set_global_transform(self, xform: Transform2D) -> None:
        self.set_transform(self._parent_global_transform().affine_inverse() * xform)

    def get_global_position(self) -> Vector2:
        return self.get_global_transform().get_origin()

    def set_global_position(self, position: Vector2) -> None:
        local = self._parent_global_transform().affine_inverse() * _as_vector2(position)
        self.set_position(local)

    def get_global_rotation(self) -> float:
        return self.get_global_transform().get_rotation()

    def set_global_rotation(self, radians: float) -> None:
        self.set_rotation(radians - self._parent_global_transform().get_rotation())

    def get_global_scale(self) -> Vector2:
        return self.get_global_transform().get_scale()

    def to_local(self, global_point: Vector2) -> Vector2:
        """Convert a canvas point into this node's coordinates."""
        return self.get_global_transform().affine_inverse() * _as_vector2(global_point)

    def to_global(self, local_point: Vector2) -> Vector2:
        """Convert a point in this node's coordinates to the canvas."""
        return self.get_global_transform() * _as_vector2(local_point)

    def look_at(self, point: Vector2) -> None:
        """Rotate so that the +X axis points at the canvas ``point``."""
        target = self.to_local(_as_vector2(point)) * self._scale
        self.rotate(math.atan2(target.y, target.x))

    # -- properties -----------------------------------------------------------------------------

    position = GodotProperty(get_position, set_position, default=Vector2())
    rotation = GodotProperty(get_rotation, set_rotation, default=0.0)
    rotation_degrees = GodotProperty(get_rotation_degrees, set_rotation_degrees, default=0.0)
    scale = GodotProperty(get_scale, set_scale, default=Vector2(1.0, 1.0))
    transform = GodotProperty(get_transform, set_transform)
    global_position = GodotProperty(get_global_position, set_global_position)
    global_rotation = GodotProperty(get_global_rotation, set_global_rotation)
    global_transform = GodotProperty(CanvasItem.get_global_transform, set_global_transform)
