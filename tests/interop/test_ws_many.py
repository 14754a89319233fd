"""Many WebSocket connections in one loop: 200 clients on one server, 100 echoes each.

Everything - the TCPServer, its 200 server-side WebSocketPeers and the 200 client
WebSocketPeers - is polled from one single-threaded loop, the way a pygame game polls its
network once per frame. Clients join a few per loop iteration (a game's players do not all
connect in the same microsecond; Godot's listen backlog is 8, ours 128), keep up to 10 messages in
flight, mix text and binary, check every echo's content, type and order, then close.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from raw_ws_peer import (
    STATE_CLOSED,
    STATE_CONNECTING,
    STATE_OPEN,
    EchoServer,
    close_our_peers,  # noqa: F401 (autouse fixture)
    our_peer,
    send_message,
)

from engine.core.error import Error
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

CLIENTS = 200
MESSAGES = 100
WINDOW = 10
JOIN_PER_STEP = 4
DEADLINE = 60.0


def message(client: int, index: int) -> str | bytes:
    if index % 2:
        return f"client {client} message {index} ✓ " + "x" * (index * 7 % 120)
    return struct.pack(">HH", client, index) + bytes(
        (client + index + k) % 256 for k in range(index)
    )


@dataclass
class Client:
    index: int
    peer: WebSocketPeer
    sent: int = 0
    received: int = 0
    errors: list[str] = field(default_factory=list)

    def step(self) -> None:
        peer = self.peer
        peer.poll()
        if peer.get_ready_state() != STATE_OPEN:
            return
        while peer.get_available_packet_count() > 0:
            data = peer.get_packet()
            got: str | bytes = data.decode() if peer.was_string_packet() else bytes(data)
            want = message(self.index, self.received)
            if got != want or type(got) is not type(want):
                self.errors.append(f"echo {self.received}: {got!r:.60} != {want!r:.60}")
            self.received += 1
        while self.sent < MESSAGES and self.sent - self.received < WINDOW:
            err = send_message(peer, message(self.index, self.sent))
            if err != Error.OK:
                self.errors.append(f"send {self.sent}: {err!r}")
                return
            self.sent += 1
        if self.received == MESSAGES:
            peer.close(1000, f"bye {self.index}")


@pytest.fixture
def server() -> Iterator[EchoServer]:
    srv = EchoServer()
    yield srv
    srv.close()


def test_200_connections_100_echoes_each_in_one_loop(server: EchoServer) -> None:
    clients: list[Client] = []
    deadline = time.monotonic() + DEADLINE
    url = server.url("/many")
    while True:
        if len(clients) < CLIENTS:
            for _ in range(JOIN_PER_STEP):
                peer = our_peer()
                assert peer.connect_to_url(url) == Error.OK
                clients.append(Client(len(clients), peer))
        server.pump()
        for client in clients:
            client.step()
        if (
            len(clients) == CLIENTS
            and all(c.peer.get_ready_state() == STATE_CLOSED for c in clients)
            and all(p.get_ready_state() == STATE_CLOSED for p in server.peers)
        ):
            break
        if time.monotonic() > deadline:
            states = [c.peer.get_ready_state() for c in clients]
            pytest.fail(
                f"not done after {DEADLINE} s: {len(server.peers)} accepted, "
                f"{states.count(STATE_CONNECTING)} connecting, {states.count(STATE_OPEN)} open, "
                f"{sum(c.received for c in clients)} of {CLIENTS * MESSAGES} echoes"
            )
    errors = [e for c in clients for e in c.errors]
    assert not errors, errors[:5]
    assert [c.received for c in clients] == [MESSAGES] * CLIENTS
    # every client closed cleanly and every server peer recorded its own client's reason
    assert all(c.peer.get_close_code() == 1000 for c in clients)
    assert len(server.peers) == CLIENTS
    reasons = sorted(p.get_close_reason() for p in server.peers)
    assert reasons == sorted(f"bye {i}" for i in range(CLIENTS))
    assert all(p.get_close_code() == 1000 for p in server.peers)


def test_burst_of_200_simultaneous_connects_all_open_quickly(server: EchoServer) -> None:
    """All 200 clients call connect_to_url in the same frame (a reconnect storm after a
    server restart). With a sane listen backlog every handshake completes well within 5 s."""
    peers = [our_peer() for _ in range(CLIENTS)]
    for peer in peers:
        assert peer.connect_to_url(server.url("/burst")) == Error.OK
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        server.pump()
        for peer in peers:
            peer.poll()
        if all(p.get_ready_state() == STATE_OPEN for p in peers):
            break
    opened = sum(p.get_ready_state() == STATE_OPEN for p in peers)
    assert opened == CLIENTS, f"only {opened} of {CLIENTS} connections open after 5 s"
