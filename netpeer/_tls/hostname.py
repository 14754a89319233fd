"""Host name check of a server certificate, the way mbedTLS does it.

mbedTLS (``x509_crt_verify_name``) looks at the SubjectAltName extension when the
certificate has one and at the subject's Common Names otherwise; that fallback matters
because Godot's ``Crypto.generate_self_signed_certificate`` makes certificates without SANs.
DNS names compare case-insensitively; a ``*.`` wildcard stands for exactly one leftmost
label. IP literals match iPAddress entries (or, without SANs, a CN spelled the same way).
"""

from __future__ import annotations

import ipaddress

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID


def _normalize(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _dns_match(pattern: str, hostname: str) -> bool:
    pattern = _normalize(pattern)
    if not pattern:
        return False
    if pattern.startswith("*."):
        head, dot, rest = hostname.partition(".")
        return bool(head) and bool(dot) and rest == pattern[2:]
    return pattern == hostname


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_ip_literal(hostname: str) -> bool:
    """True if ``hostname`` is an IPv4 or IPv6 address (SNI must not carry those)."""
    return _ip(hostname) is not None


def match_hostname(cert: x509.Certificate, hostname: str) -> bool:
    """True if ``cert`` is valid for ``hostname`` (a DNS name or an IP literal)."""
    wanted_ip = _ip(hostname)
    wanted_name = _normalize(hostname)
    if not wanted_name:
        return False
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    except x509.ExtensionNotFound:
        san = None
    except ValueError:  # a malformed extension matches nothing
        return False
    if san is not None:
        names = san.value
        if not isinstance(names, x509.SubjectAlternativeName):
            return False
        if wanted_ip is not None:
            return any(ip == wanted_ip for ip in names.get_values_for_type(x509.IPAddress))
        return any(_dns_match(p, wanted_name) for p in names.get_values_for_type(x509.DNSName))
    for attribute in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        value = attribute.value
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if wanted_ip is not None:
            if _ip(value) == wanted_ip:
                return True
        elif _dns_match(value, wanted_name):
            return True
    return False
