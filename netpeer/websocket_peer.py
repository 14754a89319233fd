"""``WebSocketPeer``: Godot's WebSocket connection (client, or one peer of a server).

Theory of operation
-------------------
The protocol lives in the sans-I/O core (``netpeer._ws.connection.WebSocketConnection``); this
shell moves bytes between it and a ``StreamPeerTCP`` (ws://) or ``StreamPeerTLS`` (wss://), keeps
the received-message queue, and owns everything that needs a clock. Nothing happens in the
background: ``poll()`` (and ``send``/``close``, which flush at once) do all the work, never
block and never raise on anything the network does.

States (Godot's ``State``; differences from 4.2 are rows in docs/godot-differences.md)::

    CLOSED --connect_to_url / accept_stream--> CONNECTING
    CONNECTING --poll: handshake done--> OPEN
    CONNECTING --poll: DNS/TCP/TLS failure, bad handshake, handshake_timeout--> CLOSED (-1)
    CONNECTING --server: HTTP answer (request handler, 400 for a bad request)--> CLOSING
               (until the answer is written) --> CLOSED (-1)
    OPEN --close(code >= 0)--> CLOSING --peer's close echo--> CLOSED (peer's code)
    OPEN --poll: peer's close frame--> CLOSED once our echo is written (CLOSING meanwhile)
    OPEN --poll: protocol error--> CLOSED (1002/1007/1009 sent and recorded, Godot 4.4)
    OPEN/CLOSING --poll: EOF, reset, heartbeat timeout--> CLOSED (-1)
    CLOSING --close_timeout--> CLOSED (TCP dropped)
    any --close(negative)--> CLOSED at once, nothing sent

Messages received before the connection ended stay readable after it reached CLOSED
(``get_available_packet_count`` counts them in every state); a new ``connect_to_url`` /
``accept_stream`` forgets them.

Hot path. A plain ws:// connection talks to the socket of its ``StreamPeerTCP`` directly:
one ``recv`` attempt per ``poll()`` when nothing arrived, one ``send`` per message. wss://
goes through ``StreamPeerTLS``'s non-blocking partial I/O. Inbound back-pressure: when the
queue holds ``max_queued_packets`` messages or its payload budget (Godot's ring size) is used,
the peer stops reading the socket - TCP then slows the sender - and says so through
``is_inbound_buffer_full()`` and the ``inbound_buffer_full`` signal. A message is never
dropped; reads are sized to the room left in the payload budget and the packet slots (at
least 4 KiB), so the queue exceeds its byte budget by at most one 4 KiB read plus the message
that was in progress, and its packet count by the messages one 4 KiB read can hold.

Godot: modules/websocket/websocket_peer.cpp, wsl_peer.cpp, doc_classes/WebSocketPeer.xml.
"""

from __future__ import annotations

import secrets
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

from engine.core.error import Error
from engine.core.messages import fail, print_verbose, push_error
from engine.core.properties import GodotProperty
from engine.core.signal import signal
from engine.core.variant.packed_string_array import PackedStringArray
from netpeer import _net
from netpeer._ws.connection import State as _CoreState
from netpeer._ws.connection import WebSocketConnection
from netpeer._ws.deflate import DeflateConfig
from netpeer._ws.events import (
    CloseReceived,
    ConnectionFailed,
    ConnectionLost,
    HandshakeCompleted,
    HandshakeFailed,
    Message,
    Pong,
    RequestReceived,
)
from netpeer._ws.frames import MAX_CLOSE_REASON
from netpeer._ws.handshake import HandshakeRequest, build_bad_request, build_http_response
from netpeer._ws.payload_pool import PayloadPool
from netpeer._ws.url import parse_ws_url
from netpeer.packet_peer import PacketPeer
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tls_options import TLSOptions

HANDSHAKE_TIMEOUT_DEFAULT = 10.0
"""Seconds allowed for TCP connect + TLS + HTTP upgrade (Godot 4.2 has no limit)."""
CLOSE_TIMEOUT_DEFAULT = 5.0
"""Seconds CLOSING may last before the TCP connection is dropped (Godot 4.2: no limit)."""

_READ_SIZE = 262144
"""Most bytes asked of the socket per recv: large reads keep bulk transfers near raw TCP speed."""
_MIN_READ = 4096
"""Fewest bytes asked per recv, however little room the inbound queue has left: reads are sized
to that room, so the queue overshoots its limits by at most this plus one message."""
_SEND_FLAGS = _net.send_flags(socket.SOCK_STREAM)
_HAS_SENDMSG = hasattr(socket.socket, "sendmsg")  # not on Windows
_OK = Error.OK
_INF = float("inf")
_CONNECTING = _CoreState.CONNECTING
_CORE_OPEN = _CoreState.OPEN
_CORE_CLOSED = _CoreState.CLOSED

RequestHandler = Callable[["WebSocketPeer"], Any]
"""``handler(peer)`` → None/True: upgrade; int / (status, body[, headers]) / bytes: answer
with plain HTTP; False: 403."""


