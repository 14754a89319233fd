"""Typed-JSON Variant form of the vector files (spec §17) -> Python values, and comparison."""

from __future__ import annotations

import math
from typing import Any

from engine.core.callable import Callable
from engine.core.signal import Signal
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
)
from netpeer.encoded_object_as_id import EncodedObjectAsID


def _float(v: Any) -> float:
    return (
        {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(v, v)
        if isinstance(v, str)
        else float(v)
    )


_FLAT = {
    "Vector2": Vector2,
    "Vector2i": Vector2i,
    "Vector3": Vector3,
    "Vector3i": Vector3i,
    "Vector4": Vector4,
    "Vector4i": Vector4i,
    "Quaternion": Quaternion,
    "Color": Color,
    "Plane": Plane,
}


def from_json(node: dict[str, Any]) -> Any:
    kind = node["type"]
    v = node.get("v")
    if kind == "Nil":
        return None
    if kind in ("bool", "int", "String"):
        return v
    if kind == "float":
        return _float(v)
    if kind == "StringName":
        return StringName(v)
    if kind in _FLAT:
        return _FLAT[kind](*v)
    if kind == "Rect2":
        return Rect2(*v)
    if kind == "Rect2i":
        return Rect2i(*v)
    if kind == "AABB":
        return AABB(Vector3(*v[:3]), Vector3(*v[3:]))
    if kind == "Transform2D":
        return Transform2D(*(Vector2(*c) for c in v))
    if kind == "Basis":
        return Basis._from_rows([c for row in node["rows"] for c in row])
    if kind == "Transform3D":
        rows = [c for row in node["basis_rows"] for c in row]
        return Transform3D(Basis._from_rows(rows), Vector3(*node["origin"]))
    if kind == "Projection":
        return Projection(*(Vector4(*c) for c in node["columns"]))
    if kind == "NodePath":
        return NodePath(v)
    if kind == "RID":
        return RID._from_id(node["id"])
    if kind == "EncodedObjectAsID":
        obj = EncodedObjectAsID()
        obj.object_id = node["object_id"]
        return obj
    if kind == "Object":
        if node.get("null"):
            return None
        return _FakeObjectRef(node["instance_id"])
    if kind == "Callable":
        return Callable()
    if kind == "Signal":
        return Signal._from_object_id(node["object_id"], node["name"])
    if kind == "Array":
        return [from_json(x) for x in v]
    if kind == "Dictionary":
        return {from_json(k): from_json(x) for k, x in v}
    if kind == "PackedByteArray":
        return bytes.fromhex(node["hex"])
    packed = {
        "PackedInt32Array": PackedInt32Array,
        "PackedInt64Array": PackedInt64Array,
        "PackedFloat32Array": PackedFloat32Array,
        "PackedStringArray": PackedStringArray,
    }
    if kind in packed:
        return packed[kind](v)
    if kind == "PackedFloat64Array":
        return PackedFloat64Array([_float(x) for x in v])
    if kind == "PackedVector2Array":
        return PackedVector2Array([Vector2(*c) for c in v])
    if kind == "PackedVector3Array":
        return PackedVector3Array([Vector3(*c) for c in v])
    if kind == "PackedColorArray":
        return PackedColorArray([Color(*c) for c in v])
    raise AssertionError(f"unknown typed-JSON Variant {kind}")


class _FakeObjectRef:
    """Marker for {"type": "Object", "instance_id": n}: tests build a real Object for it."""

    def __init__(self, instance_id: int) -> None:
        self.instance_id = instance_id


def same(a: Any, b: Any) -> bool:
    """Variant equality that also checks the Python type and treats NaN as equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, EncodedObjectAsID):
        return a.object_id == b.object_id
    return bool(a == b)
