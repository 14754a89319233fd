"""TCPServer on real loopback sockets (spec §8, Q16)."""

from __future__ import annotations

import logging
import socket

import pytest
from blocking_calls import returns_within
from conftest import wait_until
from test_stream_peer_tcp import connect

from engine.core.error import Error
from netpeer import _net
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.tcp_server import TCPServer

pytestmark = pytest.mark.network


def test_fresh_server() -> None:
    server = TCPServer()
    assert not server.is_listening()
    assert not server.is_connection_available()
    assert server.take_connection() is None
    assert server.get_local_port() == 0
    server.stop()  # harmless


@pytest.mark.parametrize("bind_address", ["*", "127.0.0.1", "::1", "0.0.0.0", "::"])
def test_listen_port_zero_picks_a_port(bind_address: str) -> None:
    server = TCPServer()
    assert server.listen(0, bind_address) == Error.OK
    assert server.is_listening()
    assert 0 < server.get_local_port() <= 65535
    server.stop()
    assert not server.is_listening()
    assert server.get_local_port() == 0


def test_wildcard_is_dual_stack() -> None:
    server = TCPServer()
    assert server.listen(0) == Error.OK
    port = server.get_local_port()
    for host in ("127.0.0.1", "::1"):
        client = StreamPeerTCP()
        connect(client, host, port)
        wait_until(server.is_connection_available)
        accepted = server.take_connection()
        assert accepted is not None
        assert accepted.get_status() == StreamPeerTCP.STATUS_CONNECTED
        assert accepted.get_connected_host() == ("127.0.0.1" if host == "127.0.0.1" else
                                                 "0:0:0:0:0:0:0:1")  # fmt: skip
        assert accepted.get_connected_port() == client.get_local_port()
    server.stop()


def test_listen_twice_is_already_in_use(caplog: pytest.LogCaptureFixture) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert server.listen(0, "127.0.0.1") == Error.ERR_ALREADY_IN_USE
    server.stop()
    assert server.listen(0, "127.0.0.1") == Error.OK  # reusable after stop()
    server.stop()


@pytest.mark.parametrize("bind_address", ["127.0.0.1", "*"])
def test_busy_port_is_already_in_use(bind_address: str, caplog: pytest.LogCaptureFixture) -> None:
    first = TCPServer()
    assert first.listen(0, bind_address) == Error.OK
    second = TCPServer()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert second.listen(first.get_local_port(), bind_address) == Error.ERR_ALREADY_IN_USE
    assert not second.is_listening()
    first.stop()


@pytest.mark.parametrize(
    ("port", "bind_address"),
    [(0, "localhost"), (0, ""), (0, "1.2.3.4.5"), (-1, "*"), (65536, "*"), (70000, "*")],
)
def test_listen_bad_input(port: int, bind_address: str, caplog: pytest.LogCaptureFixture) -> None:
    server = TCPServer()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert server.listen(port, bind_address) == Error.ERR_INVALID_PARAMETER
    assert not server.is_listening()


def test_listen_wrong_types() -> None:
    server = TCPServer()
    with pytest.raises(TypeError):
        server.listen("80")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        server.listen(0, None)  # type: ignore[arg-type]


def test_take_connection_order_and_backlog() -> None:
    expected_backlog = min(128, socket.SOMAXCONN)  # Godot: 8 (docs/godot-differences.md)
    assert expected_backlog == _net.LISTEN_BACKLOG
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    clients = []
    for _ in range(5):
        client = StreamPeerTCP()
        connect(client, "127.0.0.1", server.get_local_port())
        clients.append(client)
    taken = []
    for _ in range(5):
        wait_until(server.is_connection_available)
        peer = server.take_connection()
        assert peer is not None
        taken.append(peer)
    assert not server.is_connection_available()
    assert server.take_connection() is None
    assert sorted(p.get_connected_port() for p in taken) == sorted(
        c.get_local_port() for c in clients
    )
    server.stop()


def test_stop_keeps_taken_connections() -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    port = server.get_local_port()
    client = StreamPeerTCP()
    connect(client, "127.0.0.1", port)
    wait_until(server.is_connection_available)
    accepted = server.take_connection()
    assert accepted is not None
    server.stop()
    assert not server.is_connection_available()
    client.put_data(b"still here")
    assert returns_within(5, accepted.get_data, 10) == (
        Error.OK,
        b"still here",
    )
    # The port is free again: a new connect is refused (or the port is reusable at once).
    again = TCPServer()
    assert again.listen(port, "127.0.0.1") == Error.OK
    again.stop()


def test_connection_closed_before_take() -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    raw = socket.create_connection(("127.0.0.1", server.get_local_port()))
    raw.close()
    wait_until(server.is_connection_available)
    peer = server.take_connection()
    assert peer is not None
    wait_until(lambda: peer.get_status() != StreamPeerTCP.STATUS_CONNECTED, step=peer.poll)
    assert peer.get_status() == StreamPeerTCP.STATUS_NONE
    server.stop()
