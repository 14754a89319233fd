"""Variant inspector demo: a scene whose state is serialized with ``var_to_bytes`` every frame."""

from __future__ import annotations

from demos.variant_inspector.inspector import VariantInspector


def create() -> VariantInspector:
    """Build the demo's root node."""
    return VariantInspector()
