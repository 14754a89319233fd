"""``PacketPeerUDP``: send and receive UDP datagrams as packets (and Variants).

Theory of operation
-------------------
There is no public ``poll()``: datagrams are read from the socket whenever the script asks
``get_available_packet_count()`` or ``get_packet()``. They wait in a receive queue that
models Godot's ring buffer: each queued datagram costs its payload plus 24 bytes of header,
the ring holds ``2**nearest_shift(recv_buf_size) - 1`` bytes (65535 before ``bind``), and a
datagram that does not fit is dropped. ``get_packet_ip()``/``get_packet_port()`` describe
the datagram last returned.

``connect_to_host`` "connects" the socket (the OS then filters senders and ``put_packet``
uses ``send``); it does no DNS, unlike ``set_dest_address`` (Q17). Peers handed out by a
``UDPServer`` share the server's socket: they are filled by the server's ``poll()`` and
send with ``sendto`` on the server socket; configuring them (``connect_to_host``,
multicast) answers ``ERR_LOCKED``.

Godot: core/io/packet_peer_udp.cpp, drivers/unix/net_socket_posix.cpp.
"""

from __future__ import annotations

import socket
import struct
from collections import deque
from typing import TYPE_CHECKING

from engine.core.error import Error
from engine.core.messages import fail, push_error
from netpeer import _net
from netpeer._ip_address import INVALID, IPAddress
from netpeer.ip import IP
from netpeer.packet_peer import PacketPeer

if TYPE_CHECKING:
    from netpeer.udp_server import UDPServer

DEFAULT_RING_SIZE = 1 << 16
"""Receive ring of an unbound peer (Godot: ``rb.resize(16)``)."""

PACKET_HEADER_SIZE = 24
"""Ring bytes each queued datagram costs besides its payload (address, port, size)."""

MAX_DATAGRAMS_PER_POLL = 4096
"""Datagrams read per call; the rest stays in the OS buffer, so a flood cannot stall a frame."""

_OK = Error.OK
_UDP_MAX_PACKET_SIZE = 512  # Godot's get_max_packet_size() ("uhm maybe not").


def _ring_size_for(recv_buf_size: int) -> int:
    """Godot's ``1 << nearest_shift(n)``: 65536 -> 131072, 65535 -> 65536, 0 -> 1."""
    return 1 << (recv_buf_size & 0x7FFFFFFF).bit_length()


