"""The PacketPeer contract: packet boundaries, order, errors, Variants, limits.

Every check takes ``make_pair`` (see the package docstring) and an optional ``timeout``.
Assumes a reliable, ordered transport and packets of at most 4000 bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from engine.core.error import Error
from netpeer.packet_peer import PacketPeer

from ._common import pump_until

MakePacketPair = Callable[[], tuple[PacketPeer, PacketPeer, Callable[[], None]]]


def _wait_packets(b: PacketPeer, n: int, pump: Callable[[], None], timeout: float) -> None:
    pump_until(pump, lambda: b.get_available_packet_count() >= n, timeout, f"{n} packets")


def check_packet_round_trip(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """Packets of many sizes keep their boundaries and their order."""
    a, b, pump = make_pair()
    rng = random.Random(7)
    packets = [rng.randbytes(n) for n in (1, 2, 3, 4, 5, 100, 1000, 4000)]
    packets.append(b"\x00\x00\x00\x00")
    for packet in packets:
        assert a.put_packet(packet) == Error.OK
    _wait_packets(b, len(packets), pump, timeout)
    assert b.get_available_packet_count() == len(packets)
    for index, packet in enumerate(packets):
        got = b.get_packet()
        assert b.get_packet_error() == Error.OK
        assert got == packet, f"packet #{index}"
        assert type(got) is bytes
        assert b.get_available_packet_count() == len(packets) - index - 1


def check_empty_packet_is_noop(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """Q13: put_packet(b"") returns OK and sends nothing."""
    a, b, pump = make_pair()
    assert a.put_packet(b"") == Error.OK
    assert a.put_packet(bytearray()) == Error.OK
    assert a.put_packet(b"x") == Error.OK
    _wait_packets(b, 1, pump, timeout)
    assert b.get_packet() == b"x"
    for _ in range(5):
        pump()
    assert b.get_available_packet_count() == 0


def check_get_packet_when_empty(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """get_packet with nothing queued: b"" and an error; the next good read resets it to OK."""
    a, b, pump = make_pair()
    pump()
    assert b.get_packet_error() == Error.OK
    assert b.get_available_packet_count() == 0
    assert b.get_packet() == b""
    assert b.get_packet_error() != Error.OK
    a.put_packet(b"ok")
    _wait_packets(b, 1, pump, timeout)
    assert b.get_packet() == b"ok"
    assert b.get_packet_error() == Error.OK


def check_packet_arguments(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """bytes, bytearray and memoryview are accepted; other types raise TypeError."""
    a, b, pump = make_pair()
    assert a.put_packet(bytearray(b"ab")) == Error.OK
    assert a.put_packet(memoryview(b"cd")) == Error.OK
    for bad in ("text", None, 5, [1]):
        with pytest.raises(TypeError):
            a.put_packet(bad)  # type: ignore[arg-type]
    _wait_packets(b, 2, pump, timeout)
    assert b.get_packet() == b"ab"
    assert b.get_packet() == b"cd"
    for _ in range(5):
        pump()
    assert b.get_available_packet_count() == 0


def check_packet_var(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """put_var/get_var carry one Variant per packet."""
    a, b, pump = make_pair()
    values = ["Godot Rules!!!", 42, -1.5, None, [1, "a"], True]
    for value in values:
        assert a.put_var(value) == Error.OK
    a.put_packet(b"\xff\x00\x00\x00")  # not a Variant: get_var gives None
    _wait_packets(b, len(values) + 1, pump, timeout)
    for value in values:
        got = b.get_var()
        assert got == value
        assert type(got) is type(value)
    assert b.get_var() is None


def check_many_packets(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """A burst of 300 small packets arrives complete and in order."""
    a, b, pump = make_pair()
    received: list[bytes] = []
    for i in range(300):
        assert a.put_packet(i.to_bytes(2, "little") * (1 + i % 7)) == Error.OK

    def collect() -> bool:
        while b.get_available_packet_count() > 0:
            received.append(b.get_packet())
        return len(received) >= 300

    pump_until(pump, collect, timeout, "300 packets")
    assert received == [i.to_bytes(2, "little") * (1 + i % 7) for i in range(300)]


def check_packet_bidirectional(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """Both ends send at once; each receives only the other's packets."""
    a, b, pump = make_pair()
    a.put_packet(b"from a")
    b.put_packet(b"from b")
    pump_until(
        pump,
        lambda: a.get_available_packet_count() >= 1 and b.get_available_packet_count() >= 1,
        timeout,
        "a packet each way",
    )
    assert a.get_packet() == b"from b"
    assert b.get_packet() == b"from a"


def check_encode_buffer_max_size(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """8 MiB default; 1 KiB..256 MiB accepted and rounded up to a power of two."""
    a, _, _ = make_pair()
    assert a.get_encode_buffer_max_size() == 8 * 1024 * 1024
    assert a.encode_buffer_max_size == 8 * 1024 * 1024
    a.set_encode_buffer_max_size(42)
    assert a.get_encode_buffer_max_size() == 8 * 1024 * 1024
    a.set_encode_buffer_max_size(256 * 1024 * 1024 + 1)
    assert a.get_encode_buffer_max_size() == 8 * 1024 * 1024
    a.encode_buffer_max_size = 2000
    assert a.get_encode_buffer_max_size() == 2048
    a.set_encode_buffer_max_size(1024)
    assert a.encode_buffer_max_size == 1024


PACKET_PEER_CHECKS: list[Callable[..., None]] = [
    check_packet_round_trip,
    check_empty_packet_is_noop,
    check_get_packet_when_empty,
    check_packet_arguments,
    check_packet_var,
    check_many_packets,
    check_packet_bidirectional,
    check_encode_buffer_max_size,
]


def check_packet_peer(make_pair: MakePacketPair, timeout: float = 10.0) -> None:
    """Run every PacketPeer check (the Variant one only once the codec exists)."""
    for check in PACKET_PEER_CHECKS:
        if check is check_packet_var:
            try:
                check(make_pair, timeout)
            except pytest.skip.Exception:
                continue
        else:
            check(make_pair, timeout)
