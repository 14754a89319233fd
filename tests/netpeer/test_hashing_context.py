"""HashingContext: digests and Godot's error codes."""

from __future__ import annotations

import hashlib

import pytest

from engine.core.error import Error
from netpeer.hashing_context import HashingContext


@pytest.mark.parametrize(
    ("hash_type", "reference"),
    [
        (HashingContext.HASH_MD5, hashlib.md5),
        (HashingContext.HASH_SHA1, hashlib.sha1),
        (HashingContext.HASH_SHA256, hashlib.sha256),
    ],
)
def test_chunks_give_the_reference_digest(hash_type: int, reference) -> None:
    ctx = HashingContext()
    assert ctx.start(hash_type) == Error.OK
    assert ctx.update(b"Return of ") == Error.OK
    assert ctx.update(bytearray(b"the MAC!")) == Error.OK
    assert ctx.finish() == reference(b"Return of the MAC!").digest()
    assert ctx.start(hash_type) == Error.OK  # finish() reset it


def test_godot_error_codes() -> None:
    ctx = HashingContext()
    assert ctx.update(b"x") == Error.ERR_UNCONFIGURED
    assert ctx.finish() == b""
    assert ctx.start(HashingContext.HASH_SHA256) == Error.OK
    assert ctx.start(HashingContext.HASH_SHA256) == Error.ERR_ALREADY_IN_USE
    assert ctx.update(b"") == Error.FAILED
    assert HashingContext().start(7) == Error.ERR_UNAVAILABLE
    assert HashingContext.HashType.HASH_SHA1 == 1


def test_types() -> None:
    ctx = HashingContext()
    with pytest.raises(TypeError):
        ctx.start("sha256")  # type: ignore[arg-type]
    ctx.start(HashingContext.HASH_MD5)
    with pytest.raises(TypeError):
        ctx.update("text")  # type: ignore[arg-type]
