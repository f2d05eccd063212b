"""Kata deployment/e01: a Flask app factory serving a model at POST /predict. Edit this file."""

from __future__ import annotations

from flask import Flask

FILE = "katas/deployment/e01_flask_api/app.py"


def create_app(model) -> Flask:
    """A new Flask app whose POST /predict answers {"prediction": int} for {"features": [4 numbers]}."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
