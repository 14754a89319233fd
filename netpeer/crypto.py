"""Godot's ``Crypto``: random bytes, RSA keys, self-signed certificates, sign/verify,
RSA encryption and HMAC, on the ``cryptography`` package.

Behaviour follows Godot's mbedTLS backend (modules/mbedtls/crypto_mbedtls.cpp, core/crypto/
crypto.cpp): ``generate_rsa`` takes the size in **bits** (exponent 65537);
``generate_self_signed_certificate`` makes an X.509 v3 certificate with subject = issuer =
``issuer_name``, SHA-256, a random 20-byte serial and basic constraints CA=true, pathlen 0;
``sign``/``verify`` take an already computed hash (PKCS#1 v1.5 for RSA, ECDSA for EC keys);
``encrypt``/``decrypt`` are RSA PKCS#1 v1.5. Failures print an error and return an empty
value, like Godot. One exception: a ciphertext of the right size that does not decrypt
gives junk bytes instead of an error (OpenSSL's implicit rejection, a defence against the
Marvin timing attack; mbedTLS reports an error).

Python-only: ``generate_self_signed_certificate(..., _alt_names=[...])`` adds SubjectAltNames
(host names and IP literals), which Godot's signature cannot express but clients other than
mbedTLS (Python's ``ssl``, browsers) need, plus the key usage and key identifiers that
strict X.509 checkers want; ``netpeer._dev_certificate`` builds its localhost pair with it.
"""

from __future__ import annotations

import datetime
import hmac
import ipaddress
import os
import secrets
from collections.abc import Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import NameOID

from engine.core.messages import fail
from engine.core.ref_counted import RefCounted
from netpeer.crypto_key import CryptoKey
from netpeer.hashing_context import HashType, _check_bytes, _check_hash_type, _digest_size
from netpeer.hmac_context import HMACContext
from netpeer.x509_certificate import X509Certificate

# The attribute names mbedtls_x509_string_to_names() understands (x509_create.c).
_NAME_OIDS: dict[str, x509.ObjectIdentifier] = {
    "cn": NameOID.COMMON_NAME,
    "commonname": NameOID.COMMON_NAME,
    "c": NameOID.COUNTRY_NAME,
    "countryname": NameOID.COUNTRY_NAME,
    "o": NameOID.ORGANIZATION_NAME,
    "organizationname": NameOID.ORGANIZATION_NAME,
    "l": NameOID.LOCALITY_NAME,
    "locality": NameOID.LOCALITY_NAME,
    "r": NameOID.EMAIL_ADDRESS,
    "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "organizationalunitname": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "st": NameOID.STATE_OR_PROVINCE_NAME,
    "stateorprovincename": NameOID.STATE_OR_PROVINCE_NAME,
    "emailaddress": NameOID.EMAIL_ADDRESS,
    "serialnumber": NameOID.SERIAL_NUMBER,
    "postaladdress": NameOID.POSTAL_ADDRESS,
    "postalcode": NameOID.POSTAL_CODE,
    "dnqualifier": NameOID.DN_QUALIFIER,
    "title": NameOID.TITLE,
    "surname": NameOID.SURNAME,
    "sn": NameOID.SURNAME,
    "givenname": NameOID.GIVEN_NAME,
    "gn": NameOID.GIVEN_NAME,
    "initials": NameOID.INITIALS,
    "pseudonym": NameOID.PSEUDONYM,
    "generationqualifier": NameOID.GENERATION_QUALIFIER,
    "domaincomponent": NameOID.DOMAIN_COMPONENT,
    "dc": NameOID.DOMAIN_COMPONENT,
}

_HASHES: dict[int, type[hashes.HashAlgorithm]] = {
    HashType.HASH_MD5: hashes.MD5,
    HashType.HASH_SHA1: hashes.SHA1,
    HashType.HASH_SHA256: hashes.SHA256,
}


