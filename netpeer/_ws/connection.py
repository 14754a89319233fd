"""The WebSocket state machine: one RFC 6455 connection as bytes in, events and bytes out.

Theory of operation
===================

:class:`WebSocketConnection` is the sans-I/O heart of ``WebSocketPeer`` (Godot's WSLPeer +
wslay). It never touches sockets, clocks or threads. The shell drives it from ``poll()``::

    conn.receive_data(bytes_read)         # or conn.receive_eof() when the transport ended
    for event in conn.events_received():  # what happened, in order
        ...
    conn.flush_to(write)                  # or transport.write(conn.data_to_send())
    if conn.state is State.CLOSED: ...    # flush, then close the transport

and calls ``send_message`` / ``send_ping`` / ``send_close`` / ``abort`` whenever the user does.
Anything those calls produce is queued for the next flush; nothing is written behind the
shell's back.

States (``State`` equals Godot's ``WebSocketPeer.State`` values)::

    CONNECTING --client: valid 101 response / server: accept()------------> OPEN
    CONNECTING --client: bad response, EOF, head > 4096 bytes-------------> CLOSED
    CONNECTING --server: send_http_response() / abort() / EOF-------------> CLOSED
    OPEN       --send_close(code >= 0)------------------------------------> CLOSING
    OPEN       --peer's close frame (echo queued)--------------------------> CLOSED
    CLOSING    --peer's close frame------------------------------------------> CLOSED
    OPEN/CLOSING --protocol error (close 1002/1007/1009 queued)-------------> CLOSED
    OPEN/CLOSING --EOF (ConnectionLost)-------------------------------------> CLOSED
    any        --abort() (Godot close(-1): nothing more is sent)-----------> CLOSED

Handshake. A client calls :meth:`initiate_handshake` (the request is queued at once) and
gets :class:`HandshakeCompleted` or :class:`HandshakeFailed`. A server gets
:class:`RequestReceived` with the parsed request as soon as the head is complete, may look at
its path and headers, then calls :meth:`accept` (Godot's checks and sub-protocol choice),
:meth:`send_http_response` (plain HTTP or a refusal on the same port) or :meth:`abort`.
Bytes that follow the head (a pipelined first frame) are kept and parsed once OPEN. Both
sides stop at :data:`MAX_HEADER_SIZE` (4096, Godot) bytes of head.

Receiving. Frames are cut by :class:`FrameParser` (transactional: partial frames stay
buffered; a complete unfragmented frame already in the caller's bytes is parsed in place).
Data messages are reassembled, inflated when permessage-deflate is on (the decompressed size
is bounded while inflating) and UTF-8 checked when text, then reported as :class:`Message`.
Pings are answered with a pong automatically; a close frame is echoed (same code and
reason) and ends the connection. A violation queues a close frame with the RFC code (1002,
1007, 1009), moves to CLOSED with that code as ``close_code`` (Godot 4.4) and reports
:class:`ConnectionFailed`; everything received after it is ignored.

Close bookkeeping follows Godot (spec §13.7/13.8): ``close_code`` is -1 until the peer's
close frame arrives, 0 for an empty close frame (Q-WS-CODE0), otherwise the peer's code;
our own code is not recorded, except the code we send after a protocol error (4.4). 1005
is never sent on the wire (``send_close(1005)`` sends an empty close frame).

Sending. Every message is one frame (Godot never fragments). Client frames are masked with a
fresh key per frame, taken from a pool filled by the injected ``token_bytes``. Outbound bytes
are kept as a queue of frames with per-message accounting, so the shell can enforce Godot's
``outbound_buffer_size`` / ``max_queued_packets`` with :attr:`outbound_buffered_amount` and
:attr:`outbound_queued_messages` ("a partially written message counts in full").

No clock here: the shell owns handshake, close and heartbeat timeouts; ``state``,
``close_sent`` and ``close_received`` tell it what is pending.
"""

from __future__ import annotations

import codecs
import secrets
from collections import deque
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import cast

