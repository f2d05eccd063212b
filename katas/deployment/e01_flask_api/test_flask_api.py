"""Hidden-test style checks for deployment/e01: a Flask app factory with a robust POST /predict."""

import json

import numpy as np
import pytest


@pytest.fixture
def app_module(kata):
    return kata.module("app")


@pytest.fixture
def client(app_module, iris_model):
    app = app_module.create_app(iris_model)
    app.config["TESTING"] = False  # errors inside the view become 500 answers, as in production
    return app.test_client()


def _error_message(response) -> str:
    assert response.is_json, (
        f"an error answer must be JSON like {{'error': '...'}}; got {response.status_code} "
        f"with Content-Type {response.content_type!r}: {response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json()
    assert isinstance(body, dict) and isinstance(body.get("error"), str), (
        f"expected {{'error': str}}, got {body!r}"
    )
    return body["error"]


def test_predicts_one_row(client, iris_model, iris_data):
    X, _ = iris_data
    response = client.post("/predict", json={"features": X[0].tolist()})
    assert response.status_code == 200, (
        f"POST /predict answered {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )
    assert response.get_json() == {"prediction": int(iris_model.predict(X[:1])[0])}


def test_each_call_builds_a_new_app_around_its_model(app_module):
    class Constant:
        def __init__(self, value):
            self.value = value

        def predict(self, rows):
            return np.full(len(rows), self.value, dtype=np.int64)

    first, second = app_module.create_app(Constant(1)), app_module.create_app(Constant(2))
    assert first is not second, "create_app must build a new Flask app on each call"
    row = {"features": [1.0, 2.0, 3.0, 4.0]}
    assert first.test_client().post("/predict", json=row).get_json() == {"prediction": 1}
    assert second.test_client().post("/predict", json=row).get_json() == {"prediction": 2}


def test_seeded_random_rows_match_the_model(client, iris_model, iris_data):
    X, _ = iris_data
    rng = np.random.default_rng(7)
    rows = X[rng.choice(len(X), 25, replace=False)] + rng.normal(0, 0.3, (25, 4))
    for row in rows:
        got = client.post("/predict", json={"features": row.tolist()}).get_json()
        assert got == {"prediction": int(iris_model.predict(row.reshape(1, -1))[0])}, f"row {row.tolist()}"


def test_integers_are_valid_numbers(client, iris_model):
    response = client.post("/predict", json={"features": [5, 3, 1, 0]})
    assert response.status_code == 200
    assert response.get_json()["prediction"] == int(iris_model.predict([[5, 3, 1, 0]])[0])


@pytest.mark.parametrize(
    ("body", "content_type", "named"),
    [
        ('{"features": [1, 2, 3, 4]', "application/json", "JSON"),
        ("features=1,2,3,4", "application/x-www-form-urlencoded", "JSON"),
        ("", "application/json", "JSON"),
        ("[1, 2, 3, 4]", "application/json", "features"),
        ('{"values": [1, 2, 3, 4]}', "application/json", "features"),
        ('{"features": "1,2,3,4"}', "application/json", "features"),
        ('{"features": [1, 2, 3]}', "application/json", "features"),
        ('{"features": [1, 2, 3, 4, 5]}', "application/json", "features"),
        ('{"features": [1, "two", 3, 4]}', "application/json", "features"),
        ('{"features": [1, null, 3, 4]}', "application/json", "features"),
        ('{"features": [true, false, true, false]}', "application/json", "features"),
        ('{"features": [1, 2, NaN, 4]}', "application/json", "features"),
        ('{"features": [[1, 2], 3, 4, 5]}', "application/json", "features"),
        ("null", "application/json", "features"),
        ("42", "application/json", "features"),
        ('{"features": [1, 2, Infinity, 4]}', "application/json", "features"),
        ('{"features": [-Infinity, 2, 3, 4]}', "application/json", "features"),
        ('{"features": [1, 2, 3, 1e400]}', "application/json", "features"),
        ('{"features": [1, %s, 3, 4]}' % ("9" * 400), "application/json", "features"),
        ('{"features": [1, -%s, 3, 4]}' % ("1" + "0" * 399), "application/json", "features"),
        (b'{"features": [\xff, 2, 3, 4]}', "application/json", "JSON"),
        ("[" * 3000 + "]" * 3000, "application/json", "JSON"),
        ('{"features": ' + "[" * 3000 + "]" * 3000 + "}", "application/json", "JSON"),
    ],
    ids=lambda value: value if not isinstance(value, str | bytes) or len(value) < 40 else f"{value[:30]!r}…",
)
def test_bad_input_is_a_400_naming_the_problem(client, body, content_type, named):
    response = client.post("/predict", data=body, content_type=content_type)
    shown = body if len(body) < 120 else f"{body[:60]!r}… ({len(body)} characters)"
    assert response.status_code == 400, (
        f"body {shown} ({content_type}) should be answered 400, got {response.status_code}"
    )
    message = _error_message(response)
    assert named in message, f"the error for {shown} should mention {named!r}: got {message!r}"


def test_huge_payload_is_refused_before_parsing(client):
    body = json.dumps({"features": [1.0, 2.0, 3.0, 4.0], "padding": "x" * 100_000})
    response = client.post("/predict", data=body, content_type="application/json")
    assert response.status_code == 413, (
        f"a 100 kB body should be refused with 413, got {response.status_code}"
    )
    _error_message(response)


def test_extra_keys_are_ignored(client, iris_model):
    response = client.post("/predict", json={"id": 7, "features": [6.3, 3.3, 6.0, 2.5], "note": None})
    assert response.status_code == 200, (
        f"keys besides 'features' are ignored, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    )
    assert response.get_json() == {"prediction": int(iris_model.predict([[6.3, 3.3, 6.0, 2.5]])[0])}


def _padded(size: int) -> str:
    """A valid body of exactly `size` bytes: the features and an ignored padding key."""
    head = '{"features": [5.1, 3.5, 1.4, 0.2], "padding": "'
    return head + "x" * (size - len(head) - 2) + '"}'


def test_the_size_limit_is_16_kib_exactly(client):
    limit = 16 * 1024
    at_limit = client.post("/predict", data=_padded(limit), content_type="application/json")
    assert at_limit.status_code == 200, (
        f"a body of exactly 16 KiB ({limit} bytes) is allowed, got {at_limit.status_code}"
    )
    over = client.post("/predict", data=_padded(limit + 1), content_type="application/json")
    assert over.status_code == 413, (
        f"a body of {limit + 1} bytes (over 16 KiB) should be 413, got {over.status_code}"
    )
    _error_message(over)


def test_get_is_not_allowed(client):
    response = client.get("/predict")
    assert response.status_code == 405, f"GET /predict should be 405, got {response.status_code}"


def test_random_garbage_never_gives_500(client):
    rng = np.random.default_rng(3)
    pieces = ["{", "}", "[", "]", '"features"', ":", ",", "1", "-2.5", "null", "true", '"x"', " ", "{}", "[]"]
    for _ in range(150):
        body = "".join(rng.choice(pieces, rng.integers(1, 12)))
        response = client.post("/predict", data=body, content_type="application/json")
        assert response.status_code in (200, 400), f"body {body!r} gave {response.status_code}"
        if response.status_code == 400:
            _error_message(response)


def test_fuzzed_requests_get_only_the_answers_the_contract_lists(app_module, iris_model, kata):
    from graders.kit.fuzz import fuzz, kata_contract

    app = app_module.create_app(iris_model)
    app.config["TESTING"] = False
    fuzz(
        app,
        kata_contract(__file__),  # openapi.yaml, declared in kata.toml
        label=kata.display("app.py"),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
        max_body_bytes=16 * 1024,
    )
