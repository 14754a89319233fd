"""Godot's ``HashingContext``: incremental MD5, SHA-1 and SHA-256 over ``hashlib``.

Error codes follow Godot (core/crypto/hashing_context.cpp): ``start`` twice gives
``ERR_ALREADY_IN_USE``, ``update`` before ``start`` gives ``ERR_UNCONFIGURED`` and an empty
chunk gives ``FAILED``; ``finish`` returns the digest and resets the context.
"""

from __future__ import annotations

import hashlib
from enum import IntEnum
from typing import Any

from engine.core.error import Error
from engine.core.messages import fail
from engine.core.ref_counted import RefCounted


class HashType(IntEnum):
    """``HashingContext.HashType``."""

    HASH_MD5 = 0
    HASH_SHA1 = 1
    HASH_SHA256 = 2


_DIGEST_SIZES = {HashType.HASH_MD5: 16, HashType.HASH_SHA1: 20, HashType.HASH_SHA256: 32}


def _new_hash(hash_type: int) -> Any | None:
    """A fresh ``hashlib`` object for a Godot hash type, or None for an unknown type."""
    if hash_type == HashType.HASH_MD5:
        return hashlib.md5(usedforsecurity=False)
    if hash_type == HashType.HASH_SHA1:
        return hashlib.sha1(usedforsecurity=False)
    if hash_type == HashType.HASH_SHA256:
        return hashlib.sha256()
    return None


def _check_hash_type(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"hash type must be int, got {type(value).__name__}")
    return value


def _check_bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, bytearray or memoryview, got {type(value).__name__}")


class HashingContext(RefCounted):
    """Compute a hash in chunks: ``start(type)``, ``update(chunk)`` ..., ``finish()``."""

    HashType = HashType
    HASH_MD5 = HashType.HASH_MD5
    HASH_SHA1 = HashType.HASH_SHA1
    HASH_SHA256 = HashType.HASH_SHA256

    def __init__(self) -> None:
        super().__init__()
        self._hash: Any | None = None

    def start(self, type: int) -> Error:
        """Begin a hash of ``type`` (``HASH_MD5``, ``HASH_SHA1`` or ``HASH_SHA256``)."""
        hash_type = _check_hash_type(type)
        if self._hash is not None:
            return fail(Error.ERR_ALREADY_IN_USE, 'Condition "ctx != nullptr" is true.')
        self._hash = _new_hash(hash_type)
        if self._hash is None:
            return fail(Error.ERR_UNAVAILABLE, f"Invalid hash type {hash_type}.")
        return Error.OK

    def update(self, chunk: bytes | bytearray | memoryview) -> Error:
        """Feed ``chunk`` into the running hash."""
        data = _check_bytes(chunk, "chunk")
        if self._hash is None:
            return fail(Error.ERR_UNCONFIGURED, "Start must be called before update.")
        if not data:
            return fail(Error.FAILED, 'Condition "len == 0" is true.')
        self._hash.update(data)
        return Error.OK

    def finish(self) -> bytes:
        """Return the digest and reset the context (empty, with an error, before start)."""
        if self._hash is None:
            return fail(b"", "Start must be called before finish.")
        digest: bytes = self._hash.digest()
        self._hash = None
        return digest


def _digest_size(hash_type: int) -> int:
    """Digest length in bytes of a Godot hash type (0 if unknown)."""
    try:
        return _DIGEST_SIZES[HashType(hash_type)]
    except ValueError:
        return 0
