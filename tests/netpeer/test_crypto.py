"""Crypto, CryptoKey and X509Certificate: round trips, Godot defaults and error codes."""

from __future__ import annotations

import hashlib
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from engine.core.error import Error
from engine.core.resource import Resource
from netpeer._dev_certificate import HOST_NAMES, cache_directory, localhost_key_and_certificate
from netpeer.crypto import Crypto
from netpeer.crypto_key import CryptoKey
from netpeer.hashing_context import HashingContext
from netpeer.x509_certificate import X509Certificate

crypto = Crypto()


@pytest.fixture(scope="module")
def rsa_key() -> CryptoKey:
    key = crypto.generate_rsa(2048)
    assert key is not None
    return key


@pytest.fixture(scope="module")
def ec_key() -> CryptoKey:
    """An EC P-256 key (Godot's Crypto only generates RSA; CryptoKey loads EC keys too)."""
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = CryptoKey()
    assert key.load_from_string(pem.decode()) == Error.OK
    assert key.save_to_string().startswith("-----BEGIN EC PRIVATE KEY-----")  # SEC1, like mbedTLS
    return key


def test_random_bytes() -> None:
    a, b = crypto.generate_random_bytes(32), crypto.generate_random_bytes(32)
    assert len(a) == 32 and a != b
    assert crypto.generate_random_bytes(0) == b""
    assert crypto.generate_random_bytes(-1) == b""
    with pytest.raises(TypeError):
        crypto.generate_random_bytes("4")  # type: ignore[arg-type]


def test_generate_rsa(rsa_key: CryptoKey) -> None:
    key = rsa_key._get_private_key()
    assert key is not None
    assert key.key_size == 2048  # bits, not bytes
    assert key.public_key().public_numbers().e == 65537
    assert not rsa_key.is_public_only()
    assert crypto.generate_rsa(100) is None
    assert isinstance(rsa_key, Resource)


def test_self_signed_certificate_godot_defaults(rsa_key: CryptoKey) -> None:
    cert = crypto.generate_self_signed_certificate(rsa_key)
    assert cert is not None
    (c,) = cert._get_certificates()
    name = c.subject
    assert c.issuer == name
    assert name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "myserver"
    assert name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "myorganisation"
    assert name.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "IT"
    assert c.version == x509.Version.v3
    assert c.not_valid_before_utc.year == 2014 and c.not_valid_after_utc.year == 2034
    assert c.signature_hash_algorithm is not None
    assert c.signature_hash_algorithm.name == "sha256"
    constraints = c.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca and constraints.value.path_length == 0
    assert 0 < c.serial_number < 2**160
    other = crypto.generate_self_signed_certificate(rsa_key)
    assert other is not None
    assert other._get_certificates()[0].serial_number != c.serial_number


def test_self_signed_certificate_alt_names(rsa_key: CryptoKey, ec_key: CryptoKey) -> None:
    """Python-only ``_alt_names``: SANs plus what strict X.509 checks want of a self-signed CA."""
    cert = crypto.generate_self_signed_certificate(
        rsa_key, "CN=game", _alt_names=["game.example", "10.0.0.1", "::1"]
    )
    assert cert is not None
    (c,) = cert._get_certificates()
    san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["game.example"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("10.0.0.1"),
        ipaddress.ip_address("::1"),
    ]
    constraints = c.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    usage = c.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.digital_signature
    assert usage.value.key_encipherment  # RSA key exchange (TLS 1.2 RSA suites)
    c.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    c.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    ec_cert = crypto.generate_self_signed_certificate(ec_key, "CN=e", _alt_names=["e.example"])
    assert ec_cert is not None
    ec_usage = ec_cert._get_certificates()[0].extensions.get_extension_for_class(x509.KeyUsage)
    assert not ec_usage.value.key_encipherment
    # Without _alt_names the profile stays Godot's: basic constraints only.
    plain = crypto.generate_self_signed_certificate(rsa_key, "CN=game")
    assert plain is not None
    assert len(plain._get_certificates()[0].extensions) == 1
    assert crypto.generate_self_signed_certificate(rsa_key, "CN=a", _alt_names=["bad name"]) is None
    assert crypto.generate_self_signed_certificate(rsa_key, "CN=a", _alt_names=[""]) is None
    with pytest.raises(TypeError):
        crypto.generate_self_signed_certificate(rsa_key, "CN=a", _alt_names="localhost")
    with pytest.raises(TypeError):
        crypto.generate_self_signed_certificate(rsa_key, "CN=a", _alt_names=[1])  # type: ignore[list-item]


