"""Godot's ``StreamPeerExtension``: a StreamPeer whose primitives a Python subclass provides.

Override the hooks documented in ``netpeer.stream_peer`` (``_put_data``,
``_put_partial_data``, ``_get_data``, ``_get_partial_data``, ``_get_available_bytes``).
A hook that is not overridden returns ``FAILED`` (``0`` for ``_get_available_bytes``) and
warns once per hook, like Godot's ``WARN_PRINT_ONCE``.

Unlike Godot 4.2, ``put_partial_data`` reaches ``_put_partial_data`` (4.2 dispatches it
to ``_put_data`` by mistake; see docs/godot-differences.md).
"""

from __future__ import annotations

from engine.core.error import Error
from engine.core.messages import push_warning
from netpeer.stream_peer import StreamPeer

_warned: set[str] = set()


def _unimplemented(hook: str) -> None:
    if hook not in _warned:
        _warned.add(hook)
        push_warning(f"StreamPeerExtension::{hook} is unimplemented!")


class StreamPeerExtension(StreamPeer):
    """Subclass and override the ``_get_data``/``_put_data``... hooks."""

    def _put_data(self, data: bytes) -> Error:
        _unimplemented("_put_data")
        return Error.FAILED

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        _unimplemented("_put_partial_data")
        return Error.FAILED, 0

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        _unimplemented("_get_data")
        return Error.FAILED, b""

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        _unimplemented("_get_partial_data")
        return Error.FAILED, b""

    def _get_available_bytes(self) -> int:
        return 0
