"""Godot's ``HMACContext``: incremental HMAC-SHA1 / HMAC-SHA256 over the ``hmac`` module.

Error codes follow Godot's mbedTLS implementation (modules/mbedtls/crypto_mbedtls.cpp):
``start`` twice gives ``ERR_FILE_ALREADY_IN_USE`` (11, not 22), an empty key or an MD5 hash
type gives ``ERR_INVALID_PARAMETER``, ``update`` before ``start`` gives ``ERR_INVALID_DATA``
and empty data ``ERR_INVALID_PARAMETER``; ``finish`` returns the digest and resets.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from engine.core.error import Error
from engine.core.messages import fail
from engine.core.ref_counted import RefCounted
from netpeer.hashing_context import HashType, _check_bytes, _check_hash_type

_ALLOWED: dict[int, Callable[..., Any]] = {
    HashType.HASH_SHA1: hashlib.sha1,
    HashType.HASH_SHA256: hashlib.sha256,
}


class HMACContext(RefCounted):
    """Compute an HMAC in chunks: ``start(hash_type, key)``, ``update(data)`` ..., ``finish()``."""

    def __init__(self) -> None:
        super().__init__()
        self._hmac: hmac.HMAC | None = None

    def start(self, hash_type: int, key: bytes | bytearray | memoryview) -> Error:
        """Begin an HMAC with ``hash_type`` (``HASH_SHA1`` or ``HASH_SHA256``) and ``key``."""
        kind = _check_hash_type(hash_type)
        raw_key = _check_bytes(key, "key")
        if self._hmac is not None:
            return fail(Error.ERR_FILE_ALREADY_IN_USE, "HMACContext already started.")
        if not raw_key:
            return fail(Error.ERR_INVALID_PARAMETER, "Key must not be empty.")
        digest = _ALLOWED.get(kind)
        if digest is None:
            return fail(Error.ERR_INVALID_PARAMETER, "Unsupported hash type.")
        self._hmac = hmac.new(raw_key, digestmod=digest)
        return Error.OK

    def update(self, data: bytes | bytearray | memoryview) -> Error:
        """Feed ``data`` into the running HMAC."""
        raw = _check_bytes(data, "data")
        if self._hmac is None:
            return fail(Error.ERR_INVALID_DATA, "Start must be called before update.")
        if not raw:
            return fail(Error.ERR_INVALID_PARAMETER, "Src must not be empty.")
        self._hmac.update(raw)
        return Error.OK

    def finish(self) -> bytes:
        """Return the HMAC and reset the context (empty, with an error, before start)."""
        if self._hmac is None:
            return fail(b"", "Start must be called before finish.")
        out = self._hmac.digest()
        self._hmac = None
        return out
