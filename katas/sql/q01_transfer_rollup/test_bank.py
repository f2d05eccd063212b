"""Hidden-test style checks for sql/q01: a locked, atomic transfer under real concurrency; a ROLLUP report."""

import random
import threading
from collections import defaultdict

import psycopg
import pytest

from graders.kit.sql_checks import assert_rows_equal


@pytest.fixture
def bank(kata):
    return kata.module("bank")


def _accounts(admin, balances):
    admin.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL)")
    with admin.cursor() as cur:
        cur.executemany(
            "INSERT INTO accounts VALUES (%s, %s, %s)", [(i, f"owner {i}", b) for i, b in balances.items()]
        )


def _balances(admin):
    return dict(admin.execute("SELECT id, balance FROM accounts ORDER BY id").fetchall())


def _run_threads(target, count):
    errors = []

    def guarded(index):
        try:
            target(index)
        except BaseException as exc:  # reported below with the thread's index
            errors.append((index, exc))

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a transfer thread is still running after 60 s"
    if errors:
        index, exc = errors[0]
        raise AssertionError(f"transfer raised in thread {index}: {type(exc).__name__}: {exc}") from exc


def test_single_transfers_and_their_rules(bank, admin, postgres_url):
    _accounts(admin, {1: 1000, 2: 500})
    with psycopg.connect(postgres_url) as conn:
        assert bank.transfer(conn, 1, 2, 250) is True
        assert _balances(admin) == {1: 750, 2: 750}, "a successful transfer must be committed"
        assert bank.transfer(conn, 1, 2, 10_000) is False
        assert _balances(admin) == {1: 750, 2: 750}, "a refused transfer must change nothing"
        assert bank.transfer(conn, 2, 1, 750) is True
        assert _balances(admin) == {1: 1500, 2: 0}
        for bad in [(1, 2, 0), (1, 2, -5), (1, 1, 10), (1, 2, 10.5), (1, 2, "10")]:
            with pytest.raises(ValueError):
                bank.transfer(conn, *bad)
        assert _balances(admin) == {1: 1500, 2: 0}, "an invalid transfer must change nothing"
        with pytest.raises(LookupError):
            bank.transfer(conn, 1, 99, 10)
        with pytest.raises(LookupError):
            bank.transfer(conn, 98, 2, 10)
        assert _balances(admin) == {1: 1500, 2: 0}, "a transfer with an unknown account must change nothing"
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE, (
            "the connection was left in a transaction"
        )
        assert bank.transfer(conn, 1, 2, 1) is True, "the connection is unusable after an unknown account"
    assert _balances(admin) == {1: 1499, 2: 1}


def test_concurrent_transfers_conserve_the_total(bank, admin, postgres_url):
    initial = {1: 3000, 2: 3000, 3: 3000}
    _accounts(admin, initial)
    applied = defaultdict(int)
    lock = threading.Lock()

    def worker(index):
        rng = random.Random(1000 + index)
        with psycopg.connect(postgres_url) as conn:
            for _ in range(50):
                src, dst = rng.sample(sorted(initial), 2)
                amount = rng.randint(1, 1500)
                if bank.transfer(conn, src, dst, amount):
                    with lock:
                        applied[src] -= amount
                        applied[dst] += amount

    _run_threads(worker, 8)
    final = _balances(admin)
    assert sum(final.values()) == sum(initial.values()), f"money was created or lost: {final}"
    assert min(final.values()) >= 0, f"a balance went negative: {final}"
    expected = {k: initial[k] + applied[k] for k in initial}
    assert final == expected, f"final balances {final} do not match the transfers reported as done {expected}"


def test_simultaneous_withdrawals_cannot_overdraw(bank, admin, postgres_url):
    _accounts(admin, {1: 100, 2: 0})
    results = []
    for _round in range(3):
        barrier = threading.Barrier(10)
        outcome = []

        def worker(index, barrier=barrier, outcome=outcome):
            with psycopg.connect(postgres_url) as conn:
                conn.execute("SELECT 1")
                conn.commit()
                barrier.wait(10)
                outcome.append(bank.transfer(conn, 1, 2, 100))

        _run_threads(worker, 10)
        results.append(outcome.count(True))
        balances = _balances(admin)
        assert balances[1] >= 0, f"ten simultaneous withdrawals of the whole balance overdrew it: {balances}"
        admin.execute("UPDATE accounts SET balance = CASE id WHEN 1 THEN 100 ELSE 0 END")
    assert results == [1, 1, 1], f"exactly one of ten simultaneous withdrawals may succeed, got {results}"


def test_sales_report_rollup(bank, admin):
    rng = random.Random(1001)
    admin.execute(
        "CREATE TABLE sales (id int, region text NOT NULL, product text NOT NULL, amount bigint NOT NULL)"
    )
    rows = [
        (
            i,
            rng.choice(["east", "north", "west"]),
            rng.choice(["apples", "kiwis", "pears", "plums"]),
            rng.randint(1, 900),
        )
        for i in range(600)
    ]
    rows.append((600, "south", "figs", 5))
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO sales VALUES (%s, %s, %s, %s)", rows)
    detail, region_total = defaultdict(int), defaultdict(int)
    for _, region, product, amount in rows:
        detail[(region, product)] += amount
        region_total[region] += amount
    expected = []
    for region in sorted(region_total):
        expected += [(region, p, t) for (r, p), t in sorted(detail.items()) if r == region]
        expected.append((region, None, region_total[region]))
    expected.append((None, None, sum(region_total.values())))
    got = bank.sales_report(admin)
    assert isinstance(got, list), f"expected a list of tuples, got {type(got).__name__}"
    assert_rows_equal(got, expected, where="sales_report(conn)")
    assert all(isinstance(row[2], int) for row in got), "totals must be int"
