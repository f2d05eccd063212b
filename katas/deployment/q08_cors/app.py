"""Kata deployment/q08: CORS for exactly one allowed origin. Edit this file."""

from __future__ import annotations

from fastapi import FastAPI

FILE = "katas/deployment/q08_cors/app.py"


def create_app(allowed_origin: str) -> FastAPI:
    """GET /health and POST /predict, with CORS headers for allowed_origin only (see the README)."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
