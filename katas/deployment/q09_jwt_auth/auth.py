"""Kata deployment/q09: JWT bearer authentication with scopes and expiry. Edit this file."""

from fastapi import FastAPI

FILE = "katas/deployment/q09_jwt_auth/auth.py"

AUDIENCE = "predictions-api"
ALGORITHM = "HS256"


def create_app(secret: str) -> FastAPI:
    """GET /health (public), POST /predict (scope 'predict'), POST /admin/reload (scope 'admin')."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
