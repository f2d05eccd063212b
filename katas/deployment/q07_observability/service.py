"""Kata deployment/q07: health probes, Prometheus metrics and JSON logs with request ids. Edit this file."""

from __future__ import annotations

from typing import TextIO

from fastapi import FastAPI

FILE = "katas/deployment/q07_observability/service.py"


def create_app(*, log_stream: TextIO | None = None) -> FastAPI:
    """An app with /healthz, /readyz, /metrics and POST /predict, logging one JSON line per request."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
