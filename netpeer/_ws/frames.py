"""RFC 6455 §5 framing: opcodes, close codes, an incremental frame parser and the serializer.

The parser is transactional: it only ever consumes whole frames, so a caller can append
bytes as they arrive and call :meth:`FrameParser.parse` again; a partial frame is left in the
caller's buffer (``parse`` returns how many bytes it consumed and :attr:`FrameParser.need`
says how many buffered bytes make the next attempt worthwhile, so a large frame arriving in
many chunks is not re-parsed on every chunk).

Frames come out as plain tuples ``(opcode, fin, rsv1, payload)`` (no per-frame objects), with
the payload already unmasked. Every rule violation stops parsing for good and sets
:attr:`FrameParser.error_code` to the RFC close code (1002 protocol error, 1009 message too
big) and :attr:`FrameParser.error_detail` to a human-readable reason. UTF-8, close payloads
and permessage-deflate are judged one level up (``connection.py``).
"""

from __future__ import annotations

import struct
from enum import IntEnum

from .masking import _mask_int, apply_mask, mask_into
from .payload_pool import POOL_MIN, PayloadPool

Buffer = bytes | bytearray | memoryview
Frame = tuple[int, bool, bool, bytes | bytearray]
"""``(opcode, fin, rsv1, payload)`` as produced by :class:`FrameParser`; the payload is a
``bytearray`` from the parser's :class:`PayloadPool` for a large single-frame message."""


