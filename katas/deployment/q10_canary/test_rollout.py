"""Hidden-test style checks for deployment/q10: sticky weighted canary routing, automatic rollback, and an
atomic blue-green switch."""

import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings

USERS = [f"user-{i}" for i in range(10_000)]


class Tagged:
    """A model version that answers with its own name; optionally fails on the given call numbers."""

    def __init__(self, name, fail_on=()):
        self.name, self.fail_on, self.calls = name, set(fail_on), 0
        self._lock = threading.Lock()

    def predict(self, rows):
        with self._lock:
            self.calls += 1
            call = self.calls
        if call in self.fail_on:
            raise RuntimeError(f"{self.name} failed")
        return [self.name for _ in rows]


@pytest.fixture
def rollout(kata):
    return kata.module("rollout")


def _router(rollout, weight, **options):
    return rollout.CanaryRouter(Tagged("stable"), Tagged("canary"), weight=weight, **options)


@pytest.mark.parametrize("weight", [0.05, 0.1, 0.25, 0.5])
def test_split_within_tolerance_over_10k_users(rollout, weight):
    router = _router(rollout, weight)
    share = sum(router.route(u) == "canary" for u in USERS) / len(USERS)
    assert abs(share - weight) <= 0.02, f"weight {weight}: {share:.3f} of 10,000 users went to the canary"


def test_weights_zero_and_one(rollout):
    assert all(_router(rollout, 0.0).route(u) == "stable" for u in USERS[:2000])
    assert all(_router(rollout, 1.0).route(u) == "canary" for u in USERS[:2000])
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError):
            _router(rollout, bad)
    router = _router(rollout, 0.2)
    for bad in (-0.01, 1.01):
        with pytest.raises(ValueError, match=r".+"):
            router.set_weight(bad)
    assert sum(router.route(u) == "canary" for u in USERS[:2000]) / 2000 == pytest.approx(0.2, abs=0.04), (
        "a refused set_weight leaves the weight as it was"
    )


def test_routing_is_sticky(rollout):
    first = _router(rollout, 0.3)
    again = _router(rollout, 0.3)
    routes = [first.route(u) for u in USERS[:3000]]
    assert routes == [first.route(u) for u in USERS[:3000]], "the same user must always get the same version"
    assert routes == [again.route(u) for u in USERS[:3000]], "two routers with the same salt must agree"


def test_routing_is_the_same_in_another_process(rollout, kata):
    users = USERS[:500]
    mine = [_router(rollout, 0.5).route(u) for u in users]
    script = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('rollout_copy', sys.argv[1])\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "class M:\n    def predict(self, rows): return [0]\n"
        "r = m.CanaryRouter(M(), M(), weight=0.5)\n"
        "print(json.dumps([r.route(f'user-{i}') for i in range(500)]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(kata.path("rollout.py"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-1000:]
    theirs = json.loads(done.stdout)
    agree = np.mean([a == b for a, b in zip(mine, theirs, strict=True)])
    assert agree == 1.0, (
        f"another process (another replica) routes {1 - agree:.0%} of users differently: built-in hash() is "
        "randomised per process; derive the bucket from a cryptographic hash such as hashlib.sha256"
    )


def test_raising_the_weight_only_adds_users(rollout):
    router = _router(rollout, 0.1)
    before = {u for u in USERS if router.route(u) == "canary"}
    router.set_weight(0.3)
    after = {u for u in USERS if router.route(u) == "canary"}
    assert before <= after, f"{len(before - after)} canary users went back to stable when the weight grew"


_WEIGHT = st.floats(min_value=0.0, max_value=1.0)


