"""Godot's ``StreamPeer``: the abstract byte stream under TCP, TLS and StreamPeerBuffer.

Theory of operation
-------------------
Godot splits a stream peer into a script-facing API (``put_data``, ``get_u32``,
``get_var`` ...) and five virtual primitives that each transport implements. We keep the
same split. A subclass implements ONLY these hooks (they mirror ``StreamPeerExtension``'s
virtuals and the C++ ``put_data/get_data`` overrides):

``_put_data(data: bytes) -> Error``
    Blocking semantics: send all of ``data`` or return an error. ``data`` is never empty.
``_put_partial_data(data: bytes) -> tuple[Error, int]``
    Send what can be sent now; return ``(OK, sent)``. ``data`` is never empty.
``_get_data(n: int) -> tuple[Error, bytes]``
    Blocking semantics: read exactly ``n`` bytes (``n > 0``) or return an error. The bytes
    may be shorter than ``n`` on error (for StreamPeerBuffer: the bytes that were there).
    Must not pre-allocate ``n`` bytes: ``n`` can come from a hostile length prefix.
``_get_partial_data(n: int) -> tuple[Error, bytes]``
    Read up to ``n`` bytes (``n > 0``) that are available now; ``(OK, b"")`` if none.
``_get_available_bytes() -> int``

The public methods do Godot's argument handling (type checks, empty puts, negative sizes)
and then call a hook; the path is kept thin because every read and write takes it.

Where Godot 4.2 returns uninitialised memory (a fixed-width read past the end of the
stream, the tail of a short ``get_data``) we return zero bytes.
"""

from __future__ import annotations

import struct
from typing import Any

from engine.core.error import Error
from engine.core.messages import fail, push_error
from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted
from netpeer.marshalls import decode_variant, encode_variant

MAX_DATA_SIZE = 2**31 - 1
"""Largest ``get_data``/``get_partial_data`` size: Godot 4.2 arrays have 32-bit sizes.

A larger request (or one whose array cannot be allocated) gives ``ERR_OUT_OF_MEMORY`` and
an empty array, never an exception.
"""

_OK = Error.OK
_BytesLike = (bytes, bytearray, memoryview)


class _Codec:
    """Pre-built ``struct`` packers for one byte order (swapped in by ``set_big_endian``)."""

    __slots__ = ("f32", "f64", "i16", "i32", "i64", "u16", "u32", "u64")

    def __init__(self, order: str) -> None:
        self.u16 = struct.Struct(order + "H")
        self.i16 = struct.Struct(order + "h")
        self.u32 = struct.Struct(order + "I")
        self.i32 = struct.Struct(order + "i")
        self.u64 = struct.Struct(order + "Q")
        self.i64 = struct.Struct(order + "q")
        self.f32 = struct.Struct(order + "f")
        self.f64 = struct.Struct(order + "d")


_LITTLE = _Codec("<")
_BIG = _Codec(">")
_U8 = struct.Struct("B")
_I8 = struct.Struct("b")


def _as_bytes(data: object) -> bytes:
    """Return ``data`` as ``bytes``; raise TypeError for anything not bytes-like."""
    if type(data) is bytes:
        return data
    if isinstance(data, _BytesLike):
        return bytes(data)
    raise TypeError(f"expected bytes, bytearray or memoryview, got {type(data).__name__}")


def _check_size(value: object) -> int:
    if type(value) is int or isinstance(value, int):
        return value
    raise TypeError(f"expected int, got {type(value).__name__}")


def _fit(data: bytes, n: int) -> bytes:
    """Pad (with zeros) or cut ``data`` to exactly ``n`` bytes."""
    if len(data) < n:
        return data + b"\x00" * (n - len(data))
    return data[:n]


def _out_of_memory(method: str, n: int) -> tuple[Error, bytes]:
    return fail((Error.ERR_OUT_OF_MEMORY, b""), f"{method}: cannot allocate {n} bytes.")


def _pack_f32(codec: _Codec, value: object) -> bytes:
    if not isinstance(value, (int, float)):
        raise TypeError(f"expected float, got {type(value).__name__}")
    try:
        return codec.f32.pack(value)
    except OverflowError:  # C's (float) cast gives +-inf where struct refuses.
        return codec.f32.pack(float("inf") if value > 0 else float("-inf"))


def _decode_utf8(raw: bytes) -> str:
    """Godot's ``String::parse_utf8``: skip a BOM, stop at NUL, U+FFFD for bad input."""
    if raw[:3] == b"\xef\xbb\xbf":
        raw = raw[3:]
    nul = raw.find(0)
    if nul >= 0:
        raw = raw[:nul]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        push_error("Unicode parsing error: invalid UTF-8 in get_utf8_string().")
        return raw.decode("utf-8", errors="replace")


