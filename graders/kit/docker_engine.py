"""Is a Docker engine answering? Asked once per process, in at most 2 seconds, without the docker package."""

from __future__ import annotations

import os
import socket
from functools import cache
from urllib.parse import urlparse


def _socket_path() -> str | None:
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    parsed = urlparse(host)
    return parsed.path if parsed.scheme == "unix" else None


@cache
def docker_available(timeout: float = 2.0) -> bool:
    """True when the engine answers `GET /_ping` with OK (TCP DOCKER_HOST values count as unavailable)."""
    path = _socket_path()
    if not path or not os.path.exists(path):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            reply = sock.recv(1024)
    except OSError:
        return False
    return reply.startswith(b"HTTP/") and b" 200 " in reply.split(b"\r\n", 1)[0] + b" "


def why_unavailable() -> str:
    return "no Docker engine answered a ping within 2 s (this test runs where Docker is available)"
