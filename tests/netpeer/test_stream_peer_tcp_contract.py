"""The shared StreamPeer contract suite over StreamPeerBuffer (the reference every transport
must agree with) and over real TCP pairs, and a 64 MiB transfer each way."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterator

import pytest
from contracts import STREAM_PEER_CHECKS
from test_stream_peer_tcp import tcp_pair

from engine.core.error import Error
from netpeer.stream_peer import StreamPeer
from netpeer.stream_peer_buffer import StreamPeerBuffer
from netpeer.stream_peer_tcp import StreamPeerTCP

pytestmark = pytest.mark.network

Pair = tuple[StreamPeer, StreamPeer, Callable[[], None]]


class _BufferEnd(StreamPeerBuffer):
    """One end of a duplex pair built from StreamPeerBuffers.

    Reads are StreamPeerBuffer's own. Writes go through StreamPeerBuffer's own write code
    into ``outbox`` (another StreamPeerBuffer); ``pump`` appends the outbox to the other
    end's array without moving its read position.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outbox = StreamPeerBuffer()

    def _put_data(self, data: bytes) -> Error:
        return self.outbox.put_data(data)

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        return self.outbox.put_partial_data(data)

    def deliver_to(self, other: StreamPeerBuffer) -> None:
        pending = self.outbox.get_data_array()
        if pending:
            position = other.get_position()
            other.seek(other.get_size())
            StreamPeerBuffer._put_data(other, pending)
            other.seek(position)
            self.outbox.clear()


def buffer_pair() -> Pair:
    a, b = _BufferEnd(), _BufferEnd()

    def pump() -> None:
        a.deliver_to(b)
        b.deliver_to(a)

    return a, b, pump


@pytest.mark.parametrize("check", STREAM_PEER_CHECKS, ids=lambda c: c.__name__)
def test_stream_peer_contract_over_stream_peer_buffer(check: Callable[..., None]) -> None:
    check(buffer_pair)


@pytest.fixture(params=["127.0.0.1", "::1"])
def make_pair(request: pytest.FixtureRequest) -> Iterator[Callable[[], Pair]]:
    made: list[StreamPeerTCP] = []

    def make() -> Pair:
        a, b = tcp_pair(request.param)
        made.extend((a, b))

        def pump() -> None:
            a.poll()
            b.poll()

        return a, b, pump

    yield make
    for peer in made:
        peer.disconnect_from_host()


@pytest.mark.parametrize("check", STREAM_PEER_CHECKS, ids=lambda c: c.__name__)
def test_stream_peer_contract_over_tcp(
    check: Callable[..., None], make_pair: Callable[[], Pair]
) -> None:
    check(make_pair)


# Every put_* writes the same bytes as StreamPeerBuffer; every get_* reads them back alike.
_OPERATIONS: list[tuple[str, tuple[object, ...], str, tuple[object, ...]]] = [
    ("put_8", (-5,), "get_8", ()),
    ("put_u8", (250,), "get_u8", ()),
    ("put_16", (-300,), "get_16", ()),
    ("put_u16", (65000,), "get_u16", ()),
    ("put_32", (-70000,), "get_32", ()),
    ("put_u32", (4_000_000_000,), "get_u32", ()),
    ("put_64", (-(2**40),), "get_64", ()),
    ("put_u64", (2**63 + 5,), "get_u64", ()),
    ("put_float", (3.25,), "get_float", ()),
    ("put_double", (1e300,), "get_double", ()),
    ("put_string", ("plain ascii",), "get_string", ()),
    ("put_utf8_string", ("grüße ✓",), "get_utf8_string", ()),
    ("put_data", (b"\x00\x01raw",), "get_data", (5,)),
]


@pytest.mark.parametrize("big_endian", [False, True])
def test_wire_bytes_match_stream_peer_buffer(big_endian: bool) -> None:
    client, server_side = tcp_pair()
    reference = StreamPeerBuffer()
    for peer in (client, server_side, reference):
        peer.set_big_endian(big_endian)
    for put, args, _, _ in _OPERATIONS:
        getattr(client, put)(*args)
        getattr(reference, put)(*args)
    expected = reference.get_data_array()
    err, wire = server_side.get_data(len(expected))
    assert err == Error.OK
    assert wire == expected
    # And back: the server writes the reference bytes raw, the client decodes them.
    assert server_side.put_data(expected) == Error.OK
    reference.seek(0)
    for _, _, get, args in _OPERATIONS:
        assert getattr(client, get)(*args) == getattr(reference, get)(*args), get
    client.disconnect_from_host()
    server_side.disconnect_from_host()


@pytest.mark.slow
def test_64_mib_each_way_through_partial_calls() -> None:
    size = 64 << 20
    chunk = 256 << 10
    a, b = tcp_pair()
    rng = random.Random(20240604)
    payload_ab = rng.randbytes(size)
    payload_ba = rng.randbytes(size)
    progress = {"ab_sent": 0, "ba_sent": 0, "ab_got": 0, "ba_got": 0}
    digest_ab = hashlib.sha256()
    digest_ba = hashlib.sha256()
    deadline = time.monotonic() + 100
    while progress["ab_got"] < size or progress["ba_got"] < size:
        assert time.monotonic() < deadline, f"transfer stalled at {progress}"
        assert a.poll() == Error.OK and b.poll() == Error.OK
        for sender, key, payload in ((a, "ab_sent", payload_ab), (b, "ba_sent", payload_ba)):
            offset = progress[key]
            if offset < size:
                err, sent = sender.put_partial_data(payload[offset : offset + chunk])
                assert err == Error.OK
                progress[key] += sent
        for receiver, key, digest in ((b, "ab_got", digest_ab), (a, "ba_got", digest_ba)):
            err, data = receiver.get_partial_data(chunk)
            assert err == Error.OK
            digest.update(data)
            progress[key] += len(data)
    assert progress == {"ab_sent": size, "ba_sent": size, "ab_got": size, "ba_got": size}
    assert digest_ab.digest() == hashlib.sha256(payload_ab).digest()
    assert digest_ba.digest() == hashlib.sha256(payload_ba).digest()
    assert a.get_status() == b.get_status() == StreamPeerTCP.STATUS_CONNECTED
    a.disconnect_from_host()
    b.disconnect_from_host()
