"""Kata deployment/q01: the prediction contract in Django. Edit this file."""

from __future__ import annotations

FILE = "katas/deployment/q01_three_frameworks/django_app.py"


def create_app(model):
    """A new Django application serving the contract in the README (POST /predict, GET /health)."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
