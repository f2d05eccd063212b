"""Near miss: leaves the app's logger propagating to the root logger, so a server that configures logging
itself prints every request line twice."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import TextIO

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from pydantic import BaseModel, Field, FiniteFloat

KNOWN_PATHS = {"/healthz", "/readyz", "/metrics", "/predict"}
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class PredictRequest(BaseModel):
    # FiniteFloat: NaN and ±Infinity (which Python's JSON parser accepts) are refused, not handed to the model.
    features: list[FiniteFloat] = Field(min_length=4, max_length=4)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 without the rejected values: its default handler echoes each one as "input", and a NaN
    there cannot be written as JSON (the default handler answers 500 instead)."""
    detail = [{"loc": error["loc"], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: machines (Loki, Elasticsearch, CloudWatch) parse it, grep still works."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry)


def create_app(*, log_stream: TextIO | None = None) -> FastAPI:
    app = FastAPI()
    app.add_exception_handler(RequestValidationError, validation_error)
    app.state.model = None  # not ready until a model is set

    # One registry per app: two apps in one process (tests, several workers) never share or clash.
    registry = CollectorRegistry()
    requests_total = Counter(
        "http_requests", "HTTP requests handled", ["method", "path", "status"], registry=registry
    )
    predictions_total = Counter(
        "predictions", "Predictions made, by class", ["prediction"], registry=registry
    )
    latency = Histogram("prediction_latency_seconds", "Time spent in model.predict", registry=registry)

    logger = logging.getLogger(f"{__name__}.{id(app)}")
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(log_stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        incoming = request.headers.get("x-request-id", "")
        # Reuse the caller's id so one request can be followed across services; never trust arbitrary text
        # in a log line (newlines, megabytes): replace anything that is not a short token.
        request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        start = time.perf_counter()
        response = await call_next(request)
        response.headers["X-Request-ID"] = request_id
        # Label by a bounded set of values: raw paths (/users/123...) would create a time series per URL.
        path = request.url.path if request.url.path in KNOWN_PATHS else "other"
        requests_total.labels(request.method, path, str(response.status_code)).inc()
        logger.info(
            "request",
            extra={
                "fields": {
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.url.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 3),
                }
            },
        )
        return response

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok"}  # liveness: the process answers

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        # readiness: send traffic here only once the model is loaded
        if app.state.model is None:
            return JSONResponse({"status": "not ready"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/predict")
    def predict(body: PredictRequest) -> JSONResponse:
        model = app.state.model
        if model is None:
            return JSONResponse({"error": "model not loaded yet"}, status_code=503)
        with latency.time():
            prediction = int(model.predict([body.features])[0])
        predictions_total.labels(str(prediction)).inc()
        return JSONResponse({"prediction": prediction})

    return app
