"""Our server against a real browser, headless Chromium, over ws:// and wss://.

The browser loads a page that our server answers as plain HTTP on the WebSocket port
(``request_handler``), opens a WebSocket back to ``/ws`` offering permessage-deflate as every
browser does, checks the echo of text, binary, a 100 KiB message and an empty message,
reports the result in one more message and closes with its own code and reason.

Skipped, with the reason, when no Chromium is installed (``.ci/run`` installs Debian's
``chromium-headless-shell``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import wait_until
from raw_ws_peer import OurServer

from netpeer.websocket_peer import WebSocketPeer

pytestmark = [pytest.mark.network, pytest.mark.slow]

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
BROWSER = next((path for name in BROWSERS if (path := shutil.which(name))), None)

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>netpeer browser interop</title>
<script>
const messages = [
  "h\u00e9llo \u2713 \U0001f3ae", new Uint8Array([0, 1, 2, 255]), "x".repeat(100000), "",
];
const scheme = location.protocol === "https:" ? "wss://" : "ws://";
const ws = new WebSocket(scheme + location.host + "/ws");
ws.binaryType = "arraybuffer";
let echoed = 0, same = true;
function equal(sent, got) {
  if (typeof sent === "string") return sent === got;
  const bytes = new Uint8Array(got);
  return bytes.length === sent.length && bytes.every((b, i) => b === sent[i]);
}
ws.onopen = () => messages.forEach((m) => ws.send(m));
ws.onmessage = (event) => {
  if (echoed >= messages.length) return;
  same = same && equal(messages[echoed], event.data);
  echoed += 1;
  if (echoed === messages.length) {
    ws.send("result " + (same ? "ok" : "mismatch") + " " + ws.extensions);
    ws.close(4001, "browser done");
  }
};
</script>
""".encode()

PAGE_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(PAGE) + PAGE
)


def route(peer: WebSocketPeer) -> object:
    """``/`` is the page, ``/ws`` upgrades, anything else (``/favicon.ico``) is 404."""
    path = peer.get_request_path()
    if path == "/":
        return PAGE_RESPONSE
    return None if path == "/ws" else 404


def browser_peer() -> WebSocketPeer:
    peer = WebSocketPeer()
    peer.set_request_handler(route)
    peer.set_permessage_deflate_enabled(True)
    peer.set_inbound_buffer_size(1 << 20)
    peer.set_outbound_buffer_size(1 << 20)
    return peer


class BrowserServer(OurServer):
    """Our server echoing every message, keeping what each WebSocket peer received.

    Not :class:`EchoServer`: the browser's last message arrives with its close frame, so the
    echo of it may be refused (CLOSING), which EchoServer asserts against.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        self.received: dict[int, list[str | bytes]] = {}

    def pump(self) -> None:
        super().pump()
        for peer in self.peers:
            while peer.get_available_packet_count() > 0:
                data = peer.get_packet()
                text = peer.was_string_packet()
                self.received.setdefault(id(peer), []).append(data.decode() if text else data)
                mode = WebSocketPeer.WRITE_MODE_TEXT if text else WebSocketPeer.WRITE_MODE_BINARY
                peer.send(data, mode)

    def websocket_peer(self) -> WebSocketPeer | None:
        """The peer that upgraded (the page and favicon requests were plain HTTP)."""
        return next((p for p in self.peers if p.get_request_path() == "/ws"), None)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    if BROWSER is None:
        pytest.skip(f"no Chromium on PATH (looked for {', '.join(BROWSERS)})")
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        # Chromium forks helpers (zygote, GPU, network, renderer): end the whole group.
        with contextlib.suppress(ProcessLookupError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                process.kill()
        process.wait(timeout=10)


@pytest.mark.parametrize("tls", [False, True], ids=["ws", "wss"])
def test_chromium_talks_to_our_server(
    browser: list[subprocess.Popen[bytes]], tmp_path: Path, tls: bool
) -> None:
    server = BrowserServer(make_peer=browser_peer, tls=tls)
    try:
        assert BROWSER is not None
        command = [
            BROWSER,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--no-first-run",
            "--ignore-certificate-errors",  # the development certificate is self-signed
            f"--user-data-dir={tmp_path / 'profile'}",
            server.url("/").replace("ws", "http", 1),
        ]
        browser.append(
            subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, killed as one
            )
        )

        def closed() -> bool:
            peer = server.websocket_peer()
            return peer is not None and peer.get_ready_state() == WebSocketPeer.STATE_CLOSED

        wait_until(closed, timeout=60, step=server.pump, message="the browser's WebSocket")
        peer = server.websocket_peer()
        assert peer is not None
        got = server.received[id(peer)]
        assert got[:4] == ["h\u00e9llo \u2713 \U0001f3ae", b"\x00\x01\x02\xff", "x" * 100000, ""]
        assert len(got) == 5 and isinstance(got[4], str)
        assert got[4].startswith("result ok permessage-deflate"), got[4]
        assert peer.get_selected_extensions().startswith("permessage-deflate")
        assert (peer.get_close_code(), peer.get_close_reason()) == (4001, "browser done")
    finally:
        server.close()
