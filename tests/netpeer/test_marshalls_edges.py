"""Hand-written edge cases of the Variant codec: hostile lengths, depth, objects, floats, text."""

from __future__ import annotations

import logging
import math
import struct
import tracemalloc

import pytest

from engine.core.callable import Callable
from engine.core.error import Error
from engine.core.object import Object
from engine.core.variant import (
    NodePath,
    PackedColorArray,
    PackedFloat32Array,
    PackedInt32Array,
    PackedStringArray,
    PackedVector2Array,
    StringName,
    Vector2,
)
from netpeer.encoded_object_as_id import EncodedObjectAsID
from netpeer.marshalls import (
    bytes_to_var,
    bytes_to_var_with_objects,
    decode_variant,
    encode_variant,
    var_to_bytes,
    var_to_bytes_with_objects,
)


def _u32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


# -- hostile lengths ---------------------------------------------------------------------------


@pytest.mark.parametrize("type_id", [4, 21, 29, 30, 31, 32, 33, 34, 35, 36, 37, 27, 28, 22])
@pytest.mark.parametrize("count", [0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0x40000000])
def test_huge_declared_lengths_fail_fast(type_id: int, count: int) -> None:
    data = _u32(type_id, count) + b"\x00" * 8
    tracemalloc.start()
    try:
        err, value, used = decode_variant(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024, f"{peak} bytes allocated for a {len(data)}-byte input"
    if type_id == 22 and not count & 0x80000000:
        assert err == Error.ERR_INVALID_DATA
    elif type_id in (22, 27, 28) and count == 0x80000000:
        # Bit 31 is masked off (the old "shared" flag / the NodePath format bit): count 0.
        assert err == Error.OK and used == 8 + 4 * (type_id == 22) * 2
        return
    elif type_id == 34 and count >= 0x80000000:
        # A negative PackedStringArray count decodes as empty, like Godot.
        assert (err, value, used) == (Error.OK, PackedStringArray(), 8)
        return
    assert err != Error.OK
    assert value is None


def test_string_errors_are_eof() -> None:
    assert decode_variant(_u32(4, 5) + b"abcd")[0] == Error.ERR_FILE_EOF
    assert decode_variant(_u32(4, 0xFFFFFFFF))[0] == Error.ERR_FILE_EOF
    assert decode_variant(_u32(4))[0] == Error.ERR_INVALID_DATA


def test_packed_int32_count_times_size_overflow() -> None:
    assert decode_variant(_u32(30, 0x40000000) + b"\0" * 64)[0] == Error.ERR_INVALID_DATA


def test_short_buffers() -> None:
    assert decode_variant(b"")[0] == Error.ERR_INVALID_DATA
    assert decode_variant(b"\x02\x00\x00")[0] == Error.ERR_INVALID_DATA
    assert decode_variant(_u32(2))[0] == Error.ERR_INVALID_DATA
    assert decode_variant(_u32(2 | 0x10000, 1))[0] == Error.ERR_INVALID_DATA
    assert decode_variant(_u32(5, 0))[0] == Error.ERR_INVALID_DATA


# -- depth ---------------------------------------------------------------------------------------


def _nested(levels: int, inner: object) -> object:
    value = inner
    for _ in range(levels):
        value = [value]
    return value


def test_encode_depth_limit() -> None:
    assert encode_variant(_nested(1024, 1))[0] == Error.OK
    assert encode_variant(_nested(1025, 1))[0] == Error.ERR_OUT_OF_MEMORY
    # 1025 arrays in all: the innermost (empty) one sits at depth 1024, still allowed.
    assert encode_variant(_nested(1024, []))[0] == Error.OK
    assert encode_variant(_nested(1025, []))[0] == Error.ERR_OUT_OF_MEMORY


def test_encode_cycle_is_out_of_memory() -> None:
    loop: list[object] = []
    loop.append(loop)
    assert encode_variant(loop) == (Error.ERR_OUT_OF_MEMORY, b"")
    assert var_to_bytes(loop) == b""


def test_decode_depth_limit() -> None:
    def arrays(levels: int, inner: bytes) -> bytes:
        return _u32(28, 1) * levels + inner

    err, _, used = decode_variant(arrays(1024, _u32(2, 7)))
    assert err == Error.OK
    assert used == 1024 * 8 + 8
    assert decode_variant(arrays(1025, _u32(2, 7)))[0] == Error.ERR_OUT_OF_MEMORY
    assert decode_variant(arrays(1024, _u32(28, 0)))[0] == Error.OK
    assert decode_variant(arrays(1025, _u32(28, 0)))[0] == Error.ERR_OUT_OF_MEMORY
    # Far deeper than Python's recursion limit: still just an error.
    assert decode_variant(arrays(100_000, b""))[0] == Error.ERR_OUT_OF_MEMORY


def test_decode_depth_counts_dictionaries() -> None:
    data = _u32(27, 1, 0) * 1025 + _u32(0)  # {null: {null: ... }}
    assert decode_variant(data)[0] == Error.ERR_OUT_OF_MEMORY


# -- objects -----------------------------------------------------------------------------------


class _Player(Object):
    """A user class; encoding by id does not care about its properties."""


def test_object_as_id_and_null() -> None:
    obj = _Player()
    data = var_to_bytes(obj)
    assert data == struct.pack("<IQ", 0x10018, obj.get_instance_id())
    decoded = bytes_to_var(data)
    assert isinstance(decoded, EncodedObjectAsID)
    assert decoded.object_id == obj.get_instance_id()
    assert var_to_bytes(None) == _u32(0)
    obj.free()
    assert var_to_bytes(obj) == _u32(0)  # Q3: freed object -> NIL
    assert decode_variant(struct.pack("<IQ", 0x10018, 0)) == (Error.OK, None, 12)


def test_full_objects_refused_unless_allowed() -> None:
    obj = EncodedObjectAsID()
    obj.object_id = 42
    data = var_to_bytes_with_objects(obj)
    assert data[:4] == _u32(24)
    assert decode_variant(data)[0] == Error.ERR_UNAUTHORIZED
    assert bytes_to_var(data) is None
    err, copy, used = decode_variant(data, allow_objects=True)
    assert err == Error.OK and used == len(data)
    assert isinstance(copy, EncodedObjectAsID)
    assert copy is not obj
    assert copy.object_id == 42
    assert bytes_to_var_with_objects(data).object_id == 42


def test_full_object_script_class_decodes_as_its_native_class() -> None:
    player = _Player()
    copy = bytes_to_var_with_objects(var_to_bytes_with_objects(player))
    assert type(copy) is Object  # like Godot: the script is not sent
    player.free()
    copy.free()


def test_null_object_full_form() -> None:
    assert decode_variant(_u32(24, 0), allow_objects=True) == (Error.OK, None, 8)


def test_full_object_unknown_class_is_unavailable() -> None:
    data = _u32(24, 7) + b"NoSuch\x00\x00" + _u32(0)
    assert decode_variant(data, True)[0] == Error.ERR_UNAVAILABLE


def test_full_object_of_a_user_class_is_not_instantiated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Godot's ClassDB has no script classes: a user class named on the wire is refused
    and its constructor never runs (it could do anything)."""
    constructed: list[int] = []

    class WireTarget(Object):
        def __init__(self) -> None:
            super().__init__()
            constructed.append(1)

    data = _u32(24, 10) + b"WireTarget\x00\x00" + _u32(0)
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert decode_variant(data, True) == (Error.ERR_UNAVAILABLE, None, 0)
    assert constructed == [] and "WireTarget" in caplog.text
    assert type(bytes_to_var_with_objects(_u32(24, 6) + b"Object\x00\x00" + _u32(0))) is Object


def test_full_object_bad_property_value_is_ignored() -> None:
    # EncodedObjectAsID.object_id set to a string: the setter refuses, decoding goes on.
    name = b"EncodedObjectAsID" + b"\x00" * 3
    prop = _u32(9) + b"object_id\x00\x00\x00"
    value = _u32(4, 1) + b"x\x00\x00\x00"
    data = _u32(24, 17) + name + _u32(1) + prop + value
    err, obj, used = decode_variant(data, True)
    assert err == Error.OK and used == len(data)
    assert isinstance(obj, EncodedObjectAsID) and obj.object_id == 0


def test_callable_encodes_as_header_only() -> None:
    assert var_to_bytes(Callable()) == _u32(25)
    assert bytes_to_var(_u32(25)) == Callable()


# -- floats and ints ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hex_"),
    [
        (-0.0, "0300000000000080"),
        (math.inf, "030000000000807f"),
        (-math.inf, "03000000000080ff"),
        (1e300, None),
        (3.4028234663852886e38, "03000000ffff7f7f"),
    ],
)
def test_float_forms(value: float, hex_: str | None) -> None:
    err, data = encode_variant(value)
    assert err == Error.OK
    if hex_ is not None:
        assert data.hex() == hex_
    else:
        assert data[:4] == _u32(0x10003) and struct.unpack("<d", data[4:])[0] == value
    decoded = bytes_to_var(data)
    assert decoded == value and math.copysign(1, decoded) == math.copysign(1, value)


def test_nan_roundtrip_any_payload() -> None:
    assert math.isnan(bytes_to_var(_u32(3) + b"\x01\x00\xc0\x7f"))
    assert math.isnan(bytes_to_var(var_to_bytes(math.nan)))


@pytest.mark.parametrize(
    "value", [0, 1, -1, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 2**63 - 1, -(2**63)]
)
def test_int_boundaries(value: int) -> None:
    data = var_to_bytes(value)
    assert len(data) == (8 if -(2**31) <= value < 2**31 else 12)
    assert bytes_to_var(data) == value


def test_int_beyond_int64_is_an_error() -> None:
    assert encode_variant(2**63)[0] == Error.ERR_INVALID_PARAMETER
    assert encode_variant([1, -(2**63) - 1]) == (Error.ERR_INVALID_PARAMETER, b"")


def test_non_variant_raises_type_error() -> None:
    with pytest.raises(TypeError):
        encode_variant(object())
    with pytest.raises(TypeError):
        decode_variant("not bytes")  # type: ignore[arg-type]


# -- text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"\xc3\x28",
        b"\xc0\x80",
        b"\xe0\x80\x80",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xff",
        b"\xe2\x82",
    ],
)
def test_invalid_utf8(payload: bytes) -> None:
    n = len(payload)
    data = _u32(4, n) + payload + b"\x00" * ((4 - n % 4) % 4)
    assert decode_variant(data)[0] == Error.ERR_INVALID_DATA


def test_bom_skipped_and_nul_stops() -> None:
    assert bytes_to_var(_u32(4, 5) + b"\xef\xbb\xbfab\x00\x00\x00") == "ab"
    err, value, used = decode_variant(_u32(4, 5) + b"ab\x00cd\x00\x00\x00")
    assert (err, value, used) == (Error.OK, "ab", 16)


def test_lone_surrogate_is_written_like_godot() -> None:
    assert var_to_bytes("\ud800") == _u32(4, 3) + b"\xed\xa0\x80\x00"


def test_string_name_and_node_path_types() -> None:
    assert type(bytes_to_var(var_to_bytes(StringName("a")))) is StringName
    assert type(bytes_to_var(var_to_bytes("a"))) is str


# -- node paths ----------------------------------------------------------------------------------


def test_node_path_obsolete_property_flag() -> None:
    data = _u32(22, 0x80000001, 0, 2) + _u32(1) + b"a\x00\x00\x00" + _u32(1) + b"p\x00\x00\x00"
    err, value, used = decode_variant(data)
    assert err == Error.OK and used == len(data)
    assert value == NodePath("a:p")


def test_node_path_old_format_refused() -> None:
    assert decode_variant(_u32(22, 1, 0, 0))[0] == Error.ERR_INVALID_DATA


def test_node_path_absolute_roundtrip_and_pad_ignored() -> None:
    path = NodePath("/root/Main:position:x")
    assert bytes_to_var(var_to_bytes(path)) == path
    garbage = _u32(22, 0x80000001, 0, 0, 1) + b"a\xaa\xbb\xcc"
    assert bytes_to_var(garbage) == NodePath("a")


# -- containers ----------------------------------------------------------------------------------


def test_dictionary_preserves_order_and_array_keys() -> None:
    value = {"b": 1, "a": [Vector2(1, 2)], 3: None}
    assert list(bytes_to_var(var_to_bytes(value))) == ["b", "a", 3]
    data = _u32(27, 1, 28, 1, 2, 5, 0)  # {[5]: null}
    assert bytes_to_var(data) == {(5,): None}
    assert bytes_to_var(var_to_bytes({(1, 2): "t"})) == {(1, 2): "t"}


def test_dictionary_key_without_value() -> None:
    assert decode_variant(_u32(27, 1, 2, 1))[0] == Error.ERR_INVALID_DATA


def test_unhashable_dictionary_key_is_invalid_data() -> None:
    data = _u32(27, 1, 27, 0, 0)  # {{}: null}
    assert decode_variant(data)[0] == Error.ERR_INVALID_DATA


def test_packed_arrays_roundtrip_and_trailing_bytes() -> None:
    for value in (
        PackedInt32Array([1, -2]),
        PackedFloat32Array([0.5, -1.0]),
        PackedStringArray(["", "ab", "héllo"]),
        PackedVector2Array([Vector2(1, 2)]),
        PackedColorArray(),
    ):
        data = var_to_bytes(value)
        err, decoded, used = decode_variant(data + b"trailing")
        assert (err, used) == (Error.OK, len(data))
        assert decoded == value and type(decoded) is type(value)


def test_accepts_bytearray_and_memoryview() -> None:
    data = var_to_bytes([1, "x"])
    assert bytes_to_var(bytearray(data)) == [1, "x"]
    assert bytes_to_var(memoryview(b"\x00" + data)[1:]) == [1, "x"]
    assert var_to_bytes(bytearray(b"ab")) == var_to_bytes(b"ab") == var_to_bytes(memoryview(b"ab"))


def test_math_types_accept_64_bit_form() -> None:
    data = struct.pack("<Idd", 0x10005, 0.1, 0.2)
    assert bytes_to_var(data) == Vector2(0.1, 0.2)


def test_absolute_path_without_names_decodes_empty_like_42() -> None:
    data = var_to_bytes(NodePath("/"))
    assert data == _u32(22, 0x80000000, 0, 1)
    assert bytes_to_var(data) == NodePath()
