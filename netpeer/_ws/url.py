"""ws:// and wss:// URLs → where to connect and what to put in the request, like Godot 4.2.

Implements ``String::parse_url`` + ``WSLPeer::connect_to_url`` (websocket-handshake.md §1.2):
scheme lower-cased (none → ``ws://``), path verbatim (query and fragment included, ``/`` when
empty), credentials dropped, ``[...]`` IPv6 literals, host lower-cased, port 1..65535
(defaults 80/443). The Host header omits the default port and - Godot quirk Q-WS-HOST -
never brackets IPv6 literals; :attr:`WsUrl.host_header_bracketed` is the RFC 7230 form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WsUrl:
    """A parsed WebSocket URL.

    ``host`` has no brackets (ready for ``getaddrinfo``/TLS SNI); ``resource`` is the request
    target; ``ipv6`` says the URL used a ``[...]`` literal.
    """

    secure: bool
    host: str
    port: int
    resource: str
    ipv6: bool = False

    @property
    def scheme(self) -> str:
        return "wss://" if self.secure else "ws://"

    @property
    def default_port(self) -> int:
        return 443 if self.secure else 80

    @property
    def host_header(self) -> str:
        """Godot's Host value: ``host`` plus ``:port`` unless default, IPv6 without brackets."""
        return self.host if self.port == self.default_port else f"{self.host}:{self.port}"

    @property
    def host_header_bracketed(self) -> str:
        """RFC 7230 Host value: like :attr:`host_header` but IPv6 literals in brackets."""
        host = f"[{self.host}]" if self.ipv6 else self.host
        return host if self.port == self.default_port else f"{host}:{self.port}"


def _is_valid_int(text: str) -> bool:
    """Godot's ``String::is_valid_int``: optional sign then at least one ASCII digit."""
    body = text[1:] if text[:1] in ("+", "-") else text
    return bool(body) and all("0" <= c <= "9" for c in body)


def parse_ws_url(url: str) -> WsUrl | None:
    """Parse ``url`` like Godot; ``None`` where Godot returns ERR_INVALID_PARAMETER."""
    pos = url.find("://")
    if pos >= 0:
        scheme = url[: pos + 3].lower()
        rest = url[pos + 3 :]
    else:
        scheme = "ws://"
        rest = url
    if scheme not in ("ws://", "wss://"):
        return None
    secure = scheme == "wss://"
    slash = rest.find("/")
    if slash >= 0:
        authority, path = rest[:slash], rest[slash:]
    else:
        authority, path = rest, ""
    at = authority.find("@")
    if at >= 0:
        authority = authority[at + 1 :]
    port_text = ""
    ipv6 = authority.startswith("[")
    if ipv6:
        close = authority.rfind("]")
        if close < 0:
            return None
        host = authority[1:close]
        after = authority[close + 1 :]
        if after.startswith(":"):
            port_text = after[1:]
            if not port_text:
                return None
    else:
        colons = authority.count(":")
        if colons > 1:
            return None
        if colons == 1:
            host, port_text = authority.split(":")
            if not port_text:
                return None
        else:
            host = authority
    host = host.lower()
    if not host:
        return None
    port = 443 if secure else 80
    if port_text:
        if not _is_valid_int(port_text):
            return None
        port = int(port_text)
        if not 1 <= port <= 65535:
            return None
    return WsUrl(secure, host, port, path or "/", ipv6)
