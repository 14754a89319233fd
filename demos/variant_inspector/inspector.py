"""The variant inspector scene: Godot's object model and ``var_to_bytes`` at work.

Balls (``Node2D``s in the group ``"balls"``) bounce in the left half of the window on
fixed-rate ``_physics_process`` ticks. Every frame the inspector gathers their state into a
Dictionary of Vector2s and Colors, encodes it with ``var_to_bytes`` exactly as Godot would
put it on the wire, decodes it again with ``bytes_to_var`` and draws the bytes and the
decoded values in the right half. A ``Timer`` spawns a ball every second, a
``SceneTree.create_timer`` one-shot shows a greeting, and the custom ``state_encoded``
signal feeds the statistics.

Keys (with a window): Space spawns a ball, P pauses the balls (the inspector keeps running
with ``PROCESS_MODE_ALWAYS``), Escape quits.
"""

from __future__ import annotations

import random
from typing import Any

from engine.core.engine import Engine
from engine.core.signal import signal
from engine.core.time import Time
from engine.core.variant.color import Color
from engine.core.variant.rect2 import Rect2
from engine.core.variant.vector2 import Vector2
from engine.platform.pygame_input import PygameInput
from engine.scene.node import Node
from engine.scene.node_2d import Node2D
from engine.scene.timer import Timer
from netpeer.marshalls import bytes_to_var, var_to_bytes

ARENA = Rect2(10, 40, 430, 480)
PANEL_X = 460.0
BYTES_PER_ROW = 16
MAX_ROWS = 16
MAX_BALLS = 6

TEXT = Color(0.92, 0.92, 0.92)
DIM = Color(0.6, 0.65, 0.7)
ACCENT = Color(1.0, 0.8, 0.3)
PANEL = Color(0.12, 0.13, 0.16)


class Ball(Node2D):
    """A bouncing disc; its state is what gets serialized."""

    def __init__(self, name: str, position: Vector2, velocity: Vector2, color: Color) -> None:
        super().__init__()
        self.name = name
        self.position = position
        self.velocity = velocity
        self.color = color
        self.radius = 14.0
        self.add_to_group("balls")

    def _physics_process(self, delta: float) -> None:
        pos = self.position + self.velocity * delta
        vel = self.velocity
        left, top = ARENA.position.x + self.radius, ARENA.position.y + self.radius
        right = ARENA.position.x + ARENA.size.x - self.radius
        bottom = ARENA.position.y + ARENA.size.y - self.radius
        if pos.x < left or pos.x > right:
            vel = Vector2(-vel.x, vel.y)
            pos = Vector2(min(max(pos.x, left), right), pos.y)
        if pos.y < top or pos.y > bottom:
            vel = Vector2(vel.x, -vel.y)
            pos = Vector2(pos.x, min(max(pos.y, top), bottom))
        self.velocity = vel
        self.position = pos

    def recolor(self, color: Color) -> None:
        self.color = color
        self.queue_redraw()

    def _draw(self) -> None:
        self.draw_circle(Vector2(), self.radius, self.color)
        self.draw_string(None, Vector2(-self.radius, self.radius + 14), self.name, font_size=16)

    def to_variant(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "position": self.position,
            "velocity": self.velocity,
            "color": self.color,
        }


