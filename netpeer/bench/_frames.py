"""The two ways the benchmark programs drive their ``poll()`` loop.

``run_frames(step, fps, seconds)`` calls ``step()`` until it returns ``True``:

* ``fps <= 0``: in a tight loop, no engine involved (the "uncapped" rows);
* ``fps > 0``: once per frame from the ``_process`` of a ``Node`` in a ``SceneTree`` run by
  ``engine.platform.run`` headless (``SDL_VIDEODRIVER=dummy``) with ``Engine.max_fps = fps``,
  which is how a pygame game built on the engine polls its peers.

The engine (and pygame) are imported lazily, only for the frame-paced mode.
"""

from __future__ import annotations

import os
from collections.abc import Callable

_HEADLESS_WINDOW = (16, 16)  # nothing is drawn; a tiny offscreen surface keeps clears cheap


def run_frames(step: Callable[[], bool], fps: float, seconds: float | None = None) -> None:
    """Call ``step()`` until it returns ``True`` (or ``seconds`` pass, as a backstop)."""
    if fps <= 0:
        while not step():
            pass
        return
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from engine.platform import run
    from engine.scene.node import Node

    class _PollNode(Node):
        """Calls ``step()`` once per frame; quits the tree when it is done."""

        def _process(self, delta: float) -> None:
            if step():
                tree = self.get_tree()
                if tree is not None:
                    tree.quit()

    run(
        _PollNode(),
        headless=True,
        max_fps=max(1, round(fps)),
        seconds=seconds,
        window_size=_HEADLESS_WINDOW,
        title="netpeer.bench",
    )
