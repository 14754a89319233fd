"""``StreamPeerTCP``: a non-blocking TCP connection with Godot's status machine.

Theory of operation
-------------------
The status only changes inside ``poll()`` and the I/O calls, never behind the caller's back
(spec §7, Q15)::

    NONE --connect_to_host--> CONNECTING --poll: connected--> CONNECTED
                                  |  poll: refused / timeout / DNS failure --> ERROR
    CONNECTED --poll or read: orderly FIN--> NONE      (reads give ERR_FILE_EOF)
    CONNECTED --poll or I/O: reset / socket error--> ERROR
    any --disconnect_from_host--> NONE

ERROR is sticky: ``connect_to_host`` answers ``ERR_ALREADY_IN_USE`` until
``disconnect_from_host()`` resets the peer, exactly like Godot.

Host names do not freeze the frame: where Godot 4.2 calls ``getaddrinfo`` inside
``connect_to_host``, we hand the name to ``IP``'s background resolver and stay CONNECTING
until the answer arrives (a cached answer is used at once). The lookup is a private item
outside the 256 public queue slots, owned by the peer alone: a peer dropped or disconnected
mid-lookup just lets go of it, so no slot can leak. Every address the name resolves
to is tried in turn before the peer gives up. The connect timeout
(``CONNECT_TIMEOUT_SECONDS``, Godot's ``network/limits/tcp/connect_timeout_seconds``)
covers resolution and connection and is measured on an injectable clock.

The non-blocking paths (``poll``, ``_get_partial_data``, ``_put_partial_data``) are what the
TLS and WebSocket shells call every frame, so they are one system call each where possible:
``poll()`` on a quiet connection costs a single zero-timeout ``poll(2)``.

Godot: core/io/stream_peer_tcp.cpp, drivers/unix/net_socket_posix.cpp.
"""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Callable
from enum import IntEnum

from engine.core.error import Error
from engine.core.messages import fail, push_error
from netpeer import _net
from netpeer._ip_address import INVALID, IPAddress
from netpeer.ip import IP, _QueueItem
from netpeer.stream_peer import StreamPeer

CONNECT_TIMEOUT_SECONDS = 30.0
"""Godot's ``network/limits/tcp/connect_timeout_seconds`` default."""

MAX_READ_CHUNK = 1 << 20
"""Largest single ``recv`` (partial reads return at most this much at once)."""

_OK = Error.OK
_FAILED = Error.FAILED
_EOF = Error.ERR_FILE_EOF
_SEND_FLAGS = _net.send_flags(socket.SOCK_STREAM)
_NOT_HOSTNAME = frozenset(" \t\r\n\x00/\\:*[]")


