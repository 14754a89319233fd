"""Godot 4's networking classes for Python: StreamPeer, PacketPeer, TCP, UDP, TLS, WebSocket.

``from netpeer import WebSocketPeer, TCPServer, var_to_bytes`` gives the Godot names; each
class lives in the module named after it (``netpeer.stream_peer_tcp.StreamPeerTCP``).
"""

from __future__ import annotations

from netpeer.crypto import Crypto
from netpeer.crypto_key import CryptoKey
from netpeer.encoded_object_as_id import EncodedObjectAsID
from netpeer.hashing_context import HashingContext
from netpeer.hmac_context import HMACContext
from netpeer.ip import IP
from netpeer.marshalls import (
    bytes_to_var,
    bytes_to_var_with_objects,
    decode_variant,
    encode_variant,
    var_to_bytes,
    var_to_bytes_with_objects,
)
from netpeer.packet_peer import PacketPeer
from netpeer.packet_peer_extension import PacketPeerExtension
from netpeer.packet_peer_stream import PacketPeerStream
from netpeer.packet_peer_udp import PacketPeerUDP
from netpeer.stream_peer import StreamPeer
from netpeer.stream_peer_buffer import StreamPeerBuffer
from netpeer.stream_peer_extension import StreamPeerExtension
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tcp_server import TCPServer
from netpeer.tls_options import TLSOptions
from netpeer.udp_server import UDPServer
from netpeer.websocket_peer import WebSocketPeer
from netpeer.x509_certificate import X509Certificate

__all__ = [
    "IP",
    "Crypto",
    "CryptoKey",
    "EncodedObjectAsID",
    "HMACContext",
    "HashingContext",
    "PacketPeer",
    "PacketPeerExtension",
    "PacketPeerStream",
    "PacketPeerUDP",
    "StreamPeer",
    "StreamPeerBuffer",
    "StreamPeerExtension",
    "StreamPeerTCP",
    "StreamPeerTLS",
    "TCPServer",
    "TLSOptions",
    "UDPServer",
    "WebSocketPeer",
    "X509Certificate",
    "bytes_to_var",
    "bytes_to_var_with_objects",
    "decode_variant",
    "encode_variant",
    "var_to_bytes",
    "var_to_bytes_with_objects",
]