@kata_settings(max_examples=25)
@given(first=_WEIGHT, second=_WEIGHT)
@example(first=0.0, second=0.0)
@example(first=0.25, second=0.25)
@example(first=0.0001, second=0.9999)
@example(first=0.5, second=1.0)
def test_any_weight_change_moves_users_one_way_only(rollout, first, second):
    """Ramping from one weight to another (ties and the ends 0 and 1 included) only adds canary users, or
    only removes them when the weight goes down; weight 0 sends nobody, weight 1 everybody."""
    low, high = sorted((first, second))
    router = _router(rollout, low)
    at_low = {u for u in USERS[:1500] if router.route(u) == "canary"}
    router.set_weight(high)
    at_high = {u for u in USERS[:1500] if router.route(u) == "canary"}
    assert at_low <= at_high, (
        f"{len(at_low - at_high)} users in the canary at weight {low} are stable at weight {high}"
    )
    for weight, users in ((low, at_low), (high, at_high)):
        if weight == 0.0:
            assert not users, f"weight 0 sends nobody to the canary; {len(users)} users went there"
        if weight == 1.0:
            assert len(users) == 1500, (
                f"weight 1 sends everybody to the canary; {1500 - len(users)} did not go"
            )


def test_the_salt_reshuffles_users(rollout):
    a = _router(rollout, 0.5, salt="experiment-a")
    b = _router(rollout, 0.5, salt="experiment-b")
    agree = np.mean([a.route(u) == b.route(u) for u in USERS[:4000]])
    assert 0.45 < agree < 0.55, f"different salts should split users independently; they agree on {agree:.0%}"


def test_predict_serves_the_routed_version(rollout):
    router = _router(rollout, 0.2)
    for user in USERS[:300]:
        version, answer = router.predict(user, [1.0, 2.0, 3.0, 4.0])
        assert version == router.route(user) and answer == version, f"{user}: got {(version, answer)}"


def test_a_failing_canary_is_rolled_back(rollout):
    rng = np.random.default_rng(8)
    failing = Tagged("canary", fail_on={int(c) for c in rng.choice(np.arange(1, 2000), 200, replace=False)})
    router = rollout.CanaryRouter(
        Tagged("stable"), failing, weight=0.5, error_threshold=0.05, min_requests=100
    )
    answers = [router.predict(u, [0.0] * 4) for u in USERS[:2000]]
    assert router.rolled_back, (
        f"a canary failing ~10 % of requests must be rolled back (error rate {router.error_rate:.3f})"
    )
    assert failing.calls < 400, (
        f"the rollback should happen soon after 100 canary requests, not after {failing.calls}"
    )
    assert all(answer == version for version, answer in answers), "every request still gets an answer"
    assert all(router.route(u) == "stable" for u in USERS[:2000]), "after a rollback everyone gets stable"
    assert router.predict(USERS[0], [0.0] * 4)[0] == "stable"


def test_a_failed_canary_request_falls_back_to_stable(rollout):
    router = rollout.CanaryRouter(
        Tagged("stable"), Tagged("canary", fail_on={1}), weight=1.0, min_requests=100
    )
    assert router.predict("someone", [0.0] * 4) == ("stable", "stable"), "the user gets the stable answer"
    assert router.error_rate == 1.0 and not router.rolled_back, (
        "one error in one request is not enough evidence"
    )


def test_a_healthy_canary_with_an_early_error_stays(rollout):
    router = rollout.CanaryRouter(
        Tagged("stable"), Tagged("canary", fail_on={2, 9}), weight=1.0, min_requests=100
    )
    for user in USERS[:500]:
        router.predict(user, [0.0] * 4)
    assert not router.rolled_back, (
        f"2 errors in 500 requests ({router.error_rate:.1%}) is below the 5 % threshold"
    )
    assert abs(router.error_rate - 2 / 500) < 1e-9


def test_rollback_happens_at_exactly_min_requests(rollout):
    # 2 errors up front: 2/49 is above the 2 % threshold, but only the 50th request brings enough evidence.
    router = rollout.CanaryRouter(
        Tagged("stable"), Tagged("canary", fail_on={1, 2}), weight=1.0, error_threshold=0.02, min_requests=50
    )
    for user in USERS[:49]:
        router.predict(user, [0.0] * 4)
    assert not router.rolled_back, "49 canary requests are fewer than min_requests=50: no rollback yet"
    router.predict(USERS[49], [0.0] * 4)
    assert router.rolled_back, (
        f"after the 50th canary request (min_requests=50) the error rate {router.error_rate:.3f} is above 0.02: "
        "roll back when canary requests >= min_requests"
    )


