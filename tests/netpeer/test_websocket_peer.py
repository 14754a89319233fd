"""WebSocketPeer shell over loopback: our client against our server (ws:// and wss://).

Covers the state machine, every getter, close codes, timeouts on a fake clock, heartbeat and
round-trip time, inbound back-pressure, server request inspection and plain HTTP on the same
port, permessage-deflate between our peers, and hostile raw-socket peers.
"""

from __future__ import annotations

import base64
import os
import select
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest
from conftest import FakeClock, wait_until

from engine.core.error import Error
from netpeer._dev_certificate import localhost_key_and_certificate
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tcp_server import TCPServer
from netpeer.tls_options import TLSOptions
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

OPEN = WebSocketPeer.STATE_OPEN
CLOSED = WebSocketPeer.STATE_CLOSED
CLOSING = WebSocketPeer.STATE_CLOSING
CONNECTING = WebSocketPeer.STATE_CONNECTING


def _ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class Harness:
    """A TCPServer whose connections become server-side WebSocketPeers, polled together."""

    def __init__(self, host: str = "127.0.0.1", tls: bool = False, **server_props: Any) -> None:
        self.server = TCPServer()
        assert self.server.listen(0, host) == Error.OK
        self.port = self.server.get_local_port()
        self.host = host
        self.tls_options: TLSOptions | None = None
        if tls:
            key, cert = localhost_key_and_certificate()
            self.tls_options = TLSOptions.server(key, cert)
            self.client_options = TLSOptions.client(cert)
        self.server_props = server_props
        self.peers: list[WebSocketPeer] = []
        self.clients: list[WebSocketPeer] = []
        self.make_server_peer: Callable[[], WebSocketPeer] = WebSocketPeer

    def url(self, path: str = "/") -> str:
        scheme = "wss" if self.tls_options else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.tls_options and self.host == "127.0.0.1":
            host = "localhost"
        return f"{scheme}://{host}:{self.port}{path}"

    def client(self, path: str = "/", **props: Any) -> WebSocketPeer:
        peer = props.pop("peer", None) or WebSocketPeer()
        for name, value in props.items():
            setattr(peer, name, value)
        options = self.client_options if self.tls_options else None
        assert peer.connect_to_url(self.url(path), options) == Error.OK
        self.clients.append(peer)
        return peer

    def step(self) -> None:
        while self.server.is_connection_available():
            tcp = self.server.take_connection()
            assert tcp is not None
            peer = self.make_server_peer()
            for name, value in self.server_props.items():
                setattr(peer, name, value)
            stream: Any = tcp
            if self.tls_options is not None:
                stream = StreamPeerTLS()
                assert stream.accept_stream(tcp, self.tls_options) == Error.OK
            assert peer.accept_stream(stream) == Error.OK
            self.peers.append(peer)
        for peer in self.clients + self.peers:
            peer.poll()

    def wait(self, condition: Callable[[], bool], message: str = "condition") -> None:
        wait_until(condition, timeout=10, step=self.step, message=message)

    def pair(self, path: str = "/", **props: Any) -> tuple[WebSocketPeer, WebSocketPeer]:
        client = self.client(path, **props)
        self.wait(lambda: client.get_ready_state() != CONNECTING, "client handshake")
        assert client.get_ready_state() == OPEN
        self.wait(lambda: bool(self.peers) and self.peers[-1].get_ready_state() == OPEN)
        return client, self.peers[-1]

    def close(self) -> None:
        for peer in self.clients + self.peers:
            peer.close(-1)
        self.server.stop()


@pytest.fixture
def harness() -> Any:
    h = Harness()
    yield h
    h.close()


def _recv(h: Harness, peer: WebSocketPeer) -> bytes:
    h.wait(lambda: peer.get_available_packet_count() > 0, "a packet")
    return peer.get_packet()


# -- basics -------------------------------------------------------------------------------------


