"""IP singleton (resolution, queue, cache, local addresses) and Godot's IPAddress text form."""

from __future__ import annotations

import logging
import socket
import threading

import pytest
from conftest import wait_until

from netpeer._ip_address import IPAddress, ip_to_string, is_valid_ip_address
from netpeer.ip import IP

# -- IPAddress text form (spec §7 last bullet, Q19) -----------------------------------------


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::1", "0:0:0:0:0:0:0:1"),
        ("::", "0:0:0:0:0:0:0:0"),
        ("fe80::1", "fe80:0:0:0:0:0:0:1"),
        ("2001:DB8::ABCD:12", "2001:db8:0:0:0:0:abcd:12"),
        ("0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1"),
        ("::ffff:10.1.2.3", "10.1.2.3"),  # IPv4-mapped prints dotted
        ("::ffff:a01:203", "10.1.2.3"),
        ("010.001.000.001", "10.1.0.1"),  # decimal fields, leading zeros allowed
        ("*", "*"),
    ],
)
def test_text_form(text: str, printed: str) -> None:
    assert ip_to_string(text) == printed


@pytest.mark.parametrize(
    "text",
    ["", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3", "::g", "1:2", "a b",
     "fe80::1%lo", "[::1]", " 1.2.3.4", "1.2.3.4 ", "\uff11.2.3.4"],
)  # fmt: skip
def test_invalid_addresses(text: str) -> None:
    assert not is_valid_ip_address(text)
    assert ip_to_string(text) == ""
    assert IPAddress.parse(text) is None


def test_wildcard_is_not_a_valid_ip() -> None:
    address = IPAddress.parse("*")
    assert address is not None and address.is_wildcard() and not address.is_valid()
    assert not is_valid_ip_address("*")


def test_ipv4_mapping_and_socket_hosts() -> None:
    v4 = IPAddress.parse("192.168.1.2")
    assert v4 is not None and v4.is_ipv4()
    assert v4.packed == bytes(10) + b"\xff\xff" + bytes([192, 168, 1, 2])
    assert v4.socket_host(socket.AF_INET) == "192.168.1.2"
    assert v4.socket_host(socket.AF_INET6) == "::ffff:192.168.1.2"
    v6 = IPAddress.parse("::1")
    assert v6 is not None and not v6.is_ipv4()
    assert v6.socket_host(socket.AF_INET6) == "::1"
    assert IPAddress.from_socket_host("fe80::1%lo") == IPAddress.parse("fe80::1")
    assert IPAddress.from_packed(bytes([1, 2, 3, 4])) == IPAddress.parse("1.2.3.4")
    with pytest.raises(ValueError):
        IPAddress.from_packed(b"\x01")


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        IPAddress.parse(1234)  # type: ignore[arg-type]


# -- IP singleton -----------------------------------------------------------------------------


def test_constants_have_godot_values() -> None:
    assert (IP.TYPE_NONE, IP.TYPE_IPV4, IP.TYPE_IPV6, IP.TYPE_ANY) == (0, 1, 2, 3)
    assert (
        IP.RESOLVER_STATUS_NONE,
        IP.RESOLVER_STATUS_WAITING,
        IP.RESOLVER_STATUS_DONE,
        IP.RESOLVER_STATUS_ERROR,
    ) == (0, 1, 2, 3)
    assert IP.RESOLVER_MAX_QUERIES == 256
    assert IP.RESOLVER_INVALID_ID == -1


def test_class_level_calls_use_the_singleton() -> None:
    from netpeer import ip as ip_module

    assert ip_module.IP.get_singleton() is IP.get_singleton()
    assert IP.resolve_hostname("localhost", IP.TYPE_IPV4) == "127.0.0.1"
    assert "127.0.0.1" in IP.resolve_hostname_addresses("localhost")


