"""Reusable buffers for large inbound messages.

Why: a burst of large messages (a few MiB read in one ``poll()``) used to arrive as as many
fresh ``bytes`` objects, which the game then read and freed together. glibc's malloc hands
such a freed burst back to the kernel and faults it in again on the next one: about 15 page
faults per 64 KiB message, more than half of the time of receiving in bulk. A pool keeps
those buffers and reuses them; ``WebSocketPeer.get_packet`` copies a message out into the
``bytes`` it returns, as Godot copies out of its inbound ring buffer. On a server that copy
replaces the one ``apply_mask`` made; a client's unmasked frames pay one more copy (about
3 us per 64 KiB), far less than the faults it saves (``bench/bulk_receive.py``: 2-2.5x the
throughput either side).

Buffers are kept in power-of-two size classes, so one buffer serves every size in
``(capacity/2, capacity]``: CPython shrinks and regrows a ``bytearray`` in place within that
range. At most ``limit`` bytes are kept (the peer's inbound budget): a peer never keeps
more than the one burst it was allowed to queue.
"""

from __future__ import annotations

POOL_MIN = 4096
"""Messages smaller than this are plain ``bytes``: small blocks are cheap to allocate."""

_ZEROS = memoryview(bytes(65536))  # grows a reused buffer in steps (contents are overwritten)


class PayloadPool:
    """Hands out ``bytearray`` s of an exact length and takes them back for reuse."""

    __slots__ = ("_free", "_kept", "limit")

    def __init__(self, limit: int) -> None:
        self._free: dict[int, list[bytearray]] = {}
        self._kept = 0
        self.limit = limit

    def take(self, size: int) -> bytearray:
        """A buffer of ``size`` bytes (``size >= 1``) with unspecified contents."""
        size_class = (size - 1).bit_length()
        bucket = self._free.get(size_class)
        if not bucket:
            buf = bytearray(1 << size_class)
            del buf[size:]
            return buf
        buf = bucket.pop()
        self._kept -= 1 << size_class
        have = len(buf)
        if size < have:
            del buf[size:]
        while have < size:
            step = min(size - have, len(_ZEROS))
            buf += _ZEROS[:step]
            have += step
        return buf

    def give(self, buf: bytearray) -> None:
        """Take back a buffer from :meth:`take` once its contents are no longer needed."""
        if len(buf) < POOL_MIN:
            return
        size_class = (len(buf) - 1).bit_length()
        capacity = 1 << size_class
        if self._kept + capacity > self.limit:
            return
        self._kept += capacity
        bucket = self._free.get(size_class)
        if bucket is None:
            self._free[size_class] = [buf]
        else:
            bucket.append(buf)

    def kept_bytes(self) -> int:
        """Capacity held for reuse (at most ``limit``)."""
        return self._kept
