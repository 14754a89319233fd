"""Events the sans-I/O WebSocket core reports (``WebSocketConnection.events_received()``).

Small frozen, slotted dataclasses: cheap to create, safe to hand to user code, and usable
with ``match``. ``data``/``payload`` fields are always ``bytes`` (text messages too: Godot
stores every packet as bytes and remembers whether it was text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .handshake import HandshakeRequest


@dataclass(frozen=True, slots=True)
class RequestReceived:
    """Server side: a complete HTTP request head arrived (state stays CONNECTING).

    The shell may inspect ``request`` (method, path, headers) and then call
    ``accept(...)``, ``send_http_response(...)`` or ``abort()``.
    """

    request: HandshakeRequest


@dataclass(frozen=True, slots=True)
class HandshakeCompleted:
    """The opening handshake succeeded; the connection is OPEN.

    ``headers`` are the peer's headers (Godot rules: lower-cased names, joined values):
    the server's response headers on a client, the request headers on a server.
    """

    selected_protocol: str
    extensions: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HandshakeFailed:
    """The opening handshake failed (``reason`` says why).

    Client: the state is CLOSED (Godot: close(-1), close code -1). Server: the state stays
    CONNECTING so the shell can still answer with ``send_http_response`` or ``abort()``.
    """

    reason: str


@dataclass(frozen=True, slots=True)
class Message:
    """A complete data message (reassembled, decompressed, UTF-8 checked when text); ``data``
    is a ``bytearray`` from the connection's payload pool, if it has one, for large messages."""

    data: bytes | bytearray
    is_text: bool


@dataclass(frozen=True, slots=True)
class Ping:
    """A ping arrived; the pong was already queued (while OPEN)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class Pong:
    """A pong arrived."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class CloseReceived:
    """The peer's close frame arrived; the connection is now CLOSED.

    ``code`` is 0 for an empty close frame (Godot, Q-WS-CODE0). If we had not sent a close
    frame yet, the echo (same code and reason) was queued: flush it, then close the transport.
    """

    code: int
    reason: str


@dataclass(frozen=True, slots=True)
class ConnectionFailed:
    """We detected a protocol error, queued a close frame with ``code`` and are CLOSED.

    ``code`` is 1002, 1007 or 1009; ``reason`` is Godot 4.4's text for it ("Protocol error",
    "Invalid frame payload data", "Message too big"); ``detail`` says what exactly was wrong.
    Flush the pending bytes, then close the transport.
    """

    code: int
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ConnectionLost:
    """The transport reached EOF before the close handshake finished (state CLOSED)."""


Event = (
    RequestReceived
    | HandshakeCompleted
    | HandshakeFailed
    | Message
    | Ping
    | Pong
    | CloseReceived
    | ConnectionFailed
    | ConnectionLost
)
