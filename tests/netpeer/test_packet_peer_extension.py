"""PacketPeerExtension: Python subclasses provide the primitives; missing ones warn once."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator

import pytest

from engine.core.error import Error
from netpeer import packet_peer_extension
from netpeer.packet_peer_extension import PacketPeerExtension


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    saved = set(packet_peer_extension._warned)
    packet_peer_extension._warned.clear()
    yield
    packet_peer_extension._warned.clear()
    packet_peer_extension._warned.update(saved)


def test_unimplemented_hooks_fail_and_warn_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="godot")
    peer = PacketPeerExtension()
    for _ in range(3):
        assert peer.put_packet(b"x") == Error.FAILED
        assert peer.get_packet() == b""
        assert peer.get_packet_error() == Error.FAILED
        assert peer.get_available_packet_count() == 0
        assert peer._get_max_packet_size() == 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("is unimplemented" in w for w in warnings)


class Queue(PacketPeerExtension):
    def __init__(self) -> None:
        super().__init__()
        self.packets: deque[bytes] = deque()
        self.puts = 0

    def _get_packet(self) -> tuple[Error, bytes]:
        if not self.packets:
            return Error.ERR_UNAVAILABLE, b""
        return Error.OK, self.packets.popleft()

    def _put_packet(self, data: bytes) -> Error:
        self.puts += 1
        self.packets.append(data)
        return Error.OK

    def _get_available_packet_count(self) -> int:
        return len(self.packets)

    def _get_max_packet_size(self) -> int:
        return 1 << 16


def test_subclass_gets_packets_and_empty_put_is_a_noop() -> None:
    peer = Queue()
    assert peer.put_packet(b"") == Error.OK
    assert peer.puts == 0
    assert peer.put_packet(bytearray(b"abc")) == Error.OK
    assert peer.get_available_packet_count() == 1
    assert peer.get_packet() == b"abc"
    assert peer.get_packet_error() == Error.OK
    assert peer.get_packet() == b""
    assert peer.get_packet_error() == Error.ERR_UNAVAILABLE
