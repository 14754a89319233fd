"""ws/wss URL parsing against the table of websocket-handshake.md §1.2."""

from __future__ import annotations

import pytest

from netpeer._ws.url import WsUrl, parse_ws_url


@pytest.mark.parametrize(
    ("url", "resource", "host_header", "host", "port", "secure"),
    [
        ("ws://example.com", "/", "example.com", "example.com", 80, False),
        ("ws://example.com/chat", "/chat", "example.com", "example.com", 80, False),
        ("example.com:8080/x", "/x", "example.com:8080", "example.com", 8080, False),
        ("WS://Example.COM/Path", "/Path", "example.com", "example.com", 80, False),
        ("ws://example.com:80/", "/", "example.com", "example.com", 80, False),
        ("ws://example.com:443/", "/", "example.com:443", "example.com", 443, False),
        ("wss://example.com", "/", "example.com", "example.com", 443, True),
        ("wss://example.com:80/", "/", "example.com:80", "example.com", 80, True),
        (
            "ws://127.0.0.1:9080/ws?token=a%20b#frag",
            "/ws?token=a%20b#frag",
            "127.0.0.1:9080",
            "127.0.0.1",
            9080,
            False,
        ),
        ("ws://[::1]:8080/", "/", "::1:8080", "::1", 8080, False),
        ("ws://[::1]/", "/", "::1", "::1", 80, False),
        ("ws://user:pw@host:81/a", "/a", "host:81", "host", 81, False),
        ("ws://host?x=1", "/", "host?x=1", "host?x=1", 80, False),
        ("ws://host:+81/", "/", "host:81", "host", 81, False),
    ],
)
def test_valid_urls(url, resource, host_header, host, port, secure):
    parsed = parse_ws_url(url)
    assert parsed is not None
    assert (parsed.resource, parsed.host_header, parsed.host, parsed.port, parsed.secure) == (
        resource,
        host_header,
        host,
        port,
        secure,
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://host/",
        "ws://",
        "ws:///x",
        "ws://:80/",
        "ws://host:0/",
        "ws://host:65536/",
        "ws://host:abc/",
        "ws://host:/",
        "ws://a:b:c/",
        "ws://::1/",
        "ws://[::1/",
        "",
        "ws://[]:80/",
        "ws://[::1]:/",
    ],
)
def test_invalid_urls(url):
    assert parse_ws_url(url) is None


def test_ipv6_host_header_forms():
    parsed = parse_ws_url("wss://[FE80::1]:8443/x")
    assert parsed == WsUrl(True, "fe80::1", 8443, "/x", ipv6=True)
    assert parsed.host_header == "fe80::1:8443"  # Godot quirk Q-WS-HOST
    assert parsed.host_header_bracketed == "[fe80::1]:8443"
    default = parse_ws_url("ws://[::1]/")
    assert default is not None
    assert default.host_header_bracketed == "[::1]"
    assert default.scheme == "ws://"
