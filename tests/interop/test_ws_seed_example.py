"""The seed example - Godot's WebSocketPeer class-reference script as typed in README.md
("A taste") - run unchanged in a headless SceneTree main loop against third-party servers:
``websockets`` (Python) and, when Node is available, Node's ``ws``, over ws:// and wss://.

The server sends a few messages, then a ping, and closes (1000, "done") once the pong is
back: the pong proves our client polled past the messages while still OPEN, which is the
only state in which the example reads them. wss:// uses the development certificate, trusted
through ``SSL_CERT_FILE`` so the example's ``connect_to_url(url)`` needs no TLS options.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ws_node import NODE_DIR, node  # noqa: F401 (fixture)

from engine import Node
from engine.platform import Main
from engine.scene.scene_tree import SceneTree
from netpeer import WebSocketPeer
from netpeer._dev_certificate import localhost_pem_paths

pytest.importorskip("websockets")

from websockets.sync.server import ServerConnection, serve

pytestmark = pytest.mark.network

DEADLINE = 15.0
SCHEMES = ["ws", "wss"]
MESSAGES: list[str | bytes] = ["hello", b"\x00\x01\x02", "ünï ✓"]
EXPECTED = [
    "Packet:  b'hello'",
    "Packet:  b'\\x00\\x01\\x02'",
    "Packet:  b'\\xc3\\xbcn\\xc3\\xaf \\xe2\\x9c\\x93'",
    "WebSocket closed with code: 1000, reason done. Clean: True",
]


def run_seed_example(url: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the README example against ``url`` until it prints its close line."""

    # --- README.md "A taste", unchanged except for the URL --------------------------------
    class Client(Node):
        def __init__(self) -> None:
            super().__init__()
            self.socket = WebSocketPeer()

        def _ready(self) -> None:
            self.socket.connect_to_url(url)

        def _process(self, delta: float) -> None:
            self.socket.poll()
            state = self.socket.get_ready_state()
            if state == WebSocketPeer.STATE_OPEN:
                while self.socket.get_available_packet_count():
                    print("Packet: ", self.socket.get_packet())
            elif state == WebSocketPeer.STATE_CLOSING:
                pass  # Keep polling to achieve proper close.
            elif state == WebSocketPeer.STATE_CLOSED:
                code = self.socket.get_close_code()
                reason = self.socket.get_close_reason()
                print(f"WebSocket closed with code: {code}, reason {reason}. Clean: {code != -1}")
                self.set_process(False)

    # ----------------------------------------------------------------------------------------

    client = Client()
    tree = SceneTree()
    tree.get_root().add_child(client)
    tree.set_current_scene(client)
    main = Main(tree)
    printed = ""
    try:
        deadline = time.monotonic() + DEADLINE
        while "WebSocket closed" not in printed:
            assert time.monotonic() < deadline, f"no close line; printed: {printed!r}"
            main.iteration()
            printed += capsys.readouterr().out
            time.sleep(0.001)
        assert not client.is_processing()
    finally:
        client.socket.close(-1)
        main.cleanup()
    return printed.splitlines()


@pytest.fixture
def trust_dev_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the dev certificate a system trust anchor (``TLSOptions.client()`` default)."""
    monkeypatch.setenv("SSL_CERT_FILE", localhost_pem_paths()[1])
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


# --------------------------------------------------------------------------- websockets


@pytest.fixture
def websockets_server() -> Iterator[dict[str, object]]:
    """Start websockets servers on demand: ``make(tls)`` returns the URL."""
    servers: list[tuple[object, threading.Thread]] = []
    errors: list[BaseException] = []

    def handler(ws: ServerConnection) -> None:
        try:
            for message in MESSAGES:
                ws.send(message)
            if not ws.ping(b"read?").wait(DEADLINE):
                raise AssertionError("no pong from the seed example")
            ws.close(1000, "done")
        except BaseException as exc:
            errors.append(exc)

    def make(tls: bool) -> str:
        context = None
        if tls:
            key_path, cert_path = localhost_pem_paths()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_path, key_path)
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        server = serve(handler, sock=listener, ssl=context, ping_interval=None, close_timeout=3)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"{'wss' if tls else 'ws'}://127.0.0.1:{port}/seed"

    yield {"make": make, "errors": errors}
    for server, thread in servers:
        server.shutdown()  # type: ignore[attr-defined]
        thread.join(DEADLINE)
        assert not thread.is_alive()
    assert not errors, errors


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.usefixtures("trust_dev_certificate")
def test_seed_example_against_websockets(
    websockets_server: dict[str, object], scheme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make = websockets_server["make"]
    assert callable(make)
    assert run_seed_example(make(scheme == "wss"), capsys) == EXPECTED


# --------------------------------------------------------------------------- Node ws

SEED_SERVER = Path(__file__).resolve().parent / "node" / "seed_server.js"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.usefixtures("trust_dev_certificate")
def test_seed_example_against_node_ws(
    node: str,  # noqa: F811 (the fixture imported above)
    scheme: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    messages = [m if isinstance(m, str) else list(m) for m in MESSAGES]  # JSON: bytes as lists
    config: dict[str, object] = {"messages": messages}
    if scheme == "wss":
        key_path, cert_path = localhost_pem_paths()
        config.update(key=key_path, cert=cert_path)
    log = (tmp_path / "node.log").open("w")
    proc = subprocess.Popen(
        [node, str(SEED_SERVER), json.dumps(config)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=NODE_DIR,
    )
    try:
        assert proc.stdout is not None
        port = json.loads(proc.stdout.readline())["port"]  # the server prints it first
        url = f"{scheme}://127.0.0.1:{port}/seed"
        assert run_seed_example(url, capsys) == EXPECTED
        assert json.loads(proc.stdout.readline()) == {"event": "close", "code": 1000}
        assert proc.stdin is not None
        proc.stdin.close()  # the server exits when its stdin closes
        assert proc.wait(DEADLINE) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(DEADLINE)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()
        log.close()
