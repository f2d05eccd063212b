"""Kata deployment/q09: JWT bearer authentication with scopes and expiry. Edit this file."""

from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

FILE = "katas/deployment/q09_jwt_auth/auth.py"

AUDIENCE = "predictions-api"
ALGORITHM = "HS256"


# --- given: the body of POST /predict and its 422 answers (use both; see the README) --------------------------

# Each feature a number from -1,000,000 to 1,000,000: NaN, Infinity and floats whose sum would overflow are 422s.
Feature = Annotated[float, Field(ge=-1e6, le=1e6)]


class PredictRequest(BaseModel):
    features: list[Feature] = Field(min_length=4, max_length=4)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 without the rejected values: its default handler echoes each one as "input", and a NaN
    there cannot be written as JSON (the default handler answers 500 instead). Register it for
    RequestValidationError."""
    detail = [{"loc": error["loc"], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def create_app(secret: str) -> FastAPI:
    """GET /health (public), POST /predict (scope 'predict'), POST /admin/reload (scope 'admin')."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