class WebSocketPeer(PacketPeer):
    """A WebSocket connection (RFC 6455), as a client or as the remote peer of a server."""

    class State(IntEnum):
        STATE_CONNECTING = 0
        STATE_OPEN = 1
        STATE_CLOSING = 2
        STATE_CLOSED = 3

    class WriteMode(IntEnum):
        WRITE_MODE_TEXT = 0
        WRITE_MODE_BINARY = 1

    STATE_CONNECTING = State.STATE_CONNECTING
    STATE_OPEN = State.STATE_OPEN
    STATE_CLOSING = State.STATE_CLOSING
    STATE_CLOSED = State.STATE_CLOSED
    WRITE_MODE_TEXT = WriteMode.WRITE_MODE_TEXT
    WRITE_MODE_BINARY = WriteMode.WRITE_MODE_BINARY

    inbound_buffer_full = signal()
    """Emitted when the inbound queue fills and the peer stops reading (netpeer addition)."""

    __slots__ = (
        "_close_code",
        "_close_reason",
        "_close_timeout",
        "_conn",
        "_deadline",
        "_deflate_config",
        "_deflate_enabled",
        "_handler",
        "_handshake_headers",
        "_handshake_timeout",
        "_hb_interval",
        "_hb_last_rx",
        "_hb_next",
        "_hb_payload",
        "_hb_sent",
        "_hb_timeout",
        "_in_budget",
        "_in_bytes",
        "_in_full",
        "_in_slots",
        "_inbound_buffer_size",
        "_inq",
        "_is_server",
        "_max_queued_packets",
        "_now",
        "_outbound_buffer_size",
        "_pool",
        "_request",
        "_requested_url",
        "_rtt",
        "_rx_seen",
        "_sock",
        "_state",
        "_supported_protocols",
        "_tcp",
        "_tls",
        "_token_bytes",
        "_was_string",
    )

    def __init__(
        self,
        *,
        _now: Callable[[], float] | None = None,
        _token_bytes: Callable[[int], bytes] | None = None,
    ) -> None:
        super().__init__()
        self._now: Callable[[], float] = _now or time.monotonic
        self._token_bytes: Callable[[int], bytes] = _token_bytes or secrets.token_bytes
        self._state = WebSocketPeer.STATE_CLOSED
        self._conn: WebSocketConnection | None = None
        self._tcp: StreamPeerTCP | None = None
        self._tls: StreamPeerTLS | None = None
        self._sock: socket.socket | None = None  # set on the ws:// fast path once connected
        self._is_server = False
        # properties
        self._supported_protocols: list[str] = []
        self._handshake_headers: list[str] = []
        self._inbound_buffer_size = 65535
        self._outbound_buffer_size = 65535
        self._max_queued_packets = 2048
        self._handshake_timeout = HANDSHAKE_TIMEOUT_DEFAULT
        self._close_timeout = CLOSE_TIMEOUT_DEFAULT
        self._hb_interval = 0.0
        self._hb_timeout = 0.0
        self._deflate_enabled = False
        self._deflate_config: DeflateConfig | None = None
        self._handler: RequestHandler | None = None
        # connection
        self._requested_url = ""
        self._request: HandshakeRequest | None = None
        self._close_code = -1
        self._close_reason = ""
        self._deadline = _INF
        # inbound queue
        self._inq: deque[Message] | None = None  # created on the first message
        self._in_bytes = 0
        self._in_budget = 65535
        self._in_slots = 2048  # max_queued_packets when the connection started
        self._in_full = False
        self._was_string = False
        self._pool = PayloadPool(0)  # replaced per connection, sized to its inbound budget
        # heartbeat
        self._hb_next = _INF
        self._hb_sent = -1.0
        self._hb_last_rx = 0.0
        self._hb_payload = b""
        self._rx_seen = False
        self._rtt = -1.0

    # -- Python-only helpers -------------------------------------------------------------------

    def _set_clock(self, now: Callable[[], float]) -> None:
        """Measure timeouts and heartbeats on ``now`` (seconds, monotonic)."""
        self._now = now
        if self._tcp is not None:
            self._tcp._set_clock(now)

    def _set_random(self, token_bytes: Callable[[int], bytes]) -> None:
        """Take mask keys, handshake keys and ping payloads from ``token_bytes``."""
        self._token_bytes = token_bytes

    def _set_permessage_deflate_config(self, config: DeflateConfig | None) -> None:
        """Fine-tune permessage-deflate (window bits, context takeover, level); None = defaults.

        Used only when ``permessage_deflate_enabled`` is true.
        """
        self._deflate_config = config

    # -- connecting ----------------------------------------------------------------------------

    def connect_to_url(self, url: str, tls_client_options: TLSOptions | None = None) -> Error:
        """Connect to ``url`` (``ws://`` or ``wss://``); then ``poll()`` every frame.

        Refused with ``ERR_INVALID_PARAMETER`` while ``inbound_buffer_size`` or
        ``max_queued_packets`` is below 1 (no message could be received).
        """
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        if tls_client_options is not None and not isinstance(tls_client_options, TLSOptions):
            raise TypeError(
                f"tls_client_options must be TLSOptions, not {type(tls_client_options).__name__}"
            )
        if self._state is WebSocketPeer.STATE_CONNECTING or self._state is (
            WebSocketPeer.STATE_OPEN
        ):
            return fail(Error.ERR_ALREADY_IN_USE, 'Condition "ready_state != STATE_CLOSED".')
        err = self._check_limits()
        if err != _OK:
            return err
        if tls_client_options is not None and tls_client_options.is_server():
            return fail(Error.ERR_INVALID_PARAMETER, "Client TLS options are required.")
        parsed = parse_ws_url(url)
        if parsed is None:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid URL: '{url}'.")
        self._reset()
        tcp = StreamPeerTCP(_now=self._now)
        err = tcp.connect_to_host(parsed.host, parsed.port)
        if err != _OK:
            return err
        tls: StreamPeerTLS | None = None
        if parsed.secure:
            tls = StreamPeerTLS()
            options = tls_client_options if tls_client_options is not None else TLSOptions.client()
            err = tls.connect_to_stream(tcp, parsed.host, options)
            if err != _OK:
                tcp.disconnect_from_host()
                return err
        conn = self._new_connection(client=True)
        conn.initiate_handshake(
            parsed.host_header, parsed.resource, self._supported_protocols, self._handshake_headers
        )
        self._tcp = tcp
        self._tls = tls
        self._is_server = False
        self._requested_url = url
        self._begin_connecting()
        return _OK

    def accept_stream(self, stream: StreamPeerTCP | StreamPeerTLS) -> Error:
        """Server: run the WebSocket handshake on ``stream`` (from ``TCPServer.take_connection``,
        optionally wrapped by ``StreamPeerTLS.accept_stream``); then ``poll()`` every frame.

        Refused like ``connect_to_url`` when a limit is below 1 (the stream is left untouched).
        """
        if stream is None:
            return fail(Error.ERR_INVALID_PARAMETER, 'Parameter "p_stream" is null.')
        tcp: StreamPeerTCP | None = None
        tls: StreamPeerTLS | None = None
        if isinstance(stream, StreamPeerTLS):
            inner = stream.get_stream()
            if not isinstance(inner, StreamPeerTCP):
                return fail(Error.ERR_INVALID_PARAMETER, "Unsupported stream type.")
            tls, tcp = stream, inner
        elif isinstance(stream, StreamPeerTCP):
            tcp = stream
        else:
            return fail(Error.ERR_INVALID_PARAMETER, "Unsupported stream type.")
        if self._state is WebSocketPeer.STATE_CONNECTING or self._state is (
            WebSocketPeer.STATE_OPEN
        ):
            return fail(Error.ERR_ALREADY_IN_USE, 'Condition "ready_state != STATE_CLOSED".')
        err = self._check_limits()
        if err != _OK:
            return err
        self._reset()
        self._new_connection(client=False)
        self._tcp = tcp
        self._tls = tls
        self._is_server = True
        tcp.set_no_delay(True)
        self._begin_connecting()
        return _OK

    def _check_limits(self) -> Error:
        """``ERR_INVALID_PARAMETER`` (printed) if a limit leaves no room for one message."""
        for name, value in (
            ("inbound_buffer_size", self._inbound_buffer_size),
            ("max_queued_packets", self._max_queued_packets),
        ):
            if value < 1:
                return fail(Error.ERR_INVALID_PARAMETER, f"{name} must be >= 1, not {value}.")
        return _OK

    def _reset(self) -> None:
        """Forget the previous connection (a CLOSING one is dropped)."""
        self._drop_transport()
        self._conn = None
        self._inq = None
        self._in_bytes = 0
        self._in_full = False
        self._was_string = False
        self._close_code = -1
        self._close_reason = ""
        self._requested_url = ""
        self._request = None
        self._rtt = -1.0
        self._hb_next = _INF
        self._hb_sent = -1.0
        self._state = WebSocketPeer.STATE_CLOSED

    def _new_connection(self, client: bool) -> WebSocketConnection:
        config: DeflateConfig | None = None
        if self._deflate_enabled:
            config = self._deflate_config or DeflateConfig()
        size = self._inbound_buffer_size
        self._in_budget = (1 << size.bit_length()) - 1  # Godot's ring capacity
        # fixed for this connection like the budget: a later setter call cannot stall reading
        self._in_slots = self._max_queued_packets
        self._pool = PayloadPool(self._in_budget)
        conn = WebSocketConnection(
            client,
            max_message_size=size,
            token_bytes=self._token_bytes,
            permessage_deflate=config,
            payload_pool=self._pool,
        )
        self._conn = conn
        return conn

    def _begin_connecting(self) -> None:
        self._state = WebSocketPeer.STATE_CONNECTING
        timeout = self._handshake_timeout
        self._deadline = self._now() + timeout if timeout > 0 else _INF

    # -- polling -------------------------------------------------------------------------------

    def poll(self) -> None:
        """Do the network work: connect, handshake, read, write, time out. Never blocks."""
        state = self._state
        if state is WebSocketPeer.STATE_OPEN:
            conn = self._conn
            assert conn is not None
            if self._sock is not None:
                if conn._out:
                    self._flush_sock(conn)
                if not self._in_full:
                    self._read_sock(conn)
            else:
                self._poll_tls_open(conn)
            if self._hb_interval > 0.0 and self._state is WebSocketPeer.STATE_OPEN:
                self._heartbeat(conn)
            if conn.state is not _CORE_OPEN:
                self._after_core_change(conn)
        elif state is WebSocketPeer.STATE_CONNECTING:
            self._poll_connecting()
        elif state is WebSocketPeer.STATE_CLOSING:
            self._poll_closing()

    def _read_sock(self, conn: WebSocketConnection) -> None:
        """Read what the socket has (stop when the queue fills) and digest it."""
        sock = self._sock
        while sock is not None:
            size = self._read_size()
            try:
                data = sock.recv(size)
            except BlockingIOError:
                if conn._out:
                    self._flush(conn)
                return
            except OSError:
                data = b""
            self._rx_seen = True
            if not data:
                conn.receive_eof()
                self._digest(conn)
                return
            conn.receive_data(data)
            if conn._events:
                self._digest(conn)
            if len(data) < size or self._in_full or conn.state is not _CORE_OPEN:
                if conn._out:
                    self._flush(conn)
                return
            sock = self._sock

    def _read_size(self) -> int:
        """Bytes to ask for: the room left in the payload budget (and about 32 bytes per free
        packet slot), at least _MIN_READ, at most _READ_SIZE."""
        room = self._in_budget - self._in_bytes
        inq = self._inq
        slots = (self._in_slots - (0 if inq is None else len(inq))) * 32
        if slots < room:
            room = slots
        if room >= _READ_SIZE:
            return _READ_SIZE
        return room if room > _MIN_READ else _MIN_READ

    def _write_sock(self, data: bytes | bytearray | memoryview) -> int:
        sock = self._sock
        if sock is None:
            return 0
        try:
            return sock.send(data, _SEND_FLAGS)
        except BlockingIOError:
            return 0
        except OSError:
            self._sock_failed()
            return 0

    def _writev_sock(self, buffers: list[bytes | bytearray | memoryview]) -> int:
        sock = self._sock
        if sock is None:
            return 0
        try:
            return sock.sendmsg(buffers, (), _SEND_FLAGS)
        except BlockingIOError:
            return 0
        except OSError:
            self._sock_failed()
            return 0

    def _flush_sock(self, conn: WebSocketConnection) -> None:
        """Write queued frames to the socket: several at once with sendmsg when available."""
        out = conn._out
        if out is not None and len(out) > 1 and _HAS_SENDMSG:
            conn.flush_vectored(self._writev_sock)
        else:
            conn.flush_to(self._write_sock)

    def _sock_failed(self) -> None:
        """A reset or socket error: the connection is lost (reported by the next digest)."""
        self._sock = None
        conn = self._conn
        if conn is not None and conn.state is not _CORE_CLOSED:
            conn.receive_eof()
        elif conn is not None:
            conn.abort()  # nothing more can be written

    def _write_tls(self, data: bytes | bytearray | memoryview) -> int:
        tls = self._tls
        if tls is None or tls.get_status() is not StreamPeerTLS.STATUS_CONNECTED:
            return 0
        err, sent = tls._put_partial_data(data if type(data) is bytes else bytes(data))
        if err != _OK:
            self._tls_failed()
            return 0
        return sent

    def _tls_failed(self) -> None:
        conn = self._conn
        if conn is not None and conn.state is not _CORE_CLOSED:
            conn.receive_eof()
        elif conn is not None:
            conn.abort()

    def _flush(self, conn: WebSocketConnection) -> None:
        if self._sock is not None:
            self._flush_sock(conn)
        elif self._tls is not None:
            conn.flush_to(self._write_tls)
        elif self._tcp is not None:
            conn.flush_to(self._write_tcp)
        if conn._events:
            self._digest(conn)

    def _write_tcp(self, data: bytes | bytearray | memoryview) -> int:
        tcp = self._tcp
        if tcp is None or tcp.get_status() is not StreamPeerTCP.STATUS_CONNECTED:
            return 0
        err, sent = tcp._put_partial_data(data if type(data) is bytes else bytes(data))
        if err != _OK:
            self._tls_failed()
            return 0
        return sent

    def _read_tls(self, conn: WebSocketConnection) -> None:
        tls = self._tls
        assert tls is not None
        while not self._in_full and conn.state is not _CORE_CLOSED:
            if tls.get_status() is not StreamPeerTLS.STATUS_CONNECTED:
                conn.receive_eof()
                break
            size = self._read_size()
            err, data = tls._get_partial_data(size)
            if data:
                self._rx_seen = True
                conn.receive_data(data)
                if conn._events:
                    self._digest(conn)
            if err != _OK:
                self._rx_seen = True
                if conn.state is not _CORE_CLOSED:
                    conn.receive_eof()
                break
            if len(data) < size:
                break
        if conn._events:
            self._digest(conn)
        if conn._out and self._tls is not None:
            self._flush(conn)  # pongs and close echoes queued while reading go out now

    def _poll_tls_open(self, conn: WebSocketConnection) -> None:
        tls = self._tls
        if tls is None:
            return
        if tls.get_status() is StreamPeerTLS.STATUS_CONNECTED:
            if conn._out:
                conn.flush_to(self._write_tls)
            if not self._in_full:
                self._read_tls(conn)
            elif tls.get_status() is StreamPeerTLS.STATUS_CONNECTED:
                tls.poll()  # flushes; reads at most the TLS layer's own high-water mark
        else:
            conn.receive_eof()
        if conn._events:
            self._digest(conn)

    def _transport_ready(self) -> bool | None:
        """Bring TCP (and TLS) up: True when usable, False while in progress, None if failed."""
        tcp = self._tcp
        if tcp is None:
            return None
        tls = self._tls
        if tls is not None:
            status = tls.get_status()
            if status is StreamPeerTLS.STATUS_HANDSHAKING:
                tls.poll()
                status = tls.get_status()
            if status is StreamPeerTLS.STATUS_CONNECTED:
                if tcp.get_status() is StreamPeerTCP.STATUS_CONNECTED:
                    tcp.set_no_delay(True)
                return True
            if status is StreamPeerTLS.STATUS_HANDSHAKING:
                return False
            return None
        tcp_status = tcp.get_status()
        if tcp_status is StreamPeerTCP.STATUS_CONNECTING:
            tcp.poll()
            tcp_status = tcp.get_status()
        if tcp_status is StreamPeerTCP.STATUS_CONNECTED:
            if self._sock is None:
                tcp.set_no_delay(True)
                self._sock = tcp._sock
            return True
        if tcp_status is StreamPeerTCP.STATUS_CONNECTING:
            return False
        return None

    def _poll_connecting(self) -> None:
        conn = self._conn
        assert conn is not None
        ready = self._transport_ready()
        if ready is None:
            print_verbose("WebSocket: the connection failed before the handshake completed.")
            self._close_now()
            return
        if ready:
            self._flush(conn)
            if self._sock is not None:
                self._read_sock(conn)
            else:
                self._read_tls(conn)
            if self._state is not WebSocketPeer.STATE_CONNECTING:
                return
            if conn.state is not _CONNECTING:
                self._after_core_change(conn)
                return
        if self._now() > self._deadline:
            print_verbose("WebSocket: handshake timed out.")
            self._close_now()

    def _poll_closing(self) -> None:
        conn = self._conn
        if conn is None:
            self._close_now()
            return
        if conn._out:
            self._flush(conn)
        if conn.state is not _CORE_CLOSED:
            if self._sock is not None:
                if not self._in_full:
                    self._read_sock(conn)
            elif self._tls is not None and not self._in_full:
                self._read_tls(conn)
        if self._state is not WebSocketPeer.STATE_CLOSING:
            return
        if conn.state is _CORE_CLOSED and not conn._out:
            self._close_now()
            return
        if self._now() > self._deadline:
            print_verbose("WebSocket: close timed out, dropping the connection.")
            conn.abort()
            self._close_now()

    def _after_core_change(self, conn: WebSocketConnection) -> None:
        """The core left OPEN/CONNECTING: move the shell to CLOSING or CLOSED."""
        if conn.state is _CORE_CLOSED:
            if conn._out and (self._sock is not None or self._tls is not None):
                self._flush(conn)
            if not conn._out or (self._sock is None and self._tls is None):
                self._close_now()
                return
        if self._state is not WebSocketPeer.STATE_CLOSING:
            self._state = WebSocketPeer.STATE_CLOSING
            timeout = self._close_timeout
            self._deadline = self._now() + timeout if timeout > 0 else _INF

    def _close_now(self) -> None:
        """Drop the transport and report CLOSED."""
        conn = self._conn
        if conn is not None and conn.state is not _CORE_CLOSED:
            conn.abort()
        self._drop_transport()
        self._state = WebSocketPeer.STATE_CLOSED
        self._deadline = _INF
        self._hb_next = _INF

    def _drop_transport(self) -> None:
        tls, tcp = self._tls, self._tcp
        self._sock = None
        self._tls = None
        self._tcp = None
        if tls is not None:
            status = tls.get_status()
            if status is StreamPeerTLS.STATUS_CONNECTED or status is (
                StreamPeerTLS.STATUS_HANDSHAKING
            ):
                tls.disconnect_from_stream()
        if tcp is not None:
            tcp.disconnect_from_host()

    # -- events --------------------------------------------------------------------------------

    def _digest(self, conn: WebSocketConnection) -> None:
        """Handle every event the core produced (handlers may produce more)."""
        inq = self._inq
        while True:
            events = conn.events_received()
            if not events:
                break
            for event in events:
                if type(event) is Message:
                    if inq is None:
                        inq = self._inq = deque()
                    inq.append(event)
                    self._in_bytes += len(event.data)
                    continue
                self._on_event(conn, event)
        if (
            not self._in_full
            and inq is not None
            and (self._in_bytes >= self._in_budget or len(inq) >= self._in_slots)
        ):
            self._in_full = True
            self.emit_signal("inbound_buffer_full")

    def _on_event(self, conn: WebSocketConnection, event: object) -> None:
        if isinstance(event, Pong):
            if self._hb_sent >= 0 and event.payload == self._hb_payload:
                self._rtt = max(0.0, self._now() - self._hb_sent)
                self._hb_sent = -1.0
        elif isinstance(event, CloseReceived | ConnectionFailed):
            self._close_code = conn.close_code
            self._close_reason = conn.close_reason
            if isinstance(event, ConnectionFailed):
                print_verbose(f"WebSocket: protocol error ({event.code}): {event.detail}")
        elif isinstance(event, HandshakeCompleted):
            self._state = WebSocketPeer.STATE_OPEN
            self._deadline = _INF
            if self._hb_interval > 0.0:
                self._start_heartbeat()
        elif isinstance(event, RequestReceived):
            self._on_request(conn, event.request)
        elif isinstance(event, HandshakeFailed):
            if self._is_server and conn.state is _CONNECTING:
                print_verbose(f"WebSocket: bad request: {event.reason}")
                conn.send_http_response(build_bad_request(event.reason))
            else:
                print_verbose(f"WebSocket: handshake failed: {event.reason}")
        elif isinstance(event, ConnectionLost):
            pass

    def _on_request(self, conn: WebSocketConnection, request: HandshakeRequest) -> None:
        self._request = request
        scheme = "wss://" if self._tls is not None else "ws://"
        self._requested_url = scheme + request.headers.get("host", "") + request.path
        answer: Any = None
        handler = self._handler
        if handler is not None:
            try:
                answer = handler(self)
            except Exception as exc:  # user code must not break poll()
                push_error(f"WebSocket request handler raised {type(exc).__name__}: {exc}")
                answer = 500
        if answer is None or answer is True:
            error = conn.accept(self._supported_protocols, self._handshake_headers)
            if error:
                print_verbose(f"WebSocket: refused upgrade request: {error}")
                conn.send_http_response(build_bad_request(error))
            else:
                self._request = conn.request  # the slimmed copy (no raw header lines)
            return
        response = _http_answer(answer)
        if response is None:
            push_error(f"WebSocket request handler returned an unusable value: {answer!r}")
            response = build_http_response(500)
        conn.send_http_response(response)

    # -- heartbeat -----------------------------------------------------------------------------

    def _start_heartbeat(self) -> None:
        now = self._now()
        self._hb_next = now + self._hb_interval
        self._hb_sent = -1.0
        self._hb_last_rx = now
        self._rx_seen = False

    def _heartbeat(self, conn: WebSocketConnection) -> None:
        now = self._now()
        if self._rx_seen or self._in_full:
            self._hb_last_rx = now
            self._rx_seen = False
        if self._hb_sent >= 0.0:
            timeout = self._hb_timeout if self._hb_timeout > 0.0 else self._hb_interval
            if now - max(self._hb_sent, self._hb_last_rx) >= timeout:
                print_verbose("WebSocket: heartbeat timeout, dropping the connection.")
                self._close_reason = "Heartbeat timeout"
                self._close_now()
                return
        if self._hb_next == _INF:
            self._start_heartbeat()
            return
        if now >= self._hb_next:
            self._hb_next = now + self._hb_interval
            if self._hb_sent < 0.0:
                self._hb_payload = self._token_bytes(8)
                if conn.send_ping(self._hb_payload):
                    self._hb_sent = now
                    self._flush(conn)

    # -- sending -------------------------------------------------------------------------------

    def send(
        self,
        message: bytes | bytearray | memoryview,
        write_mode: WebSocketPeer.WriteMode | int = WRITE_MODE_BINARY,
    ) -> Error:
        """Send one message (binary, or text with ``WRITE_MODE_TEXT``); flushed at once."""
        if not isinstance(message, bytes | bytearray | memoryview):
            raise TypeError(f"message must be bytes-like, not {type(message).__name__}")
        return self._send(message, write_mode == 0)

    def send_text(self, message: str) -> Error:
        """Send ``message`` as a UTF-8 text frame."""
        if not isinstance(message, str):
            raise TypeError(f"message must be a str, not {type(message).__name__}")
        return self._send(message.encode("utf-8", "surrogatepass"), True)

    def _send(self, data: bytes | bytearray | memoryview, text: bool) -> Error:
        if self._state is not WebSocketPeer.STATE_OPEN:
            return fail(Error.FAILED, 'Condition "ready_state != STATE_OPEN" is true.')
        conn = self._conn
        assert conn is not None
        if conn.outbound_queued_messages >= self._max_queued_packets:
            return fail(Error.ERR_OUT_OF_MEMORY, "Too many messages queued for sending.")
        limit = self._outbound_buffer_size
        if limit > 0 and conn._buffered_amount + len(data) > limit:
            return fail(Error.ERR_OUT_OF_MEMORY, "Outbound buffer full.")
        if not conn.send_message(data, text):
            return Error.FAILED
        sock = self._sock
        if sock is not None:
            self._flush_sock(conn)
            if self._sock is None:
                self._after_core_change(conn)
                return Error.FAILED
        else:
            self._flush(conn)
        return _OK

    def _put_packet(self, data: bytes) -> Error:
        return self._send(data, False)

    # -- receiving -----------------------------------------------------------------------------

    def _get_packet(self) -> tuple[Error, bytes]:
        inq = self._inq
        if inq:  # None or empty: nothing queued
            message = inq.popleft()
            data = message.data
            self._was_string = message.is_text
            self._in_bytes -= len(data)
            if isinstance(data, bytearray):  # a pooled buffer: copy out, then reuse it
                pooled = data
                data = bytes(pooled)
                self._pool.give(pooled)
            if self._in_full and self._in_bytes < self._in_budget:
                self._in_full = len(inq) >= self._in_slots
            return _OK, data
        if self._state is not WebSocketPeer.STATE_OPEN:
            return fail(Error.FAILED, 'Condition "ready_state != STATE_OPEN" is true.'), b""
        return fail(Error.ERR_UNAVAILABLE, "No packet available."), b""

    def _get_available_packet_count(self) -> int:
        inq = self._inq
        return 0 if inq is None else len(inq)

    def _get_max_packet_size(self) -> int:
        return self._inbound_buffer_size if self._state is WebSocketPeer.STATE_OPEN else 0

    def was_string_packet(self) -> bool:
        """Whether the last packet returned by ``get_packet`` was a text message."""
        return self._was_string

    def is_inbound_buffer_full(self) -> bool:
        """True while reading is paused because the inbound queue is full (netpeer addition)."""
        return self._in_full

    # -- closing -------------------------------------------------------------------------------

    def close(self, code: int = 1000, reason: str = "") -> Error:
        """Start the closing handshake; ``code < 0`` drops the connection at once.

        A reason longer than 123 UTF-8 bytes is refused with ``ERR_INVALID_PARAMETER``.
        """
        if not isinstance(code, int) or isinstance(code, bool):
            raise TypeError(f"code must be an int, not {type(code).__name__}")
        if not isinstance(reason, str):
            raise TypeError(f"reason must be a str, not {type(reason).__name__}")
        state = self._state
        if code < 0:
            if state is not WebSocketPeer.STATE_CLOSED:
                self._close_now()
            return _OK
        if state is WebSocketPeer.STATE_CONNECTING:
            self._close_now()
            return _OK
        if state is not WebSocketPeer.STATE_OPEN:
            return _OK
        if len(reason.encode("utf-8", "surrogatepass")) > MAX_CLOSE_REASON:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                f"Close reason is longer than {MAX_CLOSE_REASON} bytes (UTF-8).",
            )
        conn = self._conn
        assert conn is not None
        conn.send_close(code, reason)
        self._state = WebSocketPeer.STATE_CLOSING
        timeout = self._close_timeout
        self._deadline = self._now() + timeout if timeout > 0 else _INF
        self._flush(conn)
        if conn.state is _CORE_CLOSED and self._state is WebSocketPeer.STATE_CLOSING:
            self._after_core_change(conn)
        return _OK

    def get_close_code(self) -> int:
        """The peer's close code (0 for an empty close frame), the code we failed the
        connection with after a protocol error, or -1."""
        return self._close_code

    def get_close_reason(self) -> str:
        return self._close_reason

    def get_ready_state(self) -> WebSocketPeer.State:
        return self._state

    # -- getters -------------------------------------------------------------------------------

    def get_connected_host(self) -> str:
        tcp = self._tcp
        if tcp is None:
            return fail("", 'Condition "tcp.is_null()" is true. Returning: IPAddress()')
        return tcp.get_connected_host()

    def get_connected_port(self) -> int:
        tcp = self._tcp
        if tcp is None:
            return fail(0, 'Condition "tcp.is_null()" is true. Returning: 0')
        return tcp.get_connected_port()

    def get_requested_url(self) -> str:
        return self._requested_url

    def get_selected_protocol(self) -> str:
        conn = self._conn
        return "" if conn is None else conn.selected_protocol

    def get_selected_extensions(self) -> str:
        """The agreed ``Sec-WebSocket-Extensions`` value ("" if none; netpeer addition)."""
        conn = self._conn
        return "" if conn is None else conn.extensions

    def set_no_delay(self, enabled: bool) -> None:
        tcp = self._tcp
        if tcp is None:
            push_error('Condition "tcp.is_null()" is true.')
            return
        tcp.set_no_delay(enabled)

    def get_current_outbound_buffered_amount(self) -> int:
        conn = self._conn
        if conn is None or self._state is not WebSocketPeer.STATE_OPEN:
            return 0
        return conn.outbound_buffered_amount

    def get_round_trip_time(self) -> float:
        """Seconds between the last heartbeat ping and its pong; -1 until measured."""
        return self._rtt

    # -- server request inspection (netpeer additions) -----------------------------------------

    def set_request_handler(self, handler: RequestHandler | None) -> None:
        """Server: call ``handler(peer)`` from ``poll()`` when the request head has arrived.

        Inside, ``get_request_method/path/headers()`` describe the request. Return None (or
        True) to upgrade (Godot's checks; a bad upgrade request gets 400), or answer with
        plain HTTP and close: an int status, ``(status, body)``, ``(status, body, headers)``,
        or complete response bytes; False answers 403.
        """
        if handler is not None and not callable(handler):
            raise TypeError("handler must be callable or None")
        self._handler = handler

    def get_request_handler(self) -> RequestHandler | None:
        return self._handler

    def get_request_method(self) -> str:
        """Server: the request method ("" before the request arrived)."""
        return "" if self._request is None else self._request.method

    def get_request_path(self) -> str:
        """Server: the request target, e.g. ``/ws?room=1`` ("" before the request arrived)."""
        return "" if self._request is None else self._request.path

    def get_request_headers(self) -> dict[str, str]:
        """Server: request headers, names lower-cased, repeated headers joined with ","."""
        return {} if self._request is None else dict(self._request.headers)

    # -- properties ----------------------------------------------------------------------------

    def set_supported_protocols(self, protocols: Iterable[str]) -> None:
        self._supported_protocols = [_strip(p) for p in _strings(protocols)]

    def get_supported_protocols(self) -> PackedStringArray:
        return PackedStringArray(self._supported_protocols)

    def set_handshake_headers(self, headers: Iterable[str]) -> None:
        self._handshake_headers = list(_strings(headers))

    def get_handshake_headers(self) -> PackedStringArray:
        return PackedStringArray(self._handshake_headers)

    def set_inbound_buffer_size(self, buffer_size: int) -> None:
        self._inbound_buffer_size = _int(buffer_size)

    def get_inbound_buffer_size(self) -> int:
        return self._inbound_buffer_size

    def set_outbound_buffer_size(self, buffer_size: int) -> None:
        self._outbound_buffer_size = _int(buffer_size)

    def get_outbound_buffer_size(self) -> int:
        return self._outbound_buffer_size

    def set_max_queued_packets(self, buffer_size: int) -> None:
        self._max_queued_packets = _int(buffer_size)

    def get_max_queued_packets(self) -> int:
        return self._max_queued_packets

    def set_heartbeat_interval(self, interval: float) -> None:
        """Seconds between automatic pings while OPEN (0 = off, Godot 4.4)."""
        value = _float(interval)
        if value < 0:
            fail(None, "Heartbeat interval must be >= 0.")
            return
        self._hb_interval = value
        if value == 0.0:
            self._hb_next = _INF
            self._hb_sent = -1.0

    def get_heartbeat_interval(self) -> float:
        return self._hb_interval

    def set_heartbeat_timeout(self, timeout: float) -> None:
        """Seconds without a pong (nor any data) after a ping before the peer is dropped
        (0 = the heartbeat interval)."""
        value = _float(timeout)
        if value < 0:
            fail(None, "Heartbeat timeout must be >= 0.")
            return
        self._hb_timeout = value

    def get_heartbeat_timeout(self) -> float:
        return self._hb_timeout

    def set_handshake_timeout(self, timeout: float) -> None:
        """Seconds for TCP + TLS + HTTP upgrade before giving up (0 = never)."""
        value = _float(timeout)
        if value < 0:
            fail(None, "Handshake timeout must be >= 0.")
            return
        self._handshake_timeout = value

    def get_handshake_timeout(self) -> float:
        return self._handshake_timeout

    def set_close_timeout(self, timeout: float) -> None:
        """Seconds CLOSING may last before the TCP connection is dropped (0 = never)."""
        value = _float(timeout)
        if value < 0:
            fail(None, "Close timeout must be >= 0.")
            return
        self._close_timeout = value

    def get_close_timeout(self) -> float:
        return self._close_timeout

    def set_permessage_deflate_enabled(self, enabled: bool) -> None:
        """Offer (client) / accept (server) permessage-deflate on the next connection."""
        self._deflate_enabled = bool(enabled)

    def is_permessage_deflate_enabled(self) -> bool:
        return self._deflate_enabled

    supported_protocols = GodotProperty(
        get_supported_protocols, set_supported_protocols, default=PackedStringArray()
    )
    handshake_headers = GodotProperty(
        get_handshake_headers, set_handshake_headers, default=PackedStringArray()
    )
    inbound_buffer_size = GodotProperty(
        get_inbound_buffer_size, set_inbound_buffer_size, default=65535
    )
    outbound_buffer_size = GodotProperty(
        get_outbound_buffer_size, set_outbound_buffer_size, default=65535
    )
    max_queued_packets = GodotProperty(get_max_queued_packets, set_max_queued_packets, default=2048)
    heartbeat_interval = GodotProperty(get_heartbeat_interval, set_heartbeat_interval, default=0.0)
    heartbeat_timeout = GodotProperty(get_heartbeat_timeout, set_heartbeat_timeout, default=0.0)
    handshake_timeout = GodotProperty(
        get_handshake_timeout, set_handshake_timeout, default=HANDSHAKE_TIMEOUT_DEFAULT
    )
    close_timeout = GodotProperty(
        get_close_timeout, set_close_timeout, default=CLOSE_TIMEOUT_DEFAULT
    )
    permessage_deflate_enabled = GodotProperty(
        is_permessage_deflate_enabled, set_permessage_deflate_enabled, default=False
    )
    request_handler = GodotProperty(get_request_handler, set_request_handler, default=None)


