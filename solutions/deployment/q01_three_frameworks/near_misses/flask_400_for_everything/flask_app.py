"""Near miss: Flask answers a wrong shape with 400 like malformed JSON, where the contract says 422."""

from __future__ import annotations

import json
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
        if not request.is_json:  # a form, text/plain, no Content-Type at all
            return _not_json()
        # json.loads, not request.get_json(silent=True): that gives None for the valid JSON `null` too, and lets
        # the RecursionError of thousands of nested brackets escape as a 500.
        try:
            body = json.loads(request.get_data())
        except (ValueError, RecursionError):  # malformed, not UTF-8, or nested too deep to parse
            return _not_json()
        if problem := features_problem(body):
            return jsonify({"error": problem}), 400
        return jsonify({"prediction": int(model.predict([body["features"]])[0])})

    return app
