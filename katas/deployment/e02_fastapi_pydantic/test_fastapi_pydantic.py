"""Hidden-test style checks for deployment/e02: FastAPI + Pydantic request validation with 422 locations."""

import json

import numpy as np
import pytest


@pytest.fixture
def app_module(kata):
    return kata.module("app")


@pytest.fixture
def client(app_module, iris_model, asgi):
    return asgi(app_module.create_app(iris_model))


def _strict_json(response):
    def refuse(token):
        raise AssertionError(
            f"the answer holds {token}, which is not JSON: never echo a rejected value ({response.text[:200]})"
        )

    return json.loads(response.content, parse_constant=refuse)


def _locations(response) -> list[tuple]:
    assert response.status_code == 422, f"expected 422, got {response.status_code}: {response.text[:300]}"
    detail = _strict_json(response).get("detail")
    assert isinstance(detail, list) and detail, (
        f"a 422 answer carries FastAPI's list of errors, got {detail!r}"
    )
    for error in detail:
        assert {"loc", "msg", "type"} <= set(error) and "input" not in error, (
            f"each 422 error has loc, msg and type, and no input (the rejected value is never echoed): {error}"
        )
    return [tuple(error["loc"]) for error in detail]


def test_predicts_one_row(client, iris_model, iris_data):
    X, _ = iris_data
    response = client.post("/predict", json={"features": X[60].tolist()})
    assert response.status_code == 200, (
        f"POST /predict answered {response.status_code}: {response.text[:300]}"
    )
    assert response.json() == {"prediction": int(iris_model.predict(X[60:61])[0])}


def test_seeded_random_rows_match_the_model(client, iris_model):
    rng = np.random.default_rng(11)
    rows = rng.uniform([4, 2, 1, 0.1], [8, 4.5, 7, 2.5], size=(20, 4)).round(2)
    for row in rows:
        got = client.post("/predict", json={"features": row.tolist()}).json()
        assert got == {"prediction": int(iris_model.predict(row.reshape(1, -1))[0])}, f"row {row.tolist()}"


def test_the_request_model_is_the_documented_contract(app_module, iris_model, asgi):
    schema = asgi(app_module.create_app(iris_model)).get("/openapi.json").json()
    models = schema.get("components", {}).get("schemas", {})
    assert "PredictRequest" in models, (
        f"POST /predict should take a PredictRequest body; schemas: {sorted(models)}"
    )
    features = models["PredictRequest"]["properties"]["features"]
    assert features.get("minItems") == 4 and features.get("maxItems") == 4, (
        f"PredictRequest.features should allow exactly 4 items, schema says {features}"
    )
    assert models["PredictRequest"].get("additionalProperties") is False, (
        "PredictRequest should forbid extra keys"
    )
    answer = schema["paths"]["/predict"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer.get("$ref", "").endswith("/PredictResponse"), (
        f"POST /predict should answer a PredictResponse (response_model=PredictResponse): its 200 schema is {answer}"
    )


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({}, ("body", "features")),
        ({"features": [1, 2, 3]}, ("body", "features")),
        ({"features": [1, 2, 3, 4, 5]}, ("body", "features")),
        ({"features": list(range(10_000))}, ("body", "features")),
        ({"features": "1,2,3,4"}, ("body", "features")),
        ({"features": [1, "two", 3, 4]}, ("body", "features", 1)),
        ({"features": [1, 2, None, 4]}, ("body", "features", 2)),
        ({"features": [1, 2, 3, 4], "feature": [0]}, ("body", "feature")),
    ],
)
def test_invalid_bodies_give_422_with_the_field_location(client, body, location):
    response = client.post("/predict", json=body)
    locations = _locations(response)
    assert location in locations, f"body {str(body)[:80]}: expected an error at {location}, got {locations}"


@pytest.mark.parametrize(
    ("raw", "location"),
    [
        ('{"features": [1, 2, NaN, 4]}', ("body", "features", 2)),
        ('{"features": [1, 2, Infinity, 4]}', ("body", "features", 2)),
        ('{"features": [-Infinity, 2, 3, 4]}', ("body", "features", 0)),
        ('{"features": [1, 1e400, 3, 4]}', ("body", "features", 1)),
        ('{"features": [1, 2, 3, %s]}' % ("9" * 400), ("body", "features", 3)),
    ],
    ids=["nan", "infinity", "minus-infinity", "1e400", "400-digit-integer"],
)
def test_non_finite_and_huge_numbers_are_422_at_their_index(client, raw, location):
    response = client.post("/predict", content=raw.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code != 500, (
        f"body {raw[:60]}… crashed the app (500): refuse non-finite numbers in the model, and answer 422 "
        "without echoing the rejected value"
    )
    locations = _locations(response)
    assert location in locations, f"body {raw[:60]}…: expected an error at {location}, got {locations}"


@pytest.mark.parametrize(
    "raw", [b'{"features": [\xff, 2, 3, 4]}', b"[" * 3000 + b"]" * 3000], ids=["not-utf8", "deep"]
)
def test_unparsable_bodies_get_fastapis_own_400(client, raw):
    response = client.post("/predict", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, (
        f"expected FastAPI's 400, got {response.status_code}: {response.text[:200]}"
    )
    assert isinstance(_strict_json(response).get("detail"), str), response.text[:200]


def test_malformed_json_is_a_422_in_the_body(client):
    response = client.post(
        "/predict", content=b'{"features": [1, 2, 3, 4]', headers={"Content-Type": "application/json"}
    )
    locations = _locations(response)
    assert all(loc[0] == "body" for loc in locations), f"the error should be located in the body: {locations}"


def test_numeric_strings_are_coerced_like_pydantic_does(client, iris_model):
    response = client.post("/predict", json={"features": ["5.1", 3.5, "1.4", 0]})
    assert response.status_code == 200, (
        f"numeric strings are valid floats in lax mode, got {response.status_code}"
    )
    assert response.json()["prediction"] == int(iris_model.predict([[5.1, 3.5, 1.4, 0.0]])[0])


def test_random_bodies_never_give_500(client):
    rng = np.random.default_rng(5)
    values = [1, -2.5, "x", None, True, [], {}, "3.3"]
    for _ in range(40):
        body = {"features": [values[i] for i in rng.integers(0, len(values), rng.integers(0, 7))]}
        if rng.random() < 0.3:
            body["extra"] = 1
        response = client.post(
            "/predict", content=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        assert response.status_code in (200, 422), f"body {body} gave {response.status_code}"


def test_fuzzed_requests_get_only_the_answers_the_schema_lists(app_module, iris_model, kata):
    from graders.kit.fuzz import document, fastapi_contract, fuzz

    app = app_module.create_app(iris_model)
    contract = fastapi_contract(app)  # FastAPI's own /openapi.json, built from your models
    parse_error = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
    document(contract, "POST /predict", 400, parse_error, "FastAPI: a body it cannot parse (README)")
    fuzz(
        app,
        contract,
        label=kata.display("app.py"),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
    )
