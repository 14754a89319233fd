"""WebSocketPeer limits on real sockets: outbound buffer and queue limits, inbound back-pressure.

* Outbound: a message larger than ``outbound_buffer_size`` and a full outbound queue (the peer
  does not read) give ``ERR_OUT_OF_MEMORY``; ``max_queued_packets`` caps the number of queued
  messages when the byte limit is off; nothing queued is lost once the peer reads again.
* Inbound (Godot 4.4 behaviour): a reader that does not keep up is never dropped messages: the
  peer stops reading the socket (TCP slows the sender) instead. A 50 MB flood of 1 KiB
  messages at a slow reader arrives complete and in order while the process memory stays
  bounded.

The raw sender (``raw_ws_peer.py``) runs in a thread with blocking sends and a socket timeout,
so a stuck test fails instead of hanging; it is joined at teardown.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from conftest import wait_until
from raw_ws_peer import (
    STATE_OPEN,
    HostileServer,
    OurServer,
    RawConn,
    close_our_peers,  # noqa: F401 (autouse fixture)
    frame,
    our_peer,
    random_mask,
    request_key,
    request_upgrade,
    response_101,
    tls_client_options,
)

from engine.core.error import Error
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

FILLER = bytes(range(256)) * 4
RING = 65535
"""Godot's inbound ring (inbound_buffer_size default): the queue's payload budget."""
ONE_READ = 4096
"""How far the queue may overshoot its limits: the shell sizes each read to the room left in
its payload budget but reads at least 4 KiB (plus the one message in progress, which the
assertions add as ``size``)."""


@pytest.fixture
def raw_server() -> Iterator[HostileServer]:
    srv = HostileServer(rcvbuf=32 * 1024)
    yield srv
    srv.close()


@pytest.fixture
def our_server() -> Iterator[OurServer]:
    srv = OurServer()
    yield srv
    srv.close()


def open_client(raw_server: HostileServer, peer: WebSocketPeer) -> RawConn:
    tls = tls_client_options() if raw_server.tls else None
    assert peer.connect_to_url(raw_server.url, tls) == Error.OK
    conn = raw_server.accept(peer.poll)
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    head = conn.read_head()
    conn.send_all(response_101(request_key(head)))
    wait_until(lambda: peer.get_ready_state() == STATE_OPEN, step=peer.poll)
    return conn


def open_server(our_server: OurServer) -> tuple[WebSocketPeer, RawConn]:
    conn = our_server.raw_client()
    conn.send_all(request_upgrade())
    assert conn.read_head().startswith(b"HTTP/1.1 101")
    peer = our_server.peers[-1]
    wait_until(lambda: peer.get_ready_state() == STATE_OPEN, step=our_server.pump)
    return peer, conn


@pytest.fixture
def tls_raw_server() -> Iterator[HostileServer]:
    srv = HostileServer(rcvbuf=32 * 1024, tls=True)
    yield srv
    srv.close()


@pytest.fixture
def tls_our_server() -> Iterator[OurServer]:
    srv = OurServer(tls=True)
    yield srv
    srv.close()


def open_side(
    side: str, request: pytest.FixtureRequest
) -> tuple[WebSocketPeer, RawConn, Callable[[], object], bytes | None]:
    """(our peer, raw conn, pump, mask for the raw side) for "client"/"server"[-tls]."""
    tls = side.endswith("-tls")
    if side.startswith("client"):
        peer = our_peer()
        raw = request.getfixturevalue("tls_raw_server" if tls else "raw_server")
        conn = open_client(raw, peer)
        return peer, conn, peer.poll, None
    ours = request.getfixturevalue("tls_our_server" if tls else "our_server")
    peer, conn = open_server(ours)
    return peer, conn, ours.pump, random_mask()


SIDES = ["client", "server", "client-tls", "server-tls"]


def numbered(seq: int, size: int) -> bytes:
    """A message that says where it belongs: 8-byte sequence number + filler."""
    body = FILLER * (size // len(FILLER) + 1)
    return struct.pack(">Q", seq) + body[: size - 8]


# --------------------------------------------------------------------------- outbound


@pytest.mark.parametrize("side", SIDES)
def test_message_larger_than_outbound_buffer_is_refused(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, _, _ = open_side(side, request)
    assert peer.send(b"\0" * 65536) == Error.ERR_OUT_OF_MEMORY
    assert peer.send_text("a" * 65536) == Error.ERR_OUT_OF_MEMORY
    assert peer.put_packet(b"\0" * 65536) == Error.ERR_OUT_OF_MEMORY
    assert peer.send_text("é" * 32768) == Error.ERR_OUT_OF_MEMORY  # 65536 UTF-8 bytes
    assert peer.get_ready_state() == STATE_OPEN  # refusing is not an error of the connection
    biggest = numbered(1, 65535)
    assert peer.send(biggest) == Error.OK
    [got] = conn.read_frames(1)
    assert (got.opcode, got.payload, got.masked) == (2, biggest, side.startswith("client"))
    peer.outbound_buffer_size = 100
    assert peer.send(b"x" * 101) == Error.ERR_OUT_OF_MEMORY
    assert peer.send(b"x" * 100) == Error.OK
    assert conn.read_frames(1)[0].payload == b"x" * 100


def fill_until_refused(peer: WebSocketPeer, size: int, limit: int) -> list[bytes]:
    """Send numbered messages until ERR_OUT_OF_MEMORY; return what was accepted."""
    sent: list[bytes] = []
    for seq in range(limit):
        message = numbered(seq, size)
        err = peer.send(message)
        if err == Error.ERR_OUT_OF_MEMORY:
            return sent
        assert err == Error.OK, err
        sent.append(message)
        peer.poll()
    pytest.fail(f"{limit} messages of {size} bytes accepted without ERR_OUT_OF_MEMORY")


def drain_and_check(peer: WebSocketPeer, conn: RawConn, sent: list[bytes]) -> None:
    """The raw side reads again: every accepted message arrives, in order."""
    got = conn.read_frames(len(sent), timeout=20)
    assert [f.payload for f in got] == sent
    wait_until(lambda: peer.get_current_outbound_buffered_amount() == 0, step=peer.poll)


def test_outbound_buffer_full_when_the_peer_does_not_read(raw_server: HostileServer) -> None:
    peer = our_peer()
    conn = open_client(raw_server, peer)
    sent = fill_until_refused(peer, 60000, 5000)
    assert sent, "the first message must be accepted"
    pending = peer.get_current_outbound_buffered_amount()
    assert 0 < pending <= 65535
    assert peer.send(b"tiny") in (Error.OK, Error.ERR_OUT_OF_MEMORY)
    if peer.get_current_outbound_buffered_amount() > pending:
        sent.append(b"tiny")
    drain_and_check(peer, conn, sent)
    assert peer.send(b"after") == Error.OK  # room again
    assert conn.read_frames(1)[0].payload == b"after"


def test_max_queued_packets_caps_the_outbound_queue(raw_server: HostileServer) -> None:
    peer = our_peer(outbound_buffer_size=0, max_queued_packets=8)  # byte limit off
    conn = open_client(raw_server, peer)
    sent = fill_until_refused(peer, 60000, 5000)
    pending = peer.get_current_outbound_buffered_amount()
    # more than the default byte limit is queued, but never more than 8 messages' worth
    assert 65535 < pending <= 8 * 60000
    assert peer.get_ready_state() == STATE_OPEN
    drain_and_check(peer, conn, sent)


def test_outbound_limit_on_our_server_with_a_non_reading_client(our_server: OurServer) -> None:
    peer, conn = open_server(our_server)
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    sent = fill_until_refused(peer, 30000, 10000)
    assert 0 < peer.get_current_outbound_buffered_amount() <= 65535
    drain_and_check(peer, conn, sent)


# --------------------------------------------------------------------------- inbound


class Flooder(threading.Thread):
    """Send ``count`` numbered messages of ``size`` bytes as fast as the socket takes them."""

    def __init__(self, conn: RawConn, count: int, size: int, mask: bytes | None) -> None:
        super().__init__(daemon=True)
        self.sock = conn.sock
        self.count = count
        self.size = size
        self.mask = mask
        self.error: BaseException | None = None
        self.sent = 0

    def run(self) -> None:
        try:
            self.sock.setblocking(True)
            self.sock.settimeout(30)
            batch = 512
            for start in range(0, self.count, batch):
                stop = min(start + batch, self.count)
                wire = b"".join(
                    frame(2, numbered(seq, self.size), mask=self.mask) for seq in range(start, stop)
                )
                self.sock.sendall(wire)
                self.sent = stop
        except BaseException as exc:
            self.error = exc


@pytest.fixture
def flooders() -> Iterator[list[Flooder]]:
    made: list[Flooder] = []
    yield made
    for f in made:
        try:
            f.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        f.join(10)
        assert not f.is_alive()


def rss_bytes() -> int:
    """Resident set size of this process (Linux /proc; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def read_slowly(
    peer: WebSocketPeer,
    pump: Callable[[], object],
    count: int,
    size: int,
    per_step: int,
    timeout: float,
    on_sample: Callable[[], None] = lambda: None,
) -> tuple[int, bool]:
    """Take at most ``per_step`` packets per poll, check order and content; return the
    largest queue length seen and whether the queue was ever full (back-pressure engaged)."""
    expected = 0
    deadline = time.monotonic() + timeout
    largest = 0
    steps = 0
    full_seen = False
    tail = (FILLER * (size // len(FILLER) + 1))[: size - 8]
    while expected < count:
        pump()
        available = peer.get_available_packet_count()
        largest = max(largest, available)
        full_seen = full_seen or peer.is_inbound_buffer_full()
        for _ in range(min(per_step, available)):
            data = peer.get_packet()
            assert len(data) == size, (expected, len(data))
            seq = struct.unpack_from(">Q", data)[0]
            assert seq == expected, f"message {expected} expected, got {seq}"
            assert data[8:] == tail
            expected += 1
        steps += 1
        if steps % 256 == 0:
            on_sample()
            if time.monotonic() > deadline:
                pytest.fail(f"only {expected} of {count} messages after {timeout} s")
            assert peer.get_ready_state() == STATE_OPEN
    return largest, full_seen


@pytest.mark.parametrize("side", SIDES)
def test_inbound_backpressure_instead_of_drops(
    side: str, request: pytest.FixtureRequest, flooders: list[Flooder]
) -> None:
    """4 MB at a reader that first does not read at all: the queue stops growing (the peer
    stops reading), then every message arrives in order."""
    peer, conn, pump, mask = open_side(side, request)
    count, size = 4000, 1024
    flooder = Flooder(conn, count, size, mask)
    flooders.append(flooder)
    flooder.start()
    wait_until(peer.is_inbound_buffer_full, step=pump, message="inbound queue full")
    for _ in range(300):  # keep polling without reading: nothing more must be taken in
        pump()
    queued = peer.get_available_packet_count()
    assert queued * size <= RING + ONE_READ + size, queued
    assert flooder.sent < count  # the sender is blocked by TCP, not buffered by us
    read_slowly(peer, pump, count, size, per_step=count, timeout=30)
    flooder.join(10)
    assert flooder.error is None
    assert peer.get_available_packet_count() == 0


def test_inbound_queue_respects_max_queued_packets(
    raw_server: HostileServer, flooders: list[Flooder]
) -> None:
    peer = our_peer(max_queued_packets=16)
    conn = open_client(raw_server, peer)
    count, size = 3000, 200
    flooder = Flooder(conn, count, size, None)
    flooders.append(flooder)
    flooder.start()
    wait_until(peer.is_inbound_buffer_full, step=peer.poll)
    for _ in range(300):
        peer.poll()
    # 16 packets, plus at most what one socket read brought in
    assert peer.get_available_packet_count() <= 16 + ONE_READ // (size + 4) + 1
    read_slowly(peer, peer.poll, count, size, per_step=5, timeout=30)
    flooder.join(10)
    assert flooder.error is None


@pytest.mark.slow
@pytest.mark.parametrize("side", SIDES)
def test_50_mb_flood_at_a_slow_reader_loses_nothing_and_memory_stays_bounded(
    side: str, request: pytest.FixtureRequest, flooders: list[Flooder]
) -> None:
    count, size = 50 * 1024, 1024  # 50 MiB of payload in 1 KiB messages
    peer, conn, pump, mask = open_side(side, request)
    if mask is not None:
        mask = b"\0\0\0\0"  # a valid mask key that keeps the sender cheap
    baseline = rss_bytes()
    peak = [baseline]

    def sample() -> None:
        peak[0] = max(peak[0], rss_bytes())

    flooder = Flooder(conn, count, size, mask)
    flooders.append(flooder)
    start = time.monotonic()
    flooder.start()
    largest, full_seen = read_slowly(
        peer, pump, count, size, per_step=16, timeout=60, on_sample=sample
    )
    elapsed = time.monotonic() - start
    flooder.join(10)
    assert flooder.error is None
    assert peer.get_ready_state() == STATE_OPEN
    assert full_seen, "the reader was never slower than the sender: nothing was tested"
    # the queue never held much more than Godot's 64 KiB ring (+ one socket read)
    assert largest * size <= RING + ONE_READ + size, largest
    if baseline:
        growth = peak[0] - baseline
        assert growth < 24 * 1024 * 1024, f"RSS grew by {growth / 2**20:.1f} MiB for 50 MiB"
    assert elapsed < 60


# --------------------------------------------------------------------------- hostile floods


def _flood_and_measure(
    peer: WebSocketPeer,
    pump: Callable[[], object],
    conn: RawConn,
    wire_chunk: bytes,
    repeats: int,
    flooders: list[Flooder],
) -> tuple[int, bool]:
    """Send ``wire_chunk`` ``repeats`` times from a thread (the raw side never reads) while
    polling our peer; return (RSS growth, whether the sender got everything out)."""
    done = threading.Event()
    sender = Flooder(conn, 0, 0, None)

    def run() -> None:
        try:
            conn.sock.setblocking(True)
            conn.sock.settimeout(5)
            for _ in range(repeats):
                conn.sock.sendall(wire_chunk)
            done.set()
        except OSError:  # our peer dropped the connection or stopped reading: fine
            pass

    sender.run = run  # type: ignore[method-assign]
    flooders.append(sender)
    baseline = rss_bytes()
    peak = baseline
    sender.start()
    deadline = time.monotonic() + 30
    while sender.is_alive() and time.monotonic() < deadline:
        for _ in range(50):
            pump()
        peak = max(peak, rss_bytes())
    sender.join(10)
    for _ in range(50):
        pump()
    peak = max(peak, rss_bytes())
    return peak - baseline, done.is_set()


@pytest.mark.parametrize("side", ["client", "server"])
def test_ping_flood_from_a_peer_that_never_reads_stays_bounded(
    side: str, request: pytest.FixtureRequest, flooders: list[Flooder]
) -> None:
    """16 MiB of 125-byte pings from a peer that never reads the pongs: answering them all
    would queue 16 MiB of pongs. Memory must stay bounded (stop reading, or drop the peer)."""
    peer, conn, pump, mask = open_side(side, request)
    one = frame(9, b"p" * 125, mask=mask)
    chunk = one * ((1 << 20) // len(one))
    growth, _ = _flood_and_measure(peer, pump, conn, chunk, 16, flooders)
    assert peer.get_current_outbound_buffered_amount() <= 4 << 20
    assert growth < 8 << 20, f"RSS grew by {growth / 2**20:.1f} MiB"


@pytest.mark.parametrize("side", ["client", "server"])
def test_endless_empty_fragments_stay_bounded(
    side: str, request: pytest.FixtureRequest, flooders: list[Flooder]
) -> None:
    """A message that never ends, made of empty continuation frames (16 MiB of headers): its
    size never grows, so the size limit never fires; memory must not grow with it."""
    peer, conn, pump, mask = open_side(side, request)
    conn.send_all(frame(2, b"start", fin=False, mask=mask))
    one = frame(0, b"", fin=False, mask=mask)
    chunk = one * ((1 << 20) // len(one))
    growth, _ = _flood_and_measure(peer, pump, conn, chunk, 16, flooders)
    assert growth < 8 << 20, f"RSS grew by {growth / 2**20:.1f} MiB"
