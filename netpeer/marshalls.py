"""Godot's binary Variant codec, byte-exact with Godot 4.2 (core/io/marshalls.cpp).

``encode_variant``/``decode_variant`` are what ``var_to_bytes``/``bytes_to_var``,
``StreamPeer.put_var/get_var`` and ``PacketPeer.put_var/get_var`` use on the wire.

Theory of operation
-------------------
Every value is a little-endian u32 header (low byte = Variant type id, bit 16 =
``ENCODE_FLAG_64`` or, for objects, ``ENCODE_FLAG_OBJECT_AS_ID``) followed by a payload whose
length is a multiple of 4 (spec §4). Both directions are iterative: containers push a frame
on an explicit stack instead of recursing, so Godot's nesting limit (a value deeper than
``MAX_RECURSION_DEPTH`` = 1024 fails with ``ERR_OUT_OF_MEMORY``) is enforced exactly and a
hostile input can never reach Python's own recursion limit.

The decoder never trusts a declared length: every count is checked against the bytes that
remain before anything is allocated (packed arrays), or the container grows only as its
elements are actually decoded (each element needs at least 4 bytes), so memory stays
proportional to the input. Decoding untrusted bytes returns an ``Error``; no exception
escapes ``decode_variant``.

Godot quirks kept on purpose (spec §16 Q1-Q7): floats use 4 bytes iff they survive a
round trip through float32 (NaN always 8); math types are always float32 on output; a null
or freed Object encodes as NIL; PackedStringArray elements count their NUL; a short string
is ``ERR_FILE_EOF``; a PackedByteArray may lack its final padding; an object sent as an id
decodes to an ``EncodedObjectAsID`` even when objects are not allowed.
"""

from __future__ import annotations

import itertools
import struct
import sys
from array import array
from collections.abc import Callable as _Fn
from collections.abc import Iterator
from typing import Any

from engine.core.callable import Callable
from engine.core.class_db import ClassDB
from engine.core.error import Error
from engine.core.messages import fail, push_error
from engine.core.object import Object, is_instance_valid
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

MAX_RECURSION_DEPTH = 1024
"""``Variant::MAX_RECURSION_DEPTH``: the deepest nesting level encoded or decoded."""

ENCODE_FLAG_64 = 1 << 16
ENCODE_FLAG_OBJECT_AS_ID = 1 << 16
_PROPERTY_USAGE_STORAGE = 2
_INT_MAX = 2**31 - 1

_OK = Error.OK
_INVALID = Error.ERR_INVALID_DATA
_EOF = Error.ERR_FILE_EOF

_LITTLE = sys.byteorder == "little"

_U32 = struct.Struct("<I")
_I32 = struct.Struct("<i")
_U64 = struct.Struct("<Q")
_I64 = struct.Struct("<q")
_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_HDR_I32 = struct.Struct("<Ii")
_HDR_I64 = struct.Struct("<Iq")
_HDR_U32 = struct.Struct("<II")
_HDR_U64 = struct.Struct("<IQ")
_HDR_F64 = struct.Struct("<Id")
_HDR_2F = struct.Struct("<Iff")
_HDR_2I = struct.Struct("<Iii")
_HDR_3I = struct.Struct("<Iiii")
_HDR_4I = struct.Struct("<Iiiii")

_NIL = b"\x00\x00\x00\x00"
_TRUE = _HDR_U32.pack(1, 1)
_FALSE = _HDR_U32.pack(1, 0)
_CALLABLE = _U32.pack(25)
_BOM = b"\xef\xbb\xbf"
_PADS = (b"", b"\x00\x00\x00", b"\x00\x00", b"\x00")


# --------------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------------

_Append = _Fn[[bytes], Any]
# An encoder writes the header and payload of one value and returns None, an Error, or an
# iterator over child values that the main loop encodes next (one nesting level deeper).
_Encoder = _Fn[[Any, _Append, bool], "Error | Iterator[Any] | None"]


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Godot's String::utf8() writes lone surrogates as 3-byte sequences.
        return text.encode("utf-8", "surrogatepass")


def _string_bytes(text: str) -> bytes:
    """``_encode_string``: u32 byte length, UTF-8 (no NUL), zero padding to 4."""
    raw = _utf8(text)
    n = len(raw)
    return _U32.pack(n) + raw + _PADS[n & 3]


