"""HMACContext: Godot's test vector (spec section 12) and error codes."""

from __future__ import annotations

import pytest

from engine.core.error import Error
from netpeer.crypto import Crypto
from netpeer.hashing_context import HashingContext
from netpeer.hmac_context import HMACContext

KEY = b"supersecretkey"
MSG = b"Return of the MAC!"
SHA256 = bytes.fromhex("fe442023f8a7d36a810e1e7cd8a8e2816457f350a008fbf638296afa12085e59")
SHA1 = bytes.fromhex("a0ac4cd68a2f4812c355983d94e8d025afe7dddf")


@pytest.mark.parametrize(
    ("hash_type", "expected"),
    [(HashingContext.HASH_SHA256, SHA256), (HashingContext.HASH_SHA1, SHA1)],
)
def test_godot_vector(hash_type: int, expected: bytes) -> None:
    ctx = HMACContext()
    assert ctx.start(hash_type, KEY) == Error.OK
    assert ctx.update(MSG) == Error.OK
    assert ctx.finish() == expected
    assert ctx.start(hash_type, KEY) == Error.OK  # finish() reset it
    assert ctx.update(b"Return of ") == Error.OK
    assert ctx.update(b"the MAC!") == Error.OK
    assert ctx.finish() == expected
    assert Crypto().hmac_digest(hash_type, KEY, MSG) == expected


def test_godot_error_codes() -> None:
    ctx = HMACContext()
    assert ctx.update(MSG) == Error.ERR_INVALID_DATA
    assert ctx.finish() == b""
    assert ctx.start(HashingContext.HASH_SHA256, b"") == Error.ERR_INVALID_PARAMETER
    assert ctx.start(HashingContext.HASH_MD5, KEY) == Error.ERR_INVALID_PARAMETER
    assert ctx.start(HashingContext.HASH_SHA256, KEY) == Error.OK
    assert ctx.start(HashingContext.HASH_SHA256, KEY) == Error.ERR_FILE_ALREADY_IN_USE
    assert ctx.update(b"") == Error.ERR_INVALID_PARAMETER
    assert Crypto().hmac_digest(HashingContext.HASH_SHA256, KEY, b"") == b""


def test_types() -> None:
    with pytest.raises(TypeError):
        HMACContext().start(HashingContext.HASH_SHA256, "key")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        HMACContext().start("sha256", KEY)  # type: ignore[arg-type]
