"""Godot-style error and warning output.

Godot's ``ERR_FAIL_*_MSG`` macros print an error and return a value without interrupting
the script. ``fail()`` is their analogue: ``return fail(Error.FAILED, "Not connected.")``.
Messages go to the ``"godot"`` logger, so an application (or a test, through ``caplog``)
can route or inspect them; by default they reach stderr like Godot's output.
"""

from __future__ import annotations

import logging
from typing import TypeVar

logger = logging.getLogger("godot")

_T = TypeVar("_T")


def push_error(*parts: object) -> None:
    """Log an error, like GDScript's ``push_error()`` and the engine's ``ERR_PRINT``."""
    logger.error("ERROR: %s", "".join(str(p) for p in parts))


def push_warning(*parts: object) -> None:
    """Log a warning, like GDScript's ``push_warning()`` and the engine's ``WARN_PRINT``."""
    logger.warning("WARNING: %s", "".join(str(p) for p in parts))


def print_verbose(*parts: object) -> None:
    """Log a message that Godot prints only in verbose mode."""
    logger.debug("%s", "".join(str(p) for p in parts))


def fail(value: _T, message: str) -> _T:
    """Print ``message`` as an error and return ``value`` (``ERR_FAIL_*_V_MSG``)."""
    push_error(message)
    return value
