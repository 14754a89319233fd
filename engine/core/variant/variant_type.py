"""Godot's ``Variant.Type`` ids (4.2) and ``typeof()`` for Python values.

The Python stand-ins: None is NIL, bool BOOL, int INT, float FLOAT, str STRING, list (and
tuple) ARRAY, dict DICTIONARY, bytes/bytearray/memoryview PACKED_BYTE_ARRAY; the value
classes of this package map to their own ids; Godot Objects are OBJECT.
"""

from __future__ import annotations

from enum import IntEnum

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
from engine.core.variant.vector2 import Vector2
from engine.core.variant.vector2i import Vector2i
from engine.core.variant.vector3 import Vector3
from engine.core.variant.vector3i import Vector3i
from engine.core.variant.vector4 import Vector4
from engine.core.variant.vector4i import Vector4i


class VariantType(IntEnum):
    """``Variant.Type`` (``@GlobalScope.Variant.Type``), Godot 4.2 numbering."""

    TYPE_NIL = 0
    TYPE_BOOL = 1
    TYPE_INT = 2
    TYPE_FLOAT = 3
    TYPE_STRING = 4
    TYPE_VECTOR2 = 5
    TYPE_VECTOR2I = 6
    TYPE_RECT2 = 7
    TYPE_RECT2I = 8
    TYPE_VECTOR3 = 9
    TYPE_VECTOR3I = 10
    TYPE_TRANSFORM2D = 11
    TYPE_VECTOR4 = 12
    TYPE_VECTOR4I = 13
    TYPE_PLANE = 14
    TYPE_QUATERNION = 15
    TYPE_AABB = 16
    TYPE_BASIS = 17
    TYPE_TRANSFORM3D = 18
    TYPE_PROJECTION = 19
    TYPE_COLOR = 20
    TYPE_STRING_NAME = 21
    TYPE_NODE_PATH = 22
    TYPE_RID = 23
    TYPE_OBJECT = 24
    TYPE_CALLABLE = 25
    TYPE_SIGNAL = 26
    TYPE_DICTIONARY = 27
    TYPE_ARRAY = 28
    TYPE_PACKED_BYTE_ARRAY = 29
    TYPE_PACKED_INT32_ARRAY = 30
    TYPE_PACKED_INT64_ARRAY = 31
    TYPE_PACKED_FLOAT32_ARRAY = 32
    TYPE_PACKED_FLOAT64_ARRAY = 33
    TYPE_PACKED_STRING_ARRAY = 34
    TYPE_PACKED_VECTOR2_ARRAY = 35
    TYPE_PACKED_VECTOR3_ARRAY = 36
    TYPE_PACKED_COLOR_ARRAY = 37
    TYPE_MAX = 38

    def __repr__(self) -> str:
        return f"VariantType.{self.name}"


TYPE_NIL = VariantType.TYPE_NIL
TYPE_BOOL = VariantType.TYPE_BOOL
TYPE_INT = VariantType.TYPE_INT
TYPE_FLOAT = VariantType.TYPE_FLOAT
TYPE_STRING = VariantType.TYPE_STRING
TYPE_VECTOR2 = VariantType.TYPE_VECTOR2
TYPE_VECTOR2I = VariantType.TYPE_VECTOR2I
TYPE_RECT2 = VariantType.TYPE_RECT2
TYPE_RECT2I = VariantType.TYPE_RECT2I
TYPE_VECTOR3 = VariantType.TYPE_VECTOR3
TYPE_VECTOR3I = VariantType.TYPE_VECTOR3I
TYPE_TRANSFORM2D = VariantType.TYPE_TRANSFORM2D
TYPE_VECTOR4 = VariantType.TYPE_VECTOR4
TYPE_VECTOR4I = VariantType.TYPE_VECTOR4I
TYPE_PLANE = VariantType.TYPE_PLANE
TYPE_QUATERNION = VariantType.TYPE_QUATERNION
TYPE_AABB = VariantType.TYPE_AABB
TYPE_BASIS = VariantType.TYPE_BASIS
TYPE_TRANSFORM3D = VariantType.TYPE_TRANSFORM3D
TYPE_PROJECTION = VariantType.TYPE_PROJECTION
TYPE_COLOR = VariantType.TYPE_COLOR
TYPE_STRING_NAME = VariantType.TYPE_STRING_NAME
TYPE_NODE_PATH = VariantType.TYPE_NODE_PATH
TYPE_RID = VariantType.TYPE_RID
TYPE_OBJECT = VariantType.TYPE_OBJECT
TYPE_CALLABLE = VariantType.TYPE_CALLABLE
TYPE_SIGNAL = VariantType.TYPE_SIGNAL
TYPE_DICTIONARY = VariantType.TYPE_DICTIONARY
TYPE_ARRAY = VariantType.TYPE_ARRAY
TYPE_PACKED_BYTE_ARRAY = VariantType.TYPE_PACKED_BYTE_ARRAY
TYPE_PACKED_INT32_ARRAY = VariantType.TYPE_PACKED_INT32_ARRAY
TYPE_PACKED_INT64_ARRAY = VariantType.TYPE_PACKED_INT64_ARRAY
TYPE_PACKED_FLOAT32_ARRAY = VariantType.TYPE_PACKED_FLOAT32_ARRAY
TYPE_PACKED_FLOAT64_ARRAY = VariantType.TYPE_PACKED_FLOAT64_ARRAY
TYPE_PACKED_STRING_ARRAY = VariantType.TYPE_PACKED_STRING_ARRAY
TYPE_PACKED_VECTOR2_ARRAY = VariantType.TYPE_PACKED_VECTOR2_ARRAY
TYPE_PACKED_VECTOR3_ARRAY = VariantType.TYPE_PACKED_VECTOR3_ARRAY
TYPE_PACKED_COLOR_ARRAY = VariantType.TYPE_PACKED_COLOR_ARRAY
TYPE_MAX = VariantType.TYPE_MAX

