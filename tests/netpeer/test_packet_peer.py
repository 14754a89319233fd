"""PacketPeer's public layer: packet errors, empty puts, Variant helpers, encode limit."""

from __future__ import annotations

import logging
from collections import deque

import pytest

from engine.core.error import Error
from engine.core.properties import godot_properties
from netpeer import packet_peer
from netpeer.packet_peer import PacketPeer


class SpyPacketPeer(PacketPeer):
    def __init__(self) -> None:
        super().__init__()
        self.inbox: deque[tuple[Error, bytes]] = deque()
        self.sent: list[bytes] = []

    def _get_packet(self) -> tuple[Error, bytes]:
        if not self.inbox:
            return Error.ERR_UNAVAILABLE, b""
        return self.inbox.popleft()

    def _put_packet(self, data: bytes) -> Error:
        assert type(data) is bytes
        self.sent.append(data)
        return Error.OK

    def _get_available_packet_count(self) -> int:
        return len(self.inbox)

    def _get_max_packet_size(self) -> int:
        return 100


def test_get_packet_records_the_error() -> None:
    peer = SpyPacketPeer()
    assert peer.get_packet_error() == Error.OK
    peer.inbox.append((Error.ERR_INVALID_DATA, b"ignored"))
    peer.inbox.append((Error.OK, b"good"))
    assert peer.get_packet() == b""
    assert peer.get_packet_error() == Error.ERR_INVALID_DATA
    assert peer.get_packet() == b"good"
    assert peer.get_packet_error() == Error.OK


def test_put_packet_empty_and_types() -> None:
    peer = SpyPacketPeer()
    assert peer.put_packet(b"") == Error.OK
    assert peer.put_packet(memoryview(b"")) == Error.OK
    assert peer.sent == []
    assert peer.put_packet(memoryview(b"ab")) == Error.OK
    assert peer.sent == [b"ab"]
    for bad in ("ab", None, 1):
        with pytest.raises(TypeError):
            peer.put_packet(bad)  # type: ignore[arg-type]


def test_put_var_respects_encode_buffer_max_size(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        packet_peer, "encode_variant", lambda value, full: (Error.OK, b"\x00" * value)
    )
    peer = SpyPacketPeer()
    peer.set_encode_buffer_max_size(1024)
    assert peer.put_var(1024) == Error.OK
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.put_var(1025) == Error.ERR_OUT_OF_MEMORY
    assert caplog.records
    assert [len(p) for p in peer.sent] == [1024]


def test_put_var_returns_encoder_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packet_peer, "encode_variant", lambda value, full: (Error.ERR_BUG, b""))
    peer = SpyPacketPeer()
    assert peer.put_var(object()) == Error.ERR_BUG
    assert peer.sent == []


def test_get_var_passes_allow_objects_and_handles_errors(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[tuple[bytes, bool]] = []

    def fake_decode(data: bytes, allow: bool) -> tuple[Error, object, int]:
        seen.append((data, allow))
        return (
            (Error.OK, "decoded", len(data))
            if data != b"bad"
            else (Error.ERR_INVALID_DATA, None, 0)
        )

    monkeypatch.setattr(packet_peer, "decode_variant", fake_decode)
    peer = SpyPacketPeer()
    peer.inbox.extend([(Error.OK, b"one"), (Error.OK, b"bad")])
    assert peer.get_var(allow_objects=True) == "decoded"
    caplog.set_level(logging.ERROR, logger="godot")
    assert peer.get_var() is None
    assert peer.get_var() is None  # no packet at all
    assert len(caplog.records) == 2
    assert seen == [(b"one", True), (b"bad", False)]
    assert peer.get_packet_error() == Error.OK, "get_var does not touch get_packet_error"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1024, 1024), (1025, 2048), (2000, 2048), (4096, 4096), (256 * 1024 * 1024, 1 << 28)],
)
def test_encode_buffer_max_size_rounding(value: int, expected: int) -> None:
    peer = SpyPacketPeer()
    peer.encode_buffer_max_size = value
    assert peer.get_encode_buffer_max_size() == expected


@pytest.mark.parametrize("value", [-1, 0, 1023, 256 * 1024 * 1024 + 1])
def test_encode_buffer_max_size_rejects(value: int, caplog: pytest.LogCaptureFixture) -> None:
    peer = SpyPacketPeer()
    with caplog.at_level(logging.ERROR, logger="godot"):
        peer.set_encode_buffer_max_size(value)
    assert caplog.records
    assert peer.get_encode_buffer_max_size() == 8 * 1024 * 1024


def test_encode_buffer_max_size_property_default() -> None:
    assert godot_properties(PacketPeer)["encode_buffer_max_size"].default == 8 * 1024 * 1024
    with pytest.raises(TypeError):
        SpyPacketPeer().set_encode_buffer_max_size(2048.0)  # type: ignore[arg-type]


def test_allow_object_decoding_property_godot3_name(caplog: pytest.LogCaptureFixture) -> None:
    """Godot 3's ``allow_object_decoding``: when on, ``get_var()`` decodes full objects
    whatever ``allow_objects`` says (Godot 3 ORs the two); off by default."""
    from engine.core.object import Object
    from netpeer.marshalls import var_to_bytes_with_objects

    assert godot_properties(PacketPeer)["allow_object_decoding"].default is False
    peer = SpyPacketPeer()
    assert peer.allow_object_decoding is False and not peer.is_object_decoding_allowed()
    full_object = var_to_bytes_with_objects(Object())
    peer.inbox.append((Error.OK, full_object))
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.get_var() is None  # refused: ERR_UNAUTHORIZED
    assert "Objects are not allowed" in caplog.text
    peer.inbox.append((Error.OK, full_object))
    assert type(peer.get_var(allow_objects=True)) is Object  # Godot 4's argument still works

    peer.allow_object_decoding = True
    assert peer.is_object_decoding_allowed() and peer.get("allow_object_decoding") is True
    for call in (peer.get_var, lambda: peer.get_var(allow_objects=False)):
        peer.inbox.append((Error.OK, full_object))
        assert type(call()) is Object
    peer.set_allow_object_decoding(False)
    peer.inbox.append((Error.OK, full_object))
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.get_var() is None
