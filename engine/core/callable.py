"""Godot's ``Callable``: a method of an object, or any Python callable, held as a value.

A *standard* Callable is an (object id, method name) pair, exactly like Godot's: it does not
keep its object alive, it becomes invalid when the object is freed or collected, and two of
them are equal when they name the same method of the same object. Everything else is a
*custom* Callable (Godot's ``CallableCustom``): a wrapped Python function, lambda or
``functools.partial`` (held strongly), a bound method whose ``__self__`` is an Object but
which cannot be named on its class (held weakly), and the results of ``bind()``/``unbind()``.

``Callable.from_py(fn)`` is the one conversion from Python: a bound method of an Object that
its class exposes under the same name becomes a standard Callable, so
``Callable(node, "_on_hit") == Callable.from_py(node._on_hit)`` just as
``Callable(self, "_on_hit") == _on_hit`` in GDScript. ``Object.connect``, the MessageQueue and
``Signal.connect`` accept Python callables and convert them this way.

Godot: core/variant/callable.h, core/variant/callable.cpp, core/variant/callable_bind.cpp.
"""

from __future__ import annotations

import types
from collections.abc import Callable as _PyCallableABC
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from engine.core import object_db
from engine.core.messages import push_error
from engine.core.signal import Signal

if TYPE_CHECKING:
    from engine.core.object import Object

PyCallable = _PyCallableABC[..., Any]
"""Any Python callable; accepted wherever Godot takes a ``Callable``."""

_INVALID: Final[Any] = object()
"""Returned by ``Callable._callp`` when the target object is gone (freed or collected)."""


def _object_id_of(obj: object) -> int:
    """Instance id of an Object; TypeError for anything else. Duck-typed to avoid a cycle."""
    instance_id = getattr(obj, "_instance_id", None)
    if type(instance_id) is not int:
        raise TypeError(f"expected an Object, got {type(obj).__name__}")
    return instance_id


def _class_text(obj: object) -> str:
    get_class = getattr(obj, "get_class", None)
    return str(get_class()) if get_class is not None else type(obj).__name__


class _Custom:
    """Base of custom callables (Godot's ``CallableCustom``)."""

    __slots__ = ()

    def call(self, args: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def get_object_id(self) -> int:
        return 0

    def get_method(self) -> str:
        return ""

    def is_valid(self) -> bool:
        return True

    def base_comparator(self) -> Callable | None:
        """The callable that identifies this one for signal connections (binds ignored)."""
        return None

    def bound_arguments(self) -> list[Any]:
        return []

    def bound_arguments_count(self) -> int:
        return 0

    def text(self) -> str:
        raise NotImplementedError

    def key(self) -> object:
        raise NotImplementedError


class _PyFunction(_Custom):
    """Any Python callable, held strongly (functions, lambdas, partials, foreign methods)."""

    __slots__ = ("fn",)

    def __init__(self, fn: PyCallable) -> None:
        self.fn = fn

    def call(self, args: tuple[Any, ...]) -> Any:
        return self.fn(*args)

    def get_method(self) -> str:
        return str(getattr(self.fn, "__name__", type(self.fn).__name__))

    def text(self) -> str:
        return getattr(self.fn, "__qualname__", None) or repr(self.fn)

    def key(self) -> object:
        return self.fn

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PyFunction) and (self.fn is other.fn or bool(self.fn == other.fn))

    def __hash__(self) -> int:
        try:
            return hash(self.fn)
        except TypeError:
            return id(self.fn)


