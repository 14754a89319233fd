"""Who steers a client's disc: a seeded bot, or the keyboard (with the bot as autopilot).

A pilot only decides a direction from what the client *sees* (the latest snapshot); the
client turns it into ``input`` messages. Nothing here knows about the network.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from engine.core.variant.vector2 import Vector2

DIRECTIONS = 16
"""Bots steer in 16 directions so their input changes (and is sent) only now and then."""


class BotPilot:
    """Chases orbs, with a seeded taste for some over others and a little wobble."""

    def __init__(self, seed: int, think_interval: float = 0.25) -> None:
        self._rng = random.Random(seed)
        self._think_interval = think_interval
        self._until_think = 0.0
        self._direction = Vector2()
        self._greed = self._rng.uniform(0.0, 120.0)

    def steer(self, me: Vector2 | None, orbs: Sequence[Vector2], delta: float) -> Vector2:
        self._until_think -= delta
        if self._until_think > 0.0:
            return self._direction
        self._until_think = self._think_interval * self._rng.uniform(0.7, 1.3)
        if me is None or not orbs:
            self._direction = Vector2()
            return self._direction
        # Nearest orb, give or take a seeded random bias per orb: bots disagree on targets.
        target = min(orbs, key=lambda o: me.distance_to(o) + self._rng.uniform(0, self._greed))
        angle = me.angle_to_point(target) + self._rng.uniform(-0.35, 0.35)
        step = math.tau / DIRECTIONS
        angle = round(angle / step) * step
        self._direction = Vector2(round(math.cos(angle), 3), round(math.sin(angle), 3))
        return self._direction


class KeyboardPilot:
    """Arrow keys or WASD; the bot flies until the first key press (and after ``P``)."""

    _KEYS = {
        "up": Vector2(0, -1),
        "w": Vector2(0, -1),
        "down": Vector2(0, 1),
        "s": Vector2(0, 1),
        "left": Vector2(-1, 0),
        "a": Vector2(-1, 0),
        "right": Vector2(1, 0),
        "d": Vector2(1, 0),
    }

    def __init__(self, seed: int) -> None:
        self.autopilot = BotPilot(seed)
        self.use_autopilot = True
        self._held: set[str] = set()

    def handle_input(self, event: Any) -> bool:
        """Track movement keys from a pygame event; True if the event was one of them."""
        from engine.platform.pygame_input import PygameInput

        for key in self._KEYS:
            if PygameInput.is_key_pressed(event, key):
                self._held.add(key)
                self.use_autopilot = False
                return True
            if PygameInput.is_key_released(event, key):
                self._held.discard(key)
                return True
        if PygameInput.is_key_pressed(event, "p"):
            self.use_autopilot = not self.use_autopilot
            return True
        return False

    def steer(self, me: Vector2 | None, orbs: Sequence[Vector2], delta: float) -> Vector2:
        if self.use_autopilot:
            return self.autopilot.steer(me, orbs, delta)
        direction = Vector2()
        for key in self._held:
            direction += self._KEYS[key]
        return direction.normalized()
