"""Property tests: round trips for generated Variants, and no exception on any input bytes."""

from __future__ import annotations

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core.callable import Callable
from engine.core.error import Error
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
from netpeer import marshalls
from netpeer.marshalls import bytes_to_var, decode_variant, encode_variant, var_to_bytes

f32 = st.floats(width=32, allow_nan=False)
i32 = st.integers(-(2**31), 2**31 - 1)
i64 = st.integers(-(2**63), 2**63 - 1)
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
vector3 = st.builds(Vector3, f32, f32, f32)
vector4 = st.builds(Vector4, f32, f32, f32, f32)
color = st.builds(Color, f32, f32, f32, f32)
basis = st.builds(Basis, vector3, vector3, vector3)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    i64,
    st.floats(allow_nan=False),
    text,
    text.map(StringName),
    st.binary(max_size=20),
    st.builds(Vector2, f32, f32),
    st.builds(Vector2i, i32, i32),
    vector3,
    st.builds(Vector3i, i32, i32, i32),
    vector4,
    st.builds(Vector4i, i32, i32, i32, i32),
    st.builds(Rect2, f32, f32, f32, f32),
    st.builds(Rect2i, i32, i32, i32, i32),
    st.builds(Plane, f32, f32, f32, f32),
    st.builds(Quaternion, f32, f32, f32, f32),
    st.builds(AABB, vector3, vector3),
    st.builds(Transform2D, *(st.builds(Vector2, f32, f32) for _ in range(3))),
    basis,
    st.builds(Transform3D, basis, vector3),
    st.builds(Projection, vector4, vector4, vector4, vector4),
    color,
    st.sampled_from(["", "a", "/root/x:y", "a/b/c:d:e", "../x"]).map(NodePath),
    st.integers(0, 2**64 - 1).map(RID._from_id),
    st.just(Callable()),
    st.builds(Signal._from_object_id, st.integers(0, 2**63 - 1), text),
    st.lists(i32, max_size=5).map(PackedInt32Array),
    st.lists(i64, max_size=5).map(PackedInt64Array),
    st.lists(f32, max_size=5).map(PackedFloat32Array),
    st.lists(st.floats(allow_nan=False), max_size=5).map(PackedFloat64Array),
    st.lists(text, max_size=5).map(PackedStringArray),
    st.lists(st.builds(Vector2, f32, f32), max_size=5).map(PackedVector2Array),
    st.lists(vector3, max_size=5).map(PackedVector3Array),
    st.lists(color, max_size=5).map(PackedColorArray),
)
# Array keys decode as tuples (a list is not hashable); see docs/godot-differences.md.
keys = st.one_of(
    st.none(), i64, text, st.builds(Vector2, f32, f32), st.tuples(i32, text), text.map(StringName)
)
variants = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=20,
)


@given(variants)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_roundtrip(value: object) -> None:
    data = var_to_bytes(value)
    assert len(data) % 4 == 0
    err, decoded, used = decode_variant(data)
    assert (err, used) == (Error.OK, len(data))
    assert decoded == value
    assert var_to_bytes(decoded) == data


@given(st.binary(max_size=200), st.booleans())
@settings(max_examples=500, deadline=None)
def test_arbitrary_bytes_never_raise(data: bytes, allow_objects: bool) -> None:
    err, value, used = marshalls._decode(data, allow_objects)  # the unguarded core
    assert isinstance(err, Error)
    if err == Error.OK:
        assert used >= 4
    else:
        assert value is None
    bytes_to_var(data)


@given(
    st.lists(st.integers(0, 0xFFFFFFFF), max_size=12).map(lambda w: struct.pack(f"<{len(w)}I", *w)),
    st.sampled_from(range(40)),
)
@settings(max_examples=500, deadline=None)
def test_structured_garbage_never_raises(words: bytes, type_id: int) -> None:
    data = struct.pack("<I", type_id | 0x10000 * (len(words) % 2)) + words
    err, _, _ = marshalls._decode(data, True)
    assert isinstance(err, Error)


@given(variants, st.data())
@settings(max_examples=200, deadline=None)
def test_truncation_is_an_error(value: object, data: st.DataObject) -> None:
    err, encoded = encode_variant(value)
    assert err == Error.OK
    cut = data.draw(st.integers(0, len(encoded) - 1))
    err, decoded, _ = marshalls._decode(encoded[:cut], False)
    # A PackedByteArray may lose only its padding and still decode (Q5).
    if err == Error.OK:
        assert encoded[:4] == b"\x1d\x00\x00\x00" or b"\x1d\x00\x00\x00" in encoded
    else:
        assert decoded is None
