"""Godot's ``Viewport``, reduced to what a pygame game needs: routing input events.

``push_input(event)`` hands a ``pygame.event.Event`` (or any object) to ``_input`` of every
node that processes input, from the last node in tree order to the first, then to
``_unhandled_input`` the same way, stopping as soon as a handler calls
``get_viewport().set_input_as_handled()``. Nodes that cannot process (paused, disabled)
are skipped. No pygame here: events are passed through untouched.
"""

from __future__ import annotations

from typing import Any

from engine.core.messages import push_error
from engine.core.variant.rect2 import Rect2
from engine.scene.node import Node


class Viewport(Node):
    """A node that owns an input route (the tree's root ``Window`` is one)."""

    def __init__(self) -> None:
        super().__init__()
        self._input_handled = False

    def push_input(self, event: Any, in_local_coords: bool = False) -> None:
        """Deliver ``event`` to ``_input`` then ``_unhandled_input`` handlers."""
        tree = self._tree
        if tree is None:
            push_error('Condition "!is_inside_tree()" is true.')
            return
        self._input_handled = False
        nodes = [n for n in tree._get_ordered_nodes() if n._viewport is self]
        for node in reversed(nodes):
            if self._input_handled:
                break
            if node._processing_input and node._tree is tree and node.can_process():
                node._input(event)
        for node in reversed(nodes):
            if self._input_handled:
                break
            if node._processing_unhandled_input and node._tree is tree and node.can_process():
                node._unhandled_input(event)

    def get_visible_rect(self) -> Rect2:
        """The visible area in canvas coordinates (the window's size for the root)."""
        return Rect2()

    def set_input_as_handled(self) -> None:
        """Stop the current event from reaching any further handler."""
        self._input_handled = True

    def is_input_handled(self) -> bool:
        return self._input_handled