from .deflate import (
    DecompressionError,
    DeflateConfig,
    DeflateError,
    DeflateParams,
    PerMessageDeflate,
    client_accept,
    client_offer,
    server_negotiate,
)
from .events import (
    CloseReceived,
    ConnectionFailed,
    ConnectionLost,
    Event,
    HandshakeCompleted,
    HandshakeFailed,
    Message,
    Ping,
    Pong,
    RequestReceived,
)
from .frames import (
    MAX_CLOSE_REASON,
    MAX_CONTROL_PAYLOAD,
    Frame,
    FrameParser,
    is_valid_close_code,
    serialize_frame,
)
from .handshake import (
    MAX_HEADER_SIZE,
    HandshakeRequest,
    accept_key,
    build_request,
    build_response,
    find_head_end,
    generate_key,
    parse_request,
    validate_request,
    validate_response,
)
from .masking import _mask_int
from .payload_pool import PayloadPool

Buffer = bytes | bytearray | memoryview
Writer = Callable[[Buffer], int]
VectorWriter = Callable[[list[Buffer]], int]


class State(IntEnum):
    """Connection states; the values are Godot's ``WebSocketPeer.State``."""

    CONNECTING = 0
    OPEN = 1
    CLOSING = 2
    CLOSED = 3


FAIL_REASONS = {
    1002: "Protocol error",
    1006: "Abnormal closure",
    1007: "Invalid frame payload data",
    1009: "Message too big",
}
"""Godot 4.4's close reasons after it fails a connection (PR #97913)."""

MAX_FRAGMENTS = 65536
"""Frames one data message may be split into; more fails the connection with 1009 (a message
of endless empty continuation frames never grows, so the size limit alone cannot stop it)."""

PONG_QUEUE_LIMIT = 65536
"""Automatic pongs are queued while fewer unsent bytes than this wait; beyond it only the
latest ping is remembered and answered once the queue drained below it (RFC 6455 5.5.3)."""

_MASK_POOL = 1024  # bytes of randomness fetched at once: 256 mask keys per token_bytes call
_COALESCE = 16384  # flush_to joins queued frames smaller than this into one write
_VEC_MAX = 64  # frames handed to one flush_vectored write at most
_VEC_BYTES = 1 << 20  # ... and about this many bytes
_PARTIAL_FRAME_KEEP = 1 << 18  # an unfinished-frame buffer up to this size is kept for reuse


def _compressed_limit(limit: int | None) -> int | None:
    # A compressed message may be slightly larger than its content (stored blocks, flush).
    return None if limit is None else limit + (limit >> 10) + 64


