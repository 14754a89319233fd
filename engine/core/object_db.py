"""The instance registry behind ``get_instance_id()``, ``instance_from_id()`` and validity checks.

Godot keeps every live Object in ``ObjectDB`` under a unique ``ObjectID``; a ``Callable`` or
``Signal`` stores only that id, so it never keeps its object alive and notices when the object
is gone. This module is the Python analogue: ids come from a counter (never reused), and the
table holds its objects weakly, so an object dropped by Python's garbage collector leaves the
table on its own and ``free()`` removes it explicitly. Nothing here imports the Object class,
which lets ``callable.py`` and ``signal.py`` resolve ids without an import cycle.

Godot: core/object/object.h (``ObjectDB``), core/object/object_id.h.
"""

from __future__ import annotations

import itertools
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.core.object import Object

_instances: weakref.WeakValueDictionary[int, Object] = weakref.WeakValueDictionary()
_next_id = itertools.count(1).__next__


def register(obj: Object) -> int:
    """Give ``obj`` a fresh instance id and record it; returns the id."""
    instance_id = _next_id()
    _instances[instance_id] = obj
    return instance_id


def unregister(instance_id: int) -> None:
    """Forget an instance (``free()``); later lookups of its id return None."""
    _instances.pop(instance_id, None)


def get_instance(instance_id: int) -> Object | None:
    """Return the live object with this id, or None if it was freed or collected."""
    return _instances.get(instance_id)


def get_object_count() -> int:
    """Number of live objects (Godot's ``Performance.OBJECT_COUNT``)."""
    return len(_instances)
