"""The RFC 6455 §4 opening handshake, byte-for-byte like Godot 4.2's WSLPeer.

Client: :func:`build_request` (exact header order of websocket-handshake.md §1.1) and
:func:`validate_response` (the checks of §1.4, in Godot's order). Server:
:func:`parse_request` (method, path, headers, exposed before accepting so a server can route
or answer plain HTTP on the same port), :func:`validate_request` (§2.2 incl. sub-protocol
selection), :func:`build_response` (§2.1) and :func:`build_http_response` for refusals.

Header blocks are decoded byte-per-character (Latin-1, stopping at a NUL) and split like
Godot's ``String.split``: names lower-cased but not trimmed, values trimmed with
``strip_edges`` (characters <= 32), repeated names joined with ``,``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MAX_HEADER_SIZE = 4096
"""Godot's WSL_MAX_HEADER_SIZE: the head, final CRLFCRLF included, must fit in this."""

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_EDGES = "".join(chr(c) for c in range(33))


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key value (RFC 6455 §4.2.2)."""
    digest = hashlib.sha1((key + GUID).encode("utf-8")).digest()
    return base64.b64encode(digest).decode("ascii")


def generate_key(token_bytes: Callable[[int], bytes]) -> str:
    """A fresh Sec-WebSocket-Key: 16 random bytes, base64 (24 characters ending in ``==``)."""
    return base64.b64encode(token_bytes(16)).decode("ascii")


def find_head_end(buf: bytes | bytearray, start: int = 0) -> int:
    """Index just past the first CRLFCRLF at or after ``start`` - 3, or -1 if not there yet."""
    i = buf.find(b"\r\n\r\n", max(0, start - 3))
    return -1 if i < 0 else i + 4


def _godot_split(text: str, sep: str, allow_empty: bool = True, maxsplit: int = 0) -> list[str]:
    """Godot's ``String::split``: empty pieces skipped unless allowed; with ``maxsplit`` the
    piece that reaches the limit runs to the end of the string."""
    if not maxsplit:  # str.split, minus the empty pieces when they are not allowed
        pieces = text.split(sep)
        return pieces if allow_empty else [p for p in pieces if p]
    if maxsplit == 1 and not allow_empty:  # "Name: value", the usual header line
        cut = text.find(sep)
        rest = cut + len(sep)
        if cut > 0 and rest < len(text) and not text.startswith(sep, rest):
            return [text[:cut], text[rest:]]
    out: list[str] = []
    start = 0
    length = len(text)
    if not text:
        return [""] if allow_empty else []
    while True:
        end = text.find(sep, start)
        if end < 0:
            end = length
        if allow_empty or end > start:
            if maxsplit > 0 and len(out) == maxsplit:
                out.append(text[start:])
                break
            out.append(text[start:end])
        if end == length:
            break
        start = end + len(sep)
    return out


def _decode_head(block: bytes | bytearray) -> str:
    nul = block.find(b"\x00")
    if nul >= 0:
        block = block[:nul]
    return bytes(block).decode("latin-1")


def _parse_header_lines(lines: Sequence[str]) -> tuple[dict[str, str], list[tuple[str, str]], str]:
    """Godot's header loop: returns (joined headers, raw (name, value) pairs, error or "")."""
    headers: dict[str, str] = {}
    raw: list[tuple[str, str]] = []
    for line in lines:
        parts = _godot_split(line, ":", False, 1)
        if len(parts) != 2:
            return headers, raw, f"invalid header line {line!r}"
        name = parts[0].lower()
        value = parts[1].strip(_EDGES)
        raw.append((parts[0], value))
        headers[name] = headers[name] + "," + value if name in headers else value
    return headers, raw, ""


def _repeated(raw: Sequence[tuple[str, str]], names: tuple[str, ...]) -> str:
    """The first of ``names`` (lower-case) sent on more than one header line, or ""."""
    seen: set[str] = set()
    for name, _value in raw:
        low = name.lower()
        if low in names:
            if low in seen:
                return low
            seen.add(low)
    return ""


