"""Godot's ``StreamPeerTLS``: TLS over any ``StreamPeer`` (TCP, or an in-memory pair).

Theory of operation
-------------------
The TLS work happens in the sans-I/O ``netpeer._tls.engine.TLSEngine``; this shell only moves
bytes between it and the wrapped stream, never blocking outside the blocking calls
(``put_data``/``get_data``), and never raising on anything the network sends. ``poll()``
(and the I/O calls) flush pending ciphertext, read what the wrapped stream has (64 KiB at a
time, while less than ``_PLAINTEXT_HIGH_WATER`` decrypted bytes are unread), and map the
engine's state onto Godot's status::

    connect_to_stream / accept_stream
        --> HANDSHAKING --poll: done--> CONNECTED
                 |                         |  peer close_notify, EOF without close_notify,
                 |                         |  bad record: buffered plaintext is still
                 |                         |  delivered, then --> DISCONNECTED
                 |                         \\--disconnect_from_stream()--> DISCONNECTED
                 \\--bad bytes, EOF, untrusted certificate--> ERROR
                 \\--valid certificate for another host name--> ERROR_HOSTNAME_MISMATCH

I/O on a connection that ended returns ``ERR_FILE_EOF`` (the peer sent close_notify) or
``ERR_CONNECTION_ERROR`` (anything else), like Godot; afterwards ``ERR_UNCONFIGURED``.

Differences from Godot 4.2 (docs/godot-differences.md): the real cause is reported when the
first handshake step fails (4.2 always says ERROR_HOSTNAME_MISMATCH, Q20); a server stays
HANDSHAKING until its handshake is really done (4.2 says CONNECTED at once, Q20); TLS 1.3 is
enabled; a wrapped StreamPeerTCP that is still CONNECTING is polled and waited for instead
of failing the handshake; data decrypted before the peer closed is not lost.

Godot: core/io/stream_peer_tls.cpp, modules/mbedtls/stream_peer_mbedtls.cpp.
"""

from __future__ import annotations

from enum import IntEnum

from engine.core.error import Error
from engine.core.messages import fail, push_error
from netpeer._tls.context import VerifyMode
from netpeer._tls.engine import TLSEngine, TLSState
from netpeer.stream_peer import StreamPeer
from netpeer.stream_peer_tcp import StreamPeerTCP
from netpeer.tls_options import TLSOptions

_OK = Error.OK
_READ_CHUNK = 65536
"""Bytes asked of the wrapped stream per read."""
_PLAINTEXT_HIGH_WATER = 256 * 1024
"""Stop reading the wrapped stream while this much decrypted data is unread (back-pressure)."""
_CIPHERTEXT_HIGH_WATER = 256 * 1024
"""``put_partial_data`` takes no more while this much ciphertext waits for the stream."""
_BLOCKING_WRITE_CHUNK = 1024 * 1024