def _parse_name(text: str) -> x509.Name | None:
    """Parse ``"CN=myserver,O=myorganisation,C=IT"`` like mbedTLS (``\\`` escapes a char)."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
        elif ch == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    attributes: list[x509.NameAttribute[str]] = []
    for part in parts:
        key, sep, value = part.partition("=")
        oid = _NAME_OIDS.get(key.strip().lower())
        if not sep or oid is None or not value:
            return None
        try:
            attributes.append(x509.NameAttribute(oid, value))
        except ValueError:  # e.g. a country name that is not two letters
            return None
    return x509.Name(attributes)


def _parse_time(text: str) -> datetime.datetime | None:
    """Parse mbedTLS's ``YYYYMMDDHHMMSS`` (UTC)."""
    if len(text) != 14 or not text.isdigit():
        return None
    try:
        return datetime.datetime.strptime(text, "%Y%m%d%H%M%S").replace(
            tzinfo=datetime.timezone.utc
        )
    except ValueError:
        return None


def _alt_name_extensions(
    builder: x509.CertificateBuilder, names: Sequence[str], public: object
) -> x509.CertificateBuilder | None:
    """Add SubjectAltNames for ``names`` (IP literals become iPAddress entries) and what a
    strict verifier expects of a certificate that is its own CA: key usage (with
    keyCertSign, as pathlen is set) and key identifiers. None if a name is unusable."""
    if isinstance(names, str):
        raise TypeError("_alt_names must be a sequence of str, not a str")
    entries: list[x509.GeneralName] = []
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"_alt_names must hold str, got {type(name).__name__}")
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            if not name or not name.isascii() or any(c in name for c in " /\\"):
                return None
            entries.append(x509.DNSName(name))
    assert isinstance(public, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey))
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=isinstance(public, rsa.RSAPublicKey),
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        builder.add_extension(x509.SubjectAlternativeName(entries), critical=False)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
    )


def _check_key(key: object) -> CryptoKey:
    if not isinstance(key, CryptoKey):
        raise TypeError(f"key must be CryptoKey, got {type(key).__name__}")
    return key


