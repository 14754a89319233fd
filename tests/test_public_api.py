"""The names a GDScript user reaches for are importable from the two packages."""

from __future__ import annotations

import importlib

import pytest

from engine.core.properties import GodotProperty


@pytest.mark.parametrize("package", ["engine", "netpeer"])
def test_every_exported_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert module.__all__ and not missing


def test_issue_examples_import() -> None:
    from engine import Error, Node, SceneTree, Vector2
    from netpeer import (
        PacketPeerStream,
        StreamPeerBuffer,
        StreamPeerTCP,
        WebSocketPeer,
        bytes_to_var,
        var_to_bytes,
    )

    assert bytes_to_var(var_to_bytes(Vector2(1, 2))) == Vector2(1, 2)
    assert Error.OK == 0
    for cls in (Node, SceneTree, PacketPeerStream, StreamPeerBuffer, StreamPeerTCP, WebSocketPeer):
        assert cls.__module__.split(".")[0] in ("engine", "netpeer")


class _Thing:
    def __init__(self) -> None:
        self._size = 3
        self._tags: list[str] = []

    def get_size(self) -> int:
        return self._size

    def get_tags(self) -> tuple[str, ...]:
        return tuple(self._tags)

    def set_tags(self, tags: list[str]) -> None:
        self._tags = list(tags)

    size = GodotProperty(get_size)
    tags = GodotProperty(get_tags, set_tags, default=())


def test_property_forwards_to_accessors_and_read_only_refuses() -> None:
    thing = _Thing()
    thing.tags = ["a", "b"]
    assert thing.tags == ("a", "b")
    assert thing.size == 3
    with pytest.raises(AttributeError):
        thing.size = 4  # type: ignore[misc]
