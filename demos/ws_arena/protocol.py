"""The arena's wire protocol: what travels inside the WebSocket messages, and its checks.

Every message is one binary WebSocket message holding one Variant ``Dictionary``, encoded
with ``var_to_bytes`` exactly as Godot does, so a GDScript client can join with
``put_var``/``get_var`` and the same dictionaries::

    client -> server                          server -> client
    {"type": "hello", "name": "Ann"}          {"type": "welcome", "id": 2, "ticks_per_second": 60,
    {"type": "input", "dir": Vector2(1, 0)}    "snapshot_rate": 20, "arena": Vector2(520, 470)}
    {"type": "ping", "t": 1234567}            {"type": "state", "tick": 841,
                                               "players": {2: [Vector2, Color, score, "Ann"]},
                                               "orbs": [Vector2, ...]}
                                              {"type": "pong", "t": 1234567}
                                              {"type": "event", "text": "Ann joined"}

The server is *authoritative*: clients only say where they want to go (a direction), the
server moves everybody and sends snapshots of the whole world ``snapshot_rate`` times a
second. Players are Arrays rather than Dictionaries because every key would cost bytes in
every snapshot (a one-letter String key is 8 bytes).

``PacketPeer.put_var(value)`` is ``put_packet(var_to_bytes(value))`` and ``get_var()`` is
``bytes_to_var(get_packet())``; the demo uses the explicit form so it can count the bytes.
Never trust what arrives: ``parse_client_message`` checks every field the server uses.
"""

from __future__ import annotations

import math
from typing import Any

from engine.core.variant.vector2 import Vector2
from netpeer.marshalls import decode_variant, var_to_bytes

ARENA_SIZE = Vector2(520, 470)
SNAPSHOT_RATE = 20
"""World snapshots per second (the physics simulation runs faster, at 60 ticks/s)."""
MAX_NAME_LENGTH = 16
MAX_MESSAGE_BYTES = 4096
"""Client messages are tiny; anything bigger is refused unread (see ``inbound_buffer_size``)."""

Message = dict[str, Any]


def encode(message: Message) -> bytes:
    """``var_to_bytes(message)``: the payload of one binary WebSocket message."""
    return var_to_bytes(message)


def decode(data: bytes) -> Message | None:
    """``bytes_to_var(data)`` if it is a Dictionary with a String ``"type"``, else None.

    Uses ``decode_variant`` (what ``bytes_to_var`` wraps) so that garbage from the network
    is refused quietly instead of printing an error per packet; objects are never decoded.
    """
    err, value, _ = decode_variant(data, False)
    if err != 0 or not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    return value


# -- client -> server ---------------------------------------------------------------------------


def hello(name: str) -> Message:
    return {"type": "hello", "name": name}


def input_message(direction: Vector2) -> Message:
    return {"type": "input", "dir": direction}


def ping(ticks_usec: int) -> Message:
    return {"type": "ping", "t": ticks_usec}


def parse_client_message(data: bytes) -> Message | None:
    """Decode and validate one client message; None if it is not one we accept."""
    if len(data) > MAX_MESSAGE_BYTES:
        return None
    message = decode(data)
    if message is None:
        return None
    kind = message["type"]
    if kind == "hello":
        name = message.get("name")
        if not isinstance(name, str):
            return None
        clean = "".join(ch for ch in name if ch.isprintable()).strip()[:MAX_NAME_LENGTH]
        return hello(clean or "Player")
    if kind == "input":
        direction = message.get("dir")
        if not isinstance(direction, Vector2):
            return None
        if not (math.isfinite(direction.x) and math.isfinite(direction.y)):
            return None
        return input_message(direction.limit_length(1.0))
    if kind == "ping":
        t = message.get("t")
        return ping(t) if isinstance(t, int) and not isinstance(t, bool) else None
    return None


# -- server -> client ---------------------------------------------------------------------------


def welcome(peer_id: int, ticks_per_second: int) -> Message:
    return {
        "type": "welcome",
        "id": peer_id,
        "ticks_per_second": ticks_per_second,
        "snapshot_rate": SNAPSHOT_RATE,
        "arena": ARENA_SIZE,
    }


def pong(ticks_usec: int) -> Message:
    return {"type": "pong", "t": ticks_usec}


def event(text: str) -> Message:
    return {"type": "event", "text": text}
