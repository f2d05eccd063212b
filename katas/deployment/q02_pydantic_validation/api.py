"""Kata deployment/q02: nested Pydantic models, constraints, a custom validator, a response model. Edit this file."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from pydantic import BaseModel

FILE = "katas/deployment/q02_pydantic_validation/api.py"


class Transaction(BaseModel):
    """TODO: amount, currency, timestamp (see the README)."""


class ScoreRequest(BaseModel):
    """TODO: customer_id, age, transactions, and the time-order validator (see the README)."""


class ScoreResponse(BaseModel):
    """TODO: customer_id, score, n_transactions (see the README)."""


def create_app(scorer: Callable[[ScoreRequest], dict]) -> FastAPI:
    """A FastAPI app whose POST /score validates a ScoreRequest and answers a ScoreResponse."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
