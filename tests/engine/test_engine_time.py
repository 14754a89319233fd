"""Engine and Time singletons: defaults, validation, class-level properties, clock injection."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from conftest import FakeClock

from engine.core.engine import Engine
from engine.core.time import Time


@pytest.fixture(autouse=True)
def clean() -> Iterator[None]:
    Engine._reset()
    yield
    Engine._reset()
    Time._set_clock(None)


def test_engine_defaults_match_godot() -> None:
    assert Engine.physics_ticks_per_second == 60
    assert Engine.max_physics_steps_per_frame == 8
    assert Engine.max_fps == 0
    assert Engine.time_scale == 1.0
    assert Engine.physics_jitter_fix == 0.5
    assert Engine.get_process_frames() == 0
    assert Engine.get_physics_frames() == 0
    assert Engine.get_frames_per_second() == 0.0
    assert Engine.get_main_loop() is None
    assert not Engine.is_in_physics_frame()


def test_engine_properties_use_validating_setters(caplog: pytest.LogCaptureFixture) -> None:
    Engine.max_fps = 30
    assert Engine.get_max_fps() == 30
    Engine.max_fps = -5
    assert Engine.max_fps == 0
    Engine.physics_ticks_per_second = 120
    assert Engine.get_physics_ticks_per_second() == 120
    with caplog.at_level(logging.ERROR, logger="godot"):
        Engine.physics_ticks_per_second = 0
        Engine.time_scale = -1.0
        Engine.max_physics_steps_per_frame = 0
    assert Engine.physics_ticks_per_second == 120
    assert Engine.time_scale == 1.0
    assert Engine.max_physics_steps_per_frame == 8
    assert "iterations per second must be greater than 0" in caplog.text
    Engine.set_time_scale(0.5)
    assert Engine.time_scale == 0.5


def test_time_ticks_follow_injected_clock() -> None:
    clock = FakeClock()
    Time._set_clock(clock.now)
    assert Time.get_ticks_usec() == 0
    clock.advance(1.5)
    assert Time.get_ticks_msec() == 1500
    assert Time.get_ticks_usec() == 1_500_000
    clock.advance(0.000_001)
    assert Time.get_ticks_usec() == 1_500_001


def test_time_real_clock_is_monotonic_and_unix_time_is_now() -> None:
    a = Time.get_ticks_usec()
    b = Time.get_ticks_usec()
    assert 0 <= a <= b
    assert Time.get_ticks_msec() == pytest.approx(Time.get_ticks_usec() / 1000, abs=2)
    assert Time.get_unix_time_from_system() == pytest.approx(time.time(), abs=1.0)
