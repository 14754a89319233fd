"""Godot's ``Time`` singleton: engine ticks and system time.

GDScript calls ``Time.get_ticks_msec()`` on a singleton; here ``Time`` is a class whose
methods are class methods, so the same spelling works without an instance. Ticks count
from the moment this module is imported (Godot: from engine start) and come from a
monotonic high-resolution clock that tests can replace with ``Time._set_clock()``.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from typing import ClassVar


class Time:
    """Time queries (Godot: ``core/os/time.h``); every method is a class method."""

    _clock: ClassVar[Callable[[], float]] = _time.perf_counter
    _start: ClassVar[float] = _time.perf_counter()

    @classmethod
    def get_ticks_usec(cls) -> int:
        """Microseconds since the engine started (monotonic)."""
        return round((cls._clock() - cls._start) * 1_000_000)

    @classmethod
    def get_ticks_msec(cls) -> int:
        """Milliseconds since the engine started (monotonic)."""
        return cls.get_ticks_usec() // 1_000

    @classmethod
    def get_unix_time_from_system(cls) -> float:
        """Seconds since the Unix epoch, with fractions, from the system clock."""
        return _time.time()

    @classmethod
    def _get_seconds(cls) -> float:
        """Seconds since the engine started, unrounded (for the main loop's delta)."""
        return cls._clock() - cls._start

    @classmethod
    def _set_clock(cls, clock: Callable[[], float] | None) -> None:
        """Replace the monotonic clock (seconds as float); ``None`` restores the real one.

        Ticks restart from zero at the moment of the call, like a freshly started engine.
        """
        cls._clock = clock if clock is not None else _time.perf_counter
        cls._start = cls._clock()
