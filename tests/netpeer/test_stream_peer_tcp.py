"""StreamPeerTCP over real loopback sockets: every status transition of spec §7 / Q15.

``tcp_pair()`` is reused by the other TCP test modules (and can be by TLS tests).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import select
import socket
import struct
import threading
import time
import warnings
import weakref
from collections.abc import Iterator

import pytest
from blocking_calls import returns_within
from conftest import FakeClock, wait_until

from engine.core.error import Error
from netpeer.ip import IP
from netpeer.stream_peer_tcp import CONNECT_TIMEOUT_SECONDS, StreamPeerTCP
from netpeer.tcp_server import TCPServer

pytestmark = pytest.mark.network

NONE = StreamPeerTCP.STATUS_NONE
CONNECTING = StreamPeerTCP.STATUS_CONNECTING
CONNECTED = StreamPeerTCP.STATUS_CONNECTED
ERROR = StreamPeerTCP.STATUS_ERROR

LOOPBACKS = ["127.0.0.1", "::1"]


def connect(peer: StreamPeerTCP, host: str, port: int) -> None:
    """``connect_to_host`` then poll until CONNECTED (fails the test otherwise)."""
    assert peer.connect_to_host(host, port) == Error.OK
    assert peer.get_status() in (CONNECTING, CONNECTED)
    wait_until(lambda: peer.get_status() != CONNECTING, step=peer.poll, message="connect")
    assert peer.get_status() == CONNECTED


def tcp_pair(host: str = "127.0.0.1") -> tuple[StreamPeerTCP, StreamPeerTCP]:
    """A connected ``(client, server_side)`` pair on ``host`` with an ephemeral port."""
    server = TCPServer()
    assert server.listen(0, host) == Error.OK
    client = StreamPeerTCP()
    connect(client, host, server.get_local_port())
    wait_until(server.is_connection_available, message="incoming connection")
    accepted = server.take_connection()
    assert accepted is not None
    server.stop()
    return client, accepted


@contextlib.contextmanager
def refused_port(host: str = "127.0.0.1") -> Iterator[int]:
    """A port where connects are refused and that no other process can take meanwhile.

    The port stays bound for the whole block, without ``listen()`` (so the kernel answers a
    SYN with a reset) and without ``SO_REUSEADDR`` (so nobody else can bind or listen on
    it): unlike "bind, close, reuse the number" this cannot race with parallel tests.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as holder:
        holder.bind((host, 0))
        yield holder.getsockname()[1]


def read_exactly(peer: StreamPeerTCP, n: int, timeout: float = 10.0) -> bytes:
    """Collect ``n`` bytes with non-blocking reads (never hangs)."""
    out = bytearray()

    def step() -> None:
        err, data = peer.get_partial_data(n - len(out))
        assert err == Error.OK, err
        out.extend(data)

    wait_until(lambda: len(out) >= n, timeout=timeout, step=step, message=f"{n} bytes")
    return bytes(out)


@pytest.fixture
def fake_dns() -> Iterator[_HeldDNS]:
    """Install an IP singleton whose resolver answers from a table and can be held back."""
    original = IP.get_singleton()
    dns = _HeldDNS()
    IP._set_singleton(IP(_resolver=dns))
    try:
        yield dns
    finally:
        dns.release.set()
        IP._set_singleton(original)


class _HeldDNS:
    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {}
        self.release = threading.Event()
        self.release.set()

    def __call__(self, host: str, family: int) -> list[tuple[object, ...]]:
        if not self.release.wait(10):
            raise socket.gaierror("held too long")
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0))
            for a in self.table[host]
        ]


# -- basics -----------------------------------------------------------------------------------


def test_status_values_match_godot() -> None:
    assert (NONE, CONNECTING, CONNECTED, ERROR) == (0, 1, 2, 3)
    assert StreamPeerTCP.Status(2) is CONNECTED
    assert CONNECT_TIMEOUT_SECONDS == 30


