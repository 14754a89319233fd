"""The development certificate's cache directory: used only if it is private to the user."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netpeer import _dev_certificate as dev


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache location under ``tmp_path`` (not created), no pair remembered."""
    where = tmp_path / "cache"
    monkeypatch.setattr(dev, "cache_directory", lambda: str(where))
    monkeypatch.setattr(dev, "_cached", None)
    monkeypatch.setattr(dev.tempfile, "tempdir", str(tmp_path))  # fallbacks land here too
    return where


def _used_directory() -> Path:
    key_path, cert_path = dev.localhost_pem_paths()
    assert Path(key_path).parent == Path(cert_path).parent
    return Path(key_path).parent


def _assert_private(directory: Path) -> None:
    info = os.lstat(directory)
    assert stat.S_ISDIR(info.st_mode) and not info.st_mode & 0o077
    assert info.st_uid == os.getuid()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_new_cache_directory_is_private_and_used(cache: Path) -> None:
    assert _used_directory() == cache
    _assert_private(cache)
    dev._cached = None  # a second process finds the pair in the cache
    assert _used_directory() == cache
    assert len(list(cache.glob("*.crt"))) == 1


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_open_cache_directory_is_not_used(cache: Path) -> None:
    cache.mkdir()
    cache.chmod(0o777)  # as if another user had made it for us
    used = _used_directory()
    assert used != cache and not used.is_relative_to(cache)
    _assert_private(used)
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_symlinked_cache_directory_is_not_used(cache: Path, tmp_path: Path) -> None:
    target = tmp_path / "planted"
    target.mkdir(mode=0o700)
    cache.symlink_to(target)
    used = _used_directory()
    assert used not in (cache, target)
    _assert_private(used)
    assert list(target.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_cache_directory_of_another_user_is_not_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir(mode=0o700)
    uid = os.getuid()
    monkeypatch.setattr(dev.os, "getuid", lambda: uid + 1)  # the directory is not "ours"
    used = _used_directory()
    assert used != cache
    assert list(cache.iterdir()) == []
