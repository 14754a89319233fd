"""The demo's root node: builds the server and the clients, and stops them cleanly.

One process can be the server and several clients at once, talking over real loopback
sockets: the scene is ``ArenaDemo`` with children ``Server`` (``ArenaServer``), ``You``
and the bots (``ArenaClient``s) and ``View`` (``ArenaView``). ``ArenaConfig.mode`` also
makes it a standalone server (``"server"``) or clients of another machine (``"client"``).

Stopping cleanly. When the tree exits, ``_exit_tree`` closes every client with
``close(1000, "demo over")`` and *keeps polling* server and clients until both sides of
every connection reached STATE_CLOSED (the closing handshake needs both), then the server
closes what is left with 1001 and ``TCPServer.stop()``. A Godot game does the same from
``NOTIFICATION_WM_CLOSE_REQUEST`` over a few frames; here the loop is bounded by
``SHUTDOWN_TIMEOUT`` and takes a millisecond or two on loopback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from demos.ws_arena.client import ArenaClient, Pilot
from demos.ws_arena.pilots import BotPilot, KeyboardPilot
from demos.ws_arena.protocol import ARENA_SIZE, SNAPSHOT_RATE
from demos.ws_arena.server import ArenaServer
from demos.ws_arena.view import ArenaView
from demos.ws_arena.world import player_color
from engine.core.engine import Engine
from engine.core.variant.color import Color
from engine.core.variant.vector2 import Vector2
from engine.scene.node import Node
from netpeer.tls_options import TLSOptions

SHUTDOWN_TIMEOUT = 1.0
MAX_EVENTS = 200
BOT_NAMES = ("Bot Ada", "Bot Bix", "Bot Cy", "Bot Dot", "Bot Eli", "Bot Fay")


@dataclass
class ArenaConfig:
    """What to run: ``mode`` is ``"local"`` (server + clients), ``"server"`` or ``"client"``."""

    mode: str = "local"
    port: int = 0
    bind_address: str = "127.0.0.1"
    url: str = ""
    """For ``"client"``: the server's ``ws://`` or ``wss://`` URL."""
    bots: int = 2
    roamer: bool = True
    """Add a bot that leaves cleanly and comes back (``roam`` seconds: stay, away)."""
    roam: tuple[float, float] = (6.0, 2.0)
    player: bool = True
    """A client "You" steered by the keyboard (on autopilot until a key is pressed)."""
    tls: bool = False
    """wss://: the server uses netpeer's development certificate for ``localhost``."""
    seed: int = 7
    print_events: bool = False
    """Also print every event line to stdout as it happens (for headless servers)."""


def _dev_tls() -> tuple[TLSOptions, TLSOptions]:
    """Server and client TLS options from the development certificate for localhost."""
    from netpeer._dev_certificate import localhost_key_and_certificate

    key, certificate = localhost_key_and_certificate()
    return TLSOptions.server(key, certificate), TLSOptions.client(certificate)


def client_tls_options(url: str) -> TLSOptions | None:
    """wss:// to this machine trusts the development certificate; elsewhere the system CAs."""
    if not url.startswith("wss://"):
        return None
    host = url[len("wss://") :].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    if host in ("localhost", "127.0.0.1", "::1"):
        return _dev_tls()[1]
    return TLSOptions.client()