def _reals(header: int, values: tuple[float, ...] | list[float]) -> bytes:
    """Header + float32 components (doubles beyond float32 range become ±inf, like C)."""
    packed = array("f", values)
    if not _LITTLE:  # pragma: no cover - big-endian hosts only
        packed.byteswap()
    return _U32.pack(header) + packed.tobytes()


def _enc_float(value: float, append: _Append) -> None:
    try:
        raw = _F32.pack(value)
        if _F32.unpack(raw)[0] == value:
            append(b"\x03\x00\x00\x00" + raw)
            return
    except OverflowError:
        pass
    append(_HDR_F64.pack(3 | ENCODE_FLAG_64, value))


def _enc_int(value: int, append: _Append) -> Error | None:
    if -0x80000000 <= value <= 0x7FFFFFFF:
        append(_HDR_I32.pack(2, value))
    elif -0x8000000000000000 <= value <= 0x7FFFFFFFFFFFFFFF:
        append(_HDR_I64.pack(2 | ENCODE_FLAG_64, value))
    else:
        return fail(Error.ERR_INVALID_PARAMETER, f"Integer {value} does not fit in 64 bits.")
    return None


def _e_nil(v: Any, append: _Append, full: bool) -> None:
    append(_NIL)


def _e_bool(v: Any, append: _Append, full: bool) -> None:
    append(_TRUE if v else _FALSE)


def _e_int(v: Any, append: _Append, full: bool) -> Error | None:
    return _enc_int(int(v), append)


def _e_float(v: Any, append: _Append, full: bool) -> None:
    _enc_float(float(v), append)


def _e_string(v: Any, append: _Append, full: bool) -> None:
    append(b"\x04\x00\x00\x00" + _string_bytes(v))


def _e_string_name(v: Any, append: _Append, full: bool) -> None:
    append(b"\x15\x00\x00\x00" + _string_bytes(v))


def _e_vector2(v: Vector2, append: _Append, full: bool) -> None:
    try:
        append(_HDR_2F.pack(5, v.x, v.y))
    except OverflowError:
        append(_reals(5, (v.x, v.y)))


def _e_vector2i(v: Vector2i, append: _Append, full: bool) -> None:
    append(_HDR_2I.pack(6, v.x, v.y))


def _e_rect2(v: Rect2, append: _Append, full: bool) -> None:
    p, s = v.position, v.size
    append(_reals(7, (p.x, p.y, s.x, s.y)))


def _e_rect2i(v: Rect2i, append: _Append, full: bool) -> None:
    p, s = v.position, v.size
    append(_HDR_4I.pack(8, p.x, p.y, s.x, s.y))


def _e_vector3(v: Vector3, append: _Append, full: bool) -> None:
    append(_reals(9, (v.x, v.y, v.z)))


def _e_vector3i(v: Vector3i, append: _Append, full: bool) -> None:
    append(_HDR_3I.pack(10, v.x, v.y, v.z))


def _e_transform2d(v: Transform2D, append: _Append, full: bool) -> None:
    x, y, o = v.x, v.y, v.origin
    append(_reals(11, (x.x, x.y, y.x, y.y, o.x, o.y)))


def _e_vector4(v: Vector4, append: _Append, full: bool) -> None:
    append(_reals(12, (v.x, v.y, v.z, v.w)))


def _e_vector4i(v: Vector4i, append: _Append, full: bool) -> None:
    append(_HDR_4I.pack(13, v.x, v.y, v.z, v.w))


def _e_plane(v: Plane, append: _Append, full: bool) -> None:
    n = v.normal
    append(_reals(14, (n.x, n.y, n.z, v.d)))


def _e_quaternion(v: Quaternion, append: _Append, full: bool) -> None:
    append(_reals(15, (v.x, v.y, v.z, v.w)))


def _e_aabb(v: AABB, append: _Append, full: bool) -> None:
    p, s = v.position, v.size
    append(_reals(16, (p.x, p.y, p.z, s.x, s.y, s.z)))


def _e_basis(v: Basis, append: _Append, full: bool) -> None:
    append(_reals(17, v._rows()))


def _e_transform3d(v: Transform3D, append: _Append, full: bool) -> None:
    o = v.origin
    append(_reals(18, (*v.basis._rows(), o.x, o.y, o.z)))


