"""UDPServer on real loopback sockets (spec §10, Q18)."""

from __future__ import annotations

import logging

import pytest
from conftest import wait_until

from engine.core.error import Error
from netpeer.packet_peer_udp import PacketPeerUDP
from netpeer.udp_server import UDPServer

pytestmark = pytest.mark.network


def listening(host: str = "*") -> UDPServer:
    server = UDPServer()
    assert server.listen(0, host) == Error.OK
    return server


def client_of(server: UDPServer, host: str = "127.0.0.1") -> PacketPeerUDP:
    client = PacketPeerUDP()
    assert client.connect_to_host(host, server.get_local_port()) == Error.OK
    return client


def poll_until_pending(server: UDPServer, count: int) -> None:
    def step() -> None:
        assert server.poll() == Error.OK

    wait_until(lambda: len(server._pending) >= count, step=step, message=f"{count} pending")


def test_fresh_server() -> None:
    server = UDPServer()
    assert not server.is_listening()
    assert server.poll() == Error.ERR_UNCONFIGURED
    assert not server.is_connection_available()
    assert server.take_connection() is None
    assert server.get_local_port() == 0
    assert server.max_pending_connections == 16
    assert server.get_max_pending_connections() == 16


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_accept_reply_and_keep_talking(host: str) -> None:
    server = listening(host)
    client = client_of(server, host)
    assert client.put_packet(b"The answer is... 42!") == Error.OK
    poll_until_pending(server, 1)
    assert server.is_connection_available()
    peer = server.take_connection()
    assert peer is not None
    assert not server.is_connection_available()
    assert peer.is_socket_connected() and peer.is_bound()
    assert peer.get_packet() == b"The answer is... 42!"
    assert peer.get_packet_port() == client.get_local_port()
    assert peer.get_packet_ip() == ("127.0.0.1" if host == "127.0.0.1" else "0:0:0:0:0:0:0:1")
    assert peer.get_local_port() == server.get_local_port()  # shared socket
    assert peer.put_packet(b"ack") == Error.OK
    wait_until(lambda: client.get_available_packet_count() == 1)
    assert client.get_packet() == b"ack"
    # Later datagrams from the same address go to the taken peer, not a new pending one.
    client.put_packet(b"again")

    def step() -> None:
        server.poll()

    wait_until(lambda: peer.get_available_packet_count() == 1, step=step)
    assert peer.get_packet() == b"again"
    assert not server.is_connection_available()
    server.stop()


def test_twenty_clients_and_the_pending_limit() -> None:
    server = listening("127.0.0.1")
    server.max_pending_connections = 16
    clients = [client_of(server) for _ in range(20)]
    for index, client in enumerate(clients):
        assert client.put_packet(f"hello {index}".encode()) == Error.OK
    # Drain until every datagram was read: the 16 first senders are pending, the rest dropped.
    poll_until_pending(server, 16)
    for _ in range(50):
        server.poll()
    assert len(server._pending) == 16
    taken = []
    while server.is_connection_available():
        peer = server.take_connection()
        assert peer is not None
        taken.append(peer)
    assert len(taken) == 16
    ports = {c.get_local_port(): i for i, c in enumerate(clients)}
    got = [ports[p.get_packet_port()] for p in taken]
    assert got == sorted(got)  # oldest first
    assert {p.get_packet().decode() for p in taken} == {f"hello {i}" for i in got}
    # Now there is room again: the dropped clients get in with their next datagram.
    late = [c for i, c in enumerate(clients) if i not in got]
    assert len(late) == 4
    for client in late:
        client.put_packet(b"retry")
    poll_until_pending(server, 4)
    assert len(server._pending) == 4
    server.stop()


def test_zero_pending_refuses_new_peers() -> None:
    server = listening("127.0.0.1")
    server.set_max_pending_connections(0)
    client = client_of(server)
    client.put_packet(b"knock")
    for _ in range(20):
        assert server.poll() == Error.OK
    assert not server.is_connection_available()
    server.stop()


def test_lowering_the_limit_trims_pending_peers() -> None:
    # Godot 4.2 inverts this test (Q18): raising dropped every pending peer. Fixed here.
    server = listening("127.0.0.1")
    clients = [client_of(server) for _ in range(5)]
    for client in clients:
        client.put_packet(b"hi")
    poll_until_pending(server, 5)
    server.set_max_pending_connections(10)
    assert len(server._pending) == 5  # raising keeps them all
    server.set_max_pending_connections(2)
    assert len(server._pending) == 2  # lowering trims the newest
    first = server.take_connection()
    assert first is not None and first.get_packet_port() == clients[0].get_local_port()
    server.stop()


def test_negative_limit_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    server = UDPServer()
    with caplog.at_level(logging.ERROR, logger="godot"):
        server.set_max_pending_connections(-1)
    assert server.get_max_pending_connections() == 16
    assert caplog.records
    with pytest.raises(TypeError):
        server.set_max_pending_connections("3")  # type: ignore[arg-type]


def test_taken_peers_are_locked(caplog: pytest.LogCaptureFixture) -> None:
    server = listening("127.0.0.1")
    client = client_of(server)
    client.put_packet(b"x")
    poll_until_pending(server, 1)
    peer = server.take_connection()
    assert peer is not None
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.connect_to_host("127.0.0.1", 9) == Error.ERR_LOCKED
        assert peer.join_multicast_group("239.1.1.1", "lo") == Error.ERR_LOCKED
        assert peer.leave_multicast_group("239.1.1.1", "lo") == Error.ERR_LOCKED
        peer.set_broadcast_enabled(True)
    assert len(caplog.records) == 4
    server.stop()


def test_stop_detaches_taken_peers() -> None:
    server = listening("127.0.0.1")
    client = client_of(server)
    other = client_of(server)
    client.put_packet(b"a")
    other.put_packet(b"b")
    poll_until_pending(server, 2)
    taken = server.take_connection()
    assert taken is not None
    server.stop()
    assert not server.is_listening()
    assert not server.is_connection_available()
    assert not taken.is_bound()
    assert not taken.is_socket_connected()
    assert taken.get_available_packet_count() == -1
    assert server.poll() == Error.ERR_UNCONFIGURED


def test_closing_a_taken_peer_forgets_it() -> None:
    server = listening("127.0.0.1")
    client = client_of(server)
    client.put_packet(b"first")
    poll_until_pending(server, 1)
    peer = server.take_connection()
    assert peer is not None
    peer.close()
    assert not peer.is_bound()
    assert server.is_listening()  # the shared socket stays open
    client.put_packet(b"second")
    poll_until_pending(server, 1)  # same address is a new pending peer now
    fresh = server.take_connection()
    assert fresh is not None and fresh is not peer
    assert fresh.get_packet() == b"second"
    server.stop()


def test_listen_errors(caplog: pytest.LogCaptureFixture) -> None:
    server = listening("127.0.0.1")
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert server.listen(0) == Error.ERR_ALREADY_IN_USE
        assert UDPServer().listen(0, "localhost") == Error.ERR_INVALID_PARAMETER
        assert UDPServer().listen(-1) == Error.ERR_INVALID_PARAMETER
        assert UDPServer().listen(65536) == Error.ERR_INVALID_PARAMETER
        exclusive = PacketPeerUDP()
        assert exclusive.bind(0, "127.0.0.1") == Error.OK
        busy = UDPServer()
        assert busy.listen(exclusive.get_local_port(), "127.0.0.1") == Error.ERR_UNAVAILABLE
        assert not busy.is_listening()
    with pytest.raises(TypeError):
        UDPServer().listen("1")  # type: ignore[arg-type]
    server.stop()