class ArenaDemo(Node):
    """Root of the WebSocket arena; ``summary()`` reports what happened."""

    def __init__(self, config: ArenaConfig | None = None) -> None:
        super().__init__()
        self.name = "WebSocketArena"
        self.process_mode = Node.PROCESS_MODE_ALWAYS
        self.config = config or ArenaConfig()
        self.server: ArenaServer | None = None
        self.clients: list[ArenaClient] = []
        self.watched: ArenaClient | None = None
        self.keyboard: KeyboardPilot | None = None
        self.events: list[tuple[float, str]] = []
        self.url = self.config.url
        self.view = ArenaView(self)
        self._started = time.monotonic()
        self._ended = self._started
        self._frames_at_start = 0
        self._physics_at_start = 0
        self._max_open = 0
        self._shut_down = False
        self._final_scores: dict[str, int] = {}

    # -- building the scene ---------------------------------------------------------------------

    def _ready(self) -> None:
        cfg = self.config
        self._started = time.monotonic()
        self._frames_at_start = Engine.get_process_frames()
        self._physics_at_start = Engine.get_physics_frames()
        client_tls: TLSOptions | None = None
        if cfg.mode in ("local", "server"):
            server_tls = None
            if cfg.tls:
                server_tls, client_tls = _dev_tls()
            self.server = ArenaServer(cfg.port, cfg.bind_address, server_tls, seed=cfg.seed)
            self.server.log_message.connect(self.log)
            self.add_child(self.server)  # _ready() listens: the port is known right after.
            host = "localhost" if cfg.tls else "127.0.0.1"
            self.url = f"{'wss' if cfg.tls else 'ws'}://{host}:{self.server.port}/"
        else:
            client_tls = client_tls_options(self.url)
        if cfg.mode in ("local", "client"):
            if cfg.player:
                self.keyboard = KeyboardPilot(cfg.seed)
                self._add_client("You", self.keyboard, client_tls)
            for i in range(cfg.bots):
                name = BOT_NAMES[i % len(BOT_NAMES)]
                self._add_client(name, BotPilot(cfg.seed + 1 + i), client_tls)
            if cfg.roamer:
                self._add_client("Roamer", BotPilot(cfg.seed + 99), client_tls, roam=cfg.roam)
        self.watched = self.clients[0] if self.clients else None
        if self.watched is not None and self.server is None:
            self.watched.server_event.connect(self.log)
        self.add_child(self.view)

    def _add_client(
        self,
        name: str,
        pilot: Pilot,
        tls: TLSOptions | None,
        roam: tuple[float, float] | None = None,
    ) -> None:
        client = ArenaClient(self.url, name, pilot, tls, roam=roam)
        client.log_message.connect(self.log)
        self.clients.append(client)
        self.add_child(client)

    def log(self, text: str) -> None:
        stamp = time.monotonic() - self._started
        self.events.append((stamp, text))
        del self.events[:-MAX_EVENTS]
        if self.config.print_events:
            print(f"{stamp:7.2f}  {text}", flush=True)

    # -- every frame ------------------------------------------------------------------------------

    def _process(self, delta: float) -> None:
        self._ended = time.monotonic()
        if self.server is not None:
            self._max_open = max(self._max_open, len(self.server.world.players))

    def _input(self, event: Any) -> None:
        from engine.platform.pygame_input import PygameInput

        if self.keyboard is not None and self.keyboard.handle_input(event):
            return
        tree = self.get_tree()
        if PygameInput.is_key_pressed(event, "escape") and tree is not None:
            tree.quit()
        elif PygameInput.is_key_pressed(event, "g"):
            self.view.show_rings = not self.view.show_rings
        elif PygameInput.is_key_pressed(event, "tab"):
            self.view.show_gdscript = not self.view.show_gdscript
        elif PygameInput.is_key_pressed(event, "v") and self.clients:
            index = self.clients.index(self.watched) if self.watched in self.clients else -1
            self.watched = self.clients[(index + 1) % len(self.clients)]
        elif PygameInput.is_key_pressed(event, "r") and self.clients:
            self.clients[0].reconnect(0.5)

    # -- stopping ---------------------------------------------------------------------------------

    def _exit_tree(self) -> None:
        self.shutdown()

    def shutdown(self, timeout: float = SHUTDOWN_TIMEOUT) -> None:
        """Close every connection with a proper closing handshake, then stop the server."""
        if self._shut_down:
            return
        self._shut_down = True
        self._ended = time.monotonic()
        self._final_scores = {c.player_name: s for c, s in self._client_scores()}
        for client in self.clients:
            client.leave(1000, "demo over", stop=True)  # GDScript: ws.close(1000, "demo over")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._all_closed():
            for client in self.clients:
                client.poll_network()
            if self.server is not None:
                self.server.poll_peers()
            time.sleep(0.0005)
        for client in self.clients:
            if not client.is_closed():
                client.ws.close(-1)  # The server never answered: drop the connection.
                client.poll_network()
        if self.server is not None:
            self.server.stop(timeout)

    def _all_closed(self) -> bool:
        clients_closed = all(c.is_closed() for c in self.clients)
        if self.server is None or self.config.mode == "server":
            return clients_closed
        return clients_closed and self.server.all_closed()

    # -- queries for the view and the report -------------------------------------------------

    def describe_setup(self) -> str:
        if self.server is not None and self.clients:
            where = f"server {self.url} + {len(self.clients)} clients in one process"
        elif self.server is not None:
            where = f"server on port {self.server.port} ({self.config.bind_address})"
        else:
            where = f"{len(self.clients)} clients of {self.url}"
        return f"{where}, {SNAPSHOT_RATE} snapshots/s"

    def arena_size(self) -> Vector2:
        return self.server.world.size if self.server is not None else ARENA_SIZE

    def scores(self) -> dict[int, int]:
        watched = self.watched
        source = watched or (self.clients[0] if self.clients else None)
        if source is not None and source.snapshots:
            return {p.id: p.score for p in source.snapshots[-1].players.values()}
        if self.server is not None:
            return {p.id: p.score for p in self.server.world.players.values()}
        return {}

    def _client_scores(self) -> list[tuple[ArenaClient, int]]:
        scores = self.scores()
        return [(c, scores[c.id]) for c in self.clients if c.id in scores]

    def color_of(self, client: ArenaClient) -> Color:
        if client.id:
            return player_color(client.id)
        return Color(0.4, 0.42, 0.48)

    def report(self) -> dict[str, Any]:
        """The numbers behind ``summary()``."""
        seconds = max(0.001, self._ended - self._started)
        server = self.server
        out: dict[str, Any] = {
            "seconds": seconds,
            "frames": Engine.get_process_frames() - self._frames_at_start,
            "physics_ticks": Engine.get_physics_frames() - self._physics_at_start,
            "url": self.url,
            "scores": dict(self._final_scores),
            "clients": [
                {
                    "name": c.player_name,
                    "opens": c.opens,
                    "closes": list(c.closes),
                    "connect_ms": list(c.connect_ms),
                    "ping_ms": list(c.ping_samples),
                    "heartbeat_rtt_ms": c.heartbeat_rtt_ms,
                    "messages_in": c.traffic.messages_in,
                    "messages_out": c.traffic.messages_out,
                    "bytes_in": c.traffic.bytes_in,
                    "bytes_out": c.traffic.bytes_out,
                }
                for c in self.clients
            ],
        }
        if server is not None:
            out["server"] = {
                "port": server.port,
                "handshakes": server.handshakes,
                "max_players": self._max_open,
                "snapshots": server.snapshots_sent,
                "messages_in": server.traffic.messages_in,
                "messages_out": server.traffic.messages_out,
                "bytes_in": server.traffic.bytes_in,
                "bytes_out": server.traffic.bytes_out,
                "closes": [(c.code, c.reason) for c in server.closed if c.was_open],
                "orbs_eaten": server.world.orbs_eaten,
            }
        return out

    def summary(self) -> str:
        """A short human report of the run (the launcher prints it at the end)."""
        r = self.report()
        lines = [
            f"WebSocket arena: {self.describe_setup()}; ran {r['seconds']:.2f} s, "
            f"{r['frames']} frames, {r['physics_ticks']} physics ticks"
        ]
        s = r.get("server")
        if s is not None:
            codes = [code for code, _ in s["closes"]]
            clean = sum(1 for code in codes if code >= 1000)
            lines += [
                f"  server: {s['handshakes']} WebSocket handshakes "
                f"(TCPServer.take_connection + WebSocketPeer.accept_stream), "
                f"up to {s['max_players']} players at once",
                f"  server sent {s['messages_out']} messages / {_kb(s['bytes_out'])} "
                f"({s['snapshots']} snapshots), received {s['messages_in']} messages / "
                f"{_kb(s['bytes_in'])}",
                f"  server saw {len(codes)} closes, {clean} clean: {_codes(s['closes'])}",
            ]
        for c in r["clients"]:
            pings = c["ping_ms"]
            ping = f"ping {sum(pings) / len(pings):.2f} ms" if pings else "no ping answered"
            rtt = c["heartbeat_rtt_ms"]
            rtt_text = f"heartbeat RTT {rtt:.2f} ms" if rtt >= 0 else "no heartbeat RTT yet"
            opened = (
                f"OPEN x{c['opens']} (first after {c['connect_ms'][0]:.1f} ms)"
                if c["connect_ms"]
                else "never OPEN"
            )
            lines.append(
                f"  {c['name']}: {opened}; in {c['messages_in']} msgs / {_kb(c['bytes_in'])}, "
                f"out {c['messages_out']} msgs / {_kb(c['bytes_out'])}; {ping}, {rtt_text}; "
                f"closes: {_codes(c['closes'])}"
            )
        if r["clients"]:
            lines.append(
                "  (ping: our ping/pong messages; heartbeat RTT: WebSocket ping/pong frames. "
                "Each includes the wait for the next poll(), about one frame at 60 fps.)"
            )
        if r["scores"]:
            board = ", ".join(f"{name} {score}" for name, score in r["scores"].items())
            lines.append(f"  scores: {board}")
        return "\n".join(lines)


def _kb(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KB"


def _codes(closes: list[tuple[int, str]]) -> str:
    if not closes:
        return "none"
    return ", ".join(f"{code} '{reason}'" if reason else str(code) for code, reason in closes)
