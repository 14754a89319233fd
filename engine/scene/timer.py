"""Godot's ``Timer`` node: counts down and emits ``timeout``, once or repeatedly.

It counts on the tree's process frames (``TIMER_PROCESS_IDLE``, the default) or physics
ticks (``TIMER_PROCESS_PHYSICS``) through internal processing, so it pauses with its
``process_mode`` like any node. A repeating timer carries the overshoot into the next
period (``time_left += wait_time``), as Godot does. Godot: ``scene/main/timer.cpp``.
"""

from __future__ import annotations

from engine.core.engine import Engine
from engine.core.messages import push_error
from engine.core.properties import GodotProperty
from engine.core.signal import signal
from engine.scene.node import Node


class Timer(Node):
    """A countdown node; ``start()`` it, or set ``autostart`` before it becomes ready."""

    TIMER_PROCESS_PHYSICS = 0
    TIMER_PROCESS_IDLE = 1

    timeout = signal()

    def __init__(self) -> None:
        super().__init__()
        self._wait_time = 1.0
        self._one_shot = False
        self._autostart = False
        self._paused = False
        self._ignore_time_scale = False
        self._time_left = -1.0
        self._timer_processing = False
        self._timer_process_callback = Timer.TIMER_PROCESS_IDLE

    def _notification(self, what: int) -> None:
        if what == Node.NOTIFICATION_READY:
            if self._autostart:
                self.start()
                self._autostart = False
        elif what == Node.NOTIFICATION_INTERNAL_PROCESS:
            if (
                not self._timer_processing
                or self._timer_process_callback == Timer.TIMER_PROCESS_PHYSICS
                or not self.is_processing_internal()
            ):
                return
            self._advance(self.get_process_delta_time())
        elif what == Node.NOTIFICATION_INTERNAL_PHYSICS_PROCESS:
            if (
                not self._timer_processing
                or self._timer_process_callback == Timer.TIMER_PROCESS_IDLE
                or not self.is_physics_processing_internal()
            ):
                return
            self._advance(self.get_physics_process_delta_time())

    def _advance(self, delta: float) -> None:
        if self._ignore_time_scale:
            scale = Engine.get_time_scale()
            delta = delta / scale if scale > 0 else Engine._process_step
        self._time_left -= delta
        if self._time_left < 0:
            if not self._one_shot:
                self._time_left += self._wait_time
            else:
                self.stop()
            self.emit_signal("timeout")

    def start(self, time_sec: float = -1) -> None:
        """Start (or restart) counting down ``wait_time``, or ``time_sec`` if positive."""
        if not self.is_inside_tree():
            push_error(
                "Timer was not added to the SceneTree. Either add it or set autostart to true."
            )
            return
        if time_sec > 0:
            self.set_wait_time(time_sec)
        self._time_left = self._wait_time
        self._set_timer_process(True)

    def stop(self) -> None:
        """Stop counting; ``time_left`` becomes 0 and ``autostart`` is cleared."""
        self._time_left = -1.0
        self._set_timer_process(False)
        self._autostart = False

    def is_stopped(self) -> bool:
        return self.get_time_left() <= 0

    def _set_timer_process(self, process: bool) -> None:
        if self._timer_process_callback == Timer.TIMER_PROCESS_PHYSICS:
            self.set_physics_process_internal(process and not self._paused)
        else:
            self.set_process_internal(process and not self._paused)
        self._timer_processing = process

    def set_wait_time(self, time_sec: float) -> None:
        if time_sec <= 0:
            push_error("Time should be greater than zero.")
            return
        self._wait_time = float(time_sec)

    def get_wait_time(self) -> float:
        return self._wait_time

    def set_one_shot(self, enable: bool) -> None:
        self._one_shot = bool(enable)

    def is_one_shot(self) -> bool:
        return self._one_shot

    def set_autostart(self, enable: bool) -> None:
        self._autostart = bool(enable)

    def has_autostart(self) -> bool:
        return self._autostart

    def set_paused(self, paused: bool) -> None:
        if self._paused == paused:
            return
        self._paused = bool(paused)
        self._set_timer_process(self._timer_processing)

    def is_paused(self) -> bool:
        return self._paused

    def set_ignore_time_scale(self, ignore: bool) -> None:
        self._ignore_time_scale = bool(ignore)

    def get_ignore_time_scale(self) -> bool:
        return self._ignore_time_scale

    def get_time_left(self) -> float:
        return self._time_left if self._time_left > 0 else 0.0

    def set_timer_process_callback(self, callback: int) -> None:
        if callback == self._timer_process_callback:
            return
        if callback not in (Timer.TIMER_PROCESS_PHYSICS, Timer.TIMER_PROCESS_IDLE):
            raise ValueError(f"invalid timer process callback {callback}")
        if self._timer_process_callback == Timer.TIMER_PROCESS_PHYSICS:
            if self.is_physics_processing_internal():
                self.set_physics_process_internal(False)
                self.set_process_internal(True)
        elif self.is_processing_internal():
            self.set_process_internal(False)
            self.set_physics_process_internal(True)
        self._timer_process_callback = callback

    def get_timer_process_callback(self) -> int:
        return self._timer_process_callback

    process_callback = GodotProperty(
        get_timer_process_callback, set_timer_process_callback, default=TIMER_PROCESS_IDLE
    )
    wait_time = GodotProperty(get_wait_time, set_wait_time, default=1.0)
    one_shot = GodotProperty(is_one_shot, set_one_shot, default=False)
    autostart = GodotProperty(has_autostart, set_autostart, default=False)
    paused = GodotProperty(is_paused, set_paused, default=False)
    ignore_time_scale = GodotProperty(get_ignore_time_scale, set_ignore_time_scale, default=False)
    time_left = GodotProperty(get_time_left, default=0.0)
