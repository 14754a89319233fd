"""RFC 6455 §5.3 payload masking: XOR with a repeating 4-byte key, on the fastest path.

Two implementations are kept, both tested:

* numpy (a runtime dependency, but optional here): the payload is viewed as uint64 words and
  XORed with the key tiled to 8 bytes in one vectorised pass; a < 8-byte tail goes through the
  pure-Python path. Its fixed cost is ~2 µs, so it is used only from ``_NUMPY_MIN`` bytes on.
* pure Python: a big-int XOR (``int.from_bytes`` ^ key int) for small payloads, and for large
  ones the strided trick ``out[k::4] = data[k::4].translate(table[key[k]])``, which is linear
  where big-int conversion is not.

Thresholds come from ``bench/ws_core_micro.py`` (see its ``mask`` section): numpy beats the
big-int path from ~1 KiB, translate beats big-int from ~8 KiB.
"""

from __future__ import annotations

from types import ModuleType

_np: ModuleType | None
try:  # numpy is a project dependency, but the core must work without it.
    import numpy

    _np = numpy
except ImportError:  # pragma: no cover - tests force _np = None to cover the fallback
    _np = None

Buffer = bytes | bytearray | memoryview

_NUMPY_MIN = 1024
_TRANSLATE_MIN = 8192

# _XOR_TABLES[k] maps every byte b to b ^ k (256 tables of 256 bytes, built once: 64 KiB).
_XOR_TABLES = [bytes(b ^ k for b in range(256)) for k in range(256)]


def _mask_int(data: Buffer, key: bytes) -> bytes:
    n = len(data)
    if not n:
        return b""
    repeated = (key * ((n >> 2) + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(repeated, "little")).to_bytes(
        n, "little"
    )


def _mask_translate(data: Buffer, key: bytes) -> bytes:
    src = bytes(data)
    out = bytearray(src)
    for k in range(4):
        out[k::4] = src[k::4].translate(_XOR_TABLES[key[k]])
    return bytes(out)


def _apply_mask_python(data: Buffer, key: bytes) -> bytes:
    """Pure-Python masking (no numpy), choosing big-int or strided translate by size."""
    if len(data) >= _TRANSLATE_MIN:
        return _mask_translate(data, key)
    return _mask_int(data, key)


def _mask_numpy_into(dst: bytearray, offset: int, data: Buffer, key: bytes) -> None:
    np = _np
    assert np is not None
    n = len(data)
    words = n >> 3
    if words:
        # positional arguments and a scalar key: numpy's per-call overhead is most of the
        # cost below ~16 KiB (bench/ws_core_micro.py)
        key64 = np.uint64(int.from_bytes(key, "little") * 0x100000001)
        u64 = np.uint64
        np.bitwise_xor(
            np.frombuffer(data, u64, words), key64, out=np.frombuffer(dst, u64, words, offset)
        )
    tail = n - (words << 3)
    if tail:
        start = words << 3
        # the tail starts at a multiple of 8, so the key phase is unchanged
        dst[offset + start : offset + n] = _mask_int(memoryview(data)[start:], key)


def _apply_mask_numpy(data: Buffer, key: bytes) -> bytes:
    out = bytearray(len(data))
    _mask_numpy_into(out, 0, data, key)
    return bytes(out)


def apply_mask(data: Buffer, key: bytes) -> bytes:
    """Return ``data`` XORed with the 4-byte ``key`` repeated (masking and unmasking are equal)."""
    if _np is not None and len(data) >= _NUMPY_MIN:
        return _apply_mask_numpy(data, key)
    return _apply_mask_python(data, key)


def mask_into(dst: bytearray, offset: int, data: Buffer, key: bytes) -> None:
    """Write ``data`` masked with ``key`` into ``dst[offset:offset+len(data)]`` (one pass)."""
    if _np is not None and len(data) >= _NUMPY_MIN:
        _mask_numpy_into(dst, offset, data, key)
    else:
        dst[offset : offset + len(data)] = _apply_mask_python(data, key)
