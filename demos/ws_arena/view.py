"""What the window shows: the arena through one client's eyes, and the networking beside it.

Left: the arena as the watched client draws it (discs interpolated 100 ms in the past),
with the server's authoritative positions as thin rings on top, so the delay that
interpolation costs is visible. Right: the server's and every client's connection state,
message and byte rates, round-trip times and close codes, then the event log (or, with
Tab, the GDScript this demo is made of). Everything is redrawn every frame with the
``CanvasItem.draw_*`` calls; nothing here touches the network.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from demos.ws_arena.client import STATE_NAMES, ArenaClient, DrawnPlayer
from demos.ws_arena.world import ORB_RADIUS, PLAYER_RADIUS
from engine.core.engine import Engine
from engine.core.variant.color import Color
from engine.core.variant.rect2 import Rect2
from engine.core.variant.vector2 import Vector2
from engine.scene.canvas_item import CanvasItem
from engine.scene.node_2d import Node2D
from netpeer.websocket_peer import WebSocketPeer

if TYPE_CHECKING:
    from demos.ws_arena.arena import ArenaDemo

SCREEN = Vector2(960, 540)
ARENA_ORIGIN = Vector2(12, 40)
PANEL_X = 550.0
PANEL_WIDTH = 398.0

BACKGROUND = Color(0.055, 0.063, 0.09)
FLOOR = Color(0.1, 0.11, 0.15)
GRID = Color(1, 1, 1, 0.035)
BORDER = Color(0.3, 0.34, 0.44)
TEXT = Color(0.9, 0.92, 0.95)
DIM = Color(0.55, 0.6, 0.68)
ACCENT = Color(1.0, 0.78, 0.3)
ORB = Color(1.0, 0.86, 0.35)
CODE = Color(0.62, 0.85, 1.0)
STATE_COLORS: dict[int, Color] = {
    WebSocketPeer.STATE_CONNECTING: Color(1.0, 0.78, 0.3),
    WebSocketPeer.STATE_OPEN: Color(0.45, 0.9, 0.5),
    WebSocketPeer.STATE_CLOSING: Color(1.0, 0.55, 0.3),
    WebSocketPeer.STATE_CLOSED: Color(0.95, 0.4, 0.4),
}

GDSCRIPT = """\
# Server, every frame: accept, then poll every peer.
while tcp_server.is_connection_available():
    var ws := WebSocketPeer.new()
    ws.accept_stream(tcp_server.take_connection())
    peers[next_id] = ws
for id in peers:
    peers[id].poll()
    while peers[id].get_available_packet_count():
        handle(id, bytes_to_var(peers[id].get_packet()))
# Server, 20 times a second: one encoding, many sends.
var bytes := var_to_bytes(world.snapshot())
for id in peers: peers[id].put_packet(bytes)
# Client
ws.connect_to_url("ws://127.0.0.1:9080/")
ws.poll()  # every frame
if ws.get_ready_state() == WebSocketPeer.STATE_OPEN:
    ws.put_var({"type": "input", "dir": direction})
ws.close(1000, "bye")  # then poll until STATE_CLOSED"""


def _kb_per_second(rate: float) -> str:
    return f"{rate / 1024:.1f} KB/s" if rate >= 1024 else f"{rate:.0f} B/s"


def _ms(value: float) -> str:
    if value < 0:
        return "-"
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


