"""Shared test helpers: deadline polling and an injectable fake clock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def wait_until(
    condition: Callable[[], bool],
    timeout: float = 10.0,
    step: Callable[[], object] | None = None,
    message: str = "condition",
) -> None:
    """Call ``step`` (e.g. ``peer.poll``) until ``condition()`` holds; fail after ``timeout`` s.

    Never sleeps for luck: it polls as fast as the work allows and fails loudly at the deadline.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {message}")
        if step is not None:
            step()
        time.sleep(0.0005)


class FakeClock:
    """A monotonic clock that moves only when told; pass ``clock.now`` where code takes ``now``."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()
