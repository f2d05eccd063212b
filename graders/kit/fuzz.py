"""Schema-driven fuzzing of a kata's web app: no input may get a 5xx or an answer its contract does not list.

The deployment katas promise that a served model validates its input and never answers 500. `fuzz(app,
contract)` checks that promise the way an attacker or a buggy client would: it sends every operation of the
OpenAPI `contract` (FastAPI's own `app.openapi()`, or a small schema file in the kata for Flask and Django)

1. **edge cases** built from a valid example body: NaN and ±Infinity, numbers too large for a float (a 400-digit
   integer, `1e400`), integers beyond 64 bits, wrong types (null, bool, string, list, object) at every depth, a
   list ten thousand items long, `null`, empty and non-object bodies, malformed JSON and bytes that are not
   UTF-8, deep nesting (thousands of `[`), wrong and missing content types, an oversized body;
2. schemathesis's **coverage** cases: each constraint of the schema violated on its own, undeclared methods;
3. schemathesis's **generated** cases (Hypothesis, positive and negative), derandomised and bounded.

Every answer must be no 5xx, have a status the contract documents for that operation, and match the documented
content type and body schema (schemathesis's own checks). Requests go to the app in-process through httpx's ASGI
or WSGI transport (an ASGI app's lifespan runs around them, as under a server); no network is involved. Runs are deterministic (fixed cases, derandomised generation) and bounded by a time budget.
A failure lists each distinct problem with the request that caused it, as a `curl` command and as an httpx
call, so the learner can replay it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import json
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE_URL = "http://testserver"
FLOAT_MAX = 1.7976931348623157e308
HUGE_INT = 10**400  # a valid JSON number that no float can hold
DEEP = 3000  # nesting depth: beyond Python's recursion limit, yet a body of only 6 kB
LONG_LIST = 10_000
OVERSIZED_BYTES = 1 << 20
MAX_SHOWN = 4  # distinct problems shown in a failure message

_MISSING = object()


# --- contracts ------------------------------------------------------------------------------------------------


def load_contract(path: str | Path) -> dict:
    """An OpenAPI document from a YAML or JSON file (a kata's `openapi.yaml`)."""
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    contract = yaml.safe_load(text)
    if not isinstance(contract, dict) or "paths" not in contract:
        raise ValueError(f"{path} is not an OpenAPI document (no 'paths')")
    return contract


def kata_contract(test_file: str | Path) -> dict:
    """The contract a kata declares in its kata.toml (`contract = "openapi.yaml"`), read from the kata's folder.

    It is the kata's own file, never the learner's copy: the tests pass `__file__`.
    """
    import tomllib

    folder = Path(test_file).resolve().parent
    with open(folder / "kata.toml", "rb") as handle:
        name = tomllib.load(handle).get("contract")
    if not name:
        raise ValueError(f'{folder / "kata.toml"} declares no contract = "<schema file>"')
    return load_contract(folder / name)


def fastapi_contract(app) -> dict:
    """A FastAPI app's own OpenAPI document (a deep copy: `document()` may add to it)."""
    return copy.deepcopy(app.openapi())


def document(
    contract: dict,
    operation: str,
    status: int,
    schema: dict | None = None,
    description: str = "",
    media_type: str = "application/json",
) -> dict:
    """Set a README-documented answer of an operation of `contract` ("POST /predict"); returns the contract.

    FastAPI documents only what it can see (200 as JSON, 422); the README of a kata may promise more: a 400 for
    bytes that are not UTF-8, a 401 without a token, a `text/plain` body for `/metrics`. `schema` is the body's
    schema (None: a body of any shape); an existing answer for `status` is replaced.
    """
    method, _, path = operation.partition(" ")
    target = contract["paths"][path][method.lower()]
    answer: dict = {"description": description or f"documented in the kata's README ({status})"}
    if schema is not None:
        answer["content"] = {media_type: {"schema": schema}}
    target.setdefault("responses", {})[str(status)] = answer
    return contract


# --- the requests ---------------------------------------------------------------------------------------------


@dataclass
class Probe:
    """One request of the fuzz run, with what it tries (`why`) and the schemathesis case that judges its answer."""

    method: str
    path: str
    headers: dict[str, str]
    content: bytes | None
    why: str
    case: Any = None
    checks: tuple = ()
    body: Any = _MISSING  # the JSON value behind `content`, when there is one (for a readable replay)

    @property
    def kind(self) -> str:
        """The input class, without the place it was put in: "NaN", "a 400-digit integer"..."""
        return self.why.split(" at ", 1)[0]

    def curl(self) -> str:
        parts = [f"curl -X {self.method}"]
        parts += [f"-H {_shell_quote(f'{k}: {v}')}" for k, v in self.headers.items()]
        if self.content is not None:
            if len(self.content) > CURL_LIMIT:
                return f"(a {len(self.content)}-byte body: replay it with the Python line below)"
            parts.append(
                f"--data-binary {_shell_quote(self.content.decode('utf-8', errors='backslashreplace'))}"
            )
        return " ".join(parts + [f"{BASE_URL}{self.path}"])

    def python(self) -> str:
        call = f"client.request({self.method!r}, {self.path!r}"
        if self.body is not _MISSING and len(self.content or b"") > CURL_LIMIT // 4:
            call += f", content=json.dumps({_py_value(self.body)})"
        elif self.content is not None:
            call += f", content={_python_bytes(self.content)}"
        if self.headers:
            call += f", headers={self.headers!r}"
        return call + ")"


CURL_LIMIT = 2000


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _py_value(value: Any) -> str:
    """A short Python expression for a JSON value: huge integers as powers, long runs as multiplications."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        for base in (10, 2):
            exponent = len(str(abs(value))) - 1 if base == 10 else abs(value).bit_length() - 1
            if exponent > 20 and abs(value) == base**exponent:
                return f"{'-' if value < 0 else ''}{base}**{exponent}"
        return repr(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else f"float({str(value)!r})"
    if isinstance(value, str):
        return (
            repr(value)
            if len(value) <= 60
            else f"{value[:1]!r} * {len(value)}"
            if len(set(value)) == 1
            else repr(value)
        )
    if isinstance(value, list):
        if len(value) > 20 and all(item == value[0] for item in value):
            return f"[{_py_value(value[0])}] * {len(value)}"
        return "[" + ", ".join(_py_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_py_value(item)}" for key, item in value.items()) + "}"
    return repr(value)


def _python_bytes(content: bytes, limit: int = 400) -> str:
    """A Python expression that rebuilds `content`, compact for the long repetitive bodies the fuzzer sends."""
    if len(content) <= limit:
        return repr(content)
    pieces: list[str] = []
    literal = bytearray()
    position = 0
    while position < len(content):
        for unit_len in (1, 2, 3, 4, 5):
            unit = content[position : position + unit_len]
            count = 1
            while content[position + count * unit_len : position + (count + 1) * unit_len] == unit:
                count += 1
            if count * unit_len >= 64:
                if literal:
                    pieces.append(repr(bytes(literal)))
                    literal.clear()
                pieces.append(f"{unit!r} * {count}")
                position += count * unit_len
                break
        else:
            literal.append(content[position])
            position += 1
    if literal:
        pieces.append(repr(bytes(literal)))
    text = " + ".join(pieces)
    return text if len(text) <= 4 * limit else f"{content[:limit]!r} + b'…'  # {len(content)} bytes in all"


def _json_bytes(body: Any) -> bytes:
    # allow_nan: NaN and Infinity are not JSON, yet Python's json module writes and reads them.
    return json.dumps(body, allow_nan=True).encode()


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (path, value) in a JSON value, the root included, containers before their items."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(body: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    clone = copy.deepcopy(body)
    target = clone
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return clone


def _where(path: tuple) -> str:
    if not path:
        return "the whole body"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Raw:
    """A body that is sent exactly as these bytes (not JSON-encoded)."""

    def __init__(self, content: bytes):
        self.content = content


def _with_literal(example: Any, path: tuple, literal: bytes) -> _Raw:
    """`example` as JSON text with the value at `path` replaced by raw JSON text (`1e400`, deep brackets)."""
    marker = "\0fuzz-literal\0"
    text = _json_bytes(_replace(example, path, marker))
    return _Raw(text.replace(_json_bytes(marker), literal))


def _edge_bodies(example: Any, oversized_bytes: int, max_body_bytes: int | None) -> Iterator[tuple[str, Any]]:
    """(why, body) pairs: a JSON value, or _Raw bytes, derived from one valid example body."""
    leaves = list(_paths(example))
    # Non-finite and huge numbers wherever the example holds a number.
    for path, value in leaves:
        if isinstance(value, int | float) and not isinstance(value, bool):
            where = _where(path)
            yield f"NaN at {where}", _replace(example, path, float("nan"))
            yield f"Infinity at {where}", _replace(example, path, float("inf"))
            yield f"-Infinity at {where}", _replace(example, path, float("-inf"))
            yield f"a 400-digit integer at {where}", _replace(example, path, HUGE_INT)
            yield f"-(a 400-digit integer) at {where}", _replace(example, path, -HUGE_INT)
            yield f"1e400 (beyond the float range) at {where}", _with_literal(example, path, b"1e400")
            yield f"2**64 (beyond 64-bit integers) at {where}", _replace(example, path, 2**64)
            yield f"the largest float at {where}", _replace(example, path, FLOAT_MAX)
    # Wrong types at every depth, the root included.
    for path, value in leaves:
        where = _where(path)
        for wrong in (None, True, "x", "5.1", 0, 1.5, [], {}, [[1.0]]):
            if type(wrong) is type(value) and wrong == value:
                continue
            yield f"{json.dumps(wrong)} at {where}", _replace(example, path, wrong)
        if isinstance(value, list) and value:
            yield f"{LONG_LIST} items at {where}", _replace(example, path, [value[0]] * LONG_LIST)
        if isinstance(value, str):
            yield f"an empty string at {where}", _replace(example, path, "")
            yield f"a 10,000-character string at {where}", _replace(example, path, "x" * 10_000)
    # Whole bodies.
    yield "the JSON body null", _Raw(b"null")
    yield "an empty body", _Raw(b"")
    yield "malformed JSON (cut short)", _Raw(_json_bytes(example)[:-1])
    yield "malformed JSON (a trailing comma)", _Raw(_json_bytes(example)[:-1] + b",}")
    yield "bytes that are not UTF-8", _Raw(_json_bytes(example)[:1] + b"\xff" + _json_bytes(example)[1:])
    yield f"{DEEP} nested lists as the body", _Raw(b"[" * DEEP + b"]" * DEEP)
    yield f"{DEEP} nested objects as the body", _Raw(b'{"a":' * DEEP + b"1" + b"}" * DEEP)
    for path, value in leaves:
        if path and isinstance(value, list | dict):
            yield (
                f"{DEEP} nested lists at {_where(path)}",
                _with_literal(example, path, b"[" * DEEP + b"]" * DEEP),
            )
    # Oversized bodies: valid JSON with a padding key.
    if isinstance(example, dict):
        sizes = [oversized_bytes]
        if max_body_bytes is not None:
            sizes = [max_body_bytes + 1, *sizes]
        for size in sizes:
            padding = _json_bytes({**example, "padding": ""})
            filler = max(size - len(padding), 0)
            padded = padding[:-2] + b"x" * filler + b'"}'
            yield f"an oversized body ({len(padded)} bytes)", _Raw(padded)


_WRONG_CONTENT_TYPES = (
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/xml",
    "multipart/form-data; boundary=fuzz",
    None,
)


# --- the run --------------------------------------------------------------------------------------------------


@dataclass
class Problem:
    what: str
    probe: Probe
    status: int
    answer: str


@dataclass
class FuzzReport:
    """What a fuzz run sent and saw: requests per status, the problems found, whether the budget cut it short."""

    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    cut_short: bool = False
    elapsed_s: float = 0.0
    phase_s: Counter = field(
        default_factory=Counter
    )  # seconds spent per phase: setup, edge, coverage, generated
    whys: list[str] = field(default_factory=list)

    def lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.phase_s[phase] += now - since
        return now

    def message(self, label: str) -> str:
        distinct: dict[str, Problem] = {}
        for problem in self.problems:
            distinct.setdefault(
                f"{problem.probe.kind} / {problem.status} / {problem.what.splitlines()[0]}", problem
            )
        lines = [
            f"{label}: {len(self.problems)} of {self.sent} fuzzed requests broke the contract "
            f"({len(distinct)} distinct problem{'s' if len(distinct) != 1 else ''}; the first {min(len(distinct), MAX_SHOWN)} below)."
        ]
        for number, problem in enumerate(list(distinct.values())[:MAX_SHOWN], 1):
            probe = problem.probe
            lines += [
                "",
                f"{number}. {probe.method} {probe.path} with {probe.why}",
                f"   answered {problem.status}: {problem.answer}",
                *(f"   {line}" for line in problem.what.strip().splitlines()),
                f"   replay: {probe.curl()}",
                f"   or in Python (httpx): {probe.python()}",
            ]
        return "\n".join(lines)


def _is_asgi(app) -> bool:
    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__)


class _Client:
    """In-process HTTP. ASGI: httpx's ASGITransport on an event loop in a thread of this run, with the app's lifespan
    started first and stopped last (as a server would); WSGI: httpx's WSGITransport. Nothing is left running."""

    def __init__(self, app):
        self.app = app
        self._stack = contextlib.ExitStack()
        self._portal = None
        self._client = None

    def __enter__(self):
        import httpx

        if _is_asgi(self.app):
            from anyio.from_thread import start_blocking_portal

            self._portal = self._stack.enter_context(start_blocking_portal("asyncio"))
            self._stack.enter_context(self._portal.wrap_async_context_manager(_lifespan(self.app)))
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            self._client = httpx.AsyncClient(transport=transport, base_url=BASE_URL, follow_redirects=False)
            self._stack.callback(
                self._portal.call, self._client.aclose
            )  # runs before the lifespan's shutdown
        else:
            transport = httpx.WSGITransport(app=self.app, raise_app_exceptions=False)
            self._client = self._stack.enter_context(
                httpx.Client(transport=transport, base_url=BASE_URL, follow_redirects=False)
            )
        return self

    def __exit__(self, *exc_info):
        self._stack.__exit__(*exc_info)

    def send(self, probe: Probe):
        request = functools.partial(
            self._client.request, probe.method, probe.path, headers=probe.headers, content=probe.content
        )
        return self._portal.call(request) if self._portal is not None else request()


@contextlib.asynccontextmanager
async def _lifespan(app):
    """The ASGI lifespan protocol: startup before the first request, shutdown after the last one."""
    import asyncio

    to_app: asyncio.Queue = asyncio.Queue()
    from_app: asyncio.Queue = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
    task = asyncio.ensure_future(app(scope, to_app.get, from_app.put))
    await to_app.put({"type": "lifespan.startup"})
    started = asyncio.ensure_future(from_app.get())
    await asyncio.wait({started, task}, return_when=asyncio.FIRST_COMPLETED)
    if not started.done():  # the app does not speak the lifespan protocol: nothing to start or stop
        started.cancel()
        with contextlib.suppress(Exception):
            task.result()
        yield
        return
    message = started.result()
    if message["type"] == "lifespan.startup.failed":
        raise RuntimeError(f"the app's lifespan failed to start: {message.get('message', '')}")
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        await from_app.get()
        await task


def _not_strict_json(response) -> str | None:
    """Why a JSON answer is not strict JSON (NaN and Infinity are not JSON: browsers and most clients refuse them)."""
    if "json" not in response.headers.get("content-type", ""):
        return None

    def refuse(token: str):
        raise ValueError(f"{token} is not JSON")

    try:
        json.loads(response.content, parse_constant=refuse)
    except (ValueError, RecursionError) as error:
        return (
            f"The answer is not strict JSON: {error} (JSON has no NaN or Infinity; do not echo such values)"
        )
    return None


def _answer(response) -> str:
    kind = response.headers.get("content-type", "no content type")
    body = response.content[:200].decode("utf-8", errors="replace")
    more = "…" if len(response.content) > 200 else ""
    return f"({kind}) {body!r}{more}"


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
        unsupported_method,
    )

    body_checks = (
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    )
    method_checks = (not_a_server_error, unsupported_method)
    return body_checks, method_checks


