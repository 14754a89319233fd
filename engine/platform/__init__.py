"""The pygame platform layer: the only part of the project that imports pygame.

``run(scene, headless=None, max_fps=60, frames=None, seconds=None, ...)`` runs a scene in a
window or headless; ``Main`` drives a ``SceneTree`` with real time without pygame. Importing
this package does not import pygame (``run`` loads it when called).
"""

from __future__ import annotations

from engine.platform.main import Main, is_headless_environment, run

__all__ = ["Main", "is_headless_environment", "run"]
