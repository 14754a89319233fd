"""Godot's ``AABB``: an immutable axis-aligned box (position + size) of reals."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import FrozenValue
from engine.core.variant.vector3 import Vector3

_set = object.__setattr__


class AABB(FrozenValue):
    """``AABB()``, ``AABB(position, size)``, ``AABB(AABB)``."""

    __slots__ = ("position", "size")
    position: Vector3
    size: Vector3

    def __init__(self, *args: Any) -> None:
        if not args:
            position, size = Vector3.ZERO, Vector3.ZERO
        elif len(args) == 1 and isinstance(args[0], AABB):
            position, size = args[0].position, args[0].size
        elif len(args) == 2 and isinstance(args[0], Vector3) and isinstance(args[1], Vector3):
            position, size = args
        else:
            raise TypeError("AABB() takes no arguments, an AABB, or (position, size)")
        _set(self, "position", position)
        _set(self, "size", size)

    @classmethod
    def _make(cls, position: Vector3, size: Vector3) -> AABB:
        a = object.__new__(cls)
        _set(a, "position", position)
        _set(a, "size", size)
        return a

    def _args(self) -> tuple[Any, ...]:
        return (self.position, self.size)

    @property
    def end(self) -> Vector3:
        return self.position + self.size

    def __eq__(self, other: object) -> bool:
        if type(other) is AABB:
            return self.position == other.position and self.size == other.size
        return NotImplemented

    def __hash__(self) -> int:
        return hash((AABB, self.position, self.size))

    def __str__(self) -> str:
        return f"[P: {self.position}, S: {self.size}]"

    def get_volume(self) -> float:
        return self.size.x * self.size.y * self.size.z

    def get_center(self) -> Vector3:
        return self.position + self.size * 0.5

    def has_volume(self) -> bool:
        return self.size.x > 0 and self.size.y > 0 and self.size.z > 0

    def has_point(self, point: Vector3) -> bool:
        p, e = self.position, self.end
        return p.x <= point.x <= e.x and p.y <= point.y <= e.y and p.z <= point.z <= e.z
