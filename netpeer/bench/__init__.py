"""``python -m netpeer.bench``: netpeer's side of the shared benchmark harness.

The harness (``run_matrix.py`` in the shared ``bench/`` folder) measures WebSocket
implementations side by side. This package is netpeer's implementation under test:

* ``server --port P [--fps N]``: a ``TCPServer`` + ``WebSocketPeer.accept_stream`` server
  speaking the harness protocol (echo; ``sink:start`` / ``sink:report``;
  ``server:shutdown``), see :mod:`netpeer.bench.server`;
* ``client --url U --metric pingpong|bulk|handshake --seconds S [--fps N]``: a
  ``WebSocketPeer`` client printing one JSON line per metric, see :mod:`netpeer.bench.client`.

``--fps 0`` (the default) calls ``poll()`` in a tight loop. ``--fps N`` calls it once per
frame from a ``Node._process`` driven by the engine's pygame main loop (headless) at
``Engine.max_fps = N``: the way a game polls. The engine is imported only in that mode
(:mod:`netpeer.bench._frames`), so this package is an application entry point, not part of
the netpeer library layer.
"""

from __future__ import annotations

PINGPONG_MESSAGE_BYTES = 32
"""Size of the ping-pong message (the harness's ``MSG``)."""

BULK_CHUNK_BYTES = 64 * 1024
"""Size of one bulk message (the harness's ``CHUNK``)."""

PINGPONG_WARMUP = 100
"""Round trips before the ping-pong clock starts."""