def test_fresh_peer(caplog: pytest.LogCaptureFixture) -> None:
    peer = StreamPeerTCP()
    assert peer.get_status() == NONE
    assert peer.poll() == Error.OK
    assert peer.get_connected_host() == ""
    assert peer.get_connected_port() == 0
    assert peer.put_data(b"x") == Error.FAILED
    assert peer.put_partial_data(b"x") == (Error.FAILED, 0)
    assert peer.get_data(1)[0] == Error.FAILED
    assert peer.get_partial_data(1) == (Error.FAILED, b"")
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.get_available_bytes() == -1
        assert peer.get_local_port() == 0
        peer.set_no_delay(True)
    assert len(caplog.records) == 3
    peer.disconnect_from_host()
    assert peer.get_status() == NONE


@pytest.mark.parametrize("host", LOOPBACKS)
def test_connect_and_exchange(host: str) -> None:
    client, server_side = tcp_pair(host)
    printed = "0:0:0:0:0:0:0:1" if host == "::1" else host
    assert client.get_connected_host() == printed
    assert server_side.get_status() == CONNECTED
    assert server_side.get_connected_host() == printed
    assert server_side.get_connected_port() == client.get_local_port()
    assert client.get_connected_port() == server_side.get_local_port()
    assert client.put_data(b"hello") == Error.OK
    assert read_exactly(server_side, 5) == b"hello"
    assert server_side.put_partial_data(b"world") == (Error.OK, 5)
    assert read_exactly(client, 5) == b"world"
    client.disconnect_from_host()
    server_side.disconnect_from_host()


def test_dual_stack_server_reports_ipv4_clients_dotted() -> None:
    server = TCPServer()
    assert server.listen(0) == Error.OK  # "*" = dual stack
    client = StreamPeerTCP()
    connect(client, "127.0.0.1", server.get_local_port())
    wait_until(server.is_connection_available)
    accepted = server.take_connection()
    assert accepted is not None
    assert accepted.get_connected_host() == "127.0.0.1"
    server.stop()


def test_available_bytes_and_nodelay() -> None:
    client, server_side = tcp_pair()
    sock = client._sock
    assert sock is not None
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0  # Nagle on by default
    client.set_no_delay(True)
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    client.set_no_delay(False)
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    assert server_side.get_available_bytes() == 0
    client.put_data(b"abc")
    wait_until(lambda: server_side.get_available_bytes() == 3)
    assert server_side.get_data(3) == (Error.OK, b"abc")


# -- connect failures ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", LOOPBACKS)
def test_connect_refused_then_reconnect(host: str, caplog: pytest.LogCaptureFixture) -> None:
    peer = StreamPeerTCP()
    caplog.set_level(logging.ERROR, logger="godot")
    with refused_port(host) as port:
        err = peer.connect_to_host(host, port)
        if err == Error.FAILED:  # The OS refused at once: Godot's immediate failure path.
            assert peer.get_status() == NONE
        else:
            assert err == Error.OK
            results: list[Error] = []
            wait_until(
                lambda: peer.get_status() != CONNECTING, step=lambda: results.append(peer.poll())
            )
            assert peer.get_status() == ERROR
            assert results[-1] == Error.ERR_CONNECTION_ERROR
            assert peer.get_connected_host() == "" and peer.get_connected_port() == 0
            # ERROR is sticky until disconnect_from_host() (Q15).
            assert peer.connect_to_host(host, port) == Error.ERR_ALREADY_IN_USE
            assert peer.poll() == Error.OK and peer.get_status() == ERROR
            assert peer.get_partial_data(1) == (Error.FAILED, b"")
            peer.disconnect_from_host()
            assert peer.get_status() == NONE
    server = TCPServer()
    assert server.listen(0, host) == Error.OK
    connect(peer, host, server.get_local_port())
    server.stop()