class VariantInspector(Node2D):
    """Root of the demo: spawns balls, encodes their state every frame, draws the bytes."""

    state_encoded = signal("size")

    def __init__(self) -> None:
        super().__init__()
        self.name = "VariantInspector"
        self.process_mode = Node.PROCESS_MODE_ALWAYS
        self._rng = random.Random(4)
        self._ball_count = 0
        self._timeouts = 0
        self._greeting = ""
        self._bytes = b""
        self._decoded: Any = None
        self._frames = 0
        self._round_trips = 0
        self._sizes: list[int] = []
        self._started_msec = 0
        self._ended_msec = 0
        self._physics_ticks_at_start = 0
        self.balls = Node()
        self.balls.name = "Balls"
        self.balls.process_mode = Node.PROCESS_MODE_PAUSABLE

    # -- scene setup -------------------------------------------------------------------------

    def _ready(self) -> None:
        self._started_msec = Time.get_ticks_msec()
        self._physics_ticks_at_start = Engine.get_physics_frames()
        self.add_child(self.balls)
        for _ in range(3):
            self.spawn_ball()

        spawner = Timer()
        spawner.name = "SpawnTimer"
        spawner.wait_time = 1.0
        spawner.autostart = True
        spawner.timeout.connect(self._on_spawn_timer_timeout)
        self.add_child(spawner)

        tree = self.get_tree()
        assert tree is not None
        tree.create_timer(0.5).timeout.connect(self._on_greeting_timeout)
        self.state_encoded.connect(self._on_state_encoded)

    def spawn_ball(self) -> None:
        self._ball_count += 1
        rng = self._rng
        position = Vector2(
            rng.uniform(ARENA.position.x + 20, ARENA.position.x + ARENA.size.x - 20),
            rng.uniform(ARENA.position.y + 20, ARENA.position.y + ARENA.size.y - 20),
        )
        velocity = Vector2(rng.uniform(-160, 160), rng.uniform(-160, 160))
        color = Color.from_hsv(rng.random(), 0.7, 0.95)
        self.balls.add_child(Ball(f"Ball{self._ball_count}", position, velocity, color))

    def _on_spawn_timer_timeout(self) -> None:
        self._timeouts += 1
        balls = self.get_tree().get_nodes_in_group("balls")  # type: ignore[union-attr]
        if len(balls) < MAX_BALLS:
            self.spawn_ball()
        else:
            ball = balls[self._timeouts % len(balls)]
            if isinstance(ball, Ball):
                ball.recolor(Color.from_hsv(self._rng.random(), 0.7, 0.95))

    def _on_greeting_timeout(self) -> None:
        self._greeting = "create_timer(0.5) fired: hello from a SceneTreeTimer"

    def _on_state_encoded(self, size: int) -> None:
        self._sizes.append(size)

    # -- every frame -------------------------------------------------------------------------

    def _process(self, delta: float) -> None:
        tree = self.get_tree()
        assert tree is not None
        state = {
            "frame": Engine.get_process_frames(),
            "msec": Time.get_ticks_msec(),
            "paused": tree.paused,
            "balls": [
                b.to_variant() for b in tree.get_nodes_in_group("balls") if isinstance(b, Ball)
            ],
        }
        data = var_to_bytes(state)
        decoded = bytes_to_var(data)
        # Floats travel as float32, so compare bytes: re-encoding the decoded value must give
        # the very same bytes (a stable round trip).
        if var_to_bytes(decoded) == data:
            self._round_trips += 1
        self._bytes = data
        self._decoded = decoded
        self._frames += 1
        self._ended_msec = Time.get_ticks_msec()
        self.state_encoded.emit(len(data))
        self.queue_redraw()

    def _input(self, event: Any) -> None:
        tree = self.get_tree()
        if tree is None:
            return
        if PygameInput.is_key_pressed(event, "space"):
            self.spawn_ball()
        elif PygameInput.is_key_pressed(event, "p"):
            tree.paused = not tree.paused
        elif PygameInput.is_key_pressed(event, "escape"):
            tree.quit()

    # -- drawing -----------------------------------------------------------------------------

    def _draw(self) -> None:
        self.draw_rect(ARENA, PANEL)
        self.draw_rect(ARENA, DIM, False, 2)
        self.draw_string(None, Vector2(10, 28), "Scene: balls in group 'balls'", font_size=22)
        self.draw_string(
            None,
            Vector2(10, 534),
            "Space: spawn   P: pause balls   Esc: quit",
            font_size=18,
            modulate=DIM,
        )
        x = PANEL_X
        self.draw_string(None, Vector2(x, 28), "var_to_bytes(state)", font_size=22, modulate=ACCENT)
        size = len(self._bytes)
        self.draw_string(
            None,
            Vector2(x + 200, 28),
            f"{size} bytes   frame {Engine.get_process_frames()}   "
            f"{Engine.get_frames_per_second():.0f} fps",
            font_size=18,
            modulate=DIM,
        )
        rows = [self._bytes[i : i + BYTES_PER_ROW] for i in range(0, size, BYTES_PER_ROW)]
        for r, row in enumerate(rows[:MAX_ROWS]):
            y = 54 + r * 17
            self.draw_string(
                None, Vector2(x, y), f"{r * BYTES_PER_ROW:04x}", font_size=16, modulate=DIM
            )
            for c, byte in enumerate(row):
                self.draw_string(None, Vector2(x + 44 + c * 27, y), f"{byte:02x}", font_size=16)
        if len(rows) > MAX_ROWS:
            self.draw_string(
                None,
                Vector2(x, 54 + MAX_ROWS * 17),
                f"... {len(rows) - MAX_ROWS} more rows",
                font_size=16,
                modulate=DIM,
            )
        y = 54 + (MAX_ROWS + 1) * 17 + 10
        self.draw_string(None, Vector2(x, y), "bytes_to_var(bytes)", font_size=22, modulate=ACCENT)
        for line in self._decoded_lines()[:10]:
            y += 18
            self.draw_string(None, Vector2(x, y), line, font_size=16, modulate=TEXT)
        if self._greeting:
            self.draw_string(None, Vector2(x, 534), self._greeting, font_size=16, modulate=DIM)

    def _decoded_lines(self) -> list[str]:
        state = self._decoded
        if not isinstance(state, dict):
            return ["(nothing decoded yet)"]
        lines = [
            f"frame={state.get('frame')} msec={state.get('msec')} paused={state.get('paused')}"
        ]
        for ball in state.get("balls", []):
            pos, color = ball["position"], ball["color"]
            lines.append(
                f"{ball['name']}: position=({pos.x:.1f}, {pos.y:.1f}) color={color.to_html(False)}"
            )
        return lines

    # -- report ------------------------------------------------------------------------------

    def summary(self) -> str:
        """What happened, for the launcher's headless report."""
        seconds = max(0.001, (self._ended_msec - self._started_msec) / 1000)
        physics = Engine.get_physics_frames() - self._physics_ticks_at_start
        last = self._decoded if isinstance(self._decoded, dict) else {}
        balls = len(last.get("balls", []))
        sizes = self._sizes or [0]
        sample = " ".join(f"{b:02x}" for b in self._bytes[:24])
        return "\n".join(
            [
                f"Variant inspector: {self._frames} frames in {seconds:.2f} s "
                f"({self._frames / seconds:.1f} fps), {physics} physics ticks",
                f"  scene: {balls} balls in group 'balls'; "
                f"SpawnTimer fired {self._timeouts} times; "
                f"{self._greeting or 'create_timer(0.5) did not fire'}",
                f"  var_to_bytes: {sizes[-1]} bytes last frame "
                f"(min {min(sizes)}, max {max(sizes)}); "
                f"{self._round_trips}/{self._frames} frames re-encoded byte-exact",
                f"  first bytes: {sample} ...",
                *(f"  decoded: {line}" for line in self._decoded_lines()[:3]),
            ]
        )
