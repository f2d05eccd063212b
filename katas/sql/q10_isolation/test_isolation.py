"""Hidden-test style checks for sql/q10: what each isolation level lets a transaction see, with two real
connections; a real 40001 after a lost update (REPEATABLE READ) and after write skew (SERIALIZABLE), and the retry.

Every interleaving is explicit: your functions order their own two connections, and the concurrent transaction of
the retry tests runs inside your transaction through `on_attempt`. No sleeps, no luck.
"""

import psycopg
import pytest

LEVELS = ["READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"]
SNAPSHOT_PER_STATEMENT = {
    "READ UNCOMMITTED",
    "READ COMMITTED",
}  # PostgreSQL runs READ UNCOMMITTED as READ COMMITTED
BALANCES = {1: 1000, 2: 5000, 3: 250, 4: 1000}
DOCTORS = [
    (1, "night", True),
    (2, "night", True),
    (3, "night", False),
    (4, "day", True),
    (5, "evening", True),
    (6, "evening", False),
]


@pytest.fixture
def isolation(kata):
    return kata.module("isolation")


@pytest.fixture
def accounts(admin):
    admin.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)")
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO accounts VALUES (%s, %s)", list(BALANCES.items()))
    return admin


@pytest.fixture
def doctors(admin):
    admin.execute("CREATE TABLE doctors (id int PRIMARY KEY, shift text NOT NULL, on_call boolean NOT NULL)")
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO doctors VALUES (%s, %s, %s)", DOCTORS)
    return admin


def balance(admin, account_id=1):
    return admin.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,)).fetchone()[0]


def all_balances(admin):
    return dict(admin.execute("SELECT id, balance FROM accounts ORDER BY id").fetchall())


def on_call(admin):
    return {i for (i,) in admin.execute("SELECT id FROM doctors WHERE on_call ORDER BY id").fetchall()}


def take_off_elsewhere(postgres_url, doctor_id):
    """A whole SERIALIZABLE transaction on another connection: it reads the doctors, takes one off call, commits."""
    with psycopg.connect(postgres_url) as other:
        other.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
        other.execute("SELECT id, shift, on_call FROM doctors").fetchall()
        other.execute("UPDATE doctors SET on_call = false WHERE id = %s", (doctor_id,))
        other.commit()


# --- levels: names --------------------------------------------------------------------------------------------


def test_unknown_isolation_level(isolation, postgres_url, accounts, doctors):
    for bad in ("READ SOMETIMES", "SNAPSHOT"):
        with pytest.raises(ValueError):
            isolation.read_twice(postgres_url, bad, 1, 1)
        with pytest.raises(ValueError):
            isolation.dirty_read(postgres_url, bad, 1, 1)
        with pytest.raises(ValueError):
            isolation.count_twice(postgres_url, bad, 1000, 10, 1000)
        with pytest.raises(ValueError):
            isolation.go_off_call(postgres_url, bad, 1)
    assert all_balances(accounts) == BALANCES, "an unknown level must change nothing"
    assert on_call(doctors) == {1, 2, 4, 5}, "an unknown level must change nothing"


# --- read phenomena, as PostgreSQL has them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "account", "delta"), zip(LEVELS, [1, 2, 3, 4], [70, -300, 5, 123], strict=True)
)
def test_non_repeatable_read(isolation, postgres_url, accounts, level, account, delta):
    got = isolation.read_twice(postgres_url, level, account, delta)
    start = BALANCES[account]
    want = (start, start + delta) if level in SNAPSHOT_PER_STATEMENT else (start, start)
    assert tuple(got) == want, f"{level}: read_twice gave {got}, expected {want} " + (
        "(each statement takes a fresh snapshot: the second read sees the commit)"
        if level in SNAPSHOT_PER_STATEMENT
        else "(one snapshot for the whole transaction: both reads agree)"
    )
    assert balance(accounts, account) == start + delta, "the other connection's change must be committed"
    assert all_balances(accounts) == BALANCES | {account: start + delta}, "only that account may change"


@pytest.mark.parametrize("level", LEVELS)
def test_no_dirty_read_at_any_level(isolation, postgres_url, accounts, level):
    got = isolation.dirty_read(postgres_url, level, 2, 777)
    assert got == 5000, (
        f"{level}: the reader saw {got} while the other transaction's +777 was not committed; PostgreSQL never "
        "shows uncommitted data, not even at READ UNCOMMITTED: expected 5000"
    )
    assert all_balances(accounts) == BALANCES, "the uncommitted change must be rolled back, not committed"