class ArenaView(Node2D):
    """Draws the demo; reads the ArenaDemo's server, clients and event log."""

    def __init__(self, demo: ArenaDemo) -> None:
        super().__init__()
        self.name = "View"
        self.demo = demo
        self.show_rings = True
        self.show_gdscript = False

    def _process(self, delta: float) -> None:
        self.queue_redraw()

    def _draw(self) -> None:
        self.draw_rect(Rect2(Vector2(), SCREEN), BACKGROUND)
        self._draw_header()
        self._draw_arena()
        self._draw_server_panel(62)
        y = self._draw_clients_panel(148)
        if self.show_gdscript:
            self._draw_gdscript(y + 18)
        else:
            self._draw_events(y + 18)
        self._text(
            Vector2(12, 530),
            "Arrows/WASD move   P autopilot   R reconnect   G rings   V view   "
            "Tab GDScript   Esc quit",
            15,
            DIM,
        )

    def _text(
        self,
        pos: Vector2,
        text: str,
        size: int = 16,
        color: Color = TEXT,
        width: float = -1,
        align: int = CanvasItem.HORIZONTAL_ALIGNMENT_RIGHT,
    ) -> None:
        """Text at ``pos`` (baseline); with a ``width``, right-aligned (or ``align``) in it."""
        self.draw_string(None, pos, text, align, width, font_size=size, modulate=color)

    def _ring(self, center: Vector2, radius: float, color: Color, width: float = 2.0) -> None:
        points = [
            center + Vector2(math.cos(a), math.sin(a)) * radius
            for a in (i * math.tau / 28 for i in range(29))
        ]
        self.draw_polyline(points, color, width)

    # -- header and arena -------------------------------------------------------------------------

    def _draw_header(self) -> None:
        demo = self.demo
        self._text(Vector2(12, 27), "WebSocket arena", 26, ACCENT)
        self._text(Vector2(180, 27), demo.describe_setup(), 16, DIM)
        fps = f"{Engine.get_frames_per_second():.0f} fps"
        self._text(Vector2(PANEL_X, 27), fps, 16, DIM, PANEL_WIDTH)

    def _draw_arena(self) -> None:
        watched = self.demo.watched
        size = watched.arena_size if watched is not None else self.demo.arena_size()
        rect = Rect2(ARENA_ORIGIN, size)
        self.draw_rect(rect, FLOOR)
        for x in range(40, int(size.x), 40):
            top = ARENA_ORIGIN + Vector2(x, 0)
            self.draw_line(top, top + Vector2(0, size.y), GRID)
        for y in range(40, int(size.y), 40):
            left = ARENA_ORIGIN + Vector2(0, y)
            self.draw_line(left, left + Vector2(size.x, 0), GRID)
        self.draw_rect(rect, BORDER, False, 2)

        players, orbs, me = self._world_to_draw()
        for orb in orbs:
            center = ARENA_ORIGIN + orb
            self.draw_circle(center, ORB_RADIUS * 2.2, Color(ORB.r, ORB.g, ORB.b, 0.12))
            self.draw_circle(center, ORB_RADIUS, ORB)
            self.draw_circle(center - Vector2(2, 2), ORB_RADIUS * 0.35, Color(1, 1, 0.9))
        for p in players:
            self._draw_player(p, p.id == me)
        server = self.demo.server
        if self.show_rings and server is not None and watched is not None:
            for truth in server.world.players.values():
                c = truth.color
                ring = Color(c.r, c.g, c.b, 0.7)
                self._ring(ARENA_ORIGIN + truth.position, PLAYER_RADIUS + 4, ring)
        keyboard = self.demo.keyboard
        if keyboard is not None and watched is self.demo.clients[0]:
            hint = (
                "You: autopilot - press an arrow key or WASD to take over"
                if keyboard.use_autopilot
                else "You: keyboard (P: autopilot)"
            )
            self._text(ARENA_ORIGIN + Vector2(8, 18), hint, 15, DIM)
        legend = self._legend(watched)
        self._text(ARENA_ORIGIN + Vector2(8, size.y - 8), legend, 15, DIM)

    def _legend(self, watched: ArenaClient | None) -> str:
        if watched is None:
            return "The server's own world (no client in this process)."
        text = f"Discs: what {watched.player_name} draws, 100 ms in the past."
        if self.show_rings and self.demo.server is not None:
            text += "  Rings: the server, now."
        return text

    def _world_to_draw(self) -> tuple[list[DrawnPlayer], list[Vector2], int]:
        watched = self.demo.watched
        if watched is not None:
            return watched.get_interpolated_players(), watched.get_orbs(), watched.id
        server = self.demo.server
        if server is None:
            return [], [], 0
        world = server.world
        players = [
            DrawnPlayer(p.id, p.name, p.color, p.position, p.score) for p in world.players.values()
        ]
        return players, list(world.orbs), 0

    def _draw_player(self, p: DrawnPlayer, is_me: bool) -> None:
        center = ARENA_ORIGIN + p.position
        self.draw_circle(center + Vector2(3, 4), PLAYER_RADIUS, Color(0, 0, 0, 0.35))
        self.draw_circle(center, PLAYER_RADIUS, p.color)
        self.draw_circle(center - Vector2(5, 5), PLAYER_RADIUS * 0.3, p.color.lightened(0.5))
        if is_me:
            self._ring(center, PLAYER_RADIUS + 2, Color(1, 1, 1), 2.5)
        label = f"{p.name}  {p.score}"
        center_align = CanvasItem.HORIZONTAL_ALIGNMENT_CENTER
        self._text(center + Vector2(-60, -PLAYER_RADIUS - 6), label, 15, TEXT, 120, center_align)

    # -- panels -----------------------------------------------------------------------------------

    def _heading(self, y: float, title: str, note: str) -> None:
        self._text(Vector2(PANEL_X, y), title, 20, ACCENT)
        self._text(Vector2(PANEL_X + 84, y), note, 15, DIM)

    def _draw_server_panel(self, y: float) -> None:
        server = self.demo.server
        if server is None:
            self._heading(y, "SERVER", f"remote: {self.demo.url}")
            self._text(Vector2(PANEL_X, y + 22), "(this process only runs clients)", 16, DIM)
            return
        self._heading(y, "SERVER", "TCPServer + one WebSocketPeer per connection")
        open_peers = sum(1 for r in server.peers.values() if r.state == WebSocketPeer.STATE_OPEN)
        t = server.traffic
        self._text(
            Vector2(PANEL_X, y + 22),
            f"port {server.port}   {open_peers} peers OPEN   tick {server.tick}   "
            f"{server.snapshots_sent} snapshots",
            16,
        )
        self._text(
            Vector2(PANEL_X, y + 42),
            f"out {t.messages_out_per_second:.0f} msg/s {_kb_per_second(t.bytes_out_per_second)}"
            f"    in {t.messages_in_per_second:.0f} msg/s {_kb_per_second(t.bytes_in_per_second)}",
            16,
        )
        closes = server.closed[-3:]
        if closes:
            last = ", ".join(f"{c.name or c.id}: {c.code}" for c in closes)
            self._text(Vector2(PANEL_X, y + 62), f"last closes  {last}", 15, DIM)

    def _draw_clients_panel(self, y: float) -> float:
        self._heading(y, "CLIENTS", "one WebSocketPeer each, real sockets")
        y += 22
        self._text(Vector2(PANEL_X, y), "name", 14, DIM)
        self._text(Vector2(PANEL_X + 94, y), "state", 14, DIM)
        self._text(Vector2(PANEL_X + 160, y), "score", 14, DIM, 48)
        self._text(Vector2(PANEL_X + 208, y), "ping ms", 14, DIM, 44)
        self._text(Vector2(PANEL_X + 252, y), "msg in/out /s", 14, DIM, 96)
        self._text(Vector2(PANEL_X + 348, y), "close", 14, DIM, 50)
        scores = self.demo.scores()
        for client in self.demo.clients:
            y += 20
            self._draw_client_row(client, y, scores.get(client.id))
        return y

    def _draw_client_row(self, client: ArenaClient, y: float, score: int | None) -> None:
        color = self.demo.color_of(client)
        self.draw_circle(Vector2(PANEL_X + 5, y - 5), 5, color)
        marker = "*" if client is self.demo.watched else ""
        self._text(Vector2(PANEL_X + 14, y), client.player_name + marker, 16)
        state = client.state
        self._text(Vector2(PANEL_X + 94, y), STATE_NAMES[state], 16, STATE_COLORS[state])
        self._text(Vector2(PANEL_X + 160, y), "-" if score is None else str(score), 16, TEXT, 48)
        self._text(Vector2(PANEL_X + 208, y), _ms(client.ping_ms), 16, TEXT, 44)
        t = client.traffic
        rates = f"{t.messages_in_per_second:.0f} / {t.messages_out_per_second:.0f}"
        self._text(Vector2(PANEL_X + 252, y), rates, 16, TEXT, 96)
        close = str(client.closes[-1][0]) if client.closes else "-"
        self._text(Vector2(PANEL_X + 348, y), close, 16, TEXT, 50)

    def _draw_events(self, y: float) -> None:
        self._heading(y, "EVENTS", "connection states, joins, close codes")
        for stamp, text in self.demo.events[-10:]:
            y += 19
            self._text(Vector2(PANEL_X, y), f"{stamp:6.2f}", 15, DIM)
            self._text(Vector2(PANEL_X + 46, y), text, 15, TEXT)

    def _draw_gdscript(self, y: float) -> None:
        self._heading(y, "GDSCRIPT", "the same calls, in Godot")
        for line in GDSCRIPT.splitlines():
            y += 14
            color = DIM if line.lstrip().startswith("#") else CODE
            self._text(Vector2(PANEL_X, y), line, 14, color)
