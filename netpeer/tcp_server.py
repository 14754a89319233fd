"""``TCPServer``: a listening TCP socket that hands out connected ``StreamPeerTCP`` peers.

Nothing happens in the background: ``is_connection_available()`` is a zero-timeout
readability check on the listening socket and ``take_connection()`` accepts one connection
(status CONNECTED from the start). ``"*"`` listens dual-stack (IPv6 with IPv4-mapped
addresses), port 0 picks a free port (``get_local_port()``), and a busy port gives
``ERR_ALREADY_IN_USE`` (Q16). ``stop()`` closes only the listening socket; peers already
taken keep their connections.

Godot: core/io/tcp_server.cpp, drivers/unix/net_socket_posix.cpp.
"""

from __future__ import annotations

import socket
import sys

from engine.core.error import Error
from engine.core.messages import fail
from engine.core.ref_counted import RefCounted
from netpeer import _net
from netpeer._ip_address import IPAddress
from netpeer.stream_peer_tcp import StreamPeerTCP


class TCPServer(RefCounted):
    """A TCP server: listen on a port and take incoming connections."""

    def __init__(self) -> None:
        super().__init__()
        self._sock: socket.socket | None = None
        self._poller: _net.Poller | None = None

    def __del__(self) -> None:
        _net.close_quietly(getattr(self, "_sock", None))

    def listen(self, port: int, bind_address: str = "*") -> Error:
        """Listen on ``port`` (0 = any free port) of ``bind_address`` (``"*"`` = all)."""
        _net.check_int("port", port)
        _net.check_str("bind_address", bind_address)
        if self._sock is not None:
            return fail(Error.ERR_ALREADY_IN_USE, "Server is already listening.")
        if not 0 <= port <= 65535:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                "The local port number must be between 0 and 65535 (inclusive).",
            )
        address = IPAddress.parse(bind_address)
        if address is None:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid bind address: '{bind_address}'.")
        try:
            sock = _net.open_socket(socket.SOCK_STREAM, address)
        except OSError as exc:
            return fail(Error.ERR_CANT_CREATE, f"Unable to create the server socket: {exc}.")
        if sys.platform != "win32":  # On Windows SO_REUSEADDR would allow port stealing.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(_net.sockaddr(sock, address, port))
        except OSError as exc:
            sock.close()
            return fail(Error.ERR_ALREADY_IN_USE, f"Failed to bind the server socket: {exc}.")
        try:
            sock.listen(_net.LISTEN_BACKLOG)
        except OSError as exc:
            sock.close()
            return fail(Error.FAILED, f"Failed to listen: {exc}.")
        self._sock = sock
        self._poller = _net.Poller(sock)
        return Error.OK

    def is_listening(self) -> bool:
        return self._sock is not None

    def is_connection_available(self) -> bool:
        """True if ``take_connection()`` has a connection to return right now."""
        poller = self._poller
        return poller is not None and poller.readable()

    def take_connection(self) -> StreamPeerTCP | None:
        """Accept one pending connection (CONNECTED), or ``None`` if there is none."""
        sock = self._sock
        if sock is None or not self.is_connection_available():
            return None
        try:
            conn, addr = sock.accept()
        except OSError:  # Gone between the check and accept(), or out of descriptors.
            return None
        host, port = _net.peer_address(addr)
        return StreamPeerTCP._from_accepted(conn, host, port)

    def get_local_port(self) -> int:
        """The port the server listens on (0 when not listening)."""
        return _net.local_port(self._sock)

    def stop(self) -> None:
        """Stop listening; connections already taken stay open."""
        _net.close_quietly(self._sock)
        self._sock = None
        self._poller = None
