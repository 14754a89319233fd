"""The sans-I/O TLS engine: two engines wired back to back in memory, no sockets."""

from __future__ import annotations

import os

import pytest
from cryptography import x509

from netpeer._dev_certificate import localhost_key_and_certificate
from netpeer._tls.context import (
    TLSConfigError,
    VerifyMode,
    build_client_context,
    build_server_context,
)
from netpeer._tls.engine import TLSEngine, TLSState
from netpeer._tls.hostname import is_ip_literal, match_hostname
from netpeer.crypto import Crypto

pytestmark = pytest.mark.tls


@pytest.fixture(scope="module")
def material() -> tuple[object, list[x509.Certificate]]:
    key, cert = localhost_key_and_certificate()
    return key._get_private_key(), cert._get_certificates()


def _pair(
    material: tuple[object, list[x509.Certificate]],
    hostname: str | None = "localhost",
    mode: VerifyMode = VerifyMode.FULL,
    trusted: list[x509.Certificate] | None = None,
) -> tuple[TLSEngine, TLSEngine]:
    key, chain = material
    server = TLSEngine(build_server_context(key, chain), server_side=True)  # type: ignore[arg-type]
    client = TLSEngine(
        build_client_context(mode, chain if trusted is None else trusted),
        server_side=False,
        verify_peer=mode != VerifyMode.NONE,
        hostname=hostname if mode == VerifyMode.FULL else None,
    )
    client.start()
    return client, server


def _shuttle(a: TLSEngine, b: TLSEngine, rounds: int = 10) -> None:
    for _ in range(rounds):
        b.receive_data(a.data_to_send())
        a.receive_data(b.data_to_send())


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "LocalHost."])
def test_handshake_and_data(material, host: str) -> None:
    client, server = _pair(material, host)
    assert client.state is TLSState.HANDSHAKING
    _shuttle(client, server)
    assert client.state is TLSState.CONNECTED
    assert server.state is TLSState.CONNECTED
    assert client.handshake_done and server.handshake_done
    assert client.protocol_version() == "TLSv1.3"
    payload = os.urandom(100_000)
    assert client.write(payload) == len(payload)
    server.receive_data(client.data_to_send())
    assert server.available() == len(payload)
    assert server.read(10) == payload[:10]
    assert server.read(1 << 20) == payload[10:]
    assert server.read(5) == b""


@pytest.mark.parametrize(
    "sizes",
    [
        [16384, 16384, 16384],  # whole records: handed out without a copy
        [100, 16284, 30000, 1, 50000, 7],  # inside records, across them, past the end
        [0, 1 << 20],
        [16383, 2, 16383, 40000],
        [1] * 64 + [4] * 64 + [16064, 1, 16384],  # small reads (StreamPeer get_u8, get_32)
    ],
)
def test_reads_of_any_size_across_records(material, sizes: list[int]) -> None:
    client, server = _pair(material)
    _shuttle(client, server)
    payload = os.urandom(60_000)  # four TLS records
    client.write(payload)
    server.receive_data(client.data_to_send())
    got = b""
    for size in sizes:
        before = server.available()
        chunk = server.read(size)
        assert type(chunk) is bytes and len(chunk) == min(size, before)
        assert server.available() == before - len(chunk)
        got += chunk
    assert got == payload[: len(got)]
    got += server.read(1 << 20)
    assert got == payload and server.available() == 0


def test_split_feed_one_byte_at_a_time(material) -> None:
    client, server = _pair(material)
    for _ in range(10):
        for byte in client.data_to_send():
            server.receive_data(bytes([byte]))
        for byte in server.data_to_send():
            client.receive_data(bytes([byte]))
    assert client.state is server.state is TLSState.CONNECTED
    server.write(b"hello")
    for byte in server.data_to_send():
        client.receive_data(bytes([byte]))
    assert client.read(100) == b"hello"


def test_data_to_send_limit_keeps_order(material) -> None:
    client, server = _pair(material)
    _shuttle(client, server)
    client.write(b"x" * 50_000)
    total = client.bytes_to_send()
    assert total > 50_000
    parts = []
    while client.bytes_to_send():
        part = client.data_to_send(1000)
        assert 0 < len(part) <= 1000
        parts.append(part)
    assert sum(map(len, parts)) == total
    server.receive_data(b"".join(parts))
    assert server.read(1 << 20) == b"x" * 50_000


def test_close_notify(material) -> None:
    client, server = _pair(material)
    _shuttle(client, server)
    client.write(b"last words")
    client.close()
    assert client.state is TLSState.CLOSED
    server.receive_data(client.data_to_send())
    assert server.state is TLSState.CLOSED
    assert server.peer_closed
    assert server.read(100) == b"last words"  # data before close_notify is kept