def _stuck_listener() -> tuple[socket.socket, list[socket.socket]]:
    """A listener whose accept queue is full, so further connects stay in progress."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    for _ in range(3):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        filler.connect_ex(listener.getsockname())
        fillers.append(filler)
    return listener, fillers


def test_connect_timeout_on_fake_clock(fake_clock: FakeClock) -> None:
    listener, fillers = _stuck_listener()
    try:
        peer = StreamPeerTCP(_now=fake_clock.now)
        assert peer.connect_to_host("127.0.0.1", listener.getsockname()[1]) == Error.OK
        deadline = time.monotonic() + 0.2
        while time.monotonic() < deadline:
            assert peer.poll() == Error.OK
        if peer.get_status() != CONNECTING:
            pytest.skip("this network stack completes connects to a full backlog")
        fake_clock.advance(CONNECT_TIMEOUT_SECONDS - 0.5)
        assert peer.poll() == Error.OK
        assert peer.get_status() == CONNECTING
        fake_clock.advance(1.0)
        assert peer.poll() == Error.ERR_CONNECTION_ERROR
        assert peer.get_status() == ERROR
        assert peer.get_connected_host() == ""
    finally:
        for s in [listener, *fillers]:
            s.close()


def test_connect_timeout_covers_a_slow_dns(fake_dns: _HeldDNS, fake_clock: FakeClock) -> None:
    fake_dns.table["slow.test"] = ["127.0.0.1"]
    fake_dns.release.clear()
    peer = StreamPeerTCP()
    peer._set_clock(fake_clock.now)
    peer._set_connect_timeout(5.0)
    started = time.monotonic()
    assert peer.connect_to_host("slow.test", 80) == Error.OK
    assert time.monotonic() - started < 1.0  # did not wait for the DNS answer
    assert peer.get_status() == CONNECTING
    assert peer.get_connected_port() == 80
    fake_clock.advance(4.0)
    assert peer.poll() == Error.OK and peer.get_status() == CONNECTING
    fake_clock.advance(2.0)
    assert peer.poll() == Error.ERR_CONNECTION_ERROR
    assert peer.get_status() == ERROR


# -- host names ---------------------------------------------------------------------------------


def test_hostname_resolves_without_blocking(fake_dns: _HeldDNS) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    fake_dns.table["game.test"] = ["127.0.0.1"]
    fake_dns.release.clear()
    peer = StreamPeerTCP()
    assert peer.connect_to_host("game.test", server.get_local_port()) == Error.OK
    for _ in range(20):
        assert peer.poll() == Error.OK
    assert peer.get_status() == CONNECTING
    assert peer.get_connected_host() == ""  # not known yet
    assert peer.get_partial_data(4) == (Error.FAILED, b"")  # I/O while CONNECTING
    assert peer.put_partial_data(b"x") == (Error.FAILED, 0)
    assert peer.put_data(b"x") == Error.FAILED
    assert peer.get_data(1)[0] == Error.FAILED
    fake_dns.release.set()
    wait_until(lambda: peer.get_status() != CONNECTING, step=peer.poll)
    assert peer.get_status() == CONNECTED
    assert peer.get_connected_host() == "127.0.0.1"
    server.stop()


def test_hostname_tries_every_address(fake_dns: _HeldDNS) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    fake_dns.table["multi.test"] = ["::1", "127.0.0.1"]  # nothing listens on ::1
    peer = StreamPeerTCP()
    assert peer.connect_to_host("multi.test", server.get_local_port()) == Error.OK
    wait_until(lambda: peer.get_status() not in (CONNECTING,), step=peer.poll)
    assert peer.get_status() == CONNECTED
    assert peer.get_connected_host() == "127.0.0.1"
    server.stop()


def test_cached_hostname_connects_at_once(fake_dns: _HeldDNS) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    fake_dns.table["cached.test"] = ["127.0.0.1"]
    assert IP.resolve_hostname("cached.test") == "127.0.0.1"  # fills the cache
    peer = StreamPeerTCP()
    assert peer.connect_to_host("cached.test", server.get_local_port()) == Error.OK
    assert peer.get_connected_host() == "127.0.0.1"
    wait_until(lambda: peer.get_status() == CONNECTED, step=peer.poll)
    server.stop()


def test_unresolvable_hostname_ends_in_error(fake_dns: _HeldDNS) -> None:
    peer = StreamPeerTCP()
    assert peer.connect_to_host("nowhere.invalid", 4242) == Error.OK
    results: list[Error] = []
    wait_until(lambda: peer.get_status() != CONNECTING, step=lambda: results.append(peer.poll()))
    assert peer.get_status() == ERROR
    assert results[-1] == Error.ERR_CANT_RESOLVE


def test_real_resolver_localhost() -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    peer = StreamPeerTCP()
    connect(peer, "localhost", server.get_local_port())
    assert peer.get_connected_host() == "127.0.0.1"
    server.stop()


def test_disconnect_while_resolving(fake_dns: _HeldDNS) -> None:
    fake_dns.table["held.test"] = ["127.0.0.1"]
    fake_dns.release.clear()
    peer = StreamPeerTCP()
    assert peer.connect_to_host("held.test", 9) == Error.OK
    lookup = weakref.ref(_lookup_of(peer))
    peer.disconnect_from_host()
    assert peer.get_status() == NONE
    fake_dns.release.set()  # a resolver thread may hold the lookup until its answer
    wait_until(lambda: lookup() is None, message="the lookup to be freed")


def _lookup_of(peer: StreamPeerTCP) -> object:
    assert peer._lookup is not None
    return peer._lookup


def _public_slots_free() -> int:
    return sum(item.status == IP.RESOLVER_STATUS_NONE for item in IP.get_singleton()._queue)


def test_peers_dropped_while_resolving_leak_nothing(fake_dns: _HeldDNS) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    fake_dns.table["held.test"] = ["127.0.0.1"]
    fake_dns.release.clear()  # every lookup stays in progress
    lookups = []
    for _ in range(IP.RESOLVER_MAX_QUERIES + 44):
        peer = StreamPeerTCP()
        assert peer.connect_to_host("held.test", server.get_local_port()) == Error.OK
        assert peer.get_status() == CONNECTING
        lookups.append(weakref.ref(_lookup_of(peer)))
        del peer
    gc.collect()
    assert _public_slots_free() == IP.RESOLVER_MAX_QUERIES  # the scripts' 256 stay free
    fake_dns.release.set()
    wait_until(lambda: all(ref() is None for ref in lookups), message="lookups to be freed")
    last = StreamPeerTCP()
    connect(last, "held.test", server.get_local_port())
    server.stop()


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 0, Error.ERR_INVALID_PARAMETER),
        ("127.0.0.1", 65536, Error.ERR_INVALID_PARAMETER),
        ("::1", -1, Error.ERR_INVALID_PARAMETER),
        ("", 80, Error.ERR_CANT_RESOLVE),
        ("*", 80, Error.ERR_CANT_RESOLVE),
        ("[::1]", 80, Error.ERR_CANT_RESOLVE),
        ("::g", 80, Error.ERR_CANT_RESOLVE),
        ("bad host", 80, Error.ERR_CANT_RESOLVE),
        ("x" * 300, 80, Error.ERR_CANT_RESOLVE),
    ],
)
def test_connect_bad_input(
    host: str, port: int, expected: Error, caplog: pytest.LogCaptureFixture
) -> None:
    peer = StreamPeerTCP()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.connect_to_host(host, port) == expected
    assert peer.get_status() == NONE
    assert caplog.records


def test_connect_wrong_types() -> None:
    peer = StreamPeerTCP()
    with pytest.raises(TypeError):
        peer.connect_to_host(b"127.0.0.1", 80)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.connect_to_host("127.0.0.1", "80")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.connect_to_host("127.0.0.1", True)
    with pytest.raises(TypeError):
        peer.bind("0")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.put_data("text")  # type: ignore[arg-type]


def test_connect_while_connected_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    client, _ = tcp_pair()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert client.connect_to_host("127.0.0.1", 1) == Error.ERR_ALREADY_IN_USE
    assert client.get_status() == CONNECTED


# -- bind -----------------------------------------------------------------------------------------


def test_bind_sets_the_source_port(caplog: pytest.LogCaptureFixture) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    peer = StreamPeerTCP()
    assert peer.bind(0, "127.0.0.1") == Error.OK
    local = peer.get_local_port()
    assert local > 0
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.bind(0) == Error.ERR_ALREADY_IN_USE
    connect(peer, "127.0.0.1", server.get_local_port())
    assert peer.get_local_port() == local
    wait_until(server.is_connection_available)
    accepted = server.take_connection()
    assert accepted is not None and accepted.get_connected_port() == local
    server.stop()


@pytest.mark.parametrize(
    ("port", "host", "expected"),
    [
        (-1, "*", Error.ERR_INVALID_PARAMETER),
        (65536, "*", Error.ERR_INVALID_PARAMETER),
        (0, "localhost", Error.ERR_INVALID_PARAMETER),
        (0, "1.2.3", Error.ERR_INVALID_PARAMETER),
        (0, "192.0.2.123", Error.ERR_UNAVAILABLE),  # not a local address
    ],
)
def test_bind_bad_input(
    port: int, host: str, expected: Error, caplog: pytest.LogCaptureFixture
) -> None:
    peer = StreamPeerTCP()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.bind(port, host) == expected
    assert peer._sock is None


def test_bind_busy_port_is_unavailable(caplog: pytest.LogCaptureFixture) -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    peer = StreamPeerTCP()
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.bind(server.get_local_port(), "127.0.0.1") == Error.ERR_UNAVAILABLE
    server.stop()


def test_bound_ipv4_socket_cannot_reach_ipv6(caplog: pytest.LogCaptureFixture) -> None:
    peer = StreamPeerTCP()
    assert peer.bind(0, "127.0.0.1") == Error.OK
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.connect_to_host("::1", 80) == Error.FAILED
    assert peer.get_status() == NONE


@contextlib.contextmanager
def stalled_port() -> Iterator[int]:
    """A loopback port whose accept queue is full, so a new connect stays in progress.

    Linux drops the SYN while a listener's queue is full (``listen(0)`` holds one), so the
    client keeps retransmitting and its connect is in progress for a second or more.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers: list[socket.socket] = []
        try:
            for _ in range(8):
                filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                fillers.append(filler)
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
                if not select.select([], [filler], [], 0.5)[1]:
                    yield port  # this connect stalled: the next one will too
                    return
            pytest.skip("this OS never stalls a loopback connect (accept queue not enforced)")
        finally:
            for filler in fillers:
                filler.close()