def _http_answer(answer: Any) -> bytes | None:
    """Turn a request handler's answer into HTTP response bytes (None if unusable)."""
    if answer is False:
        return build_http_response(403, b"Forbidden\n")
    if isinstance(answer, bytes | bytearray):
        return bytes(answer)
    if isinstance(answer, int) and not isinstance(answer, bool):
        if not 100 <= answer <= 999:
            return None
        return build_http_response(answer)
    if isinstance(answer, tuple) and 2 <= len(answer) <= 3:
        status, body = answer[0], answer[1]
        headers = answer[2] if len(answer) == 3 else ()
        if isinstance(body, str):
            body = body.encode("utf-8")
        if (
            isinstance(status, int)
            and 100 <= status <= 999
            and isinstance(body, bytes | bytearray)
            and all(isinstance(h, str) for h in headers)
        ):
            extra = [h for h in headers if not h.lower().startswith("content-type:")]
            types = [h.split(":", 1)[1].strip() for h in headers if h not in extra]
            if types:
                return build_http_response(status, bytes(body), extra, content_type=types[-1])
            return build_http_response(status, bytes(body), extra)
    return None


_EDGES = "".join(chr(c) for c in range(33))


def _strip(text: str) -> str:
    """Godot's ``String.strip_edges()``: remove ASCII control characters and spaces."""
    return text.strip(_EDGES)


def _strings(values: Iterable[str]) -> list[str]:
    if isinstance(values, str):
        raise TypeError("expected an array of strings, not a str")
    result = list(values)
    for value in result:
        if not isinstance(value, str):
            raise TypeError(f"expected strings, got {type(value).__name__}")
    return result


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an int, not {type(value).__name__}")
    return value


def _float(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(f"expected a float, not {type(value).__name__}")
    return float(value)
