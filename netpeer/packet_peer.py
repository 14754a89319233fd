"""Godot's ``PacketPeer``: the abstract message transport (UDP, WebSocket, PacketPeerStream).

Theory of operation
-------------------
As with ``StreamPeer``, the script-facing API lives here and a transport implements only
four hooks (they mirror ``PacketPeerExtension``'s virtuals):

``_get_packet() -> tuple[Error, bytes]``
    Pop the next packet: ``(OK, payload)`` or ``(error, b"")``.
``_put_packet(data: bytes) -> Error``
    Send one packet. ``put_packet`` never calls it with an empty array (Q13), but
    ``put_var`` may hand over any encoded Variant (never empty in practice).
``_get_available_packet_count() -> int``
``_get_max_packet_size() -> int``

``put_var``/``get_var`` encode and decode with ``netpeer.marshalls``. Godot 4 passes
``allow_objects`` to each ``get_var`` call; Godot 3's ``allow_object_decoding`` property is
kept for code ported from 3.x: when it is on, ``get_var()`` decodes objects whatever its
argument says (Godot 3 ORs the two), see docs/godot-differences.md.
"""

from __future__ import annotations

from typing import Any

from engine.core.error import Error
from engine.core.messages import fail
from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted
from netpeer.marshalls import decode_variant, encode_variant

_OK = Error.OK
_BytesLike = (bytes, bytearray, memoryview)

_ENCODE_BUFFER_MAX_SIZE_DEFAULT = 8 * 1024 * 1024
_ENCODE_BUFFER_MIN = 1024
_ENCODE_BUFFER_MAX = 256 * 1024 * 1024


def _next_power_of_2(value: int) -> int:
    """Godot's ``next_power_of_2`` for unsigned 32-bit values (0 -> 0, 2000 -> 2048)."""
    if value <= 0:
        return 0
    return 1 << (value - 1).bit_length()


class PacketPeer(RefCounted):
    """Abstract packet transport with Variant helpers."""

    _godot_abstract = True  # ClassDB.instantiate() refuses it, like Godot

    def __init__(self) -> None:
        super().__init__()
        self._encode_buffer_max_size = _ENCODE_BUFFER_MAX_SIZE_DEFAULT
        self._last_get_error = _OK
        self._allow_object_decoding = False

    # -- hooks: what a transport implements --------------------------------------------------

    def _get_packet(self) -> tuple[Error, bytes]:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_packet")

    def _put_packet(self, data: bytes) -> Error:
        raise NotImplementedError(f"{type(self).__name__} must implement _put_packet")

    def _get_available_packet_count(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__} must implement _get_available_packet_count"
        )

    def _get_max_packet_size(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement _get_max_packet_size")

    # -- packets -----------------------------------------------------------------------------

    def get_packet(self) -> bytes:
        """Pop the next packet (empty on error; see ``get_packet_error``)."""
        err, data = self._get_packet()
        self._last_get_error = err
        if err != _OK:
            return b""
        return data

    def put_packet(self, buffer: bytes | bytearray | memoryview) -> Error:
        """Send ``buffer`` as one packet; an empty array is a no-op returning OK (Q13)."""
        if type(buffer) is not bytes:
            if not isinstance(buffer, _BytesLike):
                raise TypeError(
                    f"expected bytes, bytearray or memoryview, got {type(buffer).__name__}"
                )
            buffer = bytes(buffer)
        if not buffer:
            return _OK
        return self._put_packet(buffer)

    def get_packet_error(self) -> Error:
        """The error of the last ``get_packet`` call (OK initially)."""
        return self._last_get_error

    def get_available_packet_count(self) -> int:
        return self._get_available_packet_count()

    # -- Variants ----------------------------------------------------------------------------

    def get_var(self, allow_objects: bool = False) -> Any:
        """Pop a packet and decode it as a Variant; None (with an error) on any failure.

        Full objects are decoded when ``allow_objects`` or ``allow_object_decoding`` is
        true (only for trusted peers: decoding instantiates classes and sets properties).
        Like Godot this does not update ``get_packet_error()``.
        """
        err, data = self._get_packet()
        if err == _OK:
            err, value, _ = decode_variant(data, allow_objects or self._allow_object_decoding)
            if err == _OK:
                return value
        return fail(None, f'Condition "err != OK" is true. Returning: Variant() ({err.name})')

    def put_var(self, var: Any, full_objects: bool = False) -> Error:
        """Encode ``var`` and send it as one packet.

        Encodings larger than ``encode_buffer_max_size`` give ``ERR_OUT_OF_MEMORY``.
        """
        err, data = encode_variant(var, full_objects)
        if err != _OK:
            return err
        if not data:
            return _OK
        if len(data) > self._encode_buffer_max_size:
            return fail(
                Error.ERR_OUT_OF_MEMORY,
                "Failed to encode variant, encode size is bigger then encode_buffer_max_size. "
                "Consider raising it via 'set_encode_buffer_max_size'.",
            )
        return self._put_packet(data)

    # -- limits ------------------------------------------------------------------------------

    def set_encode_buffer_max_size(self, max_size: int) -> None:
        """Limit for ``put_var`` encodings: 1 KiB..256 MiB, rounded up to a power of two."""
        if not isinstance(max_size, int):
            raise TypeError(f"expected int, got {type(max_size).__name__}")
        if max_size < _ENCODE_BUFFER_MIN:
            fail(None, "Max encode buffer must be at least 1024 bytes")
            return
        if max_size > _ENCODE_BUFFER_MAX:
            fail(None, "Max encode buffer cannot exceed 256 MiB")
            return
        self._encode_buffer_max_size = _next_power_of_2(max_size)

    def get_encode_buffer_max_size(self) -> int:
        return self._encode_buffer_max_size

    def set_allow_object_decoding(self, enable: bool) -> None:
        """Godot 3.x: let ``get_var()`` decode full objects by default (unsafe with
        untrusted peers). Not in Godot 4, where ``get_var(allow_objects=True)`` does it."""
        self._allow_object_decoding = bool(enable)

    def is_object_decoding_allowed(self) -> bool:
        return self._allow_object_decoding

    encode_buffer_max_size = GodotProperty(
        get_encode_buffer_max_size,
        set_encode_buffer_max_size,
        default=_ENCODE_BUFFER_MAX_SIZE_DEFAULT,
    )
    allow_object_decoding = GodotProperty(
        is_object_decoding_allowed, set_allow_object_decoding, default=False
    )
