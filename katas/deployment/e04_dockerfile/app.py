"""The Flask service this kata packages (given: you write only the Dockerfile).

A deliberately tiny rule-based iris model keeps the image small; the container serves it with gunicorn. Like every
service in this topic it validates its input: a bad body is a 400, never a 500.
"""

import json
import math

from flask import Flask, jsonify, request

app = Flask(__name__)


def predict_one(features: list[float]) -> int:
    petal_length, petal_width = features[2], features[3]
    if petal_length < 2.5:
        return 0
    return 1 if petal_width < 1.75 else 2


def _is_number(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


@app.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@app.post("/predict")
def predict():
    try:
        body = json.loads(request.get_data())
    except (ValueError, RecursionError):  # malformed, not UTF-8, or nested too deep
        body = None
    features = body.get("features") if isinstance(body, dict) else None
    if not isinstance(features, list) or len(features) != 4 or not all(_is_number(v) for v in features):
        return jsonify({"error": "'features' must be a list of 4 finite numbers"}), 400
    return jsonify({"prediction": predict_one(features)})
