"""Replay tests/fixtures/marshalls.json (Godot 4.2 golden vectors) through netpeer.marshalls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _variant_json import _FakeObjectRef, from_json, same

from engine.core.error import Error
from engine.core.object import Object
from netpeer.marshalls import decode_variant, encode_variant

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "marshalls.json"
SHARED = ROOT.parent / "shared" / "vectors" / "marshalls.json"
VECTORS: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))


def _ids(vector: dict[str, Any]) -> str:
    return str(vector["desc"])[:60]


def _by(direction: str) -> list[dict[str, Any]]:
    return [v for v in VECTORS if v["direction"] == direction]


class _WithId(Object):
    """An Object whose instance id is forced to the vector's id."""

    def __init__(self, instance_id: int) -> None:
        super().__init__()
        self._forced = instance_id

    def get_instance_id(self) -> int:
        return self._forced


def _encodable(value: Any) -> Any:
    if isinstance(value, _FakeObjectRef):
        return _WithId(value.instance_id)
    return value


def test_fixture_has_every_direction() -> None:
    assert {v["direction"] for v in VECTORS} == {
        "encode_and_decode",
        "encode_only",
        "decode_only",
        "later_versions_only",
    }
    assert len(VECTORS) >= 60


def test_fixture_matches_shared_vectors() -> None:
    if not SHARED.exists():
        pytest.skip(f"shared vectors not found at {SHARED} (repository used on its own)")
    assert FIXTURE.read_bytes() == SHARED.read_bytes()


@pytest.mark.parametrize("vector", _by("encode_and_decode") + _by("encode_only"), ids=_ids)
def test_encode(vector: dict[str, Any]) -> None:
    value = _encodable(from_json(vector["value"]))
    err, data = encode_variant(value, vector.get("full_objects", False))
    assert err == Error.OK
    assert data.hex() == vector["bytes_hex"]


@pytest.mark.parametrize(
    "vector", _by("encode_and_decode") + _by("encode_only") + _by("decode_only"), ids=_ids
)
def test_decode(vector: dict[str, Any]) -> None:
    data = bytes.fromhex(vector["bytes_hex"])
    err, value, used = decode_variant(data, vector.get("allow_objects", False))
    if "decode_error" in vector:
        assert err == Error[vector["decode_error"]]
        assert value is None
        return
    assert err == Error.OK
    expected = from_json(vector.get("decoded_value") or vector["value"])
    assert same(value, expected), (value, expected)
    if "r_len" in vector:
        assert used == vector["r_len"]


@pytest.mark.parametrize("vector", _by("later_versions_only"), ids=_ids)
def test_later_versions_are_not_42(vector: dict[str, Any]) -> None:
    """Typed containers (4.3/4.4) are written untyped in 4.2, so our bytes must differ."""
    value = from_json(vector["value"])
    err, data = encode_variant(value)
    assert err == Error.OK
    assert data.hex() != vector["bytes_hex"]
    # 4.2 writes the same container with a plain header (no typed-container bits).
    assert data[:4] in (b"\x1c\x00\x00\x00", b"\x1b\x00\x00\x00")
