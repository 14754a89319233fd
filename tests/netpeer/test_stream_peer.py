"""StreamPeer's public layer: argument handling and how it reaches the subclass hooks."""

from __future__ import annotations

import logging

import pytest

from engine.core.error import Error
from engine.core.properties import godot_properties
from netpeer.stream_peer import StreamPeer


class SpyPeer(StreamPeer):
    """Records hook calls; reads come from ``incoming`` and report ``read_error``."""

    def __init__(self, incoming: bytes = b"") -> None:
        super().__init__()
        self.calls: list[tuple[str, object]] = []
        self.written = bytearray()
        self.incoming = bytearray(incoming)
        self.read_error = Error.OK
        self.partial_result: tuple[Error, int] | None = None

    def _put_data(self, data: bytes) -> Error:
        self.calls.append(("_put_data", data))
        assert type(data) is bytes
        self.written += data
        return Error.OK

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        self.calls.append(("_put_partial_data", data))
        assert type(data) is bytes
        if self.partial_result is not None:
            return self.partial_result
        self.written += data[:3]
        return Error.OK, min(3, len(data))

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        self.calls.append(("_get_data", n))
        data = bytes(self.incoming[:n])
        del self.incoming[:n]
        if self.read_error != Error.OK:
            return self.read_error, data
        return (Error.OK if len(data) == n else Error.ERR_UNAVAILABLE), data

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        self.calls.append(("_get_partial_data", n))
        if self.read_error != Error.OK:
            return self.read_error, b"garbage"
        data = bytes(self.incoming[:n])
        del self.incoming[:n]
        return Error.OK, data

    def _get_available_bytes(self) -> int:
        return len(self.incoming)


def test_empty_puts_do_not_reach_the_hooks() -> None:
    peer = SpyPeer()
    assert peer.put_data(b"") == Error.OK
    assert peer.put_data(bytearray()) == Error.OK
    assert peer.put_data(memoryview(b"")) == Error.OK
    assert peer.put_partial_data(b"") == (Error.OK, 0)
    assert peer.calls == []


def test_bytes_like_inputs_reach_hooks_as_bytes() -> None:
    peer = SpyPeer()
    assert peer.put_data(bytearray(b"ab")) == Error.OK
    assert peer.put_data(memoryview(b"cd")) == Error.OK
    assert peer.put_partial_data(memoryview(b"efghij")) == (Error.OK, 3)
    assert peer.written == b"abcdefg"
    assert [name for name, _ in peer.calls] == ["_put_data", "_put_data", "_put_partial_data"]


def test_put_partial_data_reports_zero_sent_on_error() -> None:
    peer = SpyPeer()
    peer.partial_result = (Error.ERR_CONNECTION_ERROR, 5)
    assert peer.put_partial_data(b"hello") == (Error.ERR_CONNECTION_ERROR, 0)


