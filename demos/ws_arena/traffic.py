"""Message and byte counters for one connection (or a whole server), with per-second rates.

Bytes are WebSocket *payload* bytes (what ``put_packet``/``get_packet`` see); each message
also costs a 2-14 byte frame header on the wire (plus a 4-byte mask from clients), and
TLS adds its records on top.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Traffic:
    """Totals each way, and the rates over the last complete second."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self.messages_in = 0
        self.bytes_in = 0
        self.messages_out = 0
        self.bytes_out = 0
        self.messages_in_per_second = 0.0
        self.bytes_in_per_second = 0.0
        self.messages_out_per_second = 0.0
        self.bytes_out_per_second = 0.0
        self._window_start = now()
        self._at_window_start = (0, 0, 0, 0)

    def received(self, size: int) -> None:
        self.messages_in += 1
        self.bytes_in += size

    def sent(self, size: int, messages: int = 1) -> None:
        self.messages_out += messages
        self.bytes_out += size * messages

    def update_rates(self) -> None:
        """Call every frame: once a second the rates take the last second's counts."""
        now = self._now()
        elapsed = now - self._window_start
        if elapsed < 1.0:
            return
        totals = (self.messages_in, self.bytes_in, self.messages_out, self.bytes_out)
        rates = [(t - s) / elapsed for t, s in zip(totals, self._at_window_start, strict=True)]
        (
            self.messages_in_per_second,
            self.bytes_in_per_second,
            self.messages_out_per_second,
            self.bytes_out_per_second,
        ) = rates
        self._window_start = now
        self._at_window_start = totals

    def describe(self) -> str:
        """``"in 60 msgs / 21.3 KB, out 31 msgs / 0.9 KB"``."""
        return (
            f"in {self.messages_in} msgs / {_kb(self.bytes_in)}, "
            f"out {self.messages_out} msgs / {_kb(self.bytes_out)}"
        )


def _kb(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KB"
