"""Godot's Variant value types: ``from engine.core.variant import Vector2, typeof``.

Python builtins stand for the remaining Variant types: None (Nil), bool, int, float, str (String),
list (Array), dict (Dictionary), bytes (PackedByteArray). ``typeof()`` maps any value to its id.
"""

from __future__ import annotations

from engine.core.variant.aabb import AABB
from engine.core.variant.basis import Basis
from engine.core.variant.color import Color
from engine.core.variant.node_path import NodePath
from engine.core.variant.packed_color_array import PackedColorArray
from engine.core.variant.packed_float32_array import PackedFloat32Array
from engine.core.variant.packed_float64_array import PackedFloat64Array
from engine.core.variant.packed_int32_array import PackedInt32Array
from engine.core.variant.packed_int64_array import PackedInt64Array
from engine.core.variant.packed_string_array import PackedStringArray
from engine.core.variant.packed_vector2_array import PackedVector2Array
from engine.core.variant.packed_vector3_array import PackedVector3Array
from engine.core.variant.plane import Plane
from engine.core.variant.projection import Projection
from engine.core.variant.quaternion import Quaternion
from engine.core.variant.rect2 import Rect2
from engine.core.variant.rect2i import Rect2i
from engine.core.variant.rid import RID
from engine.core.variant.string_name import StringName
from engine.core.variant.transform2d import Transform2D
from engine.core.variant.transform3d import Transform3D
from engine.core.variant.variant_type import (
    TYPE_AABB,
    TYPE_ARRAY,
    TYPE_BASIS,
    TYPE_BOOL,
    TYPE_CALLABLE,
    TYPE_COLOR,
    TYPE_DICTIONARY,
    TYPE_FLOAT,
    TYPE_INT,
    TYPE_MAX,
    TYPE_NIL,
    TYPE_NODE_PATH,
    TYPE_OBJECT,
    TYPE_PACKED_BYTE_ARRAY,
    TYPE_PACKED_COLOR_ARRAY,
    TYPE_PACKED_FLOAT32_ARRAY,
    TYPE_PACKED_FLOAT64_ARRAY,
    TYPE_PACKED_INT32_ARRAY,
    TYPE_PACKED_INT64_ARRAY,
    TYPE_PACKED_STRING_ARRAY,
    TYPE_PACKED_VECTOR2_ARRAY,
    TYPE_PACKED_VECTOR3_ARRAY,
    TYPE_PLANE,
    TYPE_PROJECTION,
    TYPE_QUATERNION,
    TYPE_RECT2,
    TYPE_RECT2I,
    TYPE_RID,
    TYPE_SIGNAL,
    TYPE_STRING,
    TYPE_STRING_NAME,
    TYPE_TRANSFORM2D,
    TYPE_TRANSFORM3D,
    TYPE_VECTOR2,
    TYPE_VECTOR2I,
    TYPE_VECTOR3,
    TYPE_VECTOR3I,
    TYPE_VECTOR4,
    TYPE_VECTOR4I,
    VariantType,
    typeof,
)
from engine.core.variant.vector2 import Vector2
from engine.core.variant.vector2i import Vector2i
from engine.core.variant.vector3 import Vector3
from engine.core.variant.vector3i import Vector3i
from engine.core.variant.vector4 import Vector4
from engine.core.variant.vector4i import Vector4i

__all__ = [
    "AABB",
    "RID",
    "TYPE_AABB",
    "TYPE_ARRAY",
    "TYPE_BASIS",
    "TYPE_BOOL",
    "TYPE_CALLABLE",
    "TYPE_COLOR",
    "TYPE_DICTIONARY",
    "TYPE_FLOAT",
    "TYPE_INT",
    "TYPE_MAX",
    "TYPE_NIL",
    "TYPE_NODE_PATH",
    "TYPE_OBJECT",
    "TYPE_PACKED_BYTE_ARRAY",
    "TYPE_PACKED_COLOR_ARRAY",
    "TYPE_PACKED_FLOAT32_ARRAY",
    "TYPE_PACKED_FLOAT64_ARRAY",
    "TYPE_PACKED_INT32_ARRAY",
    "TYPE_PACKED_INT64_ARRAY",
    "TYPE_PACKED_STRING_ARRAY",
    "TYPE_PACKED_VECTOR2_ARRAY",
    "TYPE_PACKED_VECTOR3_ARRAY",
    "TYPE_PLANE",
    "TYPE_PROJECTION",
    "TYPE_QUATERNION",
    "TYPE_RECT2",
    "TYPE_RECT2I",
    "TYPE_RID",
    "TYPE_SIGNAL",
    "TYPE_STRING",
    "TYPE_STRING_NAME",
    "TYPE_TRANSFORM2D",
    "TYPE_TRANSFORM3D",
    "TYPE_VECTOR2",
    "TYPE_VECTOR2I",
    "TYPE_VECTOR3",
    "TYPE_VECTOR3I",
    "TYPE_VECTOR4",
    "TYPE_VECTOR4I",
    "Basis",
    "Color",
    "NodePath",
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
    "StringName",
    "Transform2D",
    "Transform3D",
    "VariantType",
    "Vector2",
    "Vector2i",
    "Vector3",
    "Vector3i",
    "Vector4",
    "Vector4i",
    "typeof",
]
