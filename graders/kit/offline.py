"""Keep katas offline: any socket connection beyond loopback fails with a message that says why."""

from __future__ import annotations

import ipaddress
import os
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}
# Hosts the user or a fixture chose on purpose: the server of KATAS_DATABASE_URL (a compose service, say),
# a container engine's address, names listed in KATAS_ALLOWED_HOSTS (comma-separated).
_allowed: set[str] = set()


def allow(host: str) -> None:
    """Let tests reach `host` (a database the user configured, a container started by a fixture)."""
    if host:
        _allowed.add(host.strip("[]").lower())


def _allow_from_environment() -> None:
    from urllib.parse import urlparse

    url = os.environ.get("KATAS_DATABASE_URL")
    if url:
        allow(urlparse(url).hostname or "")
    for host in os.environ.get("KATAS_ALLOWED_HOSTS", "").split(","):
        allow(host.strip())


class OfflineError(ConnectionRefusedError):
    """Raised instead of reaching the network: katas run offline."""


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # bytes paths and the like: not an IP address
    name = host.strip("[]").lower()
    if name in _LOCAL_NAMES or name in _allowed or name == socket.gethostname().lower():
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(host: object, port: object) -> OfflineError:
    return OfflineError(
        f"katas run offline: a connection to {host}:{port} was blocked. "
        "Tests may only reach 127.0.0.1/localhost (use the fixtures' local servers and fakes)."
    )


_originals: dict[str, object] = {}


def install() -> None:
    """Patch socket connects and name lookups once per process."""
    if _originals:
        return
    _allow_from_environment()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo
    _originals.update(connect=real_connect, connect_ex=real_connect_ex, getaddrinfo=real_getaddrinfo)

    def check(sock: socket.socket, address: object) -> None:
        inet = sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)
        if inet and not _is_local(address[0]):
            raise _refuse(address[0], address[1])

    def connect(self: socket.socket, address: object) -> None:
        check(self, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, port, *args, **kwargs):
        if host is not None and not _is_local(host.decode() if isinstance(host, bytes) else host):
            raise _refuse(host, port)
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now: for a server a fixture or a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
