"""The connection state machine: pair tests, close bookkeeping, failures, fuzzing."""

from __future__ import annotations

import os
import zlib
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from netpeer._ws.connection import (
    FAIL_REASONS,
    MAX_FRAGMENTS,
    PONG_QUEUE_LIMIT,
    State,
    WebSocketConnection,
)
from netpeer._ws.deflate import DeflateConfig, DeflateParams
from netpeer._ws.events import (
    CloseReceived,
    ConnectionFailed,
    ConnectionLost,
    HandshakeCompleted,
    HandshakeFailed,
    Message,
    Ping,
    Pong,
    RequestReceived,
)
from netpeer._ws.frames import serialize_frame
from netpeer._ws.payload_pool import PayloadPool

ZERO_MASK = b"\x00\x00\x00\x00"


def zeros(n: int) -> bytes:
    return bytes(n)


def masked(opcode: int, payload: bytes, fin: bool = True, rsv1: bool = False) -> bytes:
    return bytes(serialize_frame(opcode, payload, fin=fin, rsv1=rsv1, mask_key=ZERO_MASK))


def unmasked(opcode: int, payload: bytes, fin: bool = True, rsv1: bool = False) -> bytes:
    return bytes(serialize_frame(opcode, payload, fin=fin, rsv1=rsv1))


def server(**kw) -> WebSocketConnection:
    return WebSocketConnection(False, start_open=True, **kw)


def client(**kw) -> WebSocketConnection:
    return WebSocketConnection(True, start_open=True, token_bytes=zeros, **kw)


class Pair:
    """A client and a server connection wired in memory (h11 ConnectionPair style)."""

    def __init__(self, client_deflate=None, server_deflate=None, protocols=(), supported=()):
        self.c = WebSocketConnection(True, permessage_deflate=client_deflate)
        self.s = WebSocketConnection(False, permessage_deflate=server_deflate)
        self.c.initiate_handshake("localhost", "/", protocols)
        self.pump()
        [req] = self.s.events_received()
        assert isinstance(req, RequestReceived)
        assert self.s.accept(supported) == ""
        self.pump()
        [c_done] = self.c.events_received()
        [s_done] = self.s.events_received()
        assert isinstance(c_done, HandshakeCompleted) and isinstance(s_done, HandshakeCompleted)
        assert self.c.state is self.s.state is State.OPEN

    def pump(self) -> None:
        while True:
            a, b = self.c.data_to_send(), self.s.data_to_send()
            if not a and not b:
                return
            self.s.receive_data(a)
            self.c.receive_data(b)


# --- pair tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("deflate", [None, DeflateConfig()])
def test_pair_messages_ping_and_close_from_client(deflate):
    p = Pair(deflate, deflate)
    assert (p.c.deflate_params is None) == (deflate is None)
    big = os.urandom(1000) * 60
    assert p.c.send_message(b"abc")
    assert p.c.send_message("héllo".encode(), text=True)
    assert p.s.send_message(big)
    assert p.s.send_message(b"")
    assert p.c.send_ping(b"hb")
    p.pump()
    assert p.s.events_received() == [
        Message(b"abc", False),
        Message("héllo".encode(), True),
        Ping(b"hb"),
    ]
    assert p.c.events_received() == [Message(big, False), Message(b"", False), Pong(b"hb")]
    assert p.c.send_close(4000, "x")
    assert p.c.state is State.CLOSING and p.c.close_sent
    p.pump()
    assert p.s.events_received() == [CloseReceived(4000, "x")]
    assert p.c.events_received() == [CloseReceived(4000, "x")]
    assert p.c.state is p.s.state is State.CLOSED
    assert (p.c.close_code, p.c.close_reason) == (4000, "x")  # whatever the peer echoed
    assert (p.s.close_code, p.s.close_reason) == (4000, "x")


def test_pair_close_from_server_and_empty_close_code0():
    p = Pair()
    assert p.s.send_close(0)
    assert p.s.data_to_send() == b"\x88\x00"
    p.c.receive_data(b"\x88\x00")
    assert p.c.events_received() == [CloseReceived(0, "")]
    assert p.c.close_code == 0  # Q-WS-CODE0
    echo = p.c.data_to_send()
    assert echo == b"\x88\x80" + ZERO_MASK or (len(echo) == 6 and echo[:2] == b"\x88\x80")
    p.s.receive_data(echo)
    assert p.s.events_received() == [CloseReceived(0, "")]


