"""Godot's ``IPAddress`` value type: parsing and the text form Godot prints.

Godot keeps every address as 16 bytes of IPv6; an IPv4 address is stored IPv4-mapped
(``::ffff:a.b.c.d``) and printed dotted. IPv6 addresses print as eight uncompressed
lower-case hex groups without leading zeros (``0:0:0:0:0:0:0:1``, spec Q19). The wildcard
``"*"`` is a separate flag ("any address, both families") and prints as ``"*"``; an invalid
address prints as ``""``. Scripts only ever see the text form (GDScript converts
``IPAddress`` to ``String``), so this module is private: shells parse the strings they are
given with :meth:`IPAddress.parse` and hand out :meth:`IPAddress.__str__`.

Godot: core/io/ip_address.cpp, core/string/ustring.cpp (``is_valid_ip_address``).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

_V4_PREFIX = b"\x00" * 10 + b"\xff\xff"


@dataclass(frozen=True)
class IPAddress:
    """A parsed address: 16 bytes (IPv4-mapped for IPv4), or the wildcard ``*``."""

    packed: bytes = b""
    wildcard: bool = False

    @classmethod
    def parse(cls, text: str) -> IPAddress | None:
        """Parse an IP literal or ``"*"``; ``None`` when ``text`` is not one (e.g. a host name)."""
        if text == "*":
            return WILDCARD
        packed = _parse_packed(text)
        return None if packed is None else cls(packed)

    @classmethod
    def from_packed(cls, raw: bytes) -> IPAddress:
        """Wrap 4 (IPv4) or 16 (IPv6) network-order bytes."""
        if len(raw) == 4:
            return cls(_V4_PREFIX + raw)
        if len(raw) == 16:
            return cls(bytes(raw))
        raise ValueError("an IP address is 4 or 16 bytes")

    @classmethod
    def from_socket_host(cls, host: str) -> IPAddress:
        """Convert a Python socket address host (``"::ffff:1.2.3.4"``, ``"fe80::1%lo"``)."""
        host = host.split("%", 1)[0]
        if ":" in host:
            return cls(socket.inet_pton(socket.AF_INET6, host))
        return cls(_V4_PREFIX + socket.inet_pton(socket.AF_INET, host))

    def is_valid(self) -> bool:
        """True for a real address (the wildcard is not valid, like in Godot)."""
        return len(self.packed) == 16

    def is_wildcard(self) -> bool:
        return self.wildcard

    def is_ipv4(self) -> bool:
        """True for an IPv4 (IPv4-mapped) address."""
        return self.packed[:12] == _V4_PREFIX

    def socket_host(self, family: int) -> str:
        """The host string Python's socket API wants for a socket of ``family``."""
        if self.wildcard:
            return "" if family == socket.AF_INET else "::"
        if family == socket.AF_INET:
            return socket.inet_ntop(socket.AF_INET, self.packed[12:])
        return socket.inet_ntop(socket.AF_INET6, self.packed)

    def __str__(self) -> str:
        if self.wildcard:
            return "*"
        if not self.is_valid():
            return ""
        raw = self.packed
        if raw[:12] == _V4_PREFIX:
            return f"{raw[12]}.{raw[13]}.{raw[14]}.{raw[15]}"
        return ":".join(format((raw[i] << 8) | raw[i + 1], "x") for i in range(0, 16, 2))


WILDCARD = IPAddress(wildcard=True)
INVALID = IPAddress()


def _parse_packed(text: str) -> bytes | None:
    if not isinstance(text, str):
        raise TypeError(f"an IP address must be a str, not {type(text).__name__}")
    if ":" in text:
        if "%" in text:  # Scope ids are not part of Godot's address syntax.
            return None
        try:
            return ipaddress.IPv6Address(text).packed
        except ValueError:
            return None
    parts = text.split(".")
    if len(parts) != 4:
        return None
    out = bytearray(_V4_PREFIX)
    for part in parts:
        # Godot accepts plain decimal fields (leading zeros are decimal, not octal).
        if not part or len(part) > 3 or not part.isascii() or not part.isdigit():
            return None
        value = int(part)
        if value > 255:
            return None
        out.append(value)
    return bytes(out)


def is_valid_ip_address(text: str) -> bool:
    """Godot's ``String.is_valid_ip_address()``: an IPv4 or IPv6 literal (not ``"*"``)."""
    return _parse_packed(text) is not None


def ip_to_string(text: str) -> str:
    """Normalise an address string to Godot's printed form (``"::1"`` -> ``"0:0:0:0:0:0:0:1"``)."""
    address = IPAddress.parse(text)
    return "" if address is None else str(address)