class _WeakMethod(_Custom):
    """A bound method of an Object that its class does not expose under the method's name."""

    __slots__ = ("func", "object_id")

    def __init__(self, object_id: int, func: PyCallable) -> None:
        self.object_id = object_id
        self.func = func

    def call(self, args: tuple[Any, ...]) -> Any:
        obj = object_db.get_instance(self.object_id)
        if obj is None:
            return _INVALID
        return self.func(obj, *args)

    def get_object_id(self) -> int:
        return self.object_id

    def get_method(self) -> str:
        return str(getattr(self.func, "__name__", ""))

    def is_valid(self) -> bool:
        return object_db.get_instance(self.object_id) is not None

    def text(self) -> str:
        obj = object_db.get_instance(self.object_id)
        return f"{_class_text(obj) if obj is not None else 'null'}::{self.get_method()}"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _WeakMethod)
            and self.object_id == other.object_id
            and self.func == other.func
        )

    def __hash__(self) -> int:
        return hash((self.object_id, self.func))


class _ValueMethod(_Custom):
    """A method of a value type (``Signal``/``Callable``), e.g. ``other.hit.emit``.

    Value types are created afresh on every attribute access, so these compare by the value
    and the function rather than by identity, like Godot's ``Callable(signal, "emit")``.
    """

    __slots__ = ("func", "value")

    def __init__(self, value: object, func: PyCallable) -> None:
        self.value = value
        self.func = func

    def call(self, args: tuple[Any, ...]) -> Any:
        return self.func(self.value, *args)

    def get_object_id(self) -> int:
        get_object_id = getattr(self.value, "get_object_id", None)
        return int(get_object_id()) if get_object_id is not None else 0

    def get_method(self) -> str:
        return str(getattr(self.func, "__name__", ""))

    def text(self) -> str:
        return f"{self.value}.{self.get_method()}"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _ValueMethod)
            and self.func is other.func
            and bool(self.value == other.value)
        )

    def __hash__(self) -> int:
        return hash((self.value, self.func))


class _Bind(_Custom):
    """``callable.bind(...)``: appends the bound arguments after the caller's (Godot order)."""

    __slots__ = ("base", "binds")

    def __init__(self, base: Callable, binds: tuple[Any, ...]) -> None:
        self.base = base
        self.binds = binds

    def call(self, args: tuple[Any, ...]) -> Any:
        return self.base._callp(args + self.binds)

    def get_object_id(self) -> int:
        return self.base.get_object_id()

    def get_method(self) -> str:
        return self.base.get_method()

    def is_valid(self) -> bool:
        return self.base.is_valid()

    def base_comparator(self) -> Callable | None:
        return self.base._base_comparator()

    def bound_arguments(self) -> list[Any]:
        return [*self.binds, *self.base.get_bound_arguments()]

    def bound_arguments_count(self) -> int:
        return self.base.get_bound_arguments_count() + len(self.binds)

    def text(self) -> str:
        return str(self.base)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Bind) and self.base == other.base and self.binds == other.binds

    def __hash__(self) -> int:
        return hash(self.base)


class _Unbind(_Custom):
    """``callable.unbind(n)``: drops the caller's last ``n`` arguments."""

    __slots__ = ("argcount", "base")

    def __init__(self, base: Callable, argcount: int) -> None:
        self.base = base
        self.argcount = argcount

    def call(self, args: tuple[Any, ...]) -> Any:
        if len(args) < self.argcount:
            raise TypeError(
                f"{self.base}: unbind({self.argcount}) needs at least {self.argcount} "
                f"arguments, got {len(args)}"
            )
        return self.base._callp(args[: len(args) - self.argcount])

    def get_object_id(self) -> int:
        return self.base.get_object_id()

    def get_method(self) -> str:
        return self.base.get_method()

    def is_valid(self) -> bool:
        return self.base.is_valid()

    def base_comparator(self) -> Callable | None:
        return self.base._base_comparator()

    def bound_arguments(self) -> list[Any]:
        return self.base.get_bound_arguments()

    def bound_arguments_count(self) -> int:
        return self.base.get_bound_arguments_count() - self.argcount

    def text(self) -> str:
        return str(self.base)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Unbind)
            and self.base == other.base
            and self.argcount == other.argcount
        )

    def __hash__(self) -> int:
        return hash(self.base)


