"""Imports point one way; this test enforces the layering rules below.

Every module under engine/ and netpeer/ is parsed with ``ast`` (nothing is imported or run)
and each of its imports is checked against the rules of its layer:

* only ``engine.platform`` imports pygame;
* ``engine`` never imports ``netpeer``; ``engine.core`` never imports ``engine.scene`` or
  ``engine.platform``; ``engine.scene`` never imports ``engine.platform``;
* ``netpeer`` never imports ``engine.scene`` or ``engine.platform`` (except the benchmark
  application shipped in ``netpeer.bench``);
* the sans-I/O cores (``CORES``: the WebSocket and TLS protocol machines, the byte buffers
  and the Variant codec) never import the netpeer I/O shells (``websocket_peer``,
  ``stream_peer_tcp``, ``tcp_server``, ``packet_peer_udp``, ``ip``, ...), only other cores;
  they never import ``engine``, except that ``netpeer.marshalls`` may import ``engine.core``
  (the Variant value types, Object, Error) and ``netpeer.encoded_object_as_id`` (a plain
  Object class);
* the cores import no I/O, concurrency or clock module (``IO_AND_CLOCKS``): bytes in,
  bytes out, and time only as an argument, so they run the same under any event loop and
  in tests without sockets or sleeps.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORES = ("netpeer._ws", "netpeer._tls", "netpeer._buffers", "netpeer.marshalls")
# What a core may import beyond the standard library and the other cores.
CORE_EXTRAS = {"netpeer.marshalls": ("engine.core", "netpeer.encoded_object_as_id")}
IO_AND_CLOCKS = (
    "socket",
    "ssl",
    "select",
    "selectors",
    "asyncio",
    "time",
    "threading",
    "engine.core.time",
)
# An application shipped inside the package (the benchmark's `--fps N` mode runs through the
# engine main loop, like a game would); the library itself never depends on the scene layer.
APPLICATIONS = "netpeer.bench"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names.append(".".join([*base, node.module] if node.module else base))
            else:
                names.append(node.module or "")
    return names


def _is(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _violation(module: str, name: str) -> str | None:
    """Return why importing ``name`` from ``module`` breaks the layering, or None."""
    if _is(name, "pygame") and not _is(module, "engine.platform"):
        return "only engine.platform may import pygame"
    if _is(module, "engine") and _is(name, "netpeer"):
        return "engine never imports netpeer"
    if _is(module, "engine.core") and (_is(name, "engine.scene") or _is(name, "engine.platform")):
        return "engine.core imports only the standard library and engine.core"
    if _is(module, "engine.scene") and _is(name, "engine.platform"):
        return "engine.scene never imports engine.platform"
    core = next((c for c in CORES if _is(module, c)), None)
    if core is not None:
        if any(_is(name, banned) for banned in IO_AND_CLOCKS):
            return "netpeer cores do no I/O and read no clock"
        extras = CORE_EXTRAS.get(core, ())
        if any(_is(name, ok) for ok in (*CORES, *extras)):
            return None
        if _is(name, "netpeer"):
            return "netpeer cores never import netpeer shells"
        if _is(name, "engine"):
            return "netpeer cores never import engine (marshalls: engine.core only)"
    if (
        _is(module, "netpeer")
        and not _is(module, APPLICATIONS)
        and (_is(name, "engine.scene") or _is(name, "engine.platform"))
    ):
        return "netpeer never imports engine.scene or engine.platform"
    return None


def _sources() -> list[Path]:
    return sorted(p for pkg in ("engine", "netpeer") for p in (ROOT / pkg).rglob("*.py"))


def test_sources_found() -> None:
    assert len(_sources()) > 5


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_one_way(path: Path) -> None:
    module = _module_name(path)
    problems = [f"{name}: {why}" for name in _imports(path) if (why := _violation(module, name))]
    assert not problems, f"{module} breaks the layering: {problems}"


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("engine.core.object", "netpeer.marshalls"),
        ("engine.scene.node", "pygame"),
        ("engine.core.error", "engine.scene.node"),
        ("netpeer._ws.frames", "netpeer.websocket_peer"),
        ("netpeer._tls.engine", "engine.core.error"),
        ("netpeer.stream_peer_tcp", "engine.scene.scene_tree"),
        ("netpeer.websocket_peer", "pygame"),
        ("netpeer.marshalls", "netpeer.stream_peer_tcp"),
        ("netpeer.marshalls", "netpeer.websocket_peer"),
        ("netpeer.marshalls", "engine.scene.node"),
        ("netpeer.marshalls", "engine.platform.main"),
        ("netpeer.marshalls", "pygame"),
        ("netpeer.marshalls", "engine.core.time"),
        ("netpeer.marshalls", "socket"),
        ("netpeer._ws.connection", "time"),
        ("netpeer._ws.frames", "asyncio"),
        ("netpeer._tls.engine", "ssl"),
        ("netpeer._tls.context", "select"),
        ("netpeer._buffers", "threading"),
        ("netpeer._buffers", "selectors"),
        ("netpeer._ws.frames", "netpeer.encoded_object_as_id"),  # marshalls' extras only
    ],
)
def test_rules_catch_bad_imports(module: str, name: str) -> None:
    assert _violation(module, name) is not None


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("engine.platform.main_loop", "pygame"),
        ("engine.scene.node", "engine.core.object"),
        ("netpeer._ws.connection", "netpeer._ws.frames"),
        ("netpeer.websocket_peer", "netpeer._ws.connection"),
        ("netpeer.marshalls", "engine.core.variant.vector2"),
        ("netpeer.bench.client", "engine.platform.main"),
        ("netpeer.marshalls", "engine.core.object"),
        ("netpeer.marshalls", "netpeer.encoded_object_as_id"),
        ("netpeer.marshalls", "netpeer._buffers"),
        ("netpeer.websocket_peer", "time"),
        ("netpeer.stream_peer_tcp", "socket"),
    ],
)
def test_rules_allow_good_imports(module: str, name: str) -> None:
    assert _violation(module, name) is None
