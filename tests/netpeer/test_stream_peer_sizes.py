"""Huge and negative sizes in ``get_data``/``get_partial_data`` never raise (spec §5.1).

Beyond ``MAX_DATA_SIZE`` (Godot 4.2's 32-bit array size), or when the array cannot be
allocated, the answer is ``(ERR_OUT_OF_MEMORY, b"")`` with an error print, like Godot's
failed ``resize``.
"""

from __future__ import annotations

import logging

import pytest
from blocking_calls import returns_within
from test_stream_peer_tcp import tcp_pair

from engine.core.error import Error
from netpeer import stream_peer
from netpeer.stream_peer import MAX_DATA_SIZE
from netpeer.stream_peer_buffer import StreamPeerBuffer
from netpeer.stream_peer_tcp import StreamPeerTCP

REFUSED = (Error.ERR_OUT_OF_MEMORY, b"")
TOO_BIG = [MAX_DATA_SIZE + 1, 2**40, 2**80]


def test_limit_is_godots_vector_size() -> None:
    assert MAX_DATA_SIZE == 2**31 - 1


@pytest.mark.parametrize("n", [*TOO_BIG, -1, -(2**40)])
def test_buffer_refuses_sizes_out_of_range(n: int, caplog: pytest.LogCaptureFixture) -> None:
    spb = StreamPeerBuffer()
    spb.put_data(b"abc")
    spb.seek(0)
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert spb.get_data(n) == REFUSED
        assert spb.get_partial_data(n) == REFUSED
    assert len(caplog.records) == 2
    assert spb.get_position() == 0  # nothing consumed
    assert spb.get_data(3) == (Error.OK, b"abc")


def test_failed_allocation_is_out_of_memory(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Lift the limit so the zero padding of a short read really asks for 1 EiB.
    monkeypatch.setattr(stream_peer, "MAX_DATA_SIZE", 2**62)
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert StreamPeerBuffer().get_data(2**60) == REFUSED
    assert "cannot allocate" in caplog.text


@pytest.mark.parametrize("n", [*TOO_BIG, -1])
def test_closed_tcp_peer_refuses_sizes_out_of_range(n: int) -> None:
    peer = StreamPeerTCP()
    assert peer.get_data(n) == REFUSED
    assert peer.get_partial_data(n) == REFUSED
    assert peer.get_data(4) == (Error.FAILED, bytes(4))  # a sane size still pads


def test_connected_tcp_peer_refuses_before_reading() -> None:
    client, server_side = tcp_pair()
    assert client.put_data(b"kept") == Error.OK
    for n in TOO_BIG:
        assert returns_within(5, server_side.get_data, n) == REFUSED
        assert server_side.get_partial_data(n) == REFUSED
    assert returns_within(5, server_side.get_data, 4) == (Error.OK, b"kept")
    assert server_side.get_status() == StreamPeerTCP.STATUS_CONNECTED
