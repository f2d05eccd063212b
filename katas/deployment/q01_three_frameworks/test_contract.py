"""Hidden-test style checks for deployment/q01: one contract suite, run against Flask, FastAPI and Django."""

import json

import numpy as np
import pytest

FRAMEWORKS = ["flask", "fastapi", "django"]


class Client:
    """The same small interface over a WSGI app (Flask, Django) or an ASGI app (FastAPI), through httpx."""

    def __init__(self, app, asgi_client):
        import httpx

        self.app = app
        if asgi_client is not None:
            self._call = asgi_client.request
        else:
            http = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://testserver")
            self._call = http.request

    def post_raw(self, path, body: str | bytes):
        content = body.encode() if isinstance(body, str) else body
        return self._call("POST", path, content=content, headers={"Content-Type": "application/json"})

    def post(self, path, payload):
        return self.post_raw(path, json.dumps(payload))

    def get(self, path):
        return self._call("GET", path)


@pytest.fixture(params=FRAMEWORKS)
def service(request, kata, iris_model, asgi):
    framework = request.param
    module = kata.module(f"{framework}_app")
    app = module.create_app(iris_model)
    if framework == "fastapi":
        yield framework, Client(app, asgi(app))
    elif framework == "django":
        from django.test import override_settings

        # Django's settings are process-wide: point the URL configuration at this module for the test.
        # DATA_UPLOAD_MAX_MEMORY_SIZE at Django's default, whatever another kata's configure() chose.
        with override_settings(ROOT_URLCONF=module.__name__, DATA_UPLOAD_MAX_MEMORY_SIZE=2_621_440):
            yield framework, Client(app, None)
    else:
        yield framework, Client(app, None)


def _error(framework, response, status):
    assert response.status_code == status, (
        f"{framework}_app.py: expected {status}, got {response.status_code}: {response.text[:200]}"
    )
    try:
        body = response.json()
    except ValueError:
        body = None
    assert isinstance(body, dict) and isinstance(body.get("error"), str), (
        f"{framework}_app.py: error answers must be JSON {{'error': '...'}}, got {response.text[:200]!r}"
    )
    return body["error"]


def test_health(service):
    framework, client = service
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}, (
        f"{framework}_app.py: GET /health should be 200 {{'status': 'ok'}}, got {response.status_code} {response.text[:100]}"
    )


def test_predictions_match_the_model(service, iris_model):
    framework, client = service
    rng = np.random.default_rng(2)
    rows = rng.uniform([4, 2, 1, 0.1], [8, 4.5, 7, 2.5], size=(12, 4)).round(2)
    rows[0] = [5, 3, 1, 0]  # integers are numbers too
    for row in rows:
        response = client.post("/predict", {"features": row.tolist()})
        expected = {"prediction": int(iris_model.predict(row.reshape(1, -1))[0])}
        assert response.status_code == 200 and response.json() == expected, (
            f"{framework}_app.py: {row.tolist()} → expected 200 {expected}, got {response.status_code} {response.text[:200]}"
        )


@pytest.mark.parametrize(
    "body",
    [
        '{"features": [1, 2, 3, 4]',
        "not json",
        '{"features": [1, 2,, 3, 4]}',
        b'{"features": [\xff, 2, 3, 4]}',
        "[" * 3000 + "]" * 3000,
        '{"features": ' + "[" * 3000 + "]" * 3000 + "}",
    ],
    ids=["cut-short", "not-json", "double-comma", "not-utf8", "deep-body", "deep-features"],
)
def test_malformed_json_is_400(service, body):
    framework, client = service
    message = _error(framework, client.post_raw("/predict", body), 400)
    assert "JSON" in message, f"{framework}_app.py: the message should mention JSON: {message!r}"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"values": [1, 2, 3, 4]},
        [1, 2, 3, 4],
        {"features": [1, 2, 3]},
        {"features": [1, 2, 3, 4, 5]},
        {"features": "1,2,3,4"},
        {"features": [1, "5.1", 3, 4]},
        {"features": [1, None, 3, 4]},
        {"features": [True, 2, 3, 4]},
        None,
        {"features": [1, 2, float("nan"), 4]},
        {"features": [float("inf"), 2, 3, 4]},
        {"features": [1, 2, 3, -float("inf")]},
        {"features": [1, 10**400, 3, 4]},
    ],
    ids=lambda payload: json.dumps(payload)[:40],
)
def test_wrong_shape_is_422_naming_features(service, payload):
    framework, client = service
    message = _error(framework, client.post("/predict", payload), 422)
    assert "features" in message, f"{framework}_app.py: the message should name 'features': {message!r}"


def test_1e400_is_not_a_number_for_the_contract(service):
    framework, client = service
    message = _error(framework, client.post_raw("/predict", '{"features": [1, 2, 1e400, 4]}'), 422)
    assert "features" in message, f"{framework}_app.py: the message should name 'features': {message!r}"


def test_get_predict_is_405(service):
    framework, client = service
    response = client.get("/predict")
    assert response.status_code == 405, (
        f"{framework}_app.py: GET /predict should be 405, got {response.status_code}"
    )


def test_fuzzed_requests_get_only_the_answers_the_contract_lists(service, kata):
    from graders.kit.fuzz import fuzz, kata_contract

    framework, client = service
    fuzz(
        client.app,
        kata_contract(__file__),  # openapi.yaml, declared in kata.toml: one contract for the three apps
        label=kata.display(f"{framework}_app.py"),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
    )
