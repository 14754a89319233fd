"""The benchmark client: one ``WebSocketPeer`` polled like a game, one JSON line per metric.

Metrics (the shared harness's definitions):

* ``pingpong`` -> ``pingpong_rtps``: send a 32-byte binary message, wait for the echo,
  repeat for ``--seconds`` after 100 warm-up round trips;
* ``bulk`` -> ``bulk_mbps``: text ``sink:start``, wait for ``sink:started``, then send 64 KiB
  binary messages as fast as Godot-4 flow control allows (``put_packet`` only while
  ``get_current_outbound_buffered_amount()`` leaves room under ``outbound_buffer_size``;
  ``ERR_OUT_OF_MEMORY`` means "poll and retry"; at most one buffer's worth per frame), then
  ``sink:report``; bytes the server counted / (first send .. report reply);
* ``handshake`` -> ``handshake_per_s``: sequentially ``connect_to_url`` until OPEN, then
  ``close()`` until CLOSED.

Each metric is a generator: the code between two ``yield`` statements is one frame (one
``poll()`` and what the game does with its result), so the same code runs in a tight loop
(``--fps 0``) and once per engine frame (``--fps N``). Sending flushes at once (Godot), so at
N frames/s a ping-pong completes one round trip per frame.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from engine.core.error import Error
from netpeer.bench import BULK_CHUNK_BYTES, PINGPONG_MESSAGE_BYTES, PINGPONG_WARMUP
from netpeer.bench._frames import run_frames
from netpeer.websocket_peer import WebSocketPeer

BULK_OUTBOUND_BUFFER_SIZE = 16 * 1024 * 1024
"""The client's ``outbound_buffer_size`` for bulk: how much may wait to be written."""

DEADLINE_GRACE_SECONDS = 60.0
"""A metric that has not finished ``seconds`` + this long after its start fails."""

_OPEN = WebSocketPeer.STATE_OPEN
_CLOSED = WebSocketPeer.STATE_CLOSED
_OK = Error.OK
_CHECK_CLOCK_EVERY = 1024  # idle frames between deadline checks

Frames = Generator[None, None, None]
Emit = Callable[..., None]


class BenchError(RuntimeError):
    """The connection failed or the deadline passed; the metric has no value."""


