"""The frame driver (Main) and the pygame run() loop, headless and with the dummy video driver."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pygame
import pytest
from conftest import FakeClock

from engine.core.engine import Engine
from engine.core.message_queue import MessageQueue
from engine.core.object import is_instance_valid
from engine.core.time import Time
from engine.platform import Main, is_headless_environment, run
from engine.scene.node import Node
from engine.scene.scene_tree import SceneTree


@pytest.fixture(autouse=True)
def clean() -> Iterator[None]:
    Engine._reset()
    yield
    Engine._reset()
    Time._set_clock(None)
    MessageQueue.get_singleton().flush()


class Probe(Node):
    """Records deltas and the wall-clock time of every callback."""

    def __init__(self, name: str, log: list[Any]) -> None:
        super().__init__()
        self.name = name
        self.log = log
        self.deltas: list[float] = []
        self.stamps: list[float] = []
        self.physics = 0

    def _ready(self) -> None:
        self.log.append(("ready", self.name))

    def _process(self, delta: float) -> None:
        self.stamps.append(time.perf_counter())
        self.deltas.append(delta)
        self.log.append(("process", self.name))

    def _physics_process(self, delta: float) -> None:
        self.physics += 1


def driven(clock: FakeClock, fixed_fps: int = -1) -> tuple[Main, Probe]:
    Time._set_clock(clock.now)
    tree = SceneTree()
    probe = Probe("P", [])
    tree.root.add_child(probe)
    main = Main(tree, fixed_fps=fixed_fps)
    main.start()
    return main, probe


def test_delta_is_the_clock_time_between_iterations() -> None:
    clock = FakeClock()
    main, probe = driven(clock)
    for step in (0.010, 0.025, 0.0005):
        clock.advance(step)
        main.iteration()
    assert probe.deltas == pytest.approx([0.010, 0.025, 0.0005])
    assert Engine.get_process_frames() == 3
    main.cleanup()


def test_fixed_rate_physics_ticks_accumulate() -> None:
    clock = FakeClock()
    main, probe = driven(clock)
    clock.advance(0.05)  # 3 ticks at 60 Hz
    main.iteration()
    assert probe.physics == 3
    clock.advance(0.01)  # 0.6 of a tick
    main.iteration()
    assert probe.physics == 3
    assert Engine.get_physics_interpolation_fraction() == pytest.approx(0.6)
    clock.advance(0.01)  # 1.2 ticks owed
    main.iteration()
    assert probe.physics == 4
    assert Engine.get_physics_frames() == 4
    assert probe.get_tree().get_frame() == 4  # type: ignore[union-attr]
    main.cleanup()


def test_physics_steps_are_capped_and_excess_time_dropped() -> None:
    clock = FakeClock()
    main, probe = driven(clock)
    clock.advance(1.0)  # 60 ticks owed, at most 8 run
    main.iteration()
    assert probe.physics == 8
    assert probe.deltas[-1] == pytest.approx(1.0 - 52 / 60)
    clock.advance(1 / 60)
    main.iteration()
    assert probe.physics == 9
    main.cleanup()


def test_time_scale_scales_delta() -> None:
    clock = FakeClock()
    main, probe = driven(clock)
    Engine.time_scale = 0.5
    clock.advance(0.1)
    main.iteration()
    assert probe.deltas == [pytest.approx(0.05)]
    main.cleanup()


def test_fixed_fps_ignores_the_clock() -> None:
    clock = FakeClock()
    main, probe = driven(clock, fixed_fps=30)
    for _ in range(3):
        main.iteration()
    assert probe.deltas == pytest.approx([1 / 30] * 3)
    assert probe.physics == 6
    main.cleanup()


def test_frames_per_second_is_measured_over_a_second() -> None:
    clock = FakeClock()
    main, _ = driven(clock)
    for _ in range(9):
        clock.advance(0.1)
        main.iteration()
    assert Engine.get_frames_per_second() == 0.0
    clock.advance(0.1)
    main.iteration()
    assert Engine.get_frames_per_second() == pytest.approx(10.0)
    main.cleanup()


def test_cleanup_finalizes_the_tree() -> None:
    clock = FakeClock()
    main, probe = driven(clock)
    assert Engine.get_main_loop() is main.main_loop
    main.cleanup()
    assert Engine.get_main_loop() is None
    assert not is_instance_valid(probe)


def test_run_headless_fixed_frames_ready_and_process_order() -> None:
    log: list[Any] = []
    main = Probe("Main", log)
    child_a, child_b = Probe("A", log), Probe("B", log)
    main.add_child(child_a)
    main.add_child(child_b)
    window: list[Any] = []

    class Spy(Node):
        def _process(self, delta: float) -> None:
            window.append(pygame.display.get_surface())

    main.add_child(Spy())
    assert run(main, headless=True, frames=5, max_fps=0) == 0
    assert log[:3] == [("ready", "A"), ("ready", "B"), ("ready", "Main")]
    processes = [name for kind, name in log if kind == "process"]
    assert processes == ["Main", "A", "B"] * 5
    assert window == [None] * 5  # headless never opens a window
    assert Engine.get_process_frames() == 5


def test_run_delta_is_real_elapsed_time_at_the_frame_cap() -> None:
    probe = Probe("P", [])
    deltas, stamps = probe.deltas, probe.stamps  # the node itself is freed when run() ends
    run(probe, headless=True, frames=8, max_fps=100)
    assert len(deltas) == 8
    # Each delta is the wall time since the previous frame, as seen from _process.
    for i in range(1, 8):
        assert deltas[i] == pytest.approx(stamps[i] - stamps[i - 1], abs=0.01)
    # Over several frames the sums telescope: only the two end points can differ.
    assert sum(deltas[1:]) == pytest.approx(stamps[-1] - stamps[0], abs=0.005)
    # The cap holds frames apart (no upper bound: CI machines stall).
    assert sum(deltas[1:]) / 7 >= 0.0095


def test_delta_follows_the_clock_not_the_frame_cap() -> None:
    """With max_fps=60 a slow frame still yields its real length, not 1/60."""
    clock = FakeClock()
    Engine.set_max_fps(60)
    Engine.set_max_physics_steps_per_frame(20)  # the default 8 would trim 0.2 s to 8/60
    main, probe = driven(clock)
    for step in (1 / 60, 1 / 60, 0.2, 1 / 60, 0.004):
        clock.advance(step)
        main.iteration()
    assert probe.deltas == pytest.approx([1 / 60, 1 / 60, 0.2, 1 / 60, 0.004])
    main.cleanup()


def test_run_slow_frame_shows_in_the_next_delta() -> None:
    """A frame that takes 0.2 s makes the next delta >= 0.15 s; capped frames stay ~1/60."""

    class Slow(Probe):
        def _process(self, delta: float) -> None:
            super()._process(delta)
            if len(self.deltas) == 3:
                time.sleep(0.2)

    probe = Slow("P", [])
    deltas = probe.deltas
    Engine.set_max_physics_steps_per_frame(20)  # the default 8 would trim 0.2 s to 8/60
    run(probe, headless=True, frames=8, max_fps=60)
    assert len(deltas) == 8
    assert deltas[3] >= 0.15  # frame 4 measures the slow frame 3
    # After the slow frame the schedule catches up (frame 5 runs early), then frames are
    # held ~1/60 apart again. Only lower bounds are tight: CI machines stall.
    for i in (1, 2, 5, 6, 7):
        assert 1 / 60 - 0.004 <= deltas[i] < 0.1, (i, deltas)


def test_run_stops_after_seconds() -> None:
    probe = Probe("P", [])
    deltas = probe.deltas
    started = time.perf_counter()
    run(probe, headless=True, seconds=0.15, max_fps=60)
    elapsed = time.perf_counter() - started
    assert 0.15 <= elapsed < 5.0
    assert 3 <= len(deltas) <= 20


def test_run_returns_quit_exit_code_and_accepts_a_tree() -> None:
    class Quitter(Node):
        frames = 0

        def _process(self, delta: float) -> None:
            self.frames += 1
            if self.frames == 3:
                self.get_tree().quit(7)  # type: ignore[union-attr]

    tree = SceneTree()
    quitter = Quitter()
    tree.root.add_child(quitter)
    assert run(tree, headless=True, frames=100, max_fps=0) == 7
    assert Engine.get_process_frames() == 3


def test_run_with_window_pumps_pygame_events_to_input() -> None:
    got: list[Any] = []

    class Player(Node):
        def _ready(self) -> None:
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE))

        def _input(self, event: Any) -> None:
            if event.type == pygame.KEYDOWN:
                got.append(event.key)
                pygame.event.post(pygame.event.Event(pygame.QUIT))

    # conftest sets SDL_VIDEODRIVER=dummy, so "windowed" runs without a screen.
    assert run(Player(), headless=False, frames=50, max_fps=0) == 0
    assert got == [pygame.K_SPACE]
    assert Engine.get_process_frames() < 50  # QUIT closed the window and quit the tree
    assert not pygame.display.get_init()


def test_headless_environment_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert is_headless_environment()
    monkeypatch.setenv("SDL_VIDEODRIVER", "x11")
    monkeypatch.setenv("NETPEER_HEADLESS", "1")
    assert is_headless_environment()
    monkeypatch.delenv("NETPEER_HEADLESS")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert is_headless_environment()
    monkeypatch.setenv("DISPLAY", ":0")
    assert not is_headless_environment()
