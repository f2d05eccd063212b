"""Hidden-test style checks for deployment/q08: CORS headers for the allowed origin only."""

import json
import random

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings

ORIGINS = ["https://dashboard.example.org", "https://app.models.example.com", "http://localhost:3000"]


@pytest.fixture(params=range(2))
def case(request, kata, asgi):
    allowed = random.Random(request.param).choice(ORIGINS)
    return allowed, asgi(kata.module("app").create_app(allowed))


def _lookalikes(origin: str) -> list[str]:
    scheme, host = origin.split("://")
    other_scheme = "http" if scheme == "https" else "https"
    return [
        f"{origin}.evil.io",
        f"{origin}:8443" if host.count(":") == 0 else f"{scheme}://{host.split(':')[0]}:9999",
        f"{other_scheme}://{host}",
        f"{scheme}://evil-{host}",
        f"{scheme}://{host.replace('.', 'x', 1)}" if "." in host else f"{scheme}://{host}x",
        origin.upper(),
        "null",
        "https://evil.example",
    ]


def _preflight(client, origin, method="POST", headers="content-type"):
    return client.options(
        "/predict",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def test_preflight_from_the_allowed_origin(case):
    allowed, client = case
    response = _preflight(client, allowed)
    assert response.status_code == 200, (
        f"preflight from {allowed} should be approved, got {response.status_code}"
    )
    assert response.headers.get("access-control-allow-origin") == allowed, (
        f"Access-Control-Allow-Origin should be exactly {allowed!r}, got {response.headers.get('access-control-allow-origin')!r}"
    )
    methods = {m.strip().upper() for m in response.headers.get("access-control-allow-methods", "").split(",")}
    assert {"GET", "POST"} <= methods, f"allow GET and POST, got {methods}"
    allowed_headers = response.headers.get("access-control-allow-headers", "").lower()
    assert "content-type" in allowed_headers and "authorization" in allowed_headers, allowed_headers
    assert response.headers.get("access-control-max-age") == "600", (
        "let browsers cache the preflight for 600 s"
    )
    assert "access-control-allow-credentials" not in response.headers, (
        "no credentials (cookies) across origins"
    )


def test_simple_request_from_the_allowed_origin(case):
    allowed, client = case
    response = client.get("/health", headers={"Origin": allowed})
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers.get("access-control-allow-origin") == allowed
    assert "origin" in response.headers.get("vary", "").lower(), (
        "answers that depend on Origin must say Vary: Origin"
    )
    post = client.post("/predict", json={"features": [1, 2, 3, 4]}, headers={"Origin": allowed})
    assert post.status_code == 200 and post.headers.get("access-control-allow-origin") == allowed


_FEATURE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@pytest.fixture
def plain_client(kata, asgi):
    return asgi(kata.module("app").create_app(ORIGINS[0]))


@kata_settings(max_examples=30)
@given(features=st.lists(_FEATURE, min_size=4, max_size=4))
@example(features=[1.5, 2.5, 3.7, 4.1])  # sum 11.8: int() first, then % 3
@example(features=[-1.5, 0.0, 0.0, -1.0])  # sum -2.5: int() truncates to -2, and -2 % 3 == 1
@example(features=[1e6, 1e6, 1e6, 1e6])
def test_predict_answers_int_of_the_sum_mod_3(plain_client, features):
    response = plain_client.post("/predict", json={"features": features}, headers={"Origin": ORIGINS[0]})
    assert response.status_code == 200, f"features {features}: {response.status_code} {response.text[:200]}"
    assert response.json() == {"prediction": int(sum(features)) % 3}, (
        f"features {features}: the prediction is int(sum(features)) % 3 = {int(sum(features)) % 3}, "
        f"got {response.json()}"
    )


def test_other_origins_get_no_cors_headers(case):
    allowed, client = case
    for origin in _lookalikes(allowed):
        preflight = _preflight(client, origin)
        assert "access-control-allow-origin" not in preflight.headers, (
            f"allowed {allowed!r}: a preflight from {origin!r} must not be approved, got "
            f"Access-Control-Allow-Origin: {preflight.headers.get('access-control-allow-origin')!r}"
        )
        simple = client.get("/health", headers={"Origin": origin})
        assert simple.status_code == 200, (
            "the server still answers; only the browser hides it from the script"
        )
        assert "access-control-allow-origin" not in simple.headers, (
            f"allowed {allowed!r}: a request from {origin!r} got Access-Control-Allow-Origin: "
            f"{simple.headers.get('access-control-allow-origin')!r}"
        )


def test_no_origin_means_no_cors_headers(case):
    _, client = case
    response = client.get("/health")
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("method", ["DELETE", "PUT", "PATCH"])
def test_other_methods_are_not_approved(case, method):
    allowed, client = case
    response = _preflight(client, allowed, method=method)
    assert response.status_code >= 400, f"refuse a preflight for {method} (400), got {response.status_code}"


def test_unlisted_request_headers_are_not_approved(case):
    allowed, client = case
    response = _preflight(client, allowed, headers="content-type, x-debug-mode")
    assert response.status_code >= 400, (
        f"a preflight asking for an unlisted header X-Debug-Mode should be refused, got {response.status_code}"
    )


@pytest.mark.parametrize(
    "features", ["[1, 2, NaN, 4]", "[Infinity, 2, 3, 4]", "[1e308, 1e308, 1e308, 1e308]"]
)
def test_numbers_out_of_range_are_422_not_500(case, features):
    allowed, client = case
    response = client.post(
        "/predict",
        content=f'{{"features": {features}}}'.encode(),
        headers={"Content-Type": "application/json", "Origin": allowed},
    )
    assert response.status_code == 422, (
        f"features {features} should be a 422 (PredictRequest refuses them), got {response.status_code}: "
        f"{response.text[:200]}; take PredictRequest as the body and register validation_error"
    )

    def refuse(token):
        raise AssertionError(f"the 422 answer holds {token}, which is not JSON: register validation_error")

    json.loads(response.content, parse_constant=refuse)


def test_fuzzed_requests_get_only_the_answers_the_schema_lists(kata):
    from graders.kit.fuzz import document, fastapi_contract, fuzz

    allowed = ORIGINS[1]
    app = kata.module("app").create_app(allowed)
    contract = fastapi_contract(app)  # FastAPI's own /openapi.json, built from your code
    parse_error = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
    document(contract, "POST /predict", 400, parse_error, "FastAPI: a body it cannot parse")
    fuzz(
        app,
        contract,
        label=kata.display("app.py"),
        headers={"Origin": allowed},
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
    )