def test_new_peer_defaults() -> None:
    peer = WebSocketPeer()
    assert peer.get_ready_state() == CLOSED
    assert peer.get_close_code() == -1
    assert peer.get_close_reason() == ""
    assert peer.get_requested_url() == ""
    assert peer.get_selected_protocol() == ""
    assert peer.get_selected_extensions() == ""
    assert peer.get_available_packet_count() == 0
    assert peer.get_current_outbound_buffered_amount() == 0
    assert not peer.was_string_packet()
    assert peer.inbound_buffer_size == 65535
    assert peer.outbound_buffer_size == 65535
    assert peer.max_queued_packets == 2048
    assert list(peer.supported_protocols) == []
    assert list(peer.handshake_headers) == []
    assert peer.heartbeat_interval == 0.0
    assert peer.heartbeat_timeout == 0.0
    assert peer.handshake_timeout == 10.0
    assert peer.close_timeout == 5.0
    assert not peer.permessage_deflate_enabled
    assert peer.get_round_trip_time() == -1.0
    assert not peer.is_inbound_buffer_full()
    assert peer.get_request_path() == ""
    assert peer.get_request_headers() == {}
    assert peer.send_text("x") == Error.FAILED
    assert peer.put_packet(b"x") == Error.FAILED
    assert peer.get_packet() == b""
    assert peer.get_packet_error() == Error.FAILED
    peer.poll()
    assert peer.get_ready_state() == CLOSED


def test_property_setters() -> None:
    peer = WebSocketPeer()
    peer.set_supported_protocols([" chat ", "\tsuper\n"])
    assert list(peer.get_supported_protocols()) == ["chat", "super"]
    peer.set_handshake_headers(["X-A: 1"])
    assert list(peer.handshake_headers) == ["X-A: 1"]
    peer.inbound_buffer_size = 10
    peer.outbound_buffer_size = -1
    peer.max_queued_packets = 3
    assert (peer.inbound_buffer_size, peer.outbound_buffer_size, peer.max_queued_packets) == (
        10,
        -1,
        3,
    )
    peer.heartbeat_interval = -1.0  # refused with an error print
    assert peer.heartbeat_interval == 0.0
    with pytest.raises(TypeError):
        peer.supported_protocols = "chat"  # type: ignore[assignment]
    with pytest.raises(TypeError):
        peer.send("text")  # type: ignore[arg-type]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_messages_both_ways_and_getters(host: str) -> None:
    if host == "::1" and not _ipv6():
        pytest.skip("no IPv6")
    h = Harness(host)
    try:
        client, server = h.pair("/chat?x=1")
        assert client.get_requested_url() == h.url("/chat?x=1")
        # Godot never brackets an IPv6 Host value (Q-WS-HOST).
        assert server.get_requested_url() == f"ws://{host}:{h.port}/chat?x=1"
        assert server.get_request_path() == "/chat?x=1"
        assert server.get_request_method() == "GET"
        assert server.get_request_headers()["upgrade"] == "websocket"
        assert client.get_connected_port() == h.port
        expected_host = "127.0.0.1" if host == "127.0.0.1" else "0:0:0:0:0:0:0:1"
        assert client.get_connected_host() == expected_host
        assert server.get_connected_host() == expected_host
        assert server.get_connected_port() != 0
        assert client._get_max_packet_size() == 65535

        assert client.send_text("héllo") == Error.OK
        assert _recv(h, server) == "héllo".encode()
        assert server.was_string_packet()
        assert server.put_packet(b"\x00\x01") == Error.OK
        assert _recv(h, client) == b"\x00\x01"
        assert not client.was_string_packet()
        assert client.send(b"bin", WebSocketPeer.WRITE_MODE_TEXT) == Error.OK
        assert _recv(h, server) == b"bin" and server.was_string_packet()
        assert client.send(b"") == Error.OK  # an empty frame (Q-WS-EMPTY)
        assert _recv(h, server) == b""
        assert client.put_packet(b"") == Error.OK  # nothing sent
        assert client.put_var({"a": [1, 2.5, "x"]}) == Error.OK
        h.wait(lambda: server.get_available_packet_count() == 1)
        assert server.get_var() == {"a": [1, 2.5, "x"]}
        assert server.get_packet() == b""
        assert server.get_packet_error() == Error.ERR_UNAVAILABLE
        client.set_no_delay(True)
    finally:
        h.close()


