"""Godot's ``MainLoop``: the object the engine drives once per physics tick and per frame.

``SceneTree`` is the MainLoop every game uses. The driver (``engine.platform.main.Main``, or a
test calling the methods directly) calls ``initialize()`` once, then per frame some
``physics_process(step)`` calls and one ``process(delta)`` call, each returning ``True`` when
the loop wants to quit, and ``finalize()`` at the end. No pygame here.
"""

from __future__ import annotations

from engine.core.object import Object


class MainLoop(Object):
    """Abstract base class for the game's main loop (Godot ``MainLoop``)."""

    NOTIFICATION_OS_MEMORY_WARNING = 2009
    NOTIFICATION_TRANSLATION_CHANGED = 2010
    NOTIFICATION_WM_ABOUT = 2011
    NOTIFICATION_CRASH = 2012
    NOTIFICATION_OS_IME_UPDATE = 2013
    NOTIFICATION_APPLICATION_RESUMED = 2014
    NOTIFICATION_APPLICATION_PAUSED = 2015
    NOTIFICATION_APPLICATION_FOCUS_IN = 2016
    NOTIFICATION_APPLICATION_FOCUS_OUT = 2017
    NOTIFICATION_TEXT_SERVER_CHANGED = 2018

    def _initialize(self) -> None:
        """Called once before the first iteration."""

    def _physics_process(self, delta: float) -> bool:
        """Called every physics tick; return ``True`` to quit."""
        return False

    def _process(self, delta: float) -> bool:
        """Called every frame; return ``True`` to quit."""
        return False

    def _finalize(self) -> None:
        """Called once before the program exits."""

    def initialize(self) -> None:
        self._initialize()

    def physics_process(self, delta: float) -> bool:
        return bool(self._physics_process(delta))

    def process(self, delta: float) -> bool:
        return bool(self._process(delta))

    def finalize(self) -> None:
        self._finalize()