def _e_projection(v: Projection, append: _Append, full: bool) -> None:
    append(_reals(19, [c for column in v._args() for c in column]))


def _e_color(v: Color, append: _Append, full: bool) -> None:
    append(_reals(20, (v.r, v.g, v.b, v.a)))


def _e_node_path(v: NodePath, append: _Append, full: bool) -> None:
    names = [v.get_name(i) for i in range(v.get_name_count())]
    subnames = [v.get_subname(i) for i in range(v.get_subname_count())]
    parts = [
        struct.pack(
            "<IIII", 22, len(names) | 0x80000000, len(subnames), 1 if v.is_absolute() else 0
        )
    ]
    # Godot 4.2 leaves the pad bytes unwritten (Q7); we write zeros.
    parts.extend(_string_bytes(name) for name in names)
    parts.extend(_string_bytes(name) for name in subnames)
    append(b"".join(parts))


def _e_rid(v: RID, append: _Append, full: bool) -> None:
    append(_HDR_U64.pack(23, v._id & 0xFFFFFFFFFFFFFFFF))


def _object_children(obj: Object, names: list[str], append: _Append) -> Iterator[Any]:
    """Write each stored property's name, then hand its value to the main loop."""
    for name in names:
        append(_string_bytes(name))
        yield obj.get(name)


def _e_object(v: Object, append: _Append, full: bool) -> Iterator[Any] | None:
    if not is_instance_valid(v):
        append(_NIL)  # Q3: a null or freed Object is sent as NIL
        return None
    if not full:
        append(_HDR_U64.pack(24 | ENCODE_FLAG_OBJECT_AS_ID, v.get_instance_id() & (2**64 - 1)))
        return None
    names = [
        str(p["name"])
        for p in v.get_property_list()
        if int(p.get("usage", 0)) & _PROPERTY_USAGE_STORAGE
    ]
    append(b"\x18\x00\x00\x00" + _string_bytes(v.get_class()) + _U32.pack(len(names)))
    return _object_children(v, names, append) if names else None


def _e_callable(v: Callable, append: _Append, full: bool) -> None:
    append(_CALLABLE)


def _e_signal(v: Signal, append: _Append, full: bool) -> None:
    append(
        b"\x1a\x00\x00\x00"
        + _string_bytes(v.get_name())
        + _U64.pack(v.get_object_id() & 0xFFFFFFFFFFFFFFFF)
    )


def _e_dictionary(v: dict[Any, Any], append: _Append, full: bool) -> Iterator[Any] | None:
    append(_HDR_U32.pack(27, len(v) & 0xFFFFFFFF))
    return itertools.chain.from_iterable(v.items()) if v else None


def _e_array(v: list[Any] | tuple[Any, ...], append: _Append, full: bool) -> Iterator[Any] | None:
    append(_HDR_U32.pack(28, len(v) & 0xFFFFFFFF))
    return iter(v) if v else None


def _e_bytes(v: bytes | bytearray | memoryview, append: _Append, full: bool) -> None:
    raw = v if type(v) is bytes else bytes(v)
    n = len(raw)
    append(_HDR_U32.pack(29, n) + raw + _PADS[n & 3])


def _packed_numbers(type_id: int, code: str, data: list[Any]) -> bytes:
    packed = array(code, data)
    if not _LITTLE:  # pragma: no cover - big-endian hosts only
        packed.byteswap()
    return _HDR_U32.pack(type_id, len(data)) + packed.tobytes()


def _e_int32s(v: PackedInt32Array, append: _Append, full: bool) -> None:
    append(_packed_numbers(30, "i", v._data))


def _e_int64s(v: PackedInt64Array, append: _Append, full: bool) -> None:
    append(_packed_numbers(31, "q", v._data))


def _e_float32s(v: PackedFloat32Array, append: _Append, full: bool) -> None:
    append(_packed_numbers(32, "f", v._data))


def _e_float64s(v: PackedFloat64Array, append: _Append, full: bool) -> None:
    append(_packed_numbers(33, "d", v._data))


def _e_strings(v: PackedStringArray, append: _Append, full: bool) -> None:
    parts = [_HDR_U32.pack(34, len(v._data))]
    for text in v._data:
        raw = _utf8(text)
        n = len(raw) + 1  # Q4: the length counts the NUL that follows
        parts.append(_U32.pack(n) + raw + b"\x00" + _PADS[n & 3])
    append(b"".join(parts))


