"""A raw-socket WebSocket peer for hostile tests, plus small helpers shared by the WebSocket
interop suites (tests/interop/test_ws_*.py).

The raw peer speaks hand-built handshakes and frames over a plain non-blocking socket, so a
test can send anything an RFC 6455 peer must survive (reserved bits, bad lengths, bad UTF-8,
broken handshakes) and read back, byte by byte, what our ``WebSocketPeer`` answered. It is
independent of ``netpeer._ws``: frames are built and parsed here with ``struct``.

Everything is single-threaded and deadline-bound: each waiting method takes ``pump`` (usually
our peer's ``poll``) and calls it between socket reads, so our peer progresses while the raw
side waits, and a stuck test fails at the deadline instead of hanging.

Our side of a connection is built the way a Godot user does it: ``WebSocketPeer.connect_to_url``
for a client; ``TCPServer.listen`` / ``take_connection`` / optional ``StreamPeerTLS.accept_stream``
/ ``WebSocketPeer.accept_stream`` for a server (:class:`OurServer`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import socket
import ssl
import struct
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from conftest import wait_until

from engine.core.error import Error
from netpeer._dev_certificate import localhost_key_and_certificate, localhost_pem_paths
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tcp_server import TCPServer
from netpeer.tls_options import TLSOptions
from netpeer.websocket_peer import WebSocketPeer

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
DEADLINE = 10.0

Pump = Callable[[], object]

STATE_CONNECTING = 0
STATE_OPEN = 1
STATE_CLOSING = 2
STATE_CLOSED = 3


def _nothing() -> None:
    return None


# --------------------------------------------------------------------------- frames


def accept_value(key: str | bytes) -> str:
    """Sec-WebSocket-Accept for ``key`` (RFC 6455 §4.2.2)."""
    raw = key.encode("latin-1") if isinstance(key, str) else key
    return base64.b64encode(hashlib.sha1(raw + GUID).digest()).decode("ascii")


def mask_bytes(payload: bytes, key: bytes) -> bytes:
    """XOR ``payload`` with the 4-byte ``key`` (fast path through int arithmetic)."""
    n = len(payload)
    if not n:
        return b""
    reps = key * (n // 4 + 1)
    x = int.from_bytes(payload, "big") ^ int.from_bytes(reps[:n], "big")
    return x.to_bytes(n, "big")


def frame(
    opcode: int,
    payload: bytes = b"",
    *,
    fin: bool = True,
    rsv: int = 0,
    mask: bytes | None = None,
    length_form: int | None = None,
    declared_length: int | None = None,
) -> bytes:
    """One hand-built frame.

    ``rsv`` is the 3 RSV bits as a number (4 = RSV1, 2 = RSV2, 1 = RSV3). ``mask`` masks the
    payload (client frames). ``length_form`` forces the length encoding: 7, 16 or 64 bits
    (None: minimal). ``declared_length`` puts another length in the header than the payload
    really has (lies about the size).
    """
    n = len(payload) if declared_length is None else declared_length
    b0 = (0x80 if fin else 0) | ((rsv & 7) << 4) | (opcode & 0x0F)
    mbit = 0x80 if mask is not None else 0
    form = length_form
    if form is None:
        form = 7 if n < 126 else 16 if n < 65536 else 64
    if form == 7:
        header = bytes((b0, mbit | n))
    elif form == 16:
        header = struct.pack(">BBH", b0, mbit | 126, n)
    else:
        header = struct.pack(">BBQ", b0, mbit | 127, n)
    if mask is None:
        return header + payload
    return header + mask + mask_bytes(payload, mask)


def close_payload(code: int, reason: bytes = b"") -> bytes:
    return struct.pack(">H", code) + reason


@dataclass(frozen=True)
class RawFrame:
    """A frame as read from the wire."""

    fin: bool
    rsv: int
    opcode: int
    masked: bool
    payload: bytes

    @property
    def close_code(self) -> int | None:
        """The status code of a close frame (None if it has no payload)."""
        if self.opcode != 8 or len(self.payload) < 2:
            return None
        return int(struct.unpack(">H", self.payload[:2])[0])

    @property
    def close_reason(self) -> bytes:
        return self.payload[2:]


def parse_frames(buf: bytes | bytearray) -> tuple[list[RawFrame], int]:
    """Every complete frame at the start of ``buf`` and how many bytes they used."""
    frames: list[RawFrame] = []
    pos = 0
    end = len(buf)
    while end - pos >= 2:
        b0, b1 = buf[pos], buf[pos + 1]
        n = b1 & 0x7F
        hdr = 2
        if n == 126:
            if end - pos < 4:
                break
            n = struct.unpack_from(">H", buf, pos + 2)[0]
            hdr = 4
        elif n == 127:
            if end - pos < 10:
                break
            n = struct.unpack_from(">Q", buf, pos + 2)[0]
            hdr = 10
        masked = bool(b1 & 0x80)
        start = pos + hdr + (4 if masked else 0)
        if start + n > end:
            break
        payload = bytes(buf[start : start + n])
        if masked:
            payload = mask_bytes(payload, bytes(buf[start - 4 : start]))
        frames.append(RawFrame(bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, masked, payload))
        pos = start + n
    return frames, pos


# --------------------------------------------------------------------------- raw socket


class RawConn:
    """A non-blocking socket with deadline-bound helpers that pump our peer while waiting."""

    def __init__(self, sock: socket.socket, pump: Pump = _nothing) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.pump = pump
        self.buf = bytearray()
        self.eof = False
        self.reset = False
        self.pending: list[RawFrame] = []

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def start_tls(self, server_side: bool, timeout: float = DEADLINE) -> None:
        """Run a TLS handshake (Python's ssl, dev certificate) over this connection."""
        if server_side:
            key_path, cert_path = localhost_pem_paths()
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert_path, key_path)
            sock = ctx.wrap_socket(self.sock, server_side=True, do_handshake_on_connect=False)
        else:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(localhost_pem_paths()[1])
            sock = ctx.wrap_socket(
                self.sock, server_hostname="localhost", do_handshake_on_connect=False
            )
        self.sock = sock
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock.do_handshake()
                return
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("raw peer: TLS handshake did not finish before the deadline")
            self.pump()
            time.sleep(0.0002)

    def abort(self) -> None:
        """Close with a TCP reset (SO_LINGER 0)."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close()

    def _read_once(self) -> int:
        if self.eof:
            return 0
        try:
            chunk = self.sock.recv(1 << 18)
        except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return 0
        except OSError:  # reset, TLS error: counts as the end of the stream
            self.eof = self.reset = True
            return 0
        if not chunk:
            self.eof = True
            return 0
        self.buf += chunk
        return len(chunk)

    def send_all(self, data: bytes, timeout: float = DEADLINE) -> None:
        """Write all of ``data``, pumping our peer while the socket is full."""
        view = memoryview(data)
        deadline = time.monotonic() + timeout
        while view:
            try:
                sent = self.sock.send(view)
                view = view[sent:]
                continue
            except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"raw peer: could not send {len(view)} bytes before the deadline")
            self.pump()
            self._read_once()
            time.sleep(0.0002)

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
        """Read and pump until ``condition()``; fail at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            self._read_once()
            if condition():
                return
            if time.monotonic() > deadline:
                pytest.fail(f"raw peer: timed out after {timeout} s waiting for {what}")
            self.pump()
            self._read_once()
            if condition():
                return
            time.sleep(0.0002)

    def read_head(self, timeout: float = DEADLINE) -> bytes:
        """The HTTP head (up to and including CRLFCRLF); the rest stays in ``buf``."""
        self.wait(lambda: b"\r\n\r\n" in self.buf or self.eof, "an HTTP head", timeout)
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            pytest.fail(f"raw peer: connection ended before an HTTP head: {bytes(self.buf)!r}")
        head = bytes(self.buf[: end + 4])
        del self.buf[: end + 4]
        return head

    def _parse_pending(self) -> None:
        frames, used = parse_frames(self.buf)
        if used:
            del self.buf[:used]
            self.pending.extend(frames)

    def read_frames(self, count: int = 1, timeout: float = DEADLINE) -> list[RawFrame]:
        """The next ``count`` frames (fails at EOF or the deadline)."""

        def have() -> bool:
            self._parse_pending()
            return len(self.pending) >= count or self.eof

        self.wait(have, f"{count} frame(s)", timeout)
        if len(self.pending) < count:
            pytest.fail(f"raw peer: EOF after {len(self.pending)} of {count} frames")
        out = self.pending[:count]
        del self.pending[:count]
        return out

    def read_until_close(self, timeout: float = DEADLINE) -> list[RawFrame]:
        """Frames up to and including the first close frame (fails if EOF comes first)."""

        def have() -> bool:
            self._parse_pending()
            return any(f.opcode == 8 for f in self.pending) or self.eof

        self.wait(have, "a close frame", timeout)
        for i, f in enumerate(self.pending):
            if f.opcode == 8:
                out = self.pending[: i + 1]
                del self.pending[: i + 1]
                return out
        pytest.fail(f"raw peer: EOF without a close frame; got {self.pending!r}")

    def read_frames_until_eof(self, timeout: float = DEADLINE) -> list[RawFrame]:
        """Every frame until the other side closes the connection."""
        self.wait(lambda: self.eof, "end of stream", timeout)
        self._parse_pending()
        out = self.pending[:]
        self.pending.clear()
        return out

    def read_to_eof(self, timeout: float = DEADLINE) -> bytes:
        """Everything until the other side closes the connection."""
        self.wait(lambda: self.eof, "end of stream", timeout)
        data = bytes(self.buf)
        self.buf.clear()
        return data

    def wait_eof(self, timeout: float = DEADLINE) -> None:
        self.wait(lambda: self.eof, "end of stream", timeout)


