"""Queue limits below 1: the setters keep any int (Godot), connecting refuses them, and a
limit changed while a connection is open cannot stall that connection's reading."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from test_websocket_peer import CLOSED, Harness

from engine.core.error import Error
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

BAD_LIMITS = [
    ("max_queued_packets", 0),
    ("max_queued_packets", -1),
    ("inbound_buffer_size", 0),
    ("inbound_buffer_size", -5),
]


@pytest.fixture(params=["ws", "wss"])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    h = Harness(tls=request.param == "wss")
    yield h
    h.close()


@pytest.mark.parametrize(("name", "value"), BAD_LIMITS)
def test_connect_refuses_a_limit_below_1(
    name: str, value: int, caplog: pytest.LogCaptureFixture
) -> None:
    peer = WebSocketPeer()
    setattr(peer, name, value)
    assert getattr(peer, name) == value  # the setter accepts any int, like Godot
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.connect_to_url("ws://127.0.0.1:9/") == Error.ERR_INVALID_PARAMETER
    assert f"{name} must be >= 1, not {value}" in caplog.text
    assert peer.get_ready_state() == CLOSED
    assert peer.get_requested_url() == ""


@pytest.mark.parametrize(("name", "value"), BAD_LIMITS)
def test_accept_stream_refuses_a_limit_below_1_and_leaves_the_stream(
    name: str, value: int, harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    refused: list[Error] = []

    def make_server_peer() -> WebSocketPeer:
        peer = WebSocketPeer()
        setattr(peer, name, value)
        real_accept = peer.accept_stream

        def accept(stream: object) -> Error:
            err = real_accept(stream)  # type: ignore[arg-type]
            refused.append(err)
            # the stream is untouched: a peer with sane limits can still take it
            setattr(peer, name, 1 << 16)
            return real_accept(stream)  # type: ignore[arg-type]

        peer.accept_stream = accept  # type: ignore[method-assign]
        return peer

    harness.make_server_peer = make_server_peer
    with caplog.at_level(logging.ERROR, logger="godot"):
        client, server = harness.pair()
    assert refused == [Error.ERR_INVALID_PARAMETER]
    assert f"{name} must be >= 1, not {value}" in caplog.text
    assert client.put_packet(b"hello") == Error.OK
    harness.wait(lambda: server.get_available_packet_count() == 1)
    assert server.get_packet() == b"hello"


@pytest.mark.parametrize("value", [0, -1])
def test_max_queued_packets_lowered_while_open_does_not_stall(value: int, harness: Harness) -> None:
    client, server = harness.pair()
    client.max_queued_packets = value  # applies to the next connection
    for i in range(3):
        assert server.put_packet(bytes([i]) * 10) == Error.OK
    harness.wait(lambda: client.get_available_packet_count() == 3, "three packets")
    assert [client.get_packet() for _ in range(3)] == [bytes([i]) * 10 for i in range(3)]
    assert server.close(1000, "done") == Error.OK
    harness.wait(lambda: client.get_ready_state() == CLOSED, "the close reaches the client")
    assert (client.get_close_code(), client.get_close_reason()) == (1000, "done")
    assert client.put_packet(b"late") == Error.FAILED


@pytest.mark.parametrize("tls", [False, True], ids=["ws", "wss"])
def test_large_messages_come_out_as_bytes_from_reused_buffers(tls: bool) -> None:
    """Large messages are unmasked into pooled buffers (payload_pool.py); get_packet still
    returns exact ``bytes``, and the pool keeps at most the inbound budget."""
    budget = (1 << 19) - 1
    limits = {"inbound_buffer_size": budget, "outbound_buffer_size": budget}
    h = Harness(tls=tls, **limits)
    try:
        client, server = h.pair(**limits)
        for burst in range(3):
            sent = [bytes([burst * 16 + i]) * (65536 - i * 4096) for i in range(6)]
            for i, data in enumerate(sent):
                mode = WebSocketPeer.WRITE_MODE_TEXT if i == 2 else WebSocketPeer.WRITE_MODE_BINARY
                assert client.send(data, mode) == Error.OK
                assert server.send(data, mode) == Error.OK
            for peer in (server, client):
                h.wait(lambda p=peer: p.get_available_packet_count() == 6, "a burst")
                for i, data in enumerate(sent):
                    got = peer.get_packet()
                    assert type(got) is bytes and got == data
                    assert peer.was_string_packet() == (i == 2)
                assert 0 < peer._pool.kept_bytes() <= budget
    finally:
        h.close()
