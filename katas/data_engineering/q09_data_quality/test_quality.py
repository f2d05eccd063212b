"""Hidden-test style checks for data_engineering/q09: each corruption is caught by exactly the check it breaks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings

NAMES = [
    "row_count",
    "not_null:order_id",
    "not_null:customer_id",
    "not_null:amount",
    "unique:order_id",
    "range:amount",
    "range:quantity",
    "allowed:status",
    "drift:amount",
]


def make_orders(n: int, seed: int, shape: float = 2.0, scale: float = 50.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "order_id": pd.array(
                rng.permutation(np.arange(seed * 100_000, seed * 100_000 + n)), dtype="Int64"
            ),
            "customer_id": pd.array(rng.integers(1, 500, n), dtype="Int64"),
            "amount": rng.gamma(shape, scale, n).round(2),
            "quantity": pd.array(rng.integers(1, 10, n), dtype="Int64"),
            "status": rng.choice(sorted(["new", "paid", "shipped", "cancelled"]), n),
        }
    )


def reference_psi(ref: pd.Series, new: pd.Series, bins: int = 10) -> float:
    ref_v, new_v = ref.dropna().to_numpy(float), new.dropna().to_numpy(float)
    edges = np.quantile(ref_v, np.linspace(0, 1, bins + 1)[1:-1])
    r = np.clip(np.bincount(np.searchsorted(edges, ref_v), minlength=bins) / len(ref_v), 1e-6, None)
    b = np.clip(np.bincount(np.searchsorted(edges, new_v), minlength=bins) / len(new_v), 1e-6, None)
    return float(np.sum((b - r) * np.log(b / r)))


@pytest.fixture
def dq(kata):
    return kata.module("quality")


@pytest.fixture(scope="module")
def reference():
    return make_orders(5000, 1)


def failing(report: dict) -> set[str]:
    return {c["name"] for c in report["checks"] if not c["passed"]}


def check_report_shape(report) -> None:
    assert isinstance(report, dict) and set(report) == {"passed", "checks"}, f"report keys: {report!r:.200}"
    names = [c["name"] for c in report["checks"]]
    assert names == NAMES, f"checks should be, in this order, {NAMES}; got {names}"
    for c in report["checks"]:
        assert isinstance(c["passed"], bool) and isinstance(c["details"], str), f"check {c['name']}: {c}"
    assert report["passed"] is all(c["passed"] for c in report["checks"]), (
        "'passed' is True only if all checks pass"
    )


@pytest.mark.parametrize("seed", [2, 3])
def test_psi_matches_the_definition(dq, reference, seed):
    for batch in (make_orders(2000, seed), make_orders(1500, seed, shape=0.5, scale=200.0)):
        got = dq.psi(reference["amount"], batch["amount"])
        want = reference_psi(reference["amount"], batch["amount"])
        assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9), f"psi: {got} != {want}"


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_clean_batch_passes(dq, reference, seed):
    batch = make_orders(int(np.random.default_rng(seed).integers(2600, 9000)), seed)
    report = dq.validate(batch, reference)
    check_report_shape(report)
    assert failing(report) == set(), f"a clean batch failed {failing(report)}: {report['checks']}"
    assert dq.assert_quality(batch, reference) is None


def test_row_count_bounds_are_inclusive(dq, reference):
    n_ref = len(reference)
    for n, ok in [(n_ref // 2, True), (n_ref // 2 - 1, False), (2 * n_ref, True), (2 * n_ref + 1, False)]:
        report = dq.validate(make_orders(n, 7), reference)
        row_count = next(c for c in report["checks"] if c["name"] == "row_count")
        assert row_count["passed"] is ok, (
            f"{n} rows against a reference of {n_ref}: row_count passes when 0.5 * {n_ref} <= n <= 2 * {n_ref}, "
            f"so it should {'pass' if ok else 'fail'}: {row_count}"
        )


def corrupt(kind: str, batch: pd.DataFrame, rng) -> pd.DataFrame:
    batch = batch.copy()
    rows = rng.choice(len(batch), 7, replace=False)
    if kind == "row_count":
        return batch.head(900)
    if kind in ("not_null:order_id", "not_null:customer_id", "not_null:amount"):
        column = kind.split(":")[1]
        batch.loc[rows, column] = None if column == "amount" else pd.NA
    elif kind == "unique:order_id":
        batch.loc[rows[1:4], "order_id"] = batch.loc[rows[0], "order_id"]
    elif kind == "range:amount":
        batch.loc[rows[:2], "amount"] = -5.0
        batch.loc[rows[2], "amount"] = 10_000.01
    elif kind == "range:quantity":
        batch.loc[rows[:3], "quantity"] = 0
    elif kind == "allowed:status":
        batch.loc[rows[:2], "status"] = "refunded"
    elif kind == "drift:amount":
        batch["amount"] = make_orders(len(batch), 99, shape=0.5, scale=200.0)[
            "amount"
        ].to_numpy()  # same mean
    return batch


@pytest.mark.parametrize("kind", NAMES)
def test_each_corruption_is_caught_by_its_check(dq, reference, kind):
    rng = np.random.default_rng(NAMES.index(kind))
    batch = corrupt(kind, make_orders(3000, 5), rng)
    report = dq.validate(batch, reference)
    check_report_shape(report)
    assert failing(report) == {kind}, (
        f"corruption {kind!r}: failing checks {sorted(failing(report))}, expected [{kind}]"
    )
    with pytest.raises(dq.DataQualityError) as info:
        dq.assert_quality(batch, reference)
    assert kind in str(info.value), f"assert_quality's message should name {kind!r}: {info.value}"


def test_several_corruptions_are_all_reported(dq, reference):
    rng = np.random.default_rng(11)
    batch = corrupt("allowed:status", corrupt("unique:order_id", make_orders(3000, 6), rng), rng)
    batch.loc[5, "quantity"] = 101
    assert failing(dq.validate(batch, reference)) == {"unique:order_id", "allowed:status", "range:quantity"}


# --- monitoring over runs ----------------------------------------------------------------------------------------


def make_report(failed) -> dict:
    """A report shaped like validate's, with the checks of `failed` failing."""
    failed = set(failed)
    return {
        "passed": not failed,
        "checks": [
            {"name": n, "passed": n not in failed, "details": "x" if n in failed else ""} for n in NAMES
        ],
    }


