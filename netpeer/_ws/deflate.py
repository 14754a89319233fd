"""permessage-deflate (RFC 7692): negotiation and per-message (de)compression with zlib.

Godot has no WebSocket compression; netpeer offers it as an opt-in (users ask for it: servers
that require it cannot be reached otherwise). :class:`DeflateConfig` is what one side is
willing to do; negotiation turns it into :class:`DeflateParams` (what both sides agreed);
:class:`PerMessageDeflate` does the work for one connection, with the decompressed size of a
message bounded *while* inflating, so a decompression bomb costs at most the limit (→ 1009).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

EXTENSION_NAME = "permessage-deflate"
_TAIL = b"\x00\x00\xff\xff"
_PARAMS = (
    "server_no_context_takeover",
    "client_no_context_takeover",
    "server_max_window_bits",
    "client_max_window_bits",
)


class DeflateError(Exception):
    """Negotiation failure (bad offer/response) - the handshake fails."""


class DecompressionError(Exception):
    """Inflating a message failed: ``code`` is 1009 (too big) or 1007 (corrupt data)."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class DeflateConfig:
    """What this side offers (client) or accepts (server).

    ``*_max_window_bits`` of ``None`` means no constraint (15). A client always advertises
    ``client_max_window_bits`` (it can honour any window). ``compression_level`` is zlib's.
    """

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int | None = None
    client_max_window_bits: int | None = None
    compression_level: int = 6
    memory_level: int = 8

    def __post_init__(self) -> None:
        for bits in (self.server_max_window_bits, self.client_max_window_bits):
            if bits is not None and not 8 <= bits <= 15:
                raise ValueError("max_window_bits must be between 8 and 15")


@dataclass(frozen=True)
class DeflateParams:
    """Negotiated parameters (the agreed ``Sec-WebSocket-Extensions`` response)."""

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int = 15
    client_max_window_bits: int = 15

    def header_value(self) -> str:
        """The response header value that states these parameters."""
        parts = [EXTENSION_NAME]
        if self.server_no_context_takeover:
            parts.append("server_no_context_takeover")
        if self.client_no_context_takeover:
            parts.append("client_no_context_takeover")
        if self.server_max_window_bits != 15:
            parts.append(f"server_max_window_bits={self.server_max_window_bits}")
        if self.client_max_window_bits != 15:
            parts.append(f"client_max_window_bits={self.client_max_window_bits}")
        return "; ".join(parts)


