"""Canary tests: a graded run must show that its verdicts were not rewritten in-process.

Learner code runs inside the test process, so it can reach pytest's objects and rewrite a failed report as
passed. The grader therefore plants tests it knows the answer to: with random names, in the kata's own test
module, some that must pass and some that must fail with a secret token. The spec reaches the plugin through
an environment variable the plugin removes at start-up, before any learner module is imported. A run whose
must-fail canary is reported passed (or skipped, or missing) was tampered with, and the kata scores 0.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from dataclasses import dataclass

ENV = "KATAS_CANARIES"
_WORDS = (
    "accepts", "adds", "basic", "case", "column", "counts", "default", "edge", "empty", "handles",
    "keeps", "large", "many", "mixed", "missing", "order", "rejects", "returns", "rows", "shape",
    "single", "small", "sorted", "ties", "types", "unique", "values", "window", "zero", "input",
)  # fmt: skip


@dataclass(frozen=True)
class Canary:
    name: str
    must_pass: bool
    token: str
    position: float  # where among the kata's tests it is inserted, 0..1


def plant(count: int = 4) -> list[Canary]:
    """Fresh canaries for one run: half must pass, half must fail; names look like the kata's own tests."""
    rng = random.Random(secrets.randbits(64))
    canaries = []
    for index in range(count):
        words = "_".join(rng.sample(_WORDS, 3))
        must_pass = index % 2 == 0
        # Learner code is imported by the first test that needs it, so a must-fail canary placed before that
        # would prove nothing: one always runs last, the others somewhere in the second half.
        position = rng.random() if must_pass else (1.0 if index == 1 else 0.5 + rng.random() / 2)
        canaries.append(
            Canary(
                name=f"test_{words}_{secrets.token_hex(2)}",
                must_pass=must_pass,
                token=secrets.token_hex(12),
                position=position,
            )
        )
    return canaries


def to_env(canaries: list[Canary]) -> dict[str, str]:
    return {ENV: json.dumps([c.__dict__ for c in canaries])}


def from_env() -> list[Canary]:
    """The plugin's side: read and remove the spec, so learner code started later cannot see it."""
    raw = os.environ.pop(ENV, "")
    return [Canary(**item) for item in json.loads(raw)] if raw else []


def source(canary: Canary) -> str:
    """The canary's code, compiled as if it were written in the kata's test module."""
    if canary.must_pass:
        return f"def {canary.name}():\n    assert len({canary.token!r}) == {len(canary.token)}\n"
    return f"def {canary.name}():\n    assert {canary.token!r} == '', {canary.token!r}\n"


def verdict(canaries: list[Canary], results: list, *, complete: bool = True) -> str | None:
    """Why the run cannot be trusted, or None. `results` are runner.TestResult objects of the kata's run.

    `complete`: the run ended normally (no crash, no timeout), so every canary must have reported.
    """
    by_name = {r.nodeid.rsplit("::", 1)[-1]: r for r in results}
    for canary in canaries:
        result = by_name.get(canary.name)
        if result is None:
            if complete:
                return "a control test the grader planted reported no result"
            continue
        if not canary.must_pass and result.outcome in ("passed", "skipped"):
            return (
                f"a control test that must fail was reported {result.outcome}: "
                "the test results were rewritten inside the test process"
            )
        if (
            complete
            and not canary.must_pass
            and result.outcome == "failed"
            and canary.token not in result.message
        ):
            return "a control test failed with a message the grader did not write"
    return None


def is_canary(nodeid: str, canaries: list[Canary]) -> bool:
    name = nodeid.rsplit("::", 1)[-1]
    return any(c.name == name for c in canaries)
