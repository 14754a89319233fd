"""Godot 4's object model for Python: Object, signals, Variant types, Node and SceneTree.

``from engine import Node, Vector2, Error`` gives the names a GDScript user expects; the
submodules (``engine.core``, ``engine.scene``, ``engine.platform``) hold one class each.
"""

from __future__ import annotations

from engine.core.callable import Callable
from engine.core.class_db import ClassDB
from engine.core.engine import Engine
from engine.core.error import Error, error_string
from engine.core.message_queue import MessageQueue
from engine.core.messages import push_error, push_warning
from engine.core.object import Object, instance_from_id, is_instance_valid
from engine.core.ref_counted import RefCounted
from engine.core.resource import Resource
from engine.core.signal import Signal, signal
from engine.core.time import Time
from engine.core.variant import (
    AABB,
    RID,
    Basis,
    Color,
    NodePath,
    PackedColorArray,
    PackedFloat32Array,
    PackedFloat64Array,
    PackedInt32Array,
    PackedInt64Array,
    PackedStringArray,
    PackedVector2Array,
    PackedVector3Array,
    Plane,
    Projection,
    Quaternion,
    Rect2,
    Rect2i,
    StringName,
    Transform2D,
    Transform3D,
    Vector2,
    Vector2i,
    Vector3,
    Vector3i,
    Vector4,
    Vector4i,
    typeof,
)
from engine.scene.canvas_item import CanvasItem
from engine.scene.main_loop import MainLoop
from engine.scene.node import Node
from engine.scene.node_2d import Node2D
from engine.scene.scene_tree import SceneTree
from engine.scene.scene_tree_timer import SceneTreeTimer
from engine.scene.timer import Timer

OK = Error.OK
FAILED = Error.FAILED

__all__ = [
    "AABB",
    "FAILED",
    "OK",
    "RID",
    "Basis",
    "Callable",
    "CanvasItem",
    "ClassDB",
    "Color",
    "Engine",
    "Error",
    "MainLoop",
    "MessageQueue",
    "Node",
    "Node2D",
    "NodePath",
    "Object",
    "PackedColorArray",
    "PackedFloat32Array",
    "PackedFloat64Array",
    "PackedInt32Array",
    "PackedInt64Array",
    "PackedStringArray",
    "PackedVector2Array",
    "PackedVector3Array",
    "Plane",
    "Projection",
    "Quaternion",
    "Rect2",
    "Rect2i",
    "RefCounted",
    "Resource",
    "SceneTree",
    "SceneTreeTimer",
    "Signal",
    "StringName",
    "Time",
    "Timer",
    "Transform2D",
    "Transform3D",
    "Vector2",
    "Vector2i",
    "Vector3",
    "Vector3i",
    "Vector4",
    "Vector4i",
    "error_string",
    "instance_from_id",
    "is_instance_valid",
    "push_error",
    "push_warning",
    "signal",
    "typeof",
]
