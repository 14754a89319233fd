"""``UDPServer``: one UDP socket, one ``PacketPeerUDP`` per remote address.

Theory of operation
-------------------
``poll()`` drains the socket. A datagram from an address:port already known (a taken or a
pending peer) is queued on that peer; one from a new address:port creates a *pending* peer,
unless ``max_pending_connections`` peers are already pending, in which case the datagram is
dropped. ``take_connection()`` moves the oldest pending peer to the active set and returns
it. Every peer shares the server socket: it only receives when the server polls, and its
``put_packet`` sends from the server's port. ``stop()`` closes the socket, detaches the
taken peers (they become unbound) and forgets the pending ones.

Lowering ``max_pending_connections`` trims the newest pending peers; Godot 4.2 inverts the
test (raising the limit drops every pending peer, lowering it trims nothing, Q18), which we
fix (a row in docs/godot-differences.md).

Godot: core/io/udp_server.cpp.
"""

from __future__ import annotations

import socket
import sys

from engine.core.error import Error
from engine.core.messages import fail, push_error
from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted
from netpeer import _net
from netpeer._ip_address import IPAddress
from netpeer.packet_peer_udp import MAX_DATAGRAMS_PER_POLL, PacketPeerUDP

MAX_PENDING_CONNECTIONS_DEFAULT = 16

_Key = tuple[bytes, int]


class UDPServer(RefCounted):
    """Helper class to implement a UDP server on top of ``PacketPeerUDP``."""

    def __init__(self) -> None:
        super().__init__()
        self._sock: socket.socket | None = None
        self._peers: dict[_Key, PacketPeerUDP] = {}
        self._pending: dict[_Key, PacketPeerUDP] = {}  # Insertion order = arrival order.
        self._max_pending_connections = MAX_PENDING_CONNECTIONS_DEFAULT

    def __del__(self) -> None:
        _net.close_quietly(getattr(self, "_sock", None))

    def listen(self, port: int, bind_address: str = "*") -> Error:
        """Bind the server socket to ``bind_address:port`` (``"*"`` = all, port 0 = any)."""
        _net.check_int("port", port)
        _net.check_str("bind_address", bind_address)
        if self._sock is not None:
            return fail(Error.ERR_ALREADY_IN_USE, "Server is already listening.")
        address = IPAddress.parse(bind_address)
        if address is None:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid bind address: '{bind_address}'.")
        if not 0 <= port <= 65535:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                "The local port number must be between 0 and 65535 (inclusive).",
            )
        try:
            sock = _net.open_socket(socket.SOCK_DGRAM, address)
        except OSError as exc:
            return fail(Error.ERR_CANT_CREATE, f"Unable to create the UDP socket: {exc}.")
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(_net.sockaddr(sock, address, port))
        except OSError as exc:
            sock.close()
            self.stop()
            return fail(Error.ERR_UNAVAILABLE, f"Failed to bind socket: {exc}.")
        self._sock = sock
        return Error.OK

    def poll(self) -> Error:
        """Read every waiting datagram and route it to its peer (call it every frame)."""
        sock = self._sock
        if sock is None:
            return Error.ERR_UNCONFIGURED
        for _ in range(MAX_DATAGRAMS_PER_POLL):
            try:
                data, addr = sock.recvfrom(_net.MAX_DATAGRAM_SIZE)
            except BlockingIOError:
                break
            except (ConnectionRefusedError, ConnectionResetError):
                continue  # ICMP error for an earlier sendto: not a receive failure.
            except OSError:
                return Error.FAILED
            address, port = _net.peer_address(addr)
            key = (address.packed, port)
            peer = self._peers.get(key)
            if peer is None:
                peer = self._pending.get(key)
            if peer is None:
                if len(self._pending) >= self._max_pending_connections:
                    continue  # Too many strangers waiting: drop the datagram.
                peer = PacketPeerUDP()
                peer._connect_shared_socket(sock, address, port, self)
                self._pending[key] = peer
            peer._store_packet(address, port, data)
        return Error.OK

    def is_connection_available(self) -> bool:
        """True if a new peer is waiting to be taken."""
        return self._sock is not None and bool(self._pending)

    def take_connection(self) -> PacketPeerUDP | None:
        """The oldest pending peer (now active), or ``None``."""
        if not self.is_connection_available():
            return None
        key = next(iter(self._pending))
        peer = self._pending.pop(key)
        self._peers[key] = peer
        return peer

    def get_local_port(self) -> int:
        """The bound port (0 when not listening)."""
        return _net.local_port(self._sock)

    def is_listening(self) -> bool:
        return self._sock is not None

    def stop(self) -> None:
        """Close the socket; taken peers are detached, pending ones dropped."""
        _net.close_quietly(self._sock)
        self._sock = None
        peers = list(self._peers.values()) + list(self._pending.values())
        self._peers.clear()
        self._pending.clear()
        for peer in peers:
            peer._disconnect_shared_socket()

    def set_max_pending_connections(self, max_pending_connections: int) -> None:
        """Limit peers waiting in ``take_connection``; 0 refuses new peers."""
        value = max_pending_connections
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected int, got {type(value).__name__}")
        if value < 0:
            push_error(
                "Max pending connections value must be a positive number "
                "(0 means refuse new connections)."
            )
            return
        self._max_pending_connections = value
        while len(self._pending) > value:  # Godot 4.2 tests the other way round (Q18).
            key = next(reversed(self._pending))
            self._pending.pop(key)._disconnect_shared_socket()

    def get_max_pending_connections(self) -> int:
        return self._max_pending_connections

    def _remove_peer(self, address: IPAddress, port: int) -> None:
        self._peers.pop((address.packed, port), None)

    max_pending_connections = GodotProperty(
        get_max_pending_connections,
        set_max_pending_connections,
        default=MAX_PENDING_CONNECTIONS_DEFAULT,
    )
