"""The Flask service this kata packages (given: you write only the Dockerfile).

A deliberately tiny rule-based iris model keeps the image small; the container serves it with gunicorn.
"""

from flask import Flask, jsonify, request

app = Flask(__name__)


def predict_one(features: list[float]) -> int:
    petal_length, petal_width = features[2], features[3]
    if petal_length < 2.5:
        return 0
    return 1 if petal_width < 1.75 else 2


@app.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@app.post("/predict")
def predict():
    body = request.get_json(silent=True)
    features = body.get("features") if isinstance(body, dict) else None
    if not isinstance(features, list) or len(features) != 4:
        return jsonify({"error": "'features' must be a list of 4 numbers"}), 400
    return jsonify({"prediction": predict_one(features)})
