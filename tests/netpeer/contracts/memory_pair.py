"""An in-memory duplex StreamPeer pair for running the contract suites without sockets.

Each direction is a pipe of two ``netpeer._buffers.ReceiveBuffer``: bytes written go
"in flight" and ``pump()`` delivers at most ``chunk`` bytes per direction per call to the
reader, so readers really see data arrive in pieces. ``put_partial_data`` accepts only
what fits in ``capacity`` in-flight bytes, so partial writes really happen. Blocking
calls behave like a blocking socket: ``put_data`` always queues everything and
``get_data`` first waits for (delivers) everything in flight.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.core.error import Error
from netpeer._buffers import ReceiveBuffer
from netpeer.packet_peer_stream import PacketPeerStream
from netpeer.stream_peer import StreamPeer


class _Pipe:
    def __init__(self, capacity: int, chunk: int) -> None:
        self.in_flight = ReceiveBuffer()
        self.delivered = ReceiveBuffer()
        self.capacity = capacity
        self.chunk = chunk

    def deliver(self, limit: int | None = None) -> None:
        n = len(self.in_flight) if limit is None else min(limit, len(self.in_flight))
        if n:
            self.delivered.append(self.in_flight.consume(n))


class MemoryStreamPeer(StreamPeer):
    """One end of a ``memory_stream_pair``."""

    def __init__(self, inbound: _Pipe, outbound: _Pipe) -> None:
        super().__init__()
        self._in = inbound
        self._out = outbound
        self.closed = False

    def _put_data(self, data: bytes) -> Error:
        if self.closed:
            return Error.FAILED
        self._out.in_flight.append(data)
        return Error.OK

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        if self.closed:
            return Error.FAILED, 0
        room = max(0, self._out.capacity - len(self._out.in_flight))
        accepted = data[:room]
        self._out.in_flight.append(accepted)
        return Error.OK, len(accepted)

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        if len(self._in.delivered) < n:
            self._in.deliver()  # a blocking read waits for everything in flight
        data = self._in.delivered.consume_exactly(n)
        if data is None:
            return Error.ERR_UNAVAILABLE, b""  # peer would block forever: report, consume nothing
        return Error.OK, data

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        return Error.OK, self._in.delivered.consume(n)

    def _get_available_bytes(self) -> int:
        return len(self._in.delivered)


def memory_stream_pair(
    capacity: int = 64 * 1024, chunk: int = 7001
) -> tuple[MemoryStreamPeer, MemoryStreamPeer, Callable[[], None]]:
    """``(a, b, pump)``: two connected in-memory StreamPeers and the pump that moves bytes."""
    a_to_b = _Pipe(capacity, chunk)
    b_to_a = _Pipe(capacity, chunk)
    a = MemoryStreamPeer(b_to_a, a_to_b)
    b = MemoryStreamPeer(a_to_b, b_to_a)

    def pump() -> None:
        a_to_b.deliver(a_to_b.chunk)
        b_to_a.deliver(b_to_a.chunk)

    return a, b, pump


def memory_packet_pair(
    capacity: int = 64 * 1024, chunk: int = 7001
) -> tuple[PacketPeerStream, PacketPeerStream, Callable[[], None]]:
    """``(a, b, pump)``: two PacketPeerStreams over a ``memory_stream_pair``."""
    sa, sb, pump = memory_stream_pair(capacity, chunk)
    a = PacketPeerStream()
    a.set_stream_peer(sa)
    b = PacketPeerStream()
    b.set_stream_peer(sb)
    return a, b, pump
