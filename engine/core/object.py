"""Godot's ``Object``: instance ids, signals, notifications, properties, metadata, ``free()``.

Theory of operation
-------------------
* **Identity.** ``Object.__init__`` takes an id from ``object_db`` (never reused) and records
  the object weakly there. ``is_instance_valid(obj)`` and ``instance_from_id(id)`` read that
  table, so they are False/None once the object is freed *or* garbage-collected.
* **Cheap objects.** An Object has a handful of slots; the dictionaries for connections,
  incoming connections and metadata are created on first use only.
* **Class data** (native class name, signal declarations, the ``_notification`` chain) is
  computed once per class in ``__init_subclass__``, which also registers the class in
  ``ClassDB``. The *native* class is the first class in the MRO defined under ``engine.`` or
  ``netpeer.``: a user ``class Player(Node)`` reports ``get_class() == "Node"``.
* **Signals.** ``self._signals`` maps a signal name to its connections (an insertion-ordered
  dict keyed by the callable with binds stripped, as Godot's ``slot_map``). The target Object
  of each connection keeps a record in ``_incoming`` so either side's ``free()`` removes the
  connection. Callables hold their target by id, so a connection never keeps the receiver
  alive; a connection whose receiver was freed or collected is skipped and dropped at the next
  emission. ``emit_signal`` iterates over a snapshot, so callbacks may connect and disconnect
  freely; one-shot connections are removed before the callbacks run (the Godot 4.3+ order,
  which stops a re-emitting callback from recursing; see docs/godot-differences.md).
* **Errors.** As in Godot, misuse prints an error (``push_error``) and returns an ``Error``;
  wrong Python types raise TypeError. A Python exception raised inside a signal callback
  propagates to the emitter, except a call that fails to *bind* (wrong argument count, no
  such method), which prints Godot's "Error calling from signal" and makes ``emit_signal``
  return ``ERR_METHOD_NOT_FOUND``.
* **free()** sends ``NOTIFICATION_PREDELETE`` (derived classes first), removes every
  connection in both directions, unregisters the id and turns the Python object into a
  "previously freed" placeholder whose attribute access raises ``ReferenceError``.

Godot: core/object/object.h, core/object/object.cpp, doc/classes/Object.xml.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, ClassVar, Final, SupportsIndex, TypeVar

from engine.core import object_db
from engine.core.callable import _INVALID, Callable, PyCallable, _is_call_error
from engine.core.class_db import ClassDB, _is_native_module
from engine.core.error import Error
from engine.core.message_queue import MessageQueue
from engine.core.messages import push_error
from engine.core.properties import _NO_DEFAULT, GodotProperty
from engine.core.signal import (
    Signal,
    _argument_info,
    _method_info,
    _property_info,
    _SignalDeclaration,
    signal,
)

__all__ = [
    "CONNECT_DEFERRED",
    "CONNECT_ONE_SHOT",
    "CONNECT_PERSIST",
    "CONNECT_REFERENCE_COUNTED",
    "NOTIFICATION_EXTENSION_RELOADED",
    "NOTIFICATION_POSTINITIALIZE",
    "NOTIFICATION_PREDELETE",
    "PROPERTY_HINT_NONE",
    "PROPERTY_HINT_RESOURCE_TYPE",
    "PROPERTY_USAGE_CATEGORY",
    "PROPERTY_USAGE_DEFAULT",
    "PROPERTY_USAGE_EDITOR",
    "PROPERTY_USAGE_NEVER_DUPLICATE",
    "PROPERTY_USAGE_NONE",
    "PROPERTY_USAGE_READ_ONLY",
    "PROPERTY_USAGE_SCRIPT_VARIABLE",
    "PROPERTY_USAGE_STORAGE",
    "Object",
    "instance_from_id",
    "is_instance_valid",
]

NOTIFICATION_POSTINITIALIZE: Final = 0
NOTIFICATION_PREDELETE: Final = 1
NOTIFICATION_EXTENSION_RELOADED: Final = 2

CONNECT_DEFERRED: Final = 1
CONNECT_PERSIST: Final = 2
CONNECT_ONE_SHOT: Final = 4
CONNECT_REFERENCE_COUNTED: Final = 8

# @GlobalScope.PropertyUsageFlags (the ones this module uses or reports).
PROPERTY_USAGE_NONE: Final = 0
PROPERTY_USAGE_STORAGE: Final = 2
PROPERTY_USAGE_EDITOR: Final = 4
PROPERTY_USAGE_CATEGORY: Final = 128
PROPERTY_USAGE_SCRIPT_VARIABLE: Final = 4096
PROPERTY_USAGE_NEVER_DUPLICATE: Final = 1048576
PROPERTY_USAGE_READ_ONLY: Final = 268435456
PROPERTY_USAGE_DEFAULT: Final = 6
PROPERTY_HINT_NONE: Final = 0
PROPERTY_HINT_RESOURCE_TYPE: Final = 17

_O = TypeVar("_O", bound="Object")
_METHOD_FLAG_VARARG: Final = 16
_TYPE_OBJECT: Final = 24
_ANNOTATION_TYPES: Final[dict[str, int]] = {
    "bool": 1,
    "int": 2,
    "float": 3,
    "str": 4,
    "String": 4,
    "Vector2": 5,
    "Vector2i": 6,
    "Rect2": 7,
    "Rect2i": 8,
    "Vector3": 9,
    "Vector3i": 10,
    "Color": 20,
    "StringName": 21,
    "NodePath": 22,
    "Object": 24,
    "Callable": 25,
    "Signal": 26,
    "dict": 27,
    "Dictionary": 27,
    "list": 28,
    "Array": 28,
    "bytes": 29,
    "PackedByteArray": 29,
}


def _variant_type_of(value: object) -> int:
    """Variant type id of a Python value (NIL when it is not a Variant type)."""
    from engine.core.variant.variant_type import typeof  # heavy package: load on first use

    try:
        return typeof(value)
    except TypeError:
        return 0


class _Slot:
    """One connection: the callable as connected (with binds), its flags and refcount."""

    __slots__ = ("callable", "flags", "reference_count")

    def __init__(self, callable: Callable, flags: int) -> None:
        self.callable = callable
        self.flags = flags
        self.reference_count = 1 if flags & CONNECT_REFERENCE_COUNTED else 0


class _SignalData:
    """Connections of one signal of one object; ``user`` holds a user signal's arguments."""

    __slots__ = ("slots", "user")

    def __init__(self, user: list[dict[str, Any]] | None = None) -> None:
        self.slots: dict[Callable, _Slot] = {}
        self.user = user


