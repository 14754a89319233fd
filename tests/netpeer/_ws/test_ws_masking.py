"""Masking: every path (numpy, big-int, strided translate) gives the same bytes."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netpeer._ws import masking


def reference(data: bytes, key: bytes) -> bytes:
    return bytes(b ^ key[i % 4] for i, b in enumerate(data))


SIZES = [0, 1, 3, 4, 7, 8, 9, 31, 125, 1023, 1024, 1025, 8191, 8192, 8193, 65536, 70001]


@pytest.mark.parametrize("size", SIZES)
def test_all_paths_agree(size):
    data, key = os.urandom(size), os.urandom(4)
    expected = reference(data, key)
    assert masking.apply_mask(data, key) == expected
    assert masking._apply_mask_python(data, key) == expected
    assert masking._mask_int(data, key) == expected
    assert masking._mask_translate(data, key) == expected
    if masking._np is not None:
        assert masking._apply_mask_numpy(data, key) == expected
    out = bytearray(size + 5)
    masking.mask_into(out, 5, memoryview(data), key)
    assert bytes(out[5:]) == expected


@pytest.mark.parametrize("size", [5, 2000, 20000])
def test_pure_python_fallback_when_numpy_is_missing(monkeypatch, size):
    monkeypatch.setattr(masking, "_np", None)
    data, key = os.urandom(size), os.urandom(4)
    assert masking.apply_mask(data, key) == reference(data, key)
    out = bytearray(size + 2)
    masking.mask_into(out, 2, data, key)
    assert bytes(out[2:]) == reference(data, key)


def test_mask_is_an_involution_on_memoryview_input():
    data, key = os.urandom(3000), b"\x01\x02\x03\x04"
    assert masking.apply_mask(memoryview(masking.apply_mask(data, key)), key) == data


@given(st.binary(max_size=3000), st.binary(min_size=4, max_size=4))
def test_matches_reference(data, key):
    assert masking.apply_mask(data, key) == reference(data, key)
    assert masking._apply_mask_python(data, key) == reference(data, key)