# Exact Python type -> id. Subclasses are resolved by typeof() through isinstance.
_EXACT: dict[type, VariantType] = {
    type(None): TYPE_NIL,
    bool: TYPE_BOOL,
    int: TYPE_INT,
    float: TYPE_FLOAT,
    str: TYPE_STRING,
    Vector2: TYPE_VECTOR2,
    Vector2i: TYPE_VECTOR2I,
    Rect2: TYPE_RECT2,
    Rect2i: TYPE_RECT2I,
    Vector3: TYPE_VECTOR3,
    Vector3i: TYPE_VECTOR3I,
    Transform2D: TYPE_TRANSFORM2D,
    Vector4: TYPE_VECTOR4,
    Vector4i: TYPE_VECTOR4I,
    Plane: TYPE_PLANE,
    Quaternion: TYPE_QUATERNION,
    AABB: TYPE_AABB,
    Basis: TYPE_BASIS,
    Transform3D: TYPE_TRANSFORM3D,
    Projection: TYPE_PROJECTION,
    Color: TYPE_COLOR,
    StringName: TYPE_STRING_NAME,
    NodePath: TYPE_NODE_PATH,
    RID: TYPE_RID,
    dict: TYPE_DICTIONARY,
    list: TYPE_ARRAY,
    tuple: TYPE_ARRAY,
    bytes: TYPE_PACKED_BYTE_ARRAY,
    bytearray: TYPE_PACKED_BYTE_ARRAY,
    memoryview: TYPE_PACKED_BYTE_ARRAY,
    PackedInt32Array: TYPE_PACKED_INT32_ARRAY,
    PackedInt64Array: TYPE_PACKED_INT64_ARRAY,
    PackedFloat32Array: TYPE_PACKED_FLOAT32_ARRAY,
    PackedFloat64Array: TYPE_PACKED_FLOAT64_ARRAY,
    PackedStringArray: TYPE_PACKED_STRING_ARRAY,
    PackedVector2Array: TYPE_PACKED_VECTOR2_ARRAY,
    PackedVector3Array: TYPE_PACKED_VECTOR3_ARRAY,
    PackedColorArray: TYPE_PACKED_COLOR_ARRAY,
}

# Checked in order for subclasses (bool before int, StringName before str).
_BY_ISINSTANCE: tuple[tuple[type, VariantType], ...] = tuple(
    (t, v) for t, v in _EXACT.items() if t is not type(None)
)


def typeof(value: object) -> int:
    """GDScript ``typeof()``: the Variant type id of ``value``.

    Raises ``TypeError`` for Python values that are no Variant.
    """
    found = _EXACT.get(type(value))
    if found is not None:
        return int(found)
    for cls, type_id in _BY_ISINSTANCE:
        if isinstance(value, cls):
            return int(type_id)
    # Types owned by other modules, imported lazily (they may import this package).
    from engine.core.callable import Callable
    from engine.core.object import Object
    from engine.core.signal import Signal

    if isinstance(value, Object):
        return int(TYPE_OBJECT)
    if isinstance(value, Callable):
        return int(TYPE_CALLABLE)
    if isinstance(value, Signal):
        return int(TYPE_SIGNAL)
    raise TypeError(f"{type(value).__name__} is not a Variant type")
