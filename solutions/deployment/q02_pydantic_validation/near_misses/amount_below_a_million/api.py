"""Near miss: bounds the amount with lt=1_000_000, so an amount of exactly 1,000,000 (allowed: "at most") is a 422."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


class Transaction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: float = Field(gt=0, lt=1_000_000)
    currency: Literal["EUR", "USD", "GBP"]
    # With a time zone: a naive and an aware datetime cannot even be compared (TypeError, a 500 in the validator).
    timestamp: AwareDatetime


class ScoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str = Field(pattern=r"^C\d{6}$")
    age: int = Field(ge=18, le=120)
    transactions: list[Transaction] = Field(min_length=1, max_length=100)

    # Runs after each Transaction is validated, so the timestamps are datetimes here. A ValueError becomes a
    # 422 error located at ("body", "transactions") with our message.
    @field_validator("transactions")
    @classmethod
    def in_time_order(cls, transactions: list[Transaction]) -> list[Transaction]:
        for earlier, later in zip(transactions, transactions[1:], strict=False):
            if later.timestamp <= earlier.timestamp:
                raise ValueError("transactions must be in time order (strictly increasing timestamps)")
        return transactions


class ScoreResponse(BaseModel):
    """What clients may see. Anything else the scorer returns is dropped by FastAPI's response filtering."""

    customer_id: str
    score: float
    n_transactions: int


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 without the rejected values: its default handler echoes each one as "input", and a NaN
    there cannot be written as JSON (the default handler answers 500 instead)."""
    detail = [{"loc": error["loc"], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def create_app(scorer: Callable[[ScoreRequest], dict]) -> FastAPI:
    app = FastAPI()
    app.add_exception_handler(RequestValidationError, validation_error)

    # response_model: FastAPI validates the return value against ScoreResponse and serialises only its fields.
    @app.post("/score", response_model=ScoreResponse)
    def score(request: ScoreRequest) -> dict:
        return scorer(request)

    return app