def test_self_signed_certificate_bad_input(rsa_key: CryptoKey) -> None:
    assert crypto.generate_self_signed_certificate(rsa_key, "XX=unknown") is None
    assert crypto.generate_self_signed_certificate(rsa_key, "CN=a", "2014") is None
    assert crypto.generate_self_signed_certificate(CryptoKey()) is None
    escaped = crypto.generate_self_signed_certificate(rsa_key, "CN=a\\,b,O=x")
    assert escaped is not None
    cn = escaped._get_certificates()[0].subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert cn[0].value == "a,b"
    with pytest.raises(TypeError):
        crypto.generate_self_signed_certificate("key")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hash_type", "fn"),
    [
        (HashingContext.HASH_SHA256, hashlib.sha256),
        (HashingContext.HASH_SHA1, hashlib.sha1),
        (HashingContext.HASH_MD5, hashlib.md5),
    ],
)
def test_sign_verify_rsa(rsa_key: CryptoKey, hash_type: int, fn) -> None:
    digest = fn(b"message").digest()
    signature = crypto.sign(hash_type, digest, rsa_key)
    assert len(signature) == 256
    assert crypto.verify(hash_type, digest, signature, rsa_key)
    public = CryptoKey()
    assert public.load_from_string(rsa_key.save_to_string(True), True) == Error.OK
    assert crypto.verify(hash_type, digest, signature, public)
    assert not crypto.verify(hash_type, fn(b"other").digest(), signature, public)
    assert not crypto.verify(hash_type, digest, signature[:-1] + b"\x00", public)
    assert crypto.sign(hash_type, digest, public) == b""  # public-only keys cannot sign


def test_sign_verify_ec(ec_key: CryptoKey) -> None:
    key = ec_key
    digest = hashlib.sha256(b"m").digest()
    signature = crypto.sign(HashingContext.HASH_SHA256, digest, key)
    assert signature
    assert crypto.verify(HashingContext.HASH_SHA256, digest, signature, key)


def test_sign_rejects_wrong_hash_size(rsa_key: CryptoKey) -> None:
    assert crypto.sign(HashingContext.HASH_SHA256, b"short", rsa_key) == b""
    assert not crypto.verify(HashingContext.HASH_SHA256, b"short", b"sig", rsa_key)
    assert crypto.sign(9, b"x" * 32, rsa_key) == b""


def test_encrypt_decrypt(rsa_key: CryptoKey, ec_key: CryptoKey) -> None:
    public = CryptoKey()
    assert public.load_from_string(rsa_key.save_to_string(True), True) == Error.OK
    ciphertext = crypto.encrypt(public, b"secret")
    assert len(ciphertext) == 256
    assert crypto.decrypt(rsa_key, ciphertext) == b"secret"
    assert crypto.decrypt(public, ciphertext) == b""  # public-only cannot decrypt
    assert crypto.decrypt(rsa_key, b"\x00" * 10) == b""  # wrong length: an error
    # A well-sized but bad ciphertext: OpenSSL's implicit rejection (Marvin attack defence)
    # answers with deterministic junk instead of an error; it is never the plaintext.
    assert crypto.decrypt(rsa_key, b"\x00" * 256) != b"secret"
    assert crypto.encrypt(public, b"x" * 300) == b""  # too long for PKCS#1 v1.5
    assert crypto.encrypt(ec_key, b"x") == b""


def test_constant_time_compare() -> None:
    assert crypto.constant_time_compare(b"abc", b"abc")
    assert not crypto.constant_time_compare(b"abc", b"abd")
    assert not crypto.constant_time_compare(b"abc", b"abcd")
    assert crypto.constant_time_compare(b"", b"")


def test_key_pem_round_trips(rsa_key: CryptoKey, tmp_path) -> None:
    private_pem = rsa_key.save_to_string()
    assert private_pem.startswith("-----BEGIN RSA PRIVATE KEY-----")
    public_pem = rsa_key.save_to_string(True)
    assert public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    again = CryptoKey()
    assert again.load_from_string(private_pem) == Error.OK
    assert again.save_to_string() == private_pem
    path = str(tmp_path / "k.key")
    assert rsa_key.save(path) == Error.OK
    loaded = CryptoKey()
    assert loaded.load(path) == Error.OK
    assert loaded.save_to_string() == private_pem
    pub_path = tmp_path / "k.pub"
    assert rsa_key.save(str(pub_path), True) == Error.OK
    pub = CryptoKey()
    assert pub.load(pub_path, True) == Error.OK  # os.PathLike accepted
    assert pub.is_public_only()
    assert pub.save_to_string(True) == public_pem
    assert pub.save_to_string() == ""  # no private part to write
    assert pub.save(str(tmp_path / "x.key")) == Error.FAILED