def test_wss_round_trip() -> None:
    h = Harness(tls=True)
    try:
        client, server = h.pair("/secure")
        assert server.get_requested_url() == f"wss://localhost:{h.port}/secure"
        big = os.urandom(60000)
        assert client.put_packet(big) == Error.OK
        assert _recv(h, server) == big
        for i in range(50):
            assert server.send_text(f"m{i}") == Error.OK
        got = [_recv(h, client) for _ in range(50)]
        assert got == [f"m{i}".encode() for i in range(50)]
        assert server.close(1001, "going") == Error.OK
        h.wait(lambda: client.get_ready_state() == CLOSED and server.get_ready_state() == CLOSED)
        assert (client.get_close_code(), client.get_close_reason()) == (1001, "going")
        assert (server.get_close_code(), server.get_close_reason()) == (1001, "going")
    finally:
        h.close()


def test_wss_untrusted_certificate_fails_to_closed() -> None:
    h = Harness(tls=True)
    try:
        client = WebSocketPeer()
        assert client.connect_to_url(h.url(), TLSOptions.client()) == Error.OK
        h.clients.append(client)
        h.wait(lambda: client.get_ready_state() == CLOSED, "TLS failure")
        assert client.get_close_code() == -1
    finally:
        h.close()


def test_subprotocol_selected_by_client_order(harness: Harness) -> None:
    harness.server_props["supported_protocols"] = ["a", "b"]
    client, server = harness.pair(supported_protocols=["x", "b", "a"])
    assert client.get_selected_protocol() == "b"
    assert server.get_selected_protocol() == "b"


def test_subprotocol_mismatch_gives_400_and_closed(harness: Harness) -> None:
    harness.server_props["supported_protocols"] = ["a"]
    client = harness.client(supported_protocols=["z"])
    harness.wait(lambda: client.get_ready_state() == CLOSED)
    harness.wait(lambda: bool(harness.peers) and harness.peers[0].get_ready_state() == CLOSED)
    assert client.get_close_code() == -1


def test_handshake_headers_reach_the_server(harness: Harness) -> None:
    _client, server = harness.pair(handshake_headers=["X-Token: abc", "Cookie: a=1"])
    headers = server.get_request_headers()
    assert headers["x-token"] == "abc"
    assert headers["cookie"] == "a=1"


def test_connection_refused_reaches_closed() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    peer = WebSocketPeer()
    assert peer.connect_to_url(f"ws://127.0.0.1:{port}/") == Error.OK
    wait_until(lambda: peer.get_ready_state() == CLOSED, step=peer.poll)
    assert peer.get_close_code() == -1


@pytest.mark.parametrize(
    "url", ["http://x/", "ws://", "ws://host:0/", "ws://[::1/", "", "ws://a:b:c/"]
)
def test_bad_urls(url: str) -> None:
    peer = WebSocketPeer()
    assert peer.connect_to_url(url) == Error.ERR_INVALID_PARAMETER
    assert peer.get_ready_state() == CLOSED


def test_server_tls_options_rejected_for_client() -> None:
    key, cert = localhost_key_and_certificate()
    peer = WebSocketPeer()
    assert (
        peer.connect_to_url("wss://localhost:1/", TLSOptions.server(key, cert))
        == Error.ERR_INVALID_PARAMETER
    )


def test_accept_stream_argument_checks(harness: Harness) -> None:
    peer = WebSocketPeer()
    assert peer.accept_stream(None) == Error.ERR_INVALID_PARAMETER  # type: ignore[arg-type]
    assert peer.accept_stream(StreamPeerTLS()) == Error.ERR_INVALID_PARAMETER
    client = harness.client()
    assert client.connect_to_url(harness.url()) == Error.ERR_ALREADY_IN_USE


# -- closing ------------------------------------------------------------------------------------


def test_close_handshake_codes(harness: Harness) -> None:
    client, server = harness.pair()
    assert client.close(4000, "x") == Error.OK
    assert client.get_ready_state() == CLOSING
    harness.wait(lambda: client.get_ready_state() == CLOSED and server.get_ready_state() == CLOSED)
    assert (client.get_close_code(), client.get_close_reason()) == (4000, "x")
    assert (server.get_close_code(), server.get_close_reason()) == (4000, "x")
    assert client.get_current_outbound_buffered_amount() == 0
    assert client.get_connected_host() == ""  # error print, like Godot


def test_empty_close_frame_gives_code_0(harness: Harness) -> None:
    client, server = harness.pair()
    client.close(0)
    harness.wait(lambda: client.get_ready_state() == CLOSED and server.get_ready_state() == CLOSED)
    assert server.get_close_code() == 0
    assert client.get_close_code() == 0