class Callable:
    """A reference to a method of an object, or to any Python function.

    ``Callable()`` is the null callable; ``Callable(obj, "method")`` names a method of an
    Object without keeping the object alive; ``Callable.from_py(fn)`` wraps any Python
    callable. Call it with ``call(...)``, ``callv([...])`` or plain ``c(...)``.

    Godot: doc/classes/Callable.xml.
    """

    __slots__ = ("_custom", "_method", "_object_id")

    def __init__(self, object: Object | None = None, method: str = "") -> None:
        if not isinstance(method, str):
            raise TypeError(f"method must be a str, got {type(method).__name__}")
        self._object_id = 0 if object is None else _object_id_of(object)
        self._method = method
        self._custom: _Custom | None = None

    @classmethod
    def _from_custom(cls, custom: _Custom) -> Callable:
        result = cls.__new__(cls)
        result._object_id = 0
        result._method = ""
        result._custom = custom
        return result

    @classmethod
    def from_py(cls, fn: Callable | PyCallable) -> Callable:
        """Wrap a Python callable (a Callable is returned unchanged).

        A bound method of an Object becomes ``Callable(obj, name)`` when its class exposes the
        same function under that name, otherwise a custom callable that holds the object
        weakly; every other callable is held strongly. Raises TypeError for non-callables.
        """
        if isinstance(fn, Callable):
            return fn
        if not callable(fn):
            raise TypeError(f"expected a callable, got {type(fn).__name__}")
        if isinstance(fn, types.MethodType):
            owner = fn.__self__
            instance_id = getattr(owner, "_instance_id", None)
            if type(instance_id) is int and object_db.get_instance(instance_id) is owner:
                func = fn.__func__
                name = getattr(func, "__name__", "")
                if name and getattr(type(owner), name, None) is func:
                    result = cls.__new__(cls)
                    result._object_id = instance_id
                    result._method = name
                    result._custom = None
                    return result
                return cls._from_custom(_WeakMethod(instance_id, func))
            if isinstance(owner, (Callable, Signal)):
                return cls._from_custom(_ValueMethod(owner, fn.__func__))
        return cls._from_custom(_PyFunction(fn))

    # -- calling ------------------------------------------------------------------------------

    def _callp(self, args: tuple[Any, ...]) -> Any:
        """Call with ``args``; returns ``_INVALID`` if the target object is gone."""
        custom = self._custom
        if custom is not None:
            return custom.call(args)
        obj = object_db.get_instance(self._object_id)
        if obj is None:
            return _INVALID
        return getattr(obj, self._method)(*args)

    def call(self, *args: Any) -> Any:
        """Call the method with ``args`` and return its result.

        A null callable or one whose object was freed prints an error and returns None;
        a missing method raises AttributeError.
        """
        result = self._callp(args)
        if result is _INVALID:
            push_error(f"Attempt to call '{self}' on a null or freed instance.")
            return None
        return result

    __call__ = call

    def callv(self, arguments: Sequence[Any]) -> Any:
        """Call with the arguments given as an array."""
        if not isinstance(arguments, (list, tuple)):
            raise TypeError(f"arguments must be a list, got {type(arguments).__name__}")
        return self.call(*arguments)

    def call_deferred(self, *args: Any) -> None:
        """Queue the call for the end of the frame (the MessageQueue flush)."""
        from engine.core.message_queue import MessageQueue  # import cycle

        MessageQueue.get_singleton().push_callable(self, *args)

    # -- binding ------------------------------------------------------------------------------

    def bind(self, *args: Any) -> Callable:
        """Return a copy that appends ``args`` after the caller's arguments."""
        return self.bindv(args)

    def bindv(self, arguments: Sequence[Any]) -> Callable:
        """Like ``bind()`` with the arguments given as an array."""
        if not isinstance(arguments, (list, tuple)):
            raise TypeError(f"arguments must be a list, got {type(arguments).__name__}")
        if not arguments:
            return self
        return Callable._from_custom(_Bind(self, tuple(arguments)))

    def unbind(self, argcount: int) -> Callable:
        """Return a copy that ignores the caller's last ``argcount`` arguments."""
        if type(argcount) is not int:
            raise TypeError(f"argcount must be an int, got {type(argcount).__name__}")
        if argcount <= 0:
            push_error("Amount of unbind() arguments must be 1 or greater.")
            return self
        return Callable._from_custom(_Unbind(self, argcount))

    def get_bound_arguments(self) -> list[Any]:
        """Arguments added by ``bind()``, in the order they reach the method."""
        return [] if self._custom is None else self._custom.bound_arguments()

    def get_bound_arguments_count(self) -> int:
        """Bound arguments minus unbound ones (may be negative)."""
        return 0 if self._custom is None else self._custom.bound_arguments_count()

    # -- introspection ------------------------------------------------------------------------

    def get_object(self) -> Object | None:
        """The object the method belongs to, or None (null, freed or a plain function)."""
        return object_db.get_instance(self.get_object_id())

    def get_object_id(self) -> int:
        """Instance id of the target object, 0 if there is none."""
        return self._object_id if self._custom is None else self._custom.get_object_id()

    def get_method(self) -> str:
        """Name of the method (for a wrapped Python function, its ``__name__``)."""
        return self._method if self._custom is None else self._custom.get_method()

    def is_null(self) -> bool:
        """True for ``Callable()``: no object, no method."""
        return self._custom is None and self._object_id == 0 and not self._method

    def is_custom(self) -> bool:
        """True for wrapped Python callables and bound/unbound callables."""
        return self._custom is not None

    def is_standard(self) -> bool:
        """True for an (object, method name) callable, even a null one."""
        return self._custom is None

    def is_valid(self) -> bool:
        """True if the callable can be called: its object lives and has the method."""
        if self._custom is not None:
            return self._custom.is_valid()
        obj = object_db.get_instance(self._object_id)
        return obj is not None and bool(obj.has_method(self._method))

    def _base_comparator(self) -> Callable:
        """The callable identifying this one in a signal's connection map (binds ignored)."""
        if self._custom is not None:
            base = self._custom.base_comparator()
            if base is not None:
                return base
        return self

    # -- value semantics ----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Callable):
            return NotImplemented
        if self._custom is not None or other._custom is not None:
            return self._custom == other._custom
        return self._object_id == other._object_id and self._method == other._method

    def __hash__(self) -> int:
        if self._custom is not None:
            return hash(self._custom)
        return hash((self._object_id, self._method))

    def __str__(self) -> str:
        if self._custom is not None:
            return self._custom.text()
        if self.is_null():
            return "null::null"
        obj = object_db.get_instance(self._object_id)
        return f"{_class_text(obj) if obj is not None else 'null'}::{self._method}"

    def __repr__(self) -> str:
        return f"Callable({self})"

    def __bool__(self) -> bool:
        return not self.is_null()


_DISPATCH_CODES: frozenset[types.CodeType] = frozenset(
    {
        Callable._callp.__code__,
        Callable.call.__code__,
        _PyFunction.call.__code__,
        _WeakMethod.call.__code__,
        _ValueMethod.call.__code__,
        _Bind.call.__code__,
        _Unbind.call.__code__,
    }
)


def _is_call_error(exc: BaseException) -> bool:
    """True if ``exc`` was raised while *binding* the call, not inside the called code.

    Godot reports a call with a wrong argument count or to a missing method as a call error
    (the emitter prints it and goes on). In Python that shows up as a TypeError or
    AttributeError whose traceback below the catching frame holds only Callable dispatch
    frames; an exception raised inside the callback has a user frame in it.
    """
    if not isinstance(exc, (TypeError, AttributeError)) or exc.__traceback__ is None:
        return False
    tb = exc.__traceback__.tb_next
    while tb is not None:
        if tb.tb_frame.f_code not in _DISPATCH_CODES:
            return False
        tb = tb.tb_next
    return True
