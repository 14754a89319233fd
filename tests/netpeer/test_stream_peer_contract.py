"""The StreamPeer and PacketPeer contract suites over the in-memory duplex pair."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from contracts import PACKET_PEER_CHECKS, STREAM_PEER_CHECKS, check_packet_peer, check_stream_peer
from contracts.memory_pair import MemoryStreamPeer, memory_packet_pair, memory_stream_pair
from contracts.packet_peer_contract import check_many_packets, check_packet_round_trip
from contracts.stream_peer_contract import check_fixed_width, check_strings

from engine.core.error import Error
from netpeer.packet_peer import PacketPeer
from netpeer.packet_peer_stream import PacketPeerStream
from netpeer.stream_peer import StreamPeer


@pytest.mark.parametrize("check", STREAM_PEER_CHECKS, ids=lambda c: c.__name__)
def test_stream_peer_contract(check: Callable[..., None]) -> None:
    check(memory_stream_pair)


@pytest.mark.parametrize("check", PACKET_PEER_CHECKS, ids=lambda c: c.__name__)
def test_packet_peer_contract(check: Callable[..., None]) -> None:
    check(memory_packet_pair)


def test_whole_suites_run() -> None:
    check_stream_peer(memory_stream_pair)
    check_packet_peer(memory_packet_pair)


class _CorruptingPeer(MemoryStreamPeer):
    """Flips the lowest bit of the last byte of every write."""

    def _put_data(self, data: bytes) -> Error:
        return super()._put_data(data[:-1] + bytes([data[-1] ^ 1]))


def test_stream_contract_can_fail() -> None:
    def make_corrupt() -> tuple[StreamPeer, StreamPeer, Callable[[], None]]:
        a, b, pump = memory_stream_pair()
        a.__class__ = _CorruptingPeer
        return a, b, pump

    with pytest.raises(AssertionError):
        check_fixed_width(make_corrupt, 2.0)
    with pytest.raises(AssertionError):
        check_strings(make_corrupt, 2.0)


class _DroppingPacketPeer(PacketPeerStream):
    """Silently loses the first packet it receives."""

    dropped = False

    def _get_packet(self) -> tuple[Error, bytes]:
        if not self.dropped and self._get_available_packet_count() > 1:
            self.dropped = True
            super()._get_packet()
        return super()._get_packet()


def test_packet_contract_can_fail() -> None:
    def make_lossy() -> tuple[PacketPeer, PacketPeer, Callable[[], None]]:
        a, b, pump = memory_packet_pair()
        b.__class__ = _DroppingPacketPeer
        return a, b, pump

    with pytest.raises(AssertionError):
        check_many_packets(make_lossy, 0.3)
    with pytest.raises(AssertionError):
        check_packet_round_trip(make_lossy, 2.0)
