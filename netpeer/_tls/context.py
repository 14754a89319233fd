"""Build pyOpenSSL contexts for the TLS engine from plain keys and certificates.

The shell turns ``TLSOptions`` into these calls; the core never sees Godot objects.
Contexts are immutable once built and can be shared by many connections (a server makes one
per ``TLSOptions``). TLS 1.2 and 1.3 are both enabled (Godot keeps 1.3 opt-in), older
versions and renegotiation are off, compression is off.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from OpenSSL import SSL, crypto


class VerifyMode(IntEnum):
    """What a client checks (Godot's ``TLSOptions`` verify modes)."""

    NONE = 0  # client_unsafe() without a chain: nothing verified, no SNI
    CERT = 1  # client_unsafe(chain): chain verified, no host name, no SNI
    FULL = 2  # client(): chain, host name and SNI


class TLSConfigError(ValueError):
    """A key, certificate or chain that OpenSSL refuses."""


_OPTIONS = SSL.OP_NO_COMPRESSION | SSL.OP_NO_RENEGOTIATION


def _base_context() -> SSL.Context:
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    ctx.set_options(_OPTIONS)
    return ctx


def build_client_context(
    verify_mode: VerifyMode, trusted: Sequence[x509.Certificate] | None
) -> SSL.Context:
    """A client context; ``trusted`` None means the system's CA store.

    Every certificate in ``trusted`` is a trust anchor, root or not (as in mbedTLS).
    """
    ctx = _base_context()
    if verify_mode == VerifyMode.NONE:
        ctx.set_verify(SSL.VERIFY_NONE)
        return ctx
    ctx.set_verify(SSL.VERIFY_PEER)
    try:
        if trusted is None:
            ctx.set_default_verify_paths()
        else:
            store = ctx.get_cert_store()
            if store is None:
                raise TLSConfigError("no certificate store")
            for cert in trusted:
                store.add_cert(crypto.X509.from_cryptography(cert))
            # mbedTLS takes any trusted certificate as an anchor, e.g. an intermediate CA;
            # OpenSSL wants a self-signed root unless told otherwise.
            store.set_flags(crypto.X509StoreFlags.PARTIAL_CHAIN)
    except (SSL.Error, crypto.Error) as e:
        raise TLSConfigError(f"cannot load trusted certificates: {e}") from e
    return ctx


def build_server_context(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, chain: Sequence[x509.Certificate]
) -> SSL.Context:
    """A server context presenting ``chain`` (leaf first) for ``key``; no client certificates."""
    if not chain:
        raise TLSConfigError("no certificate")
    ctx = _base_context()
    ctx.set_verify(SSL.VERIFY_NONE)
    try:
        ctx.use_certificate(chain[0])
        ctx.use_privatekey(key)
        ctx.check_privatekey()
        for extra in chain[1:]:
            ctx.add_extra_chain_cert(extra)
    except (SSL.Error, crypto.Error) as e:
        raise TLSConfigError(f"invalid key/certificate combination: {e}") from e
    return ctx
