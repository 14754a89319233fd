"""Godot's ``RefCounted``: objects whose lifetime follows their references.

In Python the garbage collector owns every object's real lifetime, so the counter here is
Godot-compatible bookkeeping: it starts at 1 (a fresh object held by one variable, as a
script sees it), ``reference()``/``unreference()`` move it like Godot's, and reaching 0 frees
nothing by itself. What matters in practice is that a RefCounted cannot be ``free()``-d,
exactly like Godot: the call prints "Can't 'free' a reference." and changes nothing.

Godot: core/object/ref_counted.h, core/object/ref_counted.cpp, doc/classes/RefCounted.xml.
"""

from __future__ import annotations

from engine.core.messages import push_error
from engine.core.object import Object


class RefCounted(Object):
    """Base class for any object that keeps a reference count.

    Most networking classes (``StreamPeer``, ``PacketPeer``, ``TCPServer``, ...) are
    RefCounted: they live as long as something references them and are never freed by hand.

    Godot: doc/classes/RefCounted.xml.
    """

    __slots__ = ("_refcount", "_refcount_init")

    def __init__(self) -> None:
        super().__init__()
        self._refcount = 1
        self._refcount_init = True

    def init_ref(self) -> bool:
        """Initialize the count: the first call keeps the initial reference, later calls
        add one. Returns True on success."""
        if not self.reference():
            return False
        if self._refcount_init:
            self._refcount_init = False
            self.unreference()
        return True

    def reference(self) -> bool:
        """Add a reference; returns True if the count was non-zero (and so was incremented)."""
        if self._refcount == 0:
            return False
        self._refcount += 1
        return True

    def unreference(self) -> bool:
        """Drop a reference; returns True when the count reaches 0."""
        if self._refcount == 0:
            return False
        self._refcount -= 1
        return self._refcount == 0

    def get_reference_count(self) -> int:
        """The current reference count (1 for a fresh object)."""
        return self._refcount

    def free(self) -> None:
        """RefCounted objects can't be freed by hand: prints an error and does nothing."""
        push_error("Can't 'free' a reference.")
