"""Godot's ``PacketPeerExtension``: a PacketPeer whose primitives a Python subclass provides.

Override the hooks documented in ``netpeer.packet_peer`` (``_get_packet``,
``_put_packet``, ``_get_available_packet_count``, ``_get_max_packet_size``). An
unimplemented ``_get_packet``/``_put_packet`` returns ``FAILED`` and warns once, like
Godot's ``WARN_PRINT_ONCE``; the two counters return 0.
"""

from __future__ import annotations

from engine.core.error import Error
from engine.core.messages import push_warning
from netpeer.packet_peer import PacketPeer

_warned: set[str] = set()


def _unimplemented(hook: str) -> None:
    if hook not in _warned:
        _warned.add(hook)
        push_warning(f"PacketPeerExtension::{hook} is unimplemented!")


class PacketPeerExtension(PacketPeer):
    """Subclass and override the ``_get_packet``/``_put_packet``... hooks."""

    def _get_packet(self) -> tuple[Error, bytes]:
        _unimplemented("_get_packet")
        return Error.FAILED, b""

    def _put_packet(self, data: bytes) -> Error:
        _unimplemented("_put_packet")
        return Error.FAILED

    def _get_available_packet_count(self) -> int:
        return 0

    def _get_max_packet_size(self) -> int:
        return 0
