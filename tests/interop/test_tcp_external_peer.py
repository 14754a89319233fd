"""StreamPeerTCP against an independent peer in another process (plain socket + struct).

The helper ``stream_peer_wire_peer.py`` decodes what our StreamPeer methods write and writes
values for us to decode (fixed-width values, strings, raw data and `put_var` Variants), both
from its own hand-written reading of Godot's wire format.
We run it once as the server (our StreamPeerTCP connects) and once as the client (our
TCPServer accepts).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from blocking_calls import returns_within
from stream_peer_wire_peer import EXPECTED_FROM_NETPEER, SENT_TO_NETPEER

from engine.core.error import Error
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.tcp_server import TCPServer

pytestmark = [pytest.mark.network, pytest.mark.slow]

HELPER = Path(__file__).resolve().parent / "stream_peer_wire_peer.py"
DEADLINE = 30.0


def _poll_until(condition: Any, step: Any, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        step()
        time.sleep(0.001)


def _write_sequence(peer: StreamPeerTCP) -> None:
    for kind, value, big_endian in EXPECTED_FROM_NETPEER:
        peer.set_big_endian(big_endian)
        if kind == "data":
            assert isinstance(value, str)
            assert peer.put_data(bytes.fromhex(value)) == Error.OK
        else:
            getattr(peer, f"put_{kind}")(value)
    peer.set_big_endian(False)


def _read_sequence(peer: StreamPeerTCP) -> list[object]:
    values: list[object] = []
    for kind, _, big_endian in SENT_TO_NETPEER:
        peer.set_big_endian(big_endian)
        values.append(getattr(peer, f"get_{kind}")())
    peer.set_big_endian(False)
    return values


def _expected_from_python() -> list[object]:
    out: list[object] = []
    for kind, value, _ in SENT_TO_NETPEER:
        if kind == "u64":  # Q12: get_u64 returns the bit pattern as a signed int
            assert isinstance(value, int)
            value = value - 2**64 if value >= 2**63 else value
        out.append(value)
    return out


def _check_decoded_by_python(line: str) -> None:
    decoded = json.loads(line)
    assert len(decoded) == len(EXPECTED_FROM_NETPEER)
    for got, (_, want, _) in zip(decoded, EXPECTED_FROM_NETPEER, strict=True):
        if isinstance(want, float):
            assert math.isclose(got, want, rel_tol=1e-15)
        else:
            assert got == want


def _talk(peer: StreamPeerTCP, helper: subprocess.Popen[str]) -> None:
    assert helper.stdout is not None
    _write_sequence(peer)
    _check_decoded_by_python(returns_within(DEADLINE, helper.stdout.readline))
    assert returns_within(DEADLINE, _read_sequence, peer) == _expected_from_python()
    # The helper half-closed: our poll() sees the FIN and goes to STATUS_NONE.
    _poll_until(lambda: peer.get_status() == StreamPeerTCP.STATUS_NONE, peer.poll, "FIN")
    assert helper.wait(timeout=DEADLINE) == 0


def test_external_server() -> None:
    helper = subprocess.Popen(
        [sys.executable, str(HELPER), "serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert helper.stdout is not None
        port = int(returns_within(DEADLINE, helper.stdout.readline))
        peer = StreamPeerTCP()
        assert peer.connect_to_host("127.0.0.1", port) == Error.OK
        _poll_until(
            lambda: peer.get_status() != StreamPeerTCP.STATUS_CONNECTING, peer.poll, "connect"
        )
        assert peer.get_status() == StreamPeerTCP.STATUS_CONNECTED
        _talk(peer, helper)
    finally:
        helper.kill()
        helper.wait()
        if helper.stdout is not None:
            helper.stdout.close()


def test_external_client() -> None:
    server = TCPServer()
    assert server.listen(0, "127.0.0.1") == Error.OK
    helper = subprocess.Popen(
        [sys.executable, str(HELPER), "connect", str(server.get_local_port())],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        _poll_until(server.is_connection_available, lambda: None, "the helper to connect")
        peer = server.take_connection()
        assert peer is not None
        server.stop()
        _talk(peer, helper)
    finally:
        helper.kill()
        helper.wait()
        if helper.stdout is not None:
            helper.stdout.close()