class StreamPeerTCP(StreamPeer):
    """A stream peer that handles TCP connections (client side, or taken from a TCPServer)."""

    class Status(IntEnum):
        STATUS_NONE = 0
        STATUS_CONNECTING = 1
        STATUS_CONNECTED = 2
        STATUS_ERROR = 3

    STATUS_NONE = Status.STATUS_NONE
    STATUS_CONNECTING = Status.STATUS_CONNECTING
    STATUS_CONNECTED = Status.STATUS_CONNECTED
    STATUS_ERROR = Status.STATUS_ERROR

    def __init__(self, *, _now: Callable[[], float] | None = None) -> None:
        super().__init__()
        self._now: Callable[[], float] = _now or time.monotonic
        self._connect_timeout = CONNECT_TIMEOUT_SECONDS
        self._sock: socket.socket | None = None
        self._poller: _net.Poller | None = None
        self._status = StreamPeerTCP.STATUS_NONE
        self._peer_host: IPAddress = INVALID
        self._peer_port = 0
        self._deadline = 0.0
        self._bound = False
        self._lookup: _QueueItem | None = None
        self._candidates: list[IPAddress] = []
        self._peek = bytearray(1)

    def __del__(self) -> None:
        _net.close_quietly(getattr(self, "_sock", None))

    # -- Python-only helpers -------------------------------------------------------------------

    def _set_clock(self, now: Callable[[], float]) -> None:
        """Measure the connect timeout on ``now`` (seconds, monotonic) instead of real time."""
        self._now = now

    def _set_connect_timeout(self, seconds: float) -> None:
        """Change this peer's connect timeout (``CONNECT_TIMEOUT_SECONDS`` by default)."""
        self._connect_timeout = float(seconds)

    @classmethod
    def _from_accepted(cls, sock: socket.socket, host: IPAddress, port: int) -> StreamPeerTCP:
        """Wrap a socket returned by ``accept()``: the peer starts CONNECTED (TCPServer)."""
        peer = cls()
        sock.setblocking(False)
        peer._attach(sock)
        peer._status = StreamPeerTCP.STATUS_CONNECTED
        peer._peer_host = host
        peer._peer_port = port
        return peer

    def _wait(self, readable: bool, writable: bool, timeout: float | None) -> Error:
        """Block until the socket is readable/writable: OK, ``ERR_BUSY`` on timeout."""
        if self._sock is None:
            return fail(Error.ERR_UNAVAILABLE, "Socket is not open.")
        try:
            ready = _net.wait(self._sock, readable, writable, timeout)
        except (OSError, ValueError):
            return _FAILED
        return _OK if ready else Error.ERR_BUSY

    def _attach(self, sock: socket.socket) -> None:
        self._sock = sock
        self._poller = _net.Poller(sock)

    def _close_socket(self) -> None:
        _net.close_quietly(self._sock)
        self._sock = None
        self._poller = None
        self._bound = False

    def _fail(self) -> None:
        """Godot's ``disconnect_from_host(); status = STATUS_ERROR``."""
        self.disconnect_from_host()
        self._status = StreamPeerTCP.STATUS_ERROR

    # -- Godot API -----------------------------------------------------------------------------

    def bind(self, port: int, host: str = "*") -> Error:
        """Open the socket and bind it to ``host:port`` before connecting (rarely needed)."""
        _net.check_int("port", port)
        _net.check_str("host", host)
        if self._sock is not None:
            return fail(Error.ERR_ALREADY_IN_USE, 'Condition "_sock->is_open()" is true.')
        if not 0 <= port <= 65535:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                "The local port number must be between 0 and 65535 (inclusive).",
            )
        address = IPAddress.parse(host)
        if address is None:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid bind address: '{host}'.")
        try:
            sock = _net.open_socket(socket.SOCK_STREAM, address)
        except OSError as exc:
            return fail(Error.ERR_CANT_CREATE, f"Unable to create the TCP socket: {exc}.")
        try:
            sock.bind(_net.sockaddr(sock, address, port))
        except OSError as exc:
            sock.close()
            return fail(Error.ERR_UNAVAILABLE, f"Failed to bind socket: {exc}.")
        self._attach(sock)
        self._bound = True
        return _OK

    def connect_to_host(self, host: str, port: int) -> Error:
        """Start connecting to ``host:port``; a host name is resolved in the background.

        Returns OK with status CONNECTING (or CONNECTED); call ``poll()`` until it settles.
        """
        _net.check_str("host", host)
        _net.check_int("port", port)
        address = IPAddress.parse(host)
        if address is None or address.is_wildcard():
            if not host or len(host) > 253 or any(c in _NOT_HOSTNAME for c in host):
                return fail(Error.ERR_CANT_RESOLVE, f"Can't resolve host name '{host}'.")
            address = None
        if self._status != StreamPeerTCP.STATUS_NONE:
            return fail(Error.ERR_ALREADY_IN_USE, 'Condition "status != STATUS_NONE" is true.')
        if not 1 <= port <= 65535:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                "The remote port number must be between 1 and 65535 (inclusive).",
            )
        self._deadline = self._now() + self._connect_timeout
        self._peer_port = port
        if address is not None:
            return self._connect_first([address], from_poll=False)
        self._lookup = lookup = IP.get_singleton()._lookup_later(host)
        self._status = StreamPeerTCP.STATUS_CONNECTING
        if lookup.status == IP.RESOLVER_STATUS_DONE:
            return self._resolved(lookup)  # Cached: connect right away, like an IP literal.
        return _OK

    def poll(self) -> Error:
        """Update the status from the socket; see the module docstring for the transitions."""
        status = self._status
        if status is StreamPeerTCP.STATUS_CONNECTED:
            poller = self._poller
            sock = self._sock
            assert poller is not None and sock is not None
            if not poller.readable():
                return _OK
            try:
                received = sock.recv_into(self._peek, 1, socket.MSG_PEEK)
            except BlockingIOError:
                return _OK
            except OSError:
                self._fail()
                return Error.ERR_CONNECTION_ERROR
            if received == 0:  # FIN: the remote side closed cleanly.
                self.disconnect_from_host()
            return _OK
        if status is StreamPeerTCP.STATUS_CONNECTING:
            return self._poll_connecting()
        return _OK

    def get_status(self) -> StreamPeerTCP.Status:
        """The status as of the last ``poll()`` or I/O call."""
        return self._status

    def get_connected_host(self) -> str:
        """The remote IP in Godot's text form, ``""`` when not connected."""
        return str(self._peer_host)

    def get_connected_port(self) -> int:
        return self._peer_port

    def get_local_port(self) -> int:
        """The local port of the socket (0 with an error print when there is no socket)."""
        if self._sock is None:
            return fail(0, "Socket is not open.")
        return _net.local_port(self._sock)

    def disconnect_from_host(self) -> None:
        """Close the connection: status NONE, host ``""``, port 0."""
        self._lookup = None
        self._close_socket()
        self._candidates = []
        self._deadline = 0.0
        self._status = StreamPeerTCP.STATUS_NONE
        self._peer_host = INVALID
        self._peer_port = 0

    def set_no_delay(self, enabled: bool) -> None:
        """Enable TCP_NODELAY (send at once) or Nagle's algorithm (the default)."""
        if self._sock is None:
            push_error('Condition "!_sock.is_valid() || !_sock->is_open()" is true.')
            return
        try:
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if enabled else 0)
        except OSError:
            push_error("Unable to set TCP no delay option")

    # -- connecting ----------------------------------------------------------------------------

    def _resolved(self, lookup: _QueueItem) -> Error:
        addresses = list(lookup.addresses)
        self._lookup = None
        if self._sock is not None:  # bind() chose the family already.
            addresses = [a for a in addresses if _net.can_use_ip(self._sock, a, False)]
        if not addresses:
            self._fail()
            return fail(Error.ERR_CANT_RESOLVE, "No usable address for the host name.")
        return self._connect_first(addresses, from_poll=True)

    def _connect_first(self, addresses: list[IPAddress], from_poll: bool) -> Error:
        """Try ``addresses`` in order until one connects or is in progress."""
        while addresses:
            address = addresses.pop(0)
            self._candidates = addresses
            code = self._start_connect(address)
            if code == 0:
                self._status = StreamPeerTCP.STATUS_CONNECTED
                return _OK
            if code == errno.EINPROGRESS:
                self._status = StreamPeerTCP.STATUS_CONNECTING
                return _OK
            if self._bound:
                break  # A bound socket cannot be reopened for another address.
            self._close_socket()
        push_error("Connection to remote host failed!")
        if from_poll:
            self._fail()
            return Error.ERR_CONNECTION_ERROR
        self.disconnect_from_host()
        return _FAILED

    def _start_connect(self, address: IPAddress) -> int:
        self._peer_host = address
        if self._sock is None:
            try:
                self._attach(_net.open_socket(socket.SOCK_STREAM, address))
            except OSError as exc:
                return exc.errno or errno.EAFNOSUPPORT
        assert self._sock is not None
        if not _net.can_use_ip(self._sock, address, False):
            return errno.EAFNOSUPPORT
        try:
            return _net.start_connect(self._sock, address, self._peer_port)
        except OSError as exc:
            return exc.errno or errno.ECONNREFUSED

    def _poll_connecting(self) -> Error:
        lookup = self._lookup
        if lookup is not None:
            resolve_status = lookup.status
            if resolve_status == IP.RESOLVER_STATUS_DONE:
                return self._resolved(lookup)
            if resolve_status != IP.RESOLVER_STATUS_WAITING:
                self._fail()
                return Error.ERR_CANT_RESOLVE
            if self._now() > self._deadline:
                self._fail()
                return Error.ERR_CONNECTION_ERROR
            return _OK
        assert self._sock is not None
        try:
            code = _net.connect_result(self._sock)
        except OSError as exc:
            code = exc.errno or errno.ECONNREFUSED
        if code == 0:
            self._status = StreamPeerTCP.STATUS_CONNECTED
            return _OK
        if code == errno.EINPROGRESS:
            if self._now() > self._deadline:
                self._fail()
                return Error.ERR_CONNECTION_ERROR
            return _OK
        if self._candidates and not self._bound:
            self._close_socket()
            return self._connect_first(self._candidates, from_poll=True)
        self._fail()
        return Error.ERR_CONNECTION_ERROR

    # -- StreamPeer hooks ----------------------------------------------------------------------

    def _io_error(self) -> None:
        # A reset or other socket error while connected: the peer ends in STATUS_ERROR.
        self._fail()

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        if self._status is not StreamPeerTCP.STATUS_CONNECTED:
            return _FAILED, 0
        sock = self._sock
        assert sock is not None
        try:
            return _OK, sock.send(data, _SEND_FLAGS)
        except BlockingIOError:
            return _OK, 0
        except OSError:
            self._io_error()
            return _FAILED, 0

    def _put_data(self, data: bytes) -> Error:
        if self._status is not StreamPeerTCP.STATUS_CONNECTED:
            return _FAILED
        sock = self._sock
        assert sock is not None
        view = memoryview(data)
        total = len(data)
        offset = 0
        while offset < total:
            try:
                offset += sock.send(view[offset:], _SEND_FLAGS)
            except BlockingIOError:
                try:
                    _net.wait(sock, readable=False, writable=True, timeout=None)
                except (OSError, ValueError):
                    self._io_error()
                    return _FAILED
            except OSError:
                self._io_error()
                return _FAILED
        return _OK

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        if self._status is not StreamPeerTCP.STATUS_CONNECTED:
            return _FAILED, b""
        sock = self._sock
        poller = self._poller
        assert sock is not None and poller is not None
        if not poller.readable():  # poll(2) is much cheaper than a recv raising EAGAIN
            return _OK, b""
        try:
            data = sock.recv(n if n <= MAX_READ_CHUNK else MAX_READ_CHUNK)
        except BlockingIOError:
            return _OK, b""
        except OSError:
            self._io_error()
            return _FAILED, b""
        if not data:
            self.disconnect_from_host()
            return _EOF, b""
        return _OK, data

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        if self._status is not StreamPeerTCP.STATUS_CONNECTED:
            return _FAILED, b""
        sock = self._sock
        assert sock is not None
        chunks: list[bytes] = []
        remaining = n
        while remaining:
            try:
                chunk = sock.recv(remaining if remaining <= MAX_READ_CHUNK else MAX_READ_CHUNK)
            except BlockingIOError:
                try:
                    _net.wait(sock, readable=True, writable=False, timeout=None)
                except (OSError, ValueError):
                    self._io_error()
                    return _FAILED, b"".join(chunks)
                continue
            except OSError:
                self._io_error()
                return _FAILED, b"".join(chunks)
            if not chunk:
                self.disconnect_from_host()
                return _EOF, b"".join(chunks)
            chunks.append(chunk)
            remaining -= len(chunk)
        return _OK, chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _get_available_bytes(self) -> int:
        if self._sock is None:
            return fail(-1, 'Condition "!_sock.is_valid()" is true. Returning: -1')
        return _net.available_bytes(self._sock)