def test_io_while_connecting_fails_without_blocking(caplog: pytest.LogCaptureFixture) -> None:
    with stalled_port() as port:
        peer = StreamPeerTCP()
        assert peer.connect_to_host("127.0.0.1", port) == Error.OK
        assert peer.poll() == Error.OK
        assert peer.get_status() == CONNECTING
        assert peer.get_partial_data(4) == (Error.FAILED, b"")
        assert returns_within(5, peer.get_data, 4) == (Error.FAILED, bytes(4))
        assert peer.put_partial_data(b"x") == (Error.FAILED, 0)
        assert returns_within(5, peer.put_data, b"x") == Error.FAILED
        assert peer.get_available_bytes() == 0
        assert peer.get_status() == CONNECTING  # I/O does not change a CONNECTING status
        assert peer.get_connected_host() == "127.0.0.1"
        peer.disconnect_from_host()


# -- the remote side closes -------------------------------------------------------------------


def test_fin_seen_by_poll_gives_none() -> None:
    client, server_side = tcp_pair()
    client.disconnect_from_host()
    assert client.get_status() == NONE
    results: list[Error] = []
    wait_until(
        lambda: server_side.get_status() != CONNECTED,
        step=lambda: results.append(server_side.poll()),
    )
    assert server_side.get_status() == NONE  # FIN is NONE, not ERROR (Q15)
    assert all(r == Error.OK for r in results)
    assert server_side.get_connected_host() == "" and server_side.get_connected_port() == 0
    assert server_side.get_partial_data(1) == (Error.FAILED, b"")


