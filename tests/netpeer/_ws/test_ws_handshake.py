"""Handshake bytes and validation rules (websocket-handshake.md §1 and §2)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netpeer._ws.connection import State, WebSocketConnection
from netpeer._ws.events import HandshakeCompleted, HandshakeFailed, Message, RequestReceived
from netpeer._ws.handshake import (
    MAX_HEADER_SIZE,
    _godot_split,
    accept_key,
    build_bad_request,
    build_http_response,
    build_request,
    build_response,
    parse_request,
    validate_request,
    validate_response,
)

SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ=="
SAMPLE_KEY_BYTES = base64.b64decode(SAMPLE_KEY)

REQUEST_13_HEX = (
    "474554202f6368617420485454502f312e310d0a486f73743a206578616d706c652e636f6d3a383038300d0a"
    "557067726164653a20776562736f636b65740d0a436f6e6e656374696f6e3a20557067726164650d0a"
    "5365632d576562536f636b65742d4b65793a206447686c49484e68625842735a5342756232356a5a513d3d0d0a"
    "5365632d576562536f636b65742d56657273696f6e3a2031330d0a0d0a"
)
RESPONSE_21_HEX = (
    "485454502f312e312031303120537769746368696e672050726f746f636f6c730d0a"
    "557067726164653a20776562736f636b65740d0a436f6e6e656374696f6e3a20557067726164650d0a"
    "5365632d576562536f636b65742d4163636570743a20733370504c4d426954786151396b59477a7a685a52624b2b784f6f3d0d0a0d0a"
)


def fixed_token(n: int) -> bytes:
    """token_bytes giving the RFC sample nonce for keys and zero mask keys."""
    return SAMPLE_KEY_BYTES if n == 16 else bytes(n)


# --- client request -----------------------------------------------------------------------


def test_request_13_byte_exact():
    wire = build_request("example.com:8080", "/chat", SAMPLE_KEY)
    assert wire == bytes.fromhex(REQUEST_13_HEX)
    assert len(wire) == 159


def test_request_13_via_connection():
    conn = WebSocketConnection(True, token_bytes=fixed_token)
    conn.initiate_handshake("example.com:8080", "/chat")
    assert conn.data_to_send() == bytes.fromhex(REQUEST_13_HEX)
    assert conn.state is State.CONNECTING


def test_request_with_protocols_and_headers():
    wire = build_request(
        "localhost", "/", SAMPLE_KEY, ["chat", "superchat"], ["X-Token: abc", "Cookie: a=1"]
    )
    assert wire == (
        b"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Protocol: chat,superchat\r\nX-Token: abc\r\nCookie: a=1\r\n\r\n"
    )


def test_random_key_shape():
    conn = WebSocketConnection(True)
    conn.initiate_handshake("h")
    line = next(x for x in conn.data_to_send().split(b"\r\n") if x.startswith(b"Sec-WebSocket-Key"))
    key = line.split(b": ")[1]
    assert len(key) == 24 and key.endswith(b"==")
    assert len(base64.b64decode(key)) == 16


# --- server response ----------------------------------------------------------------------


def test_response_21_byte_exact():
    wire = build_response(SAMPLE_KEY)
    assert wire == bytes.fromhex(RESPONSE_21_HEX)
    assert len(wire) == 129


@pytest.mark.parametrize(
    ("key", "accept"),
    [
        ("dGhlIHNhbXBsZSBub25jZQ==", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ("AQIDBAUGBwgJCgsMDQ4PEA==", "C/0nmHhBztSRGR1CwL6Tf4ZjwpY="),
        ("AAAAAAAAAAAAAAAAAAAAAA==", "ICX+Yqv66kxgM0FcWaLWlFLwTAI="),
        ("", "Kfh9QIsMVZcl6xEPYxPHzW8SZ8w="),
    ],
)
def test_accept_values(key, accept):
    assert accept_key(key) == accept


def test_response_with_protocol_and_headers():
    wire = build_response(SAMPLE_KEY, "chat", ["X-A: 1"])
    assert wire.endswith(b"Sec-WebSocket-Protocol: chat\r\nX-A: 1\r\n\r\n")


def test_server_connection_answers_21_bytes():
    request = bytes.fromhex(REQUEST_13_HEX)
    conn = WebSocketConnection(False)
    conn.receive_data(request)
    [event] = conn.events_received()
    assert isinstance(event, RequestReceived)
    assert event.request.path == "/chat"
    assert event.request.get_header("HOST") == "example.com:8080"
    assert conn.accept() == ""
    assert conn.state is State.OPEN
    assert conn.data_to_send() == bytes.fromhex(RESPONSE_21_HEX)
    [done] = conn.events_received()
    assert isinstance(done, HandshakeCompleted)


# --- Godot split ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sep", "allow", "maxsplit", "out"),
    [
        ("Host: a:b", ":", False, 1, ["Host", " a:b"]),
        ("X-Foo:", ":", False, 1, ["X-Foo"]),
        (":value", ":", False, 1, ["value"]),
        ("a::b", ":", False, 1, ["a", "b"]),
        ("GET   /chat   HTTP/1.1", " ", False, 0, ["GET", "/chat", "HTTP/1.1"]),
        ("a\r\n\r\nb", "\r\n", True, 0, ["a", "", "b"]),
        ("", "\r\n", True, 0, [""]),
    ],
)
def test_godot_split(text, sep, allow, maxsplit, out):
    assert _godot_split(text, sep, allow, maxsplit) == out


def _godot_split_oracle(text: str, sep: str, allow_empty: bool, maxsplit: int) -> list[str]:
    """Godot's String::split loop, transcribed one to one (core/string/ustring.cpp)."""
    if not text:
        return [""] if allow_empty else []
    out: list[str] = []
    start = 0
    while True:
        end = text.find(sep, start)
        if end < 0:
            end = len(text)
        if allow_empty or end > start:
            if maxsplit > 0 and len(out) == maxsplit:
                out.append(text[start:])
                break
            out.append(text[start:end])
        if end == len(text):
            break
        start = end + len(sep)
    return out


