"""WebSocketPeer against a hostile raw-socket peer: hand-built frames and handshakes.

Both directions: a raw *server* attacks our client (``connect_to_url``) and a raw *client*
attacks our server (``TCPServer`` + ``accept_stream``). Every bad input must end in the RFC 6455
close code (1002 protocol error, 1007 invalid UTF-8, 1009 too big) sent on the wire *and*
reported by our peer (Godot 4.4: state CLOSED, ``get_close_code()`` = the code, reason text of
PR #97913), or for a broken handshake a clean failure (client: CLOSED with code -1; server:
an HTTP 400 answer, then CLOSED). ``poll()`` must never raise: every test polls through
``wait_until`` / the raw peer's pump, so an exception fails the test.

The raw peer (``raw_ws_peer.py``) is independent of ``netpeer._ws``: frames are built with
``struct`` here, and what our peer sends back is parsed the same way.
"""

from __future__ import annotations

import random
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import wait_until
from raw_ws_peer import (
    STATE_CLOSED,
    STATE_CONNECTING,
    STATE_OPEN,
    HostileServer,
    OurServer,
    RawConn,
    accept_value,
    close_our_peers,  # noqa: F401 (autouse fixture)
    close_payload,
    frame,
    head_headers,
    our_peer,
    random_mask,
    request_key,
    request_upgrade,
    response_101,
    tls_client_options,
)

from engine.core.error import Error
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

REASONS = {1002: "Protocol error", 1007: "Invalid frame payload data", 1009: "Message too big"}
KEY = "dGhlIHNhbXBsZSBub25jZQ=="

Builder = Callable[[bytes | None], bytes]


def F(opcode: int, payload: bytes = b"", **kw: object) -> Builder:
    """A frame builder; the mask (client side) is supplied when the case is run."""
    return lambda mask: frame(opcode, payload, mask=mask, **kw)  # type: ignore[arg-type]


def seq(*parts: Builder) -> Builder:
    return lambda mask: b"".join(part(mask) for part in parts)


# --------------------------------------------------------------------------- frame cases

PROTOCOL_ERRORS: list[tuple[str, Builder, int]] = [
    (f"reserved-opcode-{op:#x}", F(op, b"x"), 1002)
    for op in (3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF)
]
PROTOCOL_ERRORS += [
    ("rsv1-text", F(1, b"hi", rsv=4), 1002),
    ("rsv2-text", F(1, b"hi", rsv=2), 1002),
    ("rsv3-binary", F(2, b"hi", rsv=1), 1002),
    ("rsv-all-binary", F(2, b"hi", rsv=7), 1002),
    ("rsv1-ping", F(9, b"p", rsv=4), 1002),
    ("rsv2-close", F(8, close_payload(1000), rsv=2), 1002),
    ("rsv3-continuation", seq(F(2, b"a", fin=False), F(0, b"b", rsv=1)), 1002),
    # UTF-8
    ("utf8-ff", F(1, b"\xff"), 1007),
    ("utf8-bad-continuation", F(1, b"\xc3\x28"), 1007),
    ("utf8-overlong", F(1, b"\xc0\xaf"), 1007),
    ("utf8-surrogate", F(1, b"ab\xed\xa0\x80"), 1007),
    ("utf8-above-10ffff", F(1, b"\xf4\x90\x80\x80"), 1007),
    ("utf8-truncated", F(1, b"abc\xe2\x82"), 1007),
    ("utf8-split-bad", seq(F(1, b"ok\xe2\x82", fin=False), F(0, b"\x28")), 1007),
    (
        "utf8-split-truncated-at-end",
        seq(F(1, b"\xe2", fin=False), F(0, b"\x82", fin=False), F(0, b"")),
        1007,
    ),
    (
        "utf8-split-bad-with-ping-between",
        seq(F(1, b"\xf0\x9f", fin=False), F(9, b"p"), F(0, b"\x98\xff")),
        1007,
    ),
    ("utf8-bad-in-first-fragment", seq(F(1, b"\xff", fin=False), F(0, b"ok")), 1007),
    ("close-reason-bad-utf8", F(8, close_payload(1000, b"\xff\xfe")), 1007),
    # close codes
    *[
        (f"close-code-{c}", F(8, close_payload(c, b"x")), 1002)
        for c in (0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535)
    ],
    ("close-1-byte-payload", F(8, b"\x03"), 1002),
    # control frames
    ("ping-126-bytes", F(9, b"p" * 126), 1002),
    ("pong-126-bytes", F(10, b"p" * 126), 1002),
    ("close-126-bytes", F(8, close_payload(1000, b"r" * 124)), 1002),
    ("ping-65536-bytes", F(9, b"p" * 65536), 1002),
    ("fragmented-ping", F(9, b"p", fin=False), 1002),
    ("fragmented-close", F(8, close_payload(1000), fin=False), 1002),
    # lengths
    ("non-minimal-16-for-3", F(2, b"abc", length_form=16), 1002),
    ("non-minimal-16-for-125", F(2, b"a" * 125, length_form=16), 1002),
    ("non-minimal-16-for-0", F(2, b"", length_form=16), 1002),
    ("non-minimal-64-for-0", F(2, b"", length_form=64), 1002),
    ("non-minimal-64-for-200", F(2, b"a" * 200, length_form=64), 1002),
    ("non-minimal-64-for-65535", F(2, b"a" * 65535, length_form=64), 1002),
    ("non-minimal-ping-16", F(9, b"p", length_form=16), 1002),
    ("length-64-top-bit", F(2, b"", length_form=64, declared_length=1 << 63), 1002),
    ("length-64-all-ones", F(2, b"", length_form=64, declared_length=(1 << 64) - 1), 1002),
    # message size (inbound_buffer_size = 65535 by default)
    ("oversize-single-frame", F(2, b"\0" * 65536), 1009),
    ("oversize-text", F(1, b"a" * 70000), 1009),
    ("oversize-fragments", seq(F(2, b"\0" * 40000, fin=False), F(0, b"\0" * 40000)), 1009),
    (
        "oversize-many-small-fragments",
        seq(*[F(2 if i == 0 else 0, b"\1" * 1000, fin=False) for i in range(70)]),
        1009,
    ),
    ("oversize-declared-2^40", F(2, b"", declared_length=1 << 40), 1009),
    # fragmentation
    ("continuation-without-start", F(0, b"x"), 1002),
    ("data-inside-fragmented-binary", seq(F(2, b"a", fin=False), F(1, b"b")), 1002),
    ("data-inside-fragmented-text", seq(F(1, b"a", fin=False), F(2, b"b", fin=False)), 1002),
]
# (id, builder, close code, packets delivered before the violation)
CASES: list[tuple[str, Builder, int, list[tuple[bytes, bool]]]] = [
    (i, b, c, []) for i, b, c in PROTOCOL_ERRORS
]
CASES += [
    ("continuation-after-final", seq(F(2, b"a"), F(0, b"b")), 1002, [(b"a", False)]),
    ("good-text-then-rsv1", seq(F(1, b"ok"), F(1, b"no", rsv=4)), 1002, [(b"ok", True)]),
    ("good-binary-then-bad-utf8", seq(F(2, b"ok"), F(1, b"\xff")), 1007, [(b"ok", False)]),
]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def raw_server() -> Iterator[HostileServer]:
    srv = HostileServer()
    yield srv
    srv.close()


