"""Latency guarantees of WebSocketPeer: TCP_NODELAY on both sides, and a request/response
between two peers polled once per frame costs one frame, not two (data queued by ``send()``
is written at once, not at the next ``poll()``). Over ws:// and wss:// (the dev certificate)."""

from __future__ import annotations

import socket

import pytest
from conftest import wait_until

from netpeer import StreamPeerTLS, TCPServer, TLSOptions, WebSocketPeer
from netpeer._dev_certificate import localhost_key_and_certificate

SCHEMES = ["ws", "wss"]

# Frame-by-frame order used below: every frame polls the client, then the server, as two
# nodes of one scene tree would. Loopback TCP delivers a send() before it returns.


def _open_pair(scheme: str) -> tuple[TCPServer, WebSocketPeer, WebSocketPeer]:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == 0
    client = WebSocketPeer()
    key, cert = localhost_key_and_certificate()
    url = f"{scheme}://127.0.0.1:{server.get_local_port()}/"
    options = TLSOptions.client(cert) if scheme == "wss" else None
    assert client.connect_to_url(url, options) == 0
    wait_until(server.is_connection_available, step=client.poll, message="TCP accept")
    accepted = WebSocketPeer()
    tcp = server.take_connection()
    assert tcp is not None
    if scheme == "wss":
        tls = StreamPeerTLS()
        assert tls.accept_stream(tcp, TLSOptions.server(key, cert)) == 0
        assert accepted.accept_stream(tls) == 0
    else:
        assert accepted.accept_stream(tcp) == 0

    def both_open() -> bool:
        return (
            client.get_ready_state() == WebSocketPeer.STATE_OPEN
            and accepted.get_ready_state() == WebSocketPeer.STATE_OPEN
        )

    wait_until(both_open, step=lambda: (client.poll(), accepted.poll()), message="OPEN")
    return server, client, accepted


def _nodelay(peer: WebSocketPeer) -> int:
    tcp = peer._tcp
    assert tcp is not None and tcp._sock is not None
    return tcp._sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_tcp_nodelay_is_on_for_client_and_server_peers(scheme: str) -> None:
    server, client, accepted = _open_pair(scheme)
    try:
        assert _nodelay(client) != 0
        assert _nodelay(accepted) != 0
    finally:
        client.close(-1)
        accepted.close(-1)
        server.stop()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_request_response_costs_one_frame(scheme: str) -> None:
    server, client, accepted = _open_pair(scheme)
    try:
        answered_at: list[int] = []
        for frame in range(1, 11):
            client.poll()
            if client.get_available_packet_count():
                assert client.get_packet() == b"pong"
                answered_at.append(frame)
            if frame == 1:
                assert client.send(b"ping") == 0
            accepted.poll()
            while accepted.get_available_packet_count():
                assert accepted.get_packet() == b"ping"
                assert accepted.send(b"pong") == 0
        # Asked in frame 1 (after the client's poll), answered by the server in frame 1,
        # read by the client at its first poll of frame 2.
        assert answered_at == [2]
    finally:
        client.close(-1)
        accepted.close(-1)
        server.stop()
