"""Near miss: features: list[float] without length limits, so 3 or 5 numbers reach the model and crash it (500)."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict


class PredictRequest(BaseModel):
    """The body of POST /predict: exactly four numbers, nothing else."""

    model_config = ConfigDict(extra="forbid")  # an unknown key is a client mistake: 422, not silence

    features: list[float]


class PredictResponse(BaseModel):
    prediction: int


def create_app(model) -> FastAPI:
    """A new FastAPI app whose POST /predict runs model.predict on one validated row."""
    app = FastAPI(title="iris classifier")

    # A plain `def` endpoint: FastAPI runs it in a worker thread, so a slow predict does not block the loop.
    @app.post("/predict", response_model=PredictResponse)
    def predict(request: PredictRequest) -> PredictResponse:
        # By the time we get here FastAPI has parsed and validated the body; a bad one never reaches the model.
        prediction = model.predict([request.features])[0]
        return PredictResponse(prediction=int(prediction))

    return app
