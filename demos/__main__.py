"""The demo launcher: ``python -m demos [name] [--headless] [--seconds S] [--frames N]``.

Lists the demos and runs the chosen one in a window. With no display (no ``DISPLAY`` or
``WAYLAND_DISPLAY`` on Linux, ``SDL_VIDEODRIVER=dummy``, or ``--headless``) it runs the first
demo (or the named one) headless for a few seconds and prints what happened.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from demos import DEMOS, DemoInfo
from engine.platform import is_headless_environment, run

HEADLESS_SECONDS = 3.0


def _print_list() -> None:
    print("netpeer demos:")
    for i, demo in enumerate(DEMOS, 1):
        print(f"  {i}. {demo.name:<20} {demo.title}: {demo.description}")


def _choose(name: str | None, interactive: bool) -> DemoInfo | None:
    if name is not None:
        for i, demo in enumerate(DEMOS, 1):
            if name in (demo.name, str(i)):
                return demo
        print(f"unknown demo {name!r}", file=sys.stderr)
        return None
    if interactive and len(DEMOS) > 1:
        answer = input(f"Choose a demo [1-{len(DEMOS)}, Enter = 1]: ").strip() or "1"
        return _choose(answer, False)
    return DEMOS[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demos", description=__doc__.splitlines()[0])
    parser.add_argument("demo", nargs="?", help="demo name or number (default: the first)")
    parser.add_argument("--list", action="store_true", help="list the demos and exit")
    parser.add_argument("--headless", action="store_true", help="run without a window")
    parser.add_argument("--seconds", type=float, default=None, help="stop after S seconds")
    parser.add_argument("--frames", type=int, default=None, help="stop after N frames")
    parser.add_argument("--max-fps", type=int, default=60, help="frame-rate cap (0 = none)")
    args = parser.parse_args(argv)

    _print_list()
    if args.list:
        return 0
    headless = args.headless or is_headless_environment()
    demo = _choose(args.demo, interactive=not headless and sys.stdin.isatty())
    if demo is None:
        return 2
    seconds = args.seconds
    if headless and seconds is None and args.frames is None:
        seconds = HEADLESS_SECONDS
    limit = (
        f" for {seconds:g} s"
        if seconds is not None
        else (f" for {args.frames} frames" if args.frames is not None else "")
    )
    mode = "headless (no display)" if headless else "in a window"
    print(f"\nRunning '{demo.name}' {mode}{limit}.", flush=True)

    scene = demo.create()
    reports: list[str] = []
    summary = getattr(scene, "summary", None)
    if callable(summary):
        scene.tree_exiting.connect(lambda: reports.append(str(summary())))
    started = time.perf_counter()
    code = run(
        scene,
        headless=headless,
        seconds=seconds,
        frames=args.frames,
        max_fps=args.max_fps,
        title=f"netpeer demo: {demo.title}",
    )
    elapsed = time.perf_counter() - started
    print(f"'{demo.name}' ended after {elapsed:.2f} s with exit code {code}.")
    for report in reports:
        print(report)
    return code


if __name__ == "__main__":
    sys.exit(main())
