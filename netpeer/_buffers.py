"""Sans-I/O byte buffers shared by the protocol cores: a receive buffer and a packet queue.

``ReceiveBuffer`` is where bytes read from a socket wait to be parsed. Appending and
consuming from the front are O(1) amortised: consumed bytes are only skipped (an offset
moves) and the storage is compacted once the dead prefix outweighs the live data.

Parsers use it the h11/wsproto way: ask for exactly what the next piece of the grammar
needs and get ``None`` when it has not arrived yet::

    buf.begin()
    header = buf.consume_exactly(2)
    payload = buf.consume_exactly(length) if header is not None else None
    if payload is None:
        buf.rollback()      # incomplete: everything consumed since begin() is back
        return None
    buf.commit()

``PacketQueue`` holds whole messages (WebSocket messages, UDP datagrams, framed packets)
with a limit on their total payload bytes and on their number, like Godot's
``PacketBuffer`` (modules/websocket/packet_buffer.h). Each packet carries a small ``info``
value (message type, source address ...).

This module is a core: no sockets, no clocks, no imports from ``engine`` or the shells.
"""

from __future__ import annotations

import struct
from collections import deque
from typing import Any, Generic, TypeVar

_InfoT = TypeVar("_InfoT")

_BytesLike = (bytes, bytearray, memoryview)

_COMPACT_MIN = 4096
"""Dead bytes tolerated at the front before compaction is even considered."""


class BufferFullError(ValueError):
    """Raised by ``ReceiveBuffer.append`` when the data would exceed ``max_size``."""