def test_pair_subprotocol_selected():
    p = Pair(protocols=("x", "chat"), supported=("chat",))
    assert p.c.selected_protocol == p.s.selected_protocol == "chat"


def test_deflate_negotiation_mismatch_falls_back_to_plain():
    for cdef, sdef in ((DeflateConfig(), None), (None, DeflateConfig())):
        p = Pair(cdef, sdef)
        assert p.c.deflate_params is None and p.s.deflate_params is None
        assert p.c.extensions == p.s.extensions == ""
        p.c.send_message(b"plain")
        p.pump()
        assert p.s.events_received() == [Message(b"plain", False)]


def test_deflate_server_requires_smaller_client_window_than_offerable():
    # the client cannot be asked for a window when it did not offer client_max_window_bits;
    # ours always offers it, so the server's limit is applied.
    server_config = DeflateConfig(client_max_window_bits=10, server_no_context_takeover=True)
    p = Pair(DeflateConfig(), server_config)
    assert p.c.deflate_params == DeflateParams(True, False, 15, 10)
    assert p.s.deflate_params == p.c.deflate_params
    for _ in range(3):
        p.c.send_message(b"repeat " * 100)
        p.s.send_message(b"again " * 100, text=True)
    p.pump()
    assert p.s.events_received() == [Message(b"repeat " * 100, False)] * 3
    assert p.c.events_received() == [Message(b"again " * 100, True)] * 3


@pytest.mark.parametrize(
    "config",
    [
        DeflateConfig(client_no_context_takeover=True, server_no_context_takeover=True),
        DeflateConfig(server_max_window_bits=8, client_max_window_bits=8),
        DeflateConfig(server_max_window_bits=12),
    ],
)
def test_deflate_parameters_roundtrip(config):
    p = Pair(config, config)
    data = os.urandom(300) * 10
    for _ in range(3):
        p.c.send_message(data)
        p.s.send_message(data)
    p.pump()
    assert p.s.events_received() == [Message(data, False)] * 3
    assert p.c.events_received() == [Message(data, False)] * 3


def test_deflate_bad_server_response_fails_handshake():
    c = WebSocketConnection(True, permessage_deflate=DeflateConfig(), token_bytes=zeros)
    c.initiate_handshake("h")
    c.data_to_send()
    s = WebSocketConnection(False)
    from netpeer._ws.handshake import build_response

    key = "AAAAAAAAAAAAAAAAAAAAAA=="
    c.receive_data(build_response(key, extensions="permessage-deflate; server_max_window_bits=7"))
    [event] = c.events_received()
    assert isinstance(event, HandshakeFailed) and "deflate" in event.reason
    assert c.state is State.CLOSED
    del s


# --- close bookkeeping (Godot §13.7/13.8) ------------------------------------------------------


def test_initial_close_code_and_reason():
    c = WebSocketConnection(True)
    assert (c.close_code, c.close_reason, c.state) == (-1, "", State.CONNECTING)


def test_close_echo_same_code_and_reason_from_server():
    s = server()
    s.receive_data(masked(8, b"\x03\xe9bye"))
    assert s.events_received() == [CloseReceived(1001, "bye")]
    assert s.data_to_send() == b"\x88\x05\x03\xe9bye"
    assert s.state is State.CLOSED
    assert s.send_message(b"x") is False


@pytest.mark.parametrize(
    ("code", "reason", "wire"),
    [
        (1000, "", b"\x88\x02\x03\xe8"),
        (1000, "bye", b"\x88\x05\x03\xe8bye"),
        (4000, "", b"\x88\x02\x0f\xa0"),
        (0, "", b"\x88\x00"),
        (1005, "", b"\x88\x00"),  # 1005 is never put on the wire
        (1006, "", b"\x88\x02\x03\xee"),  # not validated, like Godot
    ],
)
def test_send_close_wire(code, reason, wire):
    s = server()
    assert s.send_close(code, reason)
    assert s.data_to_send() == wire
    assert s.state is State.CLOSING
    assert s.close_code == -1  # our own code is not recorded