_IncomingKey = tuple[int, str, Callable]


def _freed_getattribute(self: object, name: str) -> Any:
    if name.startswith("__") and name.endswith("__"):
        return object.__getattribute__(self, name)
    raise ReferenceError(f"Attempt to use '{name}' on a previously freed instance.")


def _freed_setattr(self: object, name: str, value: object) -> None:
    raise ReferenceError(f"Attempt to set '{name}' on a previously freed instance.")


def _freed_delattr(self: object, name: str) -> None:
    raise ReferenceError(f"Attempt to delete '{name}' on a previously freed instance.")


def _freed_repr(self: object) -> str:
    return "<Freed Object>"


_freed_classes: dict[type, type] = {}


def _freed_class_for(cls: type) -> type | None:
    """A layout-compatible subclass of ``cls`` whose every attribute access raises."""
    freed = _freed_classes.get(cls)
    if freed is None:
        namespace = {
            "__slots__": (),
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "_godot_freed_placeholder": True,
            "__getattribute__": _freed_getattribute,
            "__setattr__": _freed_setattr,
            "__delattr__": _freed_delattr,
            "__repr__": _freed_repr,
            "__str__": _freed_repr,
        }
        try:
            freed = type(cls)(cls.__name__, (cls,), namespace)
        except Exception:
            return None
        _freed_classes[cls] = freed
    return freed


