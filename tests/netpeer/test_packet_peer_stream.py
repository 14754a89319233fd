"""PacketPeerStream: sizes (Q14), framing, errors, hostile input and split-feed invariance."""

from __future__ import annotations

import itertools
import logging
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.error import Error
from engine.core.properties import godot_properties
from netpeer.packet_peer_stream import PacketPeerStream
from netpeer.stream_peer import StreamPeer
from netpeer.stream_peer_buffer import StreamPeerBuffer


class FeedPeer(StreamPeer):
    """A StreamPeer whose incoming bytes the test feeds; records what is written."""

    def __init__(self) -> None:
        super().__init__()
        self.incoming = bytearray()
        self.written = bytearray()
        self.read_error = Error.OK
        self.largest_read_request = 0

    def feed(self, data: bytes) -> None:
        self.incoming += data

    def _put_data(self, data: bytes) -> Error:
        self.written += data
        return Error.OK

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        self.written += data
        return Error.OK, len(data)

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        raise AssertionError("PacketPeerStream must only use partial reads")

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        self.largest_read_request = max(self.largest_read_request, n)
        if self.read_error != Error.OK:
            return self.read_error, b""
        data = bytes(self.incoming[:n])
        del self.incoming[:n]
        return Error.OK, data

    def _get_available_bytes(self) -> int:
        return len(self.incoming)


def _frame(payload: bytes) -> bytes:
    return struct.pack("<I", len(payload)) + payload


def _pps(feed: FeedPeer | None = None) -> tuple[PacketPeerStream, FeedPeer]:
    feed = feed or FeedPeer()
    pps = PacketPeerStream()
    pps.set_stream_peer(feed)
    return pps, feed


def test_defaults() -> None:
    pps = PacketPeerStream()
    assert pps.get_input_buffer_max_size() == 65532
    assert pps.get_output_buffer_max_size() == 65532
    assert pps.input_buffer_max_size == 65532
    assert pps.stream_peer is None
    assert pps._get_max_packet_size() == 65536
    props = godot_properties(PacketPeerStream)
    assert props["input_buffer_max_size"].default == 65532
    assert props["output_buffer_max_size"].default == 65532
    assert props["stream_peer"].default is None
    assert props["encode_buffer_max_size"].default == 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("value", "getter"),
    [(1000, 1020), (1020, 1020), (1021, 2044), (0, 0), (60, 60), (65532, 65532), (65533, 131068)],
)
def test_buffer_setters_round_to_power_of_two(value: int, getter: int) -> None:
    pps = PacketPeerStream()
    pps.set_output_buffer_max_size(value)
    pps.input_buffer_max_size = value
    assert pps.get_output_buffer_max_size() == getter
    assert pps.get_input_buffer_max_size() == getter


def test_negative_output_size_makes_every_put_fail(caplog: pytest.LogCaptureFixture) -> None:
    pps, feed = _pps()
    pps.set_output_buffer_max_size(-10)  # Godot: next_power_of_2 wraps to 0
    assert pps.get_output_buffer_max_size() == -4
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert pps.put_packet(b"x") == Error.ERR_INVALID_PARAMETER
    assert caplog.records
    assert feed.written == b""