def _e_vector2s(v: PackedVector2Array, append: _Append, full: bool) -> None:
    data = v._data
    append(_HDR_U32.pack(35, len(data)) + _reals(0, [c for e in data for c in (e.x, e.y)])[4:])


def _e_vector3s(v: PackedVector3Array, append: _Append, full: bool) -> None:
    data = v._data
    flat = [c for e in data for c in (e.x, e.y, e.z)]
    append(_HDR_U32.pack(36, len(data)) + _reals(0, flat)[4:])


def _e_colors(v: PackedColorArray, append: _Append, full: bool) -> None:
    data = v._data
    flat = [c for e in data for c in (e.r, e.g, e.b, e.a)]
    append(_HDR_U32.pack(37, len(data)) + _reals(0, flat)[4:])


_ENCODERS: dict[type, _Encoder] = {
    type(None): _e_nil,
    bool: _e_bool,
    int: _e_int,
    float: _e_float,
    str: _e_string,
    Vector2: _e_vector2,
    Vector2i: _e_vector2i,
    Rect2: _e_rect2,
    Rect2i: _e_rect2i,
    Vector3: _e_vector3,
    Vector3i: _e_vector3i,
    Transform2D: _e_transform2d,
    Vector4: _e_vector4,
    Vector4i: _e_vector4i,
    Plane: _e_plane,
    Quaternion: _e_quaternion,
    AABB: _e_aabb,
    Basis: _e_basis,
    Transform3D: _e_transform3d,
    Projection: _e_projection,
    Color: _e_color,
    StringName: _e_string_name,
    NodePath: _e_node_path,
    RID: _e_rid,
    Object: _e_object,
    Callable: _e_callable,
    Signal: _e_signal,
    dict: _e_dictionary,
    list: _e_array,
    tuple: _e_array,
    bytes: _e_bytes,
    bytearray: _e_bytes,
    memoryview: _e_bytes,
    PackedInt32Array: _e_int32s,
    PackedInt64Array: _e_int64s,
    PackedFloat32Array: _e_float32s,
    PackedFloat64Array: _e_float64s,
    PackedStringArray: _e_strings,
    PackedVector2Array: _e_vector2s,
    PackedVector3Array: _e_vector3s,
    PackedColorArray: _e_colors,
}


def _encoder_for(cls: type) -> _Encoder:
    """Find the encoder of a subclass (IntEnum, Object subclasses, ...) and cache it."""
    for base in cls.__mro__:
        found = _ENCODERS.get(base)
        if found is not None:
            _ENCODERS[cls] = found
            return found
    raise TypeError(f"cannot encode a {cls.__name__}: it is not a Variant type")


_END = object()


def _encode(root: object, full_objects: bool, append: _Append) -> Error:
    stack: list[Iterator[Any]] = []
    value: Any = root
    encoders = _ENCODERS
    while True:
        if len(stack) > MAX_RECURSION_DEPTH:
            return fail(Error.ERR_OUT_OF_MEMORY, "Potential infinite recursion detected. Bailing.")
        t = type(value)
        # Fast paths for the commonest types; everything else goes through the table.
        if t is int:
            if -0x80000000 <= value <= 0x7FFFFFFF:
                append(_HDR_I32.pack(2, value))
            else:
                err = _enc_int(value, append)
                if err is not None:
                    return err
        elif t is float:
            _enc_float(value, append)
        elif t is str:
            append(b"\x04\x00\x00\x00" + _string_bytes(value))
        elif t is list or t is dict:
            children = (
                _e_array(value, append, full_objects)
                if t is list
                else _e_dictionary(value, append, full_objects)
            )
            if children is not None:
                stack.append(children)
        else:
            encoder = encoders.get(t)
            if encoder is None:
                encoder = _encoder_for(t)
            result = encoder(value, append, full_objects)
            if result is not None:
                if isinstance(result, Error):
                    return result
                stack.append(result)
        while stack:
            value = next(stack[-1], _END)
            if value is not _END:
                break
            stack.pop()
        else:
            return _OK


