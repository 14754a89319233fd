"""Run the WebSocket snippets of docs/porting-guide.md for real, so the guide cannot rot.

Every fenced ``python`` block whose first line is ``# porting-guide-ws: NAME`` is executed
(with its example URL and port swapped for loopback ones) and its node is driven by a real
``SceneTree`` until it has printed what the guide promises.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from engine.scene.node import Node
from engine.scene.scene_tree import SceneTree

pytestmark = pytest.mark.network

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "porting-guide.md"
_BLOCK = re.compile(r"```python\n# porting-guide-ws: ([\w-]+)\n(.*?)```", re.DOTALL)


def _snippets() -> dict[str, str]:
    return dict(_BLOCK.findall(GUIDE.read_text(encoding="utf-8")))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _node(name: str, replacements: dict[str, str]) -> Any:
    code = _snippets()[name]
    for example, real in replacements.items():
        assert example in code
        code = code.replace(example, real)
    namespace: dict[str, Any] = {"__name__": f"porting_guide_ws_{name}"}
    exec(compile(code, f"{GUIDE.name}:{name}", "exec"), namespace)
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, Node)]
    classes = [c for c in classes if c is not Node]
    assert len(classes) == 1
    return classes[0]()


def test_every_block_is_covered() -> None:
    assert set(_snippets()) == {"client", "server"}


def test_guide_server_and_seed_client(capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()
    server = _node("server", {"9080": str(port)})
    client = _node("client", {"wss://example.com": f"ws://127.0.0.1:{port}/ws"})
    tree = SceneTree()
    tree.get_root().add_child(server)
    tree.get_root().add_child(client)
    tree.initialize()
    page: list[bytes] = []

    def fetch() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        page.append(data)

    printed = ""
    greeted = closing = False
    try:
        deadline = time.monotonic() + 10
        while "Clean: True" not in printed:
            assert time.monotonic() < deadline, printed
            tree.process(1 / 60)
            printed += capsys.readouterr().out
            peers = [p for p in server.peers if p.get_request_path() == "/ws"]
            if peers and peers[0].get_ready_state() == peers[0].STATE_OPEN and not greeted:
                peers[0].send_text("welcome")
                greeted = True
            if "Packet:  b'welcome'" in printed and not closing:
                peers[0].close(1000, "bye")
                closing = True
            time.sleep(0.0005)
        assert "WebSocket closed with code: 1000, reason bye. Clean: True" in printed
        assert not client.is_processing()

        thread = threading.Thread(target=fetch)
        thread.start()
        while thread.is_alive():
            assert time.monotonic() < deadline + 10
            tree.process(1 / 60)
            time.sleep(0.0005)
        thread.join()
        assert page[0].startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"Content-Type: text/html\r\n" in page[0]
        assert page[0].count(b"Content-Type") == 1
        assert page[0].endswith(b"/ws`)</script>")
    finally:
        server.server.stop()
        tree.finalize()