def _ascii(value: str) -> bytes:
    """Godot's ``String::ascii()``: characters above 0x7F become a space, with an error."""
    try:
        return value.encode("ascii")
    except UnicodeEncodeError:
        out = bytearray()
        for ch in value:
            code = ord(ch)
            if code <= 0x7F:
                out.append(code)
            else:
                push_error(
                    f"Unicode parsing error: Invalid unicode codepoint ({code:x}), "
                    "cannot represent as ASCII/Latin-1"
                )
                out.append(0x20)
        return bytes(out)


class StreamPeer(RefCounted):
    """Abstract byte stream with typed, endianness-aware readers and writers."""

    _godot_abstract = True  # ClassDB.instantiate() refuses it, like Godot

    def __init__(self) -> None:
        super().__init__()
        self._big_endian = False
        self._codec = _LITTLE

    # -- hooks: what a transport implements --------------------------------------------------

    def _put_data(self, data: bytes) -> Error:
        raise NotImplementedError(f"{type(self).__name__} must implement _put_data")

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        raise NotImplementedError(f"{type(self).__name__} must implement _put_partial_data")

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_data")

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_partial_data")

    def _get_available_bytes(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_available_bytes")

    # -- raw data ----------------------------------------------------------------------------

    def put_data(self, data: bytes | bytearray | memoryview) -> Error:
        """Send all of ``data`` (blocking for sockets); an empty array is a no-op."""
        raw = _as_bytes(data)
        if not raw:
            return _OK
        return self._put_data(raw)

    def put_partial_data(self, data: bytes | bytearray | memoryview) -> tuple[Error, int]:
        """Send what can be sent now: ``(error, bytes_sent)``; ``sent`` is 0 on error."""
        raw = _as_bytes(data)
        if not raw:
            return _OK, 0
        err, sent = self._put_partial_data(raw)
        if err != _OK:
            return err, 0
        return err, sent

    def get_data(self, bytes: int) -> tuple[Error, bytes]:
        """Read exactly ``bytes`` bytes: ``(error, data)``.

        Like Godot the array always has the requested size, even on error (only the bytes
        actually read are meaningful; the rest is zeros here, garbage in Godot).
        """
        n = _check_size(bytes)
        if not 0 < n <= MAX_DATA_SIZE:
            if n == 0:
                return _OK, b""
            return _out_of_memory("get_data", n)
        try:
            err, data = self._get_data(n)
            if len(data) != n:
                data = _fit(data, n)
        except MemoryError:
            return _out_of_memory("get_data", n)
        return err, data

    def get_partial_data(self, bytes: int) -> tuple[Error, bytes]:
        """Read up to ``bytes`` bytes available now: ``(error, data)``; empty on error."""
        n = _check_size(bytes)
        if not 0 < n <= MAX_DATA_SIZE:
            if n == 0:
                return _OK, b""
            return _out_of_memory("get_partial_data", n)
        try:
            err, data = self._get_partial_data(n)
        except MemoryError:
            return _out_of_memory("get_partial_data", n)
        if err != _OK:
            return err, b""
        return err, data

    def get_available_bytes(self) -> int:
        """Bytes that can be read right now without blocking."""
        return self._get_available_bytes()

    # -- endianness --------------------------------------------------------------------------

    def set_big_endian(self, enable: bool) -> None:
        """Use big-endian byte order for the fixed-width and length-prefix helpers."""
        self._big_endian = bool(enable)
        self._codec = _BIG if self._big_endian else _LITTLE

    def is_big_endian_enabled(self) -> bool:
        return self._big_endian

    # -- fixed-width writers (errors of the underlying put are ignored, like Godot) ----------

    def put_8(self, value: int) -> None:
        self._put_data(_U8.pack(value & 0xFF))

    def put_u8(self, value: int) -> None:
        self._put_data(_U8.pack(value & 0xFF))

    def put_16(self, value: int) -> None:
        self._put_data(self._codec.u16.pack(value & 0xFFFF))

    def put_u16(self, value: int) -> None:
        self._put_data(self._codec.u16.pack(value & 0xFFFF))

    def put_32(self, value: int) -> None:
        self._put_data(self._codec.u32.pack(value & 0xFFFFFFFF))

    def put_u32(self, value: int) -> None:
        self._put_data(self._codec.u32.pack(value & 0xFFFFFFFF))

    def put_64(self, value: int) -> None:
        self._put_data(self._codec.u64.pack(value & 0xFFFFFFFFFFFFFFFF))

    def put_u64(self, value: int) -> None:
        self._put_data(self._codec.u64.pack(value & 0xFFFFFFFFFFFFFFFF))

    def put_float(self, value: float) -> None:
        """Write ``value`` as IEEE-754 binary32 (rounded; out of range becomes +-inf)."""
        self._put_data(_pack_f32(self._codec, value))

    def put_double(self, value: float) -> None:
        if not isinstance(value, (int, float)):
            raise TypeError(f"expected float, got {type(value).__name__}")
        self._put_data(self._codec.f64.pack(value))

    # -- fixed-width readers -----------------------------------------------------------------

    def _read(self, n: int) -> tuple[Error, bytes]:
        """``get_data`` without argument checks; always exactly ``n`` bytes back."""
        err, data = self._get_data(n)
        if len(data) != n:
            data = _fit(data, n)
        return err, data

    def get_8(self) -> int:
        value: int = _I8.unpack(self._read(1)[1])[0]
        return value

    def get_u8(self) -> int:
        value: int = _U8.unpack(self._read(1)[1])[0]
        return value

    def get_16(self) -> int:
        value: int = self._codec.i16.unpack(self._read(2)[1])[0]
        return value

    def get_u16(self) -> int:
        value: int = self._codec.u16.unpack(self._read(2)[1])[0]
        return value

    def get_32(self) -> int:
        value: int = self._codec.i32.unpack(self._read(4)[1])[0]
        return value

    def get_u32(self) -> int:
        value: int = self._codec.u32.unpack(self._read(4)[1])[0]
        return value

    def get_64(self) -> int:
        value: int = self._codec.i64.unpack(self._read(8)[1])[0]
        return value

    def get_u64(self) -> int:
        """Read 8 bytes; like Godot the bit pattern comes back as a signed int (Q12)."""
        value: int = self._codec.i64.unpack(self._read(8)[1])[0]
        return value

    def get_float(self) -> float:
        value: float = self._codec.f32.unpack(self._read(4)[1])[0]
        return value

    def get_double(self) -> float:
        value: float = self._codec.f64.unpack(self._read(8)[1])[0]
        return value

    # -- strings -----------------------------------------------------------------------------

    def put_string(self, value: str) -> None:
        """u32 character count + ASCII bytes; characters above 0x7F are sent as spaces (Q9).

        Prefix and bytes go out in one ``_put_data`` call (Godot makes two).
        """
        if not isinstance(value, str):
            raise TypeError(f"expected str, got {type(value).__name__}")
        raw = _ascii(value)
        self._put_data(self._codec.u32.pack(len(raw)) + raw)

    def put_utf8_string(self, value: str) -> None:
        """u32 UTF-8 byte length + UTF-8 bytes (one ``_put_data`` call)."""
        if not isinstance(value, str):
            raise TypeError(f"expected str, got {type(value).__name__}")
        raw = value.encode("utf-8", errors="surrogatepass")
        self._put_data(self._codec.u32.pack(len(raw)) + raw)

    def _read_string_bytes(self, n: int, what: str) -> bytes | None:
        """The framing shared by ``get_string``/``get_utf8_string``; None on failure."""
        _check_size(n)
        if n < 0:
            err, prefix = self._read(4)
            if err != _OK:
                push_error(f"{what}: could not read the length prefix ({err.name}).")
                return None
            # Godot stores get_u32() in an int: lengths >= 2**31 become negative.
            n = self._codec.i32.unpack(prefix)[0]
            if n < 0:
                push_error(f'{what}: Condition "p_bytes < 0" is true.')
                return None
        if n == 0:
            return b""
        err, raw = self._get_data(n)
        if err != _OK:
            push_error(f"{what}: could not read {n} bytes ({err.name}).")
            return None
        return raw

    def get_string(self, bytes: int = -1) -> str:
        """Read ``bytes`` bytes (or a u32 length first when negative) as a C string.

        Each byte is one code point (Latin-1) and the text stops at the first NUL (Q9).
        """
        raw = self._read_string_bytes(bytes, "get_string")
        if raw is None:
            return ""
        nul = raw.find(0)
        if nul >= 0:
            raw = raw[:nul]
        return raw.decode("latin-1")

    def get_utf8_string(self, bytes: int = -1) -> str:
        """Read ``bytes`` bytes (or a u32 length first when negative) as UTF-8."""
        raw = self._read_string_bytes(bytes, "get_utf8_string")
        if raw is None:
            return ""
        return _decode_utf8(raw)

    # -- Variants ----------------------------------------------------------------------------

    def put_var(self, value: Any, full_objects: bool = False) -> None:
        """``put_32(len)`` (honours big_endian, Q8) + ``encode_variant`` bytes, in one put."""
        err, payload = encode_variant(value, full_objects)
        if err != _OK:
            push_error(f"put_var: could not encode the value ({err.name}).")
            return
        self._put_data(self._codec.u32.pack(len(payload)) + payload)

    def get_var(self, allow_objects: bool = False) -> Any:
        """Read a ``put_var`` frame and decode it; None (with an error) on any failure."""
        err, prefix = self._read(4)
        if err != _OK:
            return fail(None, f"get_var: could not read the length prefix ({err.name}).")
        n: int = self._codec.i32.unpack(prefix)[0]
        if n < 0:
            return fail(None, f"get_var: invalid length {n}.")
        payload = b""
        if n:
            err, payload = self._get_data(n)
            if err != _OK:
                return fail(None, f"get_var: could not read {n} bytes ({err.name}).")
        err, value, _ = decode_variant(payload, allow_objects)
        if err != _OK:
            return fail(None, "Error when trying to decode Variant.")
        return value

    big_endian = GodotProperty(is_big_endian_enabled, set_big_endian, default=False)
