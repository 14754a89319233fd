"""The benchmark server: ``TCPServer`` + ``WebSocketPeer.accept_stream``, polled like a game.

Protocol (the shared harness's, identical to its reference servers), per connection:

* every message is echoed in its mode (text as text, binary as binary);
* text ``sink:start`` -> reply ``sink:started``; from then on binary messages are counted,
  not echoed;
* text ``sink:report`` -> reply ``sink:BYTES:MSGS`` (totals since ``sink:start``;
  ``sink:0:0`` without it; may be asked repeatedly);
* text ``server:shutdown`` -> the process exits.

One ``step()`` is one frame of a Godot-style server: take every pending connection, then
``poll()`` every peer and handle what it received. ``--fps 0`` runs steps in a tight loop,
``--fps N`` once per frame of the engine main loop (see :mod:`netpeer.bench._frames`).

Per-connection state is the peer itself, kept in one list; sink counters live in a dict
that only sink connections enter, so 1000 idle connections cost 1000 peers and nothing else
(the harness's ``idle`` metric reads this process's VmRSS).
"""

from __future__ import annotations

import sys
import time
from collections import deque

from engine.core.error import Error
from netpeer.bench._frames import run_frames
from netpeer.tcp_server import TCPServer
from netpeer.websocket_peer import WebSocketPeer

INBOUND_BUFFER_SIZE = 4 * 1024 * 1024
"""Per-peer inbound limit: the largest message accepted (64 KiB bulk messages must fit)."""

OUTBOUND_BUFFER_SIZE = 1024 * 1024
"""Per-peer outbound limit: enough to echo several 64 KiB messages."""

MAX_QUEUED_PACKETS = 4096
"""Per-peer packet queue limit, both ways."""

_OPEN = WebSocketPeer.STATE_OPEN
_CLOSED = WebSocketPeer.STATE_CLOSED
_TEXT = WebSocketPeer.WRITE_MODE_TEXT
_BINARY = WebSocketPeer.WRITE_MODE_BINARY
_OK = Error.OK
_CHECK_CLOCK_EVERY = 4096  # steps between backstop clock reads


class BenchServer:
    """Accepts connections on 127.0.0.1 and serves the harness protocol, one step at a time."""

    def __init__(self, port: int, *, host: str = "127.0.0.1") -> None:
        self.tcp_server = TCPServer()
        err = self.tcp_server.listen(port, host)
        if err != Error.OK:
            raise OSError(f"cannot listen on {host}:{port}: {err.name}")
        self.peers: list[WebSocketPeer] = []
        self.shutdown = False
        # id(peer) -> [bytes, messages]: only connections that sent "sink:start"
        self._sinks: dict[int, list[int]] = {}
        # id(peer) -> (payload, text) messages waiting for outbound room (rare)
        self._pending: dict[int, deque[tuple[bytes, bool]]] = {}

    def get_local_port(self) -> int:
        return self.tcp_server.get_local_port()

    def step(self) -> bool:
        """Accept, poll every peer, serve what arrived. Returns ``True`` to stop."""
        server = self.tcp_server
        while server.is_connection_available():
            self._accept()
        closed = False
        for peer in self.peers:
            peer.poll()
            if peer.get_available_packet_count():
                self._serve(peer)
            elif peer.get_ready_state() == _CLOSED:
                closed = True
        if closed:
            self._drop_closed()
        return self.shutdown

    def close(self) -> None:
        for peer in self.peers:
            peer.close(-1)
        self.peers.clear()
        self.tcp_server.stop()

    def _accept(self) -> None:
        tcp = self.tcp_server.take_connection()
        if tcp is None:
            return
        peer = WebSocketPeer()  # accept_stream turns TCP_NODELAY on
        peer.set_inbound_buffer_size(INBOUND_BUFFER_SIZE)
        peer.set_outbound_buffer_size(OUTBOUND_BUFFER_SIZE)
        peer.set_max_queued_packets(MAX_QUEUED_PACKETS)
        if peer.accept_stream(tcp) == Error.OK:
            self.peers.append(peer)

    def _drop_closed(self) -> None:
        alive = []
        for peer in self.peers:
            if peer.get_ready_state() == _CLOSED:
                self._sinks.pop(id(peer), None)
                self._pending.pop(id(peer), None)
            else:
                alive.append(peer)
        self.peers = alive

    def _serve(self, peer: WebSocketPeer) -> None:
        key = id(peer)
        if key in self._pending and not self._flush_pending(peer):
            return  # still no room: leave the rest queued in the peer
        sink = self._sinks.get(key)
        while peer.get_available_packet_count():
            data = peer.get_packet()
            if peer.was_string_packet():
                if data.startswith(b"sink:") or data == b"server:shutdown":
                    self._command(peer, data)
                    sink = self._sinks.get(key)
                    continue
                text = True
            elif sink is not None:
                sink[0] += len(data)
                sink[1] += 1
                continue
            else:
                text = False
            if peer.send(data, _TEXT if text else _BINARY) != _OK:
                self._defer(peer, data, text)
                return

    def _command(self, peer: WebSocketPeer, data: bytes) -> None:
        if data == b"sink:start":
            self._sinks[id(peer)] = [0, 0]
            self._reply(peer, b"sink:started")
        elif data == b"sink:report":
            nbytes, messages = self._sinks.get(id(peer), (0, 0))
            self._reply(peer, f"sink:{nbytes}:{messages}".encode())
        elif data == b"server:shutdown":
            self.shutdown = True
        else:
            self._reply(peer, data)  # any other "sink:..." text is echoed like text

    def _reply(self, peer: WebSocketPeer, data: bytes) -> None:
        if id(peer) in self._pending or peer.send(data, _TEXT) != _OK:
            self._defer(peer, data, True)

    def _defer(self, peer: WebSocketPeer, data: bytes, text: bool) -> None:
        if peer.get_ready_state() != _OPEN:
            return
        self._pending.setdefault(id(peer), deque()).append((data, text))

    def _flush_pending(self, peer: WebSocketPeer) -> bool:
        """Send deferred replies in order; ``True`` once none are left."""
        queue = self._pending[id(peer)]
        limit = peer.get_outbound_buffer_size()
        while queue:
            data, text = queue[0]
            if peer.get_current_outbound_buffered_amount() + len(data) > limit:
                return False
            if peer.send(data, _TEXT if text else _BINARY) != _OK:
                return False
            queue.popleft()
        del self._pending[id(peer)]
        return True


def serve(port: int, fps: float = 0, seconds: float = 300.0) -> int:
    """Run the server until ``server:shutdown`` or ``seconds`` (a backstop) pass."""
    server = BenchServer(port)
    deadline = time.monotonic() + seconds
    countdown = _CHECK_CLOCK_EVERY

    def step() -> bool:
        nonlocal countdown
        if server.step():
            return True
        countdown -= 1
        if countdown <= 0:
            countdown = _CHECK_CLOCK_EVERY
            return time.monotonic() >= deadline
        return False

    print(f"listening on 127.0.0.1:{server.get_local_port()}", file=sys.stderr, flush=True)
    try:
        run_frames(step, fps, seconds)
    finally:
        server.close()
    return 0
