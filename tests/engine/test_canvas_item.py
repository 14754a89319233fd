"""CanvasItem/Node2D: retained _draw() commands, transforms, and pixels rendered offscreen."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from typing import Any

import pygame
import pytest

from engine.core.message_queue import MessageQueue
from engine.core.variant.color import Color
from engine.core.variant.rect2 import Rect2
from engine.core.variant.vector2 import Vector2
from engine.platform.canvas_renderer import CanvasRenderer
from engine.scene.canvas_item import CanvasItem
from engine.scene.node import Node
from engine.scene.node_2d import Node2D
from engine.scene.scene_tree import SceneTree

BLACK = Color(0, 0, 0, 1)


@pytest.fixture
def tree() -> Iterator[SceneTree]:
    t = SceneTree()
    t.initialize()
    yield t
    t.finalize()
    MessageQueue.get_singleton().flush()


class Painter(Node2D):
    """Calls ``paint(self)`` from ``_draw`` and counts redraws."""

    def __init__(self, paint: Callable[[Painter], None], position: Vector2 = Vector2.ZERO) -> None:
        super().__init__()
        self.paint = paint
        self.position = position
        self.draws = 0

    def _draw(self) -> None:
        self.draws += 1
        self.paint(self)


def render(tree: SceneTree, size: tuple[int, int] = (64, 64)) -> Any:
    surface = pygame.Surface(size)
    CanvasRenderer().render(tree.root, surface, BLACK)
    return surface


def px(surface: Any, x: int, y: int) -> tuple[int, int, int]:
    c = surface.get_at((x, y))
    return (c.r, c.g, c.b)


def test_draw_runs_in_deferred_flush_and_is_retained(tree: SceneTree) -> None:
    item = Painter(lambda p: p.draw_rect(Rect2(0, 0, 2, 2), Color(1, 0, 0)))
    tree.root.add_child(item)
    assert item.draws == 0  # queued, not run yet
    tree.process(0.016)
    assert item.draws == 1
    tree.process(0.016)
    assert item.draws == 1  # retained until queue_redraw
    item.queue_redraw()
    item.queue_redraw()
    tree.process(0.016)
    assert item.draws == 2
    assert len(item._get_draw_commands()) == 1


def test_draw_signal_and_notification(tree: SceneTree) -> None:
    seen: list[str] = []

    class Item(CanvasItem):
        def _notification(self, what: int) -> None:
            if what == CanvasItem.NOTIFICATION_DRAW:
                seen.append("notification")

        def _draw(self) -> None:
            seen.append("_draw")

    item = Item()
    item.draw.connect(lambda: seen.append("signal"))
    tree.root.add_child(item)
    tree.process(0.0)
    assert seen == ["notification", "signal", "_draw"]


def test_drawing_outside_draw_is_an_error(
    tree: SceneTree, caplog: pytest.LogCaptureFixture
) -> None:
    item = Node2D()
    tree.root.add_child(item)
    with caplog.at_level(logging.ERROR, logger="godot"):
        item.draw_line(Vector2(), Vector2(1, 1), Color(1, 1, 1))
    assert "Drawing is only allowed inside" in caplog.text
    assert item._get_draw_commands() == []
    with pytest.raises(TypeError):
        Painter(lambda p: None).draw_rect("rect", Color())  # type: ignore[arg-type]


def test_rect_pixels_follow_position(tree: SceneTree) -> None:
    tree.root.add_child(
        Painter(lambda p: p.draw_rect(Rect2(0, 0, 4, 4), Color(1, 0, 0)), Vector2(10, 10))
    )
    tree.process(0.0)
    surface = render(tree)
    assert px(surface, 10, 10) == (255, 0, 0)
    assert px(surface, 13, 13) == (255, 0, 0)
    assert px(surface, 14, 10) == (0, 0, 0)
    assert px(surface, 9, 10) == (0, 0, 0)


def test_child_transform_composes_with_parent(tree: SceneTree) -> None:
    parent = Node2D()
    parent.position = Vector2(20, 20)
    parent.rotation = math.pi / 2  # +x now points down
    child = Painter(lambda p: p.draw_circle(Vector2(), 2, Color(0, 1, 0)), Vector2(10, 0))
    parent.add_child(child)
    tree.root.add_child(parent)
    tree.process(0.0)
    assert child.global_position.is_equal_approx(Vector2(20, 30))
    surface = render(tree)
    assert px(surface, 20, 30) == (0, 255, 0)
    assert px(surface, 30, 20) == (0, 0, 0)


def test_plain_node_breaks_the_transform_chain(tree: SceneTree) -> None:
    outer = Node2D()
    outer.position = Vector2(30, 30)
    middle = Node()
    inner = Painter(lambda p: p.draw_rect(Rect2(0, 0, 2, 2), Color(0, 0, 1)), Vector2(1, 1))
    outer.add_child(middle)
    middle.add_child(inner)
    tree.root.add_child(outer)
    tree.process(0.0)
    surface = render(tree)
    assert px(surface, 1, 1) == (0, 0, 255)
    assert px(surface, 31, 31) == (0, 0, 0)


def test_line_scale_and_hidden_items(tree: SceneTree) -> None:
    item = Painter(lambda p: p.draw_line(Vector2(0, 0), Vector2(5, 0), Color(1, 1, 1)))
    item.position = Vector2(2, 40)
    item.scale = Vector2(4, 4)
    tree.root.add_child(item)
    tree.process(0.0)
    surface = render(tree)
    assert px(surface, 2, 40) == (255, 255, 255)
    assert px(surface, 21, 40) == (255, 255, 255)  # 5 px scaled by 4
    assert px(surface, 26, 40) == (0, 0, 0)
    item.hide()
    assert not item.is_visible_in_tree()
    surface = render(tree)
    assert px(surface, 10, 40) == (0, 0, 0)


def test_modulate_and_alpha_blending(tree: SceneTree) -> None:
    parent = Node2D()
    parent.modulate = Color(1, 0, 0)
    parent.add_child(Painter(lambda p: p.draw_rect(Rect2(0, 0, 4, 4), Color(1, 1, 1))))
    glass = Painter(lambda p: p.draw_rect(Rect2(0, 0, 4, 4), Color(1, 1, 1, 0.5)), Vector2(8, 0))
    tree.root.add_child(parent)
    tree.root.add_child(glass)
    tree.process(0.0)
    surface = render(tree)
    assert px(surface, 1, 1) == (255, 0, 0)
    r, g, b = px(surface, 9, 1)
    assert 120 <= r <= 135 and r == g == b


def test_string_outline_polygon_and_polyline_draw_pixels(tree: SceneTree) -> None:
    def paint(p: Painter) -> None:
        p.draw_string(None, Vector2(0, 16), "Hi", font_size=20)
        # Godot 4.2's full signature, positionally: the last three are accepted and ignored.
        p.draw_string(None, Vector2(0, 60), "x", 1, 30.0, 12, Color(1, 1, 0), 0, 2, 1)
        p.draw_string(None, Vector2(0, 60), "y", justification_flags=0, direction=1, orientation=1)
        p.draw_rect(Rect2(30, 2, 10, 10), Color(0, 1, 0), False)
        triangle = [Vector2(2, 40), Vector2(12, 40), Vector2(2, 50)]
        p.draw_colored_polygon(triangle, Color(0, 0, 1), triangle, None)  # 4.2's uvs, texture
        p.draw_polyline([Vector2(40, 40), Vector2(50, 40), Vector2(50, 50)], Color(1, 0, 0), 2)

    painter = Painter(paint)
    tree.root.add_child(painter)
    tree.process(0.0)
    strings = [args for kind, args in painter._get_draw_commands() if kind == "string"]
    assert strings[1:] == [
        (Vector2(0, 60), "x", 1, 30.0, 12, Color(1, 1, 0)),
        (Vector2(0, 60), "y", CanvasItem.HORIZONTAL_ALIGNMENT_LEFT, -1.0, 16, Color(1, 1, 1)),
    ]
    surface = render(tree)
    text = [px(surface, x, y) for x in range(20) for y in range(18)]
    assert any(c != (0, 0, 0) for c in text)
    assert px(surface, 30, 2) == (0, 255, 0)
    assert px(surface, 35, 7) == (0, 0, 0)  # outline only
    assert px(surface, 4, 42) == (0, 0, 255)
    assert px(surface, 45, 40) == (255, 0, 0)


def test_node2d_transform_helpers() -> None:
    node = Node2D()
    node.position = Vector2(3, 4)
    node.rotation_degrees = 90
    assert node.rotation == pytest.approx(math.pi / 2)
    node.translate(Vector2(1, 1))
    assert node.position == Vector2(4, 5)
    assert node.to_global(Vector2(1, 0)).is_equal_approx(Vector2(4, 6))
    assert node.to_local(Vector2(4, 6)).is_equal_approx(Vector2(1, 0))
    node.global_position = Vector2(10, 10)
    assert node.position == Vector2(10, 10)
    node.rotate(-math.pi / 2)
    node.move_local_x(2)
    assert node.position.is_equal_approx(Vector2(12, 10))
    node.free()
