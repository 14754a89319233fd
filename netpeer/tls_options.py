"""Godot's ``TLSOptions``: how a StreamPeerTLS (or WebSocketPeer) verifies and presents
certificates. Built only through the static constructors, like Godot 4.2:

* ``TLSOptions.client(trusted_chain=None, common_name_override="")`` - full verification:
  the chain must lead to ``trusted_chain`` (the system CA store if None) and the
  certificate must be valid for the host name (``common_name_override`` if set, else the
  name given to ``connect_to_stream``), which is also sent as SNI.
* ``TLSOptions.client_unsafe(trusted_chain=None)`` - with a chain: the chain is verified but
  not the host name (no SNI); without one: nothing is verified.
* ``TLSOptions.server(key, certificate)`` - present ``certificate`` (a chain, leaf first)
  with ``key``; client certificates are never requested.

The getters are Godot 4.3's (4.2 has them only in C++). A server's pyOpenSSL context is built
once per options object and shared by all connections that use it.
"""

from __future__ import annotations

from enum import IntEnum

from OpenSSL import SSL

from engine.core.ref_counted import RefCounted
from netpeer._tls.context import VerifyMode, build_client_context, build_server_context
from netpeer.crypto_key import CryptoKey
from netpeer.x509_certificate import X509Certificate


class _Mode(IntEnum):
    CLIENT = 0
    CLIENT_UNSAFE = 1
    SERVER = 2


def _check_chain(value: object) -> X509Certificate | None:
    if value is not None and not isinstance(value, X509Certificate):
        raise TypeError(
            f"trusted_chain must be X509Certificate or None, got {type(value).__name__}"
        )
    return value


class TLSOptions(RefCounted):
    """TLS configuration for clients and servers."""

    TLS_VERIFY_NONE = VerifyMode.NONE
    TLS_VERIFY_CERT = VerifyMode.CERT
    TLS_VERIFY_FULL = VerifyMode.FULL

    def __init__(self) -> None:
        super().__init__()
        self._mode = _Mode.CLIENT
        self._trusted_ca_chain: X509Certificate | None = None
        self._common_name = ""
        self._own_certificate: X509Certificate | None = None
        self._private_key: CryptoKey | None = None
        self._context: SSL.Context | None = None
        self._context_key: tuple[object, ...] = ()

    # -- constructors ------------------------------------------------------------------------

    @staticmethod
    def client(
        trusted_chain: X509Certificate | None = None, common_name_override: str = ""
    ) -> TLSOptions:
        """Options for a client that verifies the chain and the host name."""
        chain = _check_chain(trusted_chain)
        if not isinstance(common_name_override, str):
            raise TypeError(
                f"common_name_override must be str, got {type(common_name_override).__name__}"
            )
        opts = TLSOptions()
        opts._mode = _Mode.CLIENT
        opts._trusted_ca_chain = chain
        opts._common_name = common_name_override
        return opts

    @staticmethod
    def client_unsafe(trusted_chain: X509Certificate | None = None) -> TLSOptions:
        """Options for a client that skips the host name check (and everything without a
        chain). For development only."""
        opts = TLSOptions()
        opts._mode = _Mode.CLIENT_UNSAFE
        opts._trusted_ca_chain = _check_chain(trusted_chain)
        return opts

    @staticmethod
    def server(key: CryptoKey, certificate: X509Certificate) -> TLSOptions:
        """Options for a server presenting ``certificate`` with ``key``."""
        if key is not None and not isinstance(key, CryptoKey):
            raise TypeError(f"key must be CryptoKey, got {type(key).__name__}")
        if certificate is not None and not isinstance(certificate, X509Certificate):
            raise TypeError(
                f"certificate must be X509Certificate, got {type(certificate).__name__}"
            )
        opts = TLSOptions()
        opts._mode = _Mode.SERVER
        opts._private_key = key
        opts._own_certificate = certificate
        return opts

    # -- getters (Godot 4.3) -----------------------------------------------------------------

    def is_server(self) -> bool:
        return self._mode == _Mode.SERVER

    def is_unsafe_client(self) -> bool:
        return self._mode == _Mode.CLIENT_UNSAFE

    def get_common_name_override(self) -> str:
        return self._common_name

    def get_trusted_ca_chain(self) -> X509Certificate | None:
        return self._trusted_ca_chain

    def get_private_key(self) -> CryptoKey | None:
        return self._private_key

    def get_own_certificate(self) -> X509Certificate | None:
        return self._own_certificate

    def get_verify_mode(self) -> VerifyMode:
        """``TLS_VERIFY_NONE``/``CERT``/``FULL`` (C++-only in Godot)."""
        if self._mode == _Mode.SERVER:
            return VerifyMode.NONE
        if self._mode == _Mode.CLIENT_UNSAFE:
            return VerifyMode.NONE if self._trusted_ca_chain is None else VerifyMode.CERT
        return VerifyMode.FULL

    # -- Python-side -------------------------------------------------------------------------

    def _get_context(self) -> SSL.Context:
        """The pyOpenSSL context for these options, cached while the key and certificates
        stay the same (the cache key holds them, so ids are never reused).

        Raises ``TLSConfigError`` (a ValueError) when OpenSSL refuses them, ValueError when a
        server key or certificate is missing.
        """
        if self._mode == _Mode.SERVER:
            key = self._private_key._get_private_key() if self._private_key else None
            certs = self._own_certificate._get_certificates() if self._own_certificate else []
            if key is None or not certs:
                raise ValueError("server options need a private key and a certificate")
            cache_key: tuple[object, ...] = ("server", key, *certs)
            if self._context is None or cache_key != self._context_key:
                self._context = build_server_context(key, certs)
                self._context_key = cache_key
            return self._context
        mode = self.get_verify_mode()
        trusted = (
            self._trusted_ca_chain._get_certificates()
            if self._trusted_ca_chain is not None
            else None
        )
        cache_key = ("client", mode, *(trusted or ()))
        if self._context is None or cache_key != self._context_key:
            self._context = build_client_context(mode, trusted)
            self._context_key = cache_key
        return self._context
