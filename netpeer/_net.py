"""Low-level socket plumbing shared by the TCP and UDP classes (Godot's ``NetSocket``).

This is the one place that creates sockets and sets their options, so every shell gets the
same choices Godot makes in ``drivers/unix/net_socket_posix.cpp``:

* ``"*"`` (the wildcard) opens one dual-stack IPv6 socket (``IPV6_V6ONLY`` off) that also
  carries IPv4 as IPv4-mapped addresses; a specific address opens a socket of its own family
  with ``IPV6_V6ONLY`` on. Where the host has no IPv6 at all, the wildcard falls back to IPv4.
* Every socket is non-blocking. Blocking operations wait with ``poll()``/``select()``.
* An IPv4 address can be used on a dual-stack IPv6 socket (as ``::ffff:a.b.c.d``) but not on
  a v6-only one, and an IPv6 address never on an IPv4 socket (``_can_use_ip``).

Nothing here logs or returns ``Error``: callers decide what a failure means for them. The
argument checks raise ``TypeError`` for wrong Python types, like every public method.
"""

from __future__ import annotations

import errno
import select
import socket
import sys

from netpeer._ip_address import IPAddress

LISTEN_BACKLOG = min(128, socket.SOMAXCONN)
"""``TCPServer`` listen backlog. Godot uses 8 (``MAX_PENDING_CONNECTIONS``), which overflows
when many clients connect at once (a reconnect storm); see docs/godot-differences.md."""

MAX_DATAGRAM_SIZE = 65536
"""Size of the buffer one datagram is received into (Godot's ``recv_buffer``)."""

_WOULD_BLOCK = (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, errno.EALREADY)
_HAS_POLL = hasattr(select, "poll")
_MSG_NOSIGNAL: int = getattr(socket, "MSG_NOSIGNAL", 0)

try:  # FIONREAD lives in termios on POSIX; Windows has no fcntl.
    import fcntl
    import termios

    _FIONREAD: int | None = termios.FIONREAD
except ImportError:  # pragma: no cover - non-POSIX
    _FIONREAD = None

_ipv6_available: bool | None = None


def ipv6_available() -> bool:
    """True if this host can open IPv6 sockets (checked once)."""
    global _ipv6_available
    if _ipv6_available is None:
        try:
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).close()
            _ipv6_available = socket.has_ipv6
        except OSError:
            _ipv6_available = False
    return _ipv6_available


def open_socket(kind: socket.SocketKind, address: IPAddress) -> socket.socket:
    """Open a non-blocking socket suited to ``address`` (wildcard = dual stack).

    Raises ``OSError`` when the system refuses to create it.
    """
    if address.is_wildcard():
        if not ipv6_available():
            sock = socket.socket(socket.AF_INET, kind)
        else:
            sock = socket.socket(socket.AF_INET6, kind)
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    elif address.is_ipv4():
        sock = socket.socket(socket.AF_INET, kind)
    else:
        sock = socket.socket(socket.AF_INET6, kind)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    sock.setblocking(False)
    return sock


def is_dual_stack(sock: socket.socket) -> bool:
    if sock.family != socket.AF_INET6:
        return False
    return sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 0


def can_use_ip(sock: socket.socket, address: IPAddress, for_bind: bool) -> bool:
    """Godot's ``NetSocketPosix::_can_use_ip``: may ``address`` be used on ``sock``?"""
    if for_bind and address.is_wildcard():
        return True
    if not address.is_valid():
        return False
    if sock.family == socket.AF_INET:
        return address.is_ipv4()
    if address.is_ipv4():
        return is_dual_stack(sock)
    return True


def sockaddr(sock: socket.socket, address: IPAddress, port: int) -> tuple[str, int]:
    """The Python address tuple for ``address:port`` on ``sock``."""
    return (address.socket_host(sock.family), port)


def local_port(sock: socket.socket | None) -> int:
    """The bound local port, or 0 if there is none."""
    if sock is None:
        return 0
    try:
        port: int = sock.getsockname()[1]
    except OSError:
        return 0
    return port


