#!/usr/bin/env python3
"""Micro-benchmarks of the sans-I/O WebSocket core (netpeer._ws) against websockets' core.

Usage: python bench/ws_core_micro.py [--quick]
Prints one line per case: microseconds per operation (best of 5 repeats) and, where a
websockets equivalent exists, the ratio websockets_time / netpeer_time (> 1: we are faster).
No sockets: this isolates parse / serialize / mask / handshake costs.
"""

from __future__ import annotations

import os
import sys
import timeit

from netpeer._ws import masking
from netpeer._ws.connection import WebSocketConnection
from netpeer._ws.frames import serialize_frame

try:
    from websockets.client import ClientProtocol
    from websockets.server import ServerProtocol
    from websockets.uri import parse_uri

    try:
        from websockets.speedups import apply_mask as ws_apply_mask
    except ImportError:
        ws_apply_mask = None
except ImportError:  # pragma: no cover
    ClientProtocol = None

QUICK = "--quick" in sys.argv
REPEAT = 3 if QUICK else 5


def best(fn, number=None):
    t = timeit.Timer(fn)
    if number is None:
        number, _ = t.autorange()
        if QUICK:
            number = max(1, number // 4)
    return min(t.repeat(REPEAT, number)) / number * 1e6


def line(name, ours, theirs=None, unit="us/op"):
    extra = f"   websockets {theirs:9.2f}  ratio {theirs / ours:5.2f}x" if theirs else ""
    print(f"{name:44s} {ours:9.2f} {unit}{extra}", flush=True)


def ws_open_server():
    srv = ServerProtocol(max_size=None)
    cli = ClientProtocol(parse_uri("ws://x/"), max_size=None)
    cli.send_request(cli.connect())
    srv.receive_data(b"".join(cli.data_to_send()))
    [req] = srv.events_received()
    srv.send_response(srv.accept(req))
    cli.receive_data(b"".join(srv.data_to_send()))
    cli.events_received()
    return cli, srv


def main():
    key = os.urandom(4)
    print("== mask (us per call)")
    for size in (32, 1024, 8192, 65536):
        data = os.urandom(size)
        r = [
            best(lambda data=data: masking._mask_int(data, key)),
            best(lambda data=data: masking._mask_translate(data, key)),
            best(lambda data=data: masking._apply_mask_numpy(data, key))
            if masking._np
            else float("nan"),
            best(lambda data=data: masking.apply_mask(data, key)),
        ]
        ref = best(lambda data=data: ws_apply_mask(data, key)) if ws_apply_mask else float("nan")
        print(
            f"  {size:6d} B  int {r[0]:8.2f}  translate {r[1]:8.2f}  numpy {r[2]:8.2f}"
            f"  chosen {r[3]:8.2f}  (websockets C {ref:6.2f})  chosen {size / r[3]:7.0f} MB/s"
        )

    print("== per-message paths (us per message)")
    # server receives one masked 32-byte binary frame (ping-pong receive side)
    frame32 = bytes(serialize_frame(2, b"x" * 32, mask_key=key))
    srv = WebSocketConnection(False, start_open=True, max_message_size=None)

    def ours_recv():
        srv.receive_data(frame32)
        srv.events_received()

    theirs = None
    if ClientProtocol:
        _, wsrv = ws_open_server()

        def theirs_recv():
            wsrv.receive_data(frame32)
            wsrv.events_received()

        theirs = best(theirs_recv)
    line("server parse 32 B masked frame", best(ours_recv), theirs)

    cli = WebSocketConnection(True, start_open=True)

    def ours_send():
        cli.send_message(b"x" * 32)
        cli.data_to_send()

    theirs = None
    if ClientProtocol:
        wcli, _ = ws_open_server()

        def theirs_send():
            wcli.send_binary(b"x" * 32)
            wcli.data_to_send()

        theirs = best(theirs_send)
    line("client serialize+mask 32 B message", best(ours_send), theirs)

    # server echo round: receive masked 32 B, send unmasked 32 B back
    def ours_echo():
        srv.receive_data(frame32)
        for ev in srv.events_received():
            srv.send_message(ev.data)
        srv.data_to_send()

    theirs = None
    if ClientProtocol:

        def theirs_echo():
            wsrv.receive_data(frame32)
            for f in wsrv.events_received():
                wsrv.send_binary(f.data)
            wsrv.data_to_send()

        theirs = best(theirs_echo)
    line("server echo 32 B (parse+serialize)", best(ours_echo), theirs)

    # client: receive unmasked 32 B, send masked 32 B (ping-pong client side)
    unmasked32 = bytes(serialize_frame(2, b"x" * 32))

    def ours_client_rt():
        cli.receive_data(unmasked32)
        for ev in cli.events_received():
            cli.send_message(ev.data)
        cli.data_to_send()

    theirs = None
    if ClientProtocol:

        def theirs_client_rt():
            wcli.receive_data(unmasked32)
            for f in wcli.events_received():
                wcli.send_binary(f.data)
            wcli.data_to_send()

        theirs = best(theirs_client_rt)
    line("client round trip 32 B (parse+serialize)", best(ours_client_rt), theirs)

    print("== bulk 64 KiB (us per message, MB/s)")
    big = os.urandom(65536)
    frame64k = bytes(serialize_frame(2, big, mask_key=key))

    def ours_bulk_send():
        cli.send_message(big)
        cli.data_to_send()

    t = best(ours_bulk_send)
    theirs = None
    if ClientProtocol:

        def theirs_bulk_send():
            wcli.send_binary(big)
            wcli.data_to_send()

        theirs = best(theirs_bulk_send)
    line("client send 64 KiB (mask+frame)", t, theirs)
    print(f"{'':44s} {65536 / t:9.0f} MB/s")

    def ours_bulk_recv():
        srv.receive_data(frame64k)
        srv.events_received()

    t = best(ours_bulk_recv)
    theirs = None
    if ClientProtocol:

        def theirs_bulk_recv():
            wsrv.receive_data(frame64k)
            wsrv.events_received()

        theirs = best(theirs_bulk_recv)
    line("server receive 64 KiB (parse+unmask)", t, theirs)
    print(f"{'':44s} {65536 / t:9.0f} MB/s")

    chunks = [frame64k[i : i + 16384] for i in range(0, len(frame64k), 16384)]

    def ours_bulk_recv_chunks():
        for c in chunks:
            srv.receive_data(c)
        srv.events_received()

    theirs = None
    if ClientProtocol:

        def theirs_bulk_recv_chunks():
            for c in chunks:
                wsrv.receive_data(c)
            wsrv.events_received()

        theirs = best(theirs_bulk_recv_chunks)
    line("server receive 64 KiB in 16 KiB reads", best(ours_bulk_recv_chunks), theirs)

    print("== handshake (us per client+server handshake, both sides in memory)")

    def ours_handshake():
        c = WebSocketConnection(True)
        s = WebSocketConnection(False)
        c.initiate_handshake("127.0.0.1:8080", "/")
        s.receive_data(c.data_to_send())
        s.events_received()
        s.accept()
        c.receive_data(s.data_to_send())
        c.events_received()
        s.events_received()

    theirs = best(lambda: ws_open_server()) if ClientProtocol else None
    line("handshake client+server", best(ours_handshake), theirs)


if __name__ == "__main__":
    main()
