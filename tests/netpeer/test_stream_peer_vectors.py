"""Replay tests/fixtures/stream_peer.json (spec §17) on StreamPeerBuffer and PacketPeerStream."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

import pytest

from engine.core.error import Error
from netpeer.packet_peer_stream import PacketPeerStream
from netpeer.stream_peer_buffer import StreamPeerBuffer

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "stream_peer.json"
SHARED = REPO.parent / "shared" / "vectors" / "stream_peer.json"

SEQUENCES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))


def _variant(spec: dict[str, Any]) -> Any:
    """Typed JSON Variant (spec §17) -> the Python value netpeer uses for it."""
    kind = spec["type"]
    if kind == "Nil":
        return None
    if kind in ("bool", "int", "String"):
        return spec["v"]
    if kind == "float":
        v = spec["v"]
        return float(v) if isinstance(v, str) else v
    if kind == "Array":
        return [_variant(item) for item in spec["v"]]
    if kind == "Dictionary":
        return {_variant(k): _variant(v) for k, v in spec["v"]}
    if kind == "PackedByteArray":
        return bytes.fromhex(spec["hex"])
    raise NotImplementedError(f"vector Variant type {kind!r} not handled by this replayer")


def _arg(value: Any, spb: StreamPeerBuffer) -> Any:
    if value == "spb":
        return spb
    if isinstance(value, dict):
        if "hex" in value:
            return bytes.fromhex(value["hex"])
        if "size" in value:
            return bytes.fromhex(value["fill"]) * value["size"]
        if "type" in value:
            return _variant(value)
    return value


def _same_variant(got: Any, expected: Any) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(expected, list):
        return (
            isinstance(got, list)
            and len(got) == len(expected)
            and all(_same_variant(g, e) for g, e in zip(got, expected, strict=True))
        )
    return type(got) is type(expected) and got == expected


def _check_bytes(got: Any, expected: dict[str, Any], where: str) -> None:
    assert isinstance(got, bytes), f"{where}: expected bytes, got {got!r}"
    if "hex" in expected:
        assert got.hex() == expected["hex"], where
        return
    # {"size", "hex_prefix", "rest": "unspecified"}: Godot returns uninitialised memory
    # after the prefix; netpeer's documented convention is zeros.
    prefix = bytes.fromhex(expected["hex_prefix"])
    assert len(got) == expected["size"], where
    assert got.startswith(prefix), where
    assert got[len(prefix) :] == bytes(expected["size"] - len(prefix)), where


def _check_return(got: Any, expected: Any, where: str) -> None:
    if expected == "unspecified":
        return
    if isinstance(expected, list):  # [err, bytes] or [err, sent] (put_partial_data)
        assert isinstance(got, tuple) and len(got) == 2, where
        assert got[0] == expected[0], f"{where}: error {got[0]!r} != {expected[0]}"
        assert isinstance(got[0], Error), where
        if isinstance(expected[1], int):
            assert got[1] == expected[1], where
        else:
            _check_bytes(got[1], expected[1], where)
    elif isinstance(expected, dict) and "type" in expected:
        want = _variant(expected)
        assert _same_variant(got, want), f"{where}: {got!r} != {want!r}"
    elif isinstance(expected, dict):
        _check_bytes(got, expected, where)
    else:
        assert got == expected, f"{where}: {got!r} != {expected!r}"
        assert type(got) is type(expected) or isinstance(got, Error), where


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "godot" and r.levelno >= logging.ERROR]


@pytest.mark.parametrize("seq", SEQUENCES, ids=[s["desc"][:70] for s in SEQUENCES])
def test_vector_sequence(seq: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    spb = StreamPeerBuffer()
    main: StreamPeerBuffer | PacketPeerStream
    main = spb if seq["class"] == "StreamPeerBuffer" else PacketPeerStream()
    named: dict[str, Any] = {}
    caplog.set_level(logging.DEBUG, logger="godot")
    for index, op in enumerate(seq["ops"]):
        name: str = op["op"]
        target: Any = main
        if name.startswith("spb."):
            target, name = spb, name[4:]
        if "on" in op:
            target = named[op["on"]]
        args = [_arg(a, spb) for a in op.get("args", [])]
        where = f"op #{index} {op['op']}{tuple(op.get('args', []))!r}"
        caplog.clear()
        if name == "set" and not hasattr(target, "set"):
            result = setattr(target, args[0], args[1])
        else:
            result = getattr(target, name)(*args)
        errors = _errors(caplog)
        if op.get("error_printed"):
            assert errors, f"{where}: Godot prints an error here, netpeer printed none"
        else:
            assert not errors, f"{where}: unexpected error output {errors[0].getMessage()!r}"
        if "as" in op:
            named[op["as"]] = result
        if "returns" in op:
            _check_return(result, op["returns"], where)
    final = seq.get("final")
    if final is not None:
        assert spb.get_data_array().hex() == final["data_array_hex"]
        assert spb.get_position() == final["position"]


def test_sequences_cover_both_classes() -> None:
    classes = {s["class"] for s in SEQUENCES}
    assert classes == {"StreamPeerBuffer", "PacketPeerStream"}
    assert len(SEQUENCES) >= 50


def test_fixture_matches_shared_vectors() -> None:
    if not SHARED.exists():
        pytest.skip(f"shared vectors not found at {SHARED}; cannot check the fixture copy")
    assert FIXTURE.read_bytes() == SHARED.read_bytes(), (
        "tests/fixtures/stream_peer.json differs from the shared vectors: copy it again"
    )
