"""Hidden-test style checks for sql/q10: read phenomena per isolation level, a real 40001 and its retry."""

import psycopg
import pytest


@pytest.fixture
def isolation(kata):
    return kata.module("isolation")


@pytest.fixture
def accounts(admin):
    admin.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)")
    admin.execute("INSERT INTO accounts VALUES (1, 1000), (2, 5000)")
    return admin


def balance(admin, account_id=1):
    return admin.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,)).fetchone()[0]


def test_read_committed_shows_a_non_repeatable_read(isolation, postgres_url, accounts):
    got = isolation.read_twice(postgres_url, "READ COMMITTED", 1, 70)
    assert tuple(got) == (1000, 1070), (
        f"READ COMMITTED: expected the second read to see the commit, got {got}"
    )
    assert balance(accounts) == 1070, "the other connection's change must be committed"


def test_repeatable_read_reads_the_same_twice(isolation, postgres_url, accounts):
    got = isolation.read_twice(postgres_url, "REPEATABLE READ", 2, -300)
    assert tuple(got) == (5000, 5000), f"REPEATABLE READ: both reads must see the first snapshot, got {got}"
    assert balance(accounts, 2) == 4700, "the other connection's change must be committed"
    assert balance(accounts, 1) == 1000


def test_unknown_isolation_level(isolation, postgres_url, accounts):
    with pytest.raises(ValueError):
        isolation.read_twice(postgres_url, "READ SOMETIMES", 1, 1)


def test_add_bonus_without_interference(isolation, postgres_url, accounts):
    assert isolation.add_bonus(postgres_url, 1, 50) == 1
    assert balance(accounts) == 1050


def test_add_bonus_retries_after_a_real_serialization_failure(isolation, postgres_url, accounts):
    seen = []

    def meddle(attempt):
        seen.append(attempt)
        if attempt == 1:  # a concurrent transaction commits a change after the learner's read
            accounts.execute("UPDATE accounts SET balance = balance + 100 WHERE id = 1")

    attempts = isolation.add_bonus(postgres_url, 1, 50, on_attempt=meddle)
    final = balance(accounts)
    assert final == 1150, f"balance {final}, expected 1000 + 100 (concurrent) + 50 (bonus) = 1150: " + (
        "the concurrent update was lost (READ COMMITTED read-modify-write?)" if final == 1050 else ""
    )
    assert seen == [1, 2], f"on_attempt was called with {seen}: expected a failed attempt 1 and a retry 2"
    assert attempts == 2, f"add_bonus returned {attempts}, expected 2"


def test_add_bonus_gives_up_after_max_attempts(isolation, postgres_url, accounts):
    seen = []

    def always_meddle(attempt):
        seen.append(attempt)
        accounts.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2")

    with pytest.raises(psycopg.errors.SerializationFailure):
        isolation.add_bonus(postgres_url, 2, 10, on_attempt=always_meddle, max_attempts=3)
    assert seen == [1, 2, 3], f"attempts made: {seen}, expected [1, 2, 3]"
    assert balance(accounts, 2) == 5003, "no bonus may be applied when every attempt failed"


def test_other_errors_are_not_retried(isolation, postgres_url, accounts):
    seen = []

    def broken(attempt):
        seen.append(attempt)
        raise KeyError("not a serialization failure")

    with pytest.raises(KeyError):
        isolation.add_bonus(postgres_url, 1, 50, on_attempt=broken)
    assert seen == [1], f"only serialization failures may be retried; attempts made: {seen}"
    assert balance(accounts) == 1000