_ONCE_IN_REQUEST = ("sec-websocket-key", "sec-websocket-version")
_ONCE_IN_RESPONSE = ("sec-websocket-accept",)


@dataclass(frozen=True)
class HandshakeRequest:
    """A parsed HTTP request head (server side), available before the upgrade is accepted.

    ``headers``: Godot's map (lower-cased names, values trimmed, repeats joined with ``,``).
    ``raw_headers``: every header line as (name as sent, trimmed value), in order.
    ``error``: why the head is not even a well-formed request by Godot's rules ("" if it is).
    """

    method: str
    path: str
    version: str
    headers: dict[str, str] = field(default_factory=dict)
    raw_headers: tuple[tuple[str, str], ...] = ()
    error: str = ""

    def get_header(self, name: str, default: str = "") -> str:
        """Joined value of header ``name`` (case-insensitive), or ``default``."""
        return self.headers.get(name.lower(), default)

    @property
    def is_websocket_upgrade(self) -> bool:
        """True if the request asks for a WebSocket upgrade (``Upgrade: websocket``)."""
        return self.headers.get("upgrade", "").lower() == "websocket"


def parse_request(block: bytes | bytearray) -> HandshakeRequest:
    """Parse a request head (with or without its final CRLFCRLF); never raises."""
    if block.endswith(b"\r\n\r\n"):
        block = block[:-4]
    lines = _godot_split(_decode_head(block), "\r\n")
    tokens = _godot_split(lines[0], " ", False) if lines else []
    method = tokens[0] if tokens else ""
    path = tokens[1] if len(tokens) > 1 else ""
    version = tokens[2] if len(tokens) > 2 else ""
    headers, raw, error = _parse_header_lines(lines[1:])
    if not error:
        if len(lines) < 4:
            error = f"not enough request headers: {len(lines)} lines, expected >= 4"
        elif len(tokens) < 3:
            error = "invalid request line"
    return HandshakeRequest(method, path, version, headers, tuple(raw), error)


@dataclass(frozen=True)
class RequestVerdict:
    """Outcome of :func:`validate_request`: ``error`` ("" when acceptable) and the protocol."""

    error: str
    selected_protocol: str = ""


def validate_request(
    request: HandshakeRequest, supported_protocols: Sequence[str] = ()
) -> RequestVerdict:
    """Godot's server-side checks (websocket-handshake.md §2.2), in Godot's order."""
    if request.error:
        return RequestVerdict(request.error)
    if request.method != "GET" or request.version != "HTTP/1.1":
        return RequestVerdict("invalid method or HTTP version")
    h = request.headers
    if h.get("upgrade", "").lower() != "websocket" or "upgrade" not in h:
        return RequestVerdict("missing or invalid header 'upgrade'")
    repeated = _repeated(request.raw_headers, _ONCE_IN_REQUEST)
    if repeated:  # RFC 6455 §11.3: once per request; Godot joins them (and accepts two keys)
        return RequestVerdict(f"header {repeated!r} sent more than once")
    if "sec-websocket-version" not in h or h["sec-websocket-version"].lower() != "13":
        return RequestVerdict("missing or invalid header 'sec-websocket-version'")
    if "sec-websocket-key" not in h:
        return RequestVerdict("missing header 'sec-websocket-key'")
    if "connection" not in h:
        return RequestVerdict("missing header 'connection'")
    if "sec-websocket-protocol" in h:
        for offered in h["sec-websocket-protocol"].split(","):
            proto = offered.strip(_EDGES)
            if proto and proto in supported_protocols:
                return RequestVerdict("", proto)
        return RequestVerdict("none of the requested sub-protocols is supported")
    if supported_protocols:
        return RequestVerdict("no sub-protocol requested but the server requires one")
    return RequestVerdict("")