@pytest.fixture
def our_server() -> Iterator[OurServer]:
    srv = OurServer()
    yield srv
    srv.close()


@pytest.fixture
def tls_raw_server() -> Iterator[HostileServer]:
    srv = HostileServer(tls=True)
    yield srv
    srv.close()


@pytest.fixture
def tls_our_server() -> Iterator[OurServer]:
    srv = OurServer(tls=True)
    yield srv
    srv.close()


def open_our_client(
    raw_server: HostileServer, peer: WebSocketPeer | None = None
) -> tuple[WebSocketPeer, RawConn]:
    """Our client connected to the raw server, handshake done, state OPEN."""
    peer = peer or our_peer()
    tls = tls_client_options() if raw_server.tls else None
    assert peer.connect_to_url(raw_server.url + "/hostile", tls) == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    conn.send_all(response_101(request_key(head)))
    wait_until(lambda: peer.get_ready_state() == STATE_OPEN, step=peer.poll, message="client OPEN")
    return peer, conn


def open_our_server(our_server: OurServer) -> tuple[WebSocketPeer, RawConn]:
    """A raw client connected to our server, handshake done, our peer OPEN."""
    conn = our_server.raw_client()
    conn.send_all(request_upgrade(key=KEY))
    head = conn.read_head()
    assert head.startswith(b"HTTP/1.1 101 "), head
    assert head_headers(head)["sec-websocket-accept"] == [accept_value(KEY)]
    peer = our_server.peers[-1]
    wait_until(
        lambda: peer.get_ready_state() == STATE_OPEN, step=our_server.pump, message="server OPEN"
    )
    return peer, conn


def side_open(
    side: str, request: pytest.FixtureRequest
) -> tuple[WebSocketPeer, RawConn, bytes | None]:
    """(our peer, raw conn, mask the raw side must use) for ``side``: our "client" or
    "server", over TLS with a "-tls" suffix."""
    tls = side.endswith("-tls")
    if side.startswith("client"):
        raw = request.getfixturevalue("tls_raw_server" if tls else "raw_server")
        peer, conn = open_our_client(raw)
        return peer, conn, None
    ours = request.getfixturevalue("tls_our_server" if tls else "our_server")
    peer, conn = open_our_server(ours)
    return peer, conn, random_mask()


def packets(peer: WebSocketPeer) -> list[tuple[bytes, bool]]:
    out = []
    while peer.get_available_packet_count() > 0:
        data = peer.get_packet()
        out.append((bytes(data), peer.was_string_packet()))
    return out


def expect_failure(
    side: str,
    peer: WebSocketPeer,
    conn: RawConn,
    code: int,
    before: list[tuple[bytes, bool]] | None = None,
) -> None:
    """Our peer answered with a close frame carrying ``code`` and ended CLOSED with it.

    Messages completed before the violation (``before``) stay readable (Godot 4.4 keeps the
    receive queue); nothing of the offending message is delivered.
    """
    got = conn.read_until_close()
    close = got[-1]
    assert close.close_code == code, (close, got)
    assert close.masked == side.startswith("client")
    wait_until(
        lambda: peer.get_ready_state() == STATE_CLOSED,
        step=conn.pump,
        message="our peer CLOSED after the protocol error",
    )
    assert peer.get_close_code() == code
    assert peer.get_close_reason() == REASONS[code]
    assert packets(peer) == (before or [])
    # poll() keeps working (and never raises) after the failure, even on more garbage.
    try:
        conn.sock.send(b"\xff" * 64)
    except OSError:
        pass
    for _ in range(5):
        conn.pump()
    assert peer.get_ready_state() == STATE_CLOSED
    assert peer.send_text("late") != Error.OK


SIDES = ["client", "server"]
ALL_SIDES = ["client", "server", "client-tls", "server-tls"]
TLS_CASES = {
    "reserved-opcode-0x3",
    "rsv1-text",
    "utf8-split-bad",
    "close-code-1005",
    "ping-126-bytes",
    "non-minimal-64-for-200",
    "length-64-top-bit",
    "oversize-fragments",
    "oversize-declared-2^40",
    "continuation-without-start",
    "good-text-then-rsv1",
}


@pytest.mark.parametrize(
    ("side", "build", "code", "before"),
    [
        pytest.param(side, b, c, p, id=f"{i}-{side}")
        for side in ALL_SIDES
        for i, b, c, p in CASES
        if not side.endswith("-tls") or i in TLS_CASES
    ],
)
def test_protocol_error_gets_rfc_close_code(
    side: str,
    build: Builder,
    code: int,
    before: list[tuple[bytes, bool]],
    request: pytest.FixtureRequest,
) -> None:
    peer, conn, mask = side_open(side, request)
    conn.send_all(build(mask))
    expect_failure(side, peer, conn, code, before)


def test_masked_server_frame_is_rejected_by_our_client(raw_server: HostileServer) -> None:
    peer, conn = open_our_client(raw_server)
    conn.send_all(frame(2, b"masked!", mask=random_mask()))
    expect_failure("client", peer, conn, 1002)


def test_masked_server_ping_is_rejected_by_our_client(raw_server: HostileServer) -> None:
    peer, conn = open_our_client(raw_server)
    conn.send_all(frame(2, b"fine") + frame(9, b"p", mask=b"\0\0\0\0"))
    expect_failure("client", peer, conn, 1002, [(b"fine", False)])


