"""Godot 4's object model for Python: Object, signals, Variant types, Node and SceneTree."""

from __future__ import annotations

from engine.core.error import Error, error_string
from engine.core.messages import push_error, push_warning

OK = Error.OK
FAILED = Error.FAILED