def test_send_close_reason_too_long_sends_nothing_but_closing():
    s = server()
    assert s.send_close(1000, "x" * 124) is False
    assert s.data_to_send() == b""
    assert s.state is State.CLOSING
    assert s.send_close(1000, "x" * 123) is False  # already CLOSING: no-op


def test_send_close_states():
    c = WebSocketConnection(True)
    assert c.send_close() is False and c.state is State.CLOSED
    s = server()
    s.send_message(b"queued")
    s.send_close(-1)
    assert s.state is State.CLOSED and s.data_to_send() == b""
    assert s.close_code == -1


def test_closing_ignores_sends_but_delivers_late_data_and_completes():
    s = server()
    s.send_close(1000)
    s.data_to_send()
    assert s.send_message(b"x") is False and s.send_ping() is False
    s.receive_data(masked(2, b"late") + masked(9, b"p") + masked(8, b"\x03\xe8"))
    assert s.events_received() == [Message(b"late", False), Ping(b"p"), CloseReceived(1000, "")]
    assert s.data_to_send() == b""  # no pong and no second close after our close
    assert s.state is State.CLOSED


def test_eof_is_connection_lost_and_keeps_code():
    s = server()
    s.receive_eof()
    assert s.events_received() == [ConnectionLost()]
    assert (s.state, s.close_code) == (State.CLOSED, -1)
    s.receive_eof()
    s.receive_data(b"\x82\x00")
    assert s.events_received() == []


# --- failures → close code + event ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "wire"),
    [
        (unmasked(2, b"x"), 1002, b"\x88\x02\x03\xea"),
        (masked(3, b""), 1002, b"\x88\x02\x03\xea"),
        (masked(8, b"\x03"), 1002, b"\x88\x02\x03\xea"),  # 1-byte close payload
        (masked(8, b"\x03\xed"), 1002, b"\x88\x02\x03\xea"),  # 1005 received
        (masked(8, b"\x00\x00"), 1002, b"\x88\x02\x03\xea"),
        (masked(8, b"\x03\xe8\xff"), 1007, b"\x88\x02\x03\xef"),
        (masked(1, b"\xff"), 1007, b"\x88\x02\x03\xef"),
        (masked(1, b"\xed\xa0\x80"), 1007, b"\x88\x02\x03\xef"),  # surrogate
        (masked(1, b"\xc0\xaf"), 1007, b"\x88\x02\x03\xef"),  # overlong
        (masked(2, b"x" * 65536), 1009, b"\x88\x02\x03\xf1"),
        (masked(2, b"x", rsv1=True), 1002, b"\x88\x02\x03\xea"),
    ],
)
def test_server_failures(data, code, wire):
    s = server()
    s.receive_data(data)
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed)
    assert event.code == code and event.detail
    assert event.reason == FAIL_REASONS[code]
    assert s.data_to_send() == wire
    assert (s.state, s.close_code, s.close_reason) == (State.CLOSED, code, event.reason)
    s.receive_data(masked(2, b"after"))
    assert s.events_received() == []


def test_client_failure_frame_is_masked():
    c = client()
    c.receive_data(masked(2, b"x"))
    [event] = c.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1002
    assert c.data_to_send() == b"\x88\x82" + ZERO_MASK + b"\x03\xea"


def test_messages_before_the_error_are_delivered():
    s = server()
    s.receive_data(masked(2, b"ok") + masked(9, b"") + unmasked(2, b"bad"))
    events = s.events_received()
    assert events[:2] == [Message(b"ok", False), Ping(b"")]
    assert isinstance(events[2], ConnectionFailed)
    assert s.data_to_send() == b"\x8a\x00" + b"\x88\x02\x03\xea"


def test_error_while_closing_sends_no_second_close():
    s = server()
    s.send_close(1000)
    s.data_to_send()
    s.receive_data(unmasked(2, b"x"))
    assert isinstance(s.events_received()[0], ConnectionFailed)
    assert s.data_to_send() == b""
    assert s.close_code == 1002


# --- fragmentation and UTF-8 -------------------------------------------------------------------


def test_utf8_split_across_fragments():
    text = "€uro ✓".encode()
    s = server()
    s.receive_data(masked(1, text[:1], fin=False) + masked(0, text[1:5], fin=False))
    s.receive_data(masked(9, b"") + masked(0, text[5:]))
    assert s.events_received() == [Ping(b""), Message(text, True)]


