"""The arena server: ``TCPServer`` + one ``WebSocketPeer`` per connection, as in Godot's docs.

No high-level multiplayer API: just the two classes a GDScript server uses. Each frame
(``_process``) the server

1. takes every pending TCP connection and hands it to a new ``WebSocketPeer`` with
   ``accept_stream`` (wrapped in a ``StreamPeerTLS`` first for wss://),
2. ``poll()``s every peer: CONNECTING peers finish their HTTP upgrade, OPEN peers deliver
   messages, and a peer that reached CLOSED tells why with ``get_close_code()``.

On fixed physics ticks (``_physics_process``) it moves the world and, ``SNAPSHOT_RATE``
times a second, encodes one snapshot with ``var_to_bytes`` and ``put_packet``s the same
bytes to every OPEN peer. The GDScript equivalent of each step is in the comments.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from demos.ws_arena import protocol
from demos.ws_arena.traffic import Traffic
from demos.ws_arena.world import World
from engine.core.engine import Engine
from engine.core.error import Error
from engine.core.signal import signal
from engine.scene.node import Node
from netpeer.stream_peer_tls import StreamPeerTLS
from netpeer.tcp_server import TCPServer
from netpeer.tls_options import TLSOptions
from netpeer.websocket_peer import WebSocketPeer

HEARTBEAT_INTERVAL = 0.5
"""Seconds between WebSocket pings (Godot 4.4's ``heartbeat_interval``); also measures RTT."""


@dataclass
class RemotePeer:
    """The server's view of one connection."""

    id: int
    ws: WebSocketPeer
    address: str
    connected_at: float
    traffic: Traffic = field(default_factory=Traffic)
    name: str = ""
    state: int = WebSocketPeer.STATE_CONNECTING


@dataclass
class ClosedPeer:
    """How a connection ended, for the report."""

    id: int
    name: str
    code: int
    reason: str
    was_open: bool


class ArenaServer(Node):
    """Listens, accepts WebSocket peers, runs the world and broadcasts it."""

    peer_connected = signal("id")
    peer_disconnected = signal("id", "code", "reason")
    log_message = signal("text")

    def __init__(
        self,
        port: int = 0,
        bind_address: str = "127.0.0.1",
        tls_options: TLSOptions | None = None,
        seed: int = 1,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.name = "Server"
        self.port = port
        self.bind_address = bind_address
        self.tls_options = tls_options
        self.world = World(seed=seed)
        self.tick = 0
        self.traffic = Traffic(now)
        self.peers: dict[int, RemotePeer] = {}
        self.closed: list[ClosedPeer] = []
        self.handshakes = 0
        self.snapshots_sent = 0
        self.listen_error = Error.OK
        self._now = now
        self._tcp_server = TCPServer()
        self._next_id = 2  # 1 is the server, as in Godot's multiplayer ids.

    # -- lifetime -----------------------------------------------------------------------------

    def _ready(self) -> None:
        # GDScript: var err := tcp_server.listen(port, bind_address)
        self.listen_error = self._tcp_server.listen(self.port, self.bind_address)
        if self.listen_error != Error.OK:
            self.log_message.emit(f"server: listen({self.port}) failed: {self.listen_error.name}")
            return
        self.port = self._tcp_server.get_local_port()
        scheme = "wss" if self.tls_options else "ws"
        self.log_message.emit(f"server: listening on {scheme}://{self.bind_address}:{self.port}/")

    def is_listening(self) -> bool:
        return self._tcp_server.is_listening()

    def get_local_port(self) -> int:
        return self._tcp_server.get_local_port()

    def all_closed(self) -> bool:
        return not self.peers

    def stop(self, timeout: float = 1.0) -> None:
        """Close every peer with 1001 ("going away"), wait for their answers, stop listening.

        GDScript: ``for peer in peers.values(): peer.close(1001, "server shutting down")``,
        then keep polling until they are CLOSED, then ``tcp_server.stop()``.
        """
        for remote in self.peers.values():
            remote.ws.close(1001, "server shutting down")
        deadline = self._now() + timeout
        while self.peers and self._now() < deadline:
            self.poll_peers()
            time.sleep(0.001)
        for remote in list(self.peers.values()):
            remote.ws.close(-1)  # Gave up waiting: drop the TCP connection.
        self.poll_peers()
        self._tcp_server.stop()

    # -- every frame --------------------------------------------------------------------------

    def _process(self, delta: float) -> None:
        self.accept_connections()
        self.poll_peers()
        self.traffic.update_rates()
        for remote in self.peers.values():
            remote.traffic.update_rates()

    def accept_connections(self) -> None:
        # GDScript:
        #   while tcp_server.is_connection_available():
        #       var ws := WebSocketPeer.new()
        #       ws.accept_stream(tcp_server.take_connection())
        while self._tcp_server.is_connection_available():
            tcp = self._tcp_server.take_connection()
            if tcp is None:
                break
            ws = WebSocketPeer()
            ws.heartbeat_interval = HEARTBEAT_INTERVAL
            ws.inbound_buffer_size = protocol.MAX_MESSAGE_BYTES
            stream: StreamPeerTLS | None = None
            if self.tls_options is not None:
                # GDScript: var tls := StreamPeerTLS.new()
                #           tls.accept_stream(tcp, TLSOptions.server(key, cert))
                # (the WebSocketPeer finishes the TLS handshake in its own poll()).
                stream = StreamPeerTLS()
                if stream.accept_stream(tcp, self.tls_options) != Error.OK:
                    tcp.disconnect_from_host()
                    continue
            if ws.accept_stream(stream if stream is not None else tcp) != Error.OK:
                continue
            peer_id = self._next_id
            self._next_id += 1
            address = f"{tcp.get_connected_host()}:{tcp.get_connected_port()}"
            self.peers[peer_id] = RemotePeer(peer_id, ws, address, self._now())

    def poll_peers(self) -> None:
        for remote in list(self.peers.values()):
            ws = remote.ws
            ws.poll()  # GDScript: ws.poll() - every frame, for every peer.
            state = ws.get_ready_state()
            if state == WebSocketPeer.STATE_OPEN and remote.state == WebSocketPeer.STATE_CONNECTING:
                self._on_open(remote)
            remote.state = state
            # Messages that arrived before a close stay readable, so read in every state.
            while ws.get_available_packet_count() > 0:
                data = ws.get_packet()  # GDScript: var msg = bytes_to_var(ws.get_packet())
                remote.traffic.received(len(data))
                self.traffic.received(len(data))
                self._on_message(remote, protocol.parse_client_message(data))
            if state == WebSocketPeer.STATE_CLOSED:
                self._on_closed(remote)

    # -- connection events ----------------------------------------------------------------------

    def _on_open(self, remote: RemotePeer) -> None:
        self.handshakes += 1
        self._send(remote, protocol.welcome(remote.id, Engine.get_physics_ticks_per_second()))
        self.peer_connected.emit(remote.id)

    def _on_closed(self, remote: RemotePeer) -> None:
        del self.peers[remote.id]
        code, reason = remote.ws.get_close_code(), remote.ws.get_close_reason()
        was_open = remote.name != "" or remote.traffic.messages_in > 0
        self.closed.append(ClosedPeer(remote.id, remote.name, code, reason, was_open))
        if self.world.remove_player(remote.id) is not None:
            why = f"{code} '{reason}'" if code >= 0 else "connection lost (-1)"
            self._broadcast(protocol.event(f"{remote.name} left: {why}"))
            self.log_message.emit(f"server: peer {remote.id} ({remote.name}) closed: {why}")
        self.peer_disconnected.emit(remote.id, code, reason)

    def _on_message(self, remote: RemotePeer, message: protocol.Message | None) -> None:
        if message is None:
            # Never trust the client: a peer that sends garbage is closed with 1008
            # ("policy violation"); GDScript: ws.close(1008, "bad message").
            remote.ws.close(1008, "bad message")
            return
        kind = message["type"]
        if kind == "hello" and not remote.name:
            remote.name = message["name"]
            self.world.add_player(remote.id, remote.name)
            self._broadcast(protocol.event(f"{remote.name} joined (peer {remote.id})"))
            self.log_message.emit(f"server: peer {remote.id} is {remote.name} ({remote.address})")
        elif kind == "input":
            self.world.set_direction(remote.id, message["dir"])
        elif kind == "ping":
            self._send(remote, protocol.pong(message["t"]))

    # -- simulation and broadcast ------------------------------------------------------------------

    def _physics_process(self, delta: float) -> None:
        self.tick += 1
        self.world.step(delta)
        every = max(1, round(Engine.get_physics_ticks_per_second() / protocol.SNAPSHOT_RATE))
        if self.tick % every == 0 and self._broadcast(self.world.snapshot(self.tick)):
            self.snapshots_sent += 1

    def _send(self, remote: RemotePeer, message: protocol.Message) -> None:
        data = protocol.encode(message)
        # GDScript: ws.put_var(message)  (= ws.put_packet(var_to_bytes(message)))
        if remote.ws.put_packet(data) == Error.OK:
            remote.traffic.sent(len(data))
            self.traffic.sent(len(data))

    def _broadcast(self, message: protocol.Message) -> int:
        """Encode once, send the same bytes to every OPEN peer that said hello; count them."""
        data = protocol.encode(message)
        sent = 0
        for remote in self.peers.values():
            if (
                remote.name
                and remote.ws.get_ready_state() == WebSocketPeer.STATE_OPEN
                and remote.ws.put_packet(data) == Error.OK
            ):
                remote.traffic.sent(len(data))
                self.traffic.sent(len(data))
                sent += 1
        return sent
