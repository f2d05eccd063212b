"""Kata deployment/q01: the prediction contract in Flask. Edit this file."""

from __future__ import annotations

FILE = "katas/deployment/q01_three_frameworks/flask_app.py"


def create_app(model):
    """A new Flask application serving the contract in the README (POST /predict, GET /health)."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
