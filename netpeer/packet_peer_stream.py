"""Godot's ``PacketPeerStream``: packets framed over any StreamPeer (TCP, TLS, a buffer).

Wire format: a u32 **little-endian** length, then the payload, no padding; the prefix
ignores the StreamPeer's ``big_endian`` (Q8). So a PacketPeerStream reads exactly what
``StreamPeer.put_var`` writes in little-endian mode.

Incoming bytes go into a bounded ring (``2**16 - 1`` bytes by default, Godot's
``network/limits/packet_peer_stream/max_buffer_po2`` = 16); each call first pulls what the
stream has, up to the ring's free space. A frame whose length does not fit the ring can
never complete, so the peer just reports ``ERR_UNAVAILABLE`` from then on, like Godot:
memory stays bounded whatever the length prefix says. Sizes follow Godot (spec §6.2, Q14):
getters report buffer size - 4 (65532), setters round ``n + 4`` up to a power of two, and
the largest receivable packet (65531) is one byte smaller than the largest sendable one.
"""

from __future__ import annotations

import struct

from engine.core.error import Error
from engine.core.messages import fail
from engine.core.properties import GodotProperty
from netpeer._buffers import ReceiveBuffer
from netpeer.packet_peer import PacketPeer
from netpeer.stream_peer import StreamPeer

_OK = Error.OK
_U32LE = struct.Struct("<I")
_MAX_BUFFER_PO2 = 16
"""Godot's project setting ``network/limits/packet_peer_stream/max_buffer_po2``."""


def _po2_buffer_size(max_size: int) -> int:
    """Godot's ``next_power_of_2(p_max_size + 4)`` with its 32-bit int arithmetic."""
    value = (max_size + 4) & 0xFFFFFFFF  # int32 argument, unsigned next_power_of_2
    if value == 0 or value > 0x80000000:
        return 0  # wraps to 0 in Godot's 32-bit next_power_of_2
    return 1 << (value - 1).bit_length()


class PacketPeerStream(PacketPeer):
    """A PacketPeer that frames packets over a ``stream_peer``."""

    def __init__(self) -> None:
        super().__init__()
        self._peer: StreamPeer | None = None
        size = 1 << _MAX_BUFFER_PO2
        self._ring = ReceiveBuffer()
        self._ring_capacity = size - 1  # Godot's RingBuffer keeps one slot free
        # Complete frames already found at the front of the ring, and the bytes they cover,
        # so counting packets is amortised O(1) instead of a rescan on every call.
        self._frames = 0
        self._scanned = 0
        self._input_size = size
        self._output_size = size

    # -- input -------------------------------------------------------------------------------

    def _poll_buffer(self) -> Error:
        """Move what the stream has (up to the ring's free space) into the ring."""
        peer = self._peer
        if peer is None:
            return fail(Error.ERR_UNCONFIGURED, 'Condition "peer.is_null()" is true.')
        space = self._ring_capacity - len(self._ring)
        if space <= 0:
            return _OK
        err, data = peer._get_partial_data(space)
        if err != _OK:
            return err
        if data:
            self._ring.append(data if len(data) <= space else data[:space])
        return _OK

    def _frame_length(self, offset: int) -> int:
        length: int = self._ring.unpack_from(_U32LE, offset)[0]
        return length

    def _reset_ring(self) -> None:
        self._ring.clear()
        self._frames = 0
        self._scanned = 0

    # -- PacketPeer hooks --------------------------------------------------------------------

    def _get_available_packet_count(self) -> int:
        self._poll_buffer()
        offset = self._scanned
        remaining = len(self._ring) - offset
        while remaining >= 4:
            length = self._frame_length(offset)
            if length > remaining - 4:
                break
            offset += 4 + length
            remaining -= 4 + length
            self._frames += 1
        self._scanned = offset
        return self._frames

    def _get_packet(self) -> tuple[Error, bytes]:
        if self._peer is None:
            return fail((Error.ERR_UNCONFIGURED, b""), 'Condition "peer.is_null()" is true.')
        self._poll_buffer()
        remaining = len(self._ring)
        if remaining < 4:
            return fail((Error.ERR_UNAVAILABLE, b""), 'Condition "remaining < 4" is true.')
        length = self._frame_length(0)
        if remaining - 4 < length:
            return fail((Error.ERR_UNAVAILABLE, b""), 'Condition "remaining < (int)len" is true.')
        if self._frames:
            self._frames -= 1
            self._scanned -= 4 + length
        self._ring.discard(4)
        return _OK, self._ring.consume(length)

    def _put_packet(self, data: bytes) -> Error:
        peer = self._peer
        if peer is None:
            return fail(Error.ERR_UNCONFIGURED, 'Condition "peer.is_null()" is true.')
        err = self._poll_buffer()
        if err != _OK:
            return err
        if not data:
            return _OK
        if len(data) + 4 > self._output_size:
            return fail(
                Error.ERR_INVALID_PARAMETER,
                'Condition "p_buffer_size + 4 > output_buffer.size()" is true.',
            )
        return peer._put_data(_U32LE.pack(len(data)) + data)

    def _get_max_packet_size(self) -> int:
        return self._output_size

    # -- PacketPeerStream API ----------------------------------------------------------------

    def set_stream_peer(self, peer: StreamPeer | None) -> None:
        """Use ``peer``; switching to a different peer drops any partially received bytes."""
        if peer is not None and not isinstance(peer, StreamPeer):
            raise TypeError(f"expected a StreamPeer or None, got {type(peer).__name__}")
        if peer is not self._peer:
            self._reset_ring()
        self._peer = peer

    def get_stream_peer(self) -> StreamPeer | None:
        return self._peer

    def set_input_buffer_max_size(self, max_size_bytes: int) -> None:
        """Resize the receive ring to ``next_power_of_2(n + 4)`` (only while it is empty)."""
        if not isinstance(max_size_bytes, int):
            raise TypeError(f"expected int, got {type(max_size_bytes).__name__}")
        if max_size_bytes < 0:
            fail(None, "Max size of input buffer size cannot be smaller than 0.")
            return
        if self._ring:
            fail(None, "Buffer in use, resizing would cause loss of data.")
            return
        size = _po2_buffer_size(max_size_bytes)
        if size == 0:
            fail(None, f"Max size of input buffer is too large: {max_size_bytes}.")
            return
        self._ring_capacity = size - 1
        self._input_size = size

    def get_input_buffer_max_size(self) -> int:
        return self._input_size - 4

    def set_output_buffer_max_size(self, max_size_bytes: int) -> None:
        """Set the send limit to ``next_power_of_2(n + 4)`` bytes including the prefix."""
        if not isinstance(max_size_bytes, int):
            raise TypeError(f"expected int, got {type(max_size_bytes).__name__}")
        self._output_size = _po2_buffer_size(max_size_bytes)

    def get_output_buffer_max_size(self) -> int:
        return self._output_size - 4

    stream_peer = GodotProperty(get_stream_peer, set_stream_peer, default=None)
    input_buffer_max_size = GodotProperty(
        get_input_buffer_max_size, set_input_buffer_max_size, default=(1 << _MAX_BUFFER_PO2) - 4
    )
    output_buffer_max_size = GodotProperty(
        get_output_buffer_max_size, set_output_buffer_max_size, default=(1 << _MAX_BUFFER_PO2) - 4
    )
