"""Command line of the benchmark programs: ``python -m netpeer.bench server|client ...``.

::

    python -m netpeer.bench server --port P [--fps N] [--seconds 300]
    python -m netpeer.bench client --url ws://127.0.0.1:P/ --metric pingpong|bulk|handshake
                                   [--seconds 2] [--fps N] [--impl NAME]

``--fps 0`` (default) polls in a tight loop; ``--fps N`` polls once per frame of the engine
main loop, headless, at N frames/s. See ``bench/README.md`` for running it in the harness.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m netpeer.bench", description="netpeer's WebSocket benchmark programs"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    server = sub.add_parser("server", help="serve the harness protocol on 127.0.0.1")
    server.add_argument("--port", type=int, required=True)
    server.add_argument("--fps", type=float, default=0.0, help="0: tight poll loop (default)")
    server.add_argument("--seconds", type=float, default=300.0, help="backstop: exit after this")
    client = sub.add_parser("client", help="measure one metric and print its JSON line")
    client.add_argument("--url", required=True)
    client.add_argument("--metric", required=True, choices=("pingpong", "bulk", "handshake"))
    client.add_argument("--seconds", type=float, default=2.0)
    client.add_argument("--fps", type=float, default=0.0, help="0: tight poll loop (default)")
    client.add_argument("--impl", default="", help="name in the JSON line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    if args.command == "server":
        from netpeer.bench.server import serve

        return serve(args.port, args.fps, args.seconds)
    from netpeer.bench.client import measure

    return measure(args.url, args.metric, args.seconds, args.fps, args.impl)


if __name__ == "__main__":
    sys.exit(main())