def test_fin_seen_by_read_gives_eof() -> None:
    client, server_side = tcp_pair()
    client.disconnect_from_host()
    seen: list[tuple[Error, bytes]] = []
    wait_until(lambda: bool(seen) and seen[-1][0] != Error.OK,
               step=lambda: seen.append(server_side.get_partial_data(10)))  # fmt: skip
    assert seen[-1] == (Error.ERR_FILE_EOF, b"")
    assert server_side.get_status() == NONE


def test_data_before_fin_is_delivered_first() -> None:
    client, server_side = tcp_pair()
    assert client.put_data(b"last words") == Error.OK
    client.disconnect_from_host()
    wait_until(lambda: server_side.get_available_bytes() == 10)
    assert server_side.poll() == Error.OK
    assert server_side.get_status() == CONNECTED  # unread data: not closed yet
    assert server_side.get_data(10) == (Error.OK, b"last words")
    wait_until(lambda: server_side.get_status() == NONE, step=server_side.poll)


def test_blocking_read_cut_by_fin_returns_eof_with_partial_bytes() -> None:
    client, server_side = tcp_pair()
    client.put_data(b"abc")
    client.disconnect_from_host()
    err, data = returns_within(5, server_side.get_data, 8)
    assert err == Error.ERR_FILE_EOF
    assert data == b"abc" + bytes(5)  # Godot's array keeps the requested size
    assert server_side.get_status() == NONE