def peer_address(addr: tuple[object, ...]) -> tuple[IPAddress, int]:
    """Convert a Python socket address tuple to ``(IPAddress, port)``."""
    host = addr[0]
    port = addr[1]
    assert isinstance(host, str) and isinstance(port, int)
    return IPAddress.from_socket_host(host), port


def start_connect(sock: socket.socket, address: IPAddress, port: int) -> int:
    """Begin a non-blocking connect; returns 0 (connected), ``EINPROGRESS`` or an errno."""
    code = sock.connect_ex(sockaddr(sock, address, port))
    if code in _WOULD_BLOCK:
        return errno.EINPROGRESS
    if code == errno.EISCONN:
        return 0
    return code


def connect_result(sock: socket.socket) -> int:
    """Check a connect in progress: 0 done, ``EINPROGRESS`` still waiting, else an errno."""
    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if code:
        return code
    if not wait(sock, readable=False, writable=True, timeout=0.0):
        return errno.EINPROGRESS
    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if code:
        return code
    try:
        sock.getpeername()
    except OSError as exc:
        return exc.errno or errno.ECONNREFUSED
    return 0


def wait(sock: socket.socket, readable: bool, writable: bool, timeout: float | None) -> bool:
    """Wait until ``sock`` is readable/writable (or has an error); False on timeout.

    ``timeout`` is in seconds, ``None`` waits forever. Uses ``poll()`` where the platform has
    it, so descriptors above ``FD_SETSIZE`` work too.
    """
    if _HAS_POLL:
        events = (select.POLLIN if readable else 0) | (select.POLLOUT if writable else 0)
        poller = select.poll()
        poller.register(sock, events)
        ms = None if timeout is None else max(0, int(timeout * 1000 + 0.999))
        return bool(poller.poll(ms))
    rlist = [sock] if readable else []  # pragma: no cover - Windows
    wlist = [sock] if writable else []  # pragma: no cover
    ready = select.select(rlist, wlist, [sock], timeout)  # pragma: no cover
    return any(ready)  # pragma: no cover


class Poller:
    """A zero-timeout readability check for one socket, cheap enough to run every frame."""

    __slots__ = ("_poll", "_sock")

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        if _HAS_POLL:
            self._poll: select.poll | None = select.poll()
            self._poll.register(sock, select.POLLIN)
        else:  # pragma: no cover - Windows
            self._poll = None

    def readable(self) -> bool:
        """True if a read would not block (data, end of stream or an error is pending)."""
        if self._poll is not None:
            return bool(self._poll.poll(0))
        return bool(select.select([self._sock], [], [], 0)[0])  # pragma: no cover


def available_bytes(sock: socket.socket) -> int:
    """Bytes waiting in the receive buffer (``FIONREAD``); 0 if unknown."""
    if _FIONREAD is not None:
        buf = bytearray(4)
        try:
            fcntl.ioctl(sock.fileno(), _FIONREAD, buf)
        except OSError:
            return 0
        return int.from_bytes(buf, sys.byteorder, signed=True)
    try:  # pragma: no cover - Windows
        return len(sock.recv(MAX_DATAGRAM_SIZE, socket.MSG_PEEK))
    except OSError:  # pragma: no cover
        return 0


def send_flags(kind: socket.SocketKind) -> int:
    """Flags for ``send()``: no SIGPIPE on stream sockets."""
    return _MSG_NOSIGNAL if kind == socket.SOCK_STREAM else 0


def is_would_block(exc: OSError) -> bool:
    return isinstance(exc, BlockingIOError) or exc.errno in _WOULD_BLOCK


def close_quietly(sock: socket.socket | None) -> None:
    if sock is not None:
        try:
            sock.close()
        except OSError:
            pass


def check_int(name: str, value: object) -> None:
    """Raise TypeError unless ``value`` is an int (``bool`` is not a port)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def check_str(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
