"""netpeer._buffers: ReceiveBuffer (append, in-place unpack, consume, compaction)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netpeer._buffers import ReceiveBuffer

# -- ReceiveBuffer ----------------------------------------------------------------------------


def test_append_consume() -> None:
    buf = ReceiveBuffer(b"\x81\x05hello")
    assert len(buf) == 7
    assert buf.consume(2) == b"\x81\x05"
    assert bytes(buf) == b"hello"
    assert buf.consume(100) == b"hello"
    assert not buf
    assert buf.consume(1) == b""


def test_append_accepts_bytes_like_only() -> None:
    buf = ReceiveBuffer()
    buf.append(bytearray(b"ab"))
    buf.append(memoryview(b"cd"))
    assert bytes(buf) == b"abcd"
    with pytest.raises(TypeError):
        buf.append("ef")  # type: ignore[arg-type]


def test_consume_exactly_is_all_or_nothing() -> None:
    buf = ReceiveBuffer(b"\x00\x00\x00\x05abc")
    assert buf.consume_exactly(4) == b"\x00\x00\x00\x05"
    assert buf.consume_exactly(5) is None
    assert bytes(buf) == b"abc"
    buf.append(b"de")
    assert buf.consume_exactly(5) == b"abcde"
    assert buf.consume_exactly(0) == b""
    with pytest.raises(ValueError):
        buf.consume_exactly(-1)
    with pytest.raises(ValueError):
        buf.consume(-1)


def test_unpack_from_reads_in_place() -> None:
    buf = ReceiveBuffer(b"zz\x01\x00\x00\x00\x02\x00")
    buf.consume(2)
    u32 = struct.Struct("<I")
    assert buf.unpack_from(u32) == (1,)
    assert buf.unpack_from(struct.Struct("<H"), 4) == (2,)
    with pytest.raises(struct.error):
        buf.unpack_from(u32, 3)
    with pytest.raises(struct.error):
        buf.unpack_from(u32, -1)


def test_compaction_keeps_storage_bounded() -> None:
    buf = ReceiveBuffer()
    for _ in range(1000):
        buf.append(b"x" * 1000)
        assert buf.consume(1000) == b"x" * 1000
    assert len(buf._buf) < 10_000


def test_discard_and_clear() -> None:
    buf = ReceiveBuffer(b"abcdef")
    assert buf.discard(2) == 2
    assert buf.discard(-1) == 0
    assert buf.discard(100) == 4
    buf.append(b"zz")
    buf.clear()
    assert len(buf) == 0 and not buf
    assert "ReceiveBuffer(b''" in repr(buf)


@given(st.lists(st.binary(max_size=5000), max_size=20), st.lists(st.integers(0, 6000)))
def test_fifo_model(chunks: list[bytes], reads: list[int]) -> None:
    buf = ReceiveBuffer()
    model = bytearray()
    out = bytearray()
    for i, chunk in enumerate(chunks):
        buf.append(chunk)
        model += chunk
        n = reads[i] if i < len(reads) else 0
        out += buf.consume(n)
        assert len(buf) == len(model) - len(out)
    out += buf.consume(len(buf))
    assert out == model