def fuzz(
    app,
    contract: dict,
    *,
    label: str = "the app",
    headers: dict[str, str] | None = None,
    examples: dict[str, Any] | None = None,
    max_examples: int = 10,
    time_budget_s: float = 15.0,
    max_body_bytes: int | None = None,
    oversized_bytes: int = OVERSIZED_BYTES,
    raise_on_problems: bool = True,
) -> FuzzReport:
    """Fuzz every operation of `contract` against `app` in-process; AssertionError listing the problems found.

    headers: sent with every request (an `Authorization` header, an `Origin`).
    examples: a valid body per operation ("POST /predict": {...}) to derive edge cases from; by default the
        first valid body schemathesis builds from the schema.
    max_examples: Hypothesis examples per operation and generation mode (positive, negative).
    time_budget_s: a safety net: requests left when it is spent are not sent (the report says `cut_short`).
    max_body_bytes: the README's size limit, if any: a body one byte over it is sent too.
    """
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup

    body_checks, method_checks = _checks()
    started = time.perf_counter()
    deadline = started + time_budget_s
    report = FuzzReport()
    extra_headers = dict(headers or {})
    schema = schemathesis.openapi.from_dict(copy.deepcopy(contract), config=schemathesis.Config())

    def over_budget() -> bool:
        if time.perf_counter() > deadline:
            report.cut_short = True
        return report.cut_short

    with _Client(app) as client:

        def run(probe: Probe) -> None:
            if over_budget():
                return
            response = client.send(probe)
            report.sent += 1
            report.statuses[response.status_code] += 1
            report.whys.append(probe.why)
            if not_strict := _not_strict_json(response):  # before schemathesis, which reads NaN as null
                report.problems.append(Problem(not_strict, probe, response.status_code, _answer(response)))
                return
            try:
                probe.case.validate_response(response, checks=list(probe.checks))
            except (AssertionError, FailureGroup) as failure:  # what schemathesis's checks raise
                report.problems.append(
                    Problem(_describe(failure), probe, response.status_code, _answer(response))
                )

        def from_case(case, why: str, checks: tuple) -> Probe:
            kwargs = case.as_transport_kwargs(base_url=BASE_URL)
            sent_headers = {
                k: v for k, v in kwargs.get("headers", {}).items() if k.lower() not in _NOISE_HEADERS
            }
            sent_headers.update(extra_headers)
            value = kwargs.get("json", _MISSING)
            if "json" in kwargs:
                content = _json_bytes(kwargs["json"])
            elif kwargs.get("data") is not None:
                data = kwargs["data"]
                content = data if isinstance(data, bytes) else str(data).encode()
            else:
                content = None
            path = kwargs["url"].removeprefix(BASE_URL)
            if kwargs.get("params"):
                import urllib.parse

                path += "?" + urllib.parse.urlencode(kwargs["params"], doseq=True)
            return Probe(kwargs["method"], path, sent_headers, content, why, case, checks, value)

        for operation in schema.get_all_operations():
            op = operation.ok()
            method = op.method.upper()
            key = f"{method} {op.path}"
            mark = time.perf_counter()
            coverage = list(
                schema.iter_coverage_cases(
                    op,
                    generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                    generation_config=schema.config.generation_for(operation=op),
                )
            )
            mark = report.lap("setup", mark)
            # 1. Edge cases, derived from a valid body.
            example = (examples or {}).get(key, _MISSING)
            if example is _MISSING:
                example = next(
                    (c.body for c in coverage if c.meta.generation.mode.is_positive and _has_body(c)),
                    _MISSING,
                )
            if example is not _MISSING and op.body:
                base_headers = {"Content-Type": "application/json", **extra_headers}
                plain_case = op.Case()
                for why, body in _edge_bodies(example, oversized_bytes, max_body_bytes):
                    if isinstance(body, _Raw):
                        content, value = body.content, _MISSING
                    else:
                        content, value = _json_bytes(body), body
                    run(Probe(method, op.path, base_headers, content, why, plain_case, body_checks, value))
                for content_type in _WRONG_CONTENT_TYPES:
                    sent = {k: v for k, v in base_headers.items() if k != "Content-Type"}
                    if content_type is not None:
                        sent["Content-Type"] = content_type
                    why = f"the Content-Type {content_type}" if content_type else "no Content-Type"
                    run(Probe(method, op.path, sent, _json_bytes(example), why, plain_case, body_checks))
            mark = report.lap("edge", mark)
            # 2. schemathesis's coverage cases: one violated constraint at a time, undeclared methods.
            for case in coverage:
                description = getattr(case.meta.phase.data, "description", "") or "a coverage case"
                checks = body_checks if case.method.upper() == method else method_checks
                run(from_case(case, f"coverage: {description}", checks))
            mark = report.lap("coverage", mark)
            # 3. Generated cases (Hypothesis): positive and negative, derandomised, no shrinking.
            inputs = bool(op.body) or any(True for _ in op.iter_parameters())
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if over_budget() or max_examples < 1 or not inputs:  # GET /health: nothing to generate
                    break
                _generate(op, mode, max_examples, lambda case, why: run(from_case(case, why, body_checks)))
            report.lap("generated", mark)

    report.elapsed_s = time.perf_counter() - started
    if raise_on_problems and report.problems:
        raise AssertionError(report.message(label))
    if report.cut_short:  # a slow machine sends fewer requests: said in pytest's warnings summary, not hidden
        warnings.warn(
            FuzzCutShort(
                f"{label}: the fuzz run's {time_budget_s:.0f} s budget ran out after {report.sent} requests; "
                "the requests left were not sent"
            ),
            stacklevel=2,
        )
    return report