def test_close_negative_drops_at_once(harness: Harness) -> None:
    client, server = harness.pair()
    client.close(-1)
    assert client.get_ready_state() == CLOSED
    assert client.get_close_code() == -1
    harness.wait(lambda: server.get_ready_state() == CLOSED)
    assert server.get_close_code() == -1


def test_close_while_connecting(harness: Harness) -> None:
    client = harness.client()
    client.close()
    assert client.get_ready_state() == CLOSED


def test_long_close_reason_refused_and_stays_open(harness: Harness) -> None:
    client, server = harness.pair()
    assert client.close(1000, "é" * 62) == Error.ERR_INVALID_PARAMETER  # 124 bytes
    assert client.get_ready_state() == OPEN
    assert client.close(1000, "x" * 123) == Error.OK
    harness.wait(lambda: server.get_ready_state() == CLOSED)
    assert server.get_close_reason() == "x" * 123


def test_messages_before_close_survive_closed(harness: Harness) -> None:
    client, server = harness.pair()
    for i in range(3):
        server.send_text(f"last{i}")
    server.close(1000, "done")
    harness.wait(lambda: client.get_ready_state() == CLOSED)
    assert client.get_close_code() == 1000
    assert client.get_available_packet_count() == 3
    assert [client.get_packet() for _ in range(3)] == [b"last0", b"last1", b"last2"]
    assert client.get_packet() == b""
    assert client.get_packet_error() == Error.FAILED


def test_peer_reuse_after_close(harness: Harness) -> None:
    client, _server = harness.pair()
    client.close(-1)
    assert client.connect_to_url(harness.url("/again")) == Error.OK
    harness.wait(lambda: client.get_ready_state() == OPEN)
    assert client.get_close_code() == -1
    harness.wait(lambda: harness.peers[-1].get_request_path() == "/again")


# -- limits ---------------------------------------------------------------------------------------


def test_outbound_buffer_limit(harness: Harness) -> None:
    client, server = harness.pair()
    assert client.put_packet(b"x" * 65536) == Error.ERR_OUT_OF_MEMORY
    assert client.put_packet(b"x" * 65535) == Error.OK
    assert _recv(harness, server) == b"x" * 65535
    client.outbound_buffer_size = 0  # no byte limit
    server.inbound_buffer_size = 1 << 20  # applies to the next connection only
    assert client.put_packet(b"y" * 100000) == Error.OK


def test_too_big_message_closes_with_1009(harness: Harness) -> None:
    harness.server_props["inbound_buffer_size"] = 1000
    client, server = harness.pair()
    assert client.put_packet(b"z" * 1001) == Error.OK
    harness.wait(lambda: server.get_ready_state() == CLOSED and client.get_ready_state() == CLOSED)
    assert server.get_close_code() == 1009
    assert server.get_close_reason() == "Message too big"
    assert client.get_close_code() == 1009


def test_inbound_backpressure_loses_nothing(harness: Harness) -> None:
    client, server = harness.pair(max_queued_packets=8)
    fired: list[int] = []
    client.connect("inbound_buffer_full", lambda: fired.append(client.get_available_packet_count()))
    total = 3000
    sent = 0
    received: list[bytes] = []
    deadline = time.monotonic() + 20
    while len(received) < total:
        assert time.monotonic() < deadline
        while sent < total and server.get_current_outbound_buffered_amount() < 32768:
            assert server.put_packet(sent.to_bytes(4, "big") * 64) == Error.OK
            sent += 1
        harness.step()
        if client.is_inbound_buffer_full():
            # The application drains slowly: a few packets per frame.
            received.extend(client.get_packet() for _ in range(3))
        elif len(fired) > 0:
            while client.get_available_packet_count():
                received.append(client.get_packet())
    assert fired, "the inbound_buffer_full signal never fired"
    assert [int.from_bytes(r[:4], "big") for r in received] == list(range(total))


def test_backpressure_on_payload_budget(harness: Harness) -> None:
    client, server = harness.pair()
    for _ in range(3):
        assert server.put_packet(b"q" * 30000) == Error.OK
    harness.wait(client.is_inbound_buffer_full, "budget full")
    count = client.get_available_packet_count()
    assert count >= 1
    got = 0
    while got < 3:
        harness.step()
        while client.get_available_packet_count():
            assert client.get_packet() == b"q" * 30000
            got += 1
    assert not client.is_inbound_buffer_full()


