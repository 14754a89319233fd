"""Smoke test of ``python -m netpeer.bench``: our server and our client against each other.

Each program runs in its own process on loopback, as the benchmark harness runs them; every
wait has a deadline. Only the plumbing is checked (a JSON line per metric, a positive value,
the server protocol, ``server:shutdown``): performance lives in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.core.error import Error
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

ROOT = Path(__file__).resolve().parent.parent
SECONDS = "0.3"
CLIENT_TIMEOUT = 30.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["SDL_VIDEODRIVER"] = "dummy"
    env["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    return env


def _start_server(*extra: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "netpeer.bench", "server", "--port", "0", "--seconds", "60", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.1)
        if ready:
            line = proc.stderr.readline()
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if match:
                return proc, int(match.group(1))
        if proc.poll() is not None:
            break
    proc.kill()
    proc.wait()
    pytest.fail("the benchmark server did not report its port")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    if proc.stderr is not None:
        proc.stderr.close()


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc, port = _start_server()
    try:
        yield proc, port
    finally:
        _stop(proc)


def _client(port: int, metric: str, *extra: str) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "netpeer.bench",
            "client",
            "--url",
            f"ws://127.0.0.1:{port}/",
            "--metric",
            metric,
            "--seconds",
            SECONDS,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=CLIENT_TIMEOUT,
        cwd=ROOT,
        env=_env(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, result.stdout
    return lines[0]


EXPECTED = {
    "pingpong": ("pingpong_rtps", "round trips/s"),
    "bulk": ("bulk_mbps", "MB/s"),
    "handshake": ("handshake_per_s", "handshakes/s"),
}


@pytest.mark.parametrize("metric", sorted(EXPECTED))
def test_client_against_server_uncapped(server: tuple[subprocess.Popen[str], int], metric: str):
    proc, port = server
    line = _client(port, metric)
    name, unit = EXPECTED[metric]
    assert line["impl"] == "netpeer-uncapped"
    assert line["metric"] == name
    assert line["unit"] == unit
    assert isinstance(line["value"], int | float)
    assert line["value"] > 0
    assert line["count" if metric != "bulk" else "bytes"] > 0
    assert proc.poll() is None  # the server serves one connection after another


def test_frame_paced_client_makes_one_round_trip_per_frame(
    server: tuple[subprocess.Popen[str], int],
):
    _, port = server
    line = _client(port, "pingpong", "--fps", "60", "--impl", "mine")
    assert line["impl"] == "mine"
    assert line["fps"] > 0
    # sends flush at once and the server echoes within the frame: one round trip per frame
    assert line["value"] >= 0.8 * line["fps"]


def _poll_until(peer: WebSocketPeer, condition: Callable[[], object], seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        peer.poll()
        time.sleep(0.001)  # a frame of a slow game loop; the deadline bounds the wait
    assert condition(), "condition not reached before the deadline"


def test_frame_paced_server_speaks_the_protocol_and_shuts_down():
    proc, port = _start_server("--fps", "200")
    try:
        peer = WebSocketPeer()
        assert peer.connect_to_url(f"ws://127.0.0.1:{port}/") == Error.OK
        _poll_until(peer, lambda: peer.get_ready_state() == WebSocketPeer.STATE_OPEN)
        replies: list[tuple[bytes, bool]] = []

        def ask(data: bytes, text: bool) -> tuple[bytes, bool]:
            mode = WebSocketPeer.WRITE_MODE_TEXT if text else WebSocketPeer.WRITE_MODE_BINARY
            assert peer.send(data, mode) == Error.OK
            _poll_until(peer, peer.get_available_packet_count)
            packet = peer.get_packet()
            replies.append((packet, peer.was_string_packet()))
            return replies[-1]

        assert ask(b"hello", True) == (b"hello", True)
        assert ask(b"\x00\x01", False) == (b"\x00\x01", False)
        assert ask(b"sink:report", True) == (b"sink:0:0", True)
        assert ask(b"sink:start", True) == (b"sink:started", True)
        assert peer.send(b"abc", WebSocketPeer.WRITE_MODE_BINARY) == Error.OK  # counted
        assert ask(b"sink:report", True) == (b"sink:3:1", True)
        assert peer.send_text("server:shutdown") == Error.OK
        _poll_until(peer, lambda: proc.poll() is not None)
        assert proc.returncode == 0
    finally:
        _stop(proc)


@pytest.mark.parametrize(
    ("script", "args", "pattern"),
    [
        ("bulk_vs_sendall.py", ["--messages", "300", "--rounds", "1"], r"ratio \d+\.\d\d"),
        *[
            (
                "bulk_receive.py",
                ["--side", side, *tls, "--seconds", SECONDS, "--rounds", "1"],
                rf"{scheme} {side} get_packet +\d+ MB/s +\d+\.\d\d page faults per message",
            )
            for side, tls, scheme in [
                ("server", [], "ws"),
                ("client", [], "ws"),
                ("client", ["--tls"], "wss"),
            ]
        ],
    ],
)
def test_bench_scripts_run(script: str, args: list[str], pattern: str) -> None:
    """The stand-alone bench/ scripts run to the end and print their figures."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(pattern, done.stdout), done.stdout
    assert "ERROR" not in done.stderr, done.stderr
