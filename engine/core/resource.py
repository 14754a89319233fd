"""Godot's ``Resource``: a RefCounted data object with a path and a name.

Minimal for now: ``resource_path`` and ``resource_name`` (Godot: core/io/resource.h). Classes
such as ``CryptoKey`` and ``X509Certificate`` extend it; loading and caching by path belong to a
resource loader that does not exist yet.
"""

from __future__ import annotations

from engine.core.properties import GodotProperty
from engine.core.ref_counted import RefCounted


def _check_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, got {type(value).__name__}")
    return value


class Resource(RefCounted):
    """Base class of serializable data objects (certificates, keys, ...)."""

    def __init__(self) -> None:
        super().__init__()
        self._resource_path = ""
        self._resource_name = ""

    def set_path(self, path: str) -> None:
        """Set the path the resource was loaded from or will be saved to."""
        self._resource_path = _check_str(path, "path")

    def take_over_path(self, path: str) -> None:
        """Like ``set_path``; there is no resource cache yet, so nothing else is taken over."""
        self.set_path(path)

    def get_path(self) -> str:
        return self._resource_path

    def set_name(self, name: str) -> None:
        self._resource_name = _check_str(name, "name")

    def get_name(self) -> str:
        return self._resource_name

    resource_path = GodotProperty(get_path, set_path, default="")
    resource_name = GodotProperty(get_name, set_name, default="")