@pytest.mark.parametrize("level", LEVELS)
def test_phantom_read(isolation, postgres_url, accounts, level):
    # Balances >= 1000 before: accounts 1, 2 and 4 (two of them exactly at 1000). The new row sits exactly at 1000.
    got = isolation.count_twice(postgres_url, level, 1000, 10, 1000)
    want = (3, 4) if level in SNAPSHOT_PER_STATEMENT else (3, 3)
    assert tuple(got) == want, f"{level}: count_twice gave {got}, expected {want} " + (
        "(the second count sees the committed insert: a phantom)"
        if level in SNAPSHOT_PER_STATEMENT
        else "(REPEATABLE READ in PostgreSQL is a snapshot: no phantom, unlike the SQL standard's minimum)"
    )
    assert balance(accounts, 10) == 1000, "the other connection's insert must be committed"


def test_phantom_read_below_the_threshold(isolation, postgres_url, accounts):
    got = isolation.count_twice(postgres_url, "READ COMMITTED", 1001, 11, 1000)
    assert tuple(got) == (1, 1), (
        f"count of balances >= 1001, with a new row at 1000: got {got}, expected (1, 1)"
    )
    assert balance(accounts, 11) == 1000


# --- lost update: REPEATABLE READ refuses it with 40001, the retry succeeds -----------------------------------


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


def test_add_bonus_gives_up_after_five_attempts_by_default(isolation, postgres_url, accounts):
    seen = []

    def always_meddle(attempt):
        seen.append(attempt)
        accounts.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2")

    with pytest.raises(psycopg.errors.SerializationFailure):
        isolation.add_bonus(postgres_url, 2, 10, on_attempt=always_meddle)
    assert seen == [1, 2, 3, 4, 5], f"attempts made: {seen}, expected the default max_attempts = 5"
    assert balance(accounts, 2) == 5005, "no bonus may be applied when every attempt failed"


def test_add_bonus_retries_a_failed_commit(isolation, postgres_url, accounts):
    # A deferred constraint trigger writes an audit row at COMMIT. On attempt 1 another transaction changes that
    # row after the snapshot was taken, so the COMMIT itself (not a statement) fails with 40001.
    accounts.execute("CREATE TABLE audit (id int PRIMARY KEY, n int NOT NULL)")
    accounts.execute("INSERT INTO audit VALUES (1, 0)")
    accounts.execute(
        "CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN UPDATE audit SET n = n + 1 WHERE id = 1; RETURN NULL; END $$"
    )
    accounts.execute(
        "CREATE CONSTRAINT TRIGGER audit_at_commit AFTER UPDATE ON accounts DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION audit_change()"
    )
    seen = []

    def meddle(attempt):
        seen.append(attempt)
        if attempt == 1:
            accounts.execute("UPDATE audit SET n = n + 100 WHERE id = 1")

    try:
        attempts = isolation.add_bonus(postgres_url, 1, 50, on_attempt=meddle)
    except psycopg.errors.SerializationFailure as exc:
        raise AssertionError(
            f"add_bonus let a serialization failure of the COMMIT escape after attempts {seen}: a failed commit "
            f"must be retried like a failed statement (commit inside the retry loop) — {exc}"
        ) from exc
    assert seen == [1, 2], (
        f"on_attempt was called with {seen}: expected a failed commit on attempt 1, a retry 2"
    )
    assert attempts == 2, f"add_bonus returned {attempts}, expected 2"
    assert balance(accounts) == 1050
    audit = accounts.execute("SELECT n FROM audit WHERE id = 1").fetchone()[0]
    assert audit == 101, f"audit count {audit}, expected 100 (concurrent) + 1 (the committed attempt)"


def test_other_errors_are_not_retried(isolation, postgres_url, accounts):
    seen = []

    def broken(attempt):
        seen.append(attempt)
        raise KeyError("not a serialization failure")

    with pytest.raises(KeyError):
        isolation.add_bonus(postgres_url, 1, 50, on_attempt=broken)
    assert seen == [1], f"only serialization failures may be retried; attempts made: {seen}"
    assert balance(accounts) == 1000


