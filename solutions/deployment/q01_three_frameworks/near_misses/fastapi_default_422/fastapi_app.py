"""Near miss: keeps FastAPI's default 422 {'detail': [...]} for every invalid body, malformed JSON included."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictFloat, StrictInt
from starlette.exceptions import HTTPException


def _finite(value: int | float) -> int | float:
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        finite = False
    if not finite:
        raise ValueError("must be a finite number")  # a ValueError becomes a validation error
    return value


# Strict numbers: the contract (shared with Flask and Django) does not accept "5.1" or true as a number; and
# finite ones: Python's JSON parser reads NaN and Infinity, which would crash the model.
Number = Annotated[StrictInt | StrictFloat, AfterValidator(_finite)]


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    features: list[Number] = Field(min_length=4, max_length=4)


def create_app(model) -> FastAPI:
    app = FastAPI()

    # FastAPI answers a body it cannot even decode (not UTF-8, nested too deep) with its own 400
    # {"detail": ...}, and an unknown path or method with 404/405 {"detail": ...}: the contract's shape is
    # {"error": ...}, with the same status and headers (405 keeps its Allow header).
    @app.exception_handler(HTTPException)
    async def contract_http_errors(_request: Request, exc: HTTPException) -> JSONResponse:
        message = f"the body must be valid JSON ({exc.detail})" if exc.status_code == 400 else exc.detail
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict:
        return {"prediction": int(model.predict([body.features])[0])}

    return app
