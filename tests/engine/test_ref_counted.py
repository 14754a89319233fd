"""RefCounted: Godot-compatible counters and the refusal to free()."""

from __future__ import annotations

import logging

import pytest

from engine.core.object import is_instance_valid
from engine.core.ref_counted import RefCounted


def test_fresh_object_has_one_reference() -> None:
    assert RefCounted().get_reference_count() == 1


def test_reference_and_unreference() -> None:
    r = RefCounted()
    assert r.reference() is True
    assert r.get_reference_count() == 2
    assert r.unreference() is False
    assert r.unreference() is True  # reached 0
    assert r.get_reference_count() == 0
    assert r.reference() is False  # a dead count is not revived
    assert r.get_reference_count() == 0
    assert r.unreference() is False
    assert r.get_reference_count() == 0


def test_init_ref_keeps_first_reference() -> None:
    r = RefCounted()
    assert r.init_ref() is True
    assert r.get_reference_count() == 1
    assert r.init_ref() is True
    assert r.get_reference_count() == 2


def test_init_ref_on_dead_count_fails() -> None:
    r = RefCounted()
    r.unreference()
    assert r.init_ref() is False


def test_free_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    r = RefCounted()
    with caplog.at_level(logging.ERROR, logger="godot"):
        r.free()
    assert [rec.getMessage() for rec in caplog.records if rec.name == "godot"] == [
        "ERROR: Can't 'free' a reference."
    ]
    assert is_instance_valid(r)
    assert r.get_reference_count() == 1


def test_subclass_is_refcounted() -> None:
    class Peer(RefCounted):
        def __init__(self) -> None:
            super().__init__()
            self.x = 1

    p = Peer()
    assert p.get_class() == "RefCounted"
    assert p.is_class("RefCounted") and p.is_class("Object")
    p.free()
    assert p.x == 1