class Opcode(IntEnum):
    """Frame opcodes (RFC 6455 §5.2)."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


class CloseCode(IntEnum):
    """Close status codes (RFC 6455 §7.4.1 and the IANA registry)."""

    NORMAL_CLOSURE = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    UNSUPPORTED_DATA = 1003
    NO_STATUS_RCVD = 1005
    ABNORMAL_CLOSURE = 1006
    INVALID_FRAME_PAYLOAD_DATA = 1007
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    MANDATORY_EXTENSION = 1010
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012
    TRY_AGAIN_LATER = 1013
    BAD_GATEWAY = 1014
    TLS_HANDSHAKE = 1015


MAX_CONTROL_PAYLOAD = 125
MAX_CLOSE_REASON = 123  # 125 minus the 2-byte status code

# Codes a peer may put on the wire (RFC 6455 §7.4, IANA registry; 1012-1014 registered later).
_VALID_WIRE_CODES = frozenset((1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013))
_VALID_WIRE_CODES = _VALID_WIRE_CODES | {1014}


def is_valid_close_code(code: int) -> bool:
    """Whether a received close frame may carry ``code`` (RFC 6455 §7.4.1/§7.4.2)."""
    return code in _VALID_WIRE_CODES or 3000 <= code <= 4999


_DATA_OPCODES = (1, 2)
_CONTROL_OPCODES = (8, 9, 10)
_U16 = struct.Struct(">H")
_U64 = struct.Struct(">Q")
_HDR16 = struct.Struct(">BBH")
_HDR64 = struct.Struct(">BBQ")


def frame_size(payload_length: int, masked: bool) -> int:
    """Bytes on the wire for a frame with ``payload_length`` bytes of payload."""
    header = 2 if payload_length < 126 else 4 if payload_length < 65536 else 10
    return header + (4 if masked else 0) + payload_length


def serialize_frame(
    opcode: int,
    payload: Buffer,
    *,
    fin: bool = True,
    rsv1: bool = False,
    mask_key: bytes | None = None,
) -> bytes | bytearray:
    """Return one frame: header (+ mask key) + (masked) payload, built with a single copy."""
    n = len(payload)
    b0 = opcode | (0x80 if fin else 0) | (0x40 if rsv1 else 0)
    if mask_key is None:
        if n < 126:
            return bytes((b0, n)) + payload
        if n < 65536:
            return _HDR16.pack(b0, 126, n) + payload
        return _HDR64.pack(b0, 127, n) + payload
    if n < 126:
        header = bytes((b0, 0x80 | n))
    elif n < 65536:
        header = _HDR16.pack(b0, 0xFE, n)
    else:
        header = _HDR64.pack(b0, 0xFF, n)
    if n < 1024:
        return header + mask_key + _mask_int(payload, mask_key)
    # The payload is masked in place as 8-byte words, which numpy does at full speed only
    # on aligned memory: pad the front so the payload starts on an 8-byte boundary, then
    # drop the pad (deleting a bytearray's head moves its start pointer, no copy).
    hlen = len(header) + 4
    pad = -hlen & 7
    start = pad + hlen
    out = bytearray(start + n)
    out[pad : start - 4] = header
    out[start - 4 : start] = mask_key
    mask_into(out, start, payload, mask_key)
    if pad:
        del out[:pad]
    return out


class FrameParser:
    """Incremental, transactional RFC 6455 frame parser for one direction of a connection.

    ``client`` is the side that *receives*: a client rejects masked frames, a server rejects
    unmasked ones. ``max_message_size`` bounds the wire size of one (possibly fragmented) data
    message (``None``: no limit); when ``rsv1_allowed`` (permessage-deflate negotiated) a
    message whose first frame has RSV1 set may use ``max_compressed_size`` instead, because
    its real size is judged after decompression.
    """

    __slots__ = (
        "_expect_mask",
        "_max_compressed",
        "_max_message",
        "_msg_compressed",
        "_msg_size",
        "_pool",
        "_rsv_mask",
        "closed",
        "error_code",
        "error_detail",
        "in_message",
        "need",
    )

    def __init__(
        self,
        client: bool,
        max_message_size: int | None = 65535,
        *,
        rsv1_allowed: bool = False,
        max_compressed_size: int | None = None,
        payload_pool: PayloadPool | None = None,
    ) -> None:
        self._expect_mask = 0 if client else 0x80
        self._pool = payload_pool
        self._max_message = max_message_size
        self._max_compressed = max_compressed_size
        self._rsv_mask = 0x30 if rsv1_allowed else 0x70
        self._msg_size = 0
        self._msg_compressed = False
        self.in_message = False  # inside a fragmented data message
        self.closed = False  # a close frame was parsed: everything after it is ignored
        self.error_code = 0
        self.error_detail = ""
        self.need = 2

    def allow_rsv1(self, max_compressed_size: int | None) -> None:
        """Accept RSV1 on first data frames from now on (permessage-deflate negotiated)."""
        self._rsv_mask = 0x30
        self._max_compressed = max_compressed_size

    def _fail(self, code: int, detail: str) -> None:
        self.error_code = code
        self.error_detail = detail

    def parse(self, buf: Buffer, frames: list[Frame]) -> int:
        """Append every complete frame of ``buf`` to ``frames``; return the bytes consumed.

        After an error or a close frame, further input is consumed and ignored.
        """
        end = len(buf)
        if self.error_code or self.closed:
            return end
        mv = memoryview(buf)
        pool = self._pool
        pos = 0
        try:
            while True:
                avail = end - pos
                if avail < 2:
                    self.need = 2
                    return pos
                b0 = mv[pos]
                b1 = mv[pos + 1]
                opcode = b0 & 0x0F
                if b0 & self._rsv_mask:
                    self._fail(1002, "reserved bits set without a negotiated extension")
                    return end
                if (b1 & 0x80) != self._expect_mask:
                    self._fail(
                        1002,
                        "unmasked frame from client"
                        if self._expect_mask
                        else "masked frame from server",
                    )
                    return end
                length = b1 & 0x7F
                header = 2
                if length == 126:
                    if avail < 4:
                        self.need = 4
                        return pos
                    length = _U16.unpack_from(mv, pos + 2)[0]
                    header = 4
                    if length < 126:
                        self._fail(1002, "non-minimal 16-bit payload length")
                        return end
                elif length == 127:
                    if avail < 10:
                        self.need = 10
                        return pos
                    length = _U64.unpack_from(mv, pos + 2)[0]
                    header = 10
                    if length >> 63:
                        self._fail(1002, "64-bit payload length with the top bit set")
                        return end
                    if length < 65536:
                        self._fail(1002, "non-minimal 64-bit payload length")
                        return end
                fin = b0 & 0x80
                rsv1 = b0 & 0x40
                if opcode >= 8:
                    if opcode not in _CONTROL_OPCODES:
                        self._fail(1002, f"reserved opcode {opcode:#x}")
                        return end
                    if not fin:
                        self._fail(1002, "fragmented control frame")
                        return end
                    if length > 125:
                        self._fail(1002, "control frame payload longer than 125 bytes")
                        return end
                    if rsv1:
                        self._fail(1002, "RSV1 set on a control frame")
                        return end
                else:
                    if opcode == 0:
                        if not self.in_message:
                            self._fail(1002, "continuation frame without a message to continue")
                            return end
                        if rsv1:
                            self._fail(1002, "RSV1 set on a continuation frame")
                            return end
                        size = self._msg_size + length
                    elif opcode in _DATA_OPCODES:
                        if self.in_message:
                            self._fail(1002, "new data frame inside a fragmented message")
                            return end
                        self._msg_compressed = bool(rsv1)
                        size = length
                    else:
                        self._fail(1002, f"reserved opcode {opcode:#x}")
                        return end
                    limit = self._max_compressed if self._msg_compressed else self._max_message
                    if limit is not None and size > limit:
                        self._fail(1009, f"message larger than {limit} bytes")
                        return end
                if self._expect_mask:
                    start = pos + header + 4
                    stop = start + length
                    if stop > end:
                        self.need = stop - pos
                        return pos
                    key = mv[start - 4 : start].tobytes()
                    # a whole text/binary message (control frames are at most 125 bytes)
                    payload: bytes | bytearray
                    if pool is not None and length >= POOL_MIN and fin and not rsv1 and opcode:
                        payload = pool.take(length)
                        mask_into(payload, 0, mv[start:stop], key)
                    else:
                        payload = apply_mask(mv[start:stop], key)
                else:
                    start = pos + header
                    stop = start + length
                    if stop > end:
                        self.need = stop - pos
                        return pos
                    if pool is not None and length >= POOL_MIN and fin and not rsv1 and opcode:
                        payload = pool.take(length)
                        payload[:] = mv[start:stop]
                    else:
                        payload = mv[start:stop].tobytes()
                pos = stop
                if opcode < 8:
                    if fin:
                        self.in_message = False
                        self._msg_size = 0
                    else:
                        self.in_message = True
                        self._msg_size = size
                frames.append((opcode, bool(fin), bool(rsv1), payload))
                if opcode == 8:
                    self.closed = True
                    return end
        finally:
            mv.release()
