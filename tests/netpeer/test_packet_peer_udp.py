"""PacketPeerUDP on real loopback sockets (spec §9, Q17)."""

from __future__ import annotations

import logging
import select
import socket

import pytest
from blocking_calls import returns_within
from conftest import wait_until

from engine.core.error import Error
from netpeer.marshalls import encode_variant
from netpeer.packet_peer_udp import DEFAULT_RING_SIZE, PACKET_HEADER_SIZE, PacketPeerUDP
from netpeer.udp_server import UDPServer

pytestmark = pytest.mark.network

LOOPBACKS = ["127.0.0.1", "::1"]
PRINTED = {"127.0.0.1": "127.0.0.1", "::1": "0:0:0:0:0:0:0:1"}


def bound(host: str = "127.0.0.1", recv_buf_size: int = 65536) -> PacketPeerUDP:
    peer = PacketPeerUDP()
    assert peer.bind(0, host, recv_buf_size) == Error.OK
    return peer


def receive(peer: PacketPeerUDP, count: int = 1) -> list[bytes]:
    wait_until(lambda: peer.get_available_packet_count() >= count, message=f"{count} packets")
    return [peer.get_packet() for _ in range(count)]


def test_fresh_peer(caplog: pytest.LogCaptureFixture) -> None:
    peer = PacketPeerUDP()
    assert not peer.is_bound()
    assert not peer.is_socket_connected()
    assert peer.get_available_packet_count() == -1  # Q17
    assert peer.get_packet() == b""
    assert peer.get_packet_error() == Error.FAILED
    assert peer.get_packet_ip() == ""
    assert peer.get_packet_port() == 0
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.put_packet(b"x") == Error.ERR_UNCONFIGURED
        assert peer.get_local_port() == 0
        assert peer.wait() == Error.ERR_UNCONFIGURED
        assert peer.leave_multicast_group("239.1.2.3", "lo") == Error.ERR_UNCONFIGURED
    peer.close()


@pytest.mark.parametrize("host", LOOPBACKS)
@pytest.mark.parametrize("size", [0, 1, 1400, 8192, 65507])
def test_datagram_sizes(host: str, size: int) -> None:
    receiver = bound(host)
    sender = bound(host)
    payload = bytes(i % 251 for i in range(size))
    assert sender.set_dest_address(host, receiver.get_local_port()) == Error.OK
    assert sender.put_packet(payload) == Error.OK
    if size == 0:
        # Godot's put_packet([]) sends nothing (Q13): check with a follow-up datagram.
        assert sender.put_packet(b"marker") == Error.OK
        assert receive(receiver) == [b"marker"]
        return
    assert receive(receiver) == [payload]
    assert receiver.get_packet_error() == Error.OK
    assert receiver.get_packet_ip() == PRINTED[host]
    assert receiver.get_packet_port() == sender.get_local_port()


def test_too_big_datagram_fails() -> None:
    sender = bound()
    assert sender.set_dest_address("127.0.0.1", 9) == Error.OK
    assert sender.put_packet(b"x" * 65508) == Error.FAILED


def test_put_packet_opens_an_ephemeral_socket() -> None:
    receiver = bound("::1")
    sender = PacketPeerUDP()
    assert sender.set_dest_address("::1", receiver.get_local_port()) == Error.OK
    assert not sender.is_bound()
    assert sender.put_packet(b"auto") == Error.OK
    assert sender.is_bound()
    assert receive(receiver) == [b"auto"]
    # The reply comes back to the ephemeral port.
    assert receiver.set_dest_address(receiver.get_packet_ip(), receiver.get_packet_port()) == 0
    assert receiver.put_packet(b"back") == Error.OK
    assert receive(sender) == [b"back"]


def test_wildcard_bind_receives_both_families() -> None:
    receiver = bound("*")
    port = receiver.get_local_port()
    for host in LOOPBACKS:
        sender = PacketPeerUDP()
        assert sender.set_dest_address(host, port) == Error.OK
        assert sender.put_packet(host.encode()) == Error.OK
        assert receive(receiver) == [host.encode()]
        assert receiver.get_packet_ip() == PRINTED[host]


