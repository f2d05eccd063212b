"""graders.kit.fuzz: a contract-abiding app passes; a 500, an undocumented status, a body off the schema or a NaN in
an answer fails, with the request shown so it can be replayed."""

import json
import math

import pytest

pytest.importorskip("schemathesis")
flask = pytest.importorskip("flask")
fastapi = pytest.importorskip("fastapi")

from graders.kit.fuzz import (  # noqa: E402  (after the skips)
    FuzzCutShort,
    _python_bytes,
    document,
    fastapi_contract,
    fuzz,
    kata_contract,
    load_contract,
)

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
CONTRACT = {
    "openapi": "3.0.3",
    "info": {"title": "sum", "version": "1"},
    "paths": {
        "/sum": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["x"],
                                "properties": {
                                    "x": {
                                        "type": "array",
                                        "minItems": 2,
                                        "maxItems": 2,
                                        "items": {"type": "number"},
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["sum"],
                                    "properties": {"sum": {"type": "number"}},
                                }
                            }
                        },
                    },
                    "400": {"description": "bad", "content": {"application/json": {"schema": ERROR}}},
                },
            }
        }
    },
}
FAST = {"max_examples": 5, "oversized_bytes": 20_000}


def _flask_app(*, crash_on_huge=False, undocumented_422=False, wrong_shape=False, echo_nan=False):
    from flask import Flask, jsonify, request

    app = Flask(__name__)

    @app.post("/sum")
    def total():
        try:
            body = json.loads(request.get_data())
        except (ValueError, RecursionError):
            return jsonify({"error": "not JSON"}), 400
        x = body.get("x") if isinstance(body, dict) else None
        if not (isinstance(x, list) and len(x) == 2):
            return jsonify({"error": "x"}), (422 if undocumented_422 else 400)
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in x):
            return jsonify({"error": "x"}), 400
        if echo_nan:
            return app.response_class(json.dumps({"sum": x[0]}), mimetype="application/json")
        if crash_on_huge:
            values = [float(v) for v in x]  # OverflowError for a 400-digit integer
        else:
            try:
                values = [float(v) for v in x]
            except OverflowError:
                return jsonify({"error": "x"}), 400
        if not all(math.isfinite(v) for v in values):
            return jsonify({"error": "x"}), 400
        result = math.fsum(values)
        if not math.isfinite(result):
            return jsonify({"error": "x"}), 400
        return jsonify({"total": result} if wrong_shape else {"sum": result})

    return app


def test_a_contract_abiding_wsgi_app_passes_and_every_input_class_is_sent():
    report = fuzz(_flask_app(), CONTRACT, **FAST)
    assert not report.problems and not report.cut_short
    assert report.statuses[200] > 0 and report.statuses[400] > 0 and report.statuses[405] > 0
    sent = " | ".join(report.whys)
    for needle in (
        "NaN",
        "Infinity",
        "a 400-digit integer",
        "1e400",
        "null at x[1]",
        "the JSON body null",
        "an empty body",
        "not UTF-8",
        "3000 nested lists",
        "oversized",
        "text/plain",
        "no Content-Type",
        "coverage:",
        "generated case (positive)",
        "generated case (negative)",
    ):
        assert needle in sent, f"the fuzzer never sent {needle!r}"


def test_a_500_fails_with_a_replayable_request():
    with pytest.raises(AssertionError) as caught:
        fuzz(_flask_app(crash_on_huge=True), CONTRACT, label="app.py", **FAST)
    text = str(caught.value)
    assert text.startswith("app.py: ") and "a 400-digit integer at x[0]" in text and "answered 500" in text
    assert "curl -X POST" in text and "client.request('POST', '/sum'" in text


def test_an_undocumented_status_fails_and_document_adds_it():
    with pytest.raises(AssertionError, match="Undocumented status code"):
        fuzz(_flask_app(undocumented_422=True), CONTRACT, **FAST)
    contract = document(json.loads(json.dumps(CONTRACT)), "POST /sum", 422, ERROR)
    fuzz(_flask_app(undocumented_422=True), contract, **FAST)


def test_an_answer_off_the_schema_fails():
    with pytest.raises(AssertionError, match="Response violates schema"):
        fuzz(_flask_app(wrong_shape=True), CONTRACT, **FAST)


def test_nan_in_an_answer_is_not_strict_json():
    with pytest.raises(AssertionError, match="not strict JSON"):
        fuzz(_flask_app(echo_nan=True), CONTRACT, **FAST)


def _fastapi_app(*, default_handler: bool):
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, Field, FiniteFloat

    class Body(BaseModel):
        x: list[FiniteFloat] = Field(min_length=2, max_length=2)

    app = FastAPI()
    if not default_handler:

        @app.exception_handler(RequestValidationError)
        async def without_input(_request, exc):
            detail = [{key: error[key] for key in ("loc", "msg", "type")} for error in exc.errors()]
            return JSONResponse({"detail": detail}, status_code=422)

    @app.post("/sum")
    def total(body: Body) -> dict:
        return {"sum": math.fsum(body.x)}

    return app


def test_asgi_apps_run_in_process_and_fastapis_default_422_fails_on_nan():
    app = _fastapi_app(default_handler=False)
    contract = document(fastapi_contract(app), "POST /sum", 400, {"type": "object"})
    report = fuzz(app, contract, **FAST)
    assert report.statuses[422] > 0 and report.statuses[200] > 0
    broken = _fastapi_app(default_handler=True)
    with pytest.raises(AssertionError, match="NaN at x"):
        fuzz(broken, document(fastapi_contract(broken), "POST /sum", 400, {"type": "object"}), **FAST)


def test_the_time_budget_cuts_a_run_short_and_says_so():
    with pytest.warns(FuzzCutShort, match="budget ran out after 0 requests"):
        report = fuzz(_flask_app(), CONTRACT, max_examples=5, time_budget_s=0.0)
    assert report.cut_short and report.sent == 0


def test_replays_rebuild_the_exact_bytes():
    for content in (b"[" * 3000 + b"]" * 3000, b'{"a":' * 3000 + b"1" + b"}" * 3000, b"\xff" + b"x" * 999):
        assert eval(_python_bytes(content)) == content  # noqa: S307  (our own expression)


def test_contracts_load_from_a_kata_toml(tmp_path):
    (tmp_path / "kata.toml").write_text('contract = "openapi.yaml"\n', encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(json.dumps(CONTRACT), encoding="utf-8")
    assert kata_contract(tmp_path / "test_x.py") == CONTRACT == load_contract(tmp_path / "openapi.yaml")
    (tmp_path / "kata.toml").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="declares no contract"):
        kata_contract(tmp_path / "test_x.py")
