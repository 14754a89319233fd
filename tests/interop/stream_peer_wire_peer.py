"""An independent StreamPeer wire peer: plain ``socket`` + ``struct``, no netpeer code.

Run as a separate process by tests/interop/test_tcp_external_peer.py::

    python stream_peer_wire_peer.py serve            # listen on 127.0.0.1:0, print the port
    python stream_peer_wire_peer.py connect PORT     # connect to 127.0.0.1:PORT

Either way it then (1) reads the sequence ``EXPECTED_FROM_NETPEER`` written by netpeer's
StreamPeer methods, decoding each value by hand from Godot's wire format (spec §5.1), and
prints the decoded values as one JSON line; (2) writes ``SENT_TO_NETPEER`` in the same
format for netpeer to decode; (3) half-closes (FIN) and waits for the other side to close.
"""

from __future__ import annotations

import json
import socket
import struct
import sys

# (kind, value, big_endian). Both sides of the test use these lists.
EXPECTED_FROM_NETPEER: list[tuple[str, object, bool]] = [
    ("u8", 200, False),
    ("16", -2, False),
    ("u32", 0xDEADBEEF, False),
    ("64", -5_000_000_000, False),
    ("float", 1.5, False),
    ("double", 0.1, False),
    ("string", "plain ascii", False),
    ("utf8_string", "grüße ✓", False),
    ("u32", 0x01020304, True),
    ("16", -300, True),
    ("utf8_string", "big", True),
    ("data", "00ff10", False),
    ("var", 42, False),
    ("var", -5_000_000_000, False),
    ("var", "héllo", True),  # Q8: the length prefix is big-endian, the Variant stays little
]
SENT_TO_NETPEER: list[tuple[str, object, bool]] = [
    ("u16", 0xBEEF, False),
    ("32", -123456789, False),
    ("u64", 2**63 + 1, False),
    ("double", -2.5, False),
    ("float", 0.25, False),
    ("utf8_string", "from python ✓", False),
    ("string", "latin", False),
    ("u32", 7, True),
    ("64", -(2**40), True),
    ("utf8_string", "BE", True),
    ("var", 7, False),
    ("var", 2**40, True),
    ("var", "from python ✓", False),
]

_FORMATS = {
    "u8": "B", "8": "b", "u16": "H", "16": "h", "u32": "I", "32": "i",
    "u64": "Q", "64": "q", "float": "f", "double": "d",
}  # fmt: skip


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise EOFError(f"peer closed after {len(out)} of {n} bytes")
        out.extend(chunk)
    return bytes(out)


def _read(sock: socket.socket, kind: str, big_endian: bool) -> object:
    order = ">" if big_endian else "<"
    if kind in _FORMATS:
        fmt = struct.Struct(order + _FORMATS[kind])
        return fmt.unpack(_recv_exact(sock, fmt.size))[0]
    if kind in ("string", "utf8_string"):
        (length,) = struct.unpack(order + "I", _recv_exact(sock, 4))
        raw = _recv_exact(sock, length)
        return raw.decode("ascii" if kind == "string" else "utf-8")
    if kind == "data":
        return _recv_exact(sock, 3).hex()
    if kind == "var":
        (length,) = struct.unpack(order + "I", _recv_exact(sock, 4))
        return _decode_variant(_recv_exact(sock, length))
    raise ValueError(kind)


# Godot's binary Variant encoding (spec section 4), written from the spec, not from netpeer:
# a little-endian u32 header (type in the low byte, bit 16 = 64-bit flag), then the value.
_TYPE_INT, _TYPE_STRING, _FLAG_64 = 2, 4, 1 << 16


def _decode_variant(raw: bytes) -> object:
    (header,) = struct.unpack_from("<I", raw)
    if header & 0xFF == _TYPE_INT:
        return struct.unpack_from("<q" if header & _FLAG_64 else "<i", raw, 4)[0]
    if header & 0xFF == _TYPE_STRING:
        (length,) = struct.unpack_from("<I", raw, 4)
        return raw[8 : 8 + length].decode("utf-8")
    raise ValueError(f"unexpected Variant header {header:#x}")


def _encode_variant(value: object) -> bytes:
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return struct.pack("<Ii", _TYPE_INT, value)
        return struct.pack("<Iq", _TYPE_INT | _FLAG_64, value)
    assert isinstance(value, str)
    raw = value.encode("utf-8")
    return struct.pack("<II", _TYPE_STRING, len(raw)) + raw + bytes(-len(raw) % 4)


def _encode(kind: str, value: object, big_endian: bool) -> bytes:
    order = ">" if big_endian else "<"
    if kind in _FORMATS:
        return struct.pack(order + _FORMATS[kind], value)
    if kind in ("string", "utf8_string"):
        assert isinstance(value, str)
        raw = value.encode("ascii" if kind == "string" else "utf-8")
        return struct.pack(order + "I", len(raw)) + raw
    if kind == "var":
        payload = _encode_variant(value)
        return struct.pack(order + "I", len(payload)) + payload
    raise ValueError(kind)


def exchange(sock: socket.socket) -> None:
    sock.settimeout(20)
    decoded = [_read(sock, kind, be) for kind, _, be in EXPECTED_FROM_NETPEER]
    print(json.dumps(decoded), flush=True)
    sock.sendall(b"".join(_encode(kind, value, be) for kind, value, be in SENT_TO_NETPEER))
    sock.shutdown(socket.SHUT_WR)
    while sock.recv(4096):  # wait for netpeer to close its side
        pass
    sock.close()


def main(argv: list[str]) -> int:
    if argv[1:2] == ["serve"]:
        with socket.create_server(("127.0.0.1", 0)) as listener:
            print(listener.getsockname()[1], flush=True)
            listener.settimeout(20)
            conn, _ = listener.accept()
        exchange(conn)
        return 0
    if argv[1:2] == ["connect"] and len(argv) == 3:
        exchange(socket.create_connection(("127.0.0.1", int(argv[2])), timeout=20))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
