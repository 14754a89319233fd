"""Questions about pygame input events, for code that must not import pygame itself.

``_input(event)`` receives raw ``pygame.event.Event`` objects. Scene and demo code (which
stays pygame-free) asks ``PygameInput.is_key_pressed(event, "space")`` instead of comparing
``event.type`` with pygame's constants. Key names are pygame's ``K_`` constants without the prefix,
in any case: ``"space"``, ``"escape"``, ``"return"``, ``"a"``, ``"up"``, ``"F1"``, ...
"""

from __future__ import annotations

from typing import Any

import pygame


def _key_code(name: str) -> int | None:
    for candidate in (f"K_{name}", f"K_{name.upper()}", f"K_{name.lower()}"):
        code = getattr(pygame, candidate, None)
        if isinstance(code, int):
            return code
    return None


class PygameInput:
    """Static helpers that classify pygame events."""

    @staticmethod
    def is_key_pressed(event: Any, key: str) -> bool:
        """True for a key-down event of the named key."""
        if getattr(event, "type", None) != pygame.KEYDOWN:
            return False
        code = _key_code(key)
        return code is not None and getattr(event, "key", None) == code

    @staticmethod
    def is_key_released(event: Any, key: str) -> bool:
        """True for a key-up event of the named key."""
        if getattr(event, "type", None) != pygame.KEYUP:
            return False
        code = _key_code(key)
        return code is not None and getattr(event, "key", None) == code

    @staticmethod
    def is_mouse_button_pressed(event: Any, button: int = 1) -> bool:
        """True for a mouse-button-down event (1 = left, 2 = middle, 3 = right)."""
        return bool(
            getattr(event, "type", None) == pygame.MOUSEBUTTONDOWN
            and getattr(event, "button", None) == button
        )

    @staticmethod
    def get_mouse_position(event: Any) -> tuple[int, int] | None:
        """The window position of a mouse event, or None for other events."""
        pos = getattr(event, "pos", None)
        if isinstance(pos, tuple) and len(pos) == 2:
            return (int(pos[0]), int(pos[1]))
        return None
