"""Near miss: checks ranges with ~between(), which also counts missing values as out of range.

Reference solution for data_engineering/q09: data quality expectations, a report, and monitoring over runs."""

from __future__ import annotations

import numpy as np
import pandas as pd

STATUSES = {"new", "paid", "shipped", "cancelled"}
PSI_LIMIT = 0.2


class DataQualityError(ValueError):
    """A batch failed at least one expectation; the message names the failing checks."""


def psi(reference: pd.Series, batch: pd.Series, bins: int = 10) -> float:
    """Population stability index of `batch` against `reference`, on the reference's decile bins."""
    ref, new = reference.dropna().to_numpy(float), batch.dropna().to_numpy(float)
    # Edges from the *reference* distribution: each bin holds 10 % of it by construction.
    edges = np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1])
    ref_share = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=bins) / len(ref)
    new_share = np.bincount(np.searchsorted(edges, new, side="left"), minlength=bins) / max(len(new), 1)
    ref_share, new_share = np.clip(ref_share, 1e-6, None), np.clip(new_share, 1e-6, None)
    return float(np.sum((new_share - ref_share) * np.log(new_share / ref_share)))


def _check(name: str, passed: bool, details: str) -> dict:
    return {"name": name, "passed": bool(passed), "details": details}


def validate(batch: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """Run every expectation on `batch` (with `reference` as the known-good baseline); return the report."""
    checks = []
    n, n_ref = len(batch), len(reference)
    checks.append(
        _check(
            "row_count", 0.5 * n_ref <= n <= 2 * n_ref, f"{n} rows; expected {0.5 * n_ref:g}..{2 * n_ref:g}"
        )
    )
    for column in ("order_id", "customer_id", "amount"):
        nulls = int(batch[column].isna().sum())
        checks.append(_check(f"not_null:{column}", nulls == 0, f"{nulls} null values"))
    duplicates = int(batch["order_id"].dropna().duplicated().sum())
    checks.append(_check("unique:order_id", duplicates == 0, f"{duplicates} duplicated ids"))
    # Range and set checks look at the values that are there: missing values are not_null's business.
    for column, low, high in (("amount", 0, 10_000), ("quantity", 1, 100)):
        bad = int((~batch[column].between(low, high)).sum())
        checks.append(_check(f"range:{column}", bad == 0, f"{bad} values outside [{low}, {high}]"))
    unknown = sorted(set(batch["status"].dropna()) - STATUSES)
    checks.append(_check("allowed:status", not unknown, f"unexpected values {unknown}"))
    drift = psi(reference["amount"], batch["amount"])
    checks.append(_check("drift:amount", drift <= PSI_LIMIT, f"PSI {drift:.3f} (limit {PSI_LIMIT})"))
    return {"passed": all(c["passed"] for c in checks), "checks": checks}


def assert_quality(batch: pd.DataFrame, reference: pd.DataFrame) -> None:
    """Raise DataQualityError naming every failing check; return None for a clean batch."""
    report = validate(batch, reference)
    failed = [c for c in report["checks"] if not c["passed"]]
    if failed:
        raise DataQualityError("; ".join(f"{c['name']} failed: {c['details']}" for c in failed))


def monitor(
    state: dict | None, report: dict, run: str, thresholds: dict[str, int] | None = None
) -> tuple[dict, list[dict]]:
    """Add one run's report to the monitoring state; return (new state, the alert/resolved events of this run)."""
    thresholds = thresholds or {}
    state = state or {"runs": [], "streaks": {}, "firing": []}
    if any(entry["run"] == run for entry in state["runs"]):
        return state, []  # a retried task reports the same run again: it is not a new failure
    # A new state: the stored one stays as it was (a task that dies halfway can retry from it).
    streaks = dict(state["streaks"])
    firing = list(state["firing"])
    events = []
    for check in report["checks"]:
        name = check["name"]
        if not check["passed"]:
            streaks[name] = streaks.get(name, 0) + 1
            # == not >=: the alert fires once, on the run where the streak reaches the threshold.
            if streaks[name] == thresholds.get(name, 1):
                firing.append(name)
                events.append({"run": run, "check": name, "event": "alert"})
        else:
            streaks[name] = 0
            if name in firing:  # only a check that alerted gets a resolved event; short blips stay silent
                firing.remove(name)
                events.append({"run": run, "check": name, "event": "resolved"})
    entry = {
        "run": run,
        "passed": bool(report["passed"]),
        "failed": [c["name"] for c in report["checks"] if not c["passed"]],
    }
    # Plain JSON only (lists, not sets): the pipeline stores the state between runs.
    return {"runs": [*state["runs"], entry], "streaks": streaks, "firing": firing}, events
