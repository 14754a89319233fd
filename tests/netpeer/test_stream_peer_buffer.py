"""StreamPeerBuffer quirks beyond the vectors (spec §5.2, Q10, Q11) and Hypothesis symmetry."""

from __future__ import annotations

import logging
import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.core.error import Error
from engine.core.properties import godot_properties
from netpeer.stream_peer_buffer import StreamPeerBuffer


def _errors(caplog: pytest.LogCaptureFixture) -> int:
    return len([r for r in caplog.records if r.name == "godot" and r.levelno >= logging.ERROR])


def test_resize_shrink_leaves_position_beyond_the_end() -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"abcdef")
    spb.resize(2)
    assert spb.get_position() == 6
    assert spb.get_available_bytes() == -4
    assert spb.get_partial_data(3) == (Error.OK, b"")
    assert spb.get_data(2) == (Error.ERR_INVALID_PARAMETER, b"\x00\x00")
    assert spb.get_position() == 6


def test_put_after_shrink_fills_the_gap_with_zeros() -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"abcdef")
    spb.resize(2)
    spb.put_u8(0x7A)
    assert spb.get_data_array() == b"ab\x00\x00\x00\x00z"
    assert spb.get_position() == 7


def test_resize_grows_with_zeros_and_rejects_negative(caplog: pytest.LogCaptureFixture) -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"ab")
    spb.resize(5)
    assert spb.get_data_array() == b"ab\x00\x00\x00"
    assert spb.get_position() == 2
    with caplog.at_level(logging.ERROR, logger="godot"):
        spb.resize(-1)
    assert _errors(caplog) == 1
    assert spb.get_size() == 5


def test_overwrite_in_the_middle() -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"abcdef")
    spb.seek(2)
    spb.put_data(b"XY")
    assert spb.get_position() == 4
    assert spb.get_data_array() == b"abXYef"
    spb.seek(5)
    spb.put_data(b"123")
    assert spb.get_data_array() == b"abXYe123"


def test_seek_rejects_out_of_range(caplog: pytest.LogCaptureFixture) -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"abc")
    with caplog.at_level(logging.ERROR, logger="godot"):
        spb.seek(-1)
        spb.seek(4)
    assert _errors(caplog) == 2
    assert spb.get_position() == 3
    spb.seek(3)
    with pytest.raises(TypeError):
        spb.seek(1.0)  # type: ignore[arg-type]


def test_duplicate_copies_only_bytes() -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(True)
    spb.put_u16(1)
    copy = spb.duplicate()
    assert type(copy) is StreamPeerBuffer
    assert copy.get_data_array() == b"\x00\x01"
    assert copy.get_position() == 0
    assert copy.is_big_endian_enabled() is False
    copy.put_u8(9)
    assert spb.get_data_array() == b"\x00\x01", "the copy must not share storage"


def test_data_array_property_and_bytes_like() -> None:
    spb = StreamPeerBuffer()
    assert spb.data_array == b""
    spb.data_array = bytearray(b"\x01\x02")
    assert spb.get_position() == 0
    assert spb.data_array == b"\x01\x02"
    assert type(spb.data_array) is bytes
    source = bytearray(b"xyz")
    spb.set_data_array(memoryview(source))
    source[0] = 0
    assert spb.get_data_array() == b"xyz", "set_data_array copies"
    with pytest.raises(TypeError):
        spb.set_data_array("xyz")  # type: ignore[arg-type]
    prop = godot_properties(StreamPeerBuffer)["data_array"]
    assert prop.default == b""


def test_get_data_array_is_a_snapshot() -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"ab")
    snap = spb.get_data_array()
    spb.put_data(b"cd")
    assert snap == b"ab"


def test_put_partial_data_reports_everything_sent() -> None:
    spb = StreamPeerBuffer()
    assert spb.put_partial_data(b"x" * 100000) == (Error.OK, 100000)
    assert spb.get_size() == 100000


_INT_TYPES = [
    ("8", -(2**7), 2**7 - 1),
    ("u8", 0, 2**8 - 1),
    ("16", -(2**15), 2**15 - 1),
    ("u16", 0, 2**16 - 1),
    ("32", -(2**31), 2**31 - 1),
    ("u32", 0, 2**32 - 1),
    ("64", -(2**63), 2**63 - 1),
]


