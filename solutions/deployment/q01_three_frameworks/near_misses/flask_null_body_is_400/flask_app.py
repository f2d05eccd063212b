"""Near miss: request.get_json(silent=True) treats the valid JSON body `null` like malformed JSON: 400 where the contract says 422."""

from __future__ import annotations

import math

from flask import Flask, jsonify, request


def _is_number(value) -> bool:
    """A finite JSON number that fits in a float: not a bool, not NaN or ±Infinity, not a 400-digit integer."""
    if isinstance(value, bool) or not isinstance(value, int | float):  # bool is a subclass of int
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def features_problem(body) -> str | None:
    """None when body is {"features": [4 finite numbers]}, else what is wrong (naming the field)."""
    if not isinstance(body, dict) or "features" not in body:  # null, a list, a number, a missing key
        return "the body must be an object with a 'features' key"
    features = body["features"]
    if not isinstance(features, list) or len(features) != 4:
        return "'features' must be a list of 4 numbers"
    if not all(_is_number(v) for v in features):
        return "'features' must hold only finite numbers"
    return None


def _not_json():
    return jsonify({"error": "the body must be valid JSON"}), 400


def create_app(model) -> Flask:
    app = Flask(__name__)

    @app.get("/health")
    def health():
        return jsonify({"status": "ok"})

    @app.post("/predict")
    def predict():
        try:
            body = request.get_json(silent=True)  # None for malformed JSON (and for `null`)
        except RecursionError:  # nested too deep to parse
            body = None
        if body is None:
            return _not_json()
        if problem := features_problem(body):
            return jsonify({"error": problem}), 422
        return jsonify({"prediction": int(model.predict([body["features"]])[0])})

    return app
