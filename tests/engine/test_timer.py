"""Timer node: wait_time, one_shot, autostart, paused, physics callback, timeout signal."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from engine.core.message_queue import MessageQueue
from engine.scene.node import Node
from engine.scene.scene_tree import SceneTree
from engine.scene.timer import Timer


@pytest.fixture
def tree() -> Iterator[SceneTree]:
    t = SceneTree()
    t.initialize()
    yield t
    t.finalize()
    MessageQueue.get_singleton().flush()


def counting(timer: Timer) -> list[float]:
    hits: list[float] = []
    timer.timeout.connect(lambda: hits.append(timer.time_left))
    return hits


def test_defaults_match_godot() -> None:
    timer = Timer()
    assert timer.wait_time == 1.0
    assert timer.one_shot is False
    assert timer.autostart is False
    assert timer.paused is False
    assert timer.process_callback == Timer.TIMER_PROCESS_IDLE == 1
    assert Timer.TIMER_PROCESS_PHYSICS == 0
    assert timer.is_stopped()
    assert timer.time_left == 0.0
    timer.free()


def test_autostart_repeats_and_carries_overshoot(tree: SceneTree) -> None:
    timer = Timer()
    timer.wait_time = 0.1
    timer.autostart = True
    hits = counting(timer)
    tree.root.add_child(timer)
    assert not timer.is_stopped()
    assert timer.autostart is False  # consumed when it started, as in Godot
    for _ in range(3):
        tree.process(0.04)  # 0.12 s elapsed: one timeout, 0.08 left
    assert len(hits) == 1
    assert timer.time_left == pytest.approx(0.08)
    for _ in range(3):
        tree.process(0.04)
    assert len(hits) == 2


def test_one_shot_stops_after_timeout(tree: SceneTree) -> None:
    timer = Timer()
    timer.one_shot = True
    hits = counting(timer)
    tree.root.add_child(timer)
    timer.start(0.05)
    assert timer.wait_time == 0.05
    tree.process(0.06)
    tree.process(0.06)
    assert hits == [0.0]
    assert timer.is_stopped()


def test_timeout_needs_time_left_below_zero(tree: SceneTree) -> None:
    timer = Timer()
    hits = counting(timer)
    tree.root.add_child(timer)
    timer.start(0.5)
    tree.process(0.5)  # exactly zero left: Godot waits for < 0
    assert hits == []
    tree.process(0.001)
    assert len(hits) == 1


def test_stop_paused_and_restart(tree: SceneTree) -> None:
    timer = Timer()
    hits = counting(timer)
    tree.root.add_child(timer)
    timer.start(0.1)
    timer.paused = True
    tree.process(1.0)
    assert hits == []
    assert timer.time_left == pytest.approx(0.1)
    timer.paused = False
    timer.stop()
    tree.process(1.0)
    assert hits == []
    timer.start()
    tree.process(0.2)
    assert len(hits) == 1


def test_physics_callback_counts_physics_ticks(tree: SceneTree) -> None:
    timer = Timer()
    timer.process_callback = Timer.TIMER_PROCESS_PHYSICS
    hits = counting(timer)
    tree.root.add_child(timer)
    timer.start(0.05)
    tree.process(1.0)
    assert hits == []
    for _ in range(4):
        tree.physics_process(1 / 60)
    assert len(hits) == 1


def test_pausing_the_tree_pauses_a_pausable_timer(tree: SceneTree) -> None:
    timer = Timer()
    hits = counting(timer)
    tree.root.add_child(timer)
    timer.start(0.1)
    tree.paused = True
    tree.process(1.0)
    assert hits == []
    timer.process_mode = Node.PROCESS_MODE_ALWAYS
    tree.process(1.0)
    assert len(hits) == 1


def test_start_outside_tree_and_bad_wait_time_fail(caplog: pytest.LogCaptureFixture) -> None:
    timer = Timer()
    with caplog.at_level(logging.ERROR, logger="godot"):
        timer.start()
        timer.wait_time = 0
    assert "Timer was not added to the SceneTree" in caplog.text
    assert "Time should be greater than zero." in caplog.text
    assert timer.wait_time == 1.0
    assert timer.is_stopped()
    timer.free()