# -- server: request inspection and plain HTTP ------------------------------------------------


def _http_get(port: int, path: str, extra: str = "") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode())
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _in_thread(fn: Callable[[], bytes], h: Harness) -> bytes:
    import threading

    result: list[bytes] = []
    thread = threading.Thread(target=lambda: result.append(fn()))
    thread.start()
    deadline = time.monotonic() + 10
    while thread.is_alive():
        assert time.monotonic() < deadline
        h.step()
        time.sleep(0.0005)
    thread.join()
    return result[0]


def test_http_and_websocket_on_one_port(harness: Harness) -> None:
    seen: list[tuple[str, dict[str, str]]] = []

    def handler(peer: WebSocketPeer) -> object:
        seen.append((peer.get_request_path(), peer.get_request_headers()))
        if peer.get_request_path() == "/":
            return (200, "<h1>game</h1>", ["X-Page: 1"])
        if peer.get_request_path() == "/ws":
            return None
        if peer.get_request_path() == "/raw":
            return b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
        if peer.get_request_path() == "/deny":
            return False
        return 404

    def make() -> WebSocketPeer:
        peer = WebSocketPeer()
        peer.set_request_handler(handler)
        return peer

    harness.make_server_peer = make
    page = _in_thread(lambda: _http_get(harness.port, "/"), harness)
    assert page.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"X-Page: 1\r\n" in page and page.endswith(b"<h1>game</h1>")
    assert _in_thread(lambda: _http_get(harness.port, "/nope"), harness).startswith(
        b"HTTP/1.1 404 "
    )
    assert _in_thread(lambda: _http_get(harness.port, "/raw"), harness).startswith(b"HTTP/1.1 204 ")
    assert _in_thread(lambda: _http_get(harness.port, "/deny"), harness).startswith(
        b"HTTP/1.1 403 "
    )
    harness.wait(lambda: all(p.get_ready_state() == CLOSED for p in harness.peers))
    _client, server = harness.pair("/ws")
    assert server.get_request_path() == "/ws"
    assert seen[0][0] == "/" and seen[0][1]["host"] == "t"


def test_bad_upgrade_request_gets_400(harness: Harness) -> None:
    answer = _in_thread(lambda: _http_get(harness.port, "/ws", "Upgrade: websocket\r\n"), harness)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    harness.wait(lambda: harness.peers[0].get_ready_state() == CLOSED)


def test_handler_exception_answers_500(harness: Harness) -> None:
    def make() -> WebSocketPeer:
        peer = WebSocketPeer()
        peer.request_handler = lambda p: 1 / 0
        return peer

    harness.make_server_peer = make
    assert _in_thread(lambda: _http_get(harness.port, "/"), harness).startswith(b"HTTP/1.1 500 ")


def test_oversized_request_head_gets_400(harness: Harness) -> None:
    big = "X-Big: " + "a" * 5000 + "\r\n"
    answer = _in_thread(lambda: _http_get(harness.port, "/", big), harness)
    assert answer.startswith(b"HTTP/1.1 400 ")


# -- hostile raw peers ------------------------------------------------------------------------


