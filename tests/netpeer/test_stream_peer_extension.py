"""StreamPeerExtension: Python subclasses provide the primitives; missing ones warn once."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from engine.core.error import Error
from netpeer import stream_peer_extension
from netpeer.stream_peer_extension import StreamPeerExtension


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    saved = set(stream_peer_extension._warned)
    stream_peer_extension._warned.clear()
    yield
    stream_peer_extension._warned.clear()
    stream_peer_extension._warned.update(saved)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "godot" and r.levelno == logging.WARNING
    ]


def test_unimplemented_hooks_fail_and_warn_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="godot")
    peer = StreamPeerExtension()
    for _ in range(2):
        assert peer.put_data(b"x") == Error.FAILED
        assert peer.put_partial_data(b"x") == (Error.FAILED, 0)
        assert peer.get_data(2) == (Error.FAILED, b"\x00\x00")
        assert peer.get_partial_data(2) == (Error.FAILED, b"")
        assert peer.get_available_bytes() == 0
    warnings = _warnings(caplog)
    assert len(warnings) == 4
    assert any("_put_partial_data" in w for w in warnings)
    assert all("is unimplemented" in w for w in warnings)


class Loopback(StreamPeerExtension):
    def __init__(self) -> None:
        super().__init__()
        self.buf = bytearray()
        self.partial_calls = 0
        self.full_calls = 0

    def _put_data(self, data: bytes) -> Error:
        self.full_calls += 1
        self.buf += data
        return Error.OK

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        self.partial_calls += 1
        self.buf += data[:2]
        return Error.OK, min(2, len(data))

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        if len(self.buf) < n:
            return Error.ERR_UNAVAILABLE, b""
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return Error.OK, data

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return Error.OK, data

    def _get_available_bytes(self) -> int:
        return len(self.buf)


def test_put_partial_data_reaches_put_partial_hook() -> None:
    """Godot 4.2 calls _put_data here (bug, docs/godot-differences.md); we do not."""
    peer = Loopback()
    assert peer.put_partial_data(b"hello") == (Error.OK, 2)
    assert (peer.partial_calls, peer.full_calls) == (1, 0)


def test_subclass_gets_the_whole_typed_api() -> None:
    peer = Loopback()
    peer.set_big_endian(True)
    peer.put_u32(0xCAFEBABE)
    peer.put_utf8_string("\u2729")
    peer.put_double(2.5)
    assert peer.get_available_bytes() == 4 + 4 + 3 + 8
    assert peer.get_u32() == 0xCAFEBABE
    assert peer.get_utf8_string() == "\u2729"
    assert peer.get_double() == 2.5
    assert peer.get_partial_data(10) == (Error.OK, b"")
