"""MessageQueue: ordering, calls queued during a flush, freed targets, errors, nesting."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from engine.core.callable import Callable
from engine.core.error import Error
from engine.core.message_queue import MessageQueue
from engine.core.object import Object


@pytest.fixture
def queue() -> Iterator[MessageQueue]:
    q = MessageQueue.get_singleton()
    q._clear()
    yield q
    q._clear()


class Target(Object):
    def __init__(self) -> None:
        super().__init__()
        self.log: list[object] = []
        self.value = 0

    def record(self, item: object) -> None:
        self.log.append(item)

    def _notification(self, what: int) -> None:
        self.log.append(("notification", what))


def test_singleton() -> None:
    assert MessageQueue.get_singleton() is MessageQueue.get_singleton()


def test_calls_run_in_order(queue: MessageQueue) -> None:
    t = Target()
    for i in range(5):
        queue.push_callable(Callable(t, "record"), i)
    queue.push_call(t, "record", "call")
    queue.push_set(t, "value", 3)
    queue.push_notification(t, 99)
    queue.push_callable(t.record, "python method")
    assert queue.get_queued_count() == 9
    assert t.log == []
    assert queue.flush() == Error.OK
    assert t.log == [0, 1, 2, 3, 4, "call", ("notification", 99), "python method"]
    assert t.value == 3
    assert queue.get_queued_count() == 0


def test_calls_queued_during_flush_run_in_same_flush(queue: MessageQueue) -> None:
    log: list[int] = []

    def step(n: int) -> None:
        log.append(n)
        if n < 3:
            queue.push_callable(step, n + 1)

    queue.push_callable(step, 0)
    queue.flush()
    assert log == [0, 1, 2, 3]
    assert queue.get_queued_count() == 0


def test_freed_and_collected_targets_are_skipped(queue: MessageQueue) -> None:
    freed, collected, alive = Target(), Target(), Target()
    freed_log = freed.log
    queue.push_call(freed, "record", 1)
    queue.push_call(collected, "record", 2)
    queue.push_call(alive, "record", 3)
    freed.free()
    del collected
    gc.collect()
    assert queue.flush() == Error.OK
    assert freed_log == [("notification", 1)]  # PREDELETE only, never the queued call
    assert alive.log == [3]


def test_exception_is_logged_and_flush_continues(
    queue: MessageQueue, caplog: pytest.LogCaptureFixture
) -> None:
    log: list[str] = []

    def boom() -> None:
        raise RuntimeError("kaput")

    queue.push_callable(boom)
    queue.push_callable(log.append, "after")
    assert queue.flush() == Error.OK
    assert log == ["after"]
    messages = [r.getMessage() for r in caplog.records if r.name == "godot"]
    assert len(messages) == 1
    assert "kaput" in messages[0] and "Traceback" in messages[0]
    assert not queue.is_flushing()


def test_nested_flush_is_busy(queue: MessageQueue) -> None:
    results: list[Error] = []
    queue.push_callable(lambda: results.append(queue.flush()))
    assert queue.flush() == Error.OK
    assert results == [Error.ERR_BUSY]


def test_push_rejects_non_callables(queue: MessageQueue) -> None:
    with pytest.raises(TypeError):
        queue.push_callable(5)  # type: ignore[arg-type]
