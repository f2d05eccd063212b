"""Near miss: takes the body as a plain dict and validates it by hand, answering 400 instead of 422 with locations."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field


class PredictRequest(BaseModel):
    """The body of POST /predict: exactly four numbers, nothing else."""

    model_config = ConfigDict(extra="forbid")  # an unknown key is a client mistake: 422, not silence

    features: list[float] = Field(min_length=4, max_length=4)


class PredictResponse(BaseModel):
    prediction: int


def create_app(model) -> FastAPI:
    """A new FastAPI app whose POST /predict runs model.predict on one validated row."""
    app = FastAPI(title="iris classifier")

    # A plain `def` endpoint: FastAPI runs it in a worker thread, so a slow predict does not block the loop.
    @app.post("/predict", response_model=PredictResponse)
    def predict(body: dict) -> PredictResponse:
        from fastapi import HTTPException

        features = body.get("features")
        if not isinstance(features, list) or len(features) != 4 or set(body) != {"features"}:
            raise HTTPException(status_code=400, detail="features must be a list of 4 numbers")
        try:
            row = [float(value) for value in features]
        except (TypeError, ValueError):
            raise HTTPException(status_code=400, detail="features must be numbers") from None
        prediction = model.predict([row])[0]
        return PredictResponse(prediction=int(prediction))

    return app
