"""Near miss: allow_methods=['*']: preflights for DELETE and PUT are approved too."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel, Field


class PredictRequest(BaseModel):
    features: list[float] = Field(min_length=4, max_length=4)


def create_app(allowed_origin: str) -> FastAPI:
    app = FastAPI()
    # CORS headers tell *browsers* which other sites' scripts may read our answers. An exact origin, never "*",
    # never a pattern or a prefix: "https://app.example.com.evil.io" starts with the allowed origin too.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[allowed_origin],
        allow_methods=["*"],
        allow_headers=["Content-Type", "Authorization"],
        allow_credentials=False,
        max_age=600,  # browsers may cache a preflight answer for 10 minutes
    )

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict:
        return {"prediction": int(sum(body.features)) % 3}

    return app
