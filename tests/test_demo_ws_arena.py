"""The WebSocket arena demo: headless runs, its protocol against a raw peer, and standalone
server/client processes talking over loopback."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_until

from demos.ws_arena import ArenaConfig, ArenaDemo, create, protocol
from demos.ws_arena.client import ArenaClient, DrawnPlayer, Snapshot
from demos.ws_arena.pilots import BotPilot, KeyboardPilot
from engine.core.variant.color import Color
from engine.core.variant.vector2 import Vector2
from engine.platform import run
from engine.scene.scene_tree import SceneTree
from netpeer.marshalls import var_to_bytes
from netpeer.websocket_peer import WebSocketPeer

ROOT = Path(__file__).resolve().parent.parent
FRAME = 1.0 / 60


def _run_headless(config: ArenaConfig, seconds: float) -> tuple[dict[str, Any], str, bool]:
    scene = create(config)
    captured: dict[str, Any] = {}

    def on_exiting() -> None:
        captured["report"] = scene.report()
        captured["summary"] = scene.summary()
        assert scene.server is not None
        captured["listening"] = scene.server.is_listening()

    scene.tree_exiting.connect(on_exiting)
    assert run(scene, headless=True, seconds=seconds, max_fps=60) == 0
    return captured["report"], captured["summary"], captured["listening"]


def test_headless_run_connects_exchanges_and_closes_cleanly() -> None:
    config = ArenaConfig(roam=(0.5, 0.3))  # Roamer leaves at 0.5 s, is back 0.3 s later.
    report, summary, listening = _run_headless(config, 2.0)

    assert not listening
    server = report["server"]
    names = [c["name"] for c in report["clients"]]
    assert names == ["You", "Bot Ada", "Bot Bix", "Roamer"]
    assert server["handshakes"] >= 5  # four clients, and Roamer once more
    assert server["max_players"] == 4
    assert server["snapshots"] >= 20  # 20 per second
    assert server["messages_in"] >= 4 * 2  # a hello and pings/inputs from everyone
    codes = [code for code, _ in server["closes"]]
    assert len(codes) >= 5 and all(code == 1000 for code in codes), server["closes"]
    reasons = [reason for _, reason in server["closes"]]
    assert "going for a walk" in reasons and reasons.count("demo over") >= 3

    for client in report["clients"]:
        assert client["opens"] >= 1, client
        assert client["messages_in"] >= 10 and client["bytes_in"] > client["messages_in"]
        assert client["messages_out"] >= 2  # hello + input/ping
        assert client["ping_ms"], client  # at least one application ping answered
        assert 0 <= min(client["ping_ms"]) < 1000
        assert client["closes"] and all(code == 1000 for code, _ in client["closes"])
    roamer = report["clients"][-1]
    assert roamer["opens"] >= 2 and roamer["closes"][0] == (1000, "going for a walk")

    assert re.search(r"server saw (\d+) closes, \1 clean", summary), summary
    assert "WebSocket handshakes" in summary and "scores:" in summary


def test_headless_run_over_tls() -> None:
    config = ArenaConfig(tls=True, bots=1, roamer=False)
    report, summary, listening = _run_headless(config, 1.0)
    assert "wss://localhost:" in summary
    assert report["url"].startswith("wss://localhost:")
    assert not listening
    assert report["server"]["handshakes"] == 2
    assert all(c["messages_in"] > 5 for c in report["clients"])
    assert [code for code, _ in report["server"]["closes"]] == [1000, 1000]


def test_python_m_demos_runs_the_arena_first_and_reports() -> None:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["SDL_VIDEODRIVER"] = "dummy"
    result = subprocess.run(
        [sys.executable, "-m", "demos"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1. ws_arena" in out
    assert "Running 'ws_arena' headless (no display) for 3 s." in out
    match = re.search(r"server: (\d+) WebSocket handshakes", out)
    assert match is not None and int(match.group(1)) >= 4, out
    closes = re.search(r"server saw (\d+) closes, (\d+) clean", out)
    assert closes is not None and closes.group(1) == closes.group(2) and int(closes.group(1)) >= 4
    for name in ("You", "Bot Ada", "Bot Bix", "Roamer"):
        line = re.search(rf"^  {name}: OPEN x\d+ .*in (\d+) msgs.*out (\d+) msgs.*ping", out, re.M)
        assert line is not None and int(line.group(1)) > 10 and int(line.group(2)) > 1, out
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr


# -- a scene driven frame by frame, against a raw WebSocketPeer -----------------------------------


@pytest.fixture
def server_scene() -> Iterator[tuple[SceneTree, ArenaDemo]]:
    tree = SceneTree()
    demo = ArenaDemo(ArenaConfig(player=False, bots=0, roamer=False))
    tree.get_root().add_child(demo)
    tree.initialize()
    try:
        yield tree, demo
    finally:
        tree.finalize()


def _frame(tree: SceneTree, *peers: WebSocketPeer) -> None:
    tree.physics_process(FRAME)
    tree.process(FRAME)
    for peer in peers:
        peer.poll()


def _connect(tree: SceneTree, demo: ArenaDemo) -> WebSocketPeer:
    assert demo.server is not None and demo.server.port > 0
    ws = WebSocketPeer()
    assert ws.connect_to_url(f"ws://127.0.0.1:{demo.server.port}/") == 0
    wait_until(lambda: ws.get_ready_state() == ws.STATE_OPEN, 5, lambda: _frame(tree, ws))
    wait_until(lambda: ws.get_available_packet_count() > 0, 5, lambda: _frame(tree, ws))
    return ws


def test_a_godot_style_client_joins_with_put_var(server_scene: tuple[SceneTree, ArenaDemo]) -> None:
    tree, demo = server_scene
    ws = _connect(tree, demo)
    welcome = ws.get_var()
    assert welcome["type"] == "welcome" and welcome["id"] == 2
    assert ws.put_var({"type": "hello", "name": "Godot\x07 client with a long name"}) == 0
    assert ws.put_var({"type": "input", "dir": Vector2(3, 0)}) == 0  # clamped to length 1

    states: list[dict[str, Any]] = []

    def collect() -> None:
        _frame(tree, ws)
        while ws.get_available_packet_count():
            message = ws.get_var()
            if message["type"] == "state" and 2 in message["players"]:
                states.append(message)

    wait_until(lambda: len(states) >= 6, 5, collect)
    first, last = states[0]["players"][2], states[-1]["players"][2]
    assert first[3] == "Godot client wit"  # printable, at most 16 characters
    assert isinstance(first[1], Color)
    assert last[0].x > first[0].x  # moving right, as asked
    moved = last[0].x - first[0].x
    seconds = (states[-1]["tick"] - states[0]["tick"]) * FRAME
    assert moved <= 220 * seconds + 1  # never faster than SPEED: the server is authoritative

    ws.close(1000, "bye")
    server = demo.server
    assert server is not None
    wait_until(lambda: bool(server.closed), 5, lambda: _frame(tree, ws))
    assert (server.closed[0].code, server.closed[0].reason) == (1000, "bye")
    assert ws.get_ready_state() == ws.STATE_CLOSED and ws.get_close_code() == 1000


@pytest.mark.parametrize(
    "payload",
    [
        b"\x00\x01garbage",
        protocol.encode({"type": "input", "dir": "fast"}),
        protocol.encode({"type": "input", "dir": Vector2(float("nan"), 0)}),
        protocol.encode({"type": "teleport"}),
        protocol.encode({"kind": "hello"}),
        var_to_bytes([1, 2, 3]),
    ],
)
def test_bad_messages_close_the_peer_with_1008(
    server_scene: tuple[SceneTree, ArenaDemo], payload: bytes
) -> None:
    tree, demo = server_scene
    ws = _connect(tree, demo)
    assert ws.put_packet(payload) == 0
    wait_until(lambda: ws.get_ready_state() == ws.STATE_CLOSED, 5, lambda: _frame(tree, ws))
    assert ws.get_close_code() == 1008
    assert ws.get_close_reason() == "bad message"
    assert demo.server is not None and demo.server.is_listening()


def test_oversized_message_is_refused(server_scene: tuple[SceneTree, ArenaDemo]) -> None:
    tree, demo = server_scene
    ws = _connect(tree, demo)
    assert ws.put_packet(b"\x00" * (protocol.MAX_MESSAGE_BYTES + 100)) == 0
    wait_until(lambda: ws.get_ready_state() == ws.STATE_CLOSED, 5, lambda: _frame(tree, ws))
    assert ws.get_close_code() in (1008, 1009)


def test_protocol_parsing() -> None:
    parse = protocol.parse_client_message
    assert parse(protocol.encode(protocol.ping(12))) == {"type": "ping", "t": 12}
    assert parse(protocol.encode({"type": "ping", "t": True})) is None
    assert parse(protocol.encode({"type": "hello", "name": "  \t "})) == protocol.hello("Player")
    message = parse(protocol.encode(protocol.input_message(Vector2(0, -5))))
    assert message is not None and message["dir"] == Vector2(0, -1)
    assert parse(b"") is None
    assert protocol.decode(protocol.encode(protocol.event("hi"))) == protocol.event("hi")


# -- client pieces ---------------------------------------------------------------------------


def _snapshot(time_: float, x: float) -> Snapshot:
    player = DrawnPlayer(2, "A", Color(1, 0, 0), Vector2(x, 10), 0)
    return Snapshot(time_, 0.0, {2: player}, [Vector2(1, 1)])


def test_client_interpolates_between_the_snapshots_around_the_render_time() -> None:
    now = [100.0]
    client = ArenaClient("ws://127.0.0.1:9/", "A", BotPilot(1), now=lambda: now[0])
    client.snapshots.extend([_snapshot(1.0, 0.0), _snapshot(1.05, 10.0), _snapshot(1.1, 20.0)])
    client.snapshots[-1].received_at = now[0]
    client._advance_clock(0.0)  # the clock starts at the newest snapshot
    assert client.get_render_time() == pytest.approx(1.0)
    assert client.get_interpolated_players()[0].position == Vector2(0, 10)
    now[0] += 0.025
    client._advance_clock(0.025)
    players = client.get_interpolated_players()
    assert players[0].position.x == pytest.approx(5.0, abs=0.01)
    now[0] += 10.0  # far behind: the clock jumps, drawing stops at the newest snapshot
    client._advance_clock(0.016)
    assert client.get_interpolated_players()[0].position == Vector2(20, 10)
    assert client.get_orbs() == [Vector2(1, 1)]
    client.free()


def test_client_retries_when_the_server_refuses(server_scene: tuple[SceneTree, ArenaDemo]) -> None:
    tree, demo = server_scene
    assert demo.server is not None
    demo.server.stop(0.0)
    client = ArenaClient(f"ws://127.0.0.1:{demo.server.port}/", "Late", BotPilot(2))
    demo.add_child(client)
    wait_until(lambda: client.attempts >= 2, 10, lambda: _frame(tree))
    assert client.opens == 0 and client.closes == []


def test_client_reconnect_closes_cleanly_and_comes_back(
    server_scene: tuple[SceneTree, ArenaDemo],
) -> None:
    tree, demo = server_scene
    assert demo.server is not None
    client = ArenaClient(f"ws://127.0.0.1:{demo.server.port}/", "Rita", BotPilot(3))
    demo.add_child(client)
    wait_until(lambda: client.id != 0, 5, lambda: _frame(tree))
    first_id = client.id
    client.reconnect(0.1)
    wait_until(lambda: client.opens == 2 and client.id != 0, 5, lambda: _frame(tree))
    assert client.closes == [(1000, "reconnecting")]
    assert client.id != first_id  # a new connection is a new peer id
    assert [(c.code, c.reason) for c in demo.server.closed] == [(1000, "reconnecting")]
    assert client.roam is None


def test_keyboard_pilot_takes_over_from_the_autopilot() -> None:
    import pygame

    def key(kind: int, code: int) -> pygame.event.Event:
        return pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)

    pilot = KeyboardPilot(seed=1)
    orbs = [Vector2(100, 0)]
    assert pilot.use_autopilot
    assert pilot.steer(Vector2(), orbs, 1.0) != Vector2()  # the bot heads for the orb
    assert pilot.handle_input(key(pygame.KEYDOWN, pygame.K_RIGHT))
    assert pilot.handle_input(key(pygame.KEYDOWN, pygame.K_w))
    assert not pilot.use_autopilot
    direction = pilot.steer(Vector2(), orbs, 0.016)
    assert direction.is_equal_approx(Vector2(1, -1).normalized())
    assert pilot.handle_input(key(pygame.KEYUP, pygame.K_w))
    assert pilot.steer(Vector2(), orbs, 0.016) == Vector2(1, 0)
    assert not pilot.handle_input(key(pygame.KEYDOWN, pygame.K_SPACE))
    assert pilot.handle_input(key(pygame.KEYDOWN, pygame.K_p))
    assert pilot.use_autopilot


# -- standalone processes -------------------------------------------------------------------------


class _Process:
    """A demo subprocess whose stdout lines arrive in a queue as they are printed."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ)
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        env["SDL_VIDEODRIVER"] = "dummy"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "demos.ws_arena", "--headless", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def expect(self, *patterns: str, timeout: float = 15.0) -> re.Match[str]:
        """Wait until every pattern matched a line (in any order); the first one's match."""
        found: dict[str, re.Match[str]] = {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            for pattern in patterns:
                match = re.search(pattern, line)
                if match and pattern not in found:
                    found[pattern] = match
            if len(found) == len(patterns):
                return found[patterns[0]]
        missing = [p for p in patterns if p not in found]
        pytest.fail(f"no line matching {missing!r} in {timeout} s; got:\n{''.join(self.seen)}")

    def interrupt(self, timeout: float = 15.0) -> tuple[str, str]:
        """Ctrl+C: wait for the exit; return the rest of stdout, and stderr."""
        self.process.send_signal(signal.SIGINT)
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        self.process.wait(timeout)
        self._pump.join(timeout)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return "".join(rest), err

    def close(self) -> None:
        """Kill the process if it still runs, and close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._pump.join(5)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def test_standalone_server_and_remote_client_over_loopback() -> None:
    server = _Process("--server", "0", "--bind", "127.0.0.1")
    client: _Process | None = None
    try:
        port = server.expect(r"listening on ws://127\.0\.0\.1:(\d+)/").group(1)
        client = _Process("--connect", f"ws://127.0.0.1:{port}/", "--bots", "1")
        client.expect(r"You: STATE_CONNECTING -> STATE_OPEN", r"Bot Ada: .* -> STATE_OPEN")
        server.expect(r"peer \d+ is You", r"peer \d+ is Bot Ada")
        # The server goes away: its peers are closed with 1001 and the clients say so.
        server_out, server_err = server.interrupt()
        assert server.process.returncode == 0, server_err
        assert re.search(r"server saw 2 closes, 2 clean: 1001 'server shutting down'", server_out)
        client.expect(r"STATE_CLOSED, code 1001 'server shutting down'")
        client_out, client_err = client.interrupt()
        assert client.process.returncode == 0, client_err
        assert "closes: 1001 'server shutting down'" in client_out
        assert "Traceback" not in client_err + server_err
    finally:
        server.close()
        if client is not None:
            client.close()
