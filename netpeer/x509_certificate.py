"""Godot's ``X509Certificate``: one certificate or a whole PEM chain.

Backed by a list of ``cryptography`` certificates. Loading a PEM bundle keeps every
certificate that parses (the rest are skipped, like mbedTLS); nothing parsing gives
``FAILED``, a file that cannot be opened ``ERR_INVALID_PARAMETER``. Saving writes the whole
chain (Godot 4.2 writes the first certificate once per chain element, a bug we do not copy).
A load replaces the chain instead of appending to it.
"""

from __future__ import annotations

import os
import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from engine.core.error import Error
from engine.core.messages import fail, print_verbose
from engine.core.resource import Resource

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.DOTALL)


def _parse_chain(raw: bytes) -> list[x509.Certificate]:
    """Every certificate in ``raw`` (PEM blocks, or a single DER certificate)."""
    blocks = _PEM_BLOCK.findall(raw)
    if not blocks:
        try:
            return [x509.load_der_x509_certificate(raw)]
        except ValueError:
            return []
    certs: list[x509.Certificate] = []
    for block in blocks:
        try:
            certs.append(x509.load_pem_x509_certificate(block))
        except ValueError:
            continue
    if certs and len(certs) != len(blocks):
        print_verbose(
            f"Some X509 certificates could not be parsed ({len(blocks) - len(certs)} skipped)."
        )
    return certs


class X509Certificate(Resource):
    """An X.509 certificate chain, for ``TLSOptions``."""

    def __init__(self) -> None:
        super().__init__()
        self._certs: list[x509.Certificate] = []

    def load(self, path: str) -> Error:
        """Load every certificate from a PEM (or DER) file."""
        if isinstance(path, os.PathLike):
            path = os.fspath(path)
        if not isinstance(path, str):
            raise TypeError(f"path must be str, got {type(path).__name__}")
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError:
            return fail(Error.ERR_INVALID_PARAMETER, f"Cannot open X509Certificate file '{path}'.")
        return self._load_bytes(raw)

    def save(self, path: str) -> Error:
        """Write the whole chain to ``path`` as PEM."""
        if isinstance(path, os.PathLike):
            path = os.fspath(path)
        if not isinstance(path, str):
            raise TypeError(f"path must be str, got {type(path).__name__}")
        if not self._certs:
            return fail(Error.FAILED, "Error writing certificate: no certificate loaded.")
        try:
            with open(path, "wb") as f:
                f.write(self._to_pem())
        except OSError:
            return fail(Error.ERR_INVALID_PARAMETER, f"Cannot save X509Certificate file '{path}'.")
        return Error.OK

    def load_from_string(self, string: str) -> Error:
        """Load every certificate from PEM text."""
        if not isinstance(string, str):
            raise TypeError(f"string must be str, got {type(string).__name__}")
        return self._load_bytes(string.encode("utf-8"))

    def save_to_string(self) -> str:
        """The whole chain as PEM text ("" if empty)."""
        return self._to_pem().decode("ascii")

    # -- Python-side helpers -----------------------------------------------------------------

    @classmethod
    def _from_certificates(cls, certs: list[x509.Certificate]) -> X509Certificate:
        out = cls()
        out._certs = list(certs)
        return out

    def _get_certificates(self) -> list[x509.Certificate]:
        """The chain, leaf first (a copy)."""
        return list(self._certs)

    def _load_bytes(self, raw: bytes) -> Error:
        certs = _parse_chain(raw)
        if not certs:
            return fail(Error.FAILED, "Error parsing X509 certificates.")
        self._certs = certs
        return Error.OK

    def _to_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self._certs)
