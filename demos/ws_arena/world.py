"""The game itself, run only by the server: discs that chase glowing orbs.

Pure simulation, no networking: ``set_direction`` is what a client asks for, ``step(delta)``
is one fixed physics tick, ``snapshot(tick)`` is the state message every client receives.
Discs accelerate toward the wanted direction, bounce off the walls, push each other apart
and score a point per orb they touch; an eaten orb reappears somewhere else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from demos.ws_arena import protocol
from engine.core.variant.color import Color
from engine.core.variant.vector2 import Vector2

PLAYER_RADIUS = 16.0
ORB_RADIUS = 7.0
ORB_COUNT = 6
SPEED = 220.0
"""Pixels per second at full speed."""
ACCELERATION = 1500.0
_GOLDEN_RATIO = 0.618033988749895


def player_color(peer_id: int) -> Color:
    """A distinct, stable colour per peer id (hues spread by the golden ratio)."""
    return Color.from_hsv((0.12 + peer_id * _GOLDEN_RATIO) % 1.0, 0.62, 0.98)


@dataclass
class Player:
    id: int
    name: str
    color: Color
    position: Vector2
    velocity: Vector2 = field(default_factory=Vector2)
    direction: Vector2 = field(default_factory=Vector2)
    score: int = 0


class World:
    """All players and orbs; the server's single source of truth."""

    def __init__(self, size: Vector2 = protocol.ARENA_SIZE, seed: int = 1) -> None:
        self.size = size
        self.players: dict[int, Player] = {}
        self._rng = random.Random(seed)
        self.orbs = [self._random_point(ORB_RADIUS * 3) for _ in range(ORB_COUNT)]
        self.orbs_eaten = 0

    def _random_point(self, margin: float) -> Vector2:
        return Vector2(
            self._rng.uniform(margin, self.size.x - margin),
            self._rng.uniform(margin, self.size.y - margin),
        )

    def add_player(self, peer_id: int, name: str) -> Player:
        player = Player(peer_id, name, player_color(peer_id), self._random_point(PLAYER_RADIUS))
        self.players[peer_id] = player
        return player

    def remove_player(self, peer_id: int) -> Player | None:
        return self.players.pop(peer_id, None)

    def set_direction(self, peer_id: int, direction: Vector2) -> None:
        player = self.players.get(peer_id)
        if player is not None:
            player.direction = direction.limit_length(1.0)

    def step(self, delta: float) -> None:
        """Advance the world by one fixed tick of ``delta`` seconds."""
        for p in self.players.values():
            p.velocity = p.velocity.move_toward(p.direction * SPEED, ACCELERATION * delta)
            pos = p.position + p.velocity * delta
            vel = p.velocity
            low, high = PLAYER_RADIUS, self.size - Vector2(PLAYER_RADIUS, PLAYER_RADIUS)
            if not low <= pos.x <= high.x:
                vel = Vector2(-vel.x * 0.6, vel.y)
            if not low <= pos.y <= high.y:
                vel = Vector2(vel.x, -vel.y * 0.6)
            p.position = pos.clamp(Vector2(low, low), high)
            p.velocity = vel
        self._separate()
        self._eat_orbs()

    def _separate(self) -> None:
        players = list(self.players.values())
        for i, a in enumerate(players):
            for b in players[i + 1 :]:
                offset = b.position - a.position
                distance = offset.length()
                overlap = PLAYER_RADIUS * 2 - distance
                if overlap > 0:
                    normal = offset / distance if distance > 1e-6 else Vector2(1, 0)
                    a.position -= normal * (overlap / 2)
                    b.position += normal * (overlap / 2)

    def _eat_orbs(self) -> None:
        reach = PLAYER_RADIUS + ORB_RADIUS
        for i, orb in enumerate(self.orbs):
            for p in self.players.values():
                if p.position.distance_squared_to(orb) <= reach * reach:
                    p.score += 1
                    self.orbs_eaten += 1
                    self.orbs[i] = self._random_point(ORB_RADIUS * 3)
                    break

    def snapshot(self, tick: int) -> protocol.Message:
        """The ``state`` message: ``{id: [position, color, score, name]}`` and the orbs."""
        return {
            "type": "state",
            "tick": tick,
            "players": {
                p.id: [p.position, p.color, p.score, p.name] for p in self.players.values()
            },
            "orbs": list(self.orbs),
        }