class WebSocketConnection:
    """One WebSocket connection, client or server side (see the module docstring).

    Args:
        client: True for the connecting side (masks its frames, expects unmasked ones).
        max_message_size: largest data message accepted, in bytes after decompression
            (Godot's ``inbound_buffer_size``, default 65535); ``None`` for no limit. Larger
            messages fail the connection with 1009.
        token_bytes: randomness source for mask keys and Sec-WebSocket-Key.
        permessage_deflate: offer (client) / accept (server) permessage-deflate with this
            configuration; ``None`` (Godot) never negotiates it.
        start_open: skip the opening handshake (tests, benchmarks, pre-negotiated streams).
        deflate_params: with ``start_open``, already negotiated permessage-deflate.
        payload_pool: where large single-frame messages get their buffers; their
            :class:`Message` data is then a ``bytearray`` to hand back with
            ``payload_pool.give`` once read (see ``payload_pool.py``).
    """

    __slots__ = (
        "_buffered_amount",
        "_deflate",
        "_deflate_config",
        "_events",
        "_fast",
        "_frag_compressed",
        "_frag_count",
        "_frag_size",
        "_frag_text",
        "_frags",
        "_head",
        "_head_failed",
        "_key",
        "_marks",
        "_mask_pool",
        "_mask_pos",
        "_out",
        "_out_bytes",
        "_out_offset",
        "_parser",
        "_pong_next",
        "_protocols",
        "_queued_total",
        "_rbuf",
        "_request",
        "_rlen",
        "_state",
        "_token_bytes",
        "_utf8",
        "_written_total",
        "client",
        "close_code",
        "close_reason",
        "close_received",
        "close_sent",
        "extensions",
        "handshake_headers",
        "max_message_size",
        "selected_protocol",
    )

    def __init__(
        self,
        client: bool,
        *,
        max_message_size: int | None = 65535,
        token_bytes: Callable[[int], bytes] = secrets.token_bytes,
        permessage_deflate: DeflateConfig | None = None,
        start_open: bool = False,
        deflate_params: DeflateParams | None = None,
        payload_pool: PayloadPool | None = None,
    ) -> None:
        self.client = client
        self.max_message_size = max_message_size
        self._token_bytes = token_bytes
        self._deflate_config = permessage_deflate
        self._deflate: PerMessageDeflate | None = None
        self._parser = FrameParser(client, max_message_size, payload_pool=payload_pool)
        self._state = State.OPEN if start_open else State.CONNECTING
        self._events: list[Event] = []
        self._rbuf = bytearray()  # CONNECTING: bytes after the head; OPEN: an unfinished frame
        self._rlen = 0  # OPEN: how much of _rbuf holds the unfinished frame
        # message reassembly
        self._frags: list[bytes] = []
        self._frag_size = 0
        self._frag_count = 0
        self._frag_text = False
        self._frag_compressed = False
        self._utf8: codecs.IncrementalDecoder | None = None
        self._fast = True  # no fragmented message in progress and no permessage-deflate
        # outbound queue and accounting
        self._out: deque[bytes | bytearray] | None = None  # created when needed, dropped when empty
        self._out_offset = 0
        self._out_bytes = 0
        self._marks: deque[tuple[int, int]] | None = None  # likewise
        self._queued_total = 0
        self._written_total = 0
        self._buffered_amount = 0
        self._mask_pool = b""
        self._mask_pos = 0
        self._pong_next: bytes | None = None  # latest ping waiting for the queue to drain
        # handshake
        self._head = bytearray()
        self._head_failed = False
        self._key = ""
        self._protocols: tuple[str, ...] = ()
        self._request: HandshakeRequest | None = None
        self.selected_protocol = ""
        """Sub-protocol agreed in the handshake ("" if none)."""
        self.extensions = ""
        """Agreed Sec-WebSocket-Extensions value ("" if none)."""
        self.handshake_headers: dict[str, str] = {}
        """The peer's handshake headers (Godot rules: lower-cased names, joined values)."""
        # close bookkeeping
        self.close_code = -1
        """Peer's close code (0 for an empty close frame), or the code we failed with; -1."""
        self.close_reason = ""
        self.close_sent = False
        self.close_received = False
        if start_open and deflate_params is not None:
            self._enable_deflate(deflate_params)

    # ------------------------------------------------------------------ properties

    @property
    def state(self) -> State:
        """CONNECTING, OPEN, CLOSING or CLOSED."""
        return self._state

    @property
    def request(self) -> HandshakeRequest | None:
        """Server side: the parsed request once its head arrived (path, headers)."""
        return self._request

    @property
    def deflate_params(self) -> DeflateParams | None:
        """Negotiated permessage-deflate parameters, or None."""
        return None if self._deflate is None else self._deflate.params

    @property
    def outbound_buffered_amount(self) -> int:
        """Payload bytes of queued messages and control frames not fully handed to the
        transport (Godot's ``get_current_outbound_buffered_amount``)."""
        return self._buffered_amount

    @property
    def outbound_queued_messages(self) -> int:
        """Frames not fully handed to the transport (for ``max_queued_packets``)."""
        marks = self._marks
        return 0 if marks is None else len(marks)

    @property
    def bytes_to_send(self) -> int:
        """Wire bytes waiting in the outbound queue (handshake bytes included)."""
        return self._out_bytes

    # ------------------------------------------------------------------ draining

    def events_received(self) -> list[Event]:
        """Return and forget the events produced since the last call, oldest first."""
        events = self._events
        if not events:
            return []
        self._events = []
        return events

    def data_to_send(self) -> bytes:
        """Return and forget every queued outbound byte (counts as written)."""
        out = self._out
        if not out:
            return b""
        if self._out_offset:
            out[0] = out[0][self._out_offset :]
            self._out_offset = 0
        data = out[0] if len(out) == 1 else b"".join(out)
        self._out = None
        self._advance(self._out_bytes)
        return bytes(data)

    def flush_to(self, write: Writer) -> int:
        """Hand queued bytes to ``write`` until it takes none or fewer than offered.

        ``write(view)`` returns how many bytes it accepted (0 when it would block) and must
        not keep ``view``. Small frames are joined into one call. Returns bytes written.
        """
        out = self._out
        if out is None:
            return 0
        total = 0
        while out:
            chunk = out[0]
            offset = self._out_offset
            if not offset and len(chunk) < _COALESCE and len(out) > 1:
                chunk = self._coalesce()
            if offset:
                with memoryview(chunk) as view:
                    written = write(view[offset:])
            else:
                written = write(chunk)
            if written <= 0:
                break
            total += written
            if offset + written >= len(chunk):
                out.popleft()
                self._out_offset = 0
            else:
                self._out_offset = offset + written
                break
        if not out:
            self._out = None
        if total:
            self._advance(total)
        return total

    def flush_vectored(self, writev: VectorWriter) -> int:
        """Like :meth:`flush_to`, but hands up to ``_VEC_MAX`` queued frames (about
        ``_VEC_BYTES``) to ``writev(buffers)`` in one call (``socket.sendmsg``): one system
        call for a burst of large frames. Returns bytes written."""
        out = self._out
        if out is None:
            return 0
        total = 0
        while out:
            offset = self._out_offset
            parts: list[Buffer] = []
            size = 0
            for chunk in out:
                parts.append(chunk)
                size += len(chunk)
                if len(parts) >= _VEC_MAX or size >= _VEC_BYTES:
                    break
            head: memoryview | None = None
            if offset:
                head = parts[0] = memoryview(parts[0])[offset:]
                size -= offset
            written = writev(parts)
            if head is not None:
                head.release()
            if written <= 0:
                break
            total += written
            left = written + offset
            while out and left >= len(out[0]):
                left -= len(out.popleft())
            self._out_offset = left
            if written < size:
                break
        if not out:
            self._out = None
        if total:
            self._advance(total)
        return total

    def _coalesce(self) -> bytes:
        out = self._out
        assert out is not None
        parts = [out.popleft()]
        size = len(parts[0])
        while out and size + len(out[0]) <= 4 * _COALESCE:
            size += len(out[0])
            parts.append(out.popleft())
        joined = b"".join(parts)
        out.appendleft(joined)
        return joined

    def _advance(self, n: int) -> None:
        self._out_bytes -= n
        self._written_total += n
        marks = self._marks
        written = self._written_total
        if marks is not None:
            while marks and marks[0][0] <= written:
                self._buffered_amount -= marks.popleft()[1]
            if not marks:
                self._marks = None
        if self._pong_next is not None and self._out_bytes < PONG_QUEUE_LIMIT:
            if self._state is State.OPEN:
                self._answer_ping(self._pong_next)
            self._pong_next = None

    def _queue_raw(self, data: bytes) -> None:
        out = self._out
        if out is None:
            out = self._out = deque()
        out.append(data)
        self._out_bytes += len(data)
        self._queued_total += len(data)

    def _queue_frame(self, frame: bytes | bytearray, payload_length: int) -> None:
        out = self._out
        if out is None:
            out = self._out = deque()
        out.append(frame)
        size = len(frame)
        self._out_bytes += size
        self._queued_total += size
        marks = self._marks
        if marks is None:
            marks = self._marks = deque()
        marks.append((self._queued_total, payload_length))
        self._buffered_amount += payload_length

    def _mask_key(self) -> bytes:
        pos = self._mask_pos
        pool = self._mask_pool
        if pos + 4 > len(pool):
            pool = self._mask_pool = self._token_bytes(_MASK_POOL)
            pos = 0
        self._mask_pos = pos + 4
        return pool[pos : pos + 4]

    # ------------------------------------------------------------------ sending

    def send_message(self, data: Buffer, text: bool = False) -> bool:
        """Queue one data message as a single frame; False (nothing queued) unless OPEN.

        Text is not UTF-8 checked (like Godot); ``data`` is the encoded bytes.
        """
        if self._state is not State.OPEN:
            return False
        opcode = 1 if text else 2
        key = self._mask_key() if self.client else None
        if self._deflate is None:
            frame = serialize_frame(opcode, data, mask_key=key)
            out = self._out
            if out is None:
                out = self._out = deque()
            out.append(frame)
            size = len(frame)
            self._out_bytes += size
            self._queued_total += size
            marks = self._marks
            if marks is None:
                marks = self._marks = deque()
            marks.append((self._queued_total, len(data)))
            self._buffered_amount += len(data)
        else:
            payload = self._deflate.compress(data)
            frame = serialize_frame(opcode, payload, rsv1=True, mask_key=key)
            self._queue_frame(frame, len(payload))
        return True

    def send_ping(self, payload: Buffer = b"") -> bool:
        """Queue a ping (payload <= 125 bytes); False unless OPEN or payload too long."""
        return self._send_control(9, payload)

    def send_pong(self, payload: Buffer = b"") -> bool:
        """Queue an unsolicited pong (payload <= 125 bytes); False unless OPEN."""
        return self._send_control(10, payload)

    def _send_control(self, opcode: int, payload: Buffer) -> bool:
        if self._state is not State.OPEN or len(payload) > MAX_CONTROL_PAYLOAD:
            return False
        key = self._mask_key() if self.client else None
        self._queue_frame(serialize_frame(opcode, payload, mask_key=key), len(payload))
        return True

    def send_close(self, code: int = 1000, reason: str = "") -> bool:
        """Start the closing handshake (Godot ``close(code, reason)`` semantics, §13.7).

        OPEN: queue the close frame (code 0 or 1005: empty frame) and go CLOSING; a reason
        over 123 UTF-8 bytes sends nothing but still goes CLOSING (Q-WS-REASON). CONNECTING:
        CLOSED at once. Negative code: :meth:`abort`. Returns whether a frame was queued.
        """
        if code < 0:
            self.abort()
            return False
        if self._state is State.CONNECTING:
            self._state = State.CLOSED
            return False
        if self._state is not State.OPEN:
            return False
        self._state = State.CLOSING
        raw_reason = reason.encode("utf-8")
        if len(raw_reason) > MAX_CLOSE_REASON:
            return False
        empty = code in (0, 1005)
        payload = b"" if empty else (code & 0xFFFF).to_bytes(2, "big") + raw_reason
        self._queue_close(payload)
        return True

    def _queue_close(self, payload: bytes) -> None:
        key = self._mask_key() if self.client else None
        self._queue_frame(serialize_frame(8, payload, mask_key=key), len(payload))
        self.close_sent = True

    def abort(self) -> None:
        """Godot ``close(-1)``: CLOSED now, unsent bytes dropped, no close frame."""
        self._state = State.CLOSED
        self._out = None
        self._out_offset = 0
        self._out_bytes = 0
        self._marks = None
        self._buffered_amount = 0
        self._pong_next = None
        self._rbuf = bytearray()
        self._frags = []

    # ------------------------------------------------------------------ handshake

    def initiate_handshake(
        self,
        host: str,
        resource: str = "/",
        supported_protocols: Sequence[str] = (),
        handshake_headers: Sequence[str] = (),
    ) -> None:
        """Client: queue the upgrade request (Host value ``host``, request target
        ``resource``), byte-exact like Godot unless permessage-deflate is offered."""
        if not self.client or self._state is not State.CONNECTING or self._key:
            raise RuntimeError("initiate_handshake() is for a new client connection")
        self._key = generate_key(self._token_bytes)
        self._protocols = tuple(supported_protocols)
        offer = "" if self._deflate_config is None else client_offer(self._deflate_config)
        self._queue_raw(
            build_request(host, resource, self._key, self._protocols, handshake_headers, offer)
        )

    def accept(
        self, supported_protocols: Sequence[str] = (), handshake_headers: Sequence[str] = ()
    ) -> str:
        """Server: validate the request like Godot (§2.2) and, if acceptable, queue the 101
        response and go OPEN. Returns "" on success, else why (state stays CONNECTING, so
        the shell may still ``send_http_response`` or ``abort``)."""
        request = self._request
        if self.client or request is None or self._state is not State.CONNECTING:
            return "no request waiting to be accepted"
        verdict = validate_request(request, supported_protocols)
        if verdict.error:
            return verdict.error
        extensions = ""
        offers = request.headers.get("sec-websocket-extensions")
        if self._deflate_config is not None and offers:
            params = server_negotiate(self._deflate_config, offers)
            if params is not None:
                extensions = params.header_value()
                self._enable_deflate(params)
        key = request.headers["sec-websocket-key"]
        response = build_response(key, verdict.selected_protocol, handshake_headers, extensions)
        self._queue_raw(response)
        # keep what the shell's getters need; the raw header lines are not needed any more
        self._request = HandshakeRequest(
            request.method, request.path, request.version, request.headers
        )
        self._open(verdict.selected_protocol, extensions, request.headers)
        pending = self._rbuf
        if pending:
            self._rbuf = bytearray()
            self.receive_data(pending)
        return ""

    def send_http_response(self, response: bytes) -> bool:
        """Server, before accepting: queue a complete HTTP response (see
        ``handshake.build_http_response``) and go CLOSED; flush, then close the transport."""
        if self.client or self._state is not State.CONNECTING:
            return False
        self._queue_raw(bytes(response))
        self._state = State.CLOSED
        self._rbuf = bytearray()
        return True

    def _open(self, protocol: str, extensions: str, headers: dict[str, str]) -> None:
        self._state = State.OPEN
        self.selected_protocol = protocol
        self.extensions = extensions
        self.handshake_headers = headers
        self._events.append(HandshakeCompleted(protocol, extensions, headers))

    def _enable_deflate(self, params: DeflateParams) -> None:
        config = self._deflate_config or DeflateConfig()
        self._deflate = PerMessageDeflate(
            params, self.client, config.compression_level, config.memory_level
        )
        self._parser.allow_rsv1(_compressed_limit(self.max_message_size))
        self._fast = False

    def _handshake_failed(self, reason: str) -> None:
        self._head_failed = True
        self._head = bytearray()
        if self.client:
            self._state = State.CLOSED
        self._events.append(HandshakeFailed(reason))

    def _receive_head(self, data: Buffer) -> None:
        if self._request is not None:  # server waiting for accept(): keep pipelined bytes
            self._rbuf += data
            return
        if self._head_failed:
            return
        head = self._head
        start = len(head)
        head += data
        end = find_head_end(head, start)
        if end < 0 or end > MAX_HEADER_SIZE:
            if end > MAX_HEADER_SIZE or len(head) >= MAX_HEADER_SIZE:
                self._handshake_failed(f"handshake head larger than {MAX_HEADER_SIZE} bytes")
            return
        block = bytes(head[:end])
        rest = head[end:]
        self._head = bytearray()
        if not self.client:
            self._request = parse_request(block)
            self._rbuf = rest
            self._events.append(RequestReceived(self._request))
            return
        if not self._key:
            self._handshake_failed("response received before the request was sent")
            return
        verdict = validate_response(block, self._key, self._protocols)
        if verdict.error:
            self._handshake_failed(verdict.error)
            return
        extensions = ""
        answer = verdict.headers.get("sec-websocket-extensions")
        if self._deflate_config is not None and answer is not None:
            try:
                params = client_accept(self._deflate_config, answer)
            except DeflateError as exc:
                self._handshake_failed(f"permessage-deflate: {exc}")
                return
            extensions = params.header_value()
            self._enable_deflate(params)
        self._open(verdict.selected_protocol, extensions, verdict.headers)
        if rest:
            self.receive_data(rest)

    # ------------------------------------------------------------------ receiving

    def receive_data(self, data: Buffer) -> None:
        """Feed bytes read from the transport. Never raises on anything the peer sends."""
        state = self._state
        if state is State.CLOSED or not data:
            return
        if state is State.CONNECTING:
            self._receive_head(data)
            return
        rbuf = self._rbuf
        parser = self._parser
        if not self._rlen and self._fast and not parser.in_message and type(data) is bytes:
            # Fast path: exactly one small unfragmented, uncompressed data frame (the
            # ping-pong case); anything else falls through to the general parser.
            b0 = data[0]
            if (b0 == 0x82 or b0 == 0x81) and len(data) < 132:
                n = len(data)
                b1 = data[1] if n > 1 else 0
                payload: bytes | None = None
                if self.client:
                    if b1 < 126 and n == b1 + 2:
                        payload = data[2:]
                elif 0x80 <= b1 < 0x80 + 126 and n == b1 - 0x80 + 6:
                    payload = _mask_int(data[6:], data[2:6])
                limit = self.max_message_size
                if (
                    payload is not None
                    and (limit is None or len(payload) <= limit)
                    and (b0 == 0x82 or payload.isascii())
                ):
                    self._events.append(Message(payload, b0 == 0x81))
                    return
        frames: list[Frame] = []
        used = self._complete_partial_frame(data, frames) if self._rlen else 0
        if 0 <= used < len(data):
            rest = memoryview(data)[used:] if used else data
            consumed = parser.parse(rest, frames)
            left = len(rest) - consumed
            if left and not parser.error_code:
                rbuf[:left] = memoryview(rest)[consumed:]  # grows rbuf only if it is shorter
                self._rlen = left
        if frames:
            self._handle_frames(frames)
        if parser.error_code and self._state is not State.CLOSED:
            self._fail(parser.error_code, parser.error_detail)

    def _complete_partial_frame(self, data: Buffer, frames: list[Frame]) -> int:
        """Top up the frame that an earlier read left unfinished in ``_rbuf`` with just the
        bytes it still needs, and parse it. Returns how much of ``data`` was used, or -1 if
        all of it was and the frame is still unfinished.

        ``_rbuf`` keeps its capacity between frames (its fill is ``_rlen``): shrinking and
        regrowing a 64 KiB buffer on every read makes malloc hand pages back to the kernel
        and fault them in again, which cost bulk receiving more than half its speed.
        """
        parser = self._parser
        rbuf = self._rbuf
        rlen = self._rlen
        size = len(data)
        used = 0
        while True:
            need = parser.need
            if len(rbuf) < need:
                rbuf.extend(bytes(need - len(rbuf)))
            take = min(need - rlen, size - used)
            if take > 0:
                rbuf[rlen : rlen + take] = memoryview(data)[used : used + take]
                rlen += take
                used += take
            if rlen < need:
                self._rlen = rlen
                return -1
            # Given exactly ``need`` bytes, the parser takes them all (one frame, or an error)
            # or none: then the header was incomplete, and ``need`` is now the whole frame.
            if parser.parse(memoryview(rbuf)[:rlen], frames) or parser.error_code:
                self._rlen = 0
                if len(rbuf) > _PARTIAL_FRAME_KEEP:
                    self._rbuf = bytearray()
                return used

    def receive_eof(self) -> None:
        """The transport ended (peer closed or connection lost)."""
        state = self._state
        if state is State.CLOSED:
            return
        self._state = State.CLOSED
        self._rbuf = bytearray()
        self._frags = []
        if state is State.CONNECTING:
            self._events.append(HandshakeFailed("connection closed during the opening handshake"))
        else:
            self._events.append(ConnectionLost())

    def _fail(self, code: int, detail: str) -> None:
        """_Fail the WebSocket Connection_ (RFC 6455 §7.1.7) with ``code``, Godot 4.4 style."""
        if not self.close_sent:
            self._queue_close(code.to_bytes(2, "big"))
        self._state = State.CLOSED
        self.close_code = code
        self.close_reason = FAIL_REASONS.get(code, "Unknown")
        self._rbuf = bytearray()
        self._frags = []
        self._events.append(ConnectionFailed(code, self.close_reason, detail))

    def _handle_frames(self, frames: list[Frame]) -> None:
        events = self._events
        for opcode, fin, rsv1, payload in frames:
            if opcode == 2 and fin and not rsv1:
                events.append(Message(payload, False))
            elif opcode == 1 and fin and not rsv1:
                if not payload.isascii():
                    try:
                        payload.decode("utf-8")
                    except UnicodeDecodeError:
                        self._fail(1007, "invalid UTF-8 in a text message")
                        return
                events.append(Message(payload, True))
            else:
                # only the whole text/binary messages above may come from the payload pool
                chunk = cast(bytes, payload)
                if opcode < 8:
                    if not self._data_fragment(opcode, fin, rsv1, chunk):
                        return
                elif opcode == 9:
                    if self._state is State.OPEN:
                        self._answer_ping(chunk)
                    events.append(Ping(chunk))
                elif opcode == 10:
                    events.append(Pong(chunk))
                else:
                    self._close_frame(chunk)
                    return

    def _answer_ping(self, payload: bytes) -> None:
        """Queue the automatic pong or, while PONG_QUEUE_LIMIT unsent bytes wait, remember only
        the latest ping (RFC 6455 5.5.3): a peer that pings and never reads cannot grow the
        outbound queue."""
        if self._out_bytes < PONG_QUEUE_LIMIT:
            key = self._mask_key() if self.client else None
            self._queue_frame(serialize_frame(10, payload, mask_key=key), len(payload))
            self._pong_next = None
        else:
            self._pong_next = payload

    def _data_fragment(self, opcode: int, fin: bool, rsv1: bool, payload: bytes) -> bool:
        """Reassemble/inflate/check one data frame; False if the connection failed."""
        if opcode:
            self._frag_text = opcode == 1
            self._frag_compressed = rsv1
            self._frags = []
            self._frag_size = 0
            self._frag_count = 0
            self._utf8 = codecs.getincrementaldecoder("utf-8")() if opcode == 1 else None
        chunk = payload
        if self._frag_compressed:
            assert self._deflate is not None  # the parser rejects RSV1 otherwise
            limit = self.max_message_size
            remaining = None if limit is None else limit - self._frag_size
            try:
                chunk = self._deflate.decompress(payload, fin, remaining)
            except DecompressionError as exc:
                self._fail(exc.code, exc.detail)
                return False
        if self._utf8 is not None:
            try:
                self._utf8.decode(chunk, fin)
            except UnicodeDecodeError:
                self._fail(1007, "invalid UTF-8 in a text message")
                return False
        self._frag_count += 1
        if self._frag_count > MAX_FRAGMENTS:
            self._fail(1009, f"message split into more than {MAX_FRAGMENTS} frames")
            return False
        if chunk:
            self._frags.append(chunk)
            self._frag_size += len(chunk)
        if fin:
            frags = self._frags
            data = b"".join(frags) if len(frags) != 1 else frags[0]
            self._frags = []
            self._utf8 = None
            self._events.append(Message(data, self._frag_text))
        return True

    def _close_frame(self, payload: bytes) -> None:
        n = len(payload)
        if n == 1:
            self._fail(1002, "close frame with a 1-byte payload")
            return
        code = 0
        reason = ""
        if n:
            code = int.from_bytes(payload[:2], "big")
            if not is_valid_close_code(code):
                self._fail(1002, f"invalid close code {code}")
                return
            try:
                reason = payload[2:].decode("utf-8")
            except UnicodeDecodeError:
                self._fail(1007, "invalid UTF-8 in the close reason")
                return
        self.close_received = True
        self.close_code = code
        self.close_reason = reason
        if not self.close_sent and self._state is State.OPEN:
            self._queue_close(payload)
        self._state = State.CLOSED
        self._rbuf = bytearray()
        self._events.append(CloseReceived(code, reason))


__all__ = [
    "FAIL_REASONS",
    "MAX_FRAGMENTS",
    "MAX_HEADER_SIZE",
    "PONG_QUEUE_LIMIT",
    "State",
    "WebSocketConnection",
    "accept_key",
]
