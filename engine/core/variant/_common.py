"""Helpers shared by the Variant value types: argument coercion, float32/int32 rounding, text.

Godot's math types hold ``real_t`` (float32 in a standard build) and ``int32_t`` components.
netpeer keeps Python floats in the value types (so arithmetic stays exact until something
is sent) and rounds to float32 only where Godot's storage is float32 (packed float32
arrays, Color) or on the wire (the codec). Integer vector components wrap to int32 the way
a C cast does.
"""

from __future__ import annotations

import math
import struct
import sys
from array import array
from typing import Any

_F32 = struct.Struct("<f")
_LITTLE = sys.byteorder == "little"

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def real(value: object) -> float:
    """Coerce a GDScript ``float`` argument (int and bool accepted); TypeError otherwise."""
    if type(value) is float:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def wrap_int32(value: int) -> int:
    """Wrap an integer to int32 like a C ``(int32_t)`` cast."""
    if INT32_MIN <= value <= INT32_MAX:
        return value
    return ((value + 2**31) & 0xFFFFFFFF) - 2**31


def wrap_int64(value: int) -> int:
    """Wrap an integer to int64 like a C ``(int64_t)`` cast."""
    if INT64_MIN <= value <= INT64_MAX:
        return value
    return ((value + 2**63) & 0xFFFFFFFFFFFFFFFF) - 2**63


def integer(value: object) -> int:
    """Coerce a GDScript ``int`` argument: ints as-is, floats truncated; TypeError otherwise."""
    if type(value) is int:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            # (int64_t) of a non-finite double is INT64_MIN on x86-64.
            return INT64_MIN
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def int32(value: object) -> int:
    """Coerce to an int32 component (truncating floats, wrapping like a C cast)."""
    return wrap_int32(integer(value))


def to_float32(value: float) -> float:
    """Round a double to the nearest float32 (overflow gives ±inf, like a C cast)."""
    try:
        result: float = _F32.unpack(_F32.pack(value))[0]
        return result
    except OverflowError:
        return math.copysign(math.inf, value)


def float32_list(values: Any) -> list[float]:
    """Round every value of an iterable of floats to float32."""
    return array("f", values).tolist()


def float32_bytes(values: Any) -> bytes:
    """Little-endian float32 bytes of an iterable of floats (overflow gives ±inf)."""
    packed = array("f", values)
    if not _LITTLE:  # pragma: no cover - big-endian hosts only
        packed.byteswap()
    return packed.tobytes()


def num(value: float) -> str:
    """Format a real component the way Godot prints math types (``1``, ``0.5``, ``3.141593``)."""
    if value != value:
        return "nan"
    if value in (math.inf, -math.inf):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if text in ("0", "-0"):
        return f"{value:.6g}"
    return text


def approx(a: float, b: float) -> bool:
    """Godot's ``Math::is_equal_approx`` for real_t."""
    if a == b:
        return True
    tolerance = 0.00001 * abs(a)
    tolerance = max(tolerance, 0.00001)
    return abs(a - b) < tolerance


class FrozenValue:
    """Base of the immutable value types: no attribute assignment, copies are the object."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"{type(self).__name__} is immutable; build a new value instead of setting {name!r}"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __copy__(self) -> Any:
        return self

    def __deepcopy__(self, memo: object) -> Any:
        return self

    def _args(self) -> tuple[Any, ...]:
        """Constructor arguments that rebuild this value (used by pickling)."""
        raise NotImplementedError

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._args())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(_repr_arg(a) for a in self._args())})"


def _repr_arg(value: object) -> str:
    if isinstance(value, float):
        return num(value)
    return repr(value)
