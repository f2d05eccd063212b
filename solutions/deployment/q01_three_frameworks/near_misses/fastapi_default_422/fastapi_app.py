"""Near miss: keeps FastAPI's default 422 {'detail': [...]} for every invalid body, malformed JSON included."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Strict numbers: the contract (shared with Flask and Django) does not accept "5.1" as a number.
    features: list[StrictInt | StrictFloat] = Field(min_length=4, max_length=4)


def create_app(model) -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict:
        return {"prediction": int(model.predict([body.features])[0])}

    return app