@given(
    text=st.text(alphabet="ab: \r\n", max_size=12),
    sep=st.sampled_from([":", " ", "\r\n"]),
    allow=st.booleans(),
    maxsplit=st.integers(0, 2),
)
def test_godot_split_fast_paths_match_godots_loop(text, sep, allow, maxsplit):
    assert _godot_split(text, sep, allow, maxsplit) == _godot_split_oracle(
        text, sep, allow, maxsplit
    )


# --- client-side response validation (§1.4) -------------------------------------------------

GOOD_ACCEPT = accept_key(SAMPLE_KEY)


def response(*lines: str, status: str = "HTTP/1.1 101 Switching Protocols") -> bytes:
    return ("\r\n".join([status, *lines]) + "\r\n\r\n").encode("latin-1")


BASE = ("Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Accept: {GOOD_ACCEPT}")


@pytest.mark.parametrize(
    ("block", "protocols"),
    [
        (response("Upgrade: websocket", "Connection: Upgrade"), ()),  # fewer than 4 lines
        (response(*BASE, status="HTTP/1.1"), ()),
        (response(*BASE, status="HTTP/1.0 101 Switching Protocols"), ()),
        (response(*BASE, status="http/1.1 101 Switching Protocols"), ()),
        (response(*BASE, status="HTTP/1.1 400 Bad Request"), ()),
        (response(*BASE, status="HTTP/1.1 200 OK"), ()),
        (response(*BASE, "X-Foo:"), ()),  # empty value
        (response(*BASE, "NoColon"), ()),
        (response(BASE[0], BASE[2], "X: y"), ()),  # no connection
        (response(BASE[0], "Connection: keep-alive, Upgrade", BASE[2]), ()),
        (response(BASE[0], "Connection: Upgrade, keep-alive", BASE[2]), ()),
        (response(BASE[1], BASE[2], "X: y"), ()),  # no upgrade
        (response("Upgrade: websocket, h2c", BASE[1], BASE[2]), ()),
        (response("Upgrade : websocket", BASE[1], BASE[2]), ()),  # name 'upgrade '
        (response(BASE[0], BASE[1], "Sec-WebSocket-Accept: wrong"), ()),
        (response(BASE[0], BASE[1], "Sec-WebSocket-Accept: " + GOOD_ACCEPT.lower()), ()),
        (response(BASE[0], BASE[1], "X: y"), ()),  # accept missing
        (response(*BASE, "Sec-WebSocket-Protocol: chat"), ()),  # not requested
        (response(*BASE), ("chat",)),  # requested but none selected
        (response(*BASE, "Sec-WebSocket-Protocol: other"), ("chat",)),
        (response(*BASE, "Sec-WebSocket-Protocol: a,b"), ("a", "b")),
        (response(*BASE, "Sec-WebSocket-Protocol: Chat"), ("chat",)),
    ],
)
def test_response_rejections(block, protocols):
    assert validate_response(block, SAMPLE_KEY, protocols).error


@pytest.mark.parametrize(
    ("block", "protocols", "selected"),
    [
        (response(*BASE), (), ""),
        (response(*BASE, "Sec-WebSocket-Protocol: chat"), ("x", "chat"), "chat"),
        (response("UPGRADE: WebSocket", "connection: UPGRADE", BASE[2]), (), ""),
        (response(*BASE, "Server: x", "Sec-WebSocket-Extensions: foo", "Set-Cookie: a=b"), (), ""),
        (response(*BASE, status="HTTP/1.1   101"), (), ""),
        (response(*BASE, "X-Space:  "), (), ""),
    ],
)
def test_response_accepted(block, protocols, selected):
    verdict = validate_response(block, SAMPLE_KEY, protocols)
    assert verdict.error == ""
    assert verdict.selected_protocol == selected