def test_eof_without_close_notify_is_truncation(material) -> None:
    client, server = _pair(material)
    _shuttle(client, server)
    server.receive_eof()
    assert server.state is TLSState.FAILED
    assert "truncated" in server.failure
    assert not server.peer_closed


def test_truncated_record(material) -> None:
    client, server = _pair(material)
    _shuttle(client, server)
    client.write(b"y" * 5000)
    record = client.data_to_send()
    server.receive_data(record[:-10])
    assert server.state is TLSState.CONNECTED  # waiting for the rest
    assert server.available() == 0
    server.receive_eof()
    assert server.state is TLSState.FAILED


def test_corrupted_record(material) -> None:
    client, server = _pair(material)
    _shuttle(client, server)
    client.write(b"z" * 100)
    record = bytearray(client.data_to_send())
    record[-1] ^= 0xFF
    server.receive_data(bytes(record))
    assert server.state is TLSState.FAILED
    assert server.failure
    assert server.data_to_send()  # an alert for the peer


@pytest.mark.parametrize(
    "garbage",
    [b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", os.urandom(4096), b"\x16\x03\x01\xff\xff"],
    ids=["http", "random", "bad-length"],
)
def test_garbage_instead_of_handshake(material, garbage: bytes) -> None:
    client, server = _pair(material)
    server.receive_data(garbage)
    client.receive_data(garbage)
    assert client.state is TLSState.FAILED
    # a server may still wait for the rest of a plausible record; EOF settles it
    server.receive_eof()
    assert server.state is TLSState.FAILED


def test_peer_stops_mid_handshake(material) -> None:
    client, server = _pair(material)
    server.receive_data(client.data_to_send())
    assert server.state is TLSState.HANDSHAKING  # waiting for the client's Finished
    server.receive_eof()
    assert server.state is TLSState.FAILED
    assert "handshake" in server.failure


def test_hostname_mismatch(material) -> None:
    client, server = _pair(material, "example.com")
    _shuttle(client, server)
    assert client.state is TLSState.HOSTNAME_MISMATCH
    assert "example.com" in client.failure
    assert server.state is TLSState.FAILED  # told by an alert


def test_untrusted_certificate_is_not_a_hostname_mismatch(material) -> None:
    crypto = Crypto()
    other_key = crypto.generate_rsa(2048)
    assert other_key is not None
    other = crypto.generate_self_signed_certificate(other_key, "CN=localhost")
    assert other is not None
    client, server = _pair(material, trusted=other._get_certificates())
    _shuttle(client, server)
    assert client.state is TLSState.FAILED
    assert "self-signed" in client.failure


@pytest.mark.parametrize("mode", [VerifyMode.NONE, VerifyMode.CERT])
def test_unsafe_modes_ignore_the_host_name(material, mode: VerifyMode) -> None:
    client, server = _pair(material, "example.com", mode)
    _shuttle(client, server)
    assert client.state is server.state is TLSState.CONNECTED


def test_write_before_handshake_is_a_programming_error(material) -> None:
    client, _ = _pair(material)
    with pytest.raises(RuntimeError):
        client.write(b"x")


def test_server_context_rejects_mismatched_key(material) -> None:
    _, chain = material
    other = Crypto().generate_rsa(2048)
    assert other is not None
    with pytest.raises(TLSConfigError):
        build_server_context(other._get_private_key(), chain)  # type: ignore[arg-type]
    with pytest.raises(TLSConfigError):
        build_server_context(other._get_private_key(), [])  # type: ignore[arg-type]


def test_match_hostname_rules() -> None:
    crypto = Crypto()
    key = crypto.generate_rsa(2048)
    assert key is not None
    cn_only = crypto.generate_self_signed_certificate(key, "CN=*.example.com,O=x")
    assert cn_only is not None
    cert = cn_only._get_certificates()[0]
    assert match_hostname(cert, "www.example.com")  # no SANs: the CN counts (mbedTLS)
    assert match_hostname(cert, "WWW.Example.COM.")
    assert not match_hostname(cert, "example.com")
    assert not match_hostname(cert, "a.b.example.com")
    assert not match_hostname(cert, "")
    ip_cn = crypto.generate_self_signed_certificate(key, "CN=127.0.0.1")
    assert ip_cn is not None
    assert match_hostname(ip_cn._get_certificates()[0], "127.0.0.1")
    assert not match_hostname(ip_cn._get_certificates()[0], "127.0.0.2")
    _, dev = localhost_key_and_certificate()
    with_san = dev._get_certificates()[0]
    assert match_hostname(with_san, "localhost")
    assert match_hostname(with_san, "::1")
    assert match_hostname(with_san, "[::1]")
    assert match_hostname(with_san, "0:0:0:0:0:0:0:1")
    assert not match_hostname(with_san, "127.0.0.2")
    assert not match_hostname(with_san, "localhost.localdomain")
    assert is_ip_literal("::1") and is_ip_literal("10.0.0.1") and not is_ip_literal("a.b")