class Object:
    """Base class of every Godot class: signals, notifications, properties and metadata.

    Subclasses call ``super().__init__()``. Declare signals in the class body with
    ``name = signal("arg", ...)`` and receive notifications by defining
    ``_notification(self, what)`` (called for each class of the hierarchy in turn; do not
    call ``super()._notification``). A plain Object is not reference counted: release it with
    ``free()`` to disconnect it and invalidate its id, or let Python collect it.

    Godot: doc/classes/Object.xml.
    """

    __slots__ = (
        "__weakref__",
        "_block_signals",
        "_can_translate",
        "_incoming",
        "_instance_id",
        "_is_queued_for_deletion",
        "_lock_index",
        "_meta",
        "_predelete_ok",
        "_signals",
    )

    NOTIFICATION_POSTINITIALIZE: ClassVar[int] = NOTIFICATION_POSTINITIALIZE
    NOTIFICATION_PREDELETE: ClassVar[int] = NOTIFICATION_PREDELETE
    NOTIFICATION_EXTENSION_RELOADED: ClassVar[int] = NOTIFICATION_EXTENSION_RELOADED
    CONNECT_DEFERRED: ClassVar[int] = CONNECT_DEFERRED
    CONNECT_PERSIST: ClassVar[int] = CONNECT_PERSIST
    CONNECT_ONE_SHOT: ClassVar[int] = CONNECT_ONE_SHOT
    CONNECT_REFERENCE_COUNTED: ClassVar[int] = CONNECT_REFERENCE_COUNTED

    # Per-class data, computed by _setup_class.
    _godot_class_name: ClassVar[str] = "Object"
    _godot_native_names: ClassVar[frozenset[str]] = frozenset({"Object"})
    _godot_signals: ClassVar[dict[str, Any]] = {}
    _godot_signal_order: ClassVar[tuple[Any, ...]] = ()
    _notification_chain: ClassVar[tuple[Any, ...]] = ()
    _notification_chain_reversed: ClassVar[tuple[Any, ...]] = ()

    script_changed = signal()
    """Emitted when the object's script changes (kept for API parity; never emitted)."""
    property_list_changed = signal()
    """Emitted by ``notify_property_list_changed()``."""

    def __init__(self) -> None:
        self._instance_id = object_db.register(self)
        self._signals: dict[str, _SignalData] | None = None
        self._incoming: dict[_IncomingKey, _Slot] | None = None
        self._meta: dict[str, Any] | None = None
        self._block_signals = False
        self._lock_index = 0
        self._predelete_ok = False
        self._is_queued_for_deletion = False
        self._can_translate = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_godot_freed_placeholder", False):
            return
        _setup_class(cls)

    # -- identity -----------------------------------------------------------------------------

    def get_instance_id(self) -> int:
        """The object's unique id (a positive int, never reused in this process)."""
        return self._instance_id

    def get_class(self) -> str:
        """Name of the object's engine class (a user subclass of Node reports "Node")."""
        return self._godot_class_name

    def is_class(self, class_name: str) -> bool:
        """True if the object's engine class is ``class_name`` or inherits from it."""
        if not isinstance(class_name, str):
            raise TypeError(f"class name must be a str, got {type(class_name).__name__}")
        return class_name in self._godot_native_names

    def to_string(self) -> str:
        """``"<Class#id>"``, or what the object's ``_to_string()`` returns."""
        custom = getattr(self, "_to_string", None)
        if custom is not None:
            text = custom()
            if text is not None:
                return str(text)
        return f"<{self.get_class()}#{self._instance_id}>"

    def __repr__(self) -> str:
        return self.to_string()

    def __str__(self) -> str:
        return self.to_string()

    # -- methods ------------------------------------------------------------------------------

    @classmethod
    def _class_has_method(cls, method: str) -> bool:
        attribute = getattr(cls, method, None)
        return callable(attribute) and not isinstance(attribute, (Signal, Callable))

    def has_method(self, method: str) -> bool:
        """True if the object has a method called ``method``."""
        if not isinstance(method, str):
            raise TypeError(f"method must be a str, got {type(method).__name__}")
        return self._class_has_method(method)

    def call(self, method: str, *args: Any) -> Any:
        """Call ``method`` with ``args`` and return its result (AttributeError if missing)."""
        if not self.has_method(method):
            raise AttributeError(
                f"Invalid call. Nonexistent function '{method}' in base '{self.get_class()}'."
            )
        return getattr(self, method)(*args)

    def callv(self, method: str, arg_array: Sequence[Any]) -> Any:
        """Call ``method`` with the arguments given as an array."""
        if not isinstance(arg_array, (list, tuple)):
            raise TypeError(f"arg_array must be a list, got {type(arg_array).__name__}")
        return self.call(method, *arg_array)

    def call_deferred(self, method: str, *args: Any) -> None:
        """Call ``method`` at the end of the frame (the next ``MessageQueue`` flush)."""
        if not isinstance(method, str):
            raise TypeError(f"method must be a str, got {type(method).__name__}")
        MessageQueue.get_singleton().push_callable(Callable(self, method), *args)

    def set_deferred(self, property: str, value: Any) -> None:
        """``set(property, value)`` at the end of the frame."""
        if not isinstance(property, str):
            raise TypeError(f"property must be a str, got {type(property).__name__}")
        MessageQueue.get_singleton().push_set(self, property, value)

    # -- notifications ------------------------------------------------------------------------

    def notification(self, what: int, reversed: bool = False) -> None:
        """Send notification ``what``: each class's ``_notification`` runs, base class first
        (derived first when ``reversed``)."""
        chain = self._notification_chain_reversed if reversed else self._notification_chain
        for handler in chain:
            handler(self, what)

    # -- properties ---------------------------------------------------------------------------

    def set(self, property: str, value: Any) -> None:
        """Assign ``value`` to ``property``; an unknown property is ignored, like Godot."""
        if not isinstance(property, str):
            raise TypeError(f"property must be a str, got {type(property).__name__}")
        declared = _class_property(type(self), property)
        if declared is not None:
            if declared.setter_name is not None:
                getattr(self, declared.setter_name)(value)
            return
        custom_set = getattr(self, "_set", None)
        if custom_set is not None and custom_set(property, value):
            return
        if property.startswith("metadata/"):
            self.set_meta(property[9:], value)
            return
        if property == "script" or property.startswith("_"):
            return
        attribute = getattr(type(self), property, None)
        if callable(attribute) or isinstance(attribute, _SignalDeclaration):
            return
        if hasattr(self, property):
            setattr(self, property, value)

    def get(self, property: str) -> Any:
        """Value of ``property`` (None if unknown, like Godot)."""
        if not isinstance(property, str):
            raise TypeError(f"property must be a str, got {type(property).__name__}")
        declared = _class_property(type(self), property)
        if declared is not None:
            return getattr(self, declared.getter_name)()
        custom_get = getattr(self, "_get", None)
        if custom_get is not None:
            value = custom_get(property)
            if value is not None:
                return value
        if property.startswith("metadata/"):
            name = property[9:]
            return self.get_meta(name) if self.has_meta(name) else None
        if property == "script":
            return None
        if self._class_has_method(property):
            return Callable(self, property)
        return getattr(self, property, None)

    def get_property_list(self) -> list[dict[str, Any]]:
        """Properties as ``PropertyInfo`` dictionaries (name, class_name, type, hint,
        hint_string, usage), engine classes first. Entries whose usage has
        ``PROPERTY_USAGE_STORAGE`` are the ones full-object serialization writes."""
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        user_classes: list[type] = []
        for cls in reversed(type(self).__mro__):
            if not (isinstance(cls, type) and issubclass(cls, Object)):
                continue
            if cls.__dict__.get("_godot_freed_placeholder", False):
                continue
            if not _is_native_module(cls.__module__):
                user_classes.append(cls)
                continue
            if cls is not Object:
                result.append(
                    _property_info(
                        cls.__name__, hint_string=cls.__name__, usage=PROPERTY_USAGE_CATEGORY
                    )
                )
            result.extend(_own_property_infos(self, cls, seen, 0))
        result.append(
            _property_info(
                "script",
                _TYPE_OBJECT,
                PROPERTY_HINT_RESOURCE_TYPE,
                "Script",
                PROPERTY_USAGE_DEFAULT | PROPERTY_USAGE_NEVER_DUPLICATE,
            )
        )
        for cls in user_classes:
            own = _own_property_infos(self, cls, seen, PROPERTY_USAGE_SCRIPT_VARIABLE)
            if own:
                result.append(_property_info(cls.__name__, usage=PROPERTY_USAGE_CATEGORY))
                result.extend(own)
        custom_list = getattr(self, "_get_property_list", None)
        if custom_list is not None:
            result.extend({**_property_info(""), **entry} for entry in custom_list() or [])
        if self._meta:
            for name, value in self._meta.items():
                kind = _variant_type_of(value)
                info = _property_info(f"metadata/{name}", kind)
                if kind == _TYPE_OBJECT:
                    info["hint"] = PROPERTY_HINT_RESOURCE_TYPE
                    info["hint_string"] = "Resource"
                result.append(info)
        validate = getattr(self, "_validate_property", None)
        if validate is not None:
            for info in result:
                validate(info)
        return result

    def notify_property_list_changed(self) -> None:
        """Emit ``property_list_changed``."""
        self.emit_signal("property_list_changed")

    def property_can_revert(self, property: str) -> bool:
        """True if ``property`` has a revert value (the object's ``_property_can_revert``)."""
        hook = getattr(self, "_property_can_revert", None)
        return bool(hook(property)) if hook is not None else False

    def property_get_revert(self, property: str) -> Any:
        """The revert value of ``property`` (the object's ``_property_get_revert``), or None."""
        hook = getattr(self, "_property_get_revert", None)
        return hook(property) if hook is not None else None

    def get_method_list(self) -> list[dict[str, Any]]:
        """Public methods as ``MethodInfo`` dictionaries (argument names only), by name."""
        result: list[dict[str, Any]] = []
        for name in sorted(dir(type(self))):
            if name.startswith("__") or not self._class_has_method(name):
                continue
            try:
                parameters = list(inspect.signature(getattr(self, name)).parameters.values())
            except (TypeError, ValueError):
                parameters = []
            arguments = [
                _property_info(p.name)
                for p in parameters
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            ]
            info = _method_info(name, arguments)
            info["default_args"] = [p.default for p in parameters if p.default is not p.empty]
            if any(p.kind is p.VAR_POSITIONAL for p in parameters):
                info["flags"] |= _METHOD_FLAG_VARARG
            result.append(info)
        return result

    # -- script and translation (Python classes are the scripts) ------------------------------

    def get_script(self) -> Any:
        """Always None: in netpeer a "script" is the Python subclass itself."""
        return None

    def set_script(self, script: Any) -> None:
        """Only None is accepted (an error is printed otherwise): subclass in Python instead."""
        if script is not None:
            push_error("Cannot set object script: netpeer scripts are Python subclasses.")

    def set_message_translation(self, enable: bool) -> None:
        """Allow or forbid ``tr()``/``tr_n()`` to translate (no translations are loaded)."""
        self._can_translate = bool(enable)

    def can_translate_messages(self) -> bool:
        return self._can_translate

    def tr(self, message: str, context: str = "") -> str:
        """Translate ``message``; without a TranslationServer it is returned unchanged."""
        return message

    def tr_n(self, message: str, plural_message: str, n: int, context: str = "") -> str:
        """Translate with plural forms; without translations uses the English rule."""
        return message if n == 1 else plural_message

    # -- Python protocol ----------------------------------------------------------------------

    def __copy__(self: _O) -> _O:
        # Objects are reference types in Godot: duplicating a container keeps the reference.
        return self

    def __deepcopy__(self: _O, memo: dict[int, Any]) -> _O:
        return self

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        raise TypeError(
            f"{self.get_class()} can't be pickled; use var_to_bytes_with_objects() instead"
        )

    # -- metadata -----------------------------------------------------------------------------

    def set_meta(self, name: str, value: Any) -> None:
        """Store ``value`` under ``name``; None removes the entry."""
        if not isinstance(name, str):
            raise TypeError(f"meta name must be a str, got {type(name).__name__}")
        if value is None:
            self.remove_meta(name)
            return
        meta = self._meta
        if meta is None:
            meta = self._meta = {}
        if name in meta:
            meta[name] = value
            return
        if not name.isidentifier():
            push_error(f"Invalid metadata identifier: '{name}'.")
            return
        meta[name] = value
        if not name.startswith("_"):
            self.notify_property_list_changed()

    def get_meta(self, name: str, default: Any = None) -> Any:
        """Metadata ``name``, else ``default`` (an error is printed if the default is None)."""
        if not isinstance(name, str):
            raise TypeError(f"meta name must be a str, got {type(name).__name__}")
        meta = self._meta
        if meta is not None and name in meta:
            return meta[name]
        if default is None:
            push_error(f"The object does not have any 'meta' values with the key '{name}'.")
        return default

    def has_meta(self, name: str) -> bool:
        return self._meta is not None and name in self._meta

    def remove_meta(self, name: str) -> None:
        """Remove metadata ``name`` (nothing happens if it does not exist)."""
        meta = self._meta
        if meta is not None and name in meta:
            del meta[name]
            if not name.startswith("_"):
                self.notify_property_list_changed()

    def get_meta_list(self) -> list[str]:
        return [] if self._meta is None else list(self._meta)

    # -- signals ------------------------------------------------------------------------------

    def _signal_exists(self, name: str) -> bool:
        if name in self._godot_signals:
            return True
        signals = self._signals
        return signals is not None and name in signals and signals[name].user is not None

    def has_signal(self, signal: str) -> bool:
        """True if the object's class declares ``signal`` or it was added as a user signal."""
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        return self._signal_exists(signal)

    def add_user_signal(self, signal: str, arguments: Sequence[Any] = ()) -> None:
        """Add a signal to this object only; ``arguments`` are names or
        ``{"name", "type"}`` dictionaries."""
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        if not isinstance(arguments, (list, tuple)):
            raise TypeError(f"arguments must be a list, got {type(arguments).__name__}")
        infos = [_argument_info(a) for a in arguments]
        if not signal:
            push_error("Signal name cannot be empty.")
            return
        if signal in self._godot_signals:
            push_error(
                f"User signal's name conflicts with a built-in signal of '{self.get_class()}'."
            )
            return
        signals = self._signals
        if signals is None:
            signals = self._signals = {}
        if signal in signals:
            push_error(f"Trying to add already existing signal '{signal}'.")
            return
        signals[signal] = _SignalData(infos)

    def has_user_signal(self, signal: str) -> bool:
        """True if ``signal`` was added with ``add_user_signal``."""
        signals = self._signals
        return signals is not None and signal in signals and signals[signal].user is not None

    def get_signal_list(self) -> list[dict[str, Any]]:
        """Signals as ``MethodInfo`` dictionaries: class signals (derived first), then user
        signals."""
        result = [declaration.get_method_info() for declaration in self._godot_signal_order]
        if self._signals:
            result.extend(
                _method_info(name, data.user)
                for name, data in self._signals.items()
                if data.user is not None
            )
        return result

    def connect(self, signal: str, callable: Callable | PyCallable, flags: int = 0) -> Error:
        """Connect ``signal`` to ``callable``; returns ``OK`` or ``ERR_INVALID_PARAMETER``.

        Flags: ``CONNECT_DEFERRED`` (call at the end of the frame), ``CONNECT_ONE_SHOT``
        (disconnect after one emission), ``CONNECT_REFERENCE_COUNTED`` (connecting again
        counts up instead of failing), ``CONNECT_PERSIST`` (saved with scenes; no effect
        here). A callable already connected (compared without binds) is an error unless
        ``CONNECT_REFERENCE_COUNTED`` is given.
        """
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        target = Callable.from_py(callable)
        if type(flags) is not int:
            raise TypeError(f"flags must be an int, got {type(flags).__name__}")
        if target.is_null():
            push_error(f"Cannot connect to '{signal}': the provided callable is null.")
            return Error.ERR_INVALID_PARAMETER
        if not target.is_valid():
            push_error(
                f"Cannot connect to '{signal}': the provided callable is not valid: {target}."
            )
            return Error.ERR_INVALID_PARAMETER
        signals = self._signals
        data = signals.get(signal) if signals is not None else None
        if data is None:
            if signal not in self._godot_signals:
                push_error(
                    f"In Object of type '{self.get_class()}': Attempt to connect nonexistent "
                    f"signal '{signal}' to callable '{target}'."
                )
                return Error.ERR_INVALID_PARAMETER
            if signals is None:
                signals = self._signals = {}
            data = signals[signal] = _SignalData()
        key = target._base_comparator()
        slot = data.slots.get(key)
        if slot is not None:
            if flags & CONNECT_REFERENCE_COUNTED:
                slot.reference_count += 1
                return Error.OK
            push_error(
                f"Signal '{signal}' is already connected to given callable '{target}' in "
                "that object."
            )
            return Error.ERR_INVALID_PARAMETER
        slot = data.slots[key] = _Slot(target, flags)
        receiver = target.get_object()
        if receiver is not None:
            incoming = receiver._incoming
            if incoming is None:
                incoming = receiver._incoming = {}
            incoming[(self._instance_id, signal, key)] = slot
        return Error.OK

    def disconnect(self, signal: str, callable: Callable | PyCallable) -> None:
        """Disconnect ``callable`` from ``signal`` (prints an error if not connected)."""
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        self._disconnect(signal, Callable.from_py(callable), force=False)

    def _disconnect(self, signal: str, target: Callable, force: bool) -> bool:
        if target.is_null():
            push_error(f"Cannot disconnect from '{signal}': the provided callable is null.")
            return False
        signals = self._signals
        data = signals.get(signal) if signals is not None else None
        if data is None:
            if self._signal_exists(signal):
                push_error(
                    f"Attempt to disconnect a nonexistent connection from '{self}'. "
                    f"Signal: '{signal}', callable: '{target}'."
                )
            else:
                push_error(f"Disconnecting nonexistent signal '{signal}' in {self}.")
            return False
        key = target._base_comparator()
        slot = data.slots.get(key)
        if slot is None:
            push_error(
                f"Attempt to disconnect a nonexistent connection from '{self}'. "
                f"Signal: '{signal}', callable: '{target}'."
            )
            return False
        if not force:
            slot.reference_count -= 1
            if slot.reference_count > 0:
                return False
        self._remove_slot(signal, data, key)
        return True

    def _remove_slot(self, signal: str, data: _SignalData, key: Callable) -> None:
        slot = data.slots.pop(key)
        receiver = slot.callable.get_object()
        if receiver is not None and receiver._incoming is not None:
            receiver._incoming.pop((self._instance_id, signal, key), None)
        if not data.slots and data.user is None and self._signals is not None:
            del self._signals[signal]

    def is_connected(self, signal: str, callable: Callable | PyCallable) -> bool:
        """True if ``callable`` (compared without binds) is connected to ``signal``."""
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        target = Callable.from_py(callable)
        if target.is_null():
            push_error(
                f"Cannot determine if connected to '{signal}': the provided callable is null."
            )
            return False
        signals = self._signals
        data = signals.get(signal) if signals is not None else None
        if data is None:
            if not self._signal_exists(signal):
                push_error(f"Nonexistent signal: {signal}.")
            return False
        return target._base_comparator() in data.slots

    def emit_signal(self, signal: str, *args: Any) -> Error:
        """Call every callable connected to ``signal`` with ``args``, in connection order.

        Returns ``ERR_CANT_ACQUIRE_RESOURCE`` while signals are blocked, ``ERR_UNAVAILABLE``
        when the signal has no connections (an undeclared name also prints an error),
        ``ERR_METHOD_NOT_FOUND`` if a callable could not be called with these arguments,
        else ``OK``.
        """
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        if self._block_signals:
            return Error.ERR_CANT_ACQUIRE_RESOURCE
        signals = self._signals
        data = signals.get(signal) if signals is not None else None
        if data is None:
            if signal not in self._godot_signals:
                push_error(f'Can\'t emit non-existing signal "{signal}".')
            return Error.ERR_UNAVAILABLE
        snapshot = list(data.slots.items())
        for key, slot in snapshot:
            if slot.flags & CONNECT_ONE_SHOT and data.slots.get(key) is slot:
                self._disconnect(signal, slot.callable, force=False)
        err = Error.OK
        self._lock_index += 1
        try:
            for key, slot in snapshot:
                target = slot.callable
                if slot.flags & CONNECT_DEFERRED:
                    if _target_alive(target):
                        MessageQueue.get_singleton().push_callable(target, *args)
                    else:
                        self._drop_dead(signal, key, slot)
                    continue
                try:
                    result = target._callp(args)
                except (TypeError, AttributeError) as exc:
                    if not _is_call_error(exc):
                        raise
                    push_error(
                        f"Error calling from signal '{signal}' to callable: '{target}': {exc}."
                    )
                    err = Error.ERR_METHOD_NOT_FOUND
                    continue
                if result is _INVALID:
                    self._drop_dead(signal, key, slot)
        finally:
            self._lock_index -= 1
        return err

    def _drop_dead(self, signal: str, key: Callable, slot: _Slot) -> None:
        """Remove a connection whose receiver was freed or collected (if still connected)."""
        signals = self._signals
        data = signals.get(signal) if signals is not None else None
        if data is not None and data.slots.get(key) is slot:
            self._remove_slot(signal, data, key)

    def get_signal_connection_list(self, signal: str) -> list[dict[str, Any]]:
        """Connections of ``signal`` as ``{"signal", "callable", "flags"}`` dictionaries."""
        if not isinstance(signal, str):
            raise TypeError(f"signal must be a str, got {type(signal).__name__}")
        signals = self._signals
        data = signals.get(signal) if signals is not None else None
        if data is None:
            return []
        value = Signal._from_object_id(self._instance_id, signal)
        return [
            {"signal": value, "callable": slot.callable, "flags": slot.flags}
            for slot in data.slots.values()
            if _target_alive(slot.callable)
        ]

    def get_incoming_connections(self) -> list[dict[str, Any]]:
        """Connections from other objects' signals to this object's methods."""
        if not self._incoming:
            return []
        return [
            {
                "signal": Signal._from_object_id(source_id, signal),
                "callable": slot.callable,
                "flags": slot.flags,
            }
            for (source_id, signal, _key), slot in self._incoming.items()
            if object_db.get_instance(source_id) is not None
        ]

    def set_block_signals(self, enable: bool) -> None:
        """While blocked, ``emit_signal`` does nothing and returns
        ``ERR_CANT_ACQUIRE_RESOURCE``."""
        self._block_signals = bool(enable)

    def is_blocking_signals(self) -> bool:
        return self._block_signals

    # -- lifetime -----------------------------------------------------------------------------

    def is_queued_for_deletion(self) -> bool:
        """True once ``queue_free()`` was called (set by the SceneTree's deletion queue)."""
        return self._is_queued_for_deletion

    def cancel_free(self) -> None:
        """Called while handling ``NOTIFICATION_PREDELETE``: keep the object alive."""
        self._predelete_ok = False

    def free(self) -> None:
        """Delete the object now: ``NOTIFICATION_PREDELETE`` (derived classes first), then
        every connection to and from it is removed and it becomes invalid. Any later use
        of the Python object raises ReferenceError."""
        if self._lock_index > 0:
            push_error("Object is locked and can't be freed.")
            return
        self._predelete_ok = True
        self.notification(NOTIFICATION_PREDELETE, True)
        if not self._predelete_ok:
            return
        self._disconnect_all()
        object_db.unregister(self._instance_id)
        freed = _freed_class_for(type(self))
        if freed is not None:
            object.__setattr__(self, "__class__", freed)

    def _disconnect_all(self) -> None:
        signals = self._signals
        if signals:
            for signal, data in list(signals.items()):
                for key in list(data.slots):
                    self._remove_slot(signal, data, key)
        self._signals = None
        incoming = self._incoming
        if incoming:
            for source_id, signal, key in list(incoming):
                source = object_db.get_instance(source_id)
                if source is not None:
                    source._disconnect(signal, key, force=True)
        self._incoming = None