@given(
    st.sampled_from(_INT_TYPES).flatmap(
        lambda t: st.tuples(st.just(t[0]), st.integers(t[1], t[2]))
    ),
    st.booleans(),
)
def test_integer_put_get_symmetry(case: tuple[str, int], big: bool) -> None:
    suffix, value = case
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    getattr(spb, "put_" + suffix)(value)
    spb.seek(0)
    assert getattr(spb, "get_" + suffix)() == value
    assert spb.get_available_bytes() == 0


@given(st.integers(0, 2**64 - 1), st.booleans())
def test_u64_symmetry_as_signed(value: int, big: bool) -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_u64(value)
    spb.seek(0)
    assert spb.get_u64() == (value - 2**64 if value >= 2**63 else value)


@given(st.integers(-(2**80), 2**80), st.booleans())
def test_integer_puts_truncate(value: int, big: bool) -> None:
    order = ">" if big else "<"
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_8(value)
    spb.put_16(value)
    spb.put_32(value)
    spb.put_64(value)
    expected = (
        struct.pack("B", value & 0xFF)
        + struct.pack(order + "H", value & 0xFFFF)
        + struct.pack(order + "I", value & 0xFFFFFFFF)
        + struct.pack(order + "Q", value & 0xFFFFFFFFFFFFFFFF)
    )
    assert spb.get_data_array() == expected


@given(st.floats(allow_nan=True, allow_infinity=True), st.booleans())
def test_double_symmetry(value: float, big: bool) -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_double(value)
    spb.seek(0)
    got = spb.get_double()
    assert struct.pack("<d", got) == struct.pack("<d", value)


@given(st.floats(width=32, allow_nan=False), st.booleans())
def test_float_symmetry(value: float, big: bool) -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_float(value)
    spb.seek(0)
    got = spb.get_float()
    assert got == value
    assert math.copysign(1.0, got) == math.copysign(1.0, value)


@given(st.text(), st.booleans())
def test_utf8_string_symmetry(value: str, big: bool) -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_utf8_string(value)
    spb.seek(0)
    expected = value.removeprefix("\ufeff").split("\x00")[0]  # one BOM skipped; stops at NUL
    assert spb.get_utf8_string() == expected


@given(st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=0x7F)), st.booleans())
def test_ascii_string_symmetry(value: str, big: bool) -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_string(value)
    spb.seek(0)
    assert spb.get_string() == value


@given(st.binary(max_size=64), st.integers(-3, 80))
def test_partial_and_full_reads_agree(data: bytes, n: int) -> None:
    a = StreamPeerBuffer()
    a.set_data_array(data)
    b = a.duplicate()
    err_p, got_p = a.get_partial_data(n)
    err_f, got_f = b.get_data(n)
    if n < 0:
        assert (err_p, got_p, err_f, got_f) == (
            Error.ERR_OUT_OF_MEMORY,
            b"",
            Error.ERR_OUT_OF_MEMORY,
            b"",
        )
        return
    assert err_p == Error.OK
    assert got_p == data[:n]
    assert len(got_f) == n
    assert got_f[: len(got_p)] == got_p
    assert err_f == (Error.OK if len(data) >= n else Error.ERR_INVALID_PARAMETER)
    assert a.get_position() == b.get_position() == min(n, len(data))


_TEXT = st.characters(blacklist_characters="\x00\ufeff", blacklist_categories=["Cs"])
_VARIANTS = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(alphabet=_TEXT),
    lambda children: st.lists(children, max_size=4),
    max_leaves=8,
)


@given(_VARIANTS, st.booleans())
def test_var_symmetry(value: object, big: bool) -> None:
    spb = StreamPeerBuffer()
    spb.set_big_endian(big)
    spb.put_var(value)
    size = spb.get_position()
    spb.seek(0)
    prefix = spb.get_u32()
    assert prefix == size - 4, "the length prefix follows big_endian (Q8)"
    spb.seek(0)
    got = spb.get_var()
    assert got == value
    assert _shape(got) == _shape(value)
    assert spb.get_available_bytes() == 0


def _shape(value: object) -> object:
    """The type tree of a value (so True vs 1 and 1.0 vs 1 count as different)."""
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__
