"""netpeer._buffers: ReceiveBuffer (consume / transactions / limits) and PacketQueue."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netpeer._buffers import BufferFullError, PacketQueue, ReceiveBuffer

# -- ReceiveBuffer ----------------------------------------------------------------------------


def test_append_consume_peek() -> None:
    buf = ReceiveBuffer(b"\x81\x05hello")
    assert len(buf) == 7
    assert buf.peek(2) == b"\x81\x05"
    assert buf.peek(3, offset=2) == b"hel"
    assert buf.peek(100, offset=5) == b"lo"
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


def test_consume_until_delimiter() -> None:
    buf = ReceiveBuffer(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY")
    assert buf.consume_until(b"\r\n\r\n") == b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    assert bytes(buf) == b"BODY"
    assert buf.consume_until(b"\r\n") is None
    assert bytes(buf) == b"BODY"


def test_consume_until_respects_max_len() -> None:
    buf = ReceiveBuffer(b"0123456789\r\n")
    assert buf.consume_until(b"\r\n", max_len=8) is None
    assert buf.consume_until(b"\r\n", max_len=12) == b"0123456789\r\n"


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


def test_find_is_relative_to_the_front() -> None:
    buf = ReceiveBuffer(b"xxabcab")
    buf.consume(2)
    assert buf.find(b"ab") == 0
    assert buf.find(b"ab", 1) == 3
    assert buf.find(b"zz") == -1
    assert buf.find(b"cab", 0, 4) == -1
    assert buf.find(b"cab", 0, 5) == 2


def test_transaction_rollback_and_commit() -> None:
    buf = ReceiveBuffer(b"\x82\x7e\x01")  # a frame header announcing a 16-bit length
    buf.begin()
    assert buf.in_transaction
    assert buf.consume_exactly(2) == b"\x82\x7e"
    assert buf.consume_exactly(2) is None  # extended length incomplete
    buf.rollback()
    assert not buf.in_transaction
    assert bytes(buf) == b"\x82\x7e\x01"
    buf.append(b"\x00" + b"p" * 256)
    buf.begin()
    header = buf.consume_exactly(2)
    (length,) = struct.unpack("!H", buf.consume_exactly(2) or b"")
    payload = buf.consume_exactly(length)
    buf.commit()
    assert header == b"\x82\x7e"
    assert payload == b"p" * 256
    assert not buf
    buf.rollback()  # no transaction: nothing happens
    assert not buf


def test_rollback_survives_compaction() -> None:
    buf = ReceiveBuffer()
    buf.append(b"a" * 10_000)
    buf.consume(9_000)  # a large dead prefix, eligible for compaction
    buf.begin()
    assert buf.consume(900) == b"a" * 900
    buf.append(b"b" * 10)  # compaction must keep the bytes after the mark
    buf.rollback()
    assert bytes(buf) == b"a" * 1000 + b"b" * 10
    buf.append(b"c")
    assert bytes(buf) == b"a" * 1000 + b"b" * 10 + b"c"


def test_compaction_keeps_storage_bounded() -> None:
    buf = ReceiveBuffer()
    for _ in range(1000):
        buf.append(b"x" * 1000)
        assert buf.consume(1000) == b"x" * 1000
    assert len(buf._buf) < 10_000


def test_max_size_refuses_without_appending() -> None:
    buf = ReceiveBuffer(max_size=8)
    assert buf.space_left() == 8
    buf.append(b"12345")
    assert buf.space_left() == 3
    with pytest.raises(BufferFullError):
        buf.append(b"6789")
    assert bytes(buf) == b"12345"
    buf.append(b"678")
    assert buf.space_left() == 0
    buf.consume(4)
    buf.append(b"9abc")
    assert bytes(buf) == b"56789abc"
    assert ReceiveBuffer().space_left() is None
    with pytest.raises(BufferFullError):
        ReceiveBuffer(b"123", max_size=2)


def test_discard_and_clear() -> None:
    buf = ReceiveBuffer(b"abcdef")
    assert buf.discard(2) == 2
    assert buf.discard(-1) == 0
    assert buf.discard(100) == 4
    buf.append(b"zz")
    buf.begin()
    buf.clear()
    assert not buf.in_transaction
    assert len(buf) == 0
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


# -- PacketQueue ------------------------------------------------------------------------------


def test_queue_fifo_with_info() -> None:
    queue: PacketQueue[bool] = PacketQueue(max_bytes=100, max_count=10)
    assert queue.push(b"text", True)
    assert queue.push(bytearray(b"\x00\x01"), False)
    assert len(queue) == 2
    assert queue.total_bytes == 6
    assert queue.peek() == (b"text", True)
    assert queue.pop() == (b"text", True)
    payload, info = queue.pop()
    assert (payload, info) == (b"\x00\x01", False)
    assert type(payload) is bytes
    assert not queue
    assert queue.total_bytes == 0
    with pytest.raises(IndexError):
        queue.pop()
    with pytest.raises(IndexError):
        queue.peek()


def test_queue_byte_limit() -> None:
    queue: PacketQueue[None] = PacketQueue(max_bytes=10, max_count=100)
    assert queue.push(b"123456", None)
    assert queue.space_left_bytes() == 4
    assert not queue.fits(5)
    assert not queue.push(b"12345", None)
    assert len(queue) == 1
    assert queue.push(b"1234", None)
    assert queue.space_left_bytes() == 0
    assert queue.push(b"", None), "an empty packet costs no bytes"
    queue.pop()
    assert queue.push(b"abcdef", None)
    assert not PacketQueue[None](max_bytes=3, max_count=5).push(b"toolong", None)


def test_queue_count_limit() -> None:
    queue: PacketQueue[int] = PacketQueue(max_bytes=1000, max_count=2)
    assert queue.push(b"a", 1)
    assert queue.push(b"", 2)
    assert queue.space_left_count() == 0
    assert not queue.push(b"b", 3)
    assert [queue.pop()[1], queue.pop()[1]] == [1, 2]
    assert queue.push(b"b", 3)
    queue.clear()
    assert len(queue) == 0
    assert queue.total_bytes == 0


def test_queue_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        PacketQueue[None](max_bytes=-1, max_count=1)
    queue: PacketQueue[None] = PacketQueue(max_bytes=10, max_count=1)
    with pytest.raises(TypeError):
        queue.push("text", None)  # type: ignore[arg-type]