def test_unmasked_client_frame_is_rejected_by_our_server(our_server: OurServer) -> None:
    peer, conn = open_our_server(our_server)
    conn.send_all(frame(1, b"unmasked"))
    expect_failure("server", peer, conn, 1002)


def test_unmasked_client_continuation_is_rejected(our_server: OurServer) -> None:
    peer, conn = open_our_server(our_server)
    conn.send_all(frame(1, b"ab", fin=False, mask=random_mask()) + frame(0, b"cd"))
    expect_failure("server", peer, conn, 1002)


# --------------------------------------------------------------------------- good traffic


@pytest.mark.parametrize("side", ALL_SIDES)
def test_fragmented_text_with_control_frames_between(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask = side_open(side, request)
    msg = seq(
        F(1, b"Hel", fin=False),
        F(9, b"ping!"),
        F(0, b"", fin=False),
        F(10, b"unsolicited pong"),
        F(0, b"lo \xe2\x82", fin=False),
        F(9, b""),
        F(0, b"\xac"),
    )
    conn.send_all(msg(mask) + frame(2, b"after", mask=mask))
    wait_until(lambda: peer.get_available_packet_count() == 2, step=conn.pump)
    assert packets(peer) == [("Hello €".encode(), True), (b"after", False)]
    pongs = conn.read_frames(2)
    assert [(f.opcode, f.payload, f.masked) for f in pongs] == [
        (10, b"ping!", side.startswith("client")),
        (10, b"", side.startswith("client")),
    ]
    assert peer.get_ready_state() == STATE_OPEN


@pytest.mark.parametrize("side", ALL_SIDES)
def test_fragmented_binary_many_fragments(side: str, request: pytest.FixtureRequest) -> None:
    peer, conn, mask = side_open(side, request)
    chunks = [bytes([i]) * (i * 37 % 500) for i in range(40)]
    parts = [
        frame(2 if i == 0 else 0, c, fin=(i == len(chunks) - 1), mask=mask)
        + (frame(9, bytes([i]), mask=mask) if i % 7 == 3 else b"")
        for i, c in enumerate(chunks)
    ]
    conn.send_all(b"".join(parts))
    wait_until(lambda: peer.get_available_packet_count() == 1, step=conn.pump)
    assert packets(peer) == [(b"".join(chunks), False)]
    pongs = conn.read_frames(sum(1 for i in range(40) if i % 7 == 3))
    assert [f.payload for f in pongs] == [bytes([i]) for i in range(40) if i % 7 == 3]


@pytest.mark.parametrize("side", ALL_SIDES)
def test_frames_fed_one_byte_at_a_time(side: str, request: pytest.FixtureRequest) -> None:
    peer, conn, mask = side_open(side, request)
    wire = (
        frame(1, "ünï".encode(), fin=False, mask=mask)
        + frame(9, b"xy", mask=mask)
        + frame(0, "cødé €".encode(), mask=mask)
        + frame(2, bytes(range(200)), mask=mask)
        + frame(2, b"z" * 300, mask=mask)
    )
    for i in range(len(wire)):
        conn.send_all(wire[i : i + 1])
        conn.pump()
    wait_until(lambda: peer.get_available_packet_count() == 3, step=conn.pump)
    assert packets(peer) == [
        ("ünïcødé €".encode(), True),
        (bytes(range(200)), False),
        (b"z" * 300, False),
    ]
    [pong] = conn.read_frames(1)
    assert pong.opcode == 10 and pong.payload == b"xy"


@pytest.mark.parametrize("side", ALL_SIDES)
@pytest.mark.parametrize("size", [0, 1, 125])
def test_ping_gets_pong_with_same_payload(
    side: str, size: int, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask = side_open(side, request)
    payload = bytes(range(size))
    conn.send_all(frame(9, payload, mask=mask))
    [pong] = conn.read_frames(1)
    assert (pong.opcode, pong.fin, pong.rsv, pong.payload) == (10, True, 0, payload)
    assert pong.masked == side.startswith("client")
    assert peer.get_ready_state() == STATE_OPEN
    assert peer.get_available_packet_count() == 0


@pytest.mark.parametrize("side", ALL_SIDES)
def test_exactly_inbound_buffer_size_is_accepted(side: str, request: pytest.FixtureRequest) -> None:
    peer, conn, mask = side_open(side, request)
    data = bytes(range(256)) * 255 + bytes(range(255))  # 65535 bytes
    conn.send_all(frame(2, data, mask=mask))
    wait_until(lambda: peer.get_available_packet_count() == 1, step=conn.pump)
    assert packets(peer) == [(data, False)]
    assert peer.get_ready_state() == STATE_OPEN


@pytest.mark.parametrize("side", ALL_SIDES)
@pytest.mark.parametrize("code", [1000, 1001, 1003, 1007, 1011, 1012, 3000, 4999])
def test_valid_close_code_is_echoed(side: str, code: int, request: pytest.FixtureRequest) -> None:
    peer, conn, mask = side_open(side, request)
    reason = "bye ü".encode()
    conn.send_all(frame(8, close_payload(code, reason), mask=mask))
    [echo] = conn.read_until_close()
    assert (echo.close_code, echo.close_reason) == (code, reason)
    assert echo.masked == side.startswith("client")
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=conn.pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (code, "bye ü")


@pytest.mark.parametrize("side", ALL_SIDES)
def test_empty_close_frame_gives_code_0(side: str, request: pytest.FixtureRequest) -> None:
    peer, conn, mask = side_open(side, request)
    conn.send_all(frame(8, b"", mask=mask))
    [echo] = conn.read_until_close()
    assert echo.payload == b""
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=conn.pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (0, "")


@pytest.mark.parametrize("side", ALL_SIDES)
def test_close_in_the_middle_of_a_fragmented_message(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask = side_open(side, request)
    conn.send_all(
        frame(1, b"par", fin=False, mask=mask) + frame(8, close_payload(1001, b"mid"), mask=mask)
    )
    [echo] = conn.read_until_close()
    assert echo.close_code == 1001
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=conn.pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (1001, "mid")


@pytest.mark.parametrize("side", ALL_SIDES)
def test_tcp_reset_while_open_gives_closed_minus_1(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, _ = side_open(side, request)
    pump = conn.pump
    conn.abort()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (-1, "")


@pytest.mark.parametrize("side", ALL_SIDES)
def test_eof_in_the_middle_of_a_frame_gives_closed_minus_1(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask = side_open(side, request)
    pump = conn.pump
    conn.send_all(frame(2, b"q" * 1000, mask=mask)[:500])
    conn.close()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=pump)
    assert peer.get_close_code() == -1
    assert peer.get_available_packet_count() == 0


# --------------------------------------------------------------------------- client handshake


def _bad_responses() -> list[tuple[str, Callable[[str], bytes]]]:
    pad = [f"X-Pad-{i}: {'a' * 100}" for i in range(45)]
    return [
        ("status-200", lambda k: b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
        (
            "status-200-with-ws-headers",
            lambda k: response_101(k, status_line="HTTP/1.1 200 OK"),
        ),
        ("status-400", lambda k: response_101(k, status_line="HTTP/1.1 400 Bad Request")),
        (
            "status-302",
            lambda k: (
                b"HTTP/1.1 302 Found\r\nLocation: ws://elsewhere/\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        ),
        ("status-404", lambda k: b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
        ("status-426", lambda k: response_101(k, status_line="HTTP/1.1 426 Upgrade Required")),
        ("status-1010", lambda k: response_101(k, status_line="HTTP/1.1 1010 Nope")),
        ("http-1.0", lambda k: response_101(k, status_line="HTTP/1.0 101 Switching Protocols")),
        ("http-lowercase", lambda k: response_101(k, status_line="http/1.1 101 Switching")),
        ("status-line-only-version", lambda k: response_101(k, status_line="HTTP/1.1")),
        ("missing-upgrade", lambda k: response_101(k, omit=["upgrade"])),
        ("missing-connection", lambda k: response_101(k, omit=["connection"])),
        ("missing-accept", lambda k: response_101(k, omit=["sec-websocket-accept"])),
        (
            "wrong-accept",
            lambda k: response_101(k, accept=accept_value("AAAAAAAAAAAAAAAAAAAAAA==")),
        ),
        ("accept-of-raw-key", lambda k: response_101(k, accept=k)),
        ("accept-lowercased", lambda k: response_101(k, accept=accept_value(k).lower() + "x")),
        ("empty-accept", lambda k: response_101(k, accept="")),
        (
            "duplicate-accept",
            lambda k: response_101(k, extra=[f"Sec-WebSocket-Accept: {accept_value(k)}"]),
        ),
        ("duplicate-upgrade", lambda k: response_101(k, extra=["Upgrade: websocket"])),
        (
            "connection-keep-alive",
            lambda k: response_101(k, omit=["connection"], extra=["Connection: keep-alive"]),
        ),
        ("upgrade-h2c", lambda k: response_101(k, omit=["upgrade"], extra=["Upgrade: h2c"])),
        ("empty-header-value", lambda k: response_101(k, extra=["X-Empty:"])),
        ("header-without-colon", lambda k: response_101(k, extra=["NoColonHere"])),
        ("unrequested-protocol", lambda k: response_101(k, extra=["Sec-WebSocket-Protocol: x"])),
        ("oversized-head", lambda k: response_101(k, extra=pad)),
        (
            "unterminated-oversized-head",
            lambda k: b"HTTP/1.1 101 Switching Protocols\r\nX-Pad: " + b"a" * 6000,
        ),
        ("garbage", lambda k: b"\x00\xff\x16\x03\x01\x02" * 20 + b"\r\n\r\n"),
    ]


@pytest.mark.parametrize(("make", "_id"), [pytest.param(m, i, id=i) for i, m in _bad_responses()])
def test_client_rejects_bad_handshake_response(
    make: Callable[[str], bytes], _id: str, raw_server: HostileServer
) -> None:
    peer = our_peer()
    assert peer.connect_to_url(raw_server.url + "/x") == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    conn.send_all(make(request_key(head)) + frame(2, b"must not arrive"))
    wait_until(
        lambda: peer.get_ready_state() == STATE_CLOSED,
        step=peer.poll,
        message="client CLOSED after a bad handshake",
    )
    assert (peer.get_close_code(), peer.get_close_reason()) == (-1, "")
    assert peer.get_available_packet_count() == 0
    assert peer.get_packet() == b""
    assert peer.get_packet_error() == Error.FAILED
    conn.wait_eof()  # our client dropped the TCP connection


def test_client_handshake_timeout_on_a_silent_server(raw_server: HostileServer) -> None:
    """A server that answers with bytes that never end a head (here a TLS alert) and then
    stays silent: Godot 4.2 would wait for ever; our handshake_timeout gives up (-1)."""
    peer = our_peer(handshake_timeout=0.3)
    assert peer.connect_to_url(raw_server.url) == Error.OK
    conn = raw_server.accept(peer.poll)
    conn.read_head()
    conn.send_all(b"\x15\x03\x01\x00\x02\x02\x46")
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, timeout=5, step=peer.poll)
    assert (peer.get_close_code(), peer.get_close_reason()) == (-1, "")
    conn.wait_eof()


@pytest.mark.parametrize("how", ["eof", "reset"])
def test_client_server_hangs_up_during_handshake(how: str, raw_server: HostileServer) -> None:
    peer = our_peer()
    assert peer.connect_to_url(raw_server.url) == Error.OK
    conn = raw_server.accept(peer.poll)
    conn.read_head()
    conn.send_all(b"HTTP/1.1 101 Switching")
    if how == "reset":
        conn.abort()
    else:
        conn.close()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=peer.poll)
    assert peer.get_close_code() == -1


@pytest.mark.parametrize(
    ("answer", "ok"),
    [("chat", True), (None, False), ("other", False), ("Chat", False), ("chat,x", False)],
)
def test_client_subprotocol_answer(answer: str | None, ok: bool, raw_server: HostileServer) -> None:
    peer = our_peer(supported_protocols=["x", "chat"])
    assert peer.connect_to_url(raw_server.url) == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    assert head_headers(head)["sec-websocket-protocol"] == ["x,chat"]
    extra = [] if answer is None else [f"Sec-WebSocket-Protocol: {answer}"]
    conn.send_all(response_101(request_key(head), extra=extra))
    want = STATE_OPEN if ok else STATE_CLOSED
    wait_until(lambda: peer.get_ready_state() == want, step=peer.poll)
    assert peer.get_selected_protocol() == ("chat" if ok else "")


def test_client_tolerates_extra_headers_and_pipelined_frames(raw_server: HostileServer) -> None:
    peer = our_peer()
    assert peer.connect_to_url(raw_server.url) == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    key = request_key(head)
    response = (
        f"HTTP/1.1   101   Whatever You Like\r\n"
        f"UPGRADE: WebSocket\r\nconnection: UPGRADE\r\n"
        f"Sec-WebSocket-Accept:    {accept_value(key)}   \r\n"
        f"Server: hostile/1.0\r\nSet-Cookie: a=1\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n"
    ).encode()
    conn.send_all(response + frame(1, b"first") + frame(2, b"second") + frame(9, b"hi"))
    wait_until(lambda: peer.get_available_packet_count() == 2, step=peer.poll)
    assert packets(peer) == [(b"first", True), (b"second", False)]
    [pong] = conn.read_frames(1)
    assert pong.opcode == 10 and pong.payload == b"hi" and pong.masked


def test_client_handshake_bytes_and_header_block(raw_server: HostileServer) -> None:
    peer = our_peer(handshake_headers=["X-Token: abc", "Cookie: a=1"])
    url = raw_server.url + "/chat?x=1"
    assert peer.connect_to_url(url) == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    lines = head.decode().split("\r\n")
    assert lines[0] == "GET /chat?x=1 HTTP/1.1"
    assert lines[1] == f"Host: 127.0.0.1:{raw_server.port}"
    headers = head_headers(head)
    assert headers["upgrade"] == ["websocket"]
    assert headers["sec-websocket-version"] == ["13"]
    assert headers["x-token"] == ["abc"] and headers["cookie"] == ["a=1"]
    assert len(request_key(head)) == 24 and request_key(head).endswith("==")
    assert peer.get_requested_url() == url
    assert peer.get_ready_state() == STATE_CONNECTING


# --------------------------------------------------------------------------- server handshake

_LONG = [f"X-Pad-{i}: {'a' * 100}" for i in range(45)]
BAD_REQUESTS: list[tuple[str, bytes]] = [
    ("post", request_upgrade(request_line="POST /chat HTTP/1.1")),
    ("lowercase-get", request_upgrade(request_line="get /chat HTTP/1.1")),
    ("http-1.0", request_upgrade(request_line="GET /chat HTTP/1.0")),
    ("http-2", request_upgrade(request_line="GET /chat HTTP/2")),
    ("request-line-two-tokens", request_upgrade(request_line="GET /")),
    ("request-line-one-token", request_upgrade(request_line="GET")),
    ("missing-upgrade", request_upgrade(omit=["upgrade"])),
    ("upgrade-h2c", request_upgrade(omit=["upgrade"], extra=["Upgrade: h2c"])),
    ("upgrade-list", request_upgrade(omit=["upgrade"], extra=["Upgrade: websocket, foo"])),
    ("duplicate-upgrade", request_upgrade(extra=["Upgrade: websocket"])),
    ("missing-version", request_upgrade(omit=["sec-websocket-version"])),
    (
        "version-8",
        request_upgrade(omit=["sec-websocket-version"], extra=["Sec-WebSocket-Version: 8"]),
    ),
    ("duplicate-version", request_upgrade(extra=["Sec-WebSocket-Version: 13"])),
    ("missing-key", request_upgrade(omit=["sec-websocket-key"])),
    ("duplicate-key", request_upgrade(extra=["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="])),
    (
        "duplicate-key-same-value",
        request_upgrade(extra=["sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ=="]),
    ),
    ("missing-connection", request_upgrade(omit=["connection"])),
    ("empty-header-value", request_upgrade(extra=["X-Empty:"])),
    ("header-without-colon", request_upgrade(extra=["NoColonHere"])),
    ("header-empty-name", request_upgrade(extra=[": value"])),
    ("space-before-colon", request_upgrade(omit=["upgrade"], extra=["Upgrade : websocket"])),
    (
        "too-few-lines",
        b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ),
    ("unoffered-protocol", request_upgrade(extra=["Sec-WebSocket-Protocol: chat"])),
    ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" * 10 + b"\r\n\r\n"),
    ("oversized-head", request_upgrade(extra=_LONG)),
]


def expect_http_refusal(
    our_server: OurServer, conn: RawConn, statuses: tuple[int, ...] = (400,)
) -> None:
    answer = conn.read_to_eof()
    status_line = answer.split(b"\r\n", 1)[0]
    parts = status_line.split(b" ")
    assert parts[0] == b"HTTP/1.1" and len(parts) >= 2, answer[:200]
    assert int(parts[1]) in statuses, answer[:200]
    assert b"\r\n\r\n" in answer
    peer = our_server.peers[-1]
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=our_server.pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (-1, "")
    assert peer.get_available_packet_count() == 0


@pytest.mark.parametrize(("request_bytes"), [pytest.param(r, id=i) for i, r in BAD_REQUESTS])
def test_server_refuses_bad_request_with_http_400(
    request_bytes: bytes, our_server: OurServer
) -> None:
    conn = our_server.raw_client()
    conn.send_all(request_bytes + frame(2, b"pipelined", mask=random_mask()))
    statuses = (400, 431) if len(request_bytes) > 4096 else (400,)
    expect_http_refusal(our_server, conn, statuses)


def test_server_refuses_unterminated_oversized_head(our_server: OurServer) -> None:
    conn = our_server.raw_client()
    conn.send_all(b"GET / HTTP/1.1\r\nX-Pad: " + b"a" * 8000)
    expect_http_refusal(our_server, conn, (400, 431))


def test_server_refuses_bare_lf_request_past_the_limit(our_server: OurServer) -> None:
    request = request_upgrade().replace(b"\r\n", b"\n")
    conn = our_server.raw_client()
    conn.send_all(request + b"X-Pad: " + b"a" * 5000 + b"\n")
    expect_http_refusal(our_server, conn, (400, 431))


@pytest.mark.parametrize(
    ("server_protocols", "offer", "selected"),
    [
        (["chat"], None, None),
        (["chat"], "Chat", None),
        (["chat"], "x", None),
        (["chat"], "x, chat", "chat"),
        (["a", "b"], "b, a", "b"),
    ],
)
def test_server_subprotocol_selection(
    server_protocols: list[str], offer: str | None, selected: str | None
) -> None:
    srv = OurServer(make_peer=lambda: our_peer(supported_protocols=server_protocols))
    try:
        conn = srv.raw_client()
        extra = [] if offer is None else [f"Sec-WebSocket-Protocol: {offer}"]
        conn.send_all(request_upgrade(extra=extra))
        if selected is None:
            expect_http_refusal(srv, conn)
            return
        head = conn.read_head()
        assert head.startswith(b"HTTP/1.1 101")
        assert head_headers(head)["sec-websocket-protocol"] == [selected]
        peer = srv.peers[-1]
        wait_until(lambda: peer.get_ready_state() == STATE_OPEN, step=srv.pump)
        assert peer.get_selected_protocol() == selected
    finally:
        srv.close()


def test_server_accepts_minimal_request_and_pipelined_frame(our_server: OurServer) -> None:
    minimal = (
        b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: x\r\n"
        b"Sec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    conn = our_server.raw_client()
    conn.send_all(minimal + frame(1, b"pipelined", mask=random_mask()))
    head = conn.read_head()
    assert head.startswith(b"HTTP/1.1 101 ")
    assert head_headers(head)["sec-websocket-accept"] == [accept_value("k")]
    peer = our_server.peers[-1]
    wait_until(lambda: peer.get_available_packet_count() == 1, step=our_server.pump)
    assert packets(peer) == [(b"pipelined", True)]
    assert peer.get_requested_url() == "ws:///"


@pytest.mark.parametrize("how", ["eof-before-request", "eof-mid-request", "reset-mid-request"])
def test_server_client_hangs_up_during_handshake(how: str, our_server: OurServer) -> None:
    conn = our_server.raw_client()
    wait_until(lambda: len(our_server.peers) == 1, step=our_server.pump)
    if how != "eof-before-request":
        conn.send_all(request_upgrade()[:40])
        for _ in range(3):
            our_server.pump()
    if how.startswith("reset"):
        conn.abort()
    else:
        conn.close()
    peer = our_server.peers[0]
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=our_server.pump)
    assert peer.get_close_code() == -1


def test_server_request_one_byte_at_a_time(our_server: OurServer) -> None:
    request = request_upgrade(key=KEY)
    conn = our_server.raw_client()
    for i in range(len(request)):
        conn.send_all(request[i : i + 1])
        our_server.pump()
    head = conn.read_head()
    assert head.startswith(b"HTTP/1.1 101 ")
    assert head_headers(head)["sec-websocket-accept"] == [accept_value(KEY)]


# --------------------------------------------------------------------------- closing, liveness


@pytest.mark.parametrize("side", ALL_SIDES)
def test_messages_before_the_peers_close_are_not_lost(
    side: str, request: pytest.FixtureRequest
) -> None:
    """Data and the close frame in one segment (Godot 4.2 loses the data, Q-WS-LOSTLAST)."""
    peer, conn, mask = side_open(side, request)
    conn.send_all(
        frame(1, b"last words", mask=mask)
        + frame(2, b"\x00\x01", mask=mask)
        + frame(8, close_payload(1000, b"done"), mask=mask)
    )
    [echo] = conn.read_until_close()
    assert echo.close_code == 1000
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=conn.pump)
    assert packets(peer) == [(b"last words", True), (b"\x00\x01", False)]
    assert (peer.get_close_code(), peer.get_close_reason()) == (1000, "done")


@pytest.mark.parametrize("side", SIDES)
def test_frames_after_the_close_frame_are_ignored(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask = side_open(side, request)
    conn.send_all(
        frame(8, close_payload(1001), mask=mask)
        + frame(1, b"after close", mask=mask)
        + frame(9, b"ping after close", mask=mask)
        + b"\xff\xff garbage"
    )
    got = conn.read_until_close()
    assert [f.opcode for f in got] == [8]
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=conn.pump)
    assert peer.get_close_code() == 1001
    assert packets(peer) == []
    conn.wait(lambda: conn.eof or bool(conn.buf), "EOF", timeout=5)
    conn._parse_pending()
    assert conn.pending == [], "nothing (no pong) after our close echo"


@pytest.mark.parametrize("side", SIDES)
def test_close_timeout_when_the_peer_never_answers(
    side: str, request: pytest.FixtureRequest
) -> None:
    """Godot 4.2 stays CLOSING for ever; our close_timeout drops the connection (-1)."""
    peer, conn, _ = side_open(side, request)
    peer.close_timeout = 0.3
    assert peer.close(4000, "are you there") == Error.OK
    assert peer.get_ready_state() == 2  # CLOSING
    [close] = conn.read_frames(1)
    assert (close.close_code, close.close_reason) == (4000, b"are you there")
    start = time.monotonic()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, timeout=5, step=conn.pump)
    assert time.monotonic() - start >= 0.2
    assert peer.get_close_code() == -1
    conn.wait_eof()


@pytest.mark.parametrize("side", SIDES)
def test_heartbeat_drops_a_peer_that_never_answers_pings(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, _ = side_open(side, request)
    peer.heartbeat_interval = 0.1
    start = time.monotonic()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, timeout=5, step=conn.pump)
    assert time.monotonic() - start >= 0.1
    assert peer.get_close_code() == -1
    pings = [f for f in conn.read_frames_until_eof() if f.opcode == 9]
    assert pings, "a ping must have been sent before giving up"
    assert all(f.masked == side.startswith("client") for f in pings)


@pytest.mark.parametrize("side", SIDES)
def test_heartbeat_keeps_a_peer_that_answers(side: str, request: pytest.FixtureRequest) -> None:
    peer, conn, mask = side_open(side, request)
    peer.heartbeat_interval = 0.05
    peer.heartbeat_timeout = 3.0  # pings every 50 ms, but tolerant of a loaded machine
    answered = 0
    start = time.monotonic()
    while time.monotonic() - start < 0.6:
        conn.pump()
        conn._read_once()
        conn._parse_pending()
        for f in conn.pending:
            if f.opcode == 9:
                conn.send_all(frame(10, f.payload, mask=mask))
                answered += 1
        conn.pending.clear()
        time.sleep(0.001)
    assert answered >= 3
    assert peer.get_ready_state() == STATE_OPEN


# --------------------------------------------------------------------------- wrong transport


def test_wss_client_against_a_plain_server(raw_server: HostileServer) -> None:
    """Our TLS ClientHello reaches a server that answers with plain HTTP and hangs up."""
    peer = our_peer()
    url = raw_server.url.replace("ws://", "wss://")
    assert peer.connect_to_url(url, tls_client_options()) == Error.OK
    conn = raw_server.accept(peer.poll)
    conn.send_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    conn.close()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=peer.poll)
    assert peer.get_close_code() == -1


def test_ws_client_against_a_tls_server(tls_raw_server: HostileServer) -> None:
    """A plain request hits a TLS listener (which fails the TLS handshake)."""
    peer = our_peer()
    url = tls_raw_server.url.replace("wss://", "ws://")
    assert peer.connect_to_url(url) == Error.OK
    tls_raw_server.tls = False  # accept the TCP connection without a TLS handshake
    conn = tls_raw_server.accept(peer.poll)
    conn.read_head()
    conn.send_all(b"\x15\x03\x03\x00\x02\x02\x32")  # TLS alert instead of HTTP
    conn.close()
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=peer.poll)
    assert peer.get_close_code() == -1


def _wss_server_drops(server: OurServer, conn: RawConn) -> None:
    """The connection ends without a WebSocket upgrade: the TLS accept failed at once, or
    the WebSocketPeer ended CLOSED (-1)."""

    def dropped() -> bool:
        if server.tls_failures:
            return True
        return bool(server.peers) and server.peers[0].get_ready_state() == STATE_CLOSED

    wait_until(dropped, step=server.pump, message="connection dropped")
    assert server.tls_failures + len(server.peers) == 1
    if server.peers:
        assert server.peers[0].get_close_code() == -1
    data = conn.read_to_eof()
    assert b"HTTP/1.1 101" not in data


def test_plain_request_to_our_wss_server(tls_our_server: OurServer) -> None:
    conn = raw_client_plain(tls_our_server)
    conn.send_all(request_upgrade())
    _wss_server_drops(tls_our_server, conn)


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"", id="eof"),
        pytest.param(b"\x16\x03\x01\x00\x05hello", id="short-hello"),
        pytest.param(b"\x00" * 3000, id="zeros"),
    ],
)
def test_bad_tls_client_hello_to_our_wss_server(tls_our_server: OurServer, garbage: bytes) -> None:
    conn = raw_client_plain(tls_our_server)
    conn.send_all(garbage)
    if not garbage:
        conn.sock.shutdown(socket.SHUT_WR)
    _wss_server_drops(tls_our_server, conn)


