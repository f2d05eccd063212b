"""Hidden-test style checks for deployment/q07: probes, Prometheus metrics and JSON request logs."""

import io
import json
import re
from collections import Counter as Tally
from datetime import datetime

import numpy as np
import pytest


@pytest.fixture
def service(kata):
    return kata.module("service")


@pytest.fixture
def setup(service, asgi, iris_model):
    stream = io.StringIO()
    app = service.create_app(log_stream=stream)
    return app, asgi(app), stream


def _samples(text: str) -> dict:
    """{(sample name, frozenset of labels): value} from Prometheus text."""
    from prometheus_client.parser import text_string_to_metric_families

    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def _value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def _log_lines(stream):
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"every log line must be one JSON object; got {line[:200]!r}")
    return entries


def test_liveness_and_readiness(setup, iris_model):
    app, client, _ = setup
    assert client.get("/healthz").status_code == 200, "/healthz answers 200 as soon as the process runs"
    response = client.get("/readyz")
    assert response.status_code == 503, (
        f"/readyz must be 503 until a model is set, got {response.status_code}"
    )
    assert client.post("/predict", json={"features": [1, 2, 3, 4]}).status_code == 503, "no model yet: 503"
    app.state.model = iris_model
    assert client.get("/readyz").status_code == 200, "/readyz answers 200 once app.state.model is set"
    assert client.get("/healthz").json() == {"status": "ok"}


def test_metrics_count_requests_and_predictions(setup, iris_model):
    app, client, _ = setup
    app.state.model = iris_model
    rng = np.random.default_rng(17)
    ok, bad, classes = 0, 0, Tally()
    for _ in range(30):
        if rng.random() < 0.3:
            assert client.post("/predict", json={"features": [1, 2]}).status_code == 422
            bad += 1
        else:
            row = rng.uniform([4, 2, 1, 0.1], [8, 4.5, 7, 2.5]).round(2).tolist()
            response = client.post("/predict", json={"features": row})
            assert response.status_code == 200, response.text[:200]
            ok += 1
            classes[str(response.json()["prediction"])] += 1
    client.get("/healthz")
    client.get("/healthz")
    client.get("/readyz")
    client.get("/metrics")  # counted once it has answered: the next scrape shows it
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain"), (
        f"/metrics serves Prometheus' text format: {response.status_code} {response.headers.get('content-type')}"
    )
    samples = _samples(response.text)
    name = "http_requests_total"
    assert _value(samples, name, method="POST", path="/predict", status="200") == ok, f"{name} for 200s"
    assert _value(samples, name, method="POST", path="/predict", status="422") == bad, f"{name} for 422s"
    assert _value(samples, name, method="GET", path="/healthz", status="200") == 2
    assert _value(samples, name, method="GET", path="/readyz", status="200") == 1, f"{name} for /readyz"
    assert _value(samples, name, method="GET", path="/metrics", status="200") == 1, (
        f"{name} counts the earlier scrape under path='/metrics'"
    )
    for label, count in classes.items():
        assert _value(samples, "predictions_total", prediction=label) == count, (
            f"predictions_total{{prediction={label}}}"
        )
    assert _value(samples, "prediction_latency_seconds_count") == ok, "one latency observation per prediction"
    assert ("prediction_latency_seconds_bucket", frozenset({("le", "+Inf")})) in samples, (
        "a histogram with buckets"
    )


def test_unknown_paths_share_one_label(setup):
    _, client, _ = setup
    for n in range(3):
        assert client.get(f"/users/{n}").status_code == 404
    samples = _samples(client.get("/metrics").text)
    assert _value(samples, "http_requests_total", method="GET", path="other", status="404") == 3, (
        "unknown paths must be counted under path='other' (bounded label values)"
    )
    assert not any(("path", "/users/1") in labels for _, labels in samples), "a raw URL became a label value"


def test_each_app_has_its_own_metrics(service, asgi, iris_model):
    first, second = service.create_app(log_stream=io.StringIO()), service.create_app(log_stream=io.StringIO())
    first.state.model = second.state.model = iris_model
    for _ in range(3):
        asgi(first).post("/predict", json={"features": [5, 3, 1, 0]})
    samples = _samples(asgi(second).get("/metrics").text)
    assert _value(samples, "http_requests_total", method="POST", path="/predict", status="200") == 0, (
        "requests to one app showed up in another app's metrics: give each app its own CollectorRegistry"
    )


