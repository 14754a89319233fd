"""The engine's frame driver (Godot ``main/main.cpp``'s ``Main::iteration``) and ``run()``.

``Main`` turns wall-clock time into ticks of a ``MainLoop`` (the ``SceneTree``):

* each ``iteration()`` measures the real time since the previous one with ``Time``'s
  high-resolution clock (the *delta*, scaled by ``Engine.time_scale``);
* it adds the delta to an accumulator and runs as many fixed physics ticks of
  ``1 / Engine.physics_ticks_per_second`` as fit (at most
  ``Engine.max_physics_steps_per_frame``; time beyond that is dropped, as in Godot);
* then one ``process(delta)``, then the optional ``draw`` hook, and it updates ``Engine``'s
  frame counters and FPS;
* ``add_frame_delay()`` then waits until the next frame is due for ``Engine.max_fps``:
  a coarse ``sleep`` followed by a short spin, which keeps frame-time jitter well under a
  millisecond (a plain ``sleep`` overshoots by 1-2 ms on most systems).

``Main`` never imports pygame, so a headless server can drive a tree with it alone. ``run()``
adds the pygame window (or a headless offscreen surface), input and drawing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.core.engine import Engine
from engine.core.time import Time
from engine.scene.main_loop import MainLoop

if TYPE_CHECKING:
    from engine.core.variant.color import Color
    from engine.scene.node import Node
    from engine.scene.scene_tree import SceneTree

# The last stretch of a frame delay is spun instead of slept, for precision.
_SPIN_SECONDS = 0.002


class Main:
    """Drives a ``MainLoop`` with real (or fixed) time, one ``iteration()`` per frame."""

    def __init__(
        self,
        main_loop: MainLoop,
        *,
        fixed_fps: int = -1,
        draw: Callable[[], object] | None = None,
    ) -> None:
        if not isinstance(main_loop, MainLoop):
            raise TypeError(f"Main drives a MainLoop, not {type(main_loop).__name__}")
        self.main_loop = main_loop
        self.fixed_fps = fixed_fps
        self.draw = draw
        self._started = False
        self._last_seconds = 0.0
        self._accumulator = 0.0
        self._fps_time = 0.0
        self._fps_frames = 0
        self._target: float | None = None

    def start(self) -> None:
        """Initialize the main loop (the tree's nodes enter and get ready)."""
        if self._started:
            return
        self._started = True
        Engine._set_main_loop(self.main_loop)
        self.main_loop.initialize()
        self._last_seconds = Time._get_seconds()

    def iteration(self) -> bool:
        """Run one frame: physics ticks, ``process``, ``draw``. Returns ``True`` to quit."""
        if not self._started:
            self.start()
        now = Time._get_seconds()
        elapsed = max(0.0, now - self._last_seconds)
        self._last_seconds = now

        ticks_per_second = Engine.get_physics_ticks_per_second()
        physics_step = 1.0 / ticks_per_second
        time_scale = Engine.get_time_scale()
        process_step = 1.0 / self.fixed_fps if self.fixed_fps > 0 else elapsed

        self._accumulator += process_step
        physics_steps = int(self._accumulator / physics_step + 1e-9)
        self._accumulator = max(0.0, self._accumulator - physics_steps * physics_step)
        max_steps = Engine.get_max_physics_steps_per_frame()
        if self.fixed_fps <= 0 and physics_steps > max_steps:
            process_step -= (physics_steps - max_steps) * physics_step
            physics_steps = max_steps
        Engine._process_step = process_step
        Engine._physics_interpolation_fraction = min(1.0, self._accumulator / physics_step)

        loop = self.main_loop
        exit_requested = False
        for _ in range(physics_steps):
            Engine._in_physics = True
            try:
                if loop.physics_process(physics_step * time_scale):
                    exit_requested = True
            finally:
                Engine._in_physics = False
            Engine._physics_frames += 1
            if exit_requested:
                break

        if not exit_requested and loop.process(process_step * time_scale):
            exit_requested = True
        if self.draw is not None:
            self.draw()
            Engine._frames_drawn += 1
        Engine._process_frames += 1

        self._fps_frames += 1
        self._fps_time += elapsed
        if self._fps_time >= 1.0:
            Engine._fps = self._fps_frames / self._fps_time
            self._fps_time = 0.0
            self._fps_frames = 0
        return exit_requested

    def add_frame_delay(self) -> None:
        """Wait until the next frame is due for ``Engine.max_fps`` (no wait when uncapped)."""
        max_fps = Engine.get_max_fps()
        if max_fps <= 0 or self.fixed_fps > 0:
            self._target = None
            return
        frame = 1.0 / max_fps
        now = time.perf_counter()
        target = (self._target if self._target is not None else now) + frame
        remaining = target - now
        if remaining > _SPIN_SECONDS:
            time.sleep(remaining - _SPIN_SECONDS)
        while time.perf_counter() < target:
            time.sleep(0)
        now = time.perf_counter()
        # Like Godot: never fall more than one frame behind or run ahead of the schedule.
        self._target = min(max(target, now - frame), now + frame)

    def cleanup(self) -> None:
        """Finalize the main loop (the tree frees its nodes)."""
        if self._started:
            self._started = False
            self.main_loop.finalize()
        if Engine.get_main_loop() is self.main_loop:
            Engine._set_main_loop(None)


def is_headless_environment() -> bool:
    """True when no window can be opened: ``SDL_VIDEODRIVER`` is ``dummy``/``offscreen``,
    ``NETPEER_HEADLESS`` is set, or (on Linux and BSD) neither ``DISPLAY`` nor
    ``WAYLAND_DISPLAY`` is set."""
    if os.environ.get("NETPEER_HEADLESS", "") not in ("", "0"):
        return True
    if os.environ.get("SDL_VIDEODRIVER", "").lower() in ("dummy", "offscreen"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def run(
    scene: Node | SceneTree | None = None,
    *,
    headless: bool | None = None,
    max_fps: int | None = 60,
    frames: int | None = None,
    seconds: float | None = None,
    window_size: tuple[int, int] = (960, 540),
    title: str = "netpeer",
    clear_color: Color | None = None,
    fixed_fps: int = -1,
) -> int:
    """Run a scene until it quits (or for ``frames`` frames / ``seconds`` seconds).

    ``scene`` is a ``Node`` (added to a new tree's root as the current scene) or a
    prepared ``SceneTree``. ``headless=None`` decides from the environment
    (``is_headless_environment()``); headless runs open no window, deliver no input and
    draw into an offscreen surface. ``max_fps`` sets ``Engine.max_fps`` (``None`` keeps it;
    0 is uncapped). ``fixed_fps`` > 0 makes every frame ``1 / fixed_fps`` long and runs as
    fast as possible (deterministic replays and tests). Returns the exit code given to
    ``SceneTree.quit()``, 0 otherwise.
    """
    from engine.core.variant.vector2i import Vector2i
    from engine.platform.display_server_pygame import DisplayServerPygame
    from engine.scene.node import Node
    from engine.scene.scene_tree import SceneTree

    if isinstance(scene, SceneTree):
        tree = scene
    else:
        tree = SceneTree()
        if scene is not None:
            if not isinstance(scene, Node):
                raise TypeError(f"run() takes a Node or a SceneTree, not {type(scene).__name__}")
            tree.get_root().add_child(scene)
            tree.set_current_scene(scene)
    if headless is None:
        headless = is_headless_environment()
    if max_fps is not None:
        Engine.set_max_fps(max_fps)

    root = tree.get_root()
    root.set_title(title)
    root.set_size(Vector2i(window_size[0], window_size[1]))
    display = DisplayServerPygame(headless=headless, size=window_size, title=title)
    if clear_color is not None:
        display.set_default_clear_color(clear_color)
    main = Main(tree, fixed_fps=fixed_fps, draw=lambda: display.draw(tree))
    deadline = None if seconds is None else time.perf_counter() + seconds
    count = 0
    try:
        main.start()
        while frames is None or frames > 0:
            display.process_events(tree)
            if main.iteration():
                break
            count += 1
            if frames is not None and count >= frames:
                break
            if deadline is not None and time.perf_counter() >= deadline:
                break
            main.add_frame_delay()
        return tree._get_exit_code()
    finally:
        main.cleanup()
        display.close()
