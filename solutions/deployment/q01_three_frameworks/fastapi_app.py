"""Kata deployment/q01: the prediction contract in FastAPI (reference solution)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Strict numbers: the contract (shared with Flask and Django) does not accept "5.1" as a number.
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
        where = ".".join(str(part) for part in errors[0]["loc"][1:]) or "body"
        return JSONResponse(
            {"error": f"'features' is invalid at {where}: {errors[0]['msg']}"}, status_code=422
        )

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict:
        return {"prediction": int(model.predict([body.features])[0])}

    return app