class FuzzCutShort(UserWarning):
    """A fuzz run that spent its time budget before sending every request it planned."""


def _generate(op, mode, max_examples: int, send) -> None:
    """Hypothesis-generated cases for one operation and mode: derandomised, bounded, no database, never shrunk
    (a problem is reported with the request that showed it, and the run moves on)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def generated(case):
        send(case, f"a generated case ({mode.value})")

    # Unsatisfiable: nothing to generate, e.g. no body or parameters to break in negative mode (GET /health).
    with contextlib.suppress(Unsatisfiable):
        generated()


_NOISE_HEADERS = {"user-agent", "accept-encoding", "connection", "x-schemathesis-testcaseid"}


def _has_body(case) -> bool:
    from schemathesis.core import NotSet

    return not isinstance(case.body, NotSet)


def _describe(failure: AssertionError) -> str:
    """The schemathesis failure(s) in a few lines, without its own replay command (ours is shown instead)."""
    inner = getattr(failure, "exceptions", None) or [failure]
    lines = []
    for error in inner:
        title = getattr(error, "title", type(error).__name__)
        message = str(getattr(error, "message", "") or "").strip()
        lines.append(f"{title}: {message}" if message else title)
    text = [line for line in "\n".join(lines).splitlines() if line.strip()]
    return "\n".join(text[:10] + (["…"] if len(text) > 10 else []))
