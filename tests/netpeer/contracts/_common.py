"""Helpers shared by the contract suites: deadline polling."""

from __future__ import annotations

import time
from collections.abc import Callable


def pump_until(
    pump: Callable[[], None], condition: Callable[[], bool], timeout: float, what: str
) -> None:
    """Call ``pump`` until ``condition()`` holds; fail loudly at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        pump()
        if not condition():
            time.sleep(0.0002)
