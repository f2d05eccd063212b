"""Near miss: limits bodies to 16,000 bytes (kB) instead of 16 KiB (16,384 bytes): a body just under 16 KiB is refused with 413."""

from __future__ import annotations

import json
import math

from flask import Flask, jsonify, request

N_FEATURES = 4
MAX_BODY_BYTES = 16_000


def _bad_request(message: str, status: int = 400):
    return jsonify({"error": message}), status


def _is_number(value) -> bool:
    """A finite JSON number that fits in a float: not a bool, not NaN or ±Infinity, not a 400-digit integer."""
    if isinstance(value, bool) or not isinstance(value, int | float):  # bool is a subclass of int
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _check_features(body) -> list[float] | str:
    """The validated feature list, or a message saying what is wrong with the body."""
    if not isinstance(body, dict):  # null, a list, a number...
        return 'the JSON body must be an object like {"features": [...]}'
    if "features" not in body:
        return "missing field 'features'"
    features = body["features"]
    if not isinstance(features, list) or len(features) != N_FEATURES:
        return f"'features' must be a list of {N_FEATURES} numbers"
    for index, value in enumerate(features):
        if not _is_number(value):
            # The type's name, not the value: echoing a 400-digit number or a huge string helps nobody.
            return f"'features[{index}]' must be a finite number, got {type(value).__name__}"
    return [float(value) for value in features]


def create_app(model) -> Flask:
    """A new Flask app whose POST /predict answers with model.predict on one row of features."""
    app = Flask(__name__)
    # Werkzeug refuses bigger bodies with 413 before any JSON is parsed.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.errorhandler(413)
    def too_large(_error):
        return _bad_request(f"request body larger than {MAX_BODY_BYTES} bytes", 413)

    @app.post("/predict")
    def predict():
        if not request.is_json:  # a form, text/plain, no Content-Type at all
            return _bad_request("the request body must be JSON (Content-Type: application/json)")
        # Parse it ourselves: request.get_json() turns `null` into None (indistinguishable from "no JSON") and
        # lets a RecursionError from thousands of nested brackets escape as a 500.
        try:
            body = json.loads(request.get_data())
        except (ValueError, RecursionError):  # malformed, not UTF-8, or nested too deep to parse
            return _bad_request("the request body must be valid JSON")
        features = _check_features(body)
        if isinstance(features, str):
            return _bad_request(features)
        prediction = model.predict([features])[0]
        # numpy integers are not JSON serialisable: convert to a plain int.
        return jsonify({"prediction": int(prediction)})

    return app