def as_triples(events, where: str) -> list[tuple[str, str, str]]:
    assert isinstance(events, list), f"{where}: events should be a list, got {type(events).__name__}"
    triples = []
    for event in events:
        assert isinstance(event, dict) and {"run", "check", "event"} <= set(event), (
            f"{where}: each event is a dict with the keys run, check, event; got {event!r}"
        )
        triples.append((event["run"], event["check"], event["event"]))
    return triples


class Monitoring:
    """Drives dq.monitor like a pipeline: the state goes through JSON between runs, the input is never changed."""

    def __init__(self, dq, thresholds=None):
        self.dq, self.thresholds, self.state = dq, thresholds, None

    def step(self, run: str, report: dict) -> list[tuple[str, str, str]]:
        import copy
        import json

        before = copy.deepcopy(self.state)
        result = self.dq.monitor(self.state, report, run, self.thresholds)
        assert isinstance(result, tuple) and len(result) == 2, "monitor returns (new_state, events)"
        new_state, events = result
        assert self.state == before, (
            f"run {run}: monitor changed the state it was given; return a new one and leave the stored one as it was"
        )
        try:
            self.state = json.loads(json.dumps(new_state))
        except (TypeError, ValueError) as exc:
            pytest.fail(
                f"run {run}: the state must be plain JSON (dicts, lists, str, numbers, bool, None): {exc}"
            )
        assert isinstance(self.state, dict) and isinstance(self.state.get("runs"), list), (
            f"run {run}: the state should be a dict with a 'runs' list, got {new_state!r:.200}"
        )
        return as_triples(events, f"run {run}")


def reference_monitor(sequence, thresholds):
    """The events of each call of a (run, failed-set) sequence, and the expected history."""
    seen, streak, firing, out, history = set(), dict.fromkeys(NAMES, 0), set(), [], []
    for run, failed in sequence:
        if run in seen:
            out.append([])
            continue
        seen.add(run)
        events = []
        for name in NAMES:
            if name in failed:
                streak[name] += 1
                if streak[name] == (thresholds or {}).get(name, 1):
                    firing.add(name)
                    events.append((run, name, "alert"))
            else:
                streak[name] = 0
                if name in firing:
                    firing.discard(name)
                    events.append((run, name, "resolved"))
        out.append(events)
        history.append({"run": run, "passed": not failed, "failed": [n for n in NAMES if n in failed]})
    return out, history


def test_monitor_fires_once_at_the_threshold_and_resolves(dq):
    thresholds = {"drift:amount": 2, "row_count": 3}
    m = Monitoring(dq, thresholds)
    steps = [
        ("r1", {"drift:amount", "row_count", "not_null:order_id"}, [("r1", "not_null:order_id", "alert")]),
        (
            "r2",
            {"drift:amount", "row_count"},
            [("r2", "not_null:order_id", "resolved"), ("r2", "drift:amount", "alert")],
        ),
        ("r3", {"drift:amount"}, []),  # row_count's streak of 2 ends below its threshold of 3: silent
        ("r4", {"row_count"}, [("r4", "drift:amount", "resolved")]),
        ("r5", {"row_count"}, []),
        ("r6", {"row_count", "drift:amount"}, [("r6", "row_count", "alert")]),  # exactly 3 in a row
        ("r7", {"row_count", "drift:amount"}, [("r7", "drift:amount", "alert")]),  # no second row_count alert
        ("r8", set(), [("r8", "row_count", "resolved"), ("r8", "drift:amount", "resolved")]),
        ("r9", set(), []),
    ]
    for run, failed, expected in steps:
        got = m.step(run, make_report(failed))
        order = sorted(expected, key=lambda e: NAMES.index(e[1]))
        assert got == order, (
            f"run {run} (failing {sorted(failed)}, thresholds {thresholds}): events {got}, expected {order}"
        )
    runs = m.state["runs"]
    assert [r["run"] for r in runs] == [s[0] for s in steps], f"history runs: {[r.get('run') for r in runs]}"
    for entry, (run, failed, _) in zip(runs, steps, strict=True):
        want = {"run": run, "passed": not failed, "failed": [n for n in NAMES if n in failed]}
        assert {k: entry.get(k) for k in want} == want, f"history entry {entry}, expected {want}"