def test_key_bad_input(rsa_key: CryptoKey, tmp_path) -> None:
    key = CryptoKey()
    assert key.load_from_string("not a key") == Error.FAILED
    assert key.load_from_string(rsa_key.save_to_string(), True) == Error.FAILED
    assert key.load_from_string(rsa_key.save_to_string(True)) == Error.FAILED
    assert key.load(str(tmp_path / "missing.key")) == Error.ERR_INVALID_PARAMETER
    assert key.save(str(tmp_path / "no" / "dir.key")) == Error.FAILED  # nothing loaded
    assert rsa_key.save(str(tmp_path / "no" / "dir.key")) == Error.ERR_INVALID_PARAMETER
    assert key.save_to_string() == ""
    with pytest.raises(TypeError):
        key.load_from_string(b"pem")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        key.load(5)  # type: ignore[arg-type]


def test_certificate_chain_round_trips(rsa_key: CryptoKey, tmp_path) -> None:
    first = crypto.generate_self_signed_certificate(rsa_key, "CN=one")
    second = crypto.generate_self_signed_certificate(rsa_key, "CN=two")
    assert first is not None and second is not None
    bundle = first.save_to_string() + second.save_to_string()
    chain = X509Certificate()
    assert chain.load_from_string(bundle) == Error.OK
    assert len(chain._get_certificates()) == 2
    assert chain.save_to_string() == bundle  # the whole chain, not the first one twice
    path = str(tmp_path / "chain.crt")
    assert chain.save(path) == Error.OK
    loaded = X509Certificate()
    assert loaded.load(path) == Error.OK
    assert loaded.save_to_string() == bundle


def test_certificate_partial_and_bad_pem(rsa_key: CryptoKey, tmp_path) -> None:
    good = crypto.generate_self_signed_certificate(rsa_key, "CN=good")
    assert good is not None
    broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    cert = X509Certificate()
    assert cert.load_from_string(broken + good.save_to_string()) == Error.OK
    assert len(cert._get_certificates()) == 1  # the broken one is skipped, like mbedTLS
    assert X509Certificate().load_from_string(broken) == Error.FAILED
    assert X509Certificate().load_from_string("garbage") == Error.FAILED
    assert X509Certificate().load(str(tmp_path / "missing.crt")) == Error.ERR_INVALID_PARAMETER
    empty = X509Certificate()
    assert empty.save_to_string() == ""
    assert empty.save(str(tmp_path / "e.crt")) == Error.FAILED
    with pytest.raises(TypeError):
        cert.load_from_string(None)  # type: ignore[arg-type]


def test_resource_properties() -> None:
    cert = X509Certificate()
    assert cert.resource_path == "" and cert.resource_name == ""
    cert.resource_path = "res://server.crt"
    cert.set_name("server")
    assert cert.get_path() == "res://server.crt" and cert.resource_name == "server"
    with pytest.raises(TypeError):
        cert.set_path(1)  # type: ignore[arg-type]


def test_dev_certificate() -> None:
    key, cert = localhost_key_and_certificate()
    (c,) = cert._get_certificates()
    # Made by our Crypto: generate_rsa(2048) and Godot's certificate profile (+ SANs).
    public_key = c.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey) and public_key.key_size == 2048
    assert c.subject == c.issuer
    assert c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "localhost"
    assert c.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
    san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names = [str(v) for v in san.get_values_for_type(x509.DNSName)] + [
        str(v) for v in san.get_values_for_type(x509.IPAddress)
    ]
    assert sorted(names) == sorted(HOST_NAMES)
    public = key._get_public_key()
    assert public is not None and public == c.public_key()
    _key2, cert2 = localhost_key_and_certificate()
    assert cert2.save_to_string() == cert.save_to_string()  # cached, not regenerated
    repo = Path(__file__).resolve().parents[2]
    assert not Path(cache_directory()).resolve().is_relative_to(repo)  # never committed
