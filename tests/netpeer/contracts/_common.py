"""Helpers shared by the contract suites: deadline polling and the marshalls gate."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from engine.core.error import Error


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


def require_marshalls() -> None:
    """Skip the calling check while ``netpeer.marshalls`` is still a placeholder."""
    from netpeer.marshalls import encode_variant

    if encode_variant(None, False)[0] != Error.OK:
        pytest.skip("netpeer.marshalls.encode_variant is not implemented yet")
