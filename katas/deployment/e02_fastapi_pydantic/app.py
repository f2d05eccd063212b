"""Kata deployment/e02: FastAPI /predict with a Pydantic request model. Edit this file."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

FILE = "katas/deployment/e02_fastapi_pydantic/app.py"


class PredictRequest(BaseModel):
    """TODO: the body of POST /predict (see the README)."""


class PredictResponse(BaseModel):
    """TODO: the answer of POST /predict (see the README)."""


def create_app(model) -> FastAPI:
    """A new FastAPI app whose POST /predict answers {"prediction": int} for {"features": [4 numbers]}."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
