"""Hidden-test style checks for deployment/q02: nested validation with 422 details, a response model hiding
internal fields."""

from datetime import datetime, timedelta

import numpy as np
import pytest

SECRET = "SECRET-internal-risk-notes-7f3a"


def _scorer(request):
    """The model behind the endpoint. It returns more than clients may see."""
    assert isinstance(request.transactions[0].timestamp, datetime), "the scorer should get parsed datetimes"
    total = sum(t.amount for t in request.transactions)
    return {
        "customer_id": request.customer_id,
        "score": round(total / (total + 100.0), 6),
        "n_transactions": len(request.transactions),
        "internal_notes": SECRET,
        "model_features": [request.age, total],
    }


@pytest.fixture
def api(kata):
    return kata.module("api")


@pytest.fixture
def client(api, asgi):
    return asgi(api.create_app(_scorer))


def _request(rng=None, n=3):
    rng = rng or np.random.default_rng(0)
    start = datetime(2026, 1, 1, 9, 0, 0)
    offsets = np.cumsum(rng.integers(1, 5000, n))
    return {
        "customer_id": f"C{rng.integers(0, 10**6):06d}",
        "age": int(rng.integers(18, 121)),
        "transactions": [
            {
                "amount": float(round(rng.uniform(0.01, 5000), 2)),
                "currency": str(rng.choice(["EUR", "USD", "GBP"])),
                "timestamp": (start + timedelta(minutes=int(m))).isoformat(),
            }
            for m in offsets
        ],
    }


def _errors(response):
    assert response.status_code == 422, f"expected 422, got {response.status_code}: {response.text[:300]}"
    return [(tuple(e["loc"]), e["msg"], e["type"]) for e in response.json()["detail"]]


def test_valid_requests_are_scored(client):
    rng = np.random.default_rng(42)
    for _ in range(15):
        body = _request(rng, int(rng.integers(1, 20)))
        response = client.post("/score", json=body)
        assert response.status_code == 200, (
            f"a valid request got {response.status_code}: {response.text[:300]}"
        )
        total = sum(t["amount"] for t in body["transactions"])
        expected = {
            "customer_id": body["customer_id"],
            "score": round(total / (total + 100.0), 6),
            "n_transactions": len(body["transactions"]),
        }
        assert response.json() == expected


def test_internal_fields_never_reach_the_client(client):
    response = client.post("/score", json=_request())
    assert response.status_code == 200, response.text[:300]
    assert set(response.json()) == {"customer_id", "score", "n_transactions"}, (
        f"the answer should hold exactly the ScoreResponse fields, got {sorted(response.json())}"
    )
    assert SECRET not in response.text and "model_features" not in response.text


def test_openapi_documents_the_models(api, asgi):
    schema = asgi(api.create_app(_scorer)).get("/openapi.json").json()
    models = schema["components"]["schemas"]
    assert {"ScoreRequest", "Transaction", "ScoreResponse"} <= set(models), f"schemas: {sorted(models)}"
    answer = schema["paths"]["/score"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer.get("$ref", "").endswith("/ScoreResponse"), (
        f"POST /score should answer a ScoreResponse: {answer}"
    )
    assert set(models["ScoreResponse"]["properties"]) == {"customer_id", "score", "n_transactions"}


def _mutated(change):
    body = _request(np.random.default_rng(1), 4)
    change(body)
    return body


@pytest.mark.parametrize(
    ("change", "location", "kind"),
    [
        (lambda b: b.pop("age"), ("body", "age"), "missing"),
        (lambda b: b.update(age=17), ("body", "age"), "greater_than_equal"),
        (lambda b: b.update(age=121), ("body", "age"), "less_than_equal"),
        (lambda b: b.update(customer_id="C12345"), ("body", "customer_id"), "string_pattern_mismatch"),
        (lambda b: b.update(customer_id="X123456"), ("body", "customer_id"), "string_pattern_mismatch"),
        (lambda b: b.update(nickname="bob"), ("body", "nickname"), "extra_forbidden"),
        (lambda b: b.update(transactions=[]), ("body", "transactions"), "too_short"),
        (
            lambda b: b["transactions"][2].update(amount=-5),
            ("body", "transactions", 2, "amount"),
            "greater_than",
        ),
        (
            lambda b: b["transactions"][1].update(amount=0),
            ("body", "transactions", 1, "amount"),
            "greater_than",
        ),
        (
            lambda b: b["transactions"][3].update(amount=2e6),
            ("body", "transactions", 3, "amount"),
            "less_than_equal",
        ),
        (
            lambda b: b["transactions"][0].update(currency="JPY"),
            ("body", "transactions", 0, "currency"),
            "literal_error",
        ),
        (
            lambda b: b["transactions"][1].update(timestamp="yesterday"),
            ("body", "transactions", 1, "timestamp"),
            None,
        ),
        (lambda b: b["transactions"][2].pop("currency"), ("body", "transactions", 2, "currency"), "missing"),
        (
            lambda b: b["transactions"][0].update(note="x"),
            ("body", "transactions", 0, "note"),
            "extra_forbidden",
        ),
    ],
)
def test_invalid_fields_are_located(client, change, location, kind):
    errors = _errors(client.post("/score", json=_mutated(change)))
    found = [e for e in errors if e[0] == location]
    assert found, f"expected an error at {location}, got {[e[0] for e in errors]}"
    if kind is not None:
        assert any(e[2] == kind for e in found), f"at {location} expected type {kind!r}, got {found}"


def test_too_many_transactions(client):
    body = _request(np.random.default_rng(3), 101)
    assert ("body", "transactions") in [e[0] for e in _errors(client.post("/score", json=body))]


@pytest.mark.parametrize("swap", [(0, 1), (2, 3), (1, 3)])
def test_transactions_out_of_time_order(client, swap):
    body = _request(np.random.default_rng(4), 4)
    i, j = swap
    txs = body["transactions"]
    txs[i], txs[j] = txs[j], txs[i]
    errors = _errors(client.post("/score", json=body))
    located = [e for e in errors if e[0] == ("body", "transactions")]
    assert located, f"out-of-order transactions: expected an error at ('body', 'transactions'), got {errors}"
    assert any("time order" in e[1] for e in located), f"the message should say 'time order': {located}"


def test_equal_timestamps_are_not_in_order(client):
    body = _request(np.random.default_rng(5), 3)
    body["transactions"][2]["timestamp"] = body["transactions"][1]["timestamp"]
    errors = _errors(client.post("/score", json=body))
    assert any(e[0] == ("body", "transactions") and "time order" in e[1] for e in errors), errors