def raw_client_plain(server: OurServer) -> RawConn:
    """A raw TCP client without TLS, even to a wss:// server."""
    tls, server.tls = server.tls, False
    try:
        return server.raw_client()
    finally:
        server.tls = tls


# --------------------------------------------------------------------------- permessage-deflate


def deflate(data: bytes, wbits: int = 15, compressor: Any = None) -> bytes:
    """One permessage-deflate message body (RFC 7692 §7.2.1: sync flush, tail removed)."""
    c = compressor or zlib.compressobj(wbits=-wbits)
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b"\x00\x00\xff\xff")
    return out[:-4]


def inflate(body: bytes, wbits: int = 15, decompressor: Any = None) -> bytes:
    d = decompressor or zlib.decompressobj(wbits=-wbits)
    return bytes(d.decompress(body + b"\x00\x00\xff\xff"))


def open_deflate(
    side: str, request: pytest.FixtureRequest, agreed: str = "permessage-deflate", **props: Any
) -> tuple[WebSocketPeer, RawConn, bytes | None, str]:
    """Like side_open, with permessage-deflate negotiated (``agreed`` = the server's answer
    when the raw side is the server). Returns the agreed extension header too."""
    if side == "client":
        raw = request.getfixturevalue("raw_server")
        peer = our_peer(permessage_deflate_enabled=True, **props)
        assert peer.connect_to_url(raw.url) == Error.OK
        conn = raw.accept(peer.poll)
        head = conn.read_head()
        offer = head_headers(head)["sec-websocket-extensions"]
        assert offer and offer[0].startswith("permessage-deflate")
        conn.send_all(
            response_101(request_key(head), extra=[f"Sec-WebSocket-Extensions: {agreed}"])
        )
        wait_until(lambda: peer.get_ready_state() == STATE_OPEN, step=peer.poll)
        return peer, conn, None, agreed
    ours = request.getfixturevalue("our_server")
    ours.make_peer = lambda: our_peer(permessage_deflate_enabled=True, **props)
    conn = ours.raw_client()
    conn.send_all(request_upgrade(extra=[f"Sec-WebSocket-Extensions: {agreed}"]))
    head = conn.read_head()
    assert head.startswith(b"HTTP/1.1 101"), head
    answer = head_headers(head)["sec-websocket-extensions"][0]
    peer = ours.peers[-1]
    wait_until(lambda: peer.get_ready_state() == STATE_OPEN, step=ours.pump)
    return peer, conn, random_mask(), answer