def build_request(
    host: str,
    resource: str,
    key: str,
    protocols: Sequence[str] = (),
    handshake_headers: Sequence[str] = (),
    extensions: str = "",
) -> bytes:
    """The client's request (websocket-handshake.md §1.1), UTF-8 encoded.

    ``host`` is the whole Host value (port suffix included when not the default);
    ``extensions`` (permessage-deflate offer) adds a Sec-WebSocket-Extensions line after the
    protocol line; without it the bytes are exactly Godot's.
    """
    lines = [
        f"GET {resource} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if protocols:
        lines.append("Sec-WebSocket-Protocol: " + ",".join(protocols))
    if extensions:
        lines.append("Sec-WebSocket-Extensions: " + extensions)
    lines.extend(handshake_headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


@dataclass(frozen=True)
class ResponseVerdict:
    """Outcome of :func:`validate_response`."""

    error: str
    selected_protocol: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def validate_response(
    block: bytes | bytearray, key: str, protocols: Sequence[str] = ()
) -> ResponseVerdict:
    """Godot's client-side checks of the server's response (websocket-handshake.md §1.4)."""
    if block.endswith(b"\r\n\r\n"):
        block = block[:-4]
    lines = _godot_split(_decode_head(block), "\r\n")
    if len(lines) < 4:
        return ResponseVerdict(f"not enough response headers: {len(lines)} lines")
    status = _godot_split(lines[0], " ", False)
    if len(status) < 2:
        return ResponseVerdict("invalid status line")
    if status[0] != "HTTP/1.1":
        return ResponseVerdict("invalid HTTP version")
    if status[1] != "101":
        return ResponseVerdict(f"invalid status code {status[1]!r}")
    headers, raw, error = _parse_header_lines(lines[1:])
    if error:
        return ResponseVerdict(error)
    repeated = _repeated(raw, _ONCE_IN_RESPONSE)
    if repeated:  # RFC 6455 §11.3.3
        return ResponseVerdict(f"header {repeated!r} sent more than once", headers=headers)
    for name, value in (("connection", "upgrade"), ("upgrade", "websocket")):
        if name not in headers or headers[name].lower() != value:
            return ResponseVerdict(f"missing or invalid header {name!r}", headers=headers)
    if headers.get("sec-websocket-accept") != accept_key(key):
        return ResponseVerdict("missing or invalid header 'sec-websocket-accept'", headers=headers)
    if not protocols:
        if "sec-websocket-protocol" in headers:
            return ResponseVerdict("server selected a sub-protocol we did not request", "", headers)
        return ResponseVerdict("", "", headers)
    proto = headers.get("sec-websocket-protocol")
    if proto is None:
        return ResponseVerdict("server did not select a sub-protocol", "", headers)
    if proto not in protocols:
        return ResponseVerdict(f"server selected an unknown sub-protocol {proto!r}", "", headers)
    return ResponseVerdict("", proto, headers)


def build_response(
    key: str,
    selected_protocol: str = "",
    handshake_headers: Sequence[str] = (),
    extensions: str = "",
) -> bytes:
    """The server's 101 response (websocket-handshake.md §2.1), UTF-8 encoded."""
    lines = [
        "HTTP/1.1 101 Switching Protocols",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Accept: {accept_key(key)}",
    ]
    if selected_protocol:
        lines.append(f"Sec-WebSocket-Protocol: {selected_protocol}")
    if extensions:
        lines.append(f"Sec-WebSocket-Extensions: {extensions}")
    lines.extend(handshake_headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


_REASONS = {
    200: "OK",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    426: "Upgrade Required",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def build_http_response(
    status: int,
    body: bytes = b"",
    headers: Sequence[str] = (),
    *,
    reason: str = "",
    content_type: str = "text/plain; charset=utf-8",
) -> bytes:
    """A complete HTTP/1.1 response that ends the connection (``Connection: close``).

    For refusing an upgrade (400, 403, 426, 431 ...) or serving plain HTTP on the WebSocket
    port. ``headers`` are extra ``"Name: value"`` lines.
    """
    phrase = reason or _REASONS.get(status, "Unknown")
    lines = [f"HTTP/1.1 {status} {phrase}"]
    if body or status >= 200:
        lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    lines.extend(headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def build_bad_request(message: str = "Bad Request") -> bytes:
    """``400 Bad Request`` with a short plain-text body (for malformed upgrade requests)."""
    return build_http_response(400, message.encode("utf-8") + b"\n")
