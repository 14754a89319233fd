"""Godot's ``RID``: an opaque 64-bit resource handle. Scripts only get them from servers."""

from __future__ import annotations

from typing import Any

from engine.core.variant._common import FrozenValue, wrap_int64

_set = object.__setattr__


class RID(FrozenValue):
    """``RID()`` (the invalid id 0) or ``RID(other)``."""

    __slots__ = ("_id",)
    _id: int

    def __init__(self, from_: RID | None = None) -> None:
        if from_ is not None and not isinstance(from_, RID):
            raise TypeError(f"cannot build a RID from {type(from_).__name__}")
        _set(self, "_id", from_._id if from_ is not None else 0)

    @classmethod
    def _from_id(cls, rid: int) -> RID:
        """Godot's ``RID::from_uint64`` (used by the codec and by servers)."""
        r = object.__new__(cls)
        _set(r, "_id", rid & 0xFFFFFFFFFFFFFFFF)
        return r

    def _args(self) -> tuple[Any, ...]:
        return ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (RID._from_id, (self._id,))

    def __repr__(self) -> str:
        return f"RID({self._id})"

    def __str__(self) -> str:
        return f"RID({self._id})"

    def __eq__(self, other: object) -> bool:
        if type(other) is RID:
            return self._id == other._id
        return NotImplemented

    def __lt__(self, other: RID) -> bool:
        return self._id < other._id

    def __hash__(self) -> int:
        return hash((RID, self._id))

    def get_id(self) -> int:
        return wrap_int64(self._id)

    def is_valid(self) -> bool:
        return self._id != 0
