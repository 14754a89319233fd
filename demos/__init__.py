"""netpeer's playable demos; ``python -m demos`` lists them and runs one.

Each demo is a package under ``demos/`` whose ``create()`` returns the scene's root node.
The root may define ``summary() -> str``: the launcher prints it when the demo ends, which
is how a headless run tells what happened.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoInfo:
    """One entry of the launcher's list."""

    name: str
    title: str
    description: str

    def create(self) -> Any:
        """Import the demo's package and build its scene."""
        module = importlib.import_module(f"demos.{self.name}")
        return module.create()


DEMOS: tuple[DemoInfo, ...] = (
    DemoInfo(
        "ws_arena",
        "WebSocket arena",
        "TCPServer + WebSocketPeer: a server and four clients play over loopback sockets; "
        "connection states, rates, RTT and close codes drawn live.",
    ),
    DemoInfo(
        "variant_inspector",
        "Variant inspector",
        "Bouncing nodes whose state is encoded with var_to_bytes every frame; "
        "the bytes and the decoded value are drawn live.",
    ),
)
