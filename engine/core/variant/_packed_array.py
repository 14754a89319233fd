"""Shared implementation of Godot's packed arrays: typed, mutable, list-like sequences.

Every element is coerced on the way in, the way Godot converts a script value to the
array's element type: ints wrap to int32/int64 like a C cast, floats truncate toward zero
when stored in an integer array, float32 arrays round to float32. A value of the wrong
kind raises ``TypeError``. Two packed arrays are equal when they have the same type and
the same elements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar, overload

from engine.core.messages import push_error

_T = TypeVar("_T")
_P = TypeVar("_P", bound="PackedArray[Any]")

_INT32_MAX = 2**31 - 1


class PackedArray(Generic[_T]):
    """Base class; subclasses set ``_coerce`` and may speed up ``_coerce_many``."""

    __slots__ = ("_data",)
    _data: list[_T]

    def __init__(self, from_: Iterable[Any] | None = None) -> None:
        self._data = [] if from_ is None else self._coerce_many(from_)

    @classmethod
    def _wrap(cls: type[_P], data: list[Any]) -> _P:
        """Adopt an already-coerced list without copying (codec fast path)."""
        arr = object.__new__(cls)
        arr._data = data
        return arr

    @staticmethod
    def _coerce(value: Any) -> _T:
        raise NotImplementedError

    @classmethod
    def _coerce_many(cls, values: Iterable[Any]) -> list[_T]:
        if isinstance(values, str):
            raise TypeError(f"cannot build a {cls.__name__} from a str")
        coerce = cls._coerce
        return [coerce(v) for v in values]

    # Python sequence protocol
    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[_T]:
        return iter(self._data)

    def __reversed__(self) -> Iterator[_T]:
        return reversed(self._data)

    def __contains__(self, value: object) -> bool:
        return value in self._data

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self: _P, index: slice) -> _P: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return type(self)._wrap(self._data[index])
        return self._data[index]

    def __setitem__(self, index: int, value: Any) -> None:
        self._data[index] = self._coerce(value)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            assert isinstance(other, PackedArray)
            return self._data == other._data
        if isinstance(other, (list, tuple, PackedArray)):
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]  # mutable, like list

    def __add__(self: _P, other: Iterable[Any]) -> _P:
        return type(self)._wrap(self._data + self._coerce_many(other))

    def __iadd__(self: _P, other: Iterable[Any]) -> _P:
        self._data.extend(self._coerce_many(other))
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __str__(self) -> str:
        return "[" + ", ".join(self._element_str(v) for v in self._data) + "]"

    @staticmethod
    def _element_str(value: Any) -> str:
        return str(value)

    def __copy__(self: _P) -> _P:
        return type(self)._wrap(list(self._data))

    def __deepcopy__(self: _P, memo: object) -> _P:
        return self.__copy__()

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (list(self._data),))

    # Godot API
    def size(self) -> int:
        return len(self._data)

    def is_empty(self) -> bool:
        return not self._data

    def append(self, value: Any) -> bool:
        """Append ``value``; returns False on success, like Godot."""
        self._data.append(self._coerce(value))
        return False

    def push_back(self, value: Any) -> bool:
        return self.append(value)

    def append_array(self, array: Iterable[Any]) -> None:
        self._data.extend(self._coerce_many(array))

    def has(self, value: Any) -> bool:
        return value in self._data

    def count(self, value: Any) -> int:
        return self._data.count(value)

    def find(self, value: Any, from_: int = 0) -> int:
        n = len(self._data)
        if from_ < 0:
            from_ += n
            from_ = max(from_, 0)
        for i in range(from_, n):
            if self._data[i] == value:
                return i
        return -1

    def rfind(self, value: Any, from_: int = -1) -> int:
        n = len(self._data)
        if from_ < 0:
            from_ += n
        for i in range(min(from_, n - 1), -1, -1):
            if self._data[i] == value:
                return i
        return -1

    def get(self, index: int) -> _T:
        return self._data[index]

    def set(self, index: int, value: Any) -> None:
        n = len(self._data)
        if not -n <= index < n:
            push_error(f"Index p_index = {index} is out of bounds (size() = {n}).")
            return
        self._data[index] = self._coerce(value)

    def insert(self, at_index: int, value: Any) -> int:
        n = len(self._data)
        if at_index < 0:
            at_index += n
        if not 0 <= at_index <= n:
            push_error(f"Index p_pos = {at_index} is out of bounds (size() + 1 = {n + 1}).")
            return 31  # ERR_INVALID_PARAMETER
        self._data.insert(at_index, self._coerce(value))
        return 0

    def remove_at(self, index: int) -> None:
        n = len(self._data)
        if not -n <= index < n:
            push_error(f"Index p_index = {index} is out of bounds (size() = {n}).")
            return
        del self._data[index]

    def clear(self) -> None:
        self._data.clear()

    def resize(self, new_size: int) -> int:
        if new_size < 0:
            push_error('Condition "p_size < 0" is true. Returning: ERR_INVALID_PARAMETER')
            return 31
        n = len(self._data)
        if new_size < n:
            del self._data[new_size:]
        else:
            self._data.extend([self._default()] * (new_size - n))
        return 0

    @staticmethod
    def _default() -> Any:
        raise NotImplementedError

    def fill(self, value: Any) -> None:
        item = self._coerce(value)
        self._data[:] = [item] * len(self._data)

    def reverse(self) -> None:
        self._data.reverse()

    def slice(self: _P, begin: int, end: int = _INT32_MAX) -> _P:
        n = len(self._data)
        begin = max(begin + n, 0) if begin < 0 else min(begin, n)
        end = max(end + n, 0) if end < 0 else min(end, n)
        return type(self)._wrap(self._data[begin:end])

    def duplicate(self: _P) -> _P:
        return type(self)._wrap(list(self._data))

    def sort(self) -> None:
        self._data.sort()
