"""Near miss: Flask answers a wrong shape with 400 like malformed JSON, where the contract says 422."""

from __future__ import annotations

import math

from flask import Flask, jsonify, request


def features_problem(body) -> str | None:
    """None when body is {"features": [4 finite numbers]}, else what is wrong (naming the field)."""
    if not isinstance(body, dict) or "features" not in body:
        return "the body must be an object with a 'features' key"
    features = body["features"]
    if not isinstance(features, list) or len(features) != 4:
        return "'features' must be a list of 4 numbers"
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in features):
        return "'features' must hold only finite numbers"
    return None


def create_app(model) -> Flask:
    app = Flask(__name__)

    @app.get("/health")
    def health():
        return jsonify({"status": "ok"})

    @app.post("/predict")
    def predict():
        body = request.get_json(silent=True)  # None for malformed JSON instead of an HTML 400 page
        if body is None:
            return jsonify({"error": "the body must be valid JSON"}), 400
        if problem := features_problem(body):
            return jsonify({"error": problem}), 400
        return jsonify({"prediction": int(model.predict([body["features"]])[0])})

    return app