def _raw_ws_client(port: int) -> socket.socket:
    """Connect and complete an upgrade by hand; the socket is left blocking with a timeout."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        (
            f"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    return s


def _read_head(s: socket.socket, h: Harness) -> bytes:
    s.setblocking(False)
    data = b""
    deadline = time.monotonic() + 10
    while b"\r\n\r\n" not in data:
        assert time.monotonic() < deadline
        h.step()
        try:
            data += s.recv(4096)
        except BlockingIOError:
            time.sleep(0.0005)
    return data


def _read_bytes(s: socket.socket, h: Harness, n: int) -> bytes:
    data = b""
    deadline = time.monotonic() + 10
    while len(data) < n:
        assert time.monotonic() < deadline
        h.step()
        try:
            chunk = s.recv(4096)
        except BlockingIOError:
            time.sleep(0.0005)
            continue
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"\x82\x03abc", 1002),  # unmasked frame from a client
        (b"\xc2\x80\x00\x00\x00\x00", 1002),  # RSV1 without an extension
        (b"\x81\x82\x00\x00\x00\x00\xff\xfe", 1007),  # invalid UTF-8 text
        (b"\x88\x82\x00\x00\x00\x00\x03\xed", 1002),  # close code 1005 on the wire
    ],
)
def test_protocol_errors_close_with_code(harness: Harness, frame: bytes, code: int) -> None:
    s = _raw_ws_client(harness.port)
    try:
        head = _read_head(s, harness)
        assert head.startswith(b"HTTP/1.1 101 ")
        s.sendall(frame)
        harness.wait(lambda: harness.peers[0].get_ready_state() == CLOSED)
        assert harness.peers[0].get_close_code() == code
        rest = head.split(b"\r\n\r\n", 1)[1] + _read_bytes(s, harness, 4)
        assert rest[:4] == b"\x88\x02" + code.to_bytes(2, "big")
    finally:
        s.close()


def test_slow_loris_request_times_out() -> None:
    clock = FakeClock()
    h = Harness()
    h.make_server_peer = lambda: WebSocketPeer(_now=clock.now)
    try:
        s = socket.create_connection(("127.0.0.1", h.port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # ...and never finishes
        h.wait(lambda: bool(h.peers))
        peer = h.peers[0]
        for _ in range(20):
            h.step()
        assert peer.get_ready_state() == CONNECTING
        clock.advance(10.5)
        h.step()
        assert peer.get_ready_state() == CLOSED
        assert peer.get_close_code() == -1
        s.close()
    finally:
        h.close()


def test_client_handshake_timeout_against_silent_server() -> None:
    clock = FakeClock()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        peer = WebSocketPeer(_now=clock.now)
        peer.handshake_timeout = 2.0
        assert peer.connect_to_url(f"ws://127.0.0.1:{port}/") == Error.OK
        conn, _ = listener.accept()
        try:
            for _ in range(20):
                peer.poll()
            assert peer.get_ready_state() == CONNECTING
            clock.advance(2.5)
            peer.poll()
            assert peer.get_ready_state() == CLOSED
            assert peer.get_close_code() == -1
        finally:
            conn.close()


def test_close_timeout_against_silent_peer() -> None:
    clock = FakeClock()
    h = Harness()
    try:
        s = _raw_ws_client(h.port)
        h.make_server_peer = lambda: WebSocketPeer(_now=clock.now)
        _read_head(s, h)
        peer = h.peers[0]
        assert peer.close(1000, "bye") == Error.OK
        for _ in range(20):
            h.step()
        assert peer.get_ready_state() == CLOSING
        clock.advance(5.5)
        h.step()
        assert peer.get_ready_state() == CLOSED
        assert peer.get_close_code() == -1
        s.close()
    finally:
        h.close()


# -- heartbeat ------------------------------------------------------------------------------


def test_heartbeat_measures_round_trip_time() -> None:
    clock = FakeClock()
    h = Harness()
    try:
        client, _server = h.pair(peer=WebSocketPeer(_now=clock.now), heartbeat_interval=1.0)
        assert client.get_round_trip_time() == -1.0
        clock.advance(1.0)
        client.poll()  # ping sent
        clock.advance(0.25)
        h.wait(lambda: client.get_round_trip_time() >= 0.0, "a pong")
        assert client.get_round_trip_time() == pytest.approx(0.25)
        clock.advance(5.0)  # the peer answers, so it is not dropped
        h.wait(lambda: client.get_round_trip_time() == 0.0 or client.get_ready_state() == OPEN)
        for _ in range(5):
            clock.advance(1.0)
            h.step()
        assert client.get_ready_state() == OPEN
    finally:
        h.close()


@pytest.mark.parametrize("tls", [False, True], ids=["ws", "wss"])
def test_ping_is_answered_in_the_same_poll_that_reads_it(tls: bool) -> None:
    """The automatic pong goes out in the poll() that read the ping (ws:// and wss://), so a
    heartbeat round trip costs one frame of the peer, not two."""
    clock = FakeClock()
    h = Harness(tls=tls)
    try:
        client, server = h.pair(peer=WebSocketPeer(_now=clock.now), heartbeat_interval=1.0)
        for _ in range(5):
            h.step()  # let the TLS layers settle (session tickets and the like)
        clock.advance(1.0)
        client.poll()  # ping sent
        tcp = server._tcp
        assert tcp is not None and tcp._sock is not None
        ready, _, _ = select.select([tcp._sock], [], [], 5.0)
        assert ready, "the ping never reached the server's socket"
        server.poll()  # reads the ping: the pong must be written now
        wait_until(lambda: client.get_round_trip_time() >= 0.0, step=client.poll, timeout=5)
    finally:
        h.close()


def test_heartbeat_drops_a_dead_peer() -> None:
    clock = FakeClock()
    h = Harness()
    h.make_server_peer = lambda: WebSocketPeer(_now=clock.now)
    h.server_props["heartbeat_interval"] = 1.0
    h.server_props["heartbeat_timeout"] = 2.0
    try:
        s = _raw_ws_client(h.port)  # never answers pings
        _read_head(s, h)
        peer = h.peers[0]
        assert peer.get_ready_state() == OPEN
        clock.advance(1.0)
        h.step()  # ping
        ping = _read_bytes(s, h, 10)
        assert ping[:2] == b"\x89\x08"
        clock.advance(1.5)
        h.step()
        assert peer.get_ready_state() == OPEN
        clock.advance(1.0)
        h.step()
        assert peer.get_ready_state() == CLOSED
        assert peer.get_close_code() == -1
        assert peer.get_close_reason() == "Heartbeat timeout"
        s.close()
    finally:
        h.close()


# -- permessage-deflate -----------------------------------------------------------------------


def test_deflate_negotiated_when_both_enable_it(harness: Harness) -> None:
    harness.server_props["permessage_deflate_enabled"] = True
    client, server = harness.pair(permessage_deflate_enabled=True)
    assert client.get_selected_extensions().startswith("permessage-deflate")
    assert server.get_selected_extensions() == client.get_selected_extensions()
    text = "spam " * 5000
    assert client.send_text(text) == Error.OK
    assert _recv(harness, server) == text.encode()
    assert server.put_packet(b"\x00" * 50000) == Error.OK
    assert _recv(harness, client) == b"\x00" * 50000


@pytest.mark.parametrize("side", ["client", "server"])
def test_deflate_off_unless_both_enable_it(harness: Harness, side: str) -> None:
    if side == "server":
        harness.server_props["permessage_deflate_enabled"] = True
        client, server = harness.pair()
    else:
        client, server = harness.pair(permessage_deflate_enabled=True)
    assert client.get_selected_extensions() == ""
    assert server.get_selected_extensions() == ""
    client.send_text("plain")
    assert _recv(harness, server) == b"plain"


# -- the class reference example in a Node._process ---------------------------------------------


def test_seed_example_in_node_process(capsys: pytest.CaptureFixture[str]) -> None:
    from engine.scene.node import Node
    from engine.scene.scene_tree import SceneTree

    h = Harness()
    url = h.url("/")

    class Client(Node):
        socket = WebSocketPeer()

        def _ready(self) -> None:
            self.socket.connect_to_url(url)

        def _process(self, delta: float) -> None:
            self.socket.poll()
            state = self.socket.get_ready_state()
            if state == WebSocketPeer.STATE_OPEN:
                while self.socket.get_available_packet_count():
                    print("Packet: ", self.socket.get_packet())
            elif state == WebSocketPeer.STATE_CLOSING:
                # Keep polling to achieve proper close.
                pass
            elif state == WebSocketPeer.STATE_CLOSED:
                code = self.socket.get_close_code()
                reason = self.socket.get_close_reason()
                print(
                    "WebSocket closed with code: %d, reason %s. Clean: %s"  # noqa: UP031
                    % (code, reason, code != -1)
                )
                self.set_process(False)  # Stop process

    node = Client()
    tree = SceneTree()
    tree.get_root().add_child(node)
    tree.initialize()
    printed = ""
    try:
        deadline = time.monotonic() + 10
        sent = False
        while "Clean: True" not in printed:
            assert time.monotonic() < deadline, printed
            tree.process(1 / 60)
            h.step()
            printed += capsys.readouterr().out
            if h.peers and h.peers[0].get_ready_state() == OPEN and not sent:
                h.peers[0].send_text("hi")
                sent = True
            if "Packet:  b'hi'" in printed and h.peers[0].get_ready_state() == OPEN:
                h.peers[0].close(1000, "bye")
        assert "WebSocket closed with code: 1000, reason bye. Clean: True" in printed
        assert not node.is_processing()
    finally:
        tree.finalize()
        h.close()