def test_nul_byte_truncates_the_response():
    block = response(*BASE).replace(b"Sec-WebSocket-Accept", b"\x00Sec-WebSocket-Accept")
    assert validate_response(block, SAMPLE_KEY).error


def client_conn(protocols=()):
    conn = WebSocketConnection(True, token_bytes=fixed_token)
    conn.initiate_handshake("example.com", "/", protocols)
    conn.data_to_send()
    return conn


def test_client_connection_bad_response_closes():
    conn = client_conn()
    conn.receive_data(response(*BASE, status="HTTP/1.1 400 Bad Request"))
    [event] = conn.events_received()
    assert isinstance(event, HandshakeFailed)
    assert conn.state is State.CLOSED
    assert conn.close_code == -1


def test_client_response_split_byte_by_byte_and_frames_after_it():
    conn = client_conn(("chat",))
    data = response(*BASE, "Sec-WebSocket-Protocol: chat") + b"\x82\x02hi"
    for i in range(len(data)):
        conn.receive_data(data[i : i + 1])
    events = conn.events_received()
    assert isinstance(events[0], HandshakeCompleted)
    assert events[0].selected_protocol == "chat"
    assert events[1:] == [Message(b"hi", False)]
    assert conn.selected_protocol == "chat"


def test_client_header_limit():
    conn = client_conn()
    conn.receive_data(b"HTTP/1.1 101 x\r\n" + b"X: " + b"y" * MAX_HEADER_SIZE)
    [event] = conn.events_received()
    assert isinstance(event, HandshakeFailed)
    assert conn.state is State.CLOSED


def test_client_header_just_fits():
    conn = client_conn()
    head = response(*BASE)
    pad = MAX_HEADER_SIZE - len(head) - len("X: \r\n")
    conn.receive_data(response(*BASE, "X: " + "y" * pad))
    assert isinstance(conn.events_received()[0], HandshakeCompleted)
    conn2 = client_conn()
    conn2.receive_data(response(*BASE, "X: " + "y" * (pad + 1)))
    assert isinstance(conn2.events_received()[0], HandshakeFailed)


def test_eof_during_handshake():
    conn = client_conn()
    conn.receive_eof()
    assert isinstance(conn.events_received()[0], HandshakeFailed)
    assert conn.state is State.CLOSED


# --- server-side request validation (§2.2) --------------------------------------------------


def request(*lines: str, line: str = "GET / HTTP/1.1") -> bytes:
    return ("\r\n".join([line, *lines]) + "\r\n\r\n").encode("latin-1")


REQ = (
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: k",
    "Sec-WebSocket-Version: 13",
)


@pytest.mark.parametrize(
    ("block", "supported"),
    [
        (request(*REQ[:2]), ()),  # < 4 lines
        (request(*REQ, line="GET"), ()),
        (request(*REQ, line="GET /"), ()),  # Godot 4.2 crashes here; we reject
        (request(*REQ, line="get / HTTP/1.1"), ()),
        (request(*REQ, line="POST / HTTP/1.1"), ()),
        (request(*REQ, line="GET / HTTP/1.0"), ()),
        (request(*REQ, line="GET / HTTP/2"), ()),
        (request(*REQ, "X-Empty:"), ()),
        (request(*REQ, "NoColonHere"), ()),
        (request(*REQ, ":value"), ()),
        (request("Upgrade : websocket", *REQ[1:]), ()),
        (request("Upgrade: websocket, foo", *REQ[1:]), ()),
        (request(REQ[0], *REQ), ()),  # joined to websocket,websocket
        (request(*REQ[:3], "Sec-WebSocket-Version: 8"), ()),
        (request(*REQ[:3], "Sec-WebSocket-Version: 13, 8"), ()),
        (request(*REQ[:3], "X: y"), ()),  # no version
        (request(REQ[0], REQ[1], REQ[3], "X: y"), ()),  # no key
        (request(REQ[0], REQ[2], REQ[3], "X: y"), ()),  # no connection
        (request(*REQ, "Sec-WebSocket-Protocol: chat"), ()),
        (request(*REQ), ("chat",)),
        (request(*REQ, "Sec-WebSocket-Protocol: Chat"), ("chat",)),
        (request(*REQ, "Sec-WebSocket-Protocol: x, y"), ("chat",)),
    ],
)
def test_request_rejections(block, supported):
    assert validate_request(parse_request(block), supported).error


