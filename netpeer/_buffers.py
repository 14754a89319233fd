"""Sans-I/O receive buffer: where bytes read from a stream wait until a parser takes them.

``ReceiveBuffer`` is a FIFO of bytes. Appending and consuming from the front are O(1)
amortised: consumed bytes are only skipped (an offset moves) and the storage is compacted
once the dead prefix is large and outweighs the live data. A parser looks at a length
prefix in place (``unpack_from``, no copy) and takes a whole frame only once it is there::

    if len(buf) >= 4:
        (length,) = buf.unpack_from(U32)
        if len(buf) - 4 >= length:
            buf.discard(4)
            payload = buf.consume(length)

This module is a core: no sockets, no clocks, no imports from ``engine`` or the shells.
"""

from __future__ import annotations

import struct
from typing import Any

_BytesLike = (bytes, bytearray, memoryview)

_COMPACT_MIN = 4096
"""Dead bytes tolerated at the front before compaction is even considered."""


class ReceiveBuffer:
    """A FIFO of bytes with cheap front consumption."""

    __slots__ = ("_buf", "_start")

    def __init__(self, data: bytes = b"") -> None:
        self._buf = bytearray()
        self._start = 0
        if data:
            self.append(data)

    def __len__(self) -> int:
        return len(self._buf) - self._start

    def __bool__(self) -> bool:
        return len(self._buf) > self._start

    def __bytes__(self) -> bytes:
        return bytes(self._buf[self._start :])

    def __repr__(self) -> str:
        return f"ReceiveBuffer({bytes(self)!r})"

    def append(self, data: bytes | bytearray | memoryview) -> None:
        """Add ``data`` at the end."""
        if not isinstance(data, _BytesLike):
            raise TypeError(f"expected bytes-like data, got {type(data).__name__}")
        self._compact()
        self._buf += data

    def unpack_from(self, fmt: struct.Struct, offset: int = 0) -> tuple[Any, ...]:
        """``fmt.unpack`` of the bytes ``offset`` bytes into the buffer, without copying.

        Raises ``struct.error`` when fewer than ``fmt.size`` bytes are there.
        """
        if offset < 0 or offset + fmt.size > len(self):
            raise struct.error(f"need {fmt.size} bytes at offset {offset}, have {len(self)}")
        return fmt.unpack_from(self._buf, self._start + offset)

    def consume(self, n: int) -> bytes:
        """Remove and return up to ``n`` bytes from the front."""
        if n < 0:
            raise ValueError("n must be >= 0")
        start = self._start
        end = min(start + n, len(self._buf))
        self._start = end
        return bytes(self._buf[start:end])

    def consume_exactly(self, n: int) -> bytes | None:
        """Remove and return exactly ``n`` bytes, or None (nothing consumed) if fewer."""
        if n < 0:
            raise ValueError("n must be >= 0")
        if n > len(self):
            return None
        return self.consume(n)

    def discard(self, n: int) -> int:
        """Drop up to ``n`` bytes from the front; return how many were dropped."""
        before = self._start
        self._start = min(before + max(n, 0), len(self._buf))
        return self._start - before

    def clear(self) -> None:
        """Drop everything."""
        self._buf = bytearray()
        self._start = 0

    def _compact(self) -> None:
        """Forget the consumed prefix once it is large and outweighs the live bytes."""
        dead = self._start
        if dead >= _COMPACT_MIN and dead * 2 >= len(self._buf):
            del self._buf[:dead]
            self._start = 0