def test_invalid_utf8_fails_fast_in_first_fragment():
    s = server()
    s.receive_data(masked(1, b"ok\xff", fin=False))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1007


def test_truncated_utf8_at_message_end():
    s = server()
    s.receive_data(masked(1, b"\xe2\x82", fin=False) + masked(0, b""))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1007


def test_fragmented_message_limit_counts_all_fragments():
    s = server(max_message_size=10)
    s.receive_data(masked(2, b"x" * 6, fin=False) + masked(0, b"x" * 4, fin=False))
    assert s.events_received() == []
    s.receive_data(masked(0, b"x"))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1009


def test_empty_fragments_are_not_stored_and_message_arrives_whole():
    s = server()
    s.receive_data(masked(2, b"ab", fin=False) + masked(0, b"", fin=False) * 1000)
    assert s.events_received() == []
    assert len(s._frags) == 1
    s.receive_data(masked(0, b"c"))
    assert s.events_received() == [Message(b"abc", False)]


def test_message_of_only_empty_fragments_is_an_empty_message():
    s = server()
    s.receive_data(masked(1, b"", fin=False) + masked(0, b"", fin=False) + masked(0, b""))
    assert s.events_received() == [Message(b"", True)]


def test_too_many_fragments_fail_with_1009():
    s = server()
    s.receive_data(masked(2, b"", fin=False) + masked(0, b"", fin=False) * (MAX_FRAGMENTS - 1))
    assert s.events_received() == []
    s.receive_data(masked(0, b"", fin=False))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1009
    assert s.state is State.CLOSED


def test_ping_flood_queues_pongs_up_to_the_limit_then_only_the_latest():
    s = server()
    pings = 3 * PONG_QUEUE_LIMIT // 127
    s.receive_data(b"".join(masked(9, b"%03d" % (i % 1000) + b"p" * 122) for i in range(pings)))
    assert len([e for e in s.events_received() if isinstance(e, Ping)]) == pings
    queued = s.bytes_to_send
    assert PONG_QUEUE_LIMIT <= queued < PONG_QUEUE_LIMIT + 127
    wire = s.data_to_send()
    answered = len(wire) // 127
    assert wire == b"".join(unmasked(10, b"%03d" % i + b"p" * 122) for i in range(answered))
    # the latest ping is answered once the queue drained
    assert s.data_to_send() == unmasked(10, b"%03d" % ((pings - 1) % 1000) + b"p" * 122)
    assert s.data_to_send() == b""
    assert s.outbound_buffered_amount == 0


def test_every_ping_is_answered_below_the_limit():
    s = server()
    s.receive_data(b"".join(masked(9, b"%d" % i) for i in range(100)))
    assert s.data_to_send() == b"".join(unmasked(10, b"%d" % i) for i in range(100))


