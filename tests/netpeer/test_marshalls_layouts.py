"""Golden byte layouts for every Variant type of spec §4, built without netpeer.marshalls.

Each expected encoding is assembled here with ``struct`` from the layout the spec writes
down (header = type id | flags, then the fields in the spec's order), so an encoder and a
decoder that are wrong in the same way (say a Plane stored as d, nx, ny, nz on both sides)
fail here, where round-trip tests pass. Every value uses distinct fields, so a swapped
field changes the bytes.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest

from engine.core.callable import Callable
from engine.core.object import Object
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
from netpeer.marshalls import bytes_to_var, bytes_to_var_with_objects, var_to_bytes
from netpeer.marshalls import var_to_bytes_with_objects as with_objects

FLAG_64 = 1 << 16  # ENCODE_FLAG_64, and ENCODE_FLAG_OBJECT_AS_ID for objects


def hdr(type_id: int, flags: int = 0) -> bytes:
    return struct.pack("<I", type_id | flags)


def u32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def f32(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


def f64(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}d", *values)


def pad(n: int) -> bytes:
    return b"\x00" * (-n % 4)


def string(text: str) -> bytes:
    """String payload: u32 UTF-8 byte length (no NUL), the bytes, zero pad to 4."""
    raw = text.encode("utf-8")
    return u32(len(raw)) + raw + pad(len(raw))


def packed_string(text: str) -> bytes:
    """PackedStringArray element: the length counts a trailing NUL (Q4), then pad to 4."""
    raw = text.encode("utf-8") + b"\x00"
    return u32(len(raw)) + raw + pad(len(raw))


def check(value: Any, expected: bytes) -> None:
    assert var_to_bytes(value).hex() == expected.hex()
    decoded = bytes_to_var(expected)
    assert type(decoded) is type(value)
    assert decoded == value


# -- real_t math types: f32 on output; f64 accepted on input with ENCODE_FLAG_64 -------------

BASIS = Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9))  # columns x, y, z
# Row-major on the wire: rows[0] = (x.x, y.x, z.x), ...
BASIS_ROWS = (1.0, 4.0, 7.0, 2.0, 5.0, 8.0, 3.0, 6.0, 9.0)

MATH: list[tuple[str, Any, int, tuple[float, ...]]] = [
    ("Vector2", Vector2(1.5, -2.25), 5, (1.5, -2.25)),
    ("Rect2", Rect2(1.5, 2.5, 3.5, 4.5), 7, (1.5, 2.5, 3.5, 4.5)),
    ("Vector3", Vector3(1.5, 2.5, -3.5), 9, (1.5, 2.5, -3.5)),
    (
        "Transform2D",
        Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6)),
        11,
        (1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
    ),
    ("Vector4", Vector4(1.5, 2.5, 3.5, 4.5), 12, (1.5, 2.5, 3.5, 4.5)),
    # normal.x, normal.y, normal.z, then d
    ("Plane", Plane(Vector3(0.5, 1.5, 2.5), 3.5), 14, (0.5, 1.5, 2.5, 3.5)),
    ("Quaternion", Quaternion(0.5, 1.5, 2.5, 3.5), 15, (0.5, 1.5, 2.5, 3.5)),
    ("AABB", AABB(Vector3(1, 2, 3), Vector3(4, 5, 6)), 16, (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)),
    ("Basis", BASIS, 17, BASIS_ROWS),
    (
        "Transform3D",
        Transform3D(BASIS, Vector3(10, 11, 12)),
        18,
        (*BASIS_ROWS, 10.0, 11.0, 12.0),
    ),
    (
        "Projection",
        Projection(
            Vector4(1, 2, 3, 4),
            Vector4(5, 6, 7, 8),
            Vector4(9, 10, 11, 12),
            Vector4(13, 14, 15, 16),
        ),
        19,
        tuple(float(i) for i in range(1, 17)),  # column by column
    ),
]


@pytest.mark.parametrize(
    ("value", "type_id", "fields"), [m[1:] for m in MATH], ids=[m[0] for m in MATH]
)
def test_math_types_are_float32_fields_in_spec_order(
    value: Any, type_id: int, fields: tuple[float, ...]
) -> None:
    check(value, hdr(type_id) + f32(*fields))


@pytest.mark.parametrize(
    ("value", "type_id", "fields"), [m[1:] for m in MATH], ids=[m[0] for m in MATH]
)
def test_math_types_decode_doubles_with_the_64_bit_flag(
    value: Any, type_id: int, fields: tuple[float, ...]
) -> None:
    data = hdr(type_id, FLAG_64) + f64(*fields)
    assert bytes_to_var(data) == value


def test_math_types_round_to_float32_without_the_flag() -> None:
    """Q2: no 64-bit upgrade for math types, even when float32 loses precision."""
    assert var_to_bytes(Vector2(0.1, 0.2)) == hdr(5) + f32(0.1, 0.2)
    assert var_to_bytes(Plane(Vector3(0.1, 0.2, 0.3), 0.4)) == hdr(14) + f32(0.1, 0.2, 0.3, 0.4)


# -- integer vectors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Vector2i(7, -8), hdr(6) + struct.pack("<2i", 7, -8)),
        (Rect2i(1, -2, 3, 4), hdr(8) + struct.pack("<4i", 1, -2, 3, 4)),
        (Vector3i(7, -8, 9), hdr(10) + struct.pack("<3i", 7, -8, 9)),
        (Vector4i(7, -8, 9, -10), hdr(13) + struct.pack("<4i", 7, -8, 9, -10)),
    ],
    ids=["Vector2i", "Rect2i", "Vector3i", "Vector4i"],
)
def test_integer_vectors_are_s32_fields(value: Any, expected: bytes) -> None:
    check(value, expected)


# -- Color -------------------------------------------------------------------------------------


def test_color_is_rgba_float32() -> None:
    color = Color(0.125, 0.25, 0.5, 0.75)
    check(color, hdr(20) + f32(0.125, 0.25, 0.5, 0.75))


def test_color_decoder_ignores_the_64_bit_flag() -> None:
    """Color is always single precision: the flag does not make the decoder read doubles."""
    data = hdr(20, FLAG_64) + f32(0.125, 0.25, 0.5, 0.75)
    assert bytes_to_var(data) == Color(0.125, 0.25, 0.5, 0.75)


# -- scalars -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, hdr(0)),
        (False, hdr(1) + u32(0)),
        (True, hdr(1) + u32(1)),
        (-5, hdr(2) + struct.pack("<i", -5)),
        (2**31 - 1, hdr(2) + struct.pack("<i", 2**31 - 1)),
        (2**31, hdr(2, FLAG_64) + struct.pack("<q", 2**31)),
        (-(2**40) - 3, hdr(2, FLAG_64) + struct.pack("<q", -(2**40) - 3)),
        (1.5, hdr(3) + f32(1.5)),
        (-0.0, hdr(3) + bytes.fromhex("00000080")),
        (math.inf, hdr(3) + f32(math.inf)),
        (0.1, hdr(3, FLAG_64) + f64(0.1)),  # Q1: does not survive float32
    ],
    ids=repr,
)
def test_scalars(value: Any, expected: bytes) -> None:
    check(value, expected)
    if isinstance(value, float):
        assert math.copysign(1.0, bytes_to_var(expected)) == math.copysign(1.0, value)


def test_nan_is_always_a_double() -> None:
    data = var_to_bytes(math.nan)
    assert data[:4] == hdr(3, FLAG_64) and len(data) == 12
    assert math.isnan(struct.unpack("<d", data[4:])[0])
    assert math.isnan(bytes_to_var(hdr(3, FLAG_64) + f64(math.nan)))


# -- strings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "a", "ab", "abc", "abcd", "abcde", "h\u00e9llo \u2729"])
def test_string_length_bytes_and_padding(text: str) -> None:
    check(text, hdr(4) + string(text))


def test_string_name_uses_the_string_layout() -> None:
    check(StringName("on_hit"), hdr(21) + string("on_hit"))


@pytest.mark.parametrize(
    ("path", "names", "subnames", "absolute"),
    [
        ("/root/Main:position:x", ["root", "Main"], ["position", "x"], True),
        ("a/bc/def", ["a", "bc", "def"], [], False),
        (":pos", [], ["pos"], False),
    ],
)
def test_node_path(path: str, names: list[str], subnames: list[str], absolute: bool) -> None:
    """Counts (names with bit 31 set), flags, then every name, then every subname (Q7: zero
    pads)."""
    expected = hdr(22) + u32(len(names) | 0x80000000, len(subnames), int(absolute))
    expected += b"".join(string(s) for s in names + subnames)
    check(NodePath(path), expected)


def test_packed_string_array_counts_the_nul() -> None:
    texts = ["ab", "", "abc", "h\u00e9llo", "abcd"]
    expected = hdr(34) + u32(len(texts)) + b"".join(packed_string(t) for t in texts)
    check(PackedStringArray(texts), expected)


# -- ids, objects, callables, signals ---------------------------------------------------------


def test_rid_is_a_u64() -> None:
    check(RID._from_id(0x0102030405060708), hdr(23) + struct.pack("<Q", 0x0102030405060708))


def test_object_as_id() -> None:
    obj = Object()
    try:
        expected = hdr(24, FLAG_64) + struct.pack("<Q", obj.get_instance_id())
        assert var_to_bytes(obj) == expected
        decoded = bytes_to_var(expected)
        assert isinstance(decoded, EncodedObjectAsID)
        assert decoded.object_id == obj.get_instance_id()
    finally:
        obj.free()
    assert var_to_bytes(obj) == hdr(0)  # Q3: a freed object is NIL


def test_full_object_writes_class_and_stored_properties() -> None:
    obj = EncodedObjectAsID()
    obj.object_id = 0x1122334455
    expected = hdr(24) + string("EncodedObjectAsID") + u32(2)
    expected += string("object_id") + hdr(2, FLAG_64) + struct.pack("<q", 0x1122334455)
    expected += string("script") + hdr(0)
    assert with_objects(obj) == expected
    assert bytes_to_var(expected) is None  # objects not allowed (ERR_UNAUTHORIZED)
    copy = bytes_to_var_with_objects(expected)
    assert isinstance(copy, EncodedObjectAsID) and copy.object_id == 0x1122334455


def test_callable_is_a_bare_header() -> None:
    check(Callable(), hdr(25))


def test_signal_is_name_then_object_id() -> None:
    obj = Object()
    try:
        expected = hdr(26) + string("tree_exited") + struct.pack("<Q", obj.get_instance_id())
        check(Signal(obj, "tree_exited"), expected)
    finally:
        obj.free()


# -- containers --------------------------------------------------------------------------------


def test_dictionary_is_count_then_key_value_pairs_in_insertion_order() -> None:
    value = {"k": 1, 2: "v", None: [True]}
    expected = hdr(27) + u32(3)
    expected += hdr(4) + string("k") + hdr(2) + struct.pack("<i", 1)
    expected += hdr(2) + struct.pack("<i", 2) + hdr(4) + string("v")
    expected += hdr(0) + hdr(28) + u32(1) + hdr(1) + u32(1)
    check(value, expected)


def test_array_is_count_then_elements() -> None:
    value = [7, "ab", None, Vector2(1.5, 2.5)]
    expected = hdr(28) + u32(4) + hdr(2) + struct.pack("<i", 7) + hdr(4) + string("ab")
    expected += hdr(0) + hdr(5) + f32(1.5, 2.5)
    check(value, expected)


# -- packed arrays -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 4, 5, 7])
def test_packed_byte_array_is_count_bytes_and_padding(size: int) -> None:
    raw = bytes(range(1, size + 1))
    check(raw, hdr(29) + u32(size) + raw + pad(size))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (PackedInt32Array([1, -2, 3]), hdr(30) + u32(3) + struct.pack("<3i", 1, -2, 3)),
        (PackedInt64Array([2**40, -3]), hdr(31) + u32(2) + struct.pack("<2q", 2**40, -3)),
        (PackedFloat32Array([1.5, -2.25, 3.0]), hdr(32) + u32(3) + f32(1.5, -2.25, 3.0)),
        (PackedFloat64Array([0.1, 2.5]), hdr(33) + u32(2) + f64(0.1, 2.5)),
        (
            PackedVector2Array([Vector2(1, 2), Vector2(3, 4)]),
            hdr(35) + u32(2) + f32(1, 2, 3, 4),
        ),
        (
            PackedVector3Array([Vector3(1, 2, 3), Vector3(4, 5, 6)]),
            hdr(36) + u32(2) + f32(1, 2, 3, 4, 5, 6),
        ),
        (
            PackedColorArray([Color(0.125, 0.25, 0.5, 0.75), Color(1, 0.875, 0.625, 0.375)]),
            hdr(37) + u32(2) + f32(0.125, 0.25, 0.5, 0.75, 1, 0.875, 0.625, 0.375),
        ),
        (PackedInt32Array(), hdr(30) + u32(0)),
        (PackedColorArray(), hdr(37) + u32(0)),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, bytes) else "",
)
def test_packed_numeric_arrays_are_count_then_elements(value: Any, expected: bytes) -> None:
    check(value, expected)