def test_the_defaults_judge_100_requests_against_5_percent(rollout):
    # With the defaults (error_threshold=0.05, min_requests=100): 6 errors up front roll back at the 100th
    # request (6 % > 5 %), not before; 5 errors in 100 (exactly 5 %) never do.
    six = rollout.CanaryRouter(Tagged("stable"), Tagged("canary", fail_on=range(1, 7)), weight=1.0)
    for user in USERS[:99]:
        six.predict(user, [0.0] * 4)
    assert not six.rolled_back, (
        "99 canary requests are fewer than the default min_requests=100: no rollback yet"
    )
    six.predict(USERS[99], [0.0] * 4)
    assert six.rolled_back, (
        f"after 100 canary requests (the default min_requests) the error rate {six.error_rate:.3f} is above the "
        "default threshold 0.05: roll back"
    )
    five = rollout.CanaryRouter(Tagged("stable"), Tagged("canary", fail_on=range(1, 6)), weight=1.0)
    for user in USERS[:100]:
        five.predict(user, [0.0] * 4)
    assert not five.rolled_back, (
        "5 errors in 100 is exactly the default 5 % threshold, not above it: no rollback"
    )


def test_an_error_rate_equal_to_the_threshold_is_not_a_rollback(rollout):
    # 2 errors in 20 requests is exactly the 10 % threshold: only a rate above it rolls back.
    router = rollout.CanaryRouter(
        Tagged("stable"), Tagged("canary", fail_on={1, 2}), weight=1.0, error_threshold=0.1, min_requests=20
    )
    for user in USERS[:20]:
        router.predict(user, [0.0] * 4)
    assert router.error_rate == pytest.approx(0.1)
    assert not router.rolled_back, "an error rate equal to error_threshold is not above it: no rollback"


def test_blue_green_deploy_switch_rollback(rollout):
    bg = rollout.BlueGreen(Tagged("v1"), Tagged("v1-standby"), live="blue")
    assert (bg.live, bg.idle) == ("blue", "green")
    assert bg.predict([0.0] * 4) == ("blue", "v1")
    bg.deploy(Tagged("v2"))
    assert bg.predict([0.0] * 4) == ("blue", "v1"), "deploy goes to the idle slot: live traffic is untouched"
    assert bg.switch() == "green" and bg.live == "green"
    assert bg.predict([0.0] * 4) == ("green", "v2")
    assert bg.rollback() == "blue" and bg.predict([0.0] * 4) == ("blue", "v1")


def test_switch_refuses_an_unhealthy_slot(rollout):
    bg = rollout.BlueGreen(Tagged("v1"), Tagged("v1"), live="blue")
    bg.deploy(Tagged("broken"))
    with pytest.raises(RuntimeError):
        bg.switch(health_check=lambda model: model.predict([[0.0] * 4])[0] != "broken")
    assert bg.live == "blue" and bg.predict([0.0] * 4) == ("blue", "v1"), (
        "a failed health check changes nothing"
    )
    bg.deploy(Tagged("v2"))
    assert bg.switch(health_check=lambda model: True) == "green"


def test_switch_under_concurrent_traffic(rollout):
    bg = rollout.BlueGreen(Tagged("blue"), Tagged("green"), live="blue")
    stop = threading.Event()
    mismatches, served = [], []

    def traffic():
        while not stop.is_set():
            color, answer = bg.predict([0.0] * 4)
            served.append(color)
            if color != answer:
                mismatches.append((color, answer))

    workers = [threading.Thread(target=traffic) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        for _ in range(200):
            bg.switch()
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
    assert not mismatches, f"{len(mismatches)} requests mixed two versions, e.g. {mismatches[:3]}"
    assert served and bg.live == "blue", "200 switches end where they started"
    assert [bg.predict([0.0] * 4)[0] for _ in range(5)] == ["blue"] * 5
