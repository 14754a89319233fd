"""Godot's ``CryptoKey``: an RSA or EC key (private, or public only) in PEM form.

Backed by a ``cryptography`` key object. Error codes follow Godot's mbedTLS implementation:
a file that cannot be opened gives ``ERR_INVALID_PARAMETER``, text that does not parse gives
``FAILED``. Private keys are written like mbedTLS writes them (PKCS#1 ``RSA PRIVATE KEY`` /
SEC1 ``EC PRIVATE KEY``), public keys as ``PUBLIC KEY`` (SubjectPublicKeyInfo). Reading
accepts PEM (PKCS#1, SEC1 or unencrypted PKCS#8) and DER.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from engine.core.error import Error
from engine.core.messages import fail
from engine.core.resource import Resource

_PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def _check_path(path: object) -> str:
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError(f"path must be str, got {type(path).__name__}")
    return path


def _check_bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be bool, got {type(value).__name__}")
    return value


def _parse_private(raw: bytes) -> _PrivateKey | None:
    loaders = (serialization.load_pem_private_key, serialization.load_der_private_key)
    for loader in loaders:
        try:
            key = loader(raw, None)
        except (ValueError, TypeError):
            continue
        if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            return key
        return None
    return None


def _parse_public(raw: bytes) -> _PublicKey | None:
    loaders = (serialization.load_pem_public_key, serialization.load_der_public_key)
    for loader in loaders:
        try:
            key = loader(raw)
        except (ValueError, TypeError):
            continue
        if isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
            return key
        return None
    return None


class CryptoKey(Resource):
    """A cryptographic key, for ``Crypto`` and ``TLSOptions.server()``."""

    def __init__(self) -> None:
        super().__init__()
        self._key: _PrivateKey | _PublicKey | None = None
        self._public_only = False

    # -- Godot API ---------------------------------------------------------------------------

    def load(self, path: str, public_only: bool = False) -> Error:
        """Load a key from ``path``; ``public_only`` expects a public key (``.pub``)."""
        file_path = _check_path(path)
        public = _check_bool(public_only, "public_only")
        try:
            with open(file_path, "rb") as f:
                raw = f.read()
        except OSError:
            return fail(Error.ERR_INVALID_PARAMETER, f"Cannot open CryptoKey file '{file_path}'.")
        return self._load_bytes(raw, public)

    def save(self, path: str, public_only: bool = False) -> Error:
        """Write the key to ``path`` as PEM (only the public part if ``public_only``)."""
        file_path = _check_path(path)
        public = _check_bool(public_only, "public_only")
        pem = self._to_pem(public)
        if pem is None:
            return Error.FAILED
        try:
            with open(file_path, "wb") as f:
                f.write(pem)
        except OSError:
            return fail(Error.ERR_INVALID_PARAMETER, f"Cannot save CryptoKey file '{file_path}'.")
        return Error.OK

    def load_from_string(self, string_key: str, public_only: bool = False) -> Error:
        """Load a key from PEM text."""
        if not isinstance(string_key, str):
            raise TypeError(f"string_key must be str, got {type(string_key).__name__}")
        public = _check_bool(public_only, "public_only")
        return self._load_bytes(string_key.encode("utf-8"), public)

    def save_to_string(self, public_only: bool = False) -> str:
        """The key as PEM text ("" with an error if there is no key to write)."""
        pem = self._to_pem(_check_bool(public_only, "public_only"))
        return "" if pem is None else pem.decode("ascii")

    def is_public_only(self) -> bool:
        """True if only the public part of the key is held."""
        return self._public_only

    # -- Python-side helpers -----------------------------------------------------------------

    @classmethod
    def _from_key(cls, key: _PrivateKey | _PublicKey) -> CryptoKey:
        """Wrap a ``cryptography`` key object."""
        out = cls()
        out._key = key
        out._public_only = not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey))
        return out

    def _get_key(self) -> _PrivateKey | _PublicKey | None:
        """The ``cryptography`` key object, or None if nothing is loaded."""
        return self._key

    def _get_private_key(self) -> _PrivateKey | None:
        key = self._key
        if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            return key
        return None

    def _get_public_key(self) -> _PublicKey | None:
        key = self._key
        if key is None:
            return None
        if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            return key.public_key()
        return key

    def _load_bytes(self, raw: bytes, public_only: bool) -> Error:
        key: _PrivateKey | _PublicKey | None
        key = _parse_public(raw) if public_only else _parse_private(raw)
        if key is None:
            return fail(Error.FAILED, "Error parsing key.")
        self._key = key
        self._public_only = public_only
        return Error.OK

    def _to_pem(self, public_only: bool) -> bytes | None:
        if public_only or self._public_only:
            if not public_only:
                return fail(None, "Error writing key: only the public part is held.")
            public = self._get_public_key()
            if public is None:
                return fail(None, "Error writing key: no key.")
            return public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        private = self._get_private_key()
        if private is None:
            return fail(None, "Error writing key: no key.")
        return private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