def _setup_class(cls: type[Object]) -> None:
    """Compute per-class data (native name, signals, notification chain); register it."""
    mro = [c for c in cls.__mro__ if isinstance(c, type) and issubclass(c, Object)]
    native = [c for c in mro if _is_native_module(c.__module__)]
    cls._godot_class_name = native[0].__name__ if native else "Object"
    cls._godot_native_names = frozenset(c.__name__ for c in native)
    order: list[Any] = []
    merged: dict[str, Any] = {}
    for klass in mro:
        for name, value in vars(klass).items():
            if isinstance(value, _SignalDeclaration) and name not in merged:
                merged[name] = value
                order.append(value)
    cls._godot_signals = merged
    cls._godot_signal_order = tuple(order)
    chain = tuple(
        klass.__dict__["_notification"]
        for klass in reversed(mro)
        if callable(klass.__dict__.get("_notification"))
    )
    cls._notification_chain = chain
    cls._notification_chain_reversed = chain[::-1]
    ClassDB._register(cls)


def _target_alive(target: Callable) -> bool:
    """False once the object a callable belongs to was freed or collected."""
    object_id = target.get_object_id()
    return object_id == 0 or object_db.get_instance(object_id) is not None


def _class_property(cls: type, name: str) -> GodotProperty[Any, Any] | None:
    registry: dict[str, GodotProperty[Any, Any]] = getattr(cls, "_godot_properties", {})
    return registry.get(name)