@pytest.mark.parametrize(
    ("block", "supported", "selected"),
    [
        (request(*REQ), (), ""),
        (request(*REQ, line="GET   /chat   HTTP/1.1"), (), ""),
        (request(*REQ, line="GET / HTTP/1.1 extra"), (), ""),
        (request(*REQ, "X-Space:  "), (), ""),
        (request("UPGRADE: WebSocket", *REQ[1:]), (), ""),
        (request("Upgrade: WEBSOCKET", *REQ[1:]), (), ""),
        (request(REQ[0], "Connection: keep-alive", *REQ[2:]), (), ""),
        (request(REQ[0], "Connection: close", *REQ[2:]), (), ""),
        (request(*REQ[:2], "Sec-WebSocket-Key: ", REQ[3]), (), ""),
        (request(*REQ, "Sec-WebSocket-Protocol: chat"), ("chat",), "chat"),
        (request(*REQ, "Sec-WebSocket-Protocol: b, a"), ("a", "b"), "b"),
        (request(*REQ, "Sec-WebSocket-Protocol: x, chat"), ("chat",), "chat"),
        (
            request(*REQ, "Sec-WebSocket-Protocol: x", "Sec-WebSocket-Protocol: chat"),
            ("chat",),
            "chat",
        ),
    ],
)
def test_request_accepted(block, supported, selected):
    verdict = validate_request(parse_request(block), supported)
    assert verdict.error == ""
    assert verdict.selected_protocol == selected


def test_minimal_request_23():
    block = (
        b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: x\r\n"
        b"Sec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    conn = WebSocketConnection(False)
    conn.receive_data(block)
    conn.events_received()
    assert conn.accept() == ""
    assert f"Sec-WebSocket-Accept: {accept_key('k')}".encode() in conn.data_to_send()


def test_parsed_request_exposes_path_and_headers():
    req = parse_request(
        request(*REQ, "Cookie: a=1", "cookie: b=2", "Host: h:1", line="GET /room/7?t=x HTTP/1.1")
    )
    assert (req.method, req.path, req.version) == ("GET", "/room/7?t=x", "HTTP/1.1")
    assert req.get_header("Cookie") == "a=1,b=2"
    assert ("Cookie", "a=1") in req.raw_headers
    assert req.is_websocket_upgrade
    assert req.error == ""


def test_plain_http_request_is_parsed_and_answered():
    conn = WebSocketConnection(False)
    conn.receive_data(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
    [event] = conn.events_received()
    assert isinstance(event, RequestReceived)
    assert event.request.path == "/index.html"
    assert not event.request.is_websocket_upgrade
    assert conn.accept() != ""
    assert conn.state is State.CONNECTING
    page = build_http_response(200, b"<h1>hi</h1>", content_type="text/html")
    assert conn.send_http_response(page)
    assert conn.state is State.CLOSED
    assert conn.data_to_send() == (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 11\r\n"
        b"Connection: close\r\n\r\n<h1>hi</h1>"
    )


def test_bad_request_builder():
    assert build_bad_request("nope") == (
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: 5\r\nConnection: close\r\n\r\nnope\n"
    )


def test_rejected_accept_then_400():
    conn = WebSocketConnection(False)
    conn.receive_data(request(*REQ[:3], "Sec-WebSocket-Version: 8"))
    conn.events_received()
    assert "version" in conn.accept()
    conn.send_http_response(build_bad_request())
    assert conn.data_to_send().startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert conn.state is State.CLOSED


def test_server_header_limit_reports_once_and_stays_connecting():
    conn = WebSocketConnection(False)
    conn.receive_data(b"GET / HTTP/1.1\r\n" + b"X: " + b"y" * MAX_HEADER_SIZE)
    conn.receive_data(b"more\r\n\r\n")
    events = conn.events_received()
    assert len(events) == 1 and isinstance(events[0], HandshakeFailed)
    assert conn.state is State.CONNECTING  # Godot never leaves CONNECTING (Q-WS-HDRLIMIT)
    conn.send_http_response(build_http_response(431))
    assert conn.state is State.CLOSED


def test_server_pipelined_frame_after_request():
    conn = WebSocketConnection(False)
    frame = b"\x82\x82\x00\x00\x00\x00hi"
    conn.receive_data(bytes.fromhex(REQUEST_13_HEX) + frame[:3])
    conn.receive_data(frame[3:])
    assert isinstance(conn.events_received()[0], RequestReceived)
    assert conn.accept() == ""
    assert conn.events_received()[1:] == [Message(b"hi", False)]


def test_accept_only_once_and_not_on_client():
    conn = WebSocketConnection(False)
    assert conn.accept() != ""  # nothing received yet
    assert client_conn().accept() != ""
    assert not client_conn().send_http_response(b"x")


def test_initiate_handshake_twice_is_a_programming_error():
    conn = client_conn()
    with pytest.raises(RuntimeError):
        conn.initiate_handshake("h")
