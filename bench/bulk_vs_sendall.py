#!/usr/bin/env python3
"""Our client's bulk send path against a plain ``sendall`` loop, into the same sink.

Usage: python bench/bulk_vs_sendall.py [--messages N] [--rounds R]

A sink process (pinned to CPU 0 where ``taskset`` exists) answers the WebSocket upgrade and
then discards everything; this process (CPU 1) sends N 64 KiB messages, once with
``socket.sendall`` and once with ``WebSocketPeer.put_packet`` (client frames, masked), and
prints microseconds per message and the ratio. Unlike the harness's bulk rows, both sides
talk to the same receiver, so the ratio is our client's own overhead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time

from netpeer.websocket_peer import WebSocketPeer

CHUNK = 65536

SINK = r"""
import base64, hashlib, socket, sys
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
listener = socket.create_server(("127.0.0.1", 0))
print(listener.getsockname()[1], flush=True)
while True:
    conn, _ = listener.accept()
    head = conn.recv(4096)
    if head.startswith(b"GET"):
        while b"\r\n\r\n" not in head:
            head += conn.recv(4096)
        key = next(line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                   if line.lower().startswith(b"sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
    while conn.recv(1 << 20):
        pass
    conn.close()
"""


def _pin(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") else []


def raw_sendall(port: int, data: bytes, n: int) -> float:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"R")  # anything but GET: the sink just discards
        start = time.perf_counter()
        for _ in range(n):
            s.sendall(data)
        return (time.perf_counter() - start) / n


def netpeer_put_packet(port: int, data: bytes, n: int) -> float:
    peer = WebSocketPeer()
    peer.set_outbound_buffer_size(16 << 20)
    peer.connect_to_url(f"ws://127.0.0.1:{port}/")
    while peer.get_ready_state() != WebSocketPeer.STATE_OPEN:
        peer.poll()
    start = time.perf_counter()
    sent = 0
    while sent < n:
        if peer.put_packet(data) == 0:
            sent += 1
        else:
            peer.poll()  # outbound window full: let the socket drain
    while peer.get_current_outbound_buffered_amount():
        peer.poll()
    elapsed = time.perf_counter() - start
    peer.close(-1)
    return elapsed / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=40000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and shutil.which("taskset"):
        os.sched_setaffinity(0, {1})
    sink = subprocess.Popen(
        [*_pin(0), sys.executable, "-c", SINK], stdout=subprocess.PIPE, text=True
    )
    try:
        assert sink.stdout is not None
        port = int(sink.stdout.readline())
        data = os.urandom(CHUNK)
        for _ in range(args.rounds):
            raw = raw_sendall(port, data, args.messages)
            ours = netpeer_put_packet(port, data, args.messages)
            print(
                f"sendall {raw * 1e6:5.1f} us ({CHUNK / raw / 1e6:5.0f} MB/s)   "
                f"put_packet {ours * 1e6:5.1f} us ({CHUNK / ours / 1e6:5.0f} MB/s)   "
                f"ratio {raw / ours:.2f}",
                flush=True,
            )
    finally:
        sink.kill()


if __name__ == "__main__":
    main()
