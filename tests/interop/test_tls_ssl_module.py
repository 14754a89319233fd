"""StreamPeerTLS against an independent TLS implementation, Python's ``ssl`` module, over real
TCP on loopback, both ways, with TLS 1.2 and TLS 1.3 forced in turn on the ``ssl`` side.

The ``ssl`` peer runs in a thread with blocking sockets; our peer is polled from the test.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator

import pytest
from conftest import wait_until

from engine.core.error import Error
from netpeer._dev_certificate import localhost_key_and_certificate, localhost_pem_paths
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tcp_server import TCPServer
from netpeer.tls_options import TLSOptions

pytestmark = [pytest.mark.tls, pytest.mark.network]

VERSIONS = [
    pytest.param(ssl.TLSVersion.TLSv1_2, "TLSv1.2", id="tls1.2"),
    pytest.param(ssl.TLSVersion.TLSv1_3, "TLSv1.3", id="tls1.3"),
]
PAYLOAD = bytes(range(256)) * 1024  # 256 KiB: many records each way


def _pin(ctx: ssl.SSLContext, version: ssl.TLSVersion) -> ssl.SSLContext:
    ctx.minimum_version = version
    ctx.maximum_version = version
    return ctx


class _Echo(threading.Thread):
    """Run ``work(conn)`` on a thread and keep its exception for the test to re-raise."""

    def __init__(self, work) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        self.work = work
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.work()
        except BaseException as e:
            self.error = e


def _recv_exactly(conn: ssl.SSLSocket, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = conn.recv(n - len(out))
        if not chunk:
            raise EOFError(f"got {len(out)} of {n} bytes")
        out += chunk
    return bytes(out)


def _exchange(peer: StreamPeerTLS) -> bytes:
    """Send PAYLOAD, then read PAYLOAD back (the ssl side echoes) - all non-blocking."""
    sent = 0
    got = bytearray()

    def step() -> bool:
        nonlocal sent
        if sent < len(PAYLOAD):
            err, n = peer.put_partial_data(PAYLOAD[sent : sent + 65536])
            assert err == Error.OK
            sent += n
        peer.poll()
        err, data = peer.get_partial_data(65536)
        assert err == Error.OK, err
        got.extend(data)
        return len(got) >= len(PAYLOAD)

    wait_until(step, 20, message="echo of 256 KiB")
    return bytes(got)


@pytest.fixture
def closers() -> Iterator[list[object]]:
    things: list[object] = []
    yield things
    for thing in things:
        if isinstance(thing, StreamPeerTLS):
            thing.disconnect_from_stream()
        elif isinstance(thing, StreamPeerTCP):
            thing.disconnect_from_host()
        elif isinstance(thing, TCPServer):
            thing.stop()
        elif isinstance(thing, socket.socket):
            thing.close()


@pytest.mark.parametrize(("version", "name"), VERSIONS)
def test_our_client_to_ssl_server(closers, version: ssl.TLSVersion, name: str) -> None:
    key_path, cert_path = localhost_pem_paths()
    _, cert = localhost_key_and_certificate()
    server_ctx = _pin(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), version)
    server_ctx.load_cert_chain(cert_path, key_path)
    listener = socket.create_server(("127.0.0.1", 0))
    closers.append(listener)
    listener.settimeout(20)
    result: dict[str, object] = {}

    def serve() -> None:
        raw, _ = listener.accept()
        with server_ctx.wrap_socket(raw, server_side=True) as conn:
            conn.settimeout(20)
            result["version"] = conn.version()
            conn.sendall(_recv_exactly(conn, len(PAYLOAD)))
            result["tail"] = conn.recv(100)  # b"" once our close_notify arrives
            conn.unwrap()

    thread = _Echo(serve)
    thread.start()
    tcp = StreamPeerTCP()
    closers.append(tcp)
    assert tcp.connect_to_host("127.0.0.1", listener.getsockname()[1]) == Error.OK
    client = StreamPeerTLS()
    closers.insert(0, client)
    assert client.connect_to_stream(tcp, "localhost", TLSOptions.client(cert)) == Error.OK
    wait_until(lambda: client.get_status() != StreamPeerTLS.STATUS_HANDSHAKING, step=client.poll)
    assert client.get_status() == StreamPeerTLS.STATUS_CONNECTED, client._get_failure_reason()
    assert client._get_protocol_version() == name
    assert _exchange(client) == PAYLOAD
    client.disconnect_from_stream()
    thread.join(20)
    assert thread.error is None, thread.error
    assert result == {"version": name, "tail": b""}


@pytest.mark.parametrize(("version", "name"), VERSIONS)
def test_ssl_client_to_our_server(closers, version: ssl.TLSVersion, name: str) -> None:
    key, cert = localhost_key_and_certificate()
    _, cert_path = localhost_pem_paths()
    client_ctx = _pin(ssl.create_default_context(cafile=cert_path), version)
    client_ctx.verify_flags |= ssl.VERIFY_X509_STRICT  # as Python 3.13 defaults do
    listener = TCPServer()
    assert listener.listen(0, "127.0.0.1") == Error.OK
    closers.append(listener)
    port = listener.get_local_port()
    result: dict[str, object] = {}

    def connect() -> None:
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        with client_ctx.wrap_socket(raw, server_hostname="localhost") as conn:
            result["version"] = conn.version()
            conn.sendall(PAYLOAD)
            result["echo"] = _recv_exactly(conn, len(PAYLOAD))
            result["tail"] = conn.recv(100)  # b"" once our close_notify arrives

    thread = _Echo(connect)
    thread.start()
    wait_until(listener.is_connection_available, 20)
    tcp = listener.take_connection()
    assert tcp is not None
    closers.append(tcp)
    server = StreamPeerTLS()
    closers.insert(0, server)
    assert server.accept_stream(tcp, TLSOptions.server(key, cert)) == Error.OK
    assert server.get_status() == StreamPeerTLS.STATUS_HANDSHAKING
    wait_until(lambda: server.get_status() != StreamPeerTLS.STATUS_HANDSHAKING, step=server.poll)
    assert server.get_status() == StreamPeerTLS.STATUS_CONNECTED, server._get_failure_reason()
    assert server._get_protocol_version() == name
    received = bytearray()

    def echo() -> bool:
        server.poll()
        err, data = server.get_partial_data(65536)
        assert err == Error.OK
        if data:
            received.extend(data)
            assert server.put_data(data) == Error.OK
        return len(received) >= len(PAYLOAD)

    wait_until(echo, 20, message="256 KiB from the ssl client")
    assert bytes(received) == PAYLOAD
    wait_until(lambda: "echo" in result or thread.error is not None, 20, server.poll)
    server.disconnect_from_stream()
    thread.join(20)
    assert thread.error is None, thread.error
    assert result == {"version": name, "echo": PAYLOAD, "tail": b""}


def test_ssl_client_rejects_wrong_name_from_our_server(closers) -> None:
    """Sanity check of the independent side: the ssl client really verifies names."""
    key, cert = localhost_key_and_certificate()
    _, cert_path = localhost_pem_paths()
    client_ctx = ssl.create_default_context(cafile=cert_path)
    listener = TCPServer()
    assert listener.listen(0, "127.0.0.1") == Error.OK
    closers.append(listener)
    port = listener.get_local_port()

    def connect() -> None:
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        with client_ctx.wrap_socket(raw, server_hostname="example.com"):
            pass

    thread = _Echo(connect)
    thread.start()
    wait_until(listener.is_connection_available, 20)
    tcp = listener.take_connection()
    assert tcp is not None
    closers.append(tcp)
    server = StreamPeerTLS()
    closers.insert(0, server)
    assert server.accept_stream(tcp, TLSOptions.server(key, cert)) == Error.OK
    wait_until(lambda: server.get_status() != StreamPeerTLS.STATUS_HANDSHAKING, step=server.poll)
    thread.join(20)
    assert isinstance(thread.error, ssl.SSLCertVerificationError)
    assert server.get_status() == StreamPeerTLS.STATUS_ERROR
