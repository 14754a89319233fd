"""Run the TCP/UDP Python snippets of docs/porting-guide.md for real, so the guide cannot rot.

Every fenced ``python`` block whose first line is ``# porting-guide: NAME`` is executed and
its nodes are driven by a real ``SceneTree`` over loopback until they have printed what the
guide promises. Servers run with their example port swapped for 0 (the OS picks a free one,
read back with ``get_local_port()``) and clients get that port, so parallel test runs never
race for a port. The blocking ``udp-wait`` client runs in a thread joined with a deadline.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_stream_peer_tcp import refused_port

from engine.core.error import Error
from engine.scene.node import Node
from engine.scene.scene_tree import SceneTree
from netpeer.packet_peer_udp import PacketPeerUDP

pytestmark = pytest.mark.network

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "porting-guide.md"
_BLOCK = re.compile(r"```python\n# porting-guide: ([\w-]+)\n(.*?)```", re.DOTALL)


def _snippets() -> dict[str, str]:
    return dict(_BLOCK.findall(GUIDE.read_text(encoding="utf-8")))


def _run(name: str, ports: dict[str, int]) -> dict[str, Any]:
    code = _snippets()[name]
    for example, real in ports.items():
        code = code.replace(example, str(real))
    namespace: dict[str, Any] = {"__name__": f"porting_guide_{name.replace('-', '_')}"}
    exec(compile(code, f"{GUIDE.name}:{name}", "exec"), namespace)
    return namespace


def _node(namespace: dict[str, Any]) -> Any:
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, Node)]
    classes = [c for c in classes if c is not Node]
    assert len(classes) == 1
    return classes[0]()


def _drive(tree: SceneTree, capsys: pytest.CaptureFixture[str], expected: list[str]) -> str:
    """Run frames until every expected line was printed (10 s deadline)."""
    printed = ""
    deadline = time.monotonic() + 10
    while not all(line in printed for line in expected):
        assert time.monotonic() < deadline, f"missing {expected!r} in {printed!r}"
        tree.process(1 / 60)
        printed += capsys.readouterr().out
        time.sleep(0.001)
    return printed


def _tree(*nodes: Node) -> SceneTree:
    tree = SceneTree()
    for node in nodes:
        tree.get_root().add_child(node)
    tree.initialize()
    return tree


def test_every_tagged_block_is_covered() -> None:
    assert set(_snippets()) == {
        "tcp-server",
        "tcp-client",
        "udp-server",
        "udp-client",
        "udp-send",
        "udp-listen",
        "udp-wait",
    }


def test_tcp_server_and_client(capsys: pytest.CaptureFixture[str]) -> None:
    server = _node(_run("tcp-server", {"4242": 0}))
    tree = _tree(server)
    port = server.server.get_local_port()
    assert port > 0
    client = _node(_run("tcp-client", {"4242": port}))
    tree.get_root().add_child(client)
    try:
        _drive(tree, capsys, ["server says: welcome\n", "client says: hello from the client\n"])
        # The client leaves: the server notices and forgets it.
        client.tcp.disconnect_from_host()
        deadline = time.monotonic() + 10
        while server.clients:
            assert time.monotonic() < deadline
            tree.process(1 / 60)
    finally:
        server.server.stop()
        tree.finalize()


def test_tcp_client_without_server_reports_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    with refused_port() as port:
        client = _node(_run("tcp-client", {"4242": port}))
        tree = _tree(client)
        try:
            _drive(tree, capsys, ["could not connect\n"])
            assert not client.is_processing()
        finally:
            tree.finalize()


def test_udp_server_and_client(capsys: pytest.CaptureFixture[str]) -> None:
    server = _node(_run("udp-server", {"4242": 0}))
    tree = _tree(server)
    port = server.server.get_local_port()
    assert port > 0
    client = _node(_run("udp-client", {"4242": port}))
    tree.get_root().add_child(client)
    try:
        printed = _drive(
            tree,
            capsys,
            ["Received data: The answer is... 42!\n", "Connected: The answer is... 42!\n"],
        )
        local = client.udp.get_local_port()
        assert f"Accepted peer: 127.0.0.1:{local}\n" in printed
        assert len(server.peers) == 1
    finally:
        server.server.stop()
        tree.finalize()


def test_udp_send_and_listen(capsys: pytest.CaptureFixture[str]) -> None:
    listener = _node(_run("udp-listen", {"4433": 0}))
    tree = _tree(listener)
    listen_port = listener.peer.get_local_port()
    assert listen_port > 0
    try:
        sent = _run("udp-send", {"4444": 0, "4433": listen_port})
        send_port = sent["peer"].get_local_port()
        assert send_port not in (0, listen_port)
        _drive(tree, capsys, ["Received message: hello\n"])
        assert listener.peer.get_packet_port() == send_port
    finally:
        tree.finalize()


def test_udp_wait_until_the_death_pill(capsys: pytest.CaptureFixture[str]) -> None:
    guide = _run("udp-wait", {"4789": 0})
    client = guide["client"]
    guide["PORT"] = client.get_local_port()  # send_pill() reads it when called
    assert guide["PORT"] > 0
    waiting = threading.Thread(target=guide["run_client"], daemon=True)
    waiting.start()
    other = PacketPeerUDP()
    other.set_dest_address("127.0.0.1", guide["PORT"])
    assert other.put_packet(b"hello") == Error.OK
    guide["send_pill"]()
    waiting.join(10)
    assert not waiting.is_alive(), "run_client() still blocked in wait() after 10 s"
    assert capsys.readouterr().out == "Received: hello\n"
    client.close()
