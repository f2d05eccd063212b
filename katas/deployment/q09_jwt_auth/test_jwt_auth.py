"""Hidden-test style checks for deployment/q09: JWT bearer auth, answering 401 and 403 exactly as specified."""

import base64
import json
import time

import jwt
import pytest

SECRET = "kata-secret-" + "0123456789abcdef" * 4
AUDIENCE = "predictions-api"
BODY = {"features": [1, 2, 3, 4]}


def token(scope="predict", *, sub="alice", exp_in=300, aud=AUDIENCE, key=SECRET, alg="HS256", drop=()):
    now = int(time.time())
    claims = {"sub": sub, "scope": scope, "aud": aud, "iat": now, "exp": now + exp_in}
    for name in drop:
        claims.pop(name)
    return jwt.encode(claims, key, algorithm=alg)


def bearer(value):
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def client(kata, asgi):
    return asgi(kata.module("auth").create_app(SECRET))


def _expect(response, status, what):
    assert response.status_code == status, (
        f"{what}: expected {status}, got {response.status_code}: {response.text[:200]}"
    )
    if status == 401:
        challenge = response.headers.get("www-authenticate", "")
        assert challenge.startswith("Bearer"), (
            f"{what}: a 401 must carry 'WWW-Authenticate: Bearer ...', got {challenge!r}"
        )


def test_health_is_public(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}, (
        f"GET /health answers 200 {{'status': 'ok'}} without a token, got {response.status_code} {response.text[:200]}"
    )


def test_right_scope_is_200(client):
    response = client.post("/predict", json=BODY, headers=bearer(token("read predict", sub="bob")))
    _expect(response, 200, "a valid token with the 'predict' scope")
    assert response.json() == {"prediction": 1, "subject": "bob"}
    _expect(
        client.post("/admin/reload", headers=bearer(token("admin"))), 200, "an 'admin' token on /admin/reload"
    )


@pytest.mark.parametrize(
    ("headers", "what"),
    [
        ({}, "no Authorization header"),
        ({"Authorization": "Basic YWxpY2U6c2VjcmV0"}, "Basic credentials"),
        ({"Authorization": "Bearer"}, "'Bearer' without a token"),
        ({"Authorization": "Bearer not.a.jwt"}, "a malformed token"),
        ({"Authorization": token()}, "a token without the 'Bearer ' prefix"),
        ({"Authorization": f"Basic {token()}"}, "a valid token under the Basic scheme"),
        ({"Authorization": f"Token {token()}"}, "a valid token under a 'Token' scheme"),
    ],
)
def test_missing_or_malformed_credentials_are_401(client, headers, what):
    _expect(client.post("/predict", json=BODY, headers=headers), 401, what)


def test_expired_token_is_401(client):
    response = client.post("/predict", json=BODY, headers=bearer(token(exp_in=-60)))
    _expect(response, 401, "a token expired a minute ago")


def test_wrong_signature_is_401(client):
    response = client.post(
        "/predict", json=BODY, headers=bearer(token(key="another-secret-0123456789abcdefxyz"))
    )
    _expect(response, 401, "a token signed with another key")


def test_forged_payload_is_401(client):
    header, payload, signature = token("read").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "predict admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    response = client.post("/predict", json=BODY, headers=bearer(f"{header}.{forged}.{signature}"))
    _expect(response, 401, "a token whose scope was edited after signing")


def test_alg_none_is_401(client):
    claims = {"sub": "eve", "scope": "predict", "aud": AUDIENCE, "exp": int(time.time()) + 300}
    unsigned = jwt.encode(claims, None, algorithm="none")
    _expect(client.post("/predict", json=BODY, headers=bearer(unsigned)), 401, "an unsigned token (alg none)")


def test_other_algorithm_is_401(client):
    response = client.post("/predict", json=BODY, headers=bearer(token(alg="HS512")))
    _expect(response, 401, "a token signed with HS512, not HS256")


def test_wrong_audience_is_401(client):
    response = client.post("/predict", json=BODY, headers=bearer(token(aud="billing-api")))
    _expect(response, 401, "a token for another audience")


@pytest.mark.parametrize("claim", ["exp", "sub", "aud"])
def test_required_claims(client, claim):
    response = client.post("/predict", json=BODY, headers=bearer(token(drop=(claim,))))
    _expect(response, 401, f"a token without '{claim}'")


@pytest.mark.parametrize("scope", ["", "read", "predictions", "nopredict", "predict:all", "admin"])
def test_wrong_scope_is_403(client, scope):
    _expect(
        client.post("/predict", json=BODY, headers=bearer(token(scope))), 403, f"scope {scope!r} on /predict"
    )


def test_predict_scope_is_not_admin(client):
    response = client.post("/admin/reload", headers=bearer(token("predict read")))
    _expect(response, 403, "scope 'predict read' on /admin/reload")


@pytest.mark.parametrize(
    "features", ["[1, 2, NaN, 4]", "[Infinity, 2, 3, 4]", "[1e308, 1e308, 1e308, 1e308]"]
)
def test_numbers_out_of_range_are_422_not_500(client, features):
    response = client.post(
        "/predict",
        content=f'{{"features": {features}}}'.encode(),
        headers={"Content-Type": "application/json", **bearer(token())},
    )
    assert response.status_code == 422, (
        f"features {features} should be a 422 (PredictRequest refuses them), got {response.status_code}: "
        f"{response.text[:200]}; take PredictRequest as the body and register validation_error"
    )

    def refuse(constant):
        raise AssertionError(f"the 422 answer holds {constant}, which is not JSON: register validation_error")

    json.loads(response.content, parse_constant=refuse)


def test_fuzzed_requests_with_a_valid_token_get_only_the_answers_the_schema_lists(kata):
    from graders.kit.fuzz import document, fastapi_contract, fuzz

    app = kata.module("auth").create_app(SECRET)
    contract = fastapi_contract(app)  # FastAPI's own /openapi.json, built from your code
    parse_error = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
    document(contract, "POST /predict", 400, parse_error, "FastAPI: a body it cannot parse")
    for operation in ("POST /predict", "POST /admin/reload"):
        document(contract, operation, 401, {"type": "object"}, "no valid token (README)")
        document(contract, operation, 403, {"type": "object"}, "a valid token without the scope (README)")
    fuzz(
        app,
        contract,
        label=kata.display("auth.py"),
        headers=bearer(token("predict admin")),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
    )
