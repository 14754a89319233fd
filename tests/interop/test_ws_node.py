"""WebSocketPeer against Node's ``ws`` library (a second independent implementation).

``tests/interop/node/ws_peer.js`` is an echo server / scripted client built on ``ws`` 8.x
(pinned in ``node/package.json``). The first test that needs it runs ``npm install`` into
``tests/interop/node/node_modules`` (git-ignored). Skipped, with the reason, when ``node`` or
``npm`` is missing or the install fails (e.g. no network).

Node runs as a subprocess that prints one JSON event per line; a reader thread collects them and
the test polls our peer while waiting for them, with deadlines. The subprocess exits when its
stdin closes (teardown), so it cannot outlive the test.
"""

from __future__ import annotations

import base64
import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_until
from raw_ws_peer import (
    BIG_LIMIT,
    LARGE,
    SMALL,
    STATE_CLOSED,
    STATE_OPEN,
    EchoServer,
    close_our_peers,  # noqa: F401 (autouse fixture)
    drop_our_peers,
    echo_through,
    our_peer,
    tls_client_options,
)

from engine.core.error import Error
from netpeer._dev_certificate import localhost_pem_paths
from netpeer.websocket_peer import WebSocketPeer

pytestmark = pytest.mark.network

NODE_DIR = Path(__file__).resolve().parent / "node"
SCRIPT = NODE_DIR / "ws_peer.js"
DEADLINE = 20.0
SCHEMES = ["ws", "wss"]
DEFLATE = [pytest.param(True, id="deflate"), pytest.param(False, id="no-deflate")]


def _pinned_ws_version() -> str:
    return str(json.loads((NODE_DIR / "package.json").read_text())["dependencies"]["ws"])


def _installed_ws_version() -> str | None:
    try:
        meta = json.loads((NODE_DIR / "node_modules" / "ws" / "package.json").read_text())
    except (OSError, ValueError):
        return None
    return str(meta.get("version"))


@pytest.fixture(scope="session")
def node() -> str:
    """Path of ``node`` with ``ws`` installed next to the script; skips when impossible."""
    node_exe, npm = shutil.which("node"), shutil.which("npm")
    if node_exe is None or npm is None:
        pytest.skip("node and npm are not both installed: Node ws interop not run")
    if _installed_ws_version() != _pinned_ws_version():
        cmd = [
            npm,
            "install",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--fetch-retries=1",
            "--fetch-timeout=20000",
        ]
        try:
            done = subprocess.run(
                cmd, cwd=NODE_DIR, capture_output=True, text=True, timeout=120, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"npm install of ws failed ({exc}): Node ws interop not run")
        if done.returncode != 0 or _installed_ws_version() != _pinned_ws_version():
            tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
            pytest.skip(f"npm install of ws failed (exit {done.returncode}; no network?): {tail}")
    return node_exe