class PacketPeerUDP(PacketPeer):
    """UDP packet peer: raw datagrams or Variants, bound, connected or server-owned."""

    def __init__(self) -> None:
        super().__init__()
        self._sock: socket.socket | None = None
        self._server: UDPServer | None = None
        self._connected = False
        self._peer_addr: IPAddress = INVALID
        self._peer_port = 0
        self._packet_ip: IPAddress = INVALID
        self._packet_port = 0
        self._broadcast = False
        self._blocking = True
        self._ring_size = DEFAULT_RING_SIZE
        self._queue: deque[tuple[IPAddress, int, bytes]] = deque()
        self._queued_bytes = 0

    def __del__(self) -> None:
        if getattr(self, "_server", None) is None:
            _net.close_quietly(getattr(self, "_sock", None))

    # -- Python-only helpers -------------------------------------------------------------------

    def _set_blocking_mode(self, enabled: bool) -> None:
        """Godot's C++-only ``set_blocking_mode``: when off, a full send buffer is ``ERR_BUSY``."""
        self._blocking = bool(enabled)

    def _connect_shared_socket(
        self, sock: socket.socket, address: IPAddress, port: int, server: UDPServer
    ) -> None:
        self._server = server
        self._connected = True
        self._sock = sock
        self._peer_addr = self._packet_ip = address
        self._peer_port = self._packet_port = port

    def _disconnect_shared_socket(self) -> None:
        self._server = None
        self._sock = None
        self.close()

    def _store_packet(self, address: IPAddress, port: int, data: bytes) -> bool:
        """Queue one received datagram; False (dropped) when the ring has no room."""
        cost = PACKET_HEADER_SIZE + len(data)
        if self._queued_bytes + cost > self._ring_size - 1:
            return False
        self._queue.append((address, port, data))
        self._queued_bytes += cost
        return True

    def _open(self, address: IPAddress) -> Error:
        try:
            self._sock = _net.open_socket(socket.SOCK_DGRAM, address)
        except OSError as exc:
            return fail(Error.ERR_CANT_CREATE, f"Unable to create the UDP socket: {exc}.")
        self._apply_broadcast()
        return _OK

    def _apply_broadcast(self) -> None:
        sock = self._sock
        if sock is None or (sock.family == socket.AF_INET6 and not _net.is_dual_stack(sock)):
            return  # IPv6 has no broadcast.
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1 if self._broadcast else 0)
        except OSError:
            push_error("Unable to change broadcast setting")

    def _poll(self) -> Error:
        sock = self._sock
        if sock is None:
            return Error.FAILED
        if self._server is not None:
            return _OK  # The server's poll() fills our queue.
        connected = self._connected
        for _ in range(MAX_DATAGRAMS_PER_POLL):
            try:
                if connected:
                    data = sock.recv(_net.MAX_DATAGRAM_SIZE)
                    address, port = self._peer_addr, self._peer_port
                else:
                    data, addr = sock.recvfrom(_net.MAX_DATAGRAM_SIZE)
                    address, port = _net.peer_address(addr)
            except BlockingIOError:
                break
            except (ConnectionRefusedError, ConnectionResetError):
                continue  # ICMP "port unreachable" for an earlier send: not a receive error.
            except OSError:
                return Error.FAILED
            self._store_packet(address, port, data)
        return _OK

    # -- PacketPeer hooks ----------------------------------------------------------------------

    def _get_packet(self) -> tuple[Error, bytes]:
        err = self._poll()
        if err != _OK:
            return err, b""
        if not self._queue:
            return Error.ERR_UNAVAILABLE, b""
        address, port, data = self._queue.popleft()
        self._queued_bytes -= PACKET_HEADER_SIZE + len(data)
        self._packet_ip = address
        self._packet_port = port
        return _OK, data

    def _put_packet(self, data: bytes) -> Error:
        if not self._peer_addr.is_valid():
            return fail(Error.ERR_UNCONFIGURED, 'Condition "!peer_addr.is_valid()" is true.')
        if self._sock is None:
            err = self._open(self._peer_addr)
            if err != _OK:
                return err
        sock = self._sock
        assert sock is not None
        use_send = self._connected and self._server is None
        if not use_send and not _net.can_use_ip(sock, self._peer_addr, False):
            return fail(Error.FAILED, "The destination address does not fit the socket type.")
        target = _net.sockaddr(sock, self._peer_addr, self._peer_port)
        while True:
            try:
                if use_send:
                    sock.send(data)
                else:
                    sock.sendto(data, target)
                return _OK
            except BlockingIOError:
                if not self._blocking:
                    return Error.ERR_BUSY
                try:
                    _net.wait(sock, readable=False, writable=True, timeout=None)
                except (OSError, ValueError):
                    return Error.FAILED
            except (OSError, OverflowError):
                return Error.FAILED

    def _get_available_packet_count(self) -> int:
        if self._poll() != _OK:
            return -1
        return len(self._queue)

    def _get_max_packet_size(self) -> int:
        return _UDP_MAX_PACKET_SIZE

    # -- Godot API -----------------------------------------------------------------------------

    def bind(self, port: int, bind_address: str = "*", recv_buf_size: int = 65536) -> Error:
        """Bind to ``bind_address:port`` (``"*"`` = every address of both IP versions)."""
        _net.check_int("port", port)
        _net.check_str("bind_address", bind_address)
        _net.check_int("recv_buf_size", recv_buf_size)
        if self._sock is not None:
            return fail(Error.ERR_ALREADY_IN_USE, 'Condition "_sock->is_open()" is true.')
        address = IPAddress.parse(bind_address)
        if address is None:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid bind address: '{bind_address}'.")
        if not 0 <= port <= 65535:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                "The local port number must be between 0 and 65535 (inclusive).",
            )
        if recv_buf_size < 0:
            return fail(Error.ERR_INVALID_PARAMETER, "recv_buf_size must not be negative.")
        err = self._open(address)
        if err != _OK:
            return err
        sock = self._sock
        assert sock is not None
        try:
            sock.bind(_net.sockaddr(sock, address, port))
        except OSError as exc:
            self._sock = None
            sock.close()
            return fail(Error.ERR_UNAVAILABLE, f"Failed to bind socket: {exc}.")
        self._ring_size = _ring_size_for(recv_buf_size)
        return _OK

    def close(self) -> None:
        """Close the socket (a server-owned peer detaches from its server)."""
        server = self._server
        if server is not None:
            server._remove_peer(self._peer_addr, self._peer_port)
            self._server = None
            self._sock = None
        else:
            _net.close_quietly(self._sock)
            self._sock = None
        self._ring_size = DEFAULT_RING_SIZE
        self._queue.clear()
        self._queued_bytes = 0
        self._connected = False

    def wait(self) -> Error:
        """Block until a datagram can be read."""
        sock = self._sock
        if sock is None:
            return fail(Error.ERR_UNCONFIGURED, "Socket is not open.")
        if self._queue:
            return _OK
        try:
            _net.wait(sock, readable=True, writable=False, timeout=None)
        except (OSError, ValueError):
            return Error.FAILED
        return _OK

    def is_bound(self) -> bool:
        return self._sock is not None

    def connect_to_host(self, host: str, port: int) -> Error:
        """Only exchange datagrams with ``host:port`` (an IP address; no DNS here)."""
        _net.check_str("host", host)
        _net.check_int("port", port)
        if self._server is not None:
            return fail(Error.ERR_LOCKED, 'Condition "udp_server" is true.')
        address = IPAddress.parse(host)
        if address is None or not address.is_valid():
            return fail(Error.ERR_INVALID_PARAMETER, 'Condition "!p_host.is_valid()" is true.')
        if not 1 <= port <= 65535:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                "The remote port number must be between 1 and 65535 (inclusive).",
            )
        if self._sock is None:
            try:
                self._sock = _net.open_socket(socket.SOCK_DGRAM, address)
            except OSError as exc:
                return fail(Error.ERR_CANT_OPEN, f"Unable to create the UDP socket: {exc}.")
        sock = self._sock
        try:
            if not _net.can_use_ip(sock, address, False):
                raise OSError("address family does not fit the socket")
            sock.connect(_net.sockaddr(sock, address, port))
        except OSError:
            self.close()
            return fail(Error.FAILED, "Unable to connect")
        self._connected = True
        self._peer_addr = address
        self._peer_port = port
        self._queue.clear()  # Drop datagrams queued from other senders.
        self._queued_bytes = 0
        return _OK

    def is_socket_connected(self) -> bool:
        return self._connected

    def get_packet_ip(self) -> str:
        """Address of the sender of the last packet returned (``""`` before any)."""
        return str(self._packet_ip)

    def get_packet_port(self) -> int:
        return self._packet_port

    def get_local_port(self) -> int:
        """The bound local port (0 with an error print when there is no socket)."""
        if self._sock is None:
            return fail(0, "Socket is not open.")
        return _net.local_port(self._sock)

    def set_dest_address(self, host: str, port: int) -> Error:
        """Where ``put_packet`` sends; a host name is resolved (blocking, cached)."""
        _net.check_str("host", host)
        _net.check_int("port", port)
        address = IPAddress.parse(host)
        if address is None or address.is_wildcard():
            found = IP.get_singleton()._resolve_addresses(host) if host else []
            if not found:
                return Error.ERR_CANT_RESOLVE
            address = found[0]
        if not 0 <= port <= 65535:
            return fail(Error.ERR_INVALID_PARAMETER, "The port must be between 0 and 65535.")
        if self._connected:
            # Godot refuses with an error print but the script call still returns OK (Q17).
            push_error("Destination address cannot be set for connected sockets")
            return _OK
        self._peer_addr = address
        self._peer_port = port
        return _OK

    def set_broadcast_enabled(self, enabled: bool) -> None:
        """Allow sending to broadcast addresses (off by default; IPv4 only)."""
        if self._server is not None:
            push_error('Condition "udp_server" is true.')
            return
        self._broadcast = bool(enabled)
        self._apply_broadcast()

    def join_multicast_group(self, multicast_address: str, interface_name: str) -> Error:
        """Join a multicast group on the named interface (opens the socket if needed)."""
        return self._change_multicast_group(multicast_address, interface_name, True)

    def leave_multicast_group(self, multicast_address: str, interface_name: str) -> Error:
        """Leave a multicast group joined with ``join_multicast_group``."""
        return self._change_multicast_group(multicast_address, interface_name, False)

    def _change_multicast_group(self, group: str, interface_name: str, add: bool) -> Error:
        _net.check_str("multicast_address", group)
        _net.check_str("interface_name", interface_name)
        if self._server is not None:
            return fail(Error.ERR_LOCKED, 'Condition "udp_server" is true.')
        address = IPAddress.parse(group)
        if address is None or not address.is_valid():
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid multicast address: '{group}'.")
        if self._sock is None:
            if not add:
                return fail(Error.ERR_UNCONFIGURED, "Socket is not open.")
            err = self._open(address)
            if err != _OK:
                return err
        sock = self._sock
        assert sock is not None
        if not _net.can_use_ip(sock, address, False):
            return fail(Error.ERR_INVALID_PARAMETER, "The group does not fit the socket type.")
        interface = next(
            (i for i in IP.get_singleton().get_local_interfaces() if i["name"] == interface_name),
            None,
        )
        try:
            if address.is_ipv4():
                v4 = [a for a in (interface or {}).get("addresses", []) if "." in a]
                if not v4:
                    return fail(Error.ERR_INVALID_PARAMETER, "No IPv4 address on the interface.")
                local = IPAddress.parse(v4[0])
                assert local is not None
                mreq = address.packed[12:] + local.packed[12:]
                option = socket.IP_ADD_MEMBERSHIP if add else socket.IP_DROP_MEMBERSHIP
                sock.setsockopt(socket.IPPROTO_IP, option, mreq)
            else:
                index = int(interface["index"]) if interface else 0
                mreq = address.packed + struct.pack("@I", index)
                option = socket.IPV6_JOIN_GROUP if add else socket.IPV6_LEAVE_GROUP
                sock.setsockopt(socket.IPPROTO_IPV6, option, mreq)
        except OSError as exc:
            return fail(Error.FAILED, f"Unable to change the multicast group: {exc}.")
        return _OK