def parse_extensions(value: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Split a Sec-WebSocket-Extensions value into ``[(name, [(param, value|None)])]``.

    Quoted parameter values are unquoted. Raises :class:`DeflateError` on empty names.
    """
    result: list[tuple[str, list[tuple[str, str | None]]]] = []
    for item in _split_outside_quotes(value, ","):
        if not item.strip():
            continue
        pieces = _split_outside_quotes(item, ";")
        name = pieces[0].strip().lower()
        if not name:
            raise DeflateError(f"empty extension name in {value!r}")
        params: list[tuple[str, str | None]] = []
        for piece in pieces[1:]:
            key, eq, val = piece.partition("=")
            key = key.strip().lower()
            if not key:
                raise DeflateError(f"empty extension parameter in {value!r}")
            if eq:
                val = val.strip()
                if len(val) >= 2 and val[0] == val[-1] == '"':
                    val = val[1:-1]
                params.append((key, val))
            else:
                params.append((key, None))
        result.append((name, params))
    return result


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def _bits(value: str | None, name: str) -> int:
    if value is None or not value.isdigit() or not 8 <= int(value) <= 15 or value[0] == "0":
        raise DeflateError(f"invalid {name} value {value!r}")
    return int(value)


def _check_params(params: list[tuple[str, str | None]]) -> dict[str, str | None]:
    seen: dict[str, str | None] = {}
    for key, val in params:
        if key not in _PARAMS:
            raise DeflateError(f"unknown permessage-deflate parameter {key!r}")
        if key in seen:
            raise DeflateError(f"duplicate permessage-deflate parameter {key!r}")
        if key.endswith("no_context_takeover") and val is not None:
            raise DeflateError(f"{key} takes no value")
        seen[key] = val
    return seen


def client_offer(config: DeflateConfig) -> str:
    """The client's Sec-WebSocket-Extensions offer for ``config``."""
    parts = [EXTENSION_NAME]
    if config.server_no_context_takeover:
        parts.append("server_no_context_takeover")
    if config.client_no_context_takeover:
        parts.append("client_no_context_takeover")
    if config.server_max_window_bits is not None:
        parts.append(f"server_max_window_bits={config.server_max_window_bits}")
    if config.client_max_window_bits is not None:
        parts.append(f"client_max_window_bits={config.client_max_window_bits}")
    else:
        parts.append("client_max_window_bits")
    return "; ".join(parts)


def server_negotiate(config: DeflateConfig, offers_header: str) -> DeflateParams | None:
    """Pick the first acceptable permessage-deflate offer (RFC 7692 §5, §7.1).

    Returns ``None`` when nothing acceptable was offered (the connection then runs without
    compression); malformed offers are skipped, like unsupported ones.
    """
    try:
        offers = parse_extensions(offers_header)
    except DeflateError:
        return None
    for name, raw in offers:
        if name != EXTENSION_NAME:
            continue
        try:
            offer = _check_params(raw)
            server_bits = 15
            if "server_max_window_bits" in offer:
                server_bits = _bits(offer["server_max_window_bits"], "server_max_window_bits")
            if config.server_max_window_bits is not None:
                server_bits = min(server_bits, config.server_max_window_bits)
            client_bits = 15
            if "client_max_window_bits" in offer:
                value = offer["client_max_window_bits"]
                if value is not None:
                    client_bits = _bits(value, "client_max_window_bits")
                if config.client_max_window_bits is not None:
                    client_bits = min(client_bits, config.client_max_window_bits)
            elif config.client_max_window_bits is not None:
                continue  # we need a smaller client window but the client cannot honour it
        except DeflateError:
            continue
        return DeflateParams(
            server_no_context_takeover="server_no_context_takeover" in offer
            or config.server_no_context_takeover,
            client_no_context_takeover="client_no_context_takeover" in offer
            or config.client_no_context_takeover,
            server_max_window_bits=server_bits,
            client_max_window_bits=client_bits,
        )
    return None


def client_accept(config: DeflateConfig, response_header: str) -> DeflateParams:
    """Validate the server's Sec-WebSocket-Extensions against our offer (RFC 7692 §5).

    Raises :class:`DeflateError` when the response must fail the connection.
    """
    extensions = parse_extensions(response_header)
    if len(extensions) != 1 or extensions[0][0] != EXTENSION_NAME:
        raise DeflateError(f"unexpected extensions in response: {response_header!r}")
    params = _check_params(extensions[0][1])
    server_bits = 15
    if "server_max_window_bits" in params:
        server_bits = _bits(params["server_max_window_bits"], "server_max_window_bits")
        offered = config.server_max_window_bits
        if offered is not None and server_bits > offered:
            raise DeflateError("server_max_window_bits larger than offered")
    elif config.server_max_window_bits is not None:
        raise DeflateError("server ignored our server_max_window_bits")
    if config.server_no_context_takeover and "server_no_context_takeover" not in params:
        raise DeflateError("server ignored our server_no_context_takeover")
    client_bits = 15
    if "client_max_window_bits" in params:
        client_bits = _bits(params["client_max_window_bits"], "client_max_window_bits")
        offered = config.client_max_window_bits
        if offered is not None and client_bits > offered:
            raise DeflateError("client_max_window_bits larger than offered")
    elif config.client_max_window_bits is not None:
        client_bits = config.client_max_window_bits  # we offered it; keep our own limit
    return DeflateParams(
        server_no_context_takeover="server_no_context_takeover" in params,
        client_no_context_takeover="client_no_context_takeover" in params
        or config.client_no_context_takeover,
        server_max_window_bits=server_bits,
        client_max_window_bits=client_bits,
    )


class PerMessageDeflate:
    """Compress outgoing and inflate incoming messages for one side of a connection."""

    __slots__ = (
        "_compressor",
        "_decompressor",
        "_level",
        "_local_bits",
        "_local_reset",
        "_memory_level",
        "_remote_reset",
        "params",
    )

    def __init__(
        self, params: DeflateParams, client: bool, compression_level: int = 6, memory_level: int = 8
    ) -> None:
        self.params = params
        if client:
            self._local_bits = params.client_max_window_bits
            self._local_reset = params.client_no_context_takeover
            self._remote_reset = params.server_no_context_takeover
        else:
            self._local_bits = params.server_max_window_bits
            self._local_reset = params.server_no_context_takeover
            self._remote_reset = params.client_no_context_takeover
        self._level = compression_level
        self._memory_level = memory_level
        self._compressor = self._new_compressor()
        # Inflate with the largest window: always enough, and tolerant of peers whose zlib
        # silently uses 9 bits when 8 was negotiated.
        self._decompressor = zlib.decompressobj(-15)

    def _new_compressor(self) -> zlib._Compress:
        # zlib cannot make raw deflate streams with an 8-bit window; 9 is the usual stand-in.
        bits = max(self._local_bits, 9)
        return zlib.compressobj(self._level, zlib.DEFLATED, -bits, self._memory_level)

    def compress(self, data: bytes | bytearray | memoryview) -> bytes:
        """One message's compressed payload (RFC 7692 §7.2.1: sync flush, tail removed)."""
        out = self._compressor.compress(data) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
        if self._local_reset:
            self._compressor = self._new_compressor()
        if out.endswith(_TAIL):
            out = out[:-4]
        return out or b"\x00"

    def decompress(self, fragment: bytes, fin: bool, remaining: int | None) -> bytes:
        """Inflate one frame of a compressed message; at most ``remaining`` bytes may come out.

        Raises :class:`DecompressionError` (1009 past the limit, 1007 for corrupt data).
        """
        if fin:
            fragment += _TAIL
        try:
            if remaining is None:
                out = self._decompressor.decompress(fragment)
            else:
                out = self._decompressor.decompress(fragment, remaining + 1)
        except zlib.error as exc:
            raise DecompressionError(1007, f"invalid compressed data: {exc}") from None
        if remaining is not None and len(out) > remaining:
            raise DecompressionError(1009, "decompressed message too big")
        if fin and self._remote_reset:
            self._decompressor = zlib.decompressobj(-15)
        return out
