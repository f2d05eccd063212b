"""Hidden-test style checks for deployment/q02: nested validation with 422 details, a response model hiding
internal fields."""

import json
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings

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
    start = datetime(2026, 1, 1, 9, 0, 0, tzinfo=UTC)
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


def _strict_json(response):
    def refuse(token):
        raise AssertionError(
            f"the answer holds {token}, which is not JSON: never echo a rejected value ({response.text[:200]})"
        )

    return json.loads(response.content, parse_constant=refuse)


def _errors(response):
    assert response.status_code == 422, f"expected 422, got {response.status_code}: {response.text[:300]}"
    detail = _strict_json(response)["detail"]
    for error in detail:
        assert {"loc", "msg", "type"} <= set(error) and "input" not in error, (
            f"each 422 error has loc, msg and type, and no input (the rejected value is never echoed): {error}"
        )
    return [(tuple(e["loc"]), e["msg"], e["type"]) for e in detail]


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


def _body(age: int, amounts: list[float], steps: list[int], hours: list[int], customer: int = 1) -> dict:
    """A request whose i-th timestamp is steps[:i] seconds after the first, written in UTC+hours[i]."""
    start, seconds, transactions = datetime(2026, 1, 1, 9, 0, 0, tzinfo=UTC), 0, []
    for i, amount in enumerate(amounts):
        seconds += steps[i - 1] if i else 0
        zone = timezone(timedelta(hours=hours[i % len(hours)]))
        transactions.append(
            {
                "amount": amount,
                "currency": ("EUR", "USD", "GBP")[i % 3],
                "timestamp": (start + timedelta(seconds=seconds)).astimezone(zone).isoformat(),
            }
        )
    return {"customer_id": f"C{customer:06d}", "age": age, "transactions": transactions}


@st.composite
def _bodies(draw):
    amounts = draw(
        st.lists(st.floats(min_value=0, max_value=1_000_000, exclude_min=True), min_size=1, max_size=100)
    )
    # A step <= 0 puts a transaction at or before the previous one: not in time order.
    steps = draw(st.lists(st.integers(-2, 4000), min_size=len(amounts) - 1, max_size=len(amounts) - 1))
    hours = draw(st.lists(st.integers(-12, 14), min_size=1, max_size=4))
    return _body(draw(st.integers(18, 120)), amounts, steps, hours, draw(st.integers(0, 999_999)))


@kata_settings(max_examples=40)
@given(body=_bodies())
@example(body=_body(18, [1_000_000.0], [], [0]))
@example(body=_body(120, [0.01] * 99 + [1_000_000.0], [1] * 99, [-12, 14]))
@example(body=_body(30, [5.0, 6.0], [0], [2, 0]))
def test_every_request_within_the_bounds_is_judged_by_time_order_alone(client, body):
    """Boundaries are inclusive (1 and 100 transactions, age 18 and 120, amount 1,000,000), timestamps compare as
    instants whatever their UTC offset, and an equal or earlier timestamp breaks the order."""
    instants = [datetime.fromisoformat(t["timestamp"]) for t in body["transactions"]]
    in_order = all(a < b for a, b in zip(instants, instants[1:], strict=False))
    response = client.post("/score", json=body)
    if not in_order:
        errors = _errors(response)
        assert any(e[0] == ("body", "transactions") and "time order" in e[1] for e in errors), (
            f"timestamps {[t['timestamp'] for t in body['transactions']]} are not strictly increasing: expected "
            f"a 'time order' error at ('body', 'transactions'), got {errors}"
        )
        return
    assert response.status_code == 200, (
        f"a valid request ({len(body['transactions'])} transactions, age {body['age']}, amounts from "
        f"{min(t['amount'] for t in body['transactions'])} to {max(t['amount'] for t in body['transactions'])}) "
        f"got {response.status_code}: {response.text[:300]}"
    )
    total = sum(t["amount"] for t in body["transactions"])
    assert response.json() == {
        "customer_id": body["customer_id"],
        "score": round(total / (total + 100.0), 6),
        "n_transactions": len(body["transactions"]),
    }


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
            lambda b: b["transactions"][3].update(amount=1_000_000.01),
            ("body", "transactions", 3, "amount"),
            "less_than_equal",
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


def test_a_timestamp_without_time_zone_is_refused(client):
    body = _mutated(lambda b: b["transactions"][1].update(timestamp="2026-01-01T09:30:00"))
    response = client.post("/score", json=body)
    assert response.status_code != 500, (
        "a naive timestamp among aware ones crashed the app (500): comparing them raises TypeError; "
        "declare timestamp: AwareDatetime"
    )
    errors = _errors(response)
    found = [e for e in errors if e[0] == ("body", "transactions", 1, "timestamp")]
    assert any(e[2] == "timezone_aware" for e in found), (
        f"expected a timezone_aware error at ('body', 'transactions', 1, 'timestamp'), got {errors}"
    )


def _raw(body: dict, field: str, literal: str) -> bytes:
    """The JSON of `body` with the value of `field` (a unique marker there) replaced by a raw literal."""
    return json.dumps(body).replace(f'"{field}"', literal).encode()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_amounts_are_422_without_echo(client, literal):
    body = _mutated(lambda b: b["transactions"][2].update(amount="@AMOUNT@"))
    response = client.post(
        "/score", content=_raw(body, "@AMOUNT@", literal), headers={"Content-Type": "application/json"}
    )
    assert response.status_code != 500, (
        f"an amount of {literal} crashed the app (500): FastAPI's default 422 handler cannot write it as JSON"
    )
    assert ("body", "transactions", 2, "amount") in [e[0] for e in _errors(response)]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e400"])
def test_non_finite_ages_are_422_without_echo(client, literal):
    body = _mutated(lambda b: b.update(age="@AGE@"))
    response = client.post(
        "/score", content=_raw(body, "@AGE@", literal), headers={"Content-Type": "application/json"}
    )
    assert response.status_code != 500, (
        f"an age of {literal} crashed the app (500): FastAPI's default 422 handler cannot write it as JSON"
    )
    assert ("body", "age") in [e[0] for e in _errors(response)]


@pytest.mark.parametrize(
    "raw", [b'{"customer_id": "C\xff"}', b"[" * 3000 + b"]" * 3000], ids=["not-utf8", "deep"]
)
def test_unparsable_bodies_get_fastapis_own_400(client, raw):
    response = client.post("/score", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, (
        f"expected FastAPI's 400, got {response.status_code}: {response.text[:200]}"
    )
    assert isinstance(_strict_json(response).get("detail"), str), response.text[:200]


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


def test_fuzzed_requests_get_only_the_answers_the_schema_lists(api, kata):
    from graders.kit.fuzz import document, fastapi_contract, fuzz

    app = api.create_app(_scorer)
    contract = fastapi_contract(app)  # FastAPI's own /openapi.json, built from your models
    parse_error = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
    document(contract, "POST /score", 400, parse_error, "FastAPI: a body it cannot parse (README)")
    fuzz(app, contract, label=kata.display("api.py"), examples={"POST /score": _request(n=2)})
