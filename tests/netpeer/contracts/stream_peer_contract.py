"""The StreamPeer contract: typed I/O, endianness, strings, Variants, partial and bulk data.

Every check takes ``make_pair`` (see the package docstring) and an optional ``timeout``.
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest

from engine.core.error import Error
from netpeer.stream_peer import StreamPeer

from ._common import pump_until

MakeStreamPair = Callable[[], tuple[StreamPeer, StreamPeer, Callable[[], None]]]

_F32 = struct.Struct("<f")


def _f32(value: float) -> float:
    result: float = _F32.unpack(_F32.pack(value))[0]
    return result


def _receive(b: StreamPeer, n: int, pump: Callable[[], None], timeout: float) -> bytes:
    """Wait until ``n`` bytes are available on ``b`` and read them with ``get_data``."""
    pump_until(pump, lambda: b.get_available_bytes() >= n, timeout, f"{n} bytes to arrive")
    err, data = b.get_data(n)
    assert err == Error.OK, f"get_data({n}) -> {err!r}"
    assert len(data) == n
    return data


def _drain(b: StreamPeer, n: int, pump: Callable[[], None], timeout: float) -> bytes:
    """Collect ``n`` bytes from ``b`` through ``get_partial_data`` calls."""
    out = bytearray()

    def more() -> bool:
        err, chunk = b.get_partial_data(n - len(out))
        assert err == Error.OK, f"get_partial_data -> {err!r}"
        assert len(chunk) <= n - len(out)
        out.extend(chunk)
        return len(out) >= n

    pump_until(pump, more, timeout, f"{n} bytes through get_partial_data")
    return bytes(out)


# (put method, value written, get method, value read back, struct code of the wire value)
_FIXED_WIDTH: list[tuple[str, Any, str, Any, str, Any]] = [
    ("put_8", -2, "get_8", -2, "b", -2),
    ("put_8", 200, "get_8", -56, "B", 200),
    ("put_u8", 298, "get_u8", 42, "B", 42),
    ("put_u8", -1, "get_u8", 255, "B", 255),
    ("put_16", -2, "get_16", -2, "h", -2),
    ("put_16", 0x12345, "get_16", 0x2345, "H", 0x2345),
    ("put_u16", 0xBEEF, "get_u16", 0xBEEF, "H", 0xBEEF),
    ("put_u16", -1, "get_u16", 0xFFFF, "H", 0xFFFF),
    ("put_32", -123456789, "get_32", -123456789, "i", -123456789),
    ("put_32", 2**31, "get_32", -(2**31), "I", 2**31),
    ("put_u32", 0xDEADBEEF, "get_u32", 0xDEADBEEF, "I", 0xDEADBEEF),
    ("put_u32", 2**32 + 7, "get_u32", 7, "I", 7),
    ("put_64", -2, "get_64", -2, "q", -2),
    ("put_64", 2**63, "get_64", -(2**63), "Q", 2**63),
    ("put_u64", 0x0102030405060708, "get_u64", 0x0102030405060708, "Q", 0x0102030405060708),
    ("put_u64", 2**64 - 1, "get_u64", -1, "Q", 2**64 - 1),  # Q12: get_u64 is signed
    ("put_float", 1.5, "get_float", 1.5, "f", 1.5),
    ("put_float", 0.1, "get_float", _f32(0.1), "f", 0.1),
    ("put_float", -1e39, "get_float", -math.inf, "f", -math.inf),
    ("put_double", 0.1, "get_double", 0.1, "d", 0.1),
    ("put_double", -0.25, "get_double", -0.25, "d", -0.25),
    ("put_double", 7, "get_double", 7.0, "d", 7.0),
]


def check_fixed_width(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """Every put_*/get_* pair, both byte orders: exact wire bytes, truncation, round trip."""
    a, b, pump = make_pair()
    for big in (False, True):
        order = ">" if big else "<"
        a.set_big_endian(big)
        b.set_big_endian(big)
        wire = b"".join(struct.pack(order + code, raw) for *_, code, raw in _FIXED_WIDTH)
        for put, value, *_ in _FIXED_WIDTH:
            getattr(a, put)(value)
        assert _receive(b, len(wire), pump, timeout) == wire, f"wire bytes, big_endian={big}"
        for put, value, *_ in _FIXED_WIDTH:
            getattr(a, put)(value)
        pump_until(pump, lambda w=wire: b.get_available_bytes() >= len(w), timeout, "values")
        for _, value, get, expected, *_ in _FIXED_WIDTH:
            got = getattr(b, get)()
            assert got == expected, f"{get}() after put({value!r}), big_endian={big}: {got!r}"
            assert type(got) is type(expected), f"{get}() returned {type(got).__name__}"
        assert b.get_available_bytes() == 0


def check_float_specials(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """NaN, infinities and signed zero survive put_float/put_double."""
    a, b, pump = make_pair()
    a.put_float(math.nan)
    a.put_double(math.nan)
    a.put_float(math.inf)
    a.put_double(-math.inf)
    a.put_float(-0.0)
    a.put_double(-0.0)
    pump_until(pump, lambda: b.get_available_bytes() >= 36, timeout, "36 bytes")
    assert math.isnan(b.get_float())
    assert math.isnan(b.get_double())
    assert b.get_float() == math.inf
    assert b.get_double() == -math.inf
    assert math.copysign(1.0, b.get_float()) == -1.0
    assert math.copysign(1.0, b.get_double()) == -1.0


def check_strings(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """put_string is u32 + ASCII (non-ASCII -> space); get_string is Latin-1 up to NUL; UTF-8."""
    a, b, pump = make_pair()
    a.put_string("Hello, World!")
    assert _receive(b, 17, pump, timeout) == b"\x0d\x00\x00\x00Hello, World!"
    a.put_string("")
    assert _receive(b, 4, pump, timeout) == b"\x00\x00\x00\x00"
    a.put_string("h\u00e9llo\u2729")  # Q9: one space per non-ASCII character
    assert _receive(b, 10, pump, timeout) == b"\x06\x00\x00\x00h llo "
    a.put_utf8_string("Hello\u2729, World\u2729!")
    wire = b"\x13\x00\x00\x00Hello\xe2\x9c\xa9, World\xe2\x9c\xa9!"
    assert _receive(b, len(wire), pump, timeout) == wire

    a.set_big_endian(True)
    b.set_big_endian(True)
    a.put_string("abc")
    a.put_utf8_string("\u00e9")
    assert _receive(b, 13, pump, timeout) == b"\x00\x00\x00\x03abc\x00\x00\x00\x02\xc3\xa9"
    a.put_string("abc")
    a.put_utf8_string("\u00e9\u2729")
    pump_until(pump, lambda: b.get_available_bytes() >= 16, timeout, "16 bytes")
    assert b.get_string() == "abc"
    assert b.get_utf8_string() == "\u00e9\u2729"
    a.set_big_endian(False)
    b.set_big_endian(False)

    a.put_data(b"\x02\x00\x00\x00\xe9\xff")  # get_string decodes Latin-1
    a.put_data(b"abc\x00def")  # explicit length; stops at NUL but consumes all 7
    a.put_data(b"\xe2\x9c\xa9xyz")
    pump_until(pump, lambda: b.get_available_bytes() >= 19, timeout, "19 bytes")
    assert b.get_string() == "\u00e9\u00ff"
    assert b.get_string(7) == "abc"
    assert b.get_utf8_string(4) == "\u2729x"
    assert b.get_string(0) == ""
    assert b.get_utf8_string(2) == "yz"
    assert b.get_available_bytes() == 0


def check_var(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """put_var = put_32(len) (follows big_endian, Q8) + little-endian Variant; get_var reads it."""
    a, b, pump = make_pair()
    a.put_var(42)
    assert _receive(b, 12, pump, timeout) == bytes.fromhex("08000000020000002a000000")
    a.set_big_endian(True)
    a.put_var(42)
    assert _receive(b, 12, pump, timeout) == bytes.fromhex("00000008020000002a000000")
    a.set_big_endian(False)
    a.put_var(["Hello, World!", 42])
    a.put_var("x")
    a.put_var(None)
    a.put_data(bytes.fromhex("04000000ff000000"))  # malformed payload -> None, consumed
    a.put_var(-1.5)
    pump_until(pump, lambda: b.get_available_bytes() >= 44 + 16 + 8 + 8 + 12, timeout, "vars")
    assert b.get_var() == ["Hello, World!", 42]
    assert b.get_var() == "x"
    assert b.get_var() is None
    assert b.get_var() is None
    assert b.get_var() == -1.5
    assert b.get_available_bytes() == 0


def check_data_arguments(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """Empty puts, zero/negative sizes, bytes-like inputs and TypeErrors."""
    a, b, pump = make_pair()
    assert a.put_data(b"") == Error.OK
    assert a.put_partial_data(b"") == (Error.OK, 0)
    assert a.put_data(bytearray(b"ab")) == Error.OK
    assert a.put_data(memoryview(b"cd")) == Error.OK
    err, sent = a.put_partial_data(bytearray(b"e"))
    assert (err, sent) == (Error.OK, 1)
    assert b.get_data(0) == (Error.OK, b"")
    assert b.get_partial_data(0) == (Error.OK, b"")
    assert b.get_data(-1) == (Error.ERR_OUT_OF_MEMORY, b"")
    assert b.get_partial_data(-1) == (Error.ERR_OUT_OF_MEMORY, b"")
    data = _receive(b, 5, pump, timeout)
    assert data == b"abcde"
    assert type(data) is bytes
    for bad in ("text", None, 5, [1, 2]):
        with pytest.raises(TypeError):
            a.put_data(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            a.put_partial_data(bad)  # type: ignore[arg-type]
    for bad_size in ("1", 1.5, None):
        with pytest.raises(TypeError):
            b.get_data(bad_size)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            b.get_partial_data(bad_size)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.put_u8("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.put_32(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.put_float("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.put_double(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.put_string(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        a.put_utf8_string(1)  # type: ignore[arg-type]
    for _ in range(3):
        pump()
    assert b.get_available_bytes() == 0, "a rejected call must not send anything"


def check_partial_reads(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """get_partial_data never returns more than asked, [OK, b""] when idle, order kept."""
    a, b, pump = make_pair()
    pump()
    assert b.get_partial_data(10) == (Error.OK, b"")
    payload = bytes(range(256)) * 4
    assert a.put_data(payload) == Error.OK
    out = bytearray()

    def more() -> bool:
        err, chunk = b.get_partial_data(100)
        assert err == Error.OK
        assert len(chunk) <= 100
        out.extend(chunk)
        return len(out) >= len(payload)

    pump_until(pump, more, timeout, "1024 bytes in <= 100-byte reads")
    assert bytes(out) == payload
    pump()
    assert b.get_partial_data(10) == (Error.OK, b"")


def check_available_bytes(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """get_available_bytes counts unread bytes and drops as they are read."""
    a, b, pump = make_pair()
    pump()
    assert b.get_available_bytes() == 0
    a.put_data(b"0123456789")
    pump_until(pump, lambda: b.get_available_bytes() == 10, timeout, "10 available bytes")
    assert b.get_data(4) == (Error.OK, b"0123")
    assert b.get_available_bytes() == 6
    assert b.get_partial_data(100) == (Error.OK, b"456789")
    assert b.get_available_bytes() == 0


def check_large_partial_transfer(
    make_pair: MakeStreamPair, timeout: float = 10.0, size: int = 1 << 20
) -> None:
    """1 MiB through put_partial_data/get_partial_data, interleaved, arrives intact."""
    a, b, pump = make_pair()
    payload = random.Random(1234).randbytes(size)
    sent = 0
    received = bytearray()

    def step() -> bool:
        nonlocal sent
        if sent < size:
            err, n = a.put_partial_data(memoryview(payload)[sent : sent + 65536])
            assert err == Error.OK, f"put_partial_data -> {err!r}"
            assert 0 <= n <= min(65536, size - sent)
            sent += n
        err, chunk = b.get_partial_data(32768)
        assert err == Error.OK, f"get_partial_data -> {err!r}"
        received.extend(chunk)
        return len(received) >= size

    pump_until(pump, step, timeout, f"{size} bytes through partial calls")
    assert sent == size
    assert received == payload


def check_blocking_transfer(
    make_pair: MakeStreamPair, timeout: float = 10.0, size: int = 48 * 1024
) -> None:
    """put_data sends everything; get_data of the whole length returns it all."""
    a, b, pump = make_pair()
    payload = random.Random(99).randbytes(size)
    assert a.put_data(payload) == Error.OK
    assert _receive(b, size, pump, timeout) == payload


def check_bidirectional(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """Both ends write and read at once without mixing the directions."""
    a, b, pump = make_pair()
    a.put_u32(0xA0A0A0A0)
    b.put_u32(0xB0B0B0B0)
    a.put_utf8_string("from a")
    b.put_utf8_string("from b")
    pump_until(
        pump,
        lambda: a.get_available_bytes() >= 14 and b.get_available_bytes() >= 14,
        timeout,
        "14 bytes each way",
    )
    assert b.get_u32() == 0xA0A0A0A0
    assert a.get_u32() == 0xB0B0B0B0
    assert b.get_utf8_string() == "from a"
    assert a.get_utf8_string() == "from b"


def check_big_endian_property(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """big_endian defaults to false; property and set/is methods are the same thing."""
    a, _, _ = make_pair()
    assert a.is_big_endian_enabled() is False
    assert a.big_endian is False
    a.big_endian = True
    assert a.is_big_endian_enabled() is True
    a.set_big_endian(False)
    assert a.big_endian is False


STREAM_PEER_CHECKS: list[Callable[..., None]] = [
    check_fixed_width,
    check_float_specials,
    check_strings,
    check_var,
    check_data_arguments,
    check_partial_reads,
    check_available_bytes,
    check_large_partial_transfer,
    check_blocking_transfer,
    check_bidirectional,
    check_big_endian_property,
]


def check_stream_peer(make_pair: MakeStreamPair, timeout: float = 10.0) -> None:
    """Run every StreamPeer check (the Variant one only once the codec exists)."""
    for check in STREAM_PEER_CHECKS:
        if check is check_var:
            try:
                check(make_pair, timeout)
            except pytest.skip.Exception:
                continue
        else:
            check(make_pair, timeout)