class _Deadline:
    """Raises :class:`BenchError` once the wall-clock deadline has passed (checked cheaply)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.perf_counter() + seconds
        self._countdown = _CHECK_CLOCK_EVERY

    def tick(self) -> None:
        self._countdown -= 1
        if self._countdown <= 0:
            self._countdown = _CHECK_CLOCK_EVERY
            if time.perf_counter() > self.at:
                raise BenchError("deadline passed")


def _connect(url: str, outbound_buffer_size: int | None = None) -> WebSocketPeer:
    peer = WebSocketPeer()
    if outbound_buffer_size is not None:
        peer.set_outbound_buffer_size(outbound_buffer_size)
    err = peer.connect_to_url(url)
    if err != _OK:
        raise BenchError(f"connect_to_url({url!r}) failed: {err.name}")
    return peer


def _until_open(peer: WebSocketPeer, deadline: _Deadline) -> Frames:
    """Poll once per frame until the handshake is done (the poll of the last frame included)."""
    while True:
        peer.poll()
        state = peer.get_ready_state()
        if state == _OPEN:
            return
        if state == _CLOSED:
            raise BenchError(f"handshake failed (close code {peer.get_close_code()})")
        deadline.tick()
        yield


def _next_packet(peer: WebSocketPeer, deadline: _Deadline) -> Generator[None, None, bytes]:
    """Poll once per frame until a packet arrives; return it."""
    while True:
        peer.poll()
        if peer.get_available_packet_count():
            return peer.get_packet()
        if peer.get_ready_state() != _OPEN:
            raise BenchError("connection lost while waiting for a reply")
        deadline.tick()
        yield


def _until_closed(peer: WebSocketPeer, deadline: _Deadline) -> Frames:
    while peer.get_ready_state() != _CLOSED:
        deadline.tick()
        yield
        peer.poll()


def _goodbye(peer: WebSocketPeer, deadline: _Deadline) -> Frames:
    """Close politely, but do not let a slow close handshake hold up the result."""
    peer.close()
    for _ in range(200):
        if peer.get_ready_state() == _CLOSED:
            return
        yield
        peer.poll()
    peer.close(-1)


def pingpong(url: str, seconds: float, emit: Emit) -> Frames:
    deadline = _Deadline(seconds + DEADLINE_GRACE_SECONDS)
    peer = _connect(url)
    yield from _until_open(peer, deadline)
    message = b"x" * PINGPONG_MESSAGE_BYTES
    n = -PINGPONG_WARMUP
    frames = 0
    t0 = end = 0.0
    f0 = 0
    if peer.put_packet(message) != _OK:
        raise BenchError("put_packet failed")
    # the frame in which the connection opened ends here; from now on one poll per frame
    while True:
        frames += 1
        yield
        peer.poll()
        if peer.get_available_packet_count():
            peer.get_packet()
            n += 1
            if n == 0:
                t0, f0 = time.perf_counter(), frames
                end = t0 + seconds
            elif n > 0 and time.perf_counter() >= end:
                break
            if peer.put_packet(message) != _OK:
                raise BenchError("put_packet failed")
        elif peer.get_ready_state() != _OPEN:
            raise BenchError("connection lost during ping-pong")
        else:
            deadline.tick()
    dt = time.perf_counter() - t0
    emit(
        "pingpong_rtps",
        round(n / dt),
        "round trips/s",
        count=n,
        seconds=round(dt, 3),
        msg_bytes=PINGPONG_MESSAGE_BYTES,
        fps=round((frames - f0) / dt, 1),
    )
    yield from _goodbye(peer, deadline)


def bulk(url: str, seconds: float, emit: Emit) -> Frames:
    deadline = _Deadline(seconds + DEADLINE_GRACE_SECONDS)
    limit = BULK_OUTBOUND_BUFFER_SIZE
    peer = _connect(url, limit)
    yield from _until_open(peer, deadline)
    peer.send_text("sink:start")
    yield
    reply = yield from _next_packet(peer, deadline)
    if reply != b"sink:started":
        raise BenchError(f"unexpected reply to sink:start: {reply[:40]!r}")
    chunk = os.urandom(BULK_CHUNK_BYTES)
    room = limit - BULK_CHUNK_BYTES
    frames = 0
    t0 = time.perf_counter()
    end = t0 + seconds
    per_frame = limit // BULK_CHUNK_BYTES
    while True:
        # Fill the outbound buffer. put_packet also writes at once, so while the socket
        # drains the buffer never fills: send at most one buffer's worth per frame.
        for _ in range(per_frame):
            if peer.get_current_outbound_buffered_amount() > room:
                break
            if peer.put_packet(chunk) != _OK:
                break  # ERR_OUT_OF_MEMORY (queue full) or FAILED: poll first
        frames += 1
        if time.perf_counter() >= end:
            break
        yield
        peer.poll()
        if peer.get_ready_state() != _OPEN:
            raise BenchError("connection lost during bulk")
    report = b"sink:report"
    while peer.get_current_outbound_buffered_amount() + len(report) > limit:
        deadline.tick()
        yield
        peer.poll()
        if peer.get_ready_state() != _OPEN:
            raise BenchError("connection lost before sink:report")
    if peer.send(report, WebSocketPeer.WRITE_MODE_TEXT) != _OK:
        raise BenchError("sending sink:report failed")
    yield
    reply = yield from _next_packet(peer, deadline)
    dt = time.perf_counter() - t0
    try:
        nbytes = int(reply.split(b":")[1])
    except (IndexError, ValueError):
        raise BenchError(f"unexpected reply to sink:report: {reply[:40]!r}") from None
    emit(
        "bulk_mbps",
        round(nbytes / dt / 1e6, 1),
        "MB/s",
        bytes=nbytes,
        seconds=round(dt, 3),
        chunk=BULK_CHUNK_BYTES,
        fps=round(frames / dt, 1),
        out_limit=limit,
    )
    yield from _goodbye(peer, deadline)


def handshake(url: str, seconds: float, emit: Emit) -> Frames:
    deadline = _Deadline(seconds + DEADLINE_GRACE_SECONDS)
    n = 0
    frames = 0
    t0 = time.perf_counter()
    end = t0 + seconds
    while time.perf_counter() < end:
        peer = _connect(url)
        for _ in _until_open(peer, deadline):
            frames += 1
            yield
        peer.close()
        for _ in _until_closed(peer, deadline):
            frames += 1
            yield
        n += 1
    dt = time.perf_counter() - t0
    emit(
        "handshake_per_s",
        round(n / dt, 1),
        "handshakes/s",
        count=n,
        seconds=round(dt, 3),
        fps=round(frames / dt, 1),
    )


METRICS: dict[str, Callable[[str, float, Emit], Frames]] = {
    "pingpong": pingpong,
    "bulk": bulk,
    "handshake": handshake,
}


def default_impl_name(fps: float) -> str:
    return "netpeer-" + ("uncapped" if fps <= 0 else f"{fps:g}fps")


def measure(url: str, metric: str, seconds: float, fps: float = 0, impl: str = "") -> int:
    """Run one metric and print its JSON line. Returns the process exit code."""
    name = impl or default_impl_name(fps)

    def emit(metric_name: str, value: float, unit: str, **extra: Any) -> None:
        line = {"impl": name, "metric": metric_name, "value": value, "unit": unit, **extra}
        print(json.dumps(line), flush=True)

    frames: Iterator[None] = METRICS[metric](url, seconds, emit)
    done = object()
    finished = False

    def step() -> bool:
        nonlocal finished
        finished = next(frames, done) is done
        return finished

    try:
        if fps <= 0:
            for _ in frames:  # the tight loop, without a call per iteration
                pass
            finished = True
        else:
            run_frames(step, fps, seconds + DEADLINE_GRACE_SECONDS)
    except BenchError as exc:
        print(f"netpeer.bench client ({metric}): {exc}", file=sys.stderr, flush=True)
        return 1
    if not finished:
        print(f"netpeer.bench client ({metric}): deadline passed", file=sys.stderr, flush=True)
        return 1
    return 0
