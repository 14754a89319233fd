"""``python -m demos.ws_arena``: the arena in one process, as a server, or joining one.

    python -m demos.ws_arena                          # server + You + bots, in a window
    python -m demos.ws_arena --server 9080            # standalone server on port 9080
    python -m demos.ws_arena --connect ws://192.168.1.20:9080/   # join another machine
    python -m demos.ws_arena --tls                    # the same over wss:// (dev certificate)

Without a display (or with ``--headless``) it runs for a few seconds (a standalone server
until Ctrl+C) and prints a report of the connections, messages and close codes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from demos.ws_arena import HEADLESS_ROAM, ArenaConfig, create
from engine.platform import is_headless_environment, run

HEADLESS_SECONDS = 3.0


def parse_args(argv: Sequence[str] | None = None) -> tuple[ArenaConfig, argparse.Namespace]:
    parser = argparse.ArgumentParser(
        prog="python -m demos.ws_arena", description=__doc__.splitlines()[0]
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--server", metavar="PORT", type=int, help="run only a server on PORT")
    where.add_argument("--connect", metavar="URL", help="join the server at ws://host:port/")
    parser.add_argument("--bind", default=None, help="server bind address (--server: '*')")
    parser.add_argument("--bots", type=int, default=None, help="number of bot clients")
    parser.add_argument("--no-roamer", action="store_true", help="no bot that leaves and returns")
    parser.add_argument("--no-player", action="store_true", help="no keyboard-driven 'You'")
    parser.add_argument("--tls", action="store_true", help="wss:// with the dev certificate")
    parser.add_argument("--seed", type=int, default=7, help="seed of the bots and the orbs")
    parser.add_argument("--headless", action="store_true", help="run without a window")
    parser.add_argument("--seconds", type=float, default=None, help="stop after S seconds")
    parser.add_argument("--frames", type=int, default=None, help="stop after N frames")
    args = parser.parse_args(argv)

    config = ArenaConfig(seed=args.seed, tls=args.tls)
    if args.server is not None:
        config.mode, config.port = "server", args.server
        config.bind_address = args.bind or "*"
        config.bots, config.roamer, config.player = 0, False, False
    elif args.connect is not None:
        config.mode, config.url = "client", args.connect
        config.bots, config.roamer = 0, False
    if args.bind is not None:
        config.bind_address = args.bind
    if args.bots is not None:
        config.bots = max(0, args.bots)
    if args.no_roamer:
        config.roamer = False
    if args.no_player:
        config.player = False
    return config, args


def main(argv: Sequence[str] | None = None) -> int:
    config, args = parse_args(argv)
    headless = args.headless or is_headless_environment()
    seconds = args.seconds
    if headless and seconds is None and args.frames is None and config.mode != "server":
        seconds = HEADLESS_SECONDS
    if headless:
        config.roam = HEADLESS_ROAM
        config.print_events = config.mode != "local"
    scene = create(config)
    reports: list[str] = []
    scene.tree_exiting.connect(lambda: reports.append(scene.summary()))
    try:
        code = run(
            scene,
            headless=headless,
            seconds=seconds,
            frames=args.frames,
            title="netpeer demo: WebSocket arena",
        )
    except KeyboardInterrupt:  # Ctrl+C on a standalone server: the tree still exited cleanly.
        code = 0
    for report in reports:
        print(report)
    return code


if __name__ == "__main__":
    sys.exit(main())