@pytest.mark.parametrize("bad", ["text", None, 3, [1, 2], bytearray, 1.5])
def test_put_data_rejects_non_bytes(bad: object) -> None:
    peer = SpyPeer()
    with pytest.raises(TypeError):
        peer.put_data(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.put_partial_data(bad)  # type: ignore[arg-type]
    assert peer.calls == []


def test_sizes_zero_and_negative(caplog: pytest.LogCaptureFixture) -> None:
    peer = SpyPeer(b"abc")
    assert peer.get_data(0) == (Error.OK, b"")
    assert peer.get_partial_data(0) == (Error.OK, b"")
    assert peer.calls == []
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert peer.get_data(-1) == (Error.ERR_OUT_OF_MEMORY, b"")
        assert peer.get_partial_data(-5) == (Error.ERR_OUT_OF_MEMORY, b"")
    assert len([r for r in caplog.records if r.name == "godot"]) == 2
    assert peer.calls == []
    with pytest.raises(TypeError):
        peer.get_data(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peer.get_partial_data("2")  # type: ignore[arg-type]


def test_get_data_always_has_the_requested_size() -> None:
    peer = SpyPeer(b"\x2a")
    err, data = peer.get_data(3)
    assert err == Error.ERR_UNAVAILABLE
    assert data == b"\x2a\x00\x00"


def test_get_partial_data_is_empty_on_error() -> None:
    peer = SpyPeer(b"abc")
    peer.read_error = Error.ERR_CONNECTION_ERROR
    assert peer.get_partial_data(2) == (Error.ERR_CONNECTION_ERROR, b"")


def test_fixed_width_short_read_is_zero_filled_and_consumes() -> None:
    peer = SpyPeer(b"\x01\x02")
    assert peer.get_u32() == 0x0201
    assert peer.get_available_bytes() == 0
    assert peer.get_u64() == 0


def test_each_fixed_width_put_is_one_hook_call() -> None:
    peer = SpyPeer()
    for name in ("put_8", "put_u8", "put_16", "put_u16", "put_32", "put_u32", "put_64", "put_u64"):
        getattr(peer, name)(1)
    peer.put_float(1.0)
    peer.put_double(1.0)
    assert [len(data) for _, data in peer.calls] == [1, 1, 2, 2, 4, 4, 8, 8, 4, 8]  # type: ignore[arg-type]


def test_put_float_out_of_range_becomes_infinity() -> None:
    peer = SpyPeer()
    peer.put_float(1e300)
    peer.put_float(-1e300)
    peer.put_float(3.4028235e38)  # FLT_MAX itself stays finite
    assert bytes(peer.written) == bytes.fromhex("0000807f000080ffffff7f7f")


def test_strings_are_one_hook_call_with_prefix() -> None:
    peer = SpyPeer()
    peer.put_string("ab")
    peer.put_utf8_string("\u00e9")
    assert peer.calls == [
        ("_put_data", b"\x02\x00\x00\x00ab"),
        ("_put_data", b"\x02\x00\x00\x00\xc3\xa9"),
    ]


def test_put_string_non_ascii_prints_one_error_per_character(
    caplog: pytest.LogCaptureFixture,
) -> None:
    peer = SpyPeer()
    with caplog.at_level(logging.ERROR, logger="godot"):
        peer.put_string("\u00e9a\u2729")
    assert bytes(peer.written) == b"\x03\x00\x00\x00 a "
    assert len([r for r in caplog.records if r.name == "godot"]) == 2


def test_get_string_lengths_and_failures(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="godot")
    # u32 length >= 2**31 becomes a negative int in Godot: error, "".
    peer = SpyPeer(b"\xff\xff\xff\xff" + b"rest")
    assert peer.get_string() == ""
    assert caplog.records
    assert peer.get_available_bytes() == 4
    caplog.clear()
    # Not enough bytes for the announced length: error, "", what was there is consumed.
    peer = SpyPeer(b"\x05\x00\x00\x00ab")
    assert peer.get_utf8_string() == ""
    assert caplog.records
    caplog.clear()
    # Length prefix itself missing.
    peer = SpyPeer(b"\x01")
    assert peer.get_string() == ""
    assert caplog.records
    caplog.clear()
    # Zero length: no data read, no error.
    peer = SpyPeer(b"\x00\x00\x00\x00")
    assert peer.get_string() == ""
    assert peer.get_utf8_string(0) == ""
    assert not caplog.records


def test_get_utf8_string_bom_nul_and_invalid(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="godot")
    peer = SpyPeer(b"\xef\xbb\xbfabc" + b"x\x00yz" + b"a\xffb")
    assert peer.get_utf8_string(6) == "abc"
    assert not caplog.records
    assert peer.get_utf8_string(4) == "x"
    assert peer.get_utf8_string(3) == "a\ufffdb"
    assert caplog.records


def test_get_string_is_latin1() -> None:
    peer = SpyPeer(bytes([3, 0, 0, 0, 0xE9, 0x41, 0xFF]))
    assert peer.get_string() == "\u00e9A\u00ff"


def test_get_var_failures_return_none(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="godot")
    for incoming in (b"", b"\x01\x00", b"\xff\xff\xff\xff", b"\x08\x00\x00\x00\x02\x00"):
        caplog.clear()
        peer = SpyPeer(incoming)
        assert peer.get_var() is None
        assert caplog.records, incoming


def test_get_var_never_preallocates_hostile_lengths() -> None:
    peer = SpyPeer(b"\xff\xff\xff\x7f" + b"tiny")
    assert peer.get_var() is None
    assert ("_get_data", 0x7FFFFFFF) in peer.calls  # asked the hook, which reads what exists


def test_big_endian_switches_byte_order() -> None:
    peer = SpyPeer()
    assert peer.big_endian is False
    peer.big_endian = True
    assert peer.is_big_endian_enabled() is True
    peer.put_u32(0x01020304)
    peer.set_big_endian(False)
    peer.put_u32(0x01020304)
    assert bytes(peer.written) == bytes.fromhex("0102030404030201")
    assert "big_endian" in godot_properties(StreamPeer)
    assert godot_properties(StreamPeer)["big_endian"].default is False


def test_base_hooks_are_abstract() -> None:
    peer = StreamPeer()
    with pytest.raises(NotImplementedError):
        peer.put_data(b"x")
    with pytest.raises(NotImplementedError):
        peer.get_available_bytes()
