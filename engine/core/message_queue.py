"""The deferred-call queue behind ``call_deferred``, ``set_deferred`` and ``CONNECT_DEFERRED``.

One process-wide queue (``MessageQueue.get_singleton()``) collects calls; the main loop runs
them with ``flush()`` once per frame, after processing. Like Godot's ``CallQueue``:

* calls run in the order they were queued, and calls queued *during* a flush run in that
  same flush (so a chain of deferred calls settles within one frame);
* a call whose target Object was freed (or collected) before the flush is skipped silently;
* a nested ``flush()`` from inside a queued call returns ``ERR_BUSY`` and does nothing.

Unlike Godot a Python exception in one call is logged through ``push_error`` (with its
traceback) and the flush goes on with the next call, so one faulty callback cannot stall the
frame. Pushing is safe from other threads (``deque.append`` is atomic).

Godot: core/object/message_queue.h, core/object/message_queue.cpp.
"""

from __future__ import annotations

import traceback
from collections import deque
from typing import TYPE_CHECKING, Any

from engine.core.callable import Callable, PyCallable
from engine.core.error import Error
from engine.core.messages import push_error

if TYPE_CHECKING:
    from engine.core.object import Object


class MessageQueue:
    """Queue of deferred calls, flushed by the main loop once per frame."""

    _singleton: MessageQueue | None = None

    def __init__(self) -> None:
        self._queue: deque[tuple[Callable, tuple[Any, ...]]] = deque()
        self._flushing = False

    @classmethod
    def get_singleton(cls) -> MessageQueue:
        """The process-wide queue (created on first use)."""
        singleton = cls._singleton
        if singleton is None:
            singleton = cls._singleton = cls()
        return singleton

    def push_callable(self, callable: Callable | PyCallable, *args: Any) -> Error:
        """Queue ``callable(*args)``; Python callables are wrapped with ``Callable.from_py``."""
        self._queue.append((Callable.from_py(callable), args))
        return Error.OK

    def push_call(self, object: Object, method: str, *args: Any) -> Error:
        """Queue ``object.method(*args)`` (the object is held by id, not kept alive)."""
        return self.push_callable(Callable(object, method), *args)

    def push_set(self, object: Object, property: str, value: Any) -> Error:
        """Queue ``object.set(property, value)``."""
        return self.push_callable(Callable(object, "set"), property, value)

    def push_notification(self, object: Object, what: int) -> Error:
        """Queue ``object.notification(what)``."""
        return self.push_callable(Callable(object, "notification"), what)

    def flush(self) -> Error:
        """Run every queued call, including calls queued meanwhile; ``ERR_BUSY`` if nested."""
        if self._flushing:
            return Error.ERR_BUSY
        self._flushing = True
        queue = self._queue
        try:
            while queue:
                target, args = queue.popleft()
                try:
                    target._callp(args)  # returns _INVALID (skipped) if the target is gone
                except Exception as exc:
                    push_error(
                        f"Error calling deferred method '{target}': {exc!r}\n",
                        "".join(traceback.format_exception(exc)).rstrip(),
                    )
        finally:
            self._flushing = False
        return Error.OK

    def is_flushing(self) -> bool:
        """True while ``flush()`` is running."""
        return self._flushing

    def get_queued_count(self) -> int:
        """Number of calls waiting for the next flush (Python-only helper)."""
        return len(self._queue)

    def _clear(self) -> None:
        """Drop every queued call without running it (tests, shutdown)."""
        self._queue.clear()
