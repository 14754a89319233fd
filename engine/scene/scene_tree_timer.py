"""Godot's ``SceneTreeTimer``: a one-shot timer made by ``SceneTree.create_timer()``.

The tree counts the timer down after each frame (or physics tick) and emits ``timeout``
once ``time_left`` reaches zero, then forgets it. Typical use::

    get_tree().create_timer(1.5).timeout.connect(self._on_delay_done)
"""

from __future__ import annotations

from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted
from engine.core.signal import signal


class SceneTreeTimer(RefCounted):
    """One-shot timer owned by a ``SceneTree``."""

    timeout = signal()

    def __init__(self) -> None:
        super().__init__()
        self._time_left = 0.0
        self._process_always = True
        self._process_in_physics = False
        self._ignore_time_scale = False

    def set_time_left(self, time: float) -> None:
        self._time_left = float(time)

    def get_time_left(self) -> float:
        return self._time_left

    time_left = GodotProperty(get_time_left, set_time_left, default=0.0)
