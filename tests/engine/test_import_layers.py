"""Import layering checked at run time: what each layer *really* loads, transitively.

tests/test_architecture.py checks every import statement; this test imports the layers in a
fresh interpreter and looks at ``sys.modules``, which also catches an indirect import (a
helper module, a package ``__init__``) that pulls pygame or netpeer in where it must not be.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(*modules: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    "modules",
    [
        ("engine",),
        ("engine.core", "engine.scene", "engine.platform"),  # platform loads pygame lazily
        ("netpeer.marshalls", "netpeer.stream_peer_buffer", "netpeer.packet_peer_stream"),
    ],
)
def test_importing_a_layer_loads_no_pygame(modules: tuple[str, ...]) -> None:
    loaded = _loaded_after(*modules)
    assert "pygame" not in loaded
    if all(m.startswith("engine") for m in modules):
        assert "netpeer" not in loaded
