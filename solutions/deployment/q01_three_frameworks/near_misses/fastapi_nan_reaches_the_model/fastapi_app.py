"""Near miss: StrictInt | StrictFloat items without the finiteness check: NaN, Infinity and 400-digit integers reach the model, which raises (a 500)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
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

    features: list[StrictInt | StrictFloat] = Field(min_length=4, max_length=4)


def create_app(model) -> FastAPI:
    app = FastAPI()

    # FastAPI's default answer to any invalid body is 422 {"detail": [...]}. The contract is ours, not the
    # framework's: malformed JSON is 400, a wrong shape 422, both as {"error": "..."}.
    @app.exception_handler(RequestValidationError)
    async def contract_errors(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(error["type"] == "json_invalid" for error in errors):
            return JSONResponse({"error": "the body must be valid JSON"}, status_code=400)
        # loc and msg only: the rejected value (error["input"]) may be a NaN, which JSON cannot hold.
        where = ".".join(str(part) for part in errors[0]["loc"][1:]) or "body"
        return JSONResponse(
            {"error": f"'features' is invalid at {where}: {errors[0]['msg']}"}, status_code=422
        )

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
