"""The ``IP`` singleton: host name resolution (blocking and queued) and local addresses.

GDScript calls the engine singleton directly: ``IP.resolve_hostname("example.com")``. Python
reads the same: ``from netpeer import IP`` then ``IP.resolve_hostname(...)``. Every Godot
method works when called on the class (it then runs on the process-wide instance from
``IP.get_singleton()``) and on an instance (tests make private ones with a fake resolver).

Theory of operation. Lookups go through ``getaddrinfo`` with Godot's hints (``AF_UNSPEC`` +
``AI_ADDRCONFIG`` for ``TYPE_ANY``). Successful answers are cached per (type, host name);
failures are not. The queue has ``RESOLVER_MAX_QUERIES`` slots; ``resolve_hostname_queue_item``
answers from the cache at once (status DONE) or marks the slot WAITING and hands it to a
small pool of daemon worker threads, so a slow DNS server never freezes the game loop. The
slot's status is read without waiting; ``erase_resolve_item`` frees it (a late answer for an
erased slot is discarded, like Godot).

``StreamPeerTCP.connect_to_host`` resolves host names on the same workers and cache but
outside the public queue (``_lookup_later``): its lookup is an item no slot table holds, so
a peer dropped mid-lookup frees it with itself and can never use up the 256 slots scripts
rely on. The work queue holds items weakly: a lookup nobody holds any more is skipped.

Godot: core/io/ip.cpp, core/io/ip.h, drivers/unix/ip_unix.cpp.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import queue
import socket
import sys
import threading
import weakref
from collections.abc import Callable
from enum import IntEnum
from typing import Any, ClassVar, Concatenate, Generic, ParamSpec, TypeVar

from engine.core.messages import push_error, push_warning
from engine.core.object import Object
from netpeer._ip_address import IPAddress

_P = ParamSpec("_P")
_R = TypeVar("_R")

Resolver = Callable[[str, int], list[tuple[Any, ...]]]
"""``getaddrinfo``-like callable: ``(host, family) -> [(family, type, proto, name, addr), ...]``."""

RESOLVER_WORKERS = 4
"""Most threads resolving queued host names at the same time."""

RESOLVER_IDLE_SECONDS = 5.0
"""A resolver thread with nothing to do for this long exits (a new query starts one again)."""


class _SingletonMethod(Generic[_P, _R]):
    """A method that runs on the singleton when looked up on the class (``IP.resolve_...``)."""

    def __init__(self, func: Callable[Concatenate[IP, _P], _R]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.__name__ = func.__name__

    def __get__(self, instance: IP | None, owner: type[IP]) -> Callable[_P, _R]:
        target = owner.get_singleton() if instance is None else instance
        return functools.partial(self.func, target)


def _default_resolver(host: str, family: int) -> list[tuple[Any, ...]]:
    flags = socket.AI_ADDRCONFIG if family == socket.AF_UNSPEC else 0
    return socket.getaddrinfo(host, None, family, socket.SOCK_STREAM, 0, flags)


class _QueueItem:
    __slots__ = ("__weakref__", "addresses", "hostname", "ip_type", "status", "ticket")

    def __init__(self) -> None:
        self.status = 0
        self.addresses: list[IPAddress] = []
        self.hostname = ""
        self.ip_type = 0
        self.ticket = 0  # Changes on every reuse, so a late answer cannot land in a new query.


class IP(Object):
    """Internet protocol (IP) support functions such as DNS resolution (Godot's ``IP``)."""

    class ResolverStatus(IntEnum):
        RESOLVER_STATUS_NONE = 0
        RESOLVER_STATUS_WAITING = 1
        RESOLVER_STATUS_DONE = 2
        RESOLVER_STATUS_ERROR = 3

    class Type(IntEnum):
        TYPE_NONE = 0
        TYPE_IPV4 = 1
        TYPE_IPV6 = 2
        TYPE_ANY = 3

    RESOLVER_STATUS_NONE = ResolverStatus.RESOLVER_STATUS_NONE
    RESOLVER_STATUS_WAITING = ResolverStatus.RESOLVER_STATUS_WAITING
    RESOLVER_STATUS_DONE = ResolverStatus.RESOLVER_STATUS_DONE
    RESOLVER_STATUS_ERROR = ResolverStatus.RESOLVER_STATUS_ERROR
    TYPE_NONE = Type.TYPE_NONE
    TYPE_IPV4 = Type.TYPE_IPV4
    TYPE_IPV6 = Type.TYPE_IPV6
    TYPE_ANY = Type.TYPE_ANY
    RESOLVER_MAX_QUERIES = 256
    RESOLVER_INVALID_ID = -1

    _singleton: ClassVar[IP | None] = None
    _singleton_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, *, _resolver: Resolver | None = None) -> None:
        super().__init__()
        self._resolver: Resolver = _resolver or _default_resolver
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, str], list[IPAddress]] = {}
        self._queue = [_QueueItem() for _ in range(self.RESOLVER_MAX_QUERIES)]
        self._work: queue.SimpleQueue[tuple[weakref.ref[_QueueItem], int]] = queue.SimpleQueue()
        self._worker_count = 0
        self._tickets = 0

    # -- Python-only helpers --------------------------------------------------------------

    @classmethod
    def get_singleton(cls) -> IP:
        """The process-wide instance that class-level calls run on (created on first use)."""
        if cls._singleton is None:
            with cls._singleton_lock:
                if cls._singleton is None:
                    cls._singleton = IP()
        return cls._singleton

    @classmethod
    def _set_singleton(cls, instance: IP | None) -> None:
        """Replace the process-wide instance (tests); ``None`` makes a fresh one on next use."""
        cls._singleton = instance

    def _set_resolver(self, resolver: Resolver | None) -> None:
        """Swap the ``getaddrinfo``-like function (``None`` restores the real one)."""
        self._resolver = resolver or _default_resolver

    def _lookup(self, hostname: str, ip_type: int) -> list[IPAddress]:
        """Resolve without the cache; every failure gives an empty list (never raises)."""
        if not hostname:
            return []
        if ip_type == IP.TYPE_IPV4:
            family = socket.AF_INET
        elif ip_type == IP.TYPE_IPV6:
            family = socket.AF_INET6
        else:
            family = socket.AF_UNSPEC
        try:
            infos = self._resolver(hostname, family)
        except Exception:  # gaierror, UnicodeError (bad IDNA), ValueError (NUL), ...
            return []
        found: list[IPAddress] = []
        for info in infos:
            try:
                address = IPAddress.from_socket_host(str(info[4][0]))
            except (OSError, ValueError, IndexError, TypeError):
                continue
            if address not in found:
                found.append(address)
        return found

    def _resolve_addresses(self, hostname: str, ip_type: int = 3) -> list[IPAddress]:
        """Blocking, cached resolution returning parsed addresses (used by the shells)."""
        key = (ip_type, hostname)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return list(cached)
        found = self._lookup(hostname, ip_type)
        if found:
            with self._lock:
                self._cache[key] = found
        return list(found)

    def _lookup_later(self, hostname: str, ip_type: int = 3) -> _QueueItem:
        """Resolve in the background outside the public queue (no slot, no 256 limit).

        The item is DONE at once for a cached name, else WAITING until a worker answers
        (DONE or ERROR); read ``status``/``addresses``. Drop it to cancel.
        """
        item = _QueueItem()
        with self._lock:
            self._submit(item, hostname, ip_type)
        return item

    def _submit(self, item: _QueueItem, hostname: str, ip_type: int) -> None:
        """Answer ``item`` from the cache or queue it for a worker (call with ``_lock``)."""
        self._tickets += 1
        item.ticket = self._tickets
        item.hostname = hostname
        item.ip_type = ip_type
        cached = self._cache.get((ip_type, hostname))
        if cached is not None:
            item.addresses = list(cached)
            item.status = IP.RESOLVER_STATUS_DONE
            return
        item.addresses = []
        item.status = IP.RESOLVER_STATUS_WAITING
        self._work.put((weakref.ref(item), item.ticket))
        self._start_worker()

    def _start_worker(self) -> None:
        """Add a worker if fewer than ``RESOLVER_WORKERS`` run (call with ``_lock`` held)."""
        if self._worker_count >= RESOLVER_WORKERS:
            return
        self._worker_count += 1
        threading.Thread(target=self._work_loop, name="netpeer-resolver", daemon=True).start()

    def _work_loop(self) -> None:
        while True:
            try:
                ref, ticket = self._work.get(timeout=RESOLVER_IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._work.empty():  # Nothing was queued meanwhile: retire.
                        self._worker_count -= 1
                        return
                continue
            self._answer(ref, ticket)

    def _answer(self, ref: weakref.ref[_QueueItem], ticket: int) -> None:
        """Resolve one queued item (its own frame, so no stale reference keeps it alive)."""
        item = ref()
        if item is None:
            return  # A private lookup whose owner is gone.
        with self._lock:
            if item.ticket != ticket or item.status != IP.RESOLVER_STATUS_WAITING:
                return
            hostname, ip_type = item.hostname, item.ip_type
        found = self._lookup(hostname, ip_type)
        with self._lock:
            if found:
                self._cache[(ip_type, hostname)] = found
            if item.ticket != ticket or item.status != IP.RESOLVER_STATUS_WAITING:
                return  # Erased (and maybe reused) while we were resolving.
            item.addresses = found
            item.status = IP.RESOLVER_STATUS_DONE if found else IP.RESOLVER_STATUS_ERROR

    # -- Godot API ---------------------------------------------------------------------------

    @_SingletonMethod
    def resolve_hostname(self, host: str, ip_type: int = 3) -> str:
        """Return the first address ``host`` resolves to, or ``""``. Blocks until answered."""
        _check_host(host, ip_type)
        found = self._resolve_addresses(host, int(ip_type))
        return str(found[0]) if found else ""

    @_SingletonMethod
    def resolve_hostname_addresses(self, host: str, ip_type: int = 3) -> list[str]:
        """Return every address ``host`` resolves to (may be empty). Blocks until answered."""
        _check_host(host, ip_type)
        return [str(a) for a in self._resolve_addresses(host, int(ip_type))]

    @_SingletonMethod
    def resolve_hostname_queue_item(self, host: str, ip_type: int = 3) -> int:
        """Queue ``host`` for resolution in the background; return its id or ``-1``."""
        _check_host(host, ip_type)
        with self._lock:
            id = next(
                (i for i, item in enumerate(self._queue) if item.status == IP.RESOLVER_STATUS_NONE),
                IP.RESOLVER_INVALID_ID,
            )
            if id == IP.RESOLVER_INVALID_ID:
                push_warning("Out of resolver queries")
                return id
            self._submit(self._queue[id], host, int(ip_type))
        return id

    @_SingletonMethod
    def get_resolve_item_status(self, id: int) -> IP.ResolverStatus:
        """Status of a queued resolution (``RESOLVER_STATUS_*``); never waits."""
        if not _check_id(id):
            return IP.RESOLVER_STATUS_NONE
        status = IP.ResolverStatus(self._queue[id].status)
        if status == IP.RESOLVER_STATUS_NONE:
            push_error("Condition status == IP::RESOLVER_STATUS_NONE")
        return status

    @_SingletonMethod
    def get_resolve_item_address(self, id: int) -> str:
        """First address of a completed queued resolution, ``""`` if not DONE."""
        if not _check_id(id):
            return ""
        with self._lock:
            item = self._queue[id]
            if item.status != IP.RESOLVER_STATUS_DONE:
                push_error(f"Resolve of '{item.hostname}' didn't complete yet.")
                return ""
            return str(item.addresses[0]) if item.addresses else ""

    @_SingletonMethod
    def get_resolve_item_addresses(self, id: int) -> list[str]:
        """All addresses of a completed queued resolution, ``[]`` if not DONE."""
        if not _check_id(id):
            return []
        with self._lock:
            item = self._queue[id]
            if item.status != IP.RESOLVER_STATUS_DONE:
                push_error(f"Resolve of '{item.hostname}' didn't complete yet.")
                return []
            return [str(a) for a in item.addresses]

    @_SingletonMethod
    def erase_resolve_item(self, id: int) -> None:
        """Free a queue slot (call it once the result has been read)."""
        if not _check_id(id):
            return
        with self._lock:
            item = self._queue[id]
            item.status = IP.RESOLVER_STATUS_NONE
            item.addresses = []

    @_SingletonMethod
    def clear_cache(self, hostname: str = "") -> None:
        """Forget cached answers for ``hostname`` (all of them when it is empty)."""
        if not isinstance(hostname, str):
            raise TypeError(f"hostname must be a str, not {type(hostname).__name__}")
        with self._lock:
            if not hostname:
                self._cache.clear()
                return
            for ip_type in IP.Type:
                self._cache.pop((int(ip_type), hostname), None)

    @_SingletonMethod
    def get_local_addresses(self) -> list[str]:
        """Every address of every local network interface, in Godot's text form."""
        return [a for info in _local_interfaces() for a in info["addresses"]]

    @_SingletonMethod
    def get_local_interfaces(self) -> list[dict[str, Any]]:
        """One dictionary per interface: ``name``, ``friendly``, ``index`` and ``addresses``."""
        return _local_interfaces()


def _check_host(host: object, ip_type: object) -> None:
    if not isinstance(host, str):
        raise TypeError(f"host must be a str, not {type(host).__name__}")
    if not isinstance(ip_type, int) or isinstance(ip_type, bool):
        raise TypeError(f"ip_type must be an int (IP.Type), not {type(ip_type).__name__}")


def _check_id(id: object) -> bool:
    if not isinstance(id, int) or isinstance(id, bool):
        raise TypeError(f"id must be an int, not {type(id).__name__}")
    if not 0 <= id < IP.RESOLVER_MAX_QUERIES:
        push_error(
            f"Too many concurrent DNS resolver queries ({id}, but should be "
            f"{IP.RESOLVER_MAX_QUERIES} at most). Try performing less network requests at once."
        )
        return False
    return True


# -- Local interfaces (getifaddrs through ctypes, with a portable fallback) ----------------


class _IfAddrs(ctypes.Structure):
    pass


_IfAddrs._fields_ = [
    ("ifa_next", ctypes.POINTER(_IfAddrs)),
    ("ifa_name", ctypes.c_char_p),
    ("ifa_flags", ctypes.c_uint),
    ("ifa_addr", ctypes.c_void_p),
    ("ifa_netmask", ctypes.c_void_p),
    ("ifa_ifu", ctypes.c_void_p),
    ("ifa_data", ctypes.c_void_p),
]


def _sockaddr_to_ip(pointer: int) -> IPAddress | None:
    # Linux: u16 family first; BSD/macOS: u8 length then u8 family.
    head = ctypes.string_at(pointer, 2)
    family = int.from_bytes(head, sys.byteorder) if sys.platform.startswith("linux") else head[1]
    if family == socket.AF_INET:
        return IPAddress.from_packed(ctypes.string_at(pointer + 4, 4))
    if family == socket.AF_INET6:
        return IPAddress.from_packed(ctypes.string_at(pointer + 8, 16))
    return None


def _getifaddrs() -> dict[str, list[IPAddress]] | None:
    path = ctypes.util.find_library("c")
    if path is None or sys.platform == "win32":
        return None
    try:
        libc = ctypes.CDLL(path, use_errno=True)
        getifaddrs = libc.getifaddrs
        freeifaddrs = libc.freeifaddrs
    except (OSError, AttributeError):
        return None
    head = ctypes.POINTER(_IfAddrs)()
    if getifaddrs(ctypes.byref(head)) != 0:
        return None
    result: dict[str, list[IPAddress]] = {}
    try:
        node = head
        while node:
            entry = node.contents
            name = (entry.ifa_name or b"").decode(errors="replace")
            if entry.ifa_addr:
                address = _sockaddr_to_ip(entry.ifa_addr)
                if address is not None:
                    addresses = result.setdefault(name, [])
                    if address not in addresses:
                        addresses.append(address)
            node = entry.ifa_next
    finally:
        freeifaddrs(head)
    return result


def _local_interfaces() -> list[dict[str, Any]]:
    found = _getifaddrs()
    if found is None:  # pragma: no cover - platforms without getifaddrs
        found = {}
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None)
        except OSError:
            infos = []
        for info in infos:
            address = IPAddress.from_socket_host(str(info[4][0]))
            found.setdefault("default", [])
            if address not in found["default"]:
                found["default"].append(address)
    interfaces: list[dict[str, Any]] = []
    for name, addresses in found.items():
        try:
            index = str(socket.if_nametoindex(name))
        except (OSError, ValueError):
            index = "0"
        interfaces.append(
            {
                "name": name,
                "friendly": name,
                "index": index,
                "addresses": [str(a) for a in addresses],
            }
        )
    return interfaces