def test_input_size_errors(caplog: pytest.LogCaptureFixture) -> None:
    pps, feed = _pps()
    caplog.set_level(logging.ERROR, logger="godot")
    pps.set_input_buffer_max_size(-1)
    assert pps.get_input_buffer_max_size() == 65532
    assert len(caplog.records) == 1
    feed.feed(b"\x05\x00")  # half a prefix sits in the ring
    assert pps.get_available_packet_count() == 0
    caplog.clear()
    pps.set_input_buffer_max_size(100)
    assert "Buffer in use" in caplog.records[0].getMessage()
    assert pps.get_input_buffer_max_size() == 65532
    with pytest.raises(TypeError):
        pps.set_input_buffer_max_size(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pps.set_output_buffer_max_size("1")  # type: ignore[arg-type]


def test_largest_receivable_packet_is_65531(caplog: pytest.LogCaptureFixture) -> None:
    pps, feed = _pps()
    big = bytes(range(256)) * 255 + bytes(251)  # 65531 bytes
    feed.feed(_frame(big))
    assert pps.get_available_packet_count() == 1
    assert pps.get_packet() == big
    assert feed.largest_read_request <= 65535
    # 65532 bytes can be sent ...
    sender, out = _pps()
    assert sender.put_packet(bytes(65532)) == Error.OK
    assert len(out.written) == 65536
    # ... but never received with the default ring of 65535 bytes.
    feed.feed(bytes(out.written))
    caplog.set_level(logging.ERROR, logger="godot")
    for _ in range(3):
        assert pps.get_available_packet_count() == 0
        assert pps.get_packet() == b""
        assert pps.get_packet_error() == Error.ERR_UNAVAILABLE
    assert len(pps._ring) == 65535
    assert len(feed.incoming) == 1


def test_put_packet_limits_and_wire_format() -> None:
    pps, feed = _pps()
    feed.set_big_endian(True)  # Q8: the prefix stays little-endian
    assert pps.put_packet(b"abc") == Error.OK
    assert feed.written == b"\x03\x00\x00\x00abc"
    pps.set_output_buffer_max_size(12)  # buffer 16: payload <= 12
    assert pps.put_packet(bytes(12)) == Error.OK
    assert pps.put_packet(bytes(13)) == Error.ERR_INVALID_PARAMETER


def test_without_stream(caplog: pytest.LogCaptureFixture) -> None:
    pps = PacketPeerStream()
    caplog.set_level(logging.ERROR, logger="godot")
    assert pps.put_packet(b"") == Error.OK  # Q13 comes first
    assert not caplog.records
    assert pps.put_packet(b"x") == Error.ERR_UNCONFIGURED
    assert pps.get_packet() == b""
    assert pps.get_packet_error() == Error.ERR_UNCONFIGURED
    assert pps.get_available_packet_count() == 0
    assert pps.get_var() is None
    assert len(caplog.records) >= 4


def test_put_packet_returns_the_stream_read_error() -> None:
    pps, feed = _pps()
    feed.read_error = Error.ERR_CONNECTION_ERROR
    assert pps.put_packet(b"x") == Error.ERR_CONNECTION_ERROR
    assert feed.written == b""


def test_zero_length_frame_is_an_empty_packet() -> None:
    pps, feed = _pps()
    feed.feed(b"\x00\x00\x00\x00" + _frame(b"z"))
    assert pps.get_available_packet_count() == 2
    assert pps.get_packet() == b""
    assert pps.get_packet_error() == Error.OK
    assert pps.get_packet() == b"z"


def test_changing_the_stream_peer_drops_partial_input() -> None:
    pps, feed = _pps()
    feed.feed(_frame(b"hello")[:6])
    assert pps.get_available_packet_count() == 0
    pps.set_stream_peer(feed)  # same peer: kept
    feed.feed(_frame(b"hello")[6:])
    assert pps.get_packet() == b"hello"
    feed.feed(_frame(b"lost")[:5])
    assert pps.get_available_packet_count() == 0
    other = FeedPeer()
    other.feed(_frame(b"new"))
    pps.stream_peer = other
    assert pps.get_stream_peer() is other
    assert pps.get_packet() == b"new"
    with pytest.raises(TypeError):
        pps.set_stream_peer(b"not a peer")  # type: ignore[arg-type]
    pps.set_stream_peer(None)
    assert pps.get_stream_peer() is None


def test_reads_exactly_what_stream_peer_put_var_writes() -> None:
    spb = StreamPeerBuffer()
    spb.put_data(_frame(b"payload"))
    spb.seek(0)
    pps = PacketPeerStream()
    pps.set_stream_peer(spb)
    assert pps.get_packet() == b"payload"


@pytest.mark.parametrize("prefix", [0x80000000, 0xFFFFFFFF, 0x7FFFFFFF, 65532, 1 << 20])
def test_hostile_length_prefix(prefix: int, caplog: pytest.LogCaptureFixture) -> None:
    pps, feed = _pps()
    feed.feed(struct.pack("<I", prefix) + bytes(200_000))
    caplog.set_level(logging.ERROR, logger="godot")
    for _ in range(3):
        assert pps.get_available_packet_count() == 0
        assert pps.get_packet() == b""
        assert pps.get_packet_error() == Error.ERR_UNAVAILABLE
    assert len(pps._ring) <= 65535


def _reference_count(ring: bytes) -> int:
    """Godot's full rescan of the ring (the implementation caches it incrementally)."""
    offset = count = 0
    while len(ring) - offset >= 4:
        (length,) = struct.unpack_from("<I", ring, offset)
        if length > len(ring) - offset - 4:
            break
        offset += 4 + length
        count += 1
    return count


# -- Hypothesis ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=300), max_size=12),
    input_size=st.sampled_from([None, 0, 5, 60, 200]),
    ops=st.lists(st.sampled_from(["count", "get", "var", "put"]), min_size=1, max_size=30),
)
def test_arbitrary_bytes_only_give_errors(
    chunks: list[bytes], input_size: int | None, ops: list[str]
) -> None:
    logging.getLogger("godot").disabled = True
    try:
        pps, feed = _pps()
        if input_size is not None:
            pps.set_input_buffer_max_size(input_size)
        capacity = pps.get_input_buffer_max_size() + 3
        pending = list(chunks)
        for op in ops:
            if pending:
                feed.feed(pending.pop(0))
            if op == "count":
                assert pps.get_available_packet_count() == _reference_count(bytes(pps._ring))
            elif op == "get":
                data = pps.get_packet()
                assert isinstance(pps.get_packet_error(), Error)
                assert len(data) <= capacity
            elif op == "var":
                pps.get_var()
            else:
                assert isinstance(pps.put_packet(b"x"), Error)
            assert len(pps._ring) <= capacity
            assert feed.largest_read_request <= capacity
    finally:
        logging.getLogger("godot").disabled = False


def _drain(pps: PacketPeerStream) -> list[bytes]:
    out = []
    while pps.get_available_packet_count() > 0:
        out.append(pps.get_packet())
        assert pps.get_packet_error() == Error.OK
    return out


@settings(max_examples=150, deadline=None)
@given(
    packets=st.lists(st.binary(max_size=500), max_size=20),
    cuts=st.lists(st.integers(min_value=0, max_value=20_000), max_size=30),
)
def test_split_feed_invariance(packets: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(_frame(p) for p in packets)
    whole, whole_feed = _pps()
    whole_feed.feed(stream)
    expected = _drain(whole)
    assert expected == packets

    split, split_feed = _pps()
    got: list[bytes] = []
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    for start, end in itertools.pairwise(points):
        split_feed.feed(stream[start:end])
        got.extend(_drain(split))
    assert got == expected
    assert len(split._ring) == 0