class NodePeer:
    """One ``node ws_peer.js`` subprocess and the JSON events it printed."""

    def __init__(self, node: str, mode: str, config: dict[str, Any], log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [node, str(SCRIPT), mode, json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            cwd=NODE_DIR,
        )
        self.events: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.log_path = log

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self._queue.put(json.loads(line))
            except ValueError:
                self._queue.put({"event": "garbage", "line": line})

    def _drain(self) -> None:
        while True:
            try:
                self.events.append(self._queue.get_nowait())
            except queue.Empty:
                return

    def expect(
        self, name: str, pump: Callable[[], object] | None = None, timeout: float = DEADLINE
    ) -> dict[str, Any]:
        """The first (not yet taken) event called ``name``; fails on mismatch/timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self._drain()
            for i, event in enumerate(self.events):
                if event.get("event") in ("mismatch", "timeout"):
                    pytest.fail(f"node reported {event}; stderr: {self.stderr()}")
                if event.get("event") == name:
                    return self.events.pop(i)
            if time.monotonic() > deadline:
                pytest.fail(
                    f"node: no {name!r} event after {timeout} s; got {self.events}; "
                    f"stderr: {self.stderr()}"
                )
            if pump is not None:
                pump()
            time.sleep(0.0005)

    def stderr(self) -> str:
        self._log.flush()
        return self.log_path.read_text()[-2000:]

    def close(self) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._reader.join(5)
        self._log.close()


@pytest.fixture
def spawn(node: str, tmp_path: Path) -> Iterator[Callable[..., NodePeer]]:
    made: list[NodePeer] = []

    def make(mode: str, **config: Any) -> NodePeer:
        peer = NodePeer(node, mode, config, tmp_path / f"node-{len(made)}.log")
        made.append(peer)
        return peer

    yield make
    drop_our_peers()
    for peer in made:
        peer.close()


def node_server(spawn: Callable[..., NodePeer], tls: bool, **config: Any) -> tuple[NodePeer, str]:
    if tls:
        key, cert = localhost_pem_paths()
        config.update(tls=True, key=key, cert=cert)
    server = spawn("server", **config)
    port = server.expect("listening")["port"]
    host = config.get("host", "127.0.0.1")
    host = f"[{host}]" if ":" in host else host
    return server, f"{'wss' if tls else 'ws'}://{host}:{port}"


def connect_ours(peer: WebSocketPeer, url: str) -> None:
    tls = tls_client_options() if url.startswith("wss") else None
    assert peer.connect_to_url(url, tls) == Error.OK
    wait_until(lambda: peer.get_ready_state() != 0, timeout=DEADLINE, step=peer.poll)
    assert peer.get_ready_state() == STATE_OPEN


def messages_file(tmp_path: Path, messages: list[str | bytes]) -> str:
    path = tmp_path / "messages.json"
    path.write_text(
        json.dumps(
            [
                {"t": "text", "d": m}
                if isinstance(m, str)
                else {"t": "bin", "d": base64.b64encode(m).decode()}
                for m in messages
            ]
        )
    )
    return str(path)


# --------------------------------------------------------------------------- our client


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("deflate", DEFLATE)
def test_our_client_against_node_server(
    spawn: Callable[..., NodePeer], scheme: str, deflate: bool
) -> None:
    server, url = node_server(spawn, scheme == "wss", deflate=deflate)
    peer = our_peer(
        permessage_deflate_enabled=deflate,
        inbound_buffer_size=BIG_LIMIT,
        outbound_buffer_size=BIG_LIMIT,
    )
    connect_ours(peer, url + "/echo?x=1")
    conn = server.expect("connection", peer.poll)
    assert conn["path"] == "/echo?x=1"
    assert ("permessage-deflate" in conn["extensions"]) == deflate
    assert ("permessage-deflate" in peer.get_selected_extensions()) == deflate
    echo_through(peer, SMALL + LARGE)
    assert peer.close(4000, "bye ✓") == Error.OK
    closed = server.expect("close", peer.poll)
    assert (closed["code"], closed["reason"]) == (4000, "bye ✓")
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=peer.poll)
    assert (peer.get_close_code(), peer.get_close_reason()) == (4000, "bye ✓")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_node_server_closes_our_client(spawn: Callable[..., NodePeer], scheme: str) -> None:
    server, url = node_server(spawn, scheme == "wss")
    peer = our_peer()
    connect_ours(peer, url)
    assert peer.send_text("!close 1001 going away ü") == Error.OK
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=peer.poll)
    assert (peer.get_close_code(), peer.get_close_reason()) == (1001, "going away ü")
    closed = server.expect("close", peer.poll)
    assert (closed["code"], closed["reason"]) == (1001, "going away ü")  # our echo


@pytest.mark.parametrize("scheme", SCHEMES)
def test_our_client_protocols_and_headers_with_node(
    spawn: Callable[..., NodePeer], scheme: str
) -> None:
    server, url = node_server(spawn, scheme == "wss", protocols=["chat"], host="::1")
    peer = our_peer(supported_protocols=["x", "chat"], handshake_headers=["X-Token: abc"])
    connect_ours(peer, url + "/p")
    conn = server.expect("connection", peer.poll)
    assert conn["protocol"] == "chat" and peer.get_selected_protocol() == "chat"
    assert conn["headers"]["x-token"] == "abc"
    assert conn["headers"]["sec-websocket-protocol"] == "x,chat"
    echo_through(peer, ["over ::1"])


# --------------------------------------------------------------------------- node client


@pytest.fixture
def our_server() -> Iterator[Callable[..., EchoServer]]:
    made: list[EchoServer] = []

    def make(**kw: Any) -> EchoServer:
        srv = EchoServer(**kw)
        made.append(srv)
        return srv

    yield make
    for srv in made:
        srv.close()


def client_config(url: str, **config: Any) -> dict[str, Any]:
    if url.startswith("wss"):
        config["ca"] = localhost_pem_paths()[1]
    return {"url": url, "timeout": int(DEADLINE * 1000), **config}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("deflate", DEFLATE)
def test_node_client_against_our_server(
    spawn: Callable[..., NodePeer],
    our_server: Callable[..., EchoServer],
    tmp_path: Path,
    scheme: str,
    deflate: bool,
) -> None:
    srv = our_server(
        tls=scheme == "wss",
        make_peer=lambda: our_peer(
            permessage_deflate_enabled=deflate,
            inbound_buffer_size=BIG_LIMIT,
            outbound_buffer_size=BIG_LIMIT,
        ),
    )
    client = spawn(
        "client",
        **client_config(
            srv.url("/echo"),
            deflate=True,  # ws offers it by default; only our side decides here
            messages=messages_file(tmp_path, SMALL + LARGE),
            close=[4001, "done ✓"],
        ),
    )
    opened = client.expect("open", srv.pump)
    assert ("permessage-deflate" in opened["extensions"]) == deflate
    assert client.expect("echoed", srv.pump)["count"] == len(SMALL + LARGE)
    closed = client.expect("close", srv.pump)
    assert (closed["code"], closed["reason"]) == (4001, "done ✓")  # our echo
    peer = srv.peers[0]
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=srv.pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (4001, "done ✓")
    assert peer.get_requested_url() == f"{scheme}://127.0.0.1:{srv.port}/echo"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_our_server_closes_node_client(
    spawn: Callable[..., NodePeer], our_server: Callable[..., EchoServer], scheme: str
) -> None:
    srv = our_server(tls=scheme == "wss")
    client = spawn("client", **client_config(srv.url(), send="!close 4999 bye ✓"))
    closed = client.expect("close", srv.pump)
    assert (closed["code"], closed["reason"]) == (4999, "bye ✓")
    peer = srv.peers[0]
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=srv.pump)
    assert (peer.get_close_code(), peer.get_close_reason()) == (4999, "bye ✓")  # node's echo


@pytest.mark.parametrize("scheme", SCHEMES)
def test_node_client_protocols_and_headers(
    spawn: Callable[..., NodePeer], our_server: Callable[..., EchoServer], scheme: str
) -> None:
    srv = our_server(
        tls=scheme == "wss",
        make_peer=lambda: our_peer(
            supported_protocols=["chat"], handshake_headers=["X-Server: netpeer"]
        ),
    )
    client = spawn(
        "client",
        **client_config(
            srv.url("/h"), protocols=["x", "chat"], headers={"X-Token": "abc"}, close=[1000, ""]
        ),
    )
    upgrade = client.expect("upgrade", srv.pump)
    assert upgrade["headers"]["x-server"] == "netpeer"
    assert client.expect("open", srv.pump)["protocol"] == "chat"
    client.expect("close", srv.pump)
    peer = srv.peers[0]
    assert peer.get_selected_protocol() == "chat"
    assert peer.get_request_headers()["x-token"] == "abc"
    assert peer.get_requested_url() == f"{scheme}://127.0.0.1:{srv.port}/h"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_node_client_refused_with_400(
    spawn: Callable[..., NodePeer], our_server: Callable[..., EchoServer], scheme: str
) -> None:
    srv = our_server(tls=scheme == "wss", make_peer=lambda: our_peer(supported_protocols=["chat"]))
    client = spawn("client", **client_config(srv.url(), protocols=["other"]))
    assert client.expect("unexpected-response", srv.pump)["status"] == 400
    peer = srv.peers[0]
    wait_until(lambda: peer.get_ready_state() == STATE_CLOSED, step=srv.pump)
    assert peer.get_close_code() == -1