# --- write skew: REPEATABLE READ allows it, SERIALIZABLE refuses it with 40001 --------------------------------


@pytest.mark.parametrize("level", ["REPEATABLE READ", "SERIALIZABLE"])
def test_go_off_call_rules(isolation, postgres_url, doctors, level):
    assert isolation.go_off_call(postgres_url, level, 5) is False, (
        "doctor 5 is the only one on call in the evening"
    )
    assert isolation.go_off_call(postgres_url, level, 6) is False, "doctor 6 is not on call"
    assert isolation.go_off_call(postgres_url, level, 4) is False, (
        "doctor 4 is the only one on call in the day"
    )
    assert on_call(doctors) == {1, 2, 4, 5}, "a refusal must change nothing"
    assert isolation.go_off_call(postgres_url, level, 1) is True, "doctor 2 stays on call at night: 1 may go"
    assert on_call(doctors) == {2, 4, 5}
    assert isolation.go_off_call(postgres_url, level, 2) is False, "doctor 2 is now the last one at night"
    assert on_call(doctors) == {2, 4, 5}


def test_repeatable_read_allows_write_skew(isolation, postgres_url, doctors):
    seen = []

    def meddle(attempt):
        seen.append(attempt)
        if attempt == 1:  # after doctor 1's check, doctor 2 goes off call in a concurrent transaction
            take_off_elsewhere(postgres_url, 2)

    got = isolation.go_off_call(postgres_url, "REPEATABLE READ", 1, on_attempt=meddle)
    assert got is True and seen == [1], (
        f"REPEATABLE READ: go_off_call returned {got} after attempts {seen}; expected True after one attempt: the "
        "check read rows the other transaction changed, but nobody wrote the same row, so nothing is refused"
    )
    assert on_call(doctors) == {4, 5}, (
        f"on call: {sorted(on_call(doctors))}: at REPEATABLE READ both doctors go off call (write skew) — "
        "was the transaction really at REPEATABLE READ?"
    )


def test_serializable_refuses_write_skew_and_retries(isolation, postgres_url, doctors):
    seen = []

    def meddle(attempt):
        seen.append(attempt)
        if attempt == 1:
            take_off_elsewhere(postgres_url, 2)

    got = isolation.go_off_call(postgres_url, "SERIALIZABLE", 1, on_attempt=meddle)
    night = on_call(doctors) & {1, 2, 3}
    assert night == {1}, (
        f"night doctors on call: {sorted(night)}, expected [1]: SERIALIZABLE must refuse the second doctor leaving "
        "(40001), and the retry must then see that doctor 1 is the last one"
    )
    assert seen == [1, 2], f"on_attempt was called with {seen}: expected a failed attempt 1 and a retry 2"
    assert got is False, f"go_off_call returned {got!r}: after the retry doctor 1 is the last one on call"


@pytest.mark.parametrize("max_attempts", [1, 3, None])
def test_go_off_call_gives_up_after_max_attempts(isolation, postgres_url, doctors, max_attempts):
    doctors.execute("UPDATE doctors SET on_call = true, shift = 'night'")
    seen = []

    def always_meddle(attempt):
        seen.append(attempt)
        take_off_elsewhere(postgres_url, attempt + 1)

    limit = {} if max_attempts is None else {"max_attempts": max_attempts}
    max_attempts = max_attempts or 5  # the default
    with pytest.raises(psycopg.errors.SerializationFailure):
        isolation.go_off_call(postgres_url, "SERIALIZABLE", 1, on_attempt=always_meddle, **limit)
    assert seen == list(range(1, max_attempts + 1)), f"attempts made: {seen}, expected {max_attempts}"
    assert on_call(doctors) == set(range(max_attempts + 2, 7)) | {1}, (
        "doctor 1 may not go off when every attempt failed"
    )


def test_go_off_call_other_errors_are_not_retried(isolation, postgres_url, doctors):
    seen = []

    def broken(attempt):
        seen.append(attempt)
        raise KeyError("not a serialization failure")

    with pytest.raises(KeyError):
        isolation.go_off_call(postgres_url, "SERIALIZABLE", 1, on_attempt=broken)
    assert seen == [1], f"only serialization failures may be retried; attempts made: {seen}"
    assert on_call(doctors) == {1, 2, 4, 5}
