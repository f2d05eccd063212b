"""Near miss: returns a plain dict with no response model: the answer is right, but /openapi.json no longer documents it as a PredictResponse."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, FiniteFloat


class PredictRequest(BaseModel):
    """The body of POST /predict: exactly four finite numbers, nothing else."""

    model_config = ConfigDict(extra="forbid")  # an unknown key is a client mistake: 422, not silence

    # FiniteFloat: NaN and ±Infinity (which Python's JSON parser accepts) are refused, not handed to the model.
    features: list[FiniteFloat] = Field(min_length=4, max_length=4)


class PredictResponse(BaseModel):
    prediction: int


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422, without the rejected values: its default handler echoes each one as "input", and a NaN
    there cannot be written as JSON (the default handler answers 500 instead)."""
    detail = [{"loc": error["loc"], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def create_app(model) -> FastAPI:
    """A new FastAPI app whose POST /predict runs model.predict on one validated row."""
    app = FastAPI(title="iris classifier")
    app.add_exception_handler(RequestValidationError, validation_error)

    # A plain `def` endpoint: FastAPI runs it in a worker thread, so a slow predict does not block the loop.
    @app.post("/predict")
    def predict(request: PredictRequest) -> dict:
        # By the time we get here FastAPI has parsed and validated the body; a bad one never reaches the model.
        prediction = model.predict([request.features])[0]
        return {"prediction": int(prediction)}

    return app
