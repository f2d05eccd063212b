"""Hidden-test style checks for data_engineering/q09: each corruption is caught by exactly the check it breaks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

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
