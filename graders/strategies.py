"""Hypothesis settings and strategies that kata tests share.

Kata tests are graded: the same examples must run on every machine and every run, fast enough for the
topic's timing budget. `kata_settings` gives Hypothesis that deterministic, bounded mode; the strategies
reach the edges where README rules matter (ties, empty and single-element inputs, missing values, huge and
non-finite numbers) instead of only "nice" data.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def kata_settings(max_examples: int = 60, **overrides) -> settings:
    """Deterministic, bounded Hypothesis settings for a kata test (same examples every run, no database)."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        **overrides,
    )
