"""A local deadline for tests that make a blocking call (``get_data``, ``wait()``, ``readline``).

``returns_within(seconds, call, *args)`` runs ``call(*args)`` in a daemon thread and fails
the test if it is still blocked after ``seconds``, so a hang fails fast with a clear message
instead of waiting for the global pytest timeout. The result (or exception) is passed on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import pytest

P = ParamSpec("P")
T = TypeVar("T")


def returns_within(seconds: float, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Return ``call(*args, **kwargs)``; fail the test if it is still blocked after ``seconds``."""
    what = getattr(call, "__name__", "the call")
    outcome: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call(*args, **kwargs))
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    thread = threading.Thread(target=run, name=f"watchdog: {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"{what} still blocked after {seconds} s")
    if errors:
        raise errors[0]
    return outcome[0]