def test_monitor_a_retried_run_counts_once(dq):
    m = Monitoring(dq, {"unique:order_id": 2})
    assert m.step("2025-03-01", make_report({"unique:order_id"})) == []
    state = m.state
    assert m.step("2025-03-01", make_report({"unique:order_id"})) == [], (
        "the same run reported again (a retried task) is not a second failing run: no alert at threshold 2"
    )
    assert m.state == state, "a retried run must leave the state as it was"
    assert m.step("2025-03-02", make_report({"unique:order_id"})) == [
        ("2025-03-02", "unique:order_id", "alert")
    ]
    assert m.step("2025-03-02", make_report(set())) == [], "a retry of a run already recorded changes nothing"
    assert len(m.state["runs"]) == 2, f"the history holds each run once: {m.state['runs']}"
    assert m.step("2025-03-03", make_report(set())) == [("2025-03-03", "unique:order_id", "resolved")]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_monitor_seeded_sequences(dq, seed):
    rng = np.random.default_rng(seed)
    thresholds = {name: int(rng.integers(1, 5)) for name in rng.choice(NAMES, 5, replace=False)}
    failing, sequence = set(), []
    for day in range(60):
        for name in NAMES:  # failures persist for a while, as real ones do
            if rng.random() < (0.55 if name in failing else 0.15):
                failing.add(name)
            else:
                failing.discard(name)
        sequence.append((f"run-{day:03d}", set(failing)))
        if rng.random() < 0.15:  # a retry reports the same run again, with whatever it found this time
            sequence.append(
                (f"run-{day:03d}", set(rng.choice(NAMES, int(rng.integers(0, 3)), replace=False)))
            )
    expected, history = reference_monitor(sequence, thresholds)
    m = Monitoring(dq, thresholds)
    for (run, failed), want in zip(sequence, expected, strict=True):
        got = m.step(run, make_report(failed))
        assert got == want, (
            f"seed {seed}, run {run} (failing {sorted(failed)}, thresholds {thresholds}): {got} != {want}"
        )
    got_history = [{k: e.get(k) for k in ("run", "passed", "failed")} for e in m.state["runs"]]
    assert got_history == history, f"seed {seed}: the history differs from the runs recorded"


def test_monitor_default_threshold_is_one(dq):
    m = Monitoring(dq, None)
    assert m.step("a", make_report({"range:amount"})) == [("a", "range:amount", "alert")]
    assert m.step("b", make_report({"range:amount"})) == []
    assert m.step("c", make_report(set())) == [("c", "range:amount", "resolved")]


def test_monitor_on_validated_batches(dq, reference):
    m = Monitoring(dq, {"drift:amount": 2})
    clean = make_orders(3000, 5)
    drifted = corrupt("drift:amount", clean, np.random.default_rng(0))
    days = [("d1", clean), ("d2", drifted), ("d3", drifted), ("d4", drifted), ("d5", clean)]
    got = [m.step(day, dq.validate(batch, reference)) for day, batch in days]
    assert got == [[], [], [("d3", "drift:amount", "alert")], [], [("d5", "drift:amount", "resolved")]], got


@kata_settings(max_examples=80)
@given(
    outcomes=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=25),
    threshold=st.integers(1, 4),
)
def test_monitor_property_one_alert_per_long_enough_streak(dq, outcomes, threshold):
    """For one check: alerts = failing streaks of at least `threshold` runs; each ended by a pass resolves once."""
    name = "allowed:status"
    m = Monitoring(dq, {name: threshold})
    events, distinct = [], []
    for i, (failed, retry) in enumerate(outcomes):
        events += m.step(f"run{i}", make_report({name} if failed else set()))
        distinct.append(failed)
        if retry:  # a retry of the same run, with the opposite outcome: ignored
            assert m.step(f"run{i}", make_report(set() if failed else {name})) == []
    streaks, length = [], 0
    for i, failed in enumerate([*distinct, False]):
        if failed:
            length += 1
        elif length:
            streaks.append((i - length, length, i < len(distinct)))
            length = 0
    want = []
    for start, length, ended in streaks:
        if length >= threshold:
            want.append((f"run{start + threshold - 1}", name, "alert"))
            if ended:
                want.append((f"run{start + length}", name, "resolved"))
    assert events == want, f"outcomes {distinct}, threshold {threshold}: events {events}, expected {want}"
