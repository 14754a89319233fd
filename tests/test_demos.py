"""``python -m demos``: the launcher lists the demos and, with no display, runs the first
one headless for a few seconds and reports what happened."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from demos import DEMOS

ROOT = Path(__file__).resolve().parent.parent


def run_demos(*args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["SDL_VIDEODRIVER"] = "dummy"
    env["SDL_AUDIODRIVER"] = "dummy"
    return subprocess.run(
        [sys.executable, "-m", "demos", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_list_only() -> None:
    result = run_demos("--list")
    assert result.returncode == 0, result.stderr
    assert "netpeer demos:" in result.stdout
    for number, demo in enumerate(DEMOS, 1):
        assert f"{number}. {demo.name}" in result.stdout
        assert demo.title in result.stdout
    assert "Running" not in result.stdout


def test_no_display_runs_first_demo_headless_and_reports() -> None:
    first = DEMOS[0]
    result = run_demos()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Running '{first.name}' headless (no display) for 3 s." in out
    ended = re.search(rf"'{first.name}' ended after ([\d.]+) s with exit code 0\.", out)
    assert ended is not None, out
    assert 2.5 <= float(ended.group(1)) <= 6.0
    report = out[ended.end() :].strip()
    assert report.startswith(first.title), out  # the scene's summary() says what happened
    assert len(report.splitlines()) >= 2, out
    assert "Traceback" not in result.stderr
    assert "ERROR" not in result.stderr


def test_variant_inspector_headless_report() -> None:
    result = run_demos("variant_inspector", "--headless")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Running 'variant_inspector' headless (no display) for 3 s." in out
    frames = re.search(r"Variant inspector: (\d+) frames in ([\d.]+) s", out)
    assert frames is not None, out
    count, seconds = int(frames.group(1)), float(frames.group(2))
    assert 2.5 <= seconds <= 4.0
    assert 30 <= count <= 200  # capped at 60 fps; a loaded CI box may run slower
    exact = re.search(r"(\d+)/(\d+) frames re-encoded byte-exact", out)
    assert exact is not None and exact.group(1) == exact.group(2) == str(count), out
    assert re.search(r"SpawnTimer fired [23] times", out), out
    assert "hello from a SceneTreeTimer" in out
    assert "first bytes: 1b 00 00 00" in out  # a Dictionary (type 27) header
    assert "Traceback" not in result.stderr
    assert "ERROR" not in result.stderr


def test_named_demo_for_fixed_frames() -> None:
    result = run_demos("variant_inspector", "--headless", "--frames", "5", "--max-fps", "0")
    assert result.returncode == 0, result.stderr
    assert "Variant inspector: 5 frames" in result.stdout
    assert "5/5 frames re-encoded byte-exact" in result.stdout


def test_demo_by_number() -> None:
    number = next(i for i, demo in enumerate(DEMOS, 1) if demo.name == "variant_inspector")
    result = run_demos(str(number), "--headless", "--frames", "2", "--max-fps", "0")
    assert result.returncode == 0, result.stderr
    assert "Running 'variant_inspector' headless (no display) for 2 frames." in result.stdout


def test_unknown_demo_fails_cleanly() -> None:
    result = run_demos("nope", "--headless")
    assert result.returncode == 2
    assert "unknown demo 'nope'" in result.stderr