class ReceiveBuffer:
    """A FIFO of bytes with cheap front consumption and rollback-able parsing.

    ``max_size`` (None = unlimited) bounds ``len(buffer)``; ``append`` refuses data that
    would exceed it (nothing is appended) so a hostile peer cannot grow it without limit.
    Check ``space_left()`` before reading from the network to stay within it.
    """

    __slots__ = ("_buf", "_mark", "_start", "max_size")

    def __init__(self, data: bytes = b"", max_size: int | None = None) -> None:
        self._buf = bytearray()
        self._start = 0
        self._mark: int | None = None
        self.max_size = max_size
        if data:
            self.append(data)

    # -- size --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._buf) - self._start

    def __bool__(self) -> bool:
        return len(self._buf) > self._start

    def __bytes__(self) -> bytes:
        return bytes(self._buf[self._start :])

    def __repr__(self) -> str:
        return f"ReceiveBuffer({bytes(self)!r}, max_size={self.max_size!r})"

    def space_left(self) -> int | None:
        """Bytes that can still be appended, or None when unlimited."""
        if self.max_size is None:
            return None
        return max(0, self.max_size - len(self))

    # -- input -------------------------------------------------------------------------------

    def append(self, data: bytes | bytearray | memoryview) -> None:
        """Add ``data`` at the end; BufferFullError (nothing added) beyond ``max_size``."""
        if not isinstance(data, _BytesLike):
            raise TypeError(f"expected bytes-like data, got {type(data).__name__}")
        if self.max_size is not None and len(self) + len(data) > self.max_size:
            raise BufferFullError(
                f"{len(data)} bytes do not fit: {len(self)} of {self.max_size} in use"
            )
        self._compact()
        self._buf += data

    # -- inspection --------------------------------------------------------------------------

    def peek(self, n: int, offset: int = 0) -> bytes:
        """Up to ``n`` bytes starting ``offset`` bytes into the buffer, not consumed."""
        start = self._start + offset
        return bytes(self._buf[start : start + n])

    def unpack_from(self, fmt: struct.Struct, offset: int = 0) -> tuple[Any, ...]:
        """``fmt.unpack`` of the bytes ``offset`` bytes into the buffer, without copying.

        Raises ``struct.error`` when fewer than ``fmt.size`` bytes are there.
        """
        if offset < 0 or offset + fmt.size > len(self):
            raise struct.error(f"need {fmt.size} bytes at offset {offset}, have {len(self)}")
        return fmt.unpack_from(self._buf, self._start + offset)

    def find(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        """Index (relative to the front) of ``sub``, or -1."""
        stop = len(self._buf) if end is None else self._start + end
        index = self._buf.find(sub, self._start + start, stop)
        return -1 if index < 0 else index - self._start

    # -- consumption -------------------------------------------------------------------------

    def consume(self, n: int) -> bytes:
        """Remove and return up to ``n`` bytes from the front."""
        if n < 0:
            raise ValueError("n must be >= 0")
        start = self._start
        end = min(start + n, len(self._buf))
        data = bytes(self._buf[start:end])
        self._start = end
        return data

    def consume_exactly(self, n: int) -> bytes | None:
        """Remove and return exactly ``n`` bytes, or None (nothing consumed) if fewer."""
        if n < 0:
            raise ValueError("n must be >= 0")
        start = self._start
        end = start + n
        if end > len(self._buf):
            return None
        self._start = end
        return bytes(self._buf[start:end])

    def consume_until(self, delimiter: bytes, max_len: int | None = None) -> bytes | None:
        """Remove and return everything up to and including ``delimiter``, or None.

        With ``max_len`` the delimiter is only searched for in the first ``max_len`` bytes
        (callers treat ``None`` with ``len(buf) >= max_len`` as "too long").
        """
        end = None if max_len is None else max_len
        index = self.find(delimiter, 0, end)
        if index < 0:
            return None
        return self.consume(index + len(delimiter))

    def discard(self, n: int) -> int:
        """Drop up to ``n`` bytes from the front; return how many were dropped."""
        before = self._start
        self._start = min(before + max(n, 0), len(self._buf))
        return self._start - before

    def clear(self) -> None:
        """Drop everything (and any open transaction)."""
        self._buf = bytearray()
        self._start = 0
        self._mark = None

    # -- transactions ------------------------------------------------------------------------

    def begin(self) -> None:
        """Remember the current front; ``rollback()`` returns to it, ``commit()`` forgets it."""
        self._mark = self._start

    def commit(self) -> None:
        self._mark = None

    def rollback(self) -> None:
        """Un-consume everything consumed since ``begin()`` (no-op without a transaction)."""
        if self._mark is not None:
            self._start = self._mark
            self._mark = None

    @property
    def in_transaction(self) -> bool:
        return self._mark is not None

    # -- storage -----------------------------------------------------------------------------

    def _compact(self) -> None:
        """Forget the consumed prefix once it is large and outweighs the live bytes."""
        dead = self._start if self._mark is None else self._mark
        if dead >= _COMPACT_MIN and dead * 2 >= len(self._buf):
            del self._buf[:dead]
            self._start -= dead
            if self._mark is not None:
                self._mark -= dead


class PacketQueue(Generic[_InfoT]):
    """A FIFO of whole packets bounded by total payload bytes and by packet count.

    ``push`` refuses (returns False, queues nothing) a packet that does not fit, so the
    caller decides what a full queue means (drop with an error, close with 1009 ...).
    """

    __slots__ = ("_bytes", "_items", "max_bytes", "max_count")

    def __init__(self, max_bytes: int, max_count: int) -> None:
        if max_bytes < 0 or max_count < 0:
            raise ValueError("limits must be >= 0")
        self.max_bytes = max_bytes
        self.max_count = max_count
        self._items: deque[tuple[bytes, _InfoT]] = deque()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    @property
    def total_bytes(self) -> int:
        """Sum of the queued payload sizes."""
        return self._bytes

    def space_left_bytes(self) -> int:
        return max(0, self.max_bytes - self._bytes)

    def space_left_count(self) -> int:
        return max(0, self.max_count - len(self._items))

    def fits(self, size: int) -> bool:
        """Whether a packet of ``size`` bytes can be pushed now."""
        return len(self._items) < self.max_count and self._bytes + size <= self.max_bytes

    def push(self, data: bytes | bytearray | memoryview, info: _InfoT) -> bool:
        """Queue ``data`` with ``info``; False (nothing queued) if a limit would be exceeded."""
        if not isinstance(data, _BytesLike):
            raise TypeError(f"expected bytes-like data, got {type(data).__name__}")
        payload = data if type(data) is bytes else bytes(data)
        if not self.fits(len(payload)):
            return False
        self._items.append((payload, info))
        self._bytes += len(payload)
        return True

    def pop(self) -> tuple[bytes, _InfoT]:
        """Remove and return the oldest ``(payload, info)``; IndexError when empty."""
        payload, info = self._items.popleft()
        self._bytes -= len(payload)
        return payload, info

    def peek(self) -> tuple[bytes, _InfoT]:
        """The oldest ``(payload, info)`` without removing it; IndexError when empty."""
        return self._items[0]

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0