def _own_property_infos(
    obj: Object, cls: type, seen: set[str], extra_usage: int
) -> list[dict[str, Any]]:
    """PropertyInfo dictionaries for the GodotProperty descriptors defined in ``cls``."""
    result: list[dict[str, Any]] = []
    for name, value in vars(cls).items():
        if not isinstance(value, GodotProperty) or name in seen:
            continue
        seen.add(name)
        kind = 0
        if value.default is not _NO_DEFAULT:
            kind = _variant_type_of(value.default)
        if kind == 0:
            getter = getattr(cls, value.getter_name, None)
            annotation = getattr(getter, "__annotations__", {}).get("return")
            if isinstance(annotation, str):
                kind = _ANNOTATION_TYPES.get(annotation, 0)
            elif isinstance(annotation, type):
                kind = _ANNOTATION_TYPES.get(annotation.__name__, 0)
        usage = (
            PROPERTY_USAGE_DEFAULT | extra_usage
            if value.setter_name is not None
            else PROPERTY_USAGE_EDITOR | PROPERTY_USAGE_READ_ONLY
        )
        result.append(_property_info(name, kind, usage=usage))
    return result


def is_instance_valid(instance: object) -> bool:
    """True if ``instance`` is an Object that has not been freed (or collected)."""
    if not isinstance(instance, Object):
        return False
    instance_id = object.__getattribute__(instance, "_instance_id")
    return object_db.get_instance(instance_id) is instance


def instance_from_id(instance_id: int) -> Object | None:
    """The live Object with this instance id, or None."""
    if type(instance_id) is not int:
        raise TypeError(f"instance_id must be an int, got {type(instance_id).__name__}")
    return object_db.get_instance(instance_id)


_setup_class(Object)