@pytest.mark.parametrize("value", [None, 42, "héllo", [1, 2.5, "x"], {"k": True}])
def test_put_var_is_encode_variant_without_prefix(value: object) -> None:
    receiver = bound()
    sender = bound()
    sender.set_dest_address("127.0.0.1", receiver.get_local_port())
    assert sender.put_var(value) == Error.OK
    wait_until(lambda: receiver.get_available_packet_count() == 1)
    assert receiver.get_packet() == encode_variant(value, False)[1]
    assert sender.put_var(value) == Error.OK
    wait_until(lambda: receiver.get_available_packet_count() == 1)
    assert receiver.get_var() == value


def test_get_var_on_garbage_returns_none(caplog: pytest.LogCaptureFixture) -> None:
    receiver = bound()
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    raw.sendto(b"\xff\xff\xff\xff garbage", ("127.0.0.1", receiver.get_local_port()))
    raw.close()
    wait_until(lambda: receiver.get_available_packet_count() == 1)
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert receiver.get_var() is None
    assert caplog.records


def test_connect_to_host_filters_other_senders() -> None:
    receiver = bound()
    friend = bound()
    stranger = bound()
    assert receiver.connect_to_host("127.0.0.1", friend.get_local_port()) == Error.OK
    assert receiver.is_socket_connected()
    for peer in (stranger, friend):
        peer.set_dest_address("127.0.0.1", receiver.get_local_port())
    assert stranger.put_packet(b"stranger") == Error.OK
    assert friend.put_packet(b"friend") == Error.OK
    assert receive(receiver) == [b"friend"]
    assert receiver.get_available_packet_count() == 0
    assert receiver.put_packet(b"reply") == Error.OK  # goes to the connected address
    assert receive(friend) == [b"reply"]


def test_connect_to_host_does_no_dns(caplog: pytest.LogCaptureFixture) -> None:
    peer = PacketPeerUDP()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.connect_to_host("localhost", 4242) == Error.ERR_INVALID_PARAMETER
        assert peer.connect_to_host("127.0.0.1", 0) == Error.ERR_INVALID_PARAMETER
        assert peer.connect_to_host("127.0.0.1", 65536) == Error.ERR_INVALID_PARAMETER
        assert peer.connect_to_host("*", 4242) == Error.ERR_INVALID_PARAMETER
    assert not peer.is_socket_connected()


def test_connect_to_host_with_the_wrong_family_fails(caplog: pytest.LogCaptureFixture) -> None:
    peer = bound("127.0.0.1")
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.connect_to_host("::1", 4242) == Error.FAILED
    assert not peer.is_bound()  # closed, like Godot


def test_connect_flushes_the_queue() -> None:
    receiver = bound()
    sender = bound()
    sender.set_dest_address("127.0.0.1", receiver.get_local_port())
    sender.put_packet(b"old")
    wait_until(lambda: receiver.get_available_packet_count() == 1)
    assert receiver.connect_to_host("127.0.0.1", sender.get_local_port()) == Error.OK
    assert receiver.get_available_packet_count() == 0


def test_set_dest_address(caplog: pytest.LogCaptureFixture) -> None:
    peer = PacketPeerUDP()
    assert peer.set_dest_address("localhost", 4242) == Error.OK  # resolves (blocking)
    assert peer.set_dest_address("nonexistent.invalid", 4242) == Error.ERR_CANT_RESOLVE
    assert peer.set_dest_address("", 4242) == Error.ERR_CANT_RESOLVE
    assert peer.set_dest_address("*", 4242) == Error.ERR_CANT_RESOLVE
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.set_dest_address("127.0.0.1", 70000) == Error.ERR_INVALID_PARAMETER


