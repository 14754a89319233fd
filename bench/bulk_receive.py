#!/usr/bin/env python3
"""Our receive path: 64 KiB frames from a raw blaster, read with get_packet.

Usage: python bench/bulk_receive.py [--side server|client] [--tls] [--seconds S]
                                    [--rounds R] [--burst BYTES]

A blaster process (pinned to CPU 1 where ``taskset`` exists) does its side of the WebSocket
upgrade by hand and then ``sendall``s 64 prebuilt 64 KiB binary frames over and over, so
sending costs it next to nothing. This process (CPU 0) receives with a ``WebSocketPeer``:
``--side server`` (default) accepts the blaster's connection (``TCPServer`` +
``accept_stream``, masked client frames), ``--side client`` connects to it with
``connect_to_url`` (unmasked server frames). ``--tls`` puts TLS under it (wss with the
development certificate; the blaster encrypts with Python's ``ssl``).
``inbound_buffer_size`` is ``--burst`` (the harness's bench server uses 4 MiB); the peer is
polled in a tight loop and every message is read with ``get_packet``. It prints MB/s and the
minor page faults per message: near 0 since received messages are unmasked into reused
buffers (``netpeer/_ws/payload_pool.py``) and TLS records are no longer gathered in an
emptied ``bytearray`` (``netpeer/_tls/engine.py``); 6-27 before (ws), 3 (wss).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

from netpeer._dev_certificate import localhost_key_and_certificate, localhost_pem_paths
from netpeer.stream_peer import StreamPeer
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tcp_server import TCPServer
from netpeer.tls_options import TLSOptions
from netpeer.websocket_peer import WebSocketPeer

CHUNK = 65536

BLASTER = r"""
import base64, hashlib, os, socket, ssl, sys, time
from netpeer._ws.frames import serialize_frame
role, port, seconds, tls = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
if role == "client":  # masked frames to our server
    s = socket.create_connection(("127.0.0.1", port))
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        s = context.wrap_socket(s)
    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
              b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              b"Sec-WebSocket-Version: 13\r\n\r\n")
    key = os.urandom
else:  # unmasked frames to our client
    listener = socket.create_server(("127.0.0.1", port))
    print(listener.getsockname()[1], flush=True)
    s, _ = listener.accept()
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls[1], tls[0])
        s = context.wrap_socket(s, server_side=True)
    key = lambda n: None
head = b""
while b"\r\n\r\n" not in head:
    head += s.recv(4096)
if role == "server":
    client_key = next(line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                      if line.lower().startswith(b"sec-websocket-key:"))
    guid = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    accept = base64.b64encode(hashlib.sha1(client_key + guid).digest())
    s.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
              b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
frames = b"".join(serialize_frame(2, os.urandom(65536), mask_key=key(4)) for _ in range(64))
end = time.perf_counter() + seconds
while time.perf_counter() < end:
    s.sendall(frames)
if tls:  # a TLS close_notify, so that the end is not reported as a truncation
    s.settimeout(1)
    try:
        s.unwrap()
    except (OSError, ValueError):
        pass
s.close()
"""


def _pin(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") else []


def _connect(
    side: str, seconds: float, burst: int, tls: bool
) -> tuple[WebSocketPeer, subprocess.Popen[str]]:
    """Start the blaster and a peer on our ``side`` of the connection to it."""
    peer = WebSocketPeer()
    peer.set_inbound_buffer_size(burst)
    peer.set_max_queued_packets(4096)
    key, cert = localhost_key_and_certificate()
    tls_args = list(localhost_pem_paths()) if tls else []
    blast = [*_pin(1), sys.executable, "-c", BLASTER]
    if side == "client":
        blaster = subprocess.Popen(
            [*blast, "server", "0", str(seconds), *tls_args], stdout=subprocess.PIPE, text=True
        )
        assert blaster.stdout is not None
        port = int(blaster.stdout.readline())
        if tls:
            peer.connect_to_url(f"wss://localhost:{port}/", TLSOptions.client(cert))
        else:
            peer.connect_to_url(f"ws://127.0.0.1:{port}/")
        return peer, blaster
    server = TCPServer()
    server.listen(0, "127.0.0.1")
    port = str(server.get_local_port())
    blaster = subprocess.Popen([*blast, "client", port, str(seconds), *tls_args], text=True)
    deadline = time.perf_counter() + 10
    while not server.is_connection_available():
        if time.perf_counter() > deadline:
            raise RuntimeError("the blaster did not connect")
        time.sleep(0.001)
    stream: StreamPeer | None = server.take_connection()
    assert stream is not None
    if tls:
        tls_stream = StreamPeerTLS()
        tls_stream.accept_stream(stream, TLSOptions.server(key, cert))
        stream = tls_stream
    peer.accept_stream(stream)
    server.stop()
    return peer, blaster


def receive_round(side: str, seconds: float, burst: int, tls: bool) -> tuple[float, float]:
    """One blaster connection; returns (MB/s, minor page faults per message)."""
    peer, blaster = _connect(side, seconds, burst, tls)
    try:
        received = messages = 0
        start = faults = 0.0
        while peer.get_ready_state() in (WebSocketPeer.STATE_CONNECTING, WebSocketPeer.STATE_OPEN):
            peer.poll()
            while peer.get_available_packet_count():
                if not start:
                    start = time.perf_counter()
                    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                received += len(peer.get_packet())
                messages += 1
        elapsed = time.perf_counter() - start
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        return received / elapsed / 1e6, faults / max(messages, 1)
    finally:
        blaster.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=["server", "client"], default="server")
    parser.add_argument("--tls", action="store_true", help="wss instead of ws")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=int, default=4 << 20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and shutil.which("taskset"):
        os.sched_setaffinity(0, {0})
    for _ in range(args.rounds):
        mbps, faults = receive_round(args.side, args.seconds, args.burst, args.tls)
        scheme = "wss" if args.tls else "ws"
        print(
            f"{scheme} {args.side} get_packet {mbps:6.0f} MB/s   "
            f"{faults:5.2f} page faults per message",
            flush=True,
        )


if __name__ == "__main__":
    main()
