"""Reusable contract suites: what every StreamPeer and every PacketPeer must do.

Any transport (StreamPeerTCP, StreamPeerTLS, WebSocketPeer, PacketPeerStream ...) runs the
same checks from its own tests. pytest puts ``tests/netpeer`` on ``sys.path``, so a test
module there imports them as ``contracts``::

    from contracts import STREAM_PEER_CHECKS, check_stream_peer

    def make_pair():
        ...                      # connect two peers (register them for cleanup)
        return a, b, pump        # pump(): poll both ends once, moving bytes along

    def test_tcp_contract():     # everything in one test ...
        check_stream_peer(make_pair)

    @pytest.mark.parametrize("check", STREAM_PEER_CHECKS, ids=lambda c: c.__name__)
    def test_tcp_contract_each(check):   # ... or one test per check
        check(make_pair)

Exact signatures::

    MakeStreamPair = Callable[[], tuple[StreamPeer, StreamPeer, Callable[[], None]]]
    MakePacketPair = Callable[[], tuple[PacketPeer, PacketPeer, Callable[[], None]]]

    check_stream_peer(make_pair: MakeStreamPair, timeout: float = 10.0) -> None
    check_packet_peer(make_pair: MakePacketPair, timeout: float = 10.0) -> None
    each entry of STREAM_PEER_CHECKS / PACKET_PEER_CHECKS:
        check(make_pair, timeout: float = 10.0) -> None

Rules for ``make_pair``: it is called once per check and must return two peers that are
already connected to each other (status CONNECTED / OPEN) plus ``pump``. ``pump()`` must
never block; calling it repeatedly must eventually make bytes (packets) written on one end
visible to the other end's ``get_available_bytes()`` (``get_available_packet_count()``).
Cleanup (closing sockets) is the caller's job, e.g. through a fixture finaliser. The
packet suite assumes a reliable, ordered transport and packets of at most 4000 bytes.
Checks fail with AssertionError; a check that needs ``netpeer.marshalls`` skips while the
codec is not implemented.
"""

from __future__ import annotations

from .packet_peer_contract import (
    PACKET_PEER_CHECKS,
    MakePacketPair,
    check_packet_peer,
)
from .stream_peer_contract import (
    STREAM_PEER_CHECKS,
    MakeStreamPair,
    check_stream_peer,
)

__all__ = [
    "PACKET_PEER_CHECKS",
    "STREAM_PEER_CHECKS",
    "MakePacketPair",
    "MakeStreamPair",
    "check_packet_peer",
    "check_stream_peer",
]
