"""Godot's ``EncodedObjectAsID``: what decoding an object sent as an instance id yields.

``var_to_bytes(obj)`` writes only ``obj``'s instance id; ``bytes_to_var`` on the other side
returns one of these holding that id (the object itself lives in the sender's process).

Godot: core/io/marshalls.h, doc/classes/EncodedObjectAsID.xml.
"""

from __future__ import annotations

from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted


class EncodedObjectAsID(RefCounted):
    """Holds the instance id of an object encoded with ``full_objects == false``."""

    __slots__ = ("_object_id",)

    def __init__(self) -> None:
        super().__init__()
        self._object_id = 0

    def set_object_id(self, id: int) -> None:
        """Set the stored instance id (an int64, like Godot's ObjectID as a script int)."""
        if type(id) is not int:
            raise TypeError(f"id must be an int, got {type(id).__name__}")
        self._object_id = ((id + 2**63) & 0xFFFFFFFFFFFFFFFF) - 2**63

    def get_object_id(self) -> int:
        """The instance id of the object that was encoded."""
        return self._object_id

    object_id = GodotProperty(get_object_id, set_object_id, default=0)