def _reset_pair() -> tuple[StreamPeerTCP, socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    peer = StreamPeerTCP()
    connect(peer, "127.0.0.1", listener.getsockname()[1])
    raw, _ = listener.accept()
    listener.close()
    return peer, raw


def _send_reset(raw: socket.socket) -> None:
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()


def test_reset_seen_by_poll_gives_error() -> None:
    peer, raw = _reset_pair()
    _send_reset(raw)
    results: list[Error] = []
    wait_until(lambda: peer.get_status() != CONNECTED, step=lambda: results.append(peer.poll()))
    assert peer.get_status() == ERROR
    assert results[-1] == Error.ERR_CONNECTION_ERROR
    assert peer.connect_to_host("127.0.0.1", 1) == Error.ERR_ALREADY_IN_USE
    peer.disconnect_from_host()
    assert peer.get_status() == NONE


def test_reset_seen_by_read_gives_failed() -> None:
    peer, raw = _reset_pair()
    _send_reset(raw)
    seen: list[tuple[Error, bytes]] = []
    wait_until(lambda: bool(seen) and seen[-1][0] != Error.OK,
               step=lambda: seen.append(peer.get_partial_data(10)))  # fmt: skip
    assert seen[-1] == (Error.FAILED, b"")
    assert peer.get_status() == ERROR


def test_writing_to_a_closed_peer_fails() -> None:
    peer, raw = _reset_pair()
    raw.close()
    results: list[Error] = []

    def step() -> None:
        results.append(peer.put_partial_data(b"x" * 4096)[0])

    wait_until(lambda: bool(results) and results[-1] != Error.OK, step=step)
    assert results[-1] == Error.FAILED
    assert peer.get_status() in (NONE, ERROR)
    assert peer.put_data(b"more") == Error.FAILED


# -- reconnecting and cleanup -------------------------------------------------------------------


def test_reconnect_after_disconnect() -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    peer = StreamPeerTCP()
    for round_ in range(3):
        connect(peer, "127.0.0.1", server.get_local_port())
        wait_until(server.is_connection_available)
        accepted = server.take_connection()
        assert accepted is not None
        peer.put_u8(round_)
        assert returns_within(5, accepted.get_u8) == round_
        peer.disconnect_from_host()
        assert peer.get_status() == NONE
        assert peer.get_connected_port() == 0
    server.stop()


def test_dropping_a_connected_peer_closes_its_socket() -> None:
    client, server_side = tcp_pair()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        del client
        gc.collect()
    wait_until(lambda: server_side.get_status() == NONE, step=server_side.poll)


def test_put_partial_data_stops_when_the_peer_does_not_read() -> None:
    client, server_side = tcp_pair()
    chunk = b"\xab" * (1 << 20)
    sent_total = 0
    for _ in range(256):
        err, sent = client.put_partial_data(chunk)
        assert err == Error.OK
        sent_total += sent
        if sent < len(chunk):
            break
    else:
        pytest.fail("256 MiB accepted without the peer reading")
    assert client.put_partial_data(chunk) == (Error.OK, 0) or sent < len(chunk)
    received = 0
    while received < sent_total:
        err, data = server_side.get_partial_data(1 << 20)
        assert err == Error.OK
        assert data == b"\xab" * len(data)
        received += len(data)
    assert received == sent_total


def test_big_endian_length_prefixes_over_tcp() -> None:
    client, server_side = tcp_pair()
    client.set_big_endian(True)
    client.put_u32(0x01020304)
    client.put_utf8_string("ok")
    assert read_exactly(server_side, 10) == b"\x01\x02\x03\x04\x00\x00\x00\x02ok"


def test_hostile_length_prefix_then_disconnect() -> None:
    client, server_side = tcp_pair()
    client.put_data(struct.pack("<i", 0x7FFFFFFF) + b"short")
    client.disconnect_from_host()
    assert returns_within(5, server_side.get_utf8_string) == ""
    assert server_side.get_status() == NONE


def test_garbage_variant_then_a_value_cut_by_fin(caplog: pytest.LogCaptureFixture) -> None:
    peer, raw = _reset_pair()
    garbage = struct.pack("<I", 8) + b"\xff\xff\x00\x00garb"  # unknown Variant type
    raw.sendall(garbage + struct.pack("<I", 12) + b"\x02\x00")  # then a var cut short
    raw.shutdown(socket.SHUT_WR)
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert returns_within(5, peer.get_var) is None  # garbage: bytes consumed
        assert peer.get_status() == CONNECTED
        assert returns_within(5, peer.get_var) is None  # left mid-value: no hang
    assert caplog.records
    assert peer.get_status() == NONE  # an orderly FIN, not an error
    assert peer.get_u32() == 0 and peer.get_partial_data(1) == (Error.FAILED, b"")
    raw.close()


def test_blocking_write_returns_when_the_peer_dies() -> None:
    peer, raw = _reset_pair()
    killer = threading.Timer(0.2, _send_reset, args=(raw,))
    killer.start()
    try:
        big = b"\x00" * (32 << 20)  # far more than the socket buffers hold
        assert returns_within(30, peer.put_data, big) == Error.FAILED
        assert peer.get_status() == ERROR
    finally:
        killer.cancel()
        killer.join()


def test_blocking_read_returns_when_the_peer_dies() -> None:
    peer, raw = _reset_pair()
    killer = threading.Timer(0.2, _send_reset, args=(raw,))
    killer.start()
    try:
        err, data = returns_within(30, peer.get_data, 100)
        assert err == Error.FAILED
        assert data == bytes(100)
        assert peer.get_status() == ERROR
    finally:
        killer.cancel()
        killer.join()