def test_pending_pong_follows_partial_flushes():
    c = client()
    big = unmasked(9, b"x" * 125)
    c.receive_data(big * (PONG_QUEUE_LIMIT // 131 + 1) + unmasked(9, b"last"))
    assert c.bytes_to_send >= PONG_QUEUE_LIMIT
    written: list[bytes] = []

    def write(view) -> int:
        written.append(bytes(view[:1000]))
        return min(1000, len(view))

    for _ in range(200):
        c.flush_to(write)
    assert c.bytes_to_send == 0
    assert b"".join(written).endswith(masked(10, b"last"))


# --- permessage-deflate limits ----------------------------------------------------------------


def deflate_raw(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    return out[:-4]


def test_decompression_bomb_is_1009_without_inflating_it_all():
    bomb = deflate_raw(bytes(50_000_000))  # 50 MB of zeros → ~50 KB
    assert len(bomb) < 65535
    s = server(deflate_params=DeflateParams())
    s.receive_data(masked(2, bomb, rsv1=True))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1009
    assert s.data_to_send() == b"\x88\x02\x03\xf1"


def test_fragmented_bomb_is_caught_per_fragment():
    data = bytes(200_000)
    comp = deflate_raw(data)
    s = server(deflate_params=DeflateParams(), max_message_size=100_000)
    s.receive_data(masked(2, comp[:10], fin=False, rsv1=True) + masked(0, comp[10:], fin=False))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1009


def test_compressed_exactly_at_limit_is_fine_and_text_is_checked():
    s = server(deflate_params=DeflateParams(), max_message_size=1000)
    s.receive_data(masked(1, deflate_raw(b"a" * 1000), rsv1=True))
    assert s.events_received() == [Message(b"a" * 1000, True)]
    s.receive_data(masked(1, deflate_raw(b"\xff"), rsv1=True))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1007


def test_corrupt_compressed_data_is_1007():
    s = server(deflate_params=DeflateParams())
    s.receive_data(masked(2, b"\xff\xff\xff\xff", rsv1=True))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1007


def test_rsv1_on_continuation_is_1002_with_deflate():
    s = server(deflate_params=DeflateParams())
    s.receive_data(masked(2, deflate_raw(b"ab"), fin=False, rsv1=True) + masked(0, b"", rsv1=True))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1002


# --- outbound accounting ----------------------------------------------------------------------


def test_outbound_accounting_and_partial_writes():
    s = server()
    s.send_message(b"a" * 100)
    s.send_message(b"b" * 200)
    s.send_ping(b"p")
    assert s.outbound_buffered_amount == 301
    assert s.outbound_queued_messages == 3
    assert s.bytes_to_send == 102 + 204 + 3
    sink = bytearray()

    budget = [50]

    def write_some(view):
        n = min(budget[0], len(view))
        sink.extend(view[:n])
        budget[0] = 0
        return n

    assert s.flush_to(write_some) == 50
    assert s.outbound_buffered_amount == 301  # a partially written message counts in full
    assert s.flush_to(lambda v: 0) == 0
    assert s.flush_to(lambda v: (sink.extend(v), len(v))[1]) == 309 - 50
    assert s.outbound_buffered_amount == 0 and s.outbound_queued_messages == 0
    assert bytes(sink) == b"\x82\x64" + b"a" * 100 + b"\x82\x7e\x00\xc8" + b"b" * 200 + b"\x89\x01p"
    assert s.bytes_to_send == 0


def test_flush_to_partial_then_data_to_send():
    s = server()
    s.send_message(b"x" * 70000)
    got = []
    s.flush_to(lambda v: (got.append(bytes(v[:1000])), 1000)[1] if not got else 0)
    rest = s.data_to_send()
    assert got[0] + rest == b"\x82\x7f" + (70000).to_bytes(8, "big") + b"x" * 70000
    assert s.outbound_buffered_amount == 0


def test_mask_keys_come_from_token_bytes_pool():
    calls = []

    def tokens(n):
        calls.append(n)
        return bytes(range(256)) * (n // 256) + bytes(n % 256)

    c = WebSocketConnection(True, start_open=True, token_bytes=tokens)
    for _ in range(300):
        c.send_message(b"")
    wire = c.data_to_send()
    assert wire[:6] == b"\x82\x80\x00\x01\x02\x03"
    assert wire[6:12] == b"\x82\x80\x04\x05\x06\x07"
    assert len(calls) == 2  # 256 keys per call


# --- split-feed invariance, fuzzing, bounded memory --------------------------------------------

STREAM = b"".join(
    [
        masked(1, "héllo".encode()),
        masked(2, b"x" * 300),
        masked(1, "€".encode()[:2], fin=False),
        masked(9, b"ping"),
        masked(0, "€".encode()[2:]),
        masked(2, b"y" * 70000, fin=False),
        masked(10, b""),
        masked(0, b"z"),
        masked(8, b"\x03\xe8done"),
    ]
)


def feed_split(data: bytes, cuts: list[int], **kw) -> tuple[list, bytes]:
    s = server(max_message_size=None, **kw)
    last = 0
    for cut in sorted(set(cuts)):
        s.receive_data(data[last:cut])
        last = cut
    s.receive_data(data[last:])
    return s.events_received(), s.data_to_send()


EXPECTED = feed_split(STREAM, [])


def test_expected_stream_events():
    events, out = EXPECTED
    assert events == [
        Message("héllo".encode(), True),
        Message(b"x" * 300, False),
        Ping(b"ping"),
        Message("€".encode(), True),
        Pong(b""),
        Message(b"y" * 70000 + b"z", False),
        CloseReceived(1000, "done"),
    ]
    assert out == b"\x8a\x04ping" + b"\x88\x06\x03\xe8done"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
@example(list(range(80)))
def test_split_feed_invariance(cuts):
    assert feed_split(STREAM, cuts) == EXPECTED


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
@example(list(range(0, len(STREAM), 4096)))
def test_split_feed_invariance_with_a_payload_pool(cuts):
    assert feed_split(STREAM, cuts, payload_pool=PayloadPool(1 << 20)) == EXPECTED


def test_unfinished_frame_buffer_is_reused_not_regrown():
    s = server(max_message_size=None)
    stream = b"".join(masked(2, bytes([i]) * 65536) for i in range(8))
    buffers = set()
    for i in range(0, len(stream), 100_000):  # every frame straddles two reads
        s.receive_data(stream[i : i + 100_000])
        buffers.add(id(s._rbuf))
    assert [e.data for e in s.events_received()] == [bytes([i]) * 65536 for i in range(8)]
    assert len(buffers) == 1 and s._rlen == 0 and len(s._rbuf) >= 65536


@pytest.mark.parametrize("is_client", [True, False])
def test_a_read_that_looks_like_a_small_frame_still_finishes_the_unfinished_one(is_client):
    """The rest of a frame may itself look like a whole small frame: the ping-pong fast path
    must not take it for one while a frame is unfinished."""
    tail = b"\x82\x02hi" if is_client else b"\x82\x82" + ZERO_MASK + b"hi"
    payload = b"p" * 20 + tail
    frame = unmasked(2, payload) if is_client else masked(2, payload)
    conn = client() if is_client else server()
    conn.receive_data(frame[: -len(tail)])
    conn.receive_data(frame[-len(tail) :])
    assert conn.events_received() == [Message(payload, False)]


def test_unfinished_frame_buffer_over_the_keep_size_is_released():
    s = server(max_message_size=None)
    frame = masked(2, b"L" * 300_000)
    s.receive_data(frame[:1000])
    s.receive_data(frame[1000:])
    assert s.events_received() == [Message(b"L" * 300_000, False)]
    assert s._rlen == 0 and len(s._rbuf) == 0


def test_byte_by_byte_feed():
    s = server(max_message_size=None)
    prefix = STREAM[:400]
    for i in range(len(prefix)):
        s.receive_data(prefix[i : i + 1])
    s.receive_data(STREAM[400:])
    assert (s.events_received(), s.data_to_send()) == EXPECTED


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.booleans(), st.booleans())
def test_arbitrary_bytes_never_raise(data, is_client, deflate):
    conn = WebSocketConnection(
        is_client,
        start_open=True,
        token_bytes=zeros,
        max_message_size=1000,
        deflate_params=DeflateParams() if deflate else None,
    )
    conn.receive_data(data)
    conn.receive_eof()
    events = conn.events_received()
    assert conn.state is State.CLOSED
    assert len(conn._rbuf) == 0
    for event in events[:-1]:
        assert not isinstance(event, (ConnectionFailed, ConnectionLost))
    if isinstance(events[-1], ConnectionFailed):
        assert events[-1].code in (1002, 1007, 1009)
        assert conn.close_code == events[-1].code


def _frame_soup() -> st.SearchStrategy[bytes]:
    """Valid and broken frames of every size class, glued together."""
    frame = st.builds(
        lambda opcode, payload, fin, masked, junk: (
            serialize_frame(
                opcode, payload, fin=fin, mask_key=b"\x01\x02\x03\x04" if masked else None
            )
            + junk
        ),
        st.sampled_from([0, 1, 2, 3, 8, 9, 10]),
        st.sampled_from(
            [b"", b"ok", "é€".encode(), b"\xff", b"z" * 200, b"w" * 5000, b"v" * 70000]
        ),
        st.booleans(),
        st.booleans(),
        st.sampled_from([b"", b"", b"", b"\x00", b"\x82\xff"]),
    )
    return st.lists(frame, max_size=5).map(b"".join)


@settings(max_examples=150, deadline=None)
@given(
    _frame_soup(), st.lists(st.integers(min_value=0, max_value=80_000), max_size=8), st.booleans()
)
def test_any_frames_split_anywhere_give_the_same_events(stream, cuts, is_client):
    """The unfinished-frame buffer and the payload pool change nothing a split can see."""

    def feed(pieces: list[bytes], pool: PayloadPool | None) -> tuple[list, bytes]:
        conn = WebSocketConnection(
            is_client, start_open=True, token_bytes=zeros, max_message_size=70000, payload_pool=pool
        )
        for piece in pieces:
            conn.receive_data(piece)
        return conn.events_received(), conn.data_to_send()

    bounds = [0, *sorted({c for c in cuts if c < len(stream)}), len(stream)]
    pieces = [stream[a:b] for a, b in pairwise(bounds)]
    assert feed(pieces, PayloadPool(1 << 20)) == feed([stream], None)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1500), st.booleans())
def test_arbitrary_handshake_bytes_never_raise(data, is_client):
    conn = WebSocketConnection(is_client, token_bytes=zeros)
    if is_client:
        conn.initiate_handshake("h")
    conn.receive_data(data)
    if not is_client and conn.request is not None:
        conn.accept()
    conn.receive_eof()
    conn.events_received()
    assert conn.state is State.CLOSED


def test_bounded_memory_on_huge_length_claims():
    s = server()  # 65535 limit
    s.receive_data(b"\x82\xff" + (1 << 50).to_bytes(8, "big") + ZERO_MASK)
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1009
    s2 = server()
    chunk = masked(2, b"q" * 65535)
    for i in range(0, len(chunk) - 1, 4096):  # arrives slowly: buffered at most one frame
        s2.receive_data(chunk[i : min(i + 4096, len(chunk) - 1)])
        assert s2._rlen == min(i + 4096, len(chunk) - 1)
        assert len(s2._rbuf) <= len(chunk)
    s2.receive_data(chunk[-1:])
    assert s2.events_received() == [Message(b"q" * 65535, False)]
    assert s2._rlen == 0 and len(s2._rbuf) <= len(chunk)


def test_fast_path_respects_limit_fragments_and_text():
    s = server(max_message_size=10)
    s.receive_data(masked(2, b"x" * 11))
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1009
    s = server()
    s.receive_data(masked(2, b"a", fin=False))
    s.receive_data(masked(2, b"b"))  # complete frame, but a message is in progress
    [event] = s.events_received()
    assert isinstance(event, ConnectionFailed) and event.code == 1002
    c = client()
    c.receive_data(unmasked(1, "é".encode()))
    c.receive_data(unmasked(1, b"\xff"))
    events = c.events_received()
    assert events[0] == Message("é".encode(), True)
    assert isinstance(events[1], ConnectionFailed) and events[1].code == 1007


def test_idle_open_connection_keeps_little_state():
    """Idle server connections stay small: slots, no outbound queue once drained, and the
    request slimmed to what get_request_method/path/headers need."""
    pair = Pair()
    s = pair.s
    assert not hasattr(s, "__dict__")
    assert s._out is None and s._marks is None
    assert s.request is not None
    assert s.request.path == "/" and s.request.method == "GET"
    assert s.request.headers["host"] == "localhost"
    assert s.request.raw_headers == ()
    s.send_message(b"x")
    assert s._out is not None
    s.data_to_send()
    assert s._out is None and s._marks is None and s.outbound_queued_messages == 0


@pytest.mark.parametrize("limit", [7, 100, 70000, 10**9])
def test_flush_vectored_hands_over_every_byte_in_order(limit):
    c = client()
    sizes = [0, 5, 200, 70000, 3, 20000]
    for i, n in enumerate(sizes):
        c.send_message(bytes([i]) * n)
    expected = b"".join(masked(2, bytes([i]) * n) for i, n in enumerate(sizes))
    assert c.bytes_to_send == len(expected)
    wire = bytearray()
    calls = 0

    def writev(buffers) -> int:
        nonlocal calls
        calls += 1
        data = b"".join(bytes(b) for b in buffers)[:limit]
        wire.extend(data)
        return len(data)

    while c.bytes_to_send and calls < 200000:
        c.flush_vectored(writev)
    assert bytes(wire) == expected
    assert c.outbound_buffered_amount == 0 and c.outbound_queued_messages == 0
    assert c._out is None
    if limit == 10**9:
        assert calls == 1


def test_flush_vectored_stops_when_the_writer_takes_nothing():
    s = server()
    s.send_message(b"a")
    s.send_message(b"b")
    assert s.flush_vectored(lambda buffers: 0) == 0
    assert s.outbound_queued_messages == 2
    assert s.data_to_send() == unmasked(2, b"a") + unmasked(2, b"b")
