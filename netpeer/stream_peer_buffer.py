"""Godot's ``StreamPeerBuffer``: a StreamPeer over an in-memory byte array with a cursor.

Writes land at the cursor (growing the array), reads advance it. Godot 4.2's quirks are
kept (spec §5.2, Q10/Q11): short ``get_partial_data`` reads are OK, short ``get_data``
reads give ``ERR_INVALID_PARAMETER`` but still consume; ``seek`` outside ``0..size``
prints an error and keeps the position; ``resize`` does not clamp the position (so
``get_available_bytes()`` can be negative); ``duplicate()`` copies only the bytes. Where
4.2 leaves memory uninitialised (bytes added by ``resize``, the gap written after a seek
past a shrunk end) we store zeros.
"""

from __future__ import annotations

from engine.core.error import Error
from engine.core.messages import push_error
from engine.core.properties import GodotProperty
from netpeer.stream_peer import StreamPeer, _as_bytes, _check_size

_OK = Error.OK


class StreamPeerBuffer(StreamPeer):
    """A StreamPeer that reads and writes a ``data_array`` at a movable position."""

    def __init__(self) -> None:
        super().__init__()
        self._data = bytearray()
        self._pointer = 0

    # -- hooks -------------------------------------------------------------------------------

    def _put_data(self, data: bytes) -> Error:
        start = self._pointer
        buf = self._data
        if start > len(buf):  # position left beyond the end by resize(): fill the gap
            buf.extend(bytes(start - len(buf)))
        end = start + len(data)
        buf[start:end] = data
        self._pointer = end
        return _OK

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        self._put_data(data)
        return _OK, len(data)

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        start = self._pointer
        end = min(start + n, len(self._data))
        if end <= start:
            return _OK, b""
        self._pointer = end
        return _OK, bytes(self._data[start:end])

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        _, data = self._get_partial_data(n)
        if len(data) != n:
            return Error.ERR_INVALID_PARAMETER, data
        return _OK, data

    def _get_available_bytes(self) -> int:
        return len(self._data) - self._pointer

    # -- StreamPeerBuffer API ----------------------------------------------------------------

    def seek(self, position: int) -> None:
        """Move the cursor; outside ``0..get_size()`` prints an error and does nothing."""
        _check_size(position)
        if position < 0:
            push_error('Condition "p_pos < 0" is true.')
            return
        if position > len(self._data):
            push_error('Condition "p_pos > data.size()" is true.')
            return
        self._pointer = position

    def get_size(self) -> int:
        return len(self._data)

    def get_position(self) -> int:
        return self._pointer

    def resize(self, size: int) -> None:
        """Change the array size (new bytes are zeros); the position is not clamped."""
        _check_size(size)
        if size < 0:
            push_error(f"resize: size must be >= 0, got {size}.")
            return
        if size > len(self._data):
            self._data.extend(bytes(size - len(self._data)))
        else:
            del self._data[size:]

    def set_data_array(self, data: bytes | bytearray | memoryview) -> None:
        """Replace the content and move to position 0 (big_endian is kept)."""
        self._data = bytearray(_as_bytes(data))
        self._pointer = 0

    def get_data_array(self) -> bytes:
        return bytes(self._data)

    def clear(self) -> None:
        """Empty the array and move to position 0 (big_endian is kept)."""
        self._data = bytearray()
        self._pointer = 0

    def duplicate(self) -> StreamPeerBuffer:
        """A new buffer with a copy of the bytes only: position 0, big_endian false (Q11)."""
        copy = StreamPeerBuffer()
        copy._data = bytearray(self._data)
        return copy

    data_array = GodotProperty(get_data_array, set_data_array, default=b"")
