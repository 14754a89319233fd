"""Godot's ``NodePath``: an immutable pre-parsed path ``"/root/a/b:prop:sub"``.

Parsing follows Godot 4.2 (core/string/node_path.cpp): a leading ``/`` makes it absolute,
names are split on ``/`` (empty names skipped), everything after the first ``:`` is
``:``-separated subnames; an empty subname in the middle is an error and gives an empty path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.core.messages import push_error
from engine.core.variant._common import FrozenValue
from engine.core.variant.string_name import StringName

_set = object.__setattr__


class NodePath(FrozenValue):
    """``NodePath()``, ``NodePath("a/b:c")``, ``NodePath(other)``."""

    __slots__ = ("_absolute", "_names", "_subnames")
    _names: tuple[StringName, ...]
    _subnames: tuple[StringName, ...]
    _absolute: bool

    def __init__(self, from_: str | NodePath = "") -> None:
        if isinstance(from_, NodePath):
            parts = (from_._names, from_._subnames, from_._absolute)
        elif isinstance(from_, str):
            parts = _parse(from_)
        else:
            raise TypeError(f"cannot build a NodePath from {type(from_).__name__}")
        _set(self, "_names", parts[0])
        _set(self, "_subnames", parts[1])
        _set(self, "_absolute", parts[2])

    @classmethod
    def _from_parts(cls, names: Sequence[str], subnames: Sequence[str], absolute: bool) -> NodePath:
        """Godot's ``NodePath(names, subnames, absolute)`` (used by the codec)."""
        p = object.__new__(cls)
        if not names and not subnames:
            absolute = False  # 4.2 makes an empty path here, dropping the flag
        _set(p, "_names", tuple(StringName(n) for n in names))
        _set(p, "_subnames", tuple(StringName(n) for n in subnames))
        _set(p, "_absolute", bool(absolute))
        return p

    def _args(self) -> tuple[Any, ...]:
        return (str(self),)

    def __eq__(self, other: object) -> bool:
        if type(other) is NodePath:
            return (
                self._absolute == other._absolute
                and self._names == other._names
                and self._subnames == other._subnames
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((NodePath, self._absolute, self._names, self._subnames))

    def __str__(self) -> str:
        text = ("/" if self._absolute else "") + "/".join(self._names)
        return text + "".join(":" + s for s in self._subnames)

    def __bool__(self) -> bool:
        return not self.is_empty()

    def is_absolute(self) -> bool:
        return self._absolute

    def is_empty(self) -> bool:
        return not (self._absolute or self._names or self._subnames)

    def get_name_count(self) -> int:
        return len(self._names)

    def get_subname_count(self) -> int:
        return len(self._subnames)

    def get_name(self, idx: int) -> StringName:
        if not 0 <= idx < len(self._names):
            push_error(
                f"Index p_idx = {idx} is out of bounds (data->path.size() = {len(self._names)})."
            )
            return StringName()
        return self._names[idx]

    def get_subname(self, idx: int) -> StringName:
        if not 0 <= idx < len(self._subnames):
            size = len(self._subnames)
            push_error(f"Index p_idx = {idx} is out of bounds (data->subpath.size() = {size}).")
            return StringName()
        return self._subnames[idx]

    def get_concatenated_names(self) -> StringName:
        return StringName("/".join(self._names))

    def get_concatenated_subnames(self) -> StringName:
        return StringName(":".join(self._subnames))

    def get_as_property_path(self) -> NodePath:
        if not self._names:
            return self
        return NodePath._from_parts((), ("/".join(self._names), *self._subnames), False)


_EMPTY: tuple[tuple[StringName, ...], tuple[StringName, ...], bool] = ((), (), False)


def _parse(path: str) -> tuple[tuple[StringName, ...], tuple[StringName, ...], bool]:
    if not path:
        return _EMPTY
    absolute = path[0] == "/"
    subnames: list[StringName] = []
    colon = path.find(":")
    if colon != -1:
        pieces = path[colon + 1 :].split(":")
        for i, piece in enumerate(pieces):
            if not piece:
                if i == len(pieces) - 1:
                    continue  # a trailing ':' is allowed
                push_error(f"Invalid NodePath '{path}'.")
                return _EMPTY
            subnames.append(StringName(piece))
        path = path[:colon]
    names = tuple(StringName(n) for n in path[int(absolute) :].split("/") if n)
    if not names and not absolute and not subnames:
        return _EMPTY
    return names, tuple(subnames), absolute
