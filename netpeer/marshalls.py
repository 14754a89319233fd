"""Godot's binary Variant codec (``core/io/marshalls.cpp``): placeholder, being written."""

from __future__ import annotations

from typing import Any

from engine.core.error import Error
from engine.core.messages import push_error


def encode_variant(value: object, full_objects: bool = False) -> tuple[Error, bytes]:
    """Encode ``value`` like Godot's ``encode_variant``."""
    return Error.ERR_UNAVAILABLE, b""


def decode_variant(
    data: bytes | bytearray | memoryview, allow_objects: bool = False
) -> tuple[Error, Any, int]:
    """Decode one Variant from ``data``: (error, value, bytes consumed)."""
    return Error.ERR_UNAVAILABLE, None, 0


def var_to_bytes(v: object) -> bytes:
    """GDScript ``var_to_bytes``."""
    err, out = encode_variant(v, False)
    if err != Error.OK:
        push_error("Error when trying to encode Variant.")
        return b""
    return out


def var_to_bytes_with_objects(v: object) -> bytes:
    """GDScript ``var_to_bytes_with_objects``."""
    err, out = encode_variant(v, True)
    if err != Error.OK:
        push_error("Error when trying to encode Variant.")
        return b""
    return out


def bytes_to_var(b: bytes | bytearray | memoryview) -> Any:
    """GDScript ``bytes_to_var``."""
    err, value, _ = decode_variant(b, False)
    if err != Error.OK:
        push_error("Error when trying to decode Variant.")
        return None
    return value


def bytes_to_var_with_objects(b: bytes | bytearray | memoryview) -> Any:
    """GDScript ``bytes_to_var_with_objects``."""
    err, value, _ = decode_variant(b, True)
    if err != Error.OK:
        push_error("Error when trying to decode Variant.")
        return None
    return value
