"""Near miss: rounds the sum of the features (round(11.8) == 12) where the README says int(), which truncates."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

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


def create_app(allowed_origin: str) -> FastAPI:
    app = FastAPI()
    app.add_exception_handler(RequestValidationError, validation_error)
    # CORS headers tell *browsers* which other sites' scripts may read our answers. An exact origin, never "*",
    # never a pattern or a prefix: "https://app.example.com.evil.io" starts with the allowed origin too.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[allowed_origin],
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization"],
        allow_credentials=False,
        max_age=600,  # browsers may cache a preflight answer for 10 minutes
    )

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict:
        return {"prediction": round(sum(body.features)) % 3}

    return app
