"""PayloadPool: exact lengths, reuse within a size class, and the kept-bytes limit."""

from __future__ import annotations

import pytest

from netpeer._ws.connection import WebSocketConnection
from netpeer._ws.events import Message
from netpeer._ws.frames import serialize_frame
from netpeer._ws.payload_pool import POOL_MIN, PayloadPool


def test_take_gives_the_exact_length() -> None:
    pool = PayloadPool(1 << 20)
    for size in (1, POOL_MIN, 65535, 65536, 65537, 300_000):
        assert len(pool.take(size)) == size


def test_a_returned_buffer_is_reused_for_any_size_of_its_class() -> None:
    pool = PayloadPool(1 << 20)
    first = pool.take(40_000)  # class (32 KiB, 64 KiB]
    pool.give(first)
    assert pool.kept_bytes() == 65536
    again = pool.take(65536)
    assert again is first and len(again) == 65536
    pool.give(again)
    smaller = pool.take(32769)
    assert smaller is first and len(smaller) == 32769
    assert pool.kept_bytes() == 0


def test_growing_within_a_class_takes_several_steps() -> None:
    pool = PayloadPool(1 << 21)
    buf = pool.take(600_000)  # class (512 KiB, 1 MiB]
    pool.give(buf)
    grown = pool.take(1 << 20)
    assert grown is buf and len(grown) == 1 << 20


def test_other_classes_are_not_mixed() -> None:
    pool = PayloadPool(1 << 20)
    small = pool.take(5000)
    pool.give(small)
    assert pool.take(65536) is not small
    assert pool.take(5000) is small


def test_keeps_at_most_limit_bytes() -> None:
    pool = PayloadPool(3 * 65536)
    bufs = [pool.take(65536) for _ in range(5)]
    for buf in bufs:
        pool.give(buf)
    assert pool.kept_bytes() == 3 * 65536
    reused = [pool.take(65536) for _ in range(5)]
    assert sum(any(r is b for b in bufs) for r in reused) == 3


def test_small_buffers_are_not_kept() -> None:
    pool = PayloadPool(1 << 20)
    pool.give(bytearray(POOL_MIN - 1))
    pool.give(bytearray())
    assert pool.kept_bytes() == 0


@pytest.mark.parametrize("client", [False, True])
def test_parser_fills_pooled_buffers_completely(client: bool) -> None:
    """A reused buffer holds only the new message: nothing of an earlier, longer one."""
    pool = PayloadPool(1 << 20)
    conn = WebSocketConnection(client, start_open=True, max_message_size=None, payload_pool=pool)
    key = None if client else b"\x0f\x1e\x2d\x3c"
    big = bytes(range(256)) * 256 + b"!"  # 65537 bytes: class (64 KiB, 128 KiB]
    small = b"s" * 70_000  # same class, shorter
    conn.receive_data(serialize_frame(2, big, mask_key=key))
    [first] = conn.events_received()
    assert isinstance(first, Message) and type(first.data) is bytearray and first.data == big
    pool.give(first.data)
    conn.receive_data(serialize_frame(1, small, mask_key=key))
    [second] = conn.events_received()
    assert second == Message(small, True) and second.data is first.data


def test_only_whole_large_messages_come_from_the_pool() -> None:
    pool = PayloadPool(1 << 20)
    conn = WebSocketConnection(True, start_open=True, max_message_size=None, payload_pool=pool)
    conn.receive_data(serialize_frame(2, b"a" * (POOL_MIN - 1)))
    conn.receive_data(serialize_frame(2, b"b" * POOL_MIN, fin=False))
    conn.receive_data(serialize_frame(0, b"c" * POOL_MIN))
    conn.receive_data(serialize_frame(9, b"p" * 125))
    kinds = [type(getattr(e, "data", getattr(e, "payload", None))) for e in conn.events_received()]
    assert kinds == [bytes, bytes, bytes]
