"""Interop in memory with the ``websockets`` sans-I/O protocols (client and server side)."""

from __future__ import annotations

import pytest

pytest.importorskip("websockets")

from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    ServerPerMessageDeflateFactory,
)
from websockets.frames import Close, Opcode
from websockets.protocol import State as WsState
from websockets.server import ServerProtocol
from websockets.uri import parse_uri

from netpeer._ws.connection import State, WebSocketConnection
from netpeer._ws.deflate import DeflateConfig
from netpeer._ws.events import CloseReceived, HandshakeCompleted, Message, Pong


def drain(proto) -> bytes:
    return b"".join(proto.data_to_send())


@pytest.mark.parametrize("deflate", [False, True])
def test_our_client_against_websockets_server(deflate):
    ours = WebSocketConnection(True, permessage_deflate=DeflateConfig() if deflate else None)
    theirs = ServerProtocol(
        extensions=[ServerPerMessageDeflateFactory()] if deflate else None, max_size=None
    )
    ours.initiate_handshake("localhost", "/path")
    theirs.receive_data(ours.data_to_send())
    [request] = theirs.events_received()
    assert request.path == "/path"
    theirs.send_response(theirs.accept(request))
    ours.receive_data(drain(theirs))
    [done] = ours.events_received()
    assert isinstance(done, HandshakeCompleted)
    assert (ours.deflate_params is not None) == deflate
    payload = b"hello " * 500
    ours.send_message(payload)
    ours.send_message("ünïcode".encode(), text=True)
    ours.send_ping(b"x")
    theirs.receive_data(ours.data_to_send())
    frames = theirs.events_received()
    assert [(f.opcode, f.data) for f in frames] == [
        (Opcode.BINARY, payload),
        (Opcode.TEXT, "ünïcode".encode()),
        (Opcode.PING, b"x"),
    ]
    theirs.send_binary(payload)
    theirs.send_text(b"t")
    ours.receive_data(drain(theirs))
    assert ours.events_received() == [Pong(b"x"), Message(payload, False), Message(b"t", True)]
    ours.send_close(1001, "bye")
    theirs.receive_data(ours.data_to_send())
    ours.receive_data(drain(theirs))
    assert ours.events_received() == [CloseReceived(1001, "bye")]
    assert theirs.close_rcvd == Close(1001, "bye") and ours.state is State.CLOSED


@pytest.mark.parametrize("deflate", [False, True])
def test_websockets_client_against_our_server(deflate):
    theirs = ClientProtocol(
        parse_uri("ws://127.0.0.1:1/chat?x=1"),
        extensions=[ClientPerMessageDeflateFactory()] if deflate else None,
        subprotocols=["chat"],
        max_size=None,
    )
    ours = WebSocketConnection(False, permessage_deflate=DeflateConfig() if deflate else None)
    theirs.send_request(theirs.connect())
    ours.receive_data(drain(theirs))
    [request] = ours.events_received()
    assert request.request.path == "/chat?x=1"
    assert ours.accept(["chat"]) == ""
    theirs.receive_data(ours.data_to_send())
    [response] = theirs.events_received()
    assert response.status_code == 101
    assert theirs.state is WsState.OPEN
    assert ours.selected_protocol == "chat"
    payload = bytes(range(256)) * 200
    theirs.send_binary(payload)
    theirs.send_ping(b"hb")
    ours.receive_data(drain(theirs))
    events = ours.events_received()
    assert isinstance(events[0], HandshakeCompleted)
    assert events[1] == Message(payload, False)
    ours.send_message(b"back", text=True)
    theirs.receive_data(ours.data_to_send())
    frames = theirs.events_received()
    assert [(f.opcode, f.data) for f in frames] == [(Opcode.PONG, b"hb"), (Opcode.TEXT, b"back")]
    theirs.send_close(1000, "done")
    ours.receive_data(drain(theirs))
    assert ours.events_received()[-1] == CloseReceived(1000, "done")
    theirs.receive_data(ours.data_to_send())
    assert theirs.close_rcvd == Close(1000, "done")
