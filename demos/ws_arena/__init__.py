"""WebSocket arena: Godot's ``TCPServer`` + ``WebSocketPeer`` running a tiny authoritative game.

One process is the server and four clients at once, over real loopback sockets. Every
client is a coloured disc chasing orbs: it sends its wanted direction with ``put_var``, the
server simulates on fixed ``_physics_process`` ticks and broadcasts the world 20 times a
second, and each client draws it interpolated. In a window you steer "You" with the arrow
keys or WASD; the panel on the right shows connection states (STATE_CONNECTING -> OPEN ->
CLOSING -> CLOSED), messages and bytes per second, round-trip times and close codes, and
Tab shows the GDScript equivalent. The bot "Roamer" leaves with ``close(1000)`` now and
then and comes back.

Modules, in reading order: ``protocol`` (the messages), ``server``, ``client``, ``world``
(the game), ``pilots`` (bots and keyboard), ``view`` (drawing), ``arena`` (the root node).

Run it with ``python -m demos`` (first demo) or ``python -m demos.ws_arena``, which also
runs a standalone server (``--server 9080``) or joins one (``--connect ws://host:9080/``).
"""

from __future__ import annotations

from demos.ws_arena.arena import ArenaConfig, ArenaDemo
from engine.platform import is_headless_environment

HEADLESS_ROAM = (1.2, 0.5)
"""Headless runs last 3 s: Roamer leaves after 1.2 s and is back 0.5 s later."""


def create(config: ArenaConfig | None = None) -> ArenaDemo:
    """Build the demo's root node (server and clients in one process by default)."""
    if config is None:
        config = ArenaConfig()
        if is_headless_environment():
            config.roam = HEADLESS_ROAM
    return ArenaDemo(config)


__all__ = ["ArenaConfig", "ArenaDemo", "create"]