def test_log_records_do_not_reach_the_root_logger(setup, iris_model):
    import logging

    class Collect(logging.Handler):
        def __init__(self):
            super().__init__()
            self.records = []

        def emit(self, record):
            self.records.append(record)

    app, client, stream = setup
    app.state.model = iris_model
    root, collect = logging.getLogger(), Collect()
    root.addHandler(collect)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        client.get("/healthz", headers={"X-Request-ID": "root-probe-1"})
        client.post("/predict", json={"features": [5, 3, 1, 0]}, headers={"X-Request-ID": "root-probe-2"})
    finally:
        root.removeHandler(collect)
        root.setLevel(level)
    assert len(_log_lines(stream)) == 2, "one line per request on log_stream"
    mine = [r for r in collect.records if "root-probe-" in f"{r.getMessage()} {vars(r)}"]
    assert not mine, (
        f"{len(mine)} of the app's request log records also reached the root logger: a server's own logging "
        "set-up would print each line twice; set propagate = False on the app's logger"
    )


def test_one_json_log_line_per_request(setup, iris_model):
    app, client, stream = setup
    app.state.model = iris_model
    client.get("/healthz")
    client.post("/predict", json={"features": [5, 3, 1, 0]})
    client.post("/predict", json={"features": "x"})
    entries = _log_lines(stream)
    assert len(entries) == 3, f"expected one log line per request, got {len(entries)}"
    for entry in entries:
        missing = {
            "timestamp",
            "level",
            "message",
            "request_id",
            "method",
            "path",
            "status",
            "duration_ms",
        } - set(entry)
        assert not missing, f"log line lacks {sorted(missing)}: {entry}"
        datetime.fromisoformat(entry["timestamp"])
        assert isinstance(entry["status"], int) and isinstance(entry["duration_ms"], int | float)
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/healthz", 200),
        ("POST", "/predict", 200),
        ("POST", "/predict", 422),
    ]


def test_request_ids_are_generated_and_echoed(setup):
    _, client, stream = setup
    headers = [client.get("/healthz").headers.get("x-request-id") for _ in range(5)]
    assert all(headers), "every response carries an X-Request-ID header"
    assert len(set(headers)) == 5, f"generated request ids must be unique: {headers}"
    assert [e["request_id"] for e in _log_lines(stream)] == headers, "the logged id is the one sent back"


def test_a_callers_request_id_is_kept(setup):
    _, client, stream = setup
    response = client.get("/healthz", headers={"X-Request-ID": "trace-abc_123"})
    assert response.headers.get("x-request-id") == "trace-abc_123", "reuse the caller's X-Request-ID"
    assert _log_lines(stream)[-1]["request_id"] == "trace-abc_123"


@pytest.mark.parametrize("kept", ["Z", "a1-_" * 16], ids=["1-char", "64-chars"])
def test_request_ids_of_1_and_64_characters_are_kept(setup, kept):
    _, client, stream = setup
    response = client.get("/healthz", headers={"X-Request-ID": kept})
    assert response.headers.get("x-request-id") == kept, (
        f"an X-Request-ID of {len(kept)} safe characters (1 to 64 are allowed) must be reused, "
        f"got {response.headers.get('x-request-id')!r}"
    )
    assert _log_lines(stream)[-1]["request_id"] == kept


@pytest.mark.parametrize("evil", ["a" * 65, "abc def", "abc\u2028injected", "x;rm -rf /", ""])
def test_unsafe_request_ids_are_replaced(setup, evil):
    _, client, stream = setup
    response = client.get("/healthz", headers={"X-Request-ID": evil.encode("utf-8")})
    echoed = response.headers.get("x-request-id", "")
    assert echoed != evil and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", echoed), (
        f"an X-Request-ID of {evil[:20]!r} is not a safe token: replace it with a generated one, got {echoed!r}"
    )
    assert _log_lines(stream)[-1]["request_id"] == echoed


def _strict_json(response):
    def refuse(token):
        raise AssertionError(
            f"the answer holds {token}, which is not JSON: never echo a rejected value ({response.text[:200]})"
        )

    return json.loads(response.content, parse_constant=refuse)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_features_are_422_not_500(setup, iris_model, literal):
    app, client, _ = setup
    app.state.model = iris_model
    body = f'{{"features": [1, 2, {literal}, 4]}}'.encode()
    response = client.post("/predict", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, (
        f"features holding {literal} should be a 422, got {response.status_code}: {response.text[:200]}"
    )
    detail = _strict_json(response)["detail"]
    assert any(tuple(error["loc"]) == ("body", "features", 2) for error in detail), detail
    assert all("input" not in error for error in detail), f"a 422 error never echoes its input: {detail}"


def test_fuzzed_requests_get_only_the_answers_the_schema_lists(setup, iris_model, kata):
    from graders.kit.fuzz import document, fastapi_contract, fuzz

    app, _, _ = setup
    app.state.model = iris_model
    contract = fastapi_contract(app)  # FastAPI's own /openapi.json, built from your code
    parse_error = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
    document(contract, "POST /predict", 400, parse_error, "FastAPI: a body it cannot parse (README)")
    document(contract, "GET /metrics", 200, {"type": "string"}, "Prometheus text", media_type="text/plain")
    fuzz(
        app,
        contract,
        label=kata.display("service.py"),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
    )