def test_set_dest_address_on_connected_socket_is_refused_but_ok(
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = bound()
    other = bound()
    peer = PacketPeerUDP()
    assert peer.connect_to_host("127.0.0.1", target.get_local_port()) == Error.OK
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.set_dest_address("127.0.0.1", other.get_local_port()) == Error.OK  # Q17
    assert "connected sockets" in caplog.text
    assert peer.put_packet(b"still to target") == Error.OK
    assert receive(target) == [b"still to target"]


@pytest.mark.parametrize(
    ("port", "address", "size", "expected"),
    [
        (-1, "*", 65536, Error.ERR_INVALID_PARAMETER),
        (65536, "*", 65536, Error.ERR_INVALID_PARAMETER),
        (0, "localhost", 65536, Error.ERR_INVALID_PARAMETER),
        (0, "300.1.1.1", 65536, Error.ERR_INVALID_PARAMETER),
        (0, "*", -5, Error.ERR_INVALID_PARAMETER),
        (0, "192.0.2.200", 65536, Error.ERR_UNAVAILABLE),
    ],
)
def test_bind_bad_input(
    port: int, address: str, size: int, expected: Error, caplog: pytest.LogCaptureFixture
) -> None:
    peer = PacketPeerUDP()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.bind(port, address, size) == expected
    assert not peer.is_bound()


def test_bind_twice_and_busy_port(caplog: pytest.LogCaptureFixture) -> None:
    peer = bound()
    other = PacketPeerUDP()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.bind(0) == Error.ERR_ALREADY_IN_USE
        assert other.bind(peer.get_local_port(), "127.0.0.1") == Error.ERR_UNAVAILABLE
    peer.close()
    assert not peer.is_bound()
    assert peer.bind(0, "127.0.0.1") == Error.OK


def test_wrong_types() -> None:
    peer = PacketPeerUDP()
    with pytest.raises(TypeError):
        peer.bind("0")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.set_dest_address(b"127.0.0.1", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.connect_to_host("127.0.0.1", 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.put_packet("text")  # type: ignore[arg-type]


def test_receive_ring_drops_what_does_not_fit() -> None:
    # recv_buf_size 1000 -> ring of 1024 bytes (1023 usable), 24 bytes of header per packet.
    receiver = bound(recv_buf_size=1000)
    sender = bound()
    sender.set_dest_address("127.0.0.1", receiver.get_local_port())
    for _ in range(5):
        assert sender.put_packet(b"z" * 300) == Error.OK
    wait_until(lambda: receiver.get_available_packet_count() >= 3)
    assert receiver.get_available_packet_count() == (1023 // (300 + PACKET_HEADER_SIZE))
    # Room for one more after reading one: the next datagram is queued again.
    assert receiver.get_packet() == b"z" * 300
    assert sender.put_packet(b"after") == Error.OK
    wait_until(lambda: receiver.get_available_packet_count() == 3)
    assert DEFAULT_RING_SIZE == 65536


def test_close_resets_the_peer() -> None:
    receiver = bound()
    sender = bound()
    sender.set_dest_address("127.0.0.1", receiver.get_local_port())
    sender.put_packet(b"pending")
    wait_until(lambda: receiver.get_available_packet_count() == 1)
    receiver.close()
    assert not receiver.is_bound()
    assert receiver.get_available_packet_count() == -1
    assert receiver.get_packet() == b""
    assert receiver.get_packet_error() == Error.FAILED


def test_wait_returns_when_a_datagram_arrives() -> None:
    receiver = bound()
    sender = bound()
    sender.set_dest_address("127.0.0.1", receiver.get_local_port())
    sender.put_packet(b"wake up")
    assert returns_within(10, receiver.wait) == Error.OK
    assert receiver.get_packet() == b"wake up"


def test_wait_returns_at_once_when_packets_are_queued() -> None:
    # Godot waits on the OS socket even then (blocking here for ever); we return OK.
    receiver = bound()
    sender = bound()
    sender.set_dest_address("127.0.0.1", receiver.get_local_port())
    sender.put_packet(b"queued")
    wait_until(lambda: receiver.get_available_packet_count() == 1)  # OS socket now empty
    assert returns_within(5, receiver.wait) == Error.OK
    assert receiver.get_packet() == b"queued"


def _send_raw(host: str, port: int, payload: bytes) -> int:
    """Send one datagram from a plain socket; return its source port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as raw:
        raw.sendto(payload, (host, port))
        port_used: int = raw.getsockname()[1]
        return port_used


@pytest.mark.parametrize("host", LOOPBACKS)
def test_empty_datagram_is_an_empty_packet(host: str) -> None:
    # put_packet(b"") sends nothing (Q13), so the empty datagram comes from a plain socket.
    receiver = bound(host)
    source = _send_raw(host, receiver.get_local_port(), b"")
    assert receive(receiver) == [b""]
    assert receiver.get_packet_error() == Error.OK
    assert receiver.get_packet_ip() == PRINTED[host]
    assert receiver.get_packet_port() == source


def test_empty_datagram_reaches_a_udp_server_peer() -> None:
    server = UDPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    source = _send_raw("127.0.0.1", server.get_local_port(), b"")
    wait_until(server.is_connection_available, step=server.poll, message="a new peer")
    peer = server.take_connection()
    assert peer is not None
    assert peer.get_available_packet_count() == 1
    assert peer.get_packet() == b""
    assert peer.get_packet_error() == Error.OK
    assert (peer.get_packet_ip(), peer.get_packet_port()) == ("127.0.0.1", source)
    server.stop()


def _os_delivers_loopback_broadcast() -> bool:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender,
    ):
        listener.bind(("0.0.0.0", 0))
        sender.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            sender.sendto(b"probe", ("127.255.255.255", listener.getsockname()[1]))
        except OSError:
            return False
        return bool(select.select([listener], [], [], 2)[0])


def test_broadcast_arrives_once_enabled() -> None:
    if not _os_delivers_loopback_broadcast():
        pytest.skip("this OS does not deliver 127.255.255.255 broadcasts on loopback")
    listener = bound("0.0.0.0")
    peer = bound("0.0.0.0")
    peer.set_broadcast_enabled(True)
    assert peer.set_dest_address("127.255.255.255", listener.get_local_port()) == Error.OK
    assert peer.put_packet(b"everyone") == Error.OK
    assert receive(listener) == [b"everyone"]
    assert listener.get_packet_port() == peer.get_local_port()


def test_broadcast_refused_until_enabled() -> None:
    peer = bound("0.0.0.0")
    listener = PacketPeerUDP()
    assert listener.bind(0, "0.0.0.0") == Error.OK
    assert peer.set_dest_address("127.255.255.255", listener.get_local_port()) == Error.OK
    assert peer.put_packet(b"everyone") == Error.FAILED
    peer.set_broadcast_enabled(True)
    assert peer.put_packet(b"everyone") == Error.OK
    peer.set_broadcast_enabled(False)
    assert peer.put_packet(b"everyone") == Error.FAILED


def test_broadcast_setting_applies_when_the_socket_opens_later() -> None:
    peer = PacketPeerUDP()
    peer.set_broadcast_enabled(True)
    assert peer.set_dest_address("127.255.255.255", 9) == Error.OK
    assert peer.put_packet(b"x") == Error.OK


def test_multicast_join_and_leave(caplog: pytest.LogCaptureFixture) -> None:
    loopback = next(
        i["name"] for i in __import__("netpeer.ip").ip.IP.get_local_interfaces()
        if "127.0.0.1" in i["addresses"]
    )  # fmt: skip
    peer = PacketPeerUDP()
    assert peer.join_multicast_group("239.255.10.10", loopback) == Error.OK
    assert peer.is_bound()  # join opens the socket
    assert peer.leave_multicast_group("239.255.10.10", loopback) == Error.OK
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.join_multicast_group("239.255.10.10", "no-such-if") == (
            Error.ERR_INVALID_PARAMETER
        )
        assert peer.join_multicast_group("not an ip", loopback) == Error.ERR_INVALID_PARAMETER
    six = PacketPeerUDP()
    assert six.bind(0, "::") == Error.OK
    assert six.join_multicast_group("ff02::4242", loopback) == Error.OK
    assert six.leave_multicast_group("ff02::4242", loopback) == Error.OK


def test_icmp_errors_are_not_receive_failures() -> None:
    peer = PacketPeerUDP()
    # An ICMP "port unreachable" needs a port with no socket, so this is the one place that
    # releases a port and reuses its number. The race is harmless: if another process binds
    # the port meanwhile, no ICMP comes back and the assertions below still hold (the test
    # then only checks the quiet case).
    dead = bound()
    dead_port = dead.get_local_port()
    dead.close()
    assert peer.connect_to_host("127.0.0.1", dead_port) == Error.OK
    assert peer.put_packet(b"anyone?") == Error.OK
    for _ in range(50):
        assert peer.get_available_packet_count() == 0
        assert peer.get_packet() == b""
        assert peer.get_packet_error() == Error.ERR_UNAVAILABLE
