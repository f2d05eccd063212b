"""Hidden-test style checks for python_pandas/q04: transaction, temp_env and timer."""

import os
import random
import sqlite3
import time

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.strategies import kata_settings, texts


@pytest.fixture
def ctx(kata):
    return kata.module("contexts")


class Boom(Exception):
    """Raised inside the blocks under test."""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "bank.db"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER)")
    setup.execute("INSERT INTO accounts VALUES ('bob', 100)")
    setup.commit()
    setup.close()
    conn, observer = sqlite3.connect(path, timeout=1), sqlite3.connect(path, timeout=1)
    yield conn, observer
    conn.close()
    observer.close()


def rows(conn):
    return conn.execute("SELECT name, balance FROM accounts ORDER BY name").fetchall()


def test_transaction_commits_on_success(ctx, db):
    conn, observer = db
    with ctx.transaction(conn) as c:
        assert c is conn, "the `with` value should be the connection itself"
        c.execute("INSERT INTO accounts VALUES ('ada', 100)")
        c.execute("UPDATE accounts SET balance = balance - 30 WHERE name = 'bob'")
    assert rows(observer) == [("ada", 100), ("bob", 70)], (
        "another connection should see the committed changes"
    )
    assert not conn.in_transaction, "the transaction should be finished (committed) after the block"


def test_transaction_rolls_back_and_reraises(ctx, db):
    conn, observer = db
    with pytest.raises(Boom, match="half-way"), ctx.transaction(conn):
        conn.execute("INSERT INTO accounts VALUES ('ada', 100)")
        raise Boom("half-way")
    assert rows(conn) == [("bob", 100)], "after an error the block's changes must be rolled back"
    assert not conn.in_transaction, "after the rollback no transaction should be open"
    assert rows(observer) == [("bob", 100)], "nothing of the failed block may be committed"
    with ctx.transaction(conn):  # the connection is still usable, and the next block commits alone
        conn.execute("INSERT INTO accounts VALUES ('cy', 5)")
    assert rows(observer) == [("bob", 100), ("cy", 5)]


def test_transaction_database_errors_propagate(ctx, db):
    conn, observer = db
    with pytest.raises(sqlite3.IntegrityError), ctx.transaction(conn):
        conn.execute("INSERT INTO accounts VALUES ('dee', 1)")
        conn.execute("INSERT INTO accounts VALUES ('bob', 1)")  # duplicate primary key
    assert rows(observer) == [("bob", 100)] and rows(conn) == [("bob", 100)], (
        "the first insert must be rolled back"
    )


def test_transaction_rolls_back_on_keyboard_interrupt(ctx, db):
    conn, observer = db
    with pytest.raises(KeyboardInterrupt), ctx.transaction(conn):
        conn.execute("INSERT INTO accounts VALUES ('ada', 100)")
        raise KeyboardInterrupt  # Ctrl-C half-way: not an Exception, but the block still raised
    assert not conn.in_transaction, (
        "after a KeyboardInterrupt in the block the transaction should be rolled back (catch BaseException, "
        "or use try/except/else), not left open"
    )
    assert rows(conn) == [("bob", 100)] and rows(observer) == [("bob", 100)], (
        "nothing of the block may remain"
    )


PREFIX = "KATA_Q04_"


def _env():
    """The environment, less the variable pytest itself updates between set-up and call."""
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}


@pytest.fixture
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.setenv(PREFIX + "HOME", "/home/ada")
    monkeypatch.setenv(PREFIX + "DEBUG", "1")
    return _env()


def test_temp_env_sets_and_restores(ctx, clean_env):
    with ctx.temp_env(KATA_Q04_HOME="/tmp/x", KATA_Q04_NEW="fresh", KATA_Q04_DEBUG=None):
        assert os.environ.get(PREFIX + "HOME") == "/tmp/x"
        assert os.environ.get(PREFIX + "NEW") == "fresh"
        assert PREFIX + "DEBUG" not in os.environ, "a None value unsets the variable inside the block"
    assert _env() == clean_env, _diff(clean_env)
    assert PREFIX + "NEW" not in os.environ, (
        "a variable that did not exist before must be removed, not set to ''"
    )


def test_temp_env_restores_on_exceptions(ctx, clean_env):
    with (
        pytest.raises(Boom),
        ctx.temp_env(KATA_Q04_HOME="/elsewhere", KATA_Q04_NEW="fresh", KATA_Q04_DEBUG=None),
    ):
        raise Boom()
    assert _env() == clean_env, _diff(clean_env)


def test_temp_env_random_plans(ctx, clean_env):
    rng = random.Random(40)
    for _ in range(30):
        names = rng.sample([PREFIX + s for s in ("HOME", "DEBUG", "A", "B", "C")], rng.randint(1, 5))
        plan = {name: rng.choice([None, "", "v1", "v2"]) for name in names}
        fail = rng.random() < 0.5
        try:
            with ctx.temp_env(**plan):
                for name, value in plan.items():
                    assert os.environ.get(name) == value, (
                        f"inside temp_env(**{plan}): {name}={os.environ.get(name)!r}"
                    )
                if fail:
                    raise Boom()
        except Boom:
            pass
        assert _env() == clean_env, f"after temp_env(**{plan}) (raised: {fail}): " + _diff(clean_env)


def _diff(expected):
    now = _env()
    changed = {
        k: (expected.get(k), now.get(k)) for k in set(expected) | set(now) if expected.get(k) != now.get(k)
    }
    return f"the environment was not restored: (before, after) = {changed}"


def test_timer_measures_the_block(ctx):
    with ctx.timer() as t:
        assert t.elapsed is None, "elapsed should be None while the block runs"
        time.sleep(0.03)
    assert isinstance(t.elapsed, float) and 0.025 <= t.elapsed < 2.0, (
        f"a 0.03 s block was timed at {t.elapsed!r}"
    )


def test_timer_on_exceptions(ctx):
    with pytest.raises(Boom), ctx.timer() as t:
        time.sleep(0.01)
        raise Boom()
    assert isinstance(t.elapsed, float) and t.elapsed >= 0.008, (
        f"elapsed must be set even when the block raises: {t.elapsed!r}"
    )


NAMES = [PREFIX + s for s in ("HOME", "DEBUG", "A", "B")]
VALUES = hs.one_of(hs.none(), hs.just(""), texts(0, 8, exclude="\x00"))


@kata_settings(max_examples=60)
@given(plan=hs.dictionaries(hs.sampled_from(NAMES), VALUES, min_size=1), fail=hs.booleans())
def test_temp_env_properties(ctx, clean_env, plan, fail):
    """Empty strings, unicode, whitespace and '=' in values; None unsets; every exit restores."""
    try:
        with ctx.temp_env(**plan):
            for name, value in plan.items():
                assert os.environ.get(name) == value, (
                    f"inside temp_env(**{plan}): {name}={os.environ.get(name)!r}, expected {value!r}"
                    + (" ('' is a value: set it, only None unsets)" if value == "" else "")
                )
            if fail:
                raise Boom()
    except Boom:
        pass
    assert _env() == clean_env, f"after temp_env(**{plan}) (raised: {fail}): " + _diff(clean_env)