class StreamPeerTLS(StreamPeer):
    """A stream peer that encrypts another stream peer with TLS."""

    class Status(IntEnum):
        STATUS_DISCONNECTED = 0
        STATUS_HANDSHAKING = 1
        STATUS_CONNECTED = 2
        STATUS_ERROR = 3
        STATUS_ERROR_HOSTNAME_MISMATCH = 4

    STATUS_DISCONNECTED = Status.STATUS_DISCONNECTED
    STATUS_HANDSHAKING = Status.STATUS_HANDSHAKING
    STATUS_CONNECTED = Status.STATUS_CONNECTED
    STATUS_ERROR = Status.STATUS_ERROR
    STATUS_ERROR_HOSTNAME_MISMATCH = Status.STATUS_ERROR_HOSTNAME_MISMATCH

    def __init__(self) -> None:
        super().__init__()
        self._status = StreamPeerTLS.STATUS_DISCONNECTED
        self._stream: StreamPeer | None = None
        self._engine: TLSEngine | None = None
        self._out = b""  # ciphertext taken from the engine that the stream has not accepted
        self._transport_closed = False
        self._failure = ""

    # -- Godot API ---------------------------------------------------------------------------

    def connect_to_stream(
        self, stream: StreamPeer, common_name: str, client_options: TLSOptions | None = None
    ) -> Error:
        """Start a client handshake over ``stream`` for the server ``common_name``."""
        if stream is not None and not isinstance(stream, StreamPeer):
            raise TypeError(f"stream must be StreamPeer, got {type(stream).__name__}")
        if not isinstance(common_name, str):
            raise TypeError(f"common_name must be str, got {type(common_name).__name__}")
        if client_options is not None and not isinstance(client_options, TLSOptions):
            raise TypeError(f"client_options must be TLSOptions, got {type(client_options)}")
        if stream is None:
            return fail(Error.ERR_INVALID_PARAMETER, 'Parameter "p_base" is null.')
        if self._engine is not None:
            return fail(Error.ERR_ALREADY_IN_USE, "This TLS context is already active.")
        options = client_options if client_options is not None else TLSOptions.client()
        if options.is_server():
            return fail(Error.ERR_INVALID_PARAMETER, "Client options are required.")
        try:
            context = options._get_context()
        except ValueError as e:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid TLS client options: {e}")
        mode = options.get_verify_mode()
        hostname: str | None = None
        if mode == VerifyMode.FULL:
            hostname = options.get_common_name_override() or common_name
        engine = TLSEngine(
            context, server_side=False, verify_peer=mode != VerifyMode.NONE, hostname=hostname
        )
        return self._begin(stream, engine)

    def accept_stream(self, stream: StreamPeer, server_options: TLSOptions) -> Error:
        """Start a server handshake over ``stream`` (e.g. a TCP peer from TCPServer)."""
        if stream is not None and not isinstance(stream, StreamPeer):
            raise TypeError(f"stream must be StreamPeer, got {type(stream).__name__}")
        if server_options is not None and not isinstance(server_options, TLSOptions):
            raise TypeError(f"server_options must be TLSOptions, got {type(server_options)}")
        if stream is None:
            return fail(Error.ERR_INVALID_PARAMETER, 'Parameter "p_base" is null.')
        if server_options is None or not server_options.is_server():
            return fail(Error.ERR_INVALID_PARAMETER, "Server options are required.")
        if self._engine is not None:
            return fail(Error.ERR_ALREADY_IN_USE, "This TLS context is already active.")
        try:
            context = server_options._get_context()
        except ValueError as e:
            return fail(Error.ERR_INVALID_PARAMETER, f"Invalid cert/key combination: {e}")
        return self._begin(stream, TLSEngine(context, server_side=True))

    def poll(self) -> None:
        """Advance the handshake, read and decrypt what arrived, notice a closed peer."""
        status = self._status
        if status is not StreamPeerTLS.STATUS_CONNECTED and status is not (
            StreamPeerTLS.STATUS_HANDSHAKING
        ):
            push_error('Condition "status != STATUS_CONNECTED && status != STATUS_HANDSHAKING"')
            return
        self._pump()

    def get_status(self) -> StreamPeerTLS.Status:
        return self._status

    def get_stream(self) -> StreamPeer | None:
        """The wrapped stream (None once disconnected or failed)."""
        return self._stream

    def disconnect_from_stream(self) -> None:
        """Send close_notify (if the transport is still up) and release the stream."""
        status = self._status
        if status is StreamPeerTLS.STATUS_CONNECTED or status is StreamPeerTLS.STATUS_HANDSHAKING:
            engine, stream = self._engine, self._stream
            if engine is not None and stream is not None and self._transport_up(stream):
                engine.close()
                self._flush()
        self._release(StreamPeerTLS.STATUS_DISCONNECTED)

    # -- StreamPeer hooks --------------------------------------------------------------------

    def _put_partial_data(self, data: bytes) -> tuple[Error, int]:
        engine = self._connected_engine()
        if engine is None:
            return self._io_refused(), 0
        if engine.state is not TLSState.CONNECTED:
            return self._ended(), 0
        if self._flush() != _OK:
            return self._transport_failed(), 0
        room = _CIPHERTEXT_HIGH_WATER - len(self._out) - engine.bytes_to_send()
        if room <= 0:
            return _OK, 0
        n = len(data) if len(data) <= room else room
        sent = engine.write(memoryview(data)[:n] if n < len(data) else data)
        if self._flush() != _OK:
            return self._transport_failed(), 0
        if engine.state is not TLSState.CONNECTED:
            return self._ended(), 0
        return _OK, sent

    def _put_data(self, data: bytes) -> Error:
        engine = self._connected_engine()
        if engine is None:
            return self._io_refused()
        view = memoryview(data)
        for start in range(0, len(view), _BLOCKING_WRITE_CHUNK):
            if engine.state is not TLSState.CONNECTED:
                return self._ended()
            engine.write(view[start : start + _BLOCKING_WRITE_CHUNK])
            if self._flush(blocking=True) != _OK:
                return self._transport_failed()
        if engine.state is not TLSState.CONNECTED:
            return self._ended()
        return _OK

    def _get_partial_data(self, n: int) -> tuple[Error, bytes]:
        engine = self._connected_engine()
        if engine is None:
            return self._io_refused(), b""
        if engine.available() < n:
            self._pump()
            if self._engine is None:  # a transport failure released everything
                return self._ended_after_release(), b""
        if engine.available():
            return _OK, engine.read(n)
        if engine.state is not TLSState.CONNECTED:
            return self._ended(), b""
        return _OK, b""

    def _get_data(self, n: int) -> tuple[Error, bytes]:
        engine = self._connected_engine()
        if engine is None:
            return self._io_refused(), b""
        while engine.available() < n:
            before = engine.available()
            self._pump(want=n)
            if self._engine is None:  # ended and released while pumping
                return self._ended_after_release(), b""
            if engine.state is not TLSState.CONNECTED:
                if engine.available() >= n:
                    break
                data = engine.read(n)
                return self._ended(), data
            if engine.available() == before:
                err = self._wait_for_stream(engine)
                if err != _OK:
                    return err, b""
        return _OK, engine.read(n)

    def _get_available_bytes(self) -> int:
        if self._status is not StreamPeerTLS.STATUS_CONNECTED or self._engine is None:
            return fail(0, 'Condition "status != STATUS_CONNECTED" is true.')
        return self._engine.available()

    # -- Python-side helpers -----------------------------------------------------------------

    def _get_failure_reason(self) -> str:
        """Why the last handshake or connection failed ("" if it did not)."""
        return self._failure

    def _get_protocol_version(self) -> str:
        """``"TLSv1.2"`` or ``"TLSv1.3"`` while connected, else ""."""
        if self._engine is None or self._status is not StreamPeerTLS.STATUS_CONNECTED:
            return ""
        return self._engine.protocol_version()

    # -- internals ---------------------------------------------------------------------------

    def _begin(self, stream: StreamPeer, engine: TLSEngine) -> Error:
        self._stream = stream
        self._engine = engine
        self._out = b""
        self._transport_closed = False
        self._failure = ""
        self._status = StreamPeerTLS.STATUS_HANDSHAKING
        engine.start()
        self._pump()
        if self._status is StreamPeerTLS.STATUS_ERROR or self._status is (
            StreamPeerTLS.STATUS_ERROR_HOSTNAME_MISMATCH
        ):
            return Error.FAILED
        return _OK

    def _connected_engine(self) -> TLSEngine | None:
        if self._status is not StreamPeerTLS.STATUS_CONNECTED:
            return None
        return self._engine

    def _io_refused(self) -> Error:
        return fail(Error.ERR_UNCONFIGURED, 'Condition "status != STATUS_CONNECTED" is true.')

    @staticmethod
    def _transport_up(stream: StreamPeer) -> bool:
        if isinstance(stream, StreamPeerTCP):
            return stream.get_status() is StreamPeerTCP.STATUS_CONNECTED
        return True

    def _pump(self, want: int = 0) -> None:
        """Flush, read what the stream has, feed the engine, flush again, update status."""
        engine, stream = self._engine, self._stream
        if engine is None or stream is None:
            return
        if isinstance(stream, StreamPeerTCP):
            tcp_status = stream.get_status()
            if tcp_status is StreamPeerTCP.STATUS_CONNECTING:
                stream.poll()
                tcp_status = stream.get_status()
                if tcp_status is StreamPeerTCP.STATUS_CONNECTING:
                    return
            if tcp_status is not StreamPeerTCP.STATUS_CONNECTED and not self._transport_closed:
                self._transport_closed = True
                engine.receive_eof()
        if self._flush() != _OK:
            self._transport_closed = True
            engine.receive_eof()
        limit = want if want > _PLAINTEXT_HIGH_WATER else _PLAINTEXT_HIGH_WATER
        while not self._transport_closed and engine.available() < limit:
            state = engine.state
            if state is not TLSState.HANDSHAKING and state is not TLSState.CONNECTED:
                break
            err, data = stream.get_partial_data(_READ_CHUNK)
            if err != _OK:
                self._transport_closed = True
                engine.receive_eof()
                break
            if not data:
                break
            engine.receive_data(data)
            if len(data) < _READ_CHUNK:
                break
        if self._flush() != _OK and not self._transport_closed:
            self._transport_closed = True
            engine.receive_eof()
        self._update_status(engine)

    def _update_status(self, engine: TLSEngine) -> None:
        state = engine.state
        if self._status is StreamPeerTLS.STATUS_HANDSHAKING:
            if state is TLSState.HANDSHAKING:
                return
            if engine.handshake_done:
                self._status = StreamPeerTLS.STATUS_CONNECTED
                if state is not TLSState.CONNECTED and not engine.available():
                    self._finish(engine)
                return
            self._failure = engine.failure or "connection closed during the TLS handshake"
            push_error(f"TLS handshake error: {self._failure}")
            if state is TLSState.HOSTNAME_MISMATCH:
                self._release(StreamPeerTLS.STATUS_ERROR_HOSTNAME_MISMATCH)
            else:
                self._release(StreamPeerTLS.STATUS_ERROR)
            return
        if state is not TLSState.CONNECTED and not engine.available():
            self._finish(engine)

    def _finish(self, engine: TLSEngine) -> Error:
        """The connection ended and its plaintext is drained: answer, release, say why."""
        if engine.peer_closed:
            stream = self._stream
            if stream is not None and not self._transport_closed and self._transport_up(stream):
                engine.close()
                self._flush()
            self._release(StreamPeerTLS.STATUS_DISCONNECTED)
            return Error.ERR_FILE_EOF
        self._failure = engine.failure or "TLS connection closed"
        push_error(f"TLS connection error: {self._failure}")
        self._release(StreamPeerTLS.STATUS_DISCONNECTED)
        return Error.ERR_CONNECTION_ERROR

    def _ended(self) -> Error:
        """The engine stopped: report EOF / connection error; release once drained."""
        engine = self._engine
        if engine is None:
            return self._ended_after_release()
        if engine.available():
            return Error.ERR_FILE_EOF if engine.peer_closed else Error.ERR_CONNECTION_ERROR
        return self._finish(engine)

    def _ended_after_release(self) -> Error:
        return Error.ERR_CONNECTION_ERROR if self._failure else Error.ERR_FILE_EOF

    def _transport_failed(self) -> Error:
        self._failure = self._failure or "the wrapped stream failed"
        push_error(f"TLS connection error: {self._failure}")
        self._release(StreamPeerTLS.STATUS_DISCONNECTED)
        return Error.ERR_CONNECTION_ERROR

    def _release(self, status: StreamPeerTLS.Status) -> None:
        self._engine = None
        self._stream = None
        self._out = b""
        self._status = status

    def _flush(self, blocking: bool = False) -> Error:
        """Hand pending ciphertext to the stream; keep what it does not take yet."""
        engine, stream = self._engine, self._stream
        if engine is None or stream is None:
            return _OK
        while True:
            if not self._out:
                self._out = engine.data_to_send(_READ_CHUNK * 4)
                if not self._out:
                    return _OK
            if isinstance(stream, StreamPeerTCP) and (
                stream.get_status() is StreamPeerTCP.STATUS_CONNECTING
            ):
                return _OK  # sent once the connection is up
            if blocking:
                err = stream.put_data(self._out)
                if err != _OK:
                    return err
                self._out = b""
                continue
            err, sent = stream.put_partial_data(self._out)
            if err != _OK:
                return err
            if sent < len(self._out):
                self._out = self._out[sent:]
                return _OK
            self._out = b""

    def _wait_for_stream(self, engine: TLSEngine) -> Error:
        """Block until the wrapped stream yields a byte (for ``get_data``).

        A stream that cannot wait (``ERR_UNAVAILABLE``/``ERR_BUSY``, e.g. an in-memory pair
        with nothing in flight) gets its error passed on; any other error ends the transport.
        """
        stream = self._stream
        if stream is None or self._transport_closed:
            return _OK
        err, byte = stream.get_data(1)
        if err == _OK:
            engine.receive_data(byte)
        elif err in (Error.ERR_UNAVAILABLE, Error.ERR_BUSY):
            return err
        else:
            self._transport_closed = True
            engine.receive_eof()
        return _OK