@pytest.mark.parametrize("side", SIDES)
def test_deflate_bomb_is_refused_with_1009(side: str, request: pytest.FixtureRequest) -> None:
    """64 MiB of zeros compress to ~64 KiB: inflating must stop at inbound_buffer_size."""
    peer, conn, mask, _ = open_deflate(side, request)
    bomb = deflate(b"\0" * (64 << 20))
    assert len(bomb) < 65535 + 64
    conn.send_all(frame(2, bomb, rsv=4, mask=mask))
    expect_failure(side, peer, conn, 1009)


@pytest.mark.parametrize("side", SIDES)
def test_deflate_bomb_in_fragments_is_refused_with_1009(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask, _ = open_deflate(side, request)
    body = deflate(b"\0" * (8 << 20))
    parts = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    wire = b"".join(
        frame(0 if i else 2, p, fin=i == len(parts) - 1, rsv=0 if i else 4, mask=mask)
        for i, p in enumerate(parts)
    )
    conn.send_all(wire)
    expect_failure(side, peer, conn, 1009)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"\xff\xff\xff\xff", id="garbage"),
        pytest.param(b"\x07\x00", id="reserved-block-type"),
        pytest.param(b"\x00\x05\x00\x00\x00hello", id="bad-stored-length"),
        pytest.param(deflate(b"ok") + b"\x07\xff", id="trailing-junk"),
    ],
)
def test_corrupt_compressed_data_is_refused_with_1007(
    side: str, body: bytes, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask, _ = open_deflate(side, request)
    conn.send_all(frame(2, body, rsv=4, mask=mask))
    expect_failure(side, peer, conn, 1007)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize(
    ("wire", "code"),
    [
        pytest.param(
            lambda m: (
                frame(2, deflate(b"ab"), fin=False, rsv=4, mask=m) + frame(0, b"", rsv=4, mask=m)
            ),
            1002,
            id="rsv1-on-continuation",
        ),
        pytest.param(lambda m: frame(9, b"p", rsv=4, mask=m), 1002, id="rsv1-on-ping"),
        pytest.param(lambda m: frame(2, b"x", rsv=2, mask=m), 1002, id="rsv2-with-deflate"),
        pytest.param(
            lambda m: frame(1, deflate(b"\xff\xfe"), rsv=4, mask=m), 1007, id="bad-utf8-inside"
        ),
    ],
)
def test_deflate_protocol_errors(
    side: str, wire: Builder, code: int, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask, _ = open_deflate(side, request)
    conn.send_all(wire(mask))
    expect_failure(side, peer, conn, code)


@pytest.mark.parametrize("side", SIDES)
def test_deflate_messages_both_ways_with_context_takeover(
    side: str, request: pytest.FixtureRequest
) -> None:
    peer, conn, mask, _ = open_deflate(side, request)
    texts = ["héllo wörld " * 50, "héllo wörld " * 50 + "again", ""]
    compressor = zlib.compressobj(wbits=-15)  # shared context across messages
    wire = b"".join(
        frame(1, deflate(t.encode(), compressor=compressor), rsv=4, mask=mask) for t in texts
    )
    # an uncompressed message (RSV1 clear) is allowed too
    conn.send_all(wire + frame(2, b"plain", mask=mask))
    wait_until(lambda: peer.get_available_packet_count() == 4, step=conn.pump)
    assert packets(peer) == [(t.encode(), True) for t in texts] + [(b"plain", False)]
    # and what we send decompresses with one shared decompressor (context takeover)
    decompressor = zlib.decompressobj(wbits=-15)
    for t in texts:
        assert peer.send_text(t) == Error.OK
    got = conn.read_frames(len(texts))
    for f, t in zip(got, texts, strict=True):
        assert f.masked == (side == "client")
        if f.rsv & 4:
            assert inflate(f.payload, decompressor=decompressor) == t.encode()
        else:
            assert f.payload == t.encode()


@pytest.mark.parametrize(
    "agreed",
    [
        "permessage-deflate; client_no_context_takeover",
        "permessage-deflate; client_max_window_bits=9",
        "permessage-deflate; client_max_window_bits=9; client_no_context_takeover",
    ],
)
def test_our_client_honours_the_servers_deflate_parameters(
    agreed: str, request: pytest.FixtureRequest
) -> None:
    """The raw server inflates each of our messages with a *fresh* decompressor and/or a
    512-byte window: this only works if we obey what it asked for."""
    peer, conn, _, _ = open_deflate("client", request, agreed)
    no_takeover = "client_no_context_takeover" in agreed
    wbits = 9 if "client_max_window_bits=9" in agreed else 15
    block = bytes(random.Random(5).randbytes(1500))
    messages = [block + block, block + b"tail" + block, block]  # long-distance repeats
    shared = zlib.decompressobj(wbits=-wbits)
    for m in messages:
        assert peer.send(m) == Error.OK
    for f, m in zip(conn.read_frames(len(messages)), messages, strict=True):
        assert f.rsv == 4
        d = zlib.decompressobj(wbits=-wbits) if no_takeover else shared
        assert inflate(f.payload, decompressor=d) == m


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("permessage-deflate; server_max_window_bits=20", False),
        ("permessage-deflate; client_max_window_bits=7", False),
        ("permessage-deflate; unknown_param", False),
        ("permessage-deflate; server_no_context_takeover; server_no_context_takeover", False),
        ("x-webkit-deflate-frame", False),
        ("permessage-deflate; server_no_context_takeover", True),
        ("permessage-deflate; server_max_window_bits=8", True),
    ],
)
def test_our_client_checks_the_servers_deflate_answer(
    answer: str, ok: bool, raw_server: HostileServer
) -> None:
    peer = our_peer(permessage_deflate_enabled=True)
    assert peer.connect_to_url(raw_server.url) == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    conn.send_all(response_101(request_key(head), extra=[f"Sec-WebSocket-Extensions: {answer}"]))
    want = STATE_OPEN if ok else STATE_CLOSED
    wait_until(lambda: peer.get_ready_state() == want, step=peer.poll)
    if not ok:
        assert peer.get_close_code() == -1


