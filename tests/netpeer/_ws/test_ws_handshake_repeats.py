"""Headers RFC 6455 §11.3 allows only once are refused when repeated, with that reason.

Godot 4.2 joins repeated headers with ``,``; for the key that silently accepted two keys, for
the version and accept values it refused by accident (``13,13`` is not ``13``).
"""

from __future__ import annotations

import pytest

from netpeer._ws.connection import State, WebSocketConnection
from netpeer._ws.events import HandshakeFailed, RequestReceived
from netpeer._ws.handshake import accept_key, parse_request, validate_request, validate_response

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
BASE = ("Host: h", "Upgrade: websocket", "Connection: Upgrade")


def request(*headers: str) -> bytes:
    return ("\r\n".join(("GET / HTTP/1.1", *BASE, *headers)) + "\r\n\r\n").encode()


def response(*headers: str) -> bytes:
    lines = ("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade")
    return ("\r\n".join((*lines, *headers)) + "\r\n\r\n").encode()


@pytest.mark.parametrize(
    ("headers", "name"),
    [
        (
            (f"Sec-WebSocket-Key: {KEY}", "Sec-WebSocket-Key: other", "Sec-WebSocket-Version: 13"),
            "sec-websocket-key",
        ),
        (
            (f"Sec-WebSocket-Key: {KEY}", f"sec-websocket-key: {KEY}", "Sec-WebSocket-Version: 13"),
            "sec-websocket-key",
        ),
        (
            (f"Sec-WebSocket-Key: {KEY}", "Sec-WebSocket-Version: 13", "SEC-WEBSOCKET-VERSION: 13"),
            "sec-websocket-version",
        ),
    ],
)
def test_repeated_request_header_is_refused(headers: tuple[str, ...], name: str) -> None:
    verdict = validate_request(parse_request(request(*headers)))
    assert verdict.error == f"header {name!r} sent more than once"


def test_single_key_and_version_are_accepted() -> None:
    block = request(f"Sec-WebSocket-Key: {KEY}", "Sec-WebSocket-Version: 13")
    assert validate_request(parse_request(block)).error == ""


def test_server_connection_refuses_a_repeated_key() -> None:
    conn = WebSocketConnection(False)
    conn.receive_data(
        request(f"Sec-WebSocket-Key: {KEY}", "Sec-WebSocket-Key: x", "Sec-WebSocket-Version: 13")
    )
    assert isinstance(conn.events_received()[0], RequestReceived)
    assert conn.accept() == "header 'sec-websocket-key' sent more than once"
    assert conn.state is State.CONNECTING  # the shell answers 400


def test_repeated_accept_header_is_refused() -> None:
    accept = f"Sec-WebSocket-Accept: {accept_key(KEY)}"
    assert validate_response(response(accept), KEY).error == ""
    verdict = validate_response(response(accept, accept), KEY)
    assert verdict.error == "header 'sec-websocket-accept' sent more than once"


def test_client_connection_fails_on_a_repeated_accept() -> None:
    conn = WebSocketConnection(True, token_bytes=lambda n: bytes(n))
    conn.initiate_handshake("h")
    conn.data_to_send()
    key = "AAAAAAAAAAAAAAAAAAAAAA=="
    accept = f"Sec-WebSocket-Accept: {accept_key(key)}"
    conn.receive_data(response(accept, accept))
    events = conn.events_received()
    assert events == [HandshakeFailed("header 'sec-websocket-accept' sent more than once")]
    assert conn.state is State.CLOSED