def encode_variant(value: object, full_objects: bool = False) -> tuple[Error, bytes]:
    """Encode ``value`` like Godot's ``encode_variant``: ``(Error.OK, bytes)`` or
    ``(error, b"")``. ``full_objects`` writes Objects with their stored properties instead
    of their instance id. Values that are no Variant raise ``TypeError``."""
    out: list[bytes] = []
    err = _encode(value, bool(full_objects), out.append)
    if err != _OK:
        return err, b""
    return _OK, b"".join(out)


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_Buffer = bytes | bytearray


def _read_string(buf: _Buffer, pos: int, n: int) -> tuple[Error, str, int]:
    """``_decode_string``: returns (error, text, new position)."""
    if n - pos < 4:
        return _INVALID, "", pos
    length = _I32.unpack_from(buf, pos)[0]
    pos += 4
    if length < 0:
        return _EOF, "", pos
    padded = length + ((4 - (length & 3)) & 3)
    if padded > n - pos:
        return _EOF, "", pos
    raw = buf[pos : pos + length]
    if raw[:3] == _BOM:
        raw = raw[3:]
    nul = raw.find(0)
    if nul != -1:
        raw = raw[:nul]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _INVALID, "", pos
    return _OK, text, pos + padded


def _reals_at(buf: _Buffer, pos: int, count: int, flag64: int) -> list[float]:
    fmt = f"<{count}d" if flag64 else f"<{count}f"
    return list(struct.unpack_from(fmt, buf, pos))


def _math_size(count: int, flag64: int) -> int:
    return count * (8 if flag64 else 4)


# Math types: type id -> (number of real components, builder from the component list)
def _b_rect2(c: list[float]) -> Any:
    return Rect2._make(c[0], c[1], c[2], c[3])


def _b_vector3(c: list[float]) -> Any:
    return Vector3._make(c[0], c[1], c[2])


def _b_transform2d(c: list[float]) -> Any:
    return Transform2D._make(
        Vector2._make(c[0], c[1]), Vector2._make(c[2], c[3]), Vector2._make(c[4], c[5])
    )


def _b_vector4(c: list[float]) -> Any:
    return Vector4._make(c[0], c[1], c[2], c[3])


def _b_plane(c: list[float]) -> Any:
    return Plane._make(c[0], c[1], c[2], c[3])


def _b_quaternion(c: list[float]) -> Any:
    return Quaternion._make(c[0], c[1], c[2], c[3])


def _b_aabb(c: list[float]) -> Any:
    return AABB._make(Vector3._make(c[0], c[1], c[2]), Vector3._make(c[3], c[4], c[5]))


def _b_basis(c: list[float]) -> Any:
    return Basis._from_rows(c)


def _b_transform3d(c: list[float]) -> Any:
    return Transform3D._make(Basis._from_rows(c), Vector3._make(c[9], c[10], c[11]))


def _b_projection(c: list[float]) -> Any:
    return Projection._make(
        *(Vector4._make(c[i], c[i + 1], c[i + 2], c[i + 3]) for i in range(0, 16, 4))
    )


_MATH: dict[int, tuple[int, _Fn[[list[float]], Any]]] = {
    7: (4, _b_rect2),
    9: (3, _b_vector3),
    11: (6, _b_transform2d),
    12: (4, _b_vector4),
    14: (4, _b_plane),
    15: (4, _b_quaternion),
    16: (6, _b_aabb),
    17: (9, _b_basis),
    18: (12, _b_transform3d),
    19: (16, _b_projection),
}

# Integer vectors: type id -> (component count, builder)
_INTS: dict[int, tuple[int, _Fn[..., Any]]] = {
    6: (2, Vector2i._make),
    8: (4, Rect2i._make),
    10: (3, Vector3i._make),
    13: (4, Vector4i._make),
}

# Packed numeric arrays: type id -> (element size, array typecode, class)
_PACKED: dict[int, tuple[int, str, Any]] = {
    30: (4, "i", PackedInt32Array),
    31: (8, "q", PackedInt64Array),
    32: (4, "f", PackedFloat32Array),
    33: (8, "d", PackedFloat64Array),
}

_ARRAY = 0
_DICT = 1
_OBJECT = 2
_NO_KEY = object()


def _freeze_key(key: Any) -> Any:
    """Arrays can be Dictionary keys in Godot; in Python they become tuples."""
    if isinstance(key, list):
        return tuple(_freeze_key(k) for k in key)
    return key