def test_our_client_without_deflate_rejects_compressed_frames(raw_server: HostileServer) -> None:
    """The server claims an extension we did not offer (Godot ignores the header) and sends
    a compressed frame: RSV1 without a negotiated extension is a protocol error."""
    peer = our_peer()
    assert peer.connect_to_url(raw_server.url) == Error.OK
    conn = raw_server.accept(peer.poll)
    head = conn.read_head()
    assert "sec-websocket-extensions" not in head_headers(head)
    conn.send_all(
        response_101(request_key(head), extra=["Sec-WebSocket-Extensions: permessage-deflate"])
    )
    wait_until(lambda: peer.get_ready_state() != 0, step=peer.poll)
    if peer.get_ready_state() == STATE_OPEN:
        conn.send_all(frame(2, deflate(b"zz"), rsv=4))
        expect_failure("client", peer, conn, 1002)
    else:
        assert peer.get_close_code() == -1  # refusing the handshake is fine too (RFC 6455)


def test_our_server_declines_unknown_extensions(our_server: OurServer) -> None:
    our_server.make_peer = lambda: our_peer(permessage_deflate_enabled=True)
    conn = our_server.raw_client()
    conn.send_all(request_upgrade(extra=["Sec-WebSocket-Extensions: x-foo; a=1, x-bar"]))
    head = conn.read_head()
    assert head.startswith(b"HTTP/1.1 101")
    assert "sec-websocket-extensions" not in head_headers(head)