# --------------------------------------------------------------------------- handshakes


def request_key(head: bytes) -> str:
    """The Sec-WebSocket-Key of a request head (the last one if repeated)."""
    key = ""
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    return key


def head_headers(head: bytes) -> dict[str, list[str]]:
    """Header name (lower-cased) -> values, in order."""
    out: dict[str, list[str]] = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        out.setdefault(name.strip().lower(), []).append(value.strip())
    return out


def response_101(
    key: str,
    *,
    status_line: str = "HTTP/1.1 101 Switching Protocols",
    accept: str | None = None,
    omit: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> bytes:
    """A server's upgrade response; ``omit`` drops standard headers by lower-case name."""
    skip = {name.lower() for name in omit}
    lines = [status_line]
    for name, value in (
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Accept", accept if accept is not None else accept_value(key)),
    ):
        if name.lower() not in skip:
            lines.append(f"{name}: {value}")
    lines.extend(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def request_upgrade(
    *,
    key: str = "dGhlIHNhbXBsZSBub25jZQ==",
    request_line: str = "GET /chat HTTP/1.1",
    host: str = "127.0.0.1",
    omit: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> bytes:
    """A client's upgrade request; ``omit`` drops standard headers by lower-case name."""
    skip = {name.lower() for name in omit}
    lines = [request_line]
    for name, value in (
        ("Host", host),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", key),
        ("Sec-WebSocket-Version", "13"),
    ):
        if name.lower() not in skip:
            lines.append(f"{name}: {value}")
    lines.extend(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class HostileServer:
    """A listening raw socket (our client connects to it)."""

    def __init__(
        self, host: str = "127.0.0.1", rcvbuf: int | None = None, tls: bool = False
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        if rcvbuf is not None:
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.listener.bind((host, 0))
        self.listener.listen(16)
        self.listener.setblocking(False)
        self.host = host
        self.port: int = self.listener.getsockname()[1]
        self.conns: list[RawConn] = []
        self.tls = tls

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'wss' if self.tls else 'ws'}://{host}:{self.port}"

    def accept(self, pump: Pump, timeout: float = DEADLINE) -> RawConn:
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock, _ = self.listener.accept()
                break
            except (BlockingIOError, InterruptedError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("raw server: no connection before the deadline")
            pump()
            time.sleep(0.0002)
        conn = RawConn(sock, pump)
        self.conns.append(conn)
        if self.tls:
            conn.start_tls(server_side=True)
        return conn

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        self.listener.close()


def raw_client(port: int, pump: Pump, host: str = "127.0.0.1") -> RawConn:
    """A raw client connected to ``host:port`` (our server is pumped while it connects)."""
    sock = socket.create_connection((host, port), timeout=DEADLINE)
    return RawConn(sock, pump)


# --------------------------------------------------------------------------- our peers


_made: list[WebSocketPeer] = []


def our_peer(**properties: object) -> WebSocketPeer:
    """A new WebSocketPeer with the given properties set (Python property names).

    Every peer made here is closed (``close(-1)``) by the ``close_our_peers`` fixture.
    """
    peer = WebSocketPeer()
    _made.append(peer)
    for name, value in properties.items():
        if not hasattr(peer, name):
            pytest.fail(f"WebSocketPeer has no property {name!r}")
        setattr(peer, name, value)
    return peer


def drop_our_peers() -> None:
    """``close(-1)`` every peer made by :func:`our_peer` so far (teardown helper)."""
    while _made:
        _made.pop().close(-1)


@pytest.fixture(autouse=True)
def close_our_peers() -> Iterator[None]:
    """Autouse (import it into a test module): drop every peer the test made with our_peer."""
    yield
    drop_our_peers()


def tls_server_options() -> TLSOptions:
    key, cert = localhost_key_and_certificate()
    return TLSOptions.server(key, cert)


def tls_client_options() -> TLSOptions:
    _, cert = localhost_key_and_certificate()
    return TLSOptions.client(cert)


@dataclass
class OurServer:
    """Godot-style WebSocket server: TCPServer + (StreamPeerTLS) + WebSocketPeer.accept_stream.

    ``pump()`` accepts every waiting connection into a new peer (made by ``make_peer``) and
    polls all peers. Peers stay in ``peers`` in accept order.
    """

    make_peer: Callable[[], WebSocketPeer] = our_peer
    tls: bool = False
    host: str = "127.0.0.1"
    server: TCPServer = field(default_factory=TCPServer)
    peers: list[WebSocketPeer] = field(default_factory=list)
    streams: list[StreamPeerTCP | StreamPeerTLS] = field(default_factory=list)
    raw_clients: list[RawConn] = field(default_factory=list)
    tls_failures: int = 0

    def __post_init__(self) -> None:
        err = self.server.listen(0, self.host)
        assert err == Error.OK, err
        self._tls_options = tls_server_options() if self.tls else None

    @property
    def port(self) -> int:
        return int(self.server.get_local_port())

    def url(self, path: str = "/", host: str | None = None) -> str:
        h = host or self.host
        if ":" in h:
            h = f"[{h}]"
        return f"{'wss' if self.tls else 'ws'}://{h}:{self.port}{path}"

    def pump(self) -> None:
        while self.server.is_connection_available():
            tcp = self.server.take_connection()
            assert tcp is not None
            stream: StreamPeerTCP | StreamPeerTLS = tcp
            if self._tls_options is not None:
                tls = StreamPeerTLS()
                if tls.accept_stream(tcp, self._tls_options) != Error.OK:
                    self.tls_failures += 1  # a Godot server just drops the connection
                    tcp.disconnect_from_host()
                    continue
                stream = tls
            peer = self.make_peer()
            err = peer.accept_stream(stream)
            assert err == Error.OK, err
            self.streams.append(stream)
            self.peers.append(peer)
        for peer in self.peers:
            peer.poll()

    def raw_client(self) -> RawConn:
        """A raw client connected to this server (closed by ``close()``); TLS if the server
        is a wss:// server."""
        conn = raw_client(self.port, self.pump, self.host)
        self.raw_clients.append(conn)
        if self.tls:
            conn.start_tls(server_side=False)
        return conn

    def close(self) -> None:
        for conn in self.raw_clients:
            conn.close()
        for peer in self.peers:
            peer.close(-1)
        self.server.stop()


class EchoServer(OurServer):
    """Our server, echoing every message with its type (text stays text). A text message
    ``!close <code> <reason>`` makes our peer close with that code and reason instead."""

    def pump(self) -> None:
        super().pump()
        for peer in self.peers:
            while peer.get_available_packet_count() > 0:
                data = peer.get_packet()
                text = peer.was_string_packet()
                if text and data.startswith(b"!close "):
                    _, code, reason = data.decode().split(" ", 2)
                    assert peer.close(int(code), reason) == Error.OK
                    continue
                mode = WebSocketPeer.WRITE_MODE_TEXT if text else WebSocketPeer.WRITE_MODE_BINARY
                assert peer.send(data, mode) == Error.OK


def random_mask() -> bytes:
    return os.urandom(4)


# --------------------------------------------------------------------------- message sets

BIG_LIMIT = 1 << 21
"""Raised inbound/outbound limits for the 1 MiB interop message."""
_rng = random.Random(6455)
SMALL: list[str | bytes] = [
    "hello",
    b"\x00\x01\x02binary\xff",
    "",
    b"",
    "ünïcødé ✓ 日本語 🎮 \u0000 end",
    bytes(range(256)) * 4,
]
"""Text, binary, empty text, empty binary, UTF-8 text."""
KIB100_BIN = _rng.randbytes(100 * 1024)
KIB100_TEXT = ("netpeer ✓ " * 12000)[: 100 * 1024]
MIB1 = _rng.randbytes(1 << 20)
LARGE: list[str | bytes] = [KIB100_BIN, KIB100_TEXT, MIB1]
"""100 KiB binary and text, 1 MiB binary (need BIG_LIMIT on our side)."""


def send_message(peer: WebSocketPeer, message: str | bytes) -> Error:
    if isinstance(message, str):
        return peer.send_text(message)
    return peer.send(message)


def next_message(peer: WebSocketPeer, timeout: float = 15.0) -> str | bytes:
    """The next message our peer receives (str for text, bytes for binary)."""
    wait_until(
        lambda: peer.get_available_packet_count() > 0,
        timeout=timeout,
        step=peer.poll,
        message="a message",
    )
    data = peer.get_packet()
    return data.decode("utf-8") if peer.was_string_packet() else bytes(data)


def echo_through(peer: WebSocketPeer, messages: list[str | bytes]) -> None:
    """Send each message and expect the same message (same type) back."""
    for message in messages:
        assert send_message(peer, message) == Error.OK, len(message)
        got = next_message(peer)
        assert type(got) is type(message)
        assert got == message, (len(got), len(message))


__all__ = [
    "BIG_LIMIT",
    "DEADLINE",
    "KIB100_BIN",
    "KIB100_TEXT",
    "LARGE",
    "MIB1",
    "SMALL",
    "STATE_CLOSED",
    "STATE_CLOSING",
    "STATE_CONNECTING",
    "STATE_OPEN",
    "EchoServer",
    "HostileServer",
    "OurServer",
    "RawConn",
    "RawFrame",
    "accept_value",
    "close_our_peers",
    "close_payload",
    "drop_our_peers",
    "echo_through",
    "frame",
    "head_headers",
    "mask_bytes",
    "next_message",
    "our_peer",
    "parse_frames",
    "random_mask",
    "raw_client",
    "request_key",
    "request_upgrade",
    "response_101",
    "send_message",
    "tls_client_options",
    "tls_server_options",
]