def test_resolving_ip_literals() -> None:
    assert IP.resolve_hostname("127.0.0.1") == "127.0.0.1"
    assert IP.resolve_hostname("::1", IP.TYPE_IPV6) == "0:0:0:0:0:0:0:1"
    assert IP.resolve_hostname("::1", IP.TYPE_IPV4) == ""


@pytest.mark.parametrize("host", ["nonexistent.invalid", "", "a\x00b", "x" * 300, "bad host"])
def test_unresolvable_names_give_empty_results(host: str) -> None:
    assert IP.resolve_hostname(host) == ""
    assert IP.resolve_hostname_addresses(host) == []


def test_wrong_types_raise() -> None:
    with pytest.raises(TypeError):
        IP.resolve_hostname(b"localhost")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        IP.resolve_hostname("localhost", "any")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        IP.get_resolve_item_status("0")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        IP.clear_cache(None)  # type: ignore[arg-type]


class _FakeDNS:
    """A resolver that answers from a table and can be held back to act like a slow server."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[tuple[str, int]] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, host: str, family: int) -> list[tuple[object, ...]]:
        self.calls.append((host, family))
        if not self.release.wait(10):
            raise socket.gaierror("test resolver was never released")
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out: list[tuple[object, ...]] = []
        for address in self.table[host]:
            fam = socket.AF_INET6 if ":" in address else socket.AF_INET
            if family in (socket.AF_UNSPEC, fam):
                out.append((fam, socket.SOCK_STREAM, 6, "", (address, 0)))
        if not out:
            raise socket.gaierror(socket.EAI_NONAME, "no address of that family")
        return out


def test_results_are_cached_per_type_and_cleared() -> None:
    dns = _FakeDNS({"game.test": ["10.0.0.1", "2001:db8::1"]})
    ip = IP(_resolver=dns)
    assert ip.resolve_hostname_addresses("game.test") == ["10.0.0.1", "2001:db8:0:0:0:0:0:1"]
    assert ip.resolve_hostname("game.test") == "10.0.0.1"
    assert len(dns.calls) == 1
    assert ip.resolve_hostname("game.test", IP.TYPE_IPV6) == "2001:db8:0:0:0:0:0:1"
    assert dns.calls[-1] == ("game.test", socket.AF_INET6)
    assert len(dns.calls) == 2
    ip.clear_cache("game.test")
    ip.resolve_hostname("game.test")
    assert len(dns.calls) == 3
    ip.clear_cache()
    ip.resolve_hostname("game.test")
    assert len(dns.calls) == 4


def test_failures_are_not_cached() -> None:
    dns = _FakeDNS({})
    ip = IP(_resolver=dns)
    assert ip.resolve_hostname("late.test") == ""
    dns.table["late.test"] = ["10.9.9.9"]
    assert ip.resolve_hostname("late.test") == "10.9.9.9"


def test_queue_resolves_in_the_background() -> None:
    dns = _FakeDNS({"slow.test": ["10.0.0.7"]})
    dns.release.clear()
    ip = IP(_resolver=dns)
    id = ip.resolve_hostname_queue_item("slow.test")
    assert 0 <= id < IP.RESOLVER_MAX_QUERIES
    # The call returned while the "DNS server" is still stuck: the frame is not frozen.
    assert ip.get_resolve_item_status(id) == IP.RESOLVER_STATUS_WAITING
    dns.release.set()
    wait_until(lambda: ip.get_resolve_item_status(id) != IP.RESOLVER_STATUS_WAITING)
    assert ip.get_resolve_item_status(id) == IP.RESOLVER_STATUS_DONE
    assert ip.get_resolve_item_address(id) == "10.0.0.7"
    assert ip.get_resolve_item_addresses(id) == ["10.0.0.7"]
    ip.erase_resolve_item(id)
    # A second query is answered from the cache at once.
    again = ip.resolve_hostname_queue_item("slow.test")
    assert ip.get_resolve_item_status(again) == IP.RESOLVER_STATUS_DONE
    ip.erase_resolve_item(again)


def test_queue_reports_errors(caplog: pytest.LogCaptureFixture) -> None:
    ip = IP(_resolver=_FakeDNS({}))
    id = ip.resolve_hostname_queue_item("nothing.test")
    wait_until(lambda: ip.get_resolve_item_status(id) != IP.RESOLVER_STATUS_WAITING)
    assert ip.get_resolve_item_status(id) == IP.RESOLVER_STATUS_ERROR
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert ip.get_resolve_item_address(id) == ""
        assert ip.get_resolve_item_addresses(id) == []
    assert "didn't complete yet" in caplog.text
    ip.erase_resolve_item(id)


def test_queue_slot_misuse(caplog: pytest.LogCaptureFixture) -> None:
    ip = IP(_resolver=_FakeDNS({}))
    with caplog.at_level(logging.ERROR, logger="godot"):
        assert ip.get_resolve_item_status(-1) == IP.RESOLVER_STATUS_NONE
        assert ip.get_resolve_item_status(IP.RESOLVER_MAX_QUERIES) == IP.RESOLVER_STATUS_NONE
        assert ip.get_resolve_item_status(5) == IP.RESOLVER_STATUS_NONE  # never used
        assert ip.get_resolve_item_address(300) == ""
        ip.erase_resolve_item(-7)
    assert "Too many concurrent DNS resolver queries" in caplog.text


def test_queue_full_returns_invalid_id(caplog: pytest.LogCaptureFixture) -> None:
    dns = _FakeDNS({"a.test": ["10.0.0.1"]})
    dns.release.clear()
    ip = IP(_resolver=dns)
    ids = [ip.resolve_hostname_queue_item("a.test") for _ in range(IP.RESOLVER_MAX_QUERIES)]
    assert sorted(ids) == list(range(IP.RESOLVER_MAX_QUERIES))
    with caplog.at_level(logging.WARNING, logger="godot"):
        assert ip.resolve_hostname_queue_item("a.test") == IP.RESOLVER_INVALID_ID
    assert "Out of resolver queries" in caplog.text
    ip.erase_resolve_item(3)
    assert ip.resolve_hostname_queue_item("a.test") == 3
    dns.release.set()
    wait_until(lambda: all(ip.get_resolve_item_status(i) == IP.RESOLVER_STATUS_DONE for i in ids))


def test_erased_slot_ignores_a_late_answer() -> None:
    dns = _FakeDNS({"old.test": ["10.0.0.1"], "new.test": ["10.0.0.2"]})
    dns.release.clear()
    ip = IP(_resolver=dns)
    old = ip.resolve_hostname_queue_item("old.test")
    ip.erase_resolve_item(old)
    new = ip.resolve_hostname_queue_item("new.test")
    assert new == old  # the slot is reused
    dns.release.set()
    wait_until(lambda: ip.get_resolve_item_status(new) == IP.RESOLVER_STATUS_DONE)
    assert ip.get_resolve_item_address(new) == "10.0.0.2"


def test_local_addresses_include_loopback() -> None:
    addresses = IP.get_local_addresses()
    assert "127.0.0.1" in addresses
    assert all(isinstance(a, str) and a for a in addresses)
    assert all(is_valid_ip_address(a) for a in addresses)
    assert all("::" not in a for a in addresses)  # Godot's uncompressed form
    interfaces = IP.get_local_interfaces()
    loopback = [i for i in interfaces if "127.0.0.1" in i["addresses"]]
    assert loopback and set(loopback[0]) == {"name", "friendly", "index", "addresses"}
    assert loopback[0]["index"].isdigit()


def test_singleton_can_be_replaced_for_tests() -> None:
    original = IP.get_singleton()
    fake = IP(_resolver=_FakeDNS({"only.test": ["10.1.1.1"]}))
    IP._set_singleton(fake)
    try:
        assert IP.resolve_hostname("only.test") == "10.1.1.1"
    finally:
        IP._set_singleton(original)
    assert IP.resolve_hostname("only.test") == ""
