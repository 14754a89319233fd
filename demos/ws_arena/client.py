"""An arena client: one ``WebSocketPeer`` that connects, sends input and draws what it hears.

The life of a client, as GDScript would write it::

    var ws := WebSocketPeer.new()
    ws.connect_to_url("ws://127.0.0.1:9080/")      # STATE_CONNECTING
    func _process(delta):
        ws.poll()                                   # drives the handshake and all I/O
        match ws.get_ready_state():
            WebSocketPeer.STATE_OPEN:               # handshake done: talk
                while ws.get_available_packet_count():
                    handle(bytes_to_var(ws.get_packet()))
                ws.put_var({"type": "input", "dir": direction})
            WebSocketPeer.STATE_CLOSED:             # over: why?
                print(ws.get_close_code(), ws.get_close_reason())

``close(1000, "bye")`` starts the closing handshake (STATE_CLOSING); keep polling until the
server echoes it and the state is CLOSED. A connection that ends without that handshake
reports code -1.

Snapshots arrive ``snapshot_rate`` (20) times a second but the screen runs at 60 fps, so
the client draws the world ``INTERPOLATION_DELAY`` in the past, blending the two snapshots
around that moment: smooth motion at the cost of 100 ms of delay. (A real game would
also *predict* its own disc to hide that delay; on loopback it is not needed.)
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from demos.ws_arena import protocol
from demos.ws_arena.traffic import Traffic
from engine.core.error import Error
from engine.core.signal import signal
from engine.core.time import Time
from engine.core.variant.color import Color
from engine.core.variant.vector2 import Vector2
from engine.scene.node import Node
from netpeer.tls_options import TLSOptions
from netpeer.websocket_peer import WebSocketPeer

HEARTBEAT_INTERVAL = 0.5
INTERPOLATION_DELAY = 0.1
"""Seconds in the past the world is drawn: two snapshot intervals at 20 snapshots/s."""
PING_INTERVAL = 1.0
INPUT_RATE = 30.0
"""At most this many input messages per second, and only when the direction changes."""
RETRY_SECONDS = 2.0
MAX_SNAPSHOTS = 32

STATE_NAMES: dict[int, str] = {
    WebSocketPeer.STATE_CONNECTING: "CONNECTING",
    WebSocketPeer.STATE_OPEN: "OPEN",
    WebSocketPeer.STATE_CLOSING: "CLOSING",
    WebSocketPeer.STATE_CLOSED: "CLOSED",
}


class Pilot(Protocol):
    def steer(self, me: Vector2 | None, orbs: Sequence[Vector2], delta: float) -> Vector2: ...


@dataclass
class DrawnPlayer:
    id: int
    name: str
    color: Color
    position: Vector2
    score: int


@dataclass
class Snapshot:
    time: float
    """Server time in seconds: ``tick / ticks_per_second``."""
    received_at: float
    players: dict[int, DrawnPlayer]
    orbs: list[Vector2]


def _parse_state(message: protocol.Message, ticks_per_second: int, now: float) -> Snapshot | None:
    """Turn a ``state`` message into a Snapshot; a client checks what a server sends, too."""
    tick, players, orbs = message.get("tick"), message.get("players"), message.get("orbs")
    if not isinstance(tick, int) or not isinstance(players, dict) or not isinstance(orbs, list):
        return None
    drawn: dict[int, DrawnPlayer] = {}
    for peer_id, entry in players.items():
        if isinstance(peer_id, int) and isinstance(entry, list) and len(entry) == 4:
            pos, color, score, name = entry
            if (
                isinstance(pos, Vector2)
                and isinstance(color, Color)
                and isinstance(score, int)
                and isinstance(name, str)
            ):
                drawn[peer_id] = DrawnPlayer(peer_id, name, color, pos, score)
    points = [o for o in orbs if isinstance(o, Vector2)]
    return Snapshot(tick / max(1, ticks_per_second), now, drawn, points)


class ArenaClient(Node):
    """Connects to ``url``, says hello, steers with its pilot and interpolates snapshots."""

    state_changed = signal("old_state", "new_state")
    log_message = signal("text")
    server_event = signal("text")

    def __init__(
        self,
        url: str,
        player_name: str,
        pilot: Pilot,
        tls_options: TLSOptions | None = None,
        *,
        roam: tuple[float, float] | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.name = player_name.replace(" ", "")
        self.url = url
        self.player_name = player_name
        self.pilot = pilot
        self.tls_options = tls_options
        self.roam = roam
        """``(stay, away)`` seconds: leave cleanly after ``stay``, come back after ``away``."""
        self.ws = WebSocketPeer()
        self.state = WebSocketPeer.STATE_CLOSED
        self.id = 0
        self.ticks_per_second = 60
        self.arena_size = protocol.ARENA_SIZE
        self.traffic = Traffic(now)
        self.snapshots: deque[Snapshot] = deque(maxlen=MAX_SNAPSHOTS)
        self.ping_ms = -1.0
        self.ping_samples: list[float] = []
        self.heartbeat_rtt_ms = -1.0
        self.connect_ms: list[float] = []
        self.opens = 0
        self.closes: list[tuple[int, str]] = []
        self.attempts = 0
        self._now = now
        self._clock: float | None = None
        self._connect_started = 0.0
        self._leaving = False
        self._return_after: float | None = None
        self._stopped = False
        self._retry_in = -1.0
        self._ping_in = 0.0
        self._input_in = 0.0
        self._sent_direction: Vector2 | None = None

    # -- connecting and leaving -----------------------------------------------------------------

    def _ready(self) -> None:
        self.connect_to_server()

    def connect_to_server(self) -> Error:
        """``ws.connect_to_url(url, tls_options)``: the state becomes STATE_CONNECTING."""
        if self._stopped:
            return Error.ERR_UNAVAILABLE
        self.ws.heartbeat_interval = HEARTBEAT_INTERVAL  # ping/pong keep-alive and RTT
        self.attempts += 1
        self._leaving = False
        self._retry_in = -1.0
        self._connect_started = self._now()
        err = self.ws.connect_to_url(self.url, self.tls_options)
        if err != Error.OK:
            self.log_message.emit(f"{self.player_name}: connect_to_url failed: {err.name}")
            self._retry_in = RETRY_SECONDS
        else:
            self._update_state()  # STATE_CLOSED -> STATE_CONNECTING
        return err

    def leave(self, code: int = 1000, reason: str = "", *, stop: bool = False) -> None:
        """Start the closing handshake (``ws.close(code, reason)``); ``stop`` means for good."""
        self._leaving = True
        self._stopped = self._stopped or stop
        if self.ws.get_ready_state() in (WebSocketPeer.STATE_CONNECTING, WebSocketPeer.STATE_OPEN):
            self.ws.close(code, reason)

    def reconnect(self, after: float = 0.5) -> None:
        """Leave cleanly now (``close(1000)``) and connect again ``after`` seconds later."""
        if self.state == WebSocketPeer.STATE_OPEN:
            self._return_after = after
            self.leave(1000, "reconnecting")
        elif self.state == WebSocketPeer.STATE_CLOSED:
            self.connect_to_server()

    def is_closed(self) -> bool:
        return self.ws.get_ready_state() == WebSocketPeer.STATE_CLOSED

    # -- every frame --------------------------------------------------------------------------

    def _process(self, delta: float) -> None:
        self.poll_network()
        self.traffic.update_rates()
        self._advance_clock(delta)
        if self._retry_in > 0.0:
            self._retry_in -= delta
            if self._retry_in <= 0.0:
                self.connect_to_server()
        if self.state != WebSocketPeer.STATE_OPEN or self.id == 0:
            return
        rtt = self.ws.get_round_trip_time()
        if rtt >= 0:
            self.heartbeat_rtt_ms = rtt * 1000
        self._ping_in -= delta
        if self._ping_in <= 0.0:
            self._ping_in = PING_INTERVAL
            self._send(protocol.ping(Time.get_ticks_usec()))
        newest = self.snapshots[-1] if self.snapshots else None
        me = newest.players.get(self.id) if newest else None
        direction = self.pilot.steer(
            me.position if me else None, newest.orbs if newest else [], delta
        )
        self._input_in -= delta
        if direction != self._sent_direction and self._input_in <= 0.0:
            self._input_in = 1.0 / INPUT_RATE
            self._sent_direction = direction
            self._send(protocol.input_message(direction))

    def poll_network(self) -> None:
        """``ws.poll()``, then react to state changes and read every queued message."""
        ws = self.ws
        ws.poll()
        self._update_state()
        while ws.get_available_packet_count() > 0:
            data = ws.get_packet()
            self.traffic.received(len(data))
            message = protocol.decode(data)
            if message is not None:
                self._on_message(message)

    def _update_state(self) -> None:
        state = self.ws.get_ready_state()
        if state != self.state:
            old, self.state = self.state, state
            self._on_state_changed(old, state)

    def _send(self, message: protocol.Message) -> None:
        data = protocol.encode(message)
        if self.ws.put_packet(data) == Error.OK:  # GDScript: ws.put_var(message)
            self.traffic.sent(len(data))

    # -- events ---------------------------------------------------------------------------------

    def _on_state_changed(self, old: int, new: int) -> None:
        text = f"{self.player_name}: STATE_{STATE_NAMES[old]} -> STATE_{STATE_NAMES[new]}"
        if new == WebSocketPeer.STATE_OPEN:
            elapsed = (self._now() - self._connect_started) * 1000
            self.connect_ms.append(elapsed)
            self.opens += 1
            text += f" after {elapsed:.1f} ms"
            self.id = 0
            self._sent_direction = None
            self._ping_in = 0.0
        elif new == WebSocketPeer.STATE_CLOSED:
            code, reason = self.ws.get_close_code(), self.ws.get_close_reason()
            if old != WebSocketPeer.STATE_CONNECTING:
                self.closes.append((code, reason))
            text += f", code {code}" + (f" '{reason}'" if reason else "")
            self.id = 0
            self._schedule_return()
        self.log_message.emit(text)
        self.state_changed.emit(old, new)

    def _schedule_return(self) -> None:
        if self._stopped:
            return
        if self._leaving and self._return_after is not None:
            self._retry_in = self._return_after  # back from the walk
            self._return_after = None
        elif not self._leaving:
            self._retry_in = RETRY_SECONDS  # lost or refused: try again

    def _on_message(self, message: protocol.Message) -> None:
        kind = message["type"]
        if kind == "welcome" and isinstance(message.get("id"), int):
            self.id = message["id"]
            ticks = message.get("ticks_per_second")
            self.ticks_per_second = ticks if isinstance(ticks, int) and ticks > 0 else 60
            size = message.get("arena")
            self.arena_size = size if isinstance(size, Vector2) else protocol.ARENA_SIZE
            self._send(protocol.hello(self.player_name))
            if self.roam is not None and self.is_inside_tree():
                tree = self.get_tree()
                assert tree is not None
                # GDScript: get_tree().create_timer(stay).timeout.connect(_go_for_a_walk)
                tree.create_timer(self.roam[0]).timeout.connect(self._go_for_a_walk)
        elif kind == "state":
            snapshot = _parse_state(message, self.ticks_per_second, self._now())
            if snapshot is not None:
                self.snapshots.append(snapshot)
        elif kind == "pong" and isinstance(message.get("t"), int):
            self.ping_ms = (Time.get_ticks_usec() - message["t"]) / 1000
            self.ping_samples.append(self.ping_ms)
        elif kind == "event" and isinstance(message.get("text"), str):
            self.server_event.emit(message["text"])

    def _go_for_a_walk(self) -> None:
        if not self._stopped and self.state == WebSocketPeer.STATE_OPEN and self.roam:
            self._return_after = self.roam[1]
            self.leave(1000, "going for a walk")

    # -- what to draw ---------------------------------------------------------------------------

    def _advance_clock(self, delta: float) -> None:
        """Keep a smooth estimate of the server's clock from the snapshots' ticks."""
        if not self.snapshots:
            return
        newest = self.snapshots[-1]
        target = newest.time + (self._now() - newest.received_at)
        if self._clock is None or abs(target - self._clock) > 0.25:
            self._clock = target
        else:
            self._clock += delta
            self._clock += (target - self._clock) * 0.1

    def get_render_time(self) -> float:
        return (self._clock or 0.0) - INTERPOLATION_DELAY

    def get_interpolated_players(self) -> list[DrawnPlayer]:
        """Every player as seen ``INTERPOLATION_DELAY`` ago, blended between two snapshots."""
        if not self.snapshots:
            return []
        at = self.get_render_time()
        newer = older = self.snapshots[-1]
        for snapshot in reversed(self.snapshots):
            if snapshot.time <= at:
                older = snapshot
                break
            newer = snapshot
        else:  # Everything is newer than `at` (just connected): show the oldest.
            older = newer
        span = newer.time - older.time
        weight = min(1.0, max(0.0, (at - older.time) / span)) if span > 0 else 1.0
        players = []
        for peer_id, b in newer.players.items():
            a = older.players.get(peer_id, b)
            position = a.position.lerp(b.position, weight)
            players.append(DrawnPlayer(peer_id, b.name, b.color, position, b.score))
        return players

    def get_orbs(self) -> list[Vector2]:
        return list(self.snapshots[-1].orbs) if self.snapshots else []

    def describe_state(self) -> str:
        return STATE_NAMES[self.state]

    def closed_cleanly(self) -> int:
        return sum(1 for code, _ in self.closes if code >= 1000)