def _decode_packed(t: int, header: int, buf: _Buffer, pos: int, n: int) -> tuple[Error, Any, int]:
    """Decode packed array types 29-37 at ``pos`` (just after the header)."""
    if n - pos < 4:
        return _INVALID, None, pos
    count = _I32.unpack_from(buf, pos)[0]
    pos += 4
    remaining = n - pos
    if t == 29:
        if count < 0 or count > remaining:
            return _INVALID, None, pos
        # Q5: the final padding may be missing; the reported length still counts it.
        return _OK, bytes(buf[pos : pos + count]), pos + count + ((4 - (count & 3)) & 3)
    if t == 34:
        strings: list[str] = []
        for _ in range(max(count, 0)):  # each element needs >= 4 bytes, so this is bounded
            err, text, pos = _read_string(buf, pos, n)
            if err != _OK:
                return err, None, pos
            strings.append(text)
        return _OK, PackedStringArray._wrap(strings), pos
    if t in _PACKED:
        size, code, cls = _PACKED[t]
    elif t == 35:
        size, code, cls = (16 if header & ENCODE_FLAG_64 else 8), "", PackedVector2Array
    elif t == 36:
        size, code, cls = (24 if header & ENCODE_FLAG_64 else 12), "", PackedVector3Array
    else:  # 37: Colors are always single precision
        size, code, cls = 16, "", PackedColorArray
    if count < 0 or count > _INT_MAX // size or count * size > remaining:
        return _INVALID, None, pos
    end = pos + count * size
    if code:
        values = array(code, buf[pos:end])
        if not _LITTLE:  # pragma: no cover - big-endian hosts only
            values.byteswap()
        return _OK, cls._wrap(values.tolist()), end
    width = 3 if t == 36 else (4 if t == 37 else 2)
    flat = _reals_at(buf, pos, count * width, header & ENCODE_FLAG_64 if t != 37 else 0)
    if t == 35:
        items: list[Any] = [Vector2._make(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
    elif t == 36:
        items = [Vector3._make(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)]
    else:
        items = [
            Color._make(flat[i], flat[i + 1], flat[i + 2], flat[i + 3])
            for i in range(0, len(flat), 4)
        ]
    return _OK, cls._wrap(items), end


def _decode(buf: _Buffer, allow_objects: bool) -> tuple[Error, Any, int]:
    n = len(buf)
    pos = 0
    # Frames: [kind, container, remaining, pending key or property name]
    stack: list[list[Any]] = []
    u32 = _U32.unpack_from
    while True:
        if len(stack) > MAX_RECURSION_DEPTH:
            return fail(Error.ERR_OUT_OF_MEMORY, "Variant is too deep. Bailing."), None, 0
        if n - pos < 4:
            return _INVALID, None, 0
        header = u32(buf, pos)[0]
        t = header & 0xFF
        pos += 4
        value: Any
        if t == 2:  # INT
            if header & ENCODE_FLAG_64:
                if n - pos < 8:
                    return _INVALID, None, 0
                value = _I64.unpack_from(buf, pos)[0]
                pos += 8
            else:
                if n - pos < 4:
                    return _INVALID, None, 0
                value = _I32.unpack_from(buf, pos)[0]
                pos += 4
        elif t == 4 or t == 21:  # STRING, STRING_NAME
            err, value, pos = _read_string(buf, pos, n)
            if err != _OK:
                return err, None, 0
            if t == 21:
                value = StringName(value)
        elif t == 3:  # FLOAT
            if header & ENCODE_FLAG_64:
                if n - pos < 8:
                    return _INVALID, None, 0
                value = _F64.unpack_from(buf, pos)[0]
                pos += 8
            else:
                if n - pos < 4:
                    return _INVALID, None, 0
                value = _F32.unpack_from(buf, pos)[0]
                pos += 4
        elif t == 28 or t == 27:  # ARRAY, DICTIONARY
            if n - pos < 4:
                return _INVALID, None, 0
            count = u32(buf, pos)[0] & 0x7FFFFFFF  # bit 31 ("shared") is ignored
            pos += 4
            container: Any = [] if t == 28 else {}
            if count:
                stack.append([_ARRAY if t == 28 else _DICT, container, count, _NO_KEY])
                continue
            value = container
        elif t == 0:  # NIL
            value = None
        elif t == 1:  # BOOL
            if n - pos < 4:
                return _INVALID, None, 0
            value = u32(buf, pos)[0] != 0
            pos += 4
        elif t == 5:  # VECTOR2
            if header & ENCODE_FLAG_64:
                if n - pos < 16:
                    return _INVALID, None, 0
                x, y = struct.unpack_from("<dd", buf, pos)
                pos += 16
            else:
                if n - pos < 8:
                    return _INVALID, None, 0
                x, y = struct.unpack_from("<ff", buf, pos)
                pos += 8
            value = Vector2._make(x, y)
        elif t in _MATH:
            width, build = _MATH[t]
            size = _math_size(width, header & ENCODE_FLAG_64)
            if n - pos < size:
                return _INVALID, None, 0
            value = build(_reals_at(buf, pos, width, header & ENCODE_FLAG_64))
            pos += size
        elif t in _INTS:
            width, make = _INTS[t]
            if n - pos < 4 * width:
                return _INVALID, None, 0
            value = make(*struct.unpack_from(f"<{width}i", buf, pos))
            pos += 4 * width
        elif t == 20:  # COLOR: always float32, the flag is ignored
            if n - pos < 16:
                return _INVALID, None, 0
            value = Color._make(*struct.unpack_from("<4f", buf, pos))
            pos += 16
        elif t == 22:  # NODE_PATH
            if n - pos < 4:
                return _INVALID, None, 0
            name_count = u32(buf, pos)[0]
            if not name_count & 0x80000000 or n - pos < 12:
                return _INVALID, None, 0  # bit 31 clear: the pre-3.0 format, refused
            name_count &= 0x7FFFFFFF
            subname_count, flags = struct.unpack_from("<II", buf, pos + 4)
            pos += 12
            if flags & 2:  # obsolete separate property: one more subname
                subname_count = (subname_count + 1) & 0xFFFFFFFF
            total = (name_count + subname_count) & 0xFFFFFFFF
            names: list[str] = []
            subnames: list[str] = []
            for i in range(total):  # each string needs >= 4 bytes, so this is bounded
                err, text, pos = _read_string(buf, pos, n)
                if err != _OK:
                    return err, None, 0
                (names if i < name_count else subnames).append(text)
            value = NodePath._from_parts(names, subnames, bool(flags & 1))
        elif t == 23:  # RID
            if n - pos < 8:
                return _INVALID, None, 0
            value = RID._from_id(_U64.unpack_from(buf, pos)[0])
            pos += 8
        elif t == 24:  # OBJECT
            if header & ENCODE_FLAG_OBJECT_AS_ID:
                if n - pos < 8:
                    return _INVALID, None, 0
                object_id = _I64.unpack_from(buf, pos)[0]
                pos += 8
                if object_id == 0:
                    value = None
                else:
                    value = EncodedObjectAsID()
                    value.set_object_id(object_id)
            else:
                if not allow_objects:
                    return fail(Error.ERR_UNAUTHORIZED, "Objects are not allowed."), None, 0
                err, class_name, pos = _read_string(buf, pos, n)
                if err != _OK:
                    return err, None, 0
                if not class_name:
                    value = None
                else:
                    obj = _instantiate(class_name)
                    if obj is None:
                        return Error.ERR_UNAVAILABLE, None, 0
                    if n - pos < 4:
                        return _INVALID, None, 0
                    count = _I32.unpack_from(buf, pos)[0]
                    pos += 4
                    if count > 0:
                        err, name, pos = _read_string(buf, pos, n)
                        if err != _OK:
                            return err, None, 0
                        stack.append([_OBJECT, obj, count, name])
                        continue
                    value = obj
        elif t == 25:  # CALLABLE
            value = Callable()
        elif t == 26:  # SIGNAL
            err, signal_name, pos = _read_string(buf, pos, n)
            if err != _OK:
                return err, None, 0
            if n - pos < 8:
                return _INVALID, None, 0
            value = Signal._from_object_id(_I64.unpack_from(buf, pos)[0], signal_name)
            pos += 8
        elif 29 <= t <= 37:
            err, value, pos = _decode_packed(t, header, buf, pos, n)
            if err != _OK:
                return err, None, 0
        else:  # type id >= VARIANT_MAX (38 = PackedVector4Array only exists from 4.3)
            return _INVALID, None, 0

        # Hand the finished value to the enclosing containers, closing those that are full.
        while stack:
            frame = stack[-1]
            kind = frame[0]
            if kind == _ARRAY:
                frame[1].append(value)
            elif kind == _DICT:
                if frame[3] is _NO_KEY:
                    frame[3] = value
                    break
                key = frame[3]
                frame[3] = _NO_KEY
                try:
                    frame[1][key] = value
                except TypeError:
                    try:
                        frame[1][_freeze_key(key)] = value
                    except TypeError:
                        message = f"A {type(key).__name__} cannot be a Python dictionary key."
                        return fail(_INVALID, message), None, 0
            else:
                _set_property(frame[1], frame[3], value)
            frame[2] -= 1
            if frame[2] > 0:
                if kind == _OBJECT:
                    err, frame[3], pos = _read_string(buf, pos, n)
                    if err != _OK:
                        return err, None, 0
                break
            stack.pop()
            value = frame[1]
        else:
            return _OK, value, pos


def _instantiate(class_name: str) -> Object | None:
    if not ClassDB._is_native(class_name):
        # Godot's ClassDB holds engine classes only, never script classes, so a user's
        # Python class is not created from the wire (its constructor could run anything).
        return fail(None, f"Cannot decode an object of class '{class_name}': not an engine class.")
    try:
        return ClassDB.instantiate(class_name)
    except Exception as exc:  # a user class whose constructor needs arguments, ...
        push_error(f"Cannot instantiate '{class_name}': {exc!r}")
        return None


def _set_property(obj: Object, name: str, value: Any) -> None:
    try:
        obj.set(name, value)
    except Exception as exc:  # a setter rejecting the decoded value: Godot ignores it too
        push_error(f"Cannot set property '{name}' on {obj.get_class()}: {exc!r}")


def _as_buffer(data: bytes | bytearray | memoryview) -> _Buffer:
    if type(data) is bytes or type(data) is bytearray:
        return data
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if isinstance(data, memoryview):
        return data.tobytes()
    raise TypeError(f"expected bytes, bytearray or memoryview, got {type(data).__name__}")


def decode_variant(
    data: bytes | bytearray | memoryview, allow_objects: bool = False
) -> tuple[Error, Any, int]:
    """Decode one Variant from the start of ``data`` like Godot's ``decode_variant``.

    Returns ``(error, value, bytes consumed)``; trailing bytes are ignored. On error the
    value is None and the length 0. Never raises on any input bytes.
    """
    buf = _as_buffer(data)
    try:
        return _decode(buf, bool(allow_objects))
    except Exception as exc:  # pragma: no cover - a bug; hostile bytes must not crash callers
        push_error(f"decode_variant: internal error {exc!r}")
        return Error.ERR_BUG, None, 0


# --------------------------------------------------------------------------------------------
# GDScript functions
# --------------------------------------------------------------------------------------------


def var_to_bytes(variable: object) -> bytes:
    """GDScript ``var_to_bytes``: encode without objects; empty bytes on failure."""
    err, out = encode_variant(variable, False)
    return out if err == _OK else b""


def var_to_bytes_with_objects(variable: object) -> bytes:
    """GDScript ``var_to_bytes_with_objects``: Objects are written with their properties."""
    err, out = encode_variant(variable, True)
    return out if err == _OK else b""


def bytes_to_var(bytes: bytes | bytearray | memoryview) -> Any:
    """GDScript ``bytes_to_var``: decode without objects; None (after an error) on failure."""
    err, value, _ = decode_variant(bytes, False)
    if err != _OK:
        push_error(f"Error when trying to decode Variant ({err!r}).")
        return None
    return value


def bytes_to_var_with_objects(bytes: bytes | bytearray | memoryview) -> Any:
    """GDScript ``bytes_to_var_with_objects``: full objects are instantiated (unsafe input!)."""
    err, value, _ = decode_variant(bytes, True)
    if err != _OK:
        push_error(f"Error when trying to decode Variant ({err!r}).")
        return None
    return value


__all__ = [
    "ENCODE_FLAG_64",
    "ENCODE_FLAG_OBJECT_AS_ID",
    "MAX_RECURSION_DEPTH",
    "bytes_to_var",
    "bytes_to_var_with_objects",
    "decode_variant",
    "encode_variant",
    "var_to_bytes",
    "var_to_bytes_with_objects",
]