class Crypto(RefCounted):
    """Cryptographic helpers (Godot's ``Crypto`` class)."""

    def generate_random_bytes(self, size: int) -> bytes:
        """``size`` cryptographically secure random bytes (empty, with an error, if < 0)."""
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"size must be int, got {type(size).__name__}")
        if size < 0:
            return fail(b"", 'Condition "p_bytes < 0" is true.')
        return os.urandom(size)

    def generate_rsa(self, size: int) -> CryptoKey | None:
        """A new RSA private key of ``size`` bits (public exponent 65537)."""
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"size must be int, got {type(size).__name__}")
        try:
            key = rsa.generate_private_key(public_exponent=65537, key_size=size)
        except ValueError as e:
            return fail(None, f"Failed to generate an RSA key of {size} bits: {e}")
        return CryptoKey._from_key(key)

    def generate_self_signed_certificate(
        self,
        key: CryptoKey,
        issuer_name: str = "CN=myserver,O=myorganisation,C=IT",
        not_before: str = "20140101000000",
        not_after: str = "20340101000000",
        *,
        _alt_names: Sequence[str] = (),
    ) -> X509Certificate | None:
        """A self-signed certificate for ``key`` with subject = issuer = ``issuer_name``.

        ``_alt_names`` (Python-only) adds SubjectAltNames, see the module docstring.
        """
        crypto_key = _check_key(key)
        for value, what in ((issuer_name, "issuer_name"), (not_before, "not_before")):
            if not isinstance(value, str):
                raise TypeError(f"{what} must be str, got {type(value).__name__}")
        if not isinstance(not_after, str):
            raise TypeError(f"not_after must be str, got {type(not_after).__name__}")
        private = crypto_key._get_private_key()
        if private is None:
            return fail(None, "Invalid private key argument.")
        name = _parse_name(issuer_name)
        if name is None:
            return fail(None, f"Invalid issuer name '{issuer_name}'.")
        start, end = _parse_time(not_before), _parse_time(not_after)
        if start is None or end is None:
            return fail(None, "Invalid validity dates (expected YYYYMMDDHHMMSS).")
        serial = int.from_bytes(secrets.token_bytes(20), "big") >> 1 or 1
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(private.public_key())
            .serial_number(serial)
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        )
        if _alt_names:
            with_names = _alt_name_extensions(builder, _alt_names, private.public_key())
            if with_names is None:
                return fail(None, f"Invalid subject alternative names {list(_alt_names)!r}.")
            builder = with_names
        try:
            cert = builder.sign(private, hashes.SHA256())
        except ValueError as e:
            return fail(None, f"Failed to generate certificate: {e}")
        return X509Certificate._from_certificates([cert])

    def sign(self, hash_type: int, hash: bytes, key: CryptoKey) -> bytes:
        """Sign an already computed ``hash`` of ``hash_type`` with a private ``key``."""
        kind = _check_hash_type(hash_type)
        digest = _check_bytes(hash, "hash")
        crypto_key = _check_key(key)
        algorithm = _HASHES.get(kind)
        if algorithm is None:
            return fail(b"", "Invalid hash type.")
        if len(digest) != _digest_size(kind):
            return fail(b"", f"Invalid hash provided. Size must be {_digest_size(kind)}")
        if crypto_key.is_public_only():
            return fail(b"", "Invalid key provided. Cannot sign with public_only keys.")
        private = crypto_key._get_private_key()
        if private is None:
            return fail(b"", "Invalid key provided.")
        try:
            if isinstance(private, rsa.RSAPrivateKey):
                return private.sign(digest, padding.PKCS1v15(), Prehashed(algorithm()))
            return private.sign(digest, ec.ECDSA(Prehashed(algorithm())))
        except (ValueError, TypeError) as e:
            return fail(b"", f"Error while signing: {e}")

    def verify(self, hash_type: int, hash: bytes, signature: bytes, key: CryptoKey) -> bool:
        """True if ``signature`` is a valid signature of ``hash`` by ``key``."""
        kind = _check_hash_type(hash_type)
        digest = _check_bytes(hash, "hash")
        sig = _check_bytes(signature, "signature")
        crypto_key = _check_key(key)
        algorithm = _HASHES.get(kind)
        if algorithm is None:
            return fail(False, "Invalid hash type.")
        if len(digest) != _digest_size(kind):
            return fail(False, f"Invalid hash provided. Size must be {_digest_size(kind)}")
        public = crypto_key._get_public_key()
        if public is None:
            return fail(False, "Invalid key provided.")
        try:
            if isinstance(public, rsa.RSAPublicKey):
                public.verify(sig, digest, padding.PKCS1v15(), Prehashed(algorithm()))
            else:
                public.verify(sig, digest, ec.ECDSA(Prehashed(algorithm())))
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True

    def encrypt(self, key: CryptoKey, plaintext: bytes) -> bytes:
        """RSA-encrypt ``plaintext`` (PKCS#1 v1.5) with ``key`` (public or private)."""
        crypto_key = _check_key(key)
        data = _check_bytes(plaintext, "plaintext")
        public = crypto_key._get_public_key()
        if not isinstance(public, rsa.RSAPublicKey):
            return fail(b"", "Invalid key provided (an RSA key is needed to encrypt).")
        try:
            return public.encrypt(data, padding.PKCS1v15())
        except ValueError as e:
            return fail(b"", f"Error while encrypting: {e}")

    def decrypt(self, key: CryptoKey, ciphertext: bytes) -> bytes:
        """RSA-decrypt ``ciphertext`` (PKCS#1 v1.5) with a private ``key``."""
        crypto_key = _check_key(key)
        data = _check_bytes(ciphertext, "ciphertext")
        if crypto_key.is_public_only():
            return fail(b"", "Invalid key provided. Cannot decrypt using a public_only key.")
        private = crypto_key._get_private_key()
        if not isinstance(private, rsa.RSAPrivateKey):
            return fail(b"", "Invalid key provided (an RSA private key is needed to decrypt).")
        try:
            return private.decrypt(data, padding.PKCS1v15())
        except ValueError as e:
            return fail(b"", f"Error while decrypting: {e}")

    def hmac_digest(self, hash_type: int, key: bytes, msg: bytes) -> bytes:
        """HMAC of ``msg`` with ``key`` (``HASH_SHA1`` or ``HASH_SHA256``); empty on error.

        Like Godot, an empty ``msg`` is an error (``HMACContext.update`` rejects it).
        """
        ctx = HMACContext()
        if ctx.start(hash_type, key) != 0:
            return b""
        if ctx.update(msg) != 0:
            return b""
        return ctx.finish()

    def constant_time_compare(self, trusted: bytes, received: bytes) -> bool:
        """Compare two byte arrays without leaking timing; False when lengths differ."""
        a = _check_bytes(trusted, "trusted")
        b = _check_bytes(received, "received")
        return hmac.compare_digest(a, b)
