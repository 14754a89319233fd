"""A ready self-signed key and certificate for ``localhost``, for demos and tests.

``localhost_key_and_certificate()`` gives a ``CryptoKey`` and an ``X509Certificate`` valid for
``localhost``, ``127.0.0.1`` and ``::1`` (SubjectAltNames, so host name checks pass with our
client, Python's ``ssl`` and browsers alike; the CN is ``localhost`` too for Godot-style
checks). ``localhost_pem_paths()`` gives the PEM files, for servers that want paths (e.g.
``ssl.SSLContext.load_cert_chain``). Use the certificate itself as the trusted chain::

    key, cert = localhost_key_and_certificate()
    server_options = TLSOptions.server(key, cert)
    client_options = TLSOptions.client(cert)       # connect_to_stream(tcp, "localhost", ...)

The pair is made on first use with our own ``Crypto`` (``generate_rsa(2048)`` and
``generate_self_signed_certificate`` with Godot's certificate profile, plus the SANs through
its Python-only ``_alt_names``), valid for one year, and cached per user in
``tempfile.gettempdir()/netpeer-dev-cert-v2-<uid>/``; it is never committed anywhere. Files
are named after the certificate's serial and a ``current`` file (replaced atomically) names
the pair in use, so concurrent test processes never see a key from one pair and a
certificate from another. That name is predictable, so the directory is used only if it is
a real directory (not a symlink) owned by the current user with no group/other permissions;
otherwise another local user could have planted a pair, and a fresh private directory
(``tempfile.mkdtemp()``) is used for this process instead. This is a development
convenience, not a way to run a public server.
"""

from __future__ import annotations

import datetime
import os
import stat
import tempfile
import threading

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from netpeer.crypto import Crypto
from netpeer.crypto_key import CryptoKey
from netpeer.x509_certificate import X509Certificate

HOST_NAMES = ("localhost", "127.0.0.1", "::1")
_VALID_DAYS = 365
_RENEW_BEFORE = datetime.timedelta(days=7)
_CACHE_VERSION = "v2"  # bump when the certificate profile changes: old pairs are not reused
_lock = threading.Lock()
_cached: tuple[str, str] | None = None


def _user_id() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    try:
        import getpass

        return getpass.getuser()
    except Exception:
        return "user"


def cache_directory() -> str:
    """Where the development pair is kept."""
    return os.path.join(tempfile.gettempdir(), f"netpeer-dev-cert-{_CACHE_VERSION}-{_user_id()}")


def _is_private(directory: str) -> bool:
    """Whether ``directory`` is a real directory that only the current user can use."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False  # a symlink, or not a directory at all
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no POSIX owner or modes; the temp dir is per user there
        return True
    return info.st_uid == getuid() and not info.st_mode & 0o077


def _private_directory() -> str:
    """The cache directory, or a fresh private one if the cache is not safe to use."""
    directory = cache_directory()
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        pass  # e.g. a file or a dangling symlink in the way: checked below
    if _is_private(directory):
        return directory
    return tempfile.mkdtemp(prefix="netpeer-dev-cert-")


def _generate() -> tuple[bytes, bytes, str]:
    crypto = Crypto()
    key = crypto.generate_rsa(2048)
    if key is None:
        raise RuntimeError("Crypto.generate_rsa(2048) failed")
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = "%Y%m%d%H%M%S"
    cert = crypto.generate_self_signed_certificate(
        key,
        "CN=localhost",
        (now - datetime.timedelta(days=1)).strftime(stamp),
        (now + datetime.timedelta(days=_VALID_DAYS)).strftime(stamp),
        _alt_names=HOST_NAMES,
    )
    if cert is None:
        raise RuntimeError("Crypto.generate_self_signed_certificate failed")
    serial = f"{cert._get_certificates()[0].serial_number:x}"
    return key.save_to_string().encode("ascii"), cert.save_to_string().encode("ascii"), serial


def _write_atomic(path: str, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _usable(key_path: str, cert_path: str) -> bool:
    try:
        with open(cert_path, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        with open(key_path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), None)
    except (OSError, ValueError):
        return False
    if key.public_key() != cert.public_key():
        return False
    now = datetime.datetime.now(datetime.timezone.utc)
    return cert.not_valid_after_utc - now > _RENEW_BEFORE


def _paths(directory: str, serial: str) -> tuple[str, str]:
    return os.path.join(directory, f"{serial}.key"), os.path.join(directory, f"{serial}.crt")


def localhost_pem_paths() -> tuple[str, str]:
    """``(key_path, certificate_path)`` of the cached development pair (made if needed)."""
    global _cached
    with _lock:
        if _cached is not None and _usable(*_cached):
            return _cached
        directory = _private_directory()
        current = os.path.join(directory, "current")
        try:
            with open(current, encoding="ascii") as f:
                serial = f.read().strip()
        except OSError:
            serial = ""
        if serial and _usable(*_paths(directory, serial)):
            _cached = _paths(directory, serial)
            return _cached
        key_pem, cert_pem, serial = _generate()
        key_path, cert_path = _paths(directory, serial)
        _write_atomic(key_path, key_pem, 0o600)
        _write_atomic(cert_path, cert_pem, 0o644)
        _write_atomic(current, serial.encode("ascii"), 0o644)
        _cached = (key_path, cert_path)
        return _cached


def localhost_key_and_certificate() -> tuple[CryptoKey, X509Certificate]:
    """A fresh ``CryptoKey`` and ``X509Certificate`` loaded from the development pair."""
    key_path, cert_path = localhost_pem_paths()
    key = CryptoKey()
    cert = X509Certificate()
    if key.load(key_path) != 0 or cert.load(cert_path) != 0:
        raise RuntimeError(f"cannot load the development certificate {cert_path}")
    return key, cert
