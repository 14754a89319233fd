"""Godot's ``Engine`` singleton: frame counters, frame-rate settings and the main loop.

GDScript reads ``Engine.get_frames_per_second()`` and writes ``Engine.max_fps = 30`` on a
singleton. Here ``Engine`` is a class with class methods and class-level properties (through
a small metaclass), so both spellings work as written in Godot. The counters are advanced by
whatever drives the main loop (``engine.platform.main.Main``); ``Engine._reset()`` restores
the defaults for tests.
"""

from __future__ import annotations

from typing import ClassVar

from engine.core.messages import push_error
from engine.core.object import Object


class _EngineMeta(type):
    """Gives ``Engine`` Godot's property spellings at class level (``Engine.max_fps = 30``)."""

    @property
    def max_fps(cls) -> int:
        return Engine.get_max_fps()

    @max_fps.setter
    def max_fps(cls, value: int) -> None:
        Engine.set_max_fps(value)

    @property
    def physics_ticks_per_second(cls) -> int:
        return Engine.get_physics_ticks_per_second()

    @physics_ticks_per_second.setter
    def physics_ticks_per_second(cls, value: int) -> None:
        Engine.set_physics_ticks_per_second(value)

    @property
    def max_physics_steps_per_frame(cls) -> int:
        return Engine.get_max_physics_steps_per_frame()

    @max_physics_steps_per_frame.setter
    def max_physics_steps_per_frame(cls, value: int) -> None:
        Engine.set_max_physics_steps_per_frame(value)

    @property
    def time_scale(cls) -> float:
        return Engine.get_time_scale()

    @time_scale.setter
    def time_scale(cls, value: float) -> None:
        Engine.set_time_scale(value)

    @property
    def physics_jitter_fix(cls) -> float:
        return Engine.get_physics_jitter_fix()

    @physics_jitter_fix.setter
    def physics_jitter_fix(cls, value: float) -> None:
        Engine.set_physics_jitter_fix(value)


class Engine(metaclass=_EngineMeta):
    """Engine-wide settings and counters (Godot: ``core/config/engine.h``)."""

    _physics_ticks_per_second: ClassVar[int] = 60
    _max_physics_steps_per_frame: ClassVar[int] = 8
    _max_fps: ClassVar[int] = 0
    _time_scale: ClassVar[float] = 1.0
    _physics_jitter_fix: ClassVar[float] = 0.5

    _process_frames: ClassVar[int] = 0
    _physics_frames: ClassVar[int] = 0
    _frames_drawn: ClassVar[int] = 0
    _fps: ClassVar[float] = 0.0
    _process_step: ClassVar[float] = 0.0
    _physics_interpolation_fraction: ClassVar[float] = 0.0
    _in_physics: ClassVar[bool] = False
    _main_loop: ClassVar[Object | None] = None

    # -- settings ---------------------------------------------------------------------------

    @classmethod
    def set_physics_ticks_per_second(cls, physics_ticks_per_second: int) -> None:
        """Set the fixed physics rate (default 60)."""
        if physics_ticks_per_second <= 0:
            push_error("Engine iterations per second must be greater than 0.")
            return
        cls._physics_ticks_per_second = int(physics_ticks_per_second)

    @classmethod
    def get_physics_ticks_per_second(cls) -> int:
        return cls._physics_ticks_per_second

    @classmethod
    def set_max_physics_steps_per_frame(cls, max_physics_steps: int) -> None:
        """Cap the physics ticks run in one frame when the game falls behind (default 8)."""
        if max_physics_steps <= 0:
            push_error("Maximum number of physics steps per frame must be greater than 0.")
            return
        cls._max_physics_steps_per_frame = int(max_physics_steps)

    @classmethod
    def get_max_physics_steps_per_frame(cls) -> int:
        return cls._max_physics_steps_per_frame

    @classmethod
    def set_max_fps(cls, max_fps: int) -> None:
        """Cap the frame rate; 0 (the default) means uncapped."""
        cls._max_fps = max(0, int(max_fps))

    @classmethod
    def get_max_fps(cls) -> int:
        return cls._max_fps

    @classmethod
    def set_time_scale(cls, time_scale: float) -> None:
        """Scale every ``delta`` the tree sees (1.0 = real time)."""
        if time_scale < 0.0:
            push_error("Time scale must be greater than or equal to 0.0.")
            return
        cls._time_scale = float(time_scale)

    @classmethod
    def get_time_scale(cls) -> float:
        return cls._time_scale

    @classmethod
    def set_physics_jitter_fix(cls, physics_jitter_fix: float) -> None:
        """Stored for API parity; the main loop uses a plain accumulator."""
        cls._physics_jitter_fix = max(0.0, float(physics_jitter_fix))

    @classmethod
    def get_physics_jitter_fix(cls) -> float:
        return cls._physics_jitter_fix

    # -- counters -----------------------------------------------------------------------------

    @classmethod
    def get_frames_per_second(cls) -> float:
        """Frames completed during the last whole second of running."""
        return cls._fps

    @classmethod
    def get_process_frames(cls) -> int:
        """Process frames completed since start (0 during the first ``_process``)."""
        return cls._process_frames

    @classmethod
    def get_physics_frames(cls) -> int:
        """Physics ticks completed since start."""
        return cls._physics_frames

    @classmethod
    def get_frames_drawn(cls) -> int:
        """Frames rendered since start (headless runs that draw offscreen count too)."""
        return cls._frames_drawn

    @classmethod
    def get_physics_interpolation_fraction(cls) -> float:
        """How far the current frame is between the last and the next physics tick (0..1)."""
        return cls._physics_interpolation_fraction

    @classmethod
    def is_in_physics_frame(cls) -> bool:
        """True while physics ticks are running."""
        return cls._in_physics

    @classmethod
    def get_main_loop(cls) -> Object | None:
        """The running main loop (the ``SceneTree``), or ``None``."""
        return cls._main_loop

    @classmethod
    def _set_main_loop(cls, main_loop: Object | None) -> None:
        cls._main_loop = main_loop

    @classmethod
    def _reset(cls) -> None:
        """Restore every setting and counter to its default (for tests)."""
        cls._physics_ticks_per_second = 60
        cls._max_physics_steps_per_frame = 8
        cls._max_fps = 0
        cls._time_scale = 1.0
        cls._physics_jitter_fix = 0.5
        cls._process_frames = 0
        cls._physics_frames = 0
        cls._frames_drawn = 0
        cls._fps = 0.0
        cls._process_step = 0.0
        cls._physics_interpolation_fraction = 0.0
        cls._in_physics = False
        cls._main_loop = None
