"""The `katas` command driven through its entry point on a throw-away repository under git."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, MiniRepo


def katas(repo: MiniRepo, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args],
        cwd=repo.root,
        capture_output=True,
        text=True,
        timeout=180,
        input=stdin,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(repo.root)},
    )


@pytest.fixture
def repo(mini_repo: MiniRepo) -> MiniRepo:
    mini_repo.add_kata("python_pandas/e01_add", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
    mini_repo.add_kata("python_pandas/e02_more", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
    assert katas(mini_repo, "manifest").returncode == 0
    for command in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "template"],
    ):
        subprocess.run(["git", *command], cwd=mini_repo.root, check=True)
    return mini_repo


SOLVED = textwrap.dedent(ADD_SOLUTION)


def solve(repo: MiniRepo, rel: str) -> None:
    (repo.root / "katas" / rel / "demo.py").write_text(SOLVED)


def test_list_shows_untouched_then_solved_and_answers_from_the_cache(repo):
    first = katas(repo, "list")
    assert first.returncode == 0
    assert "0/2 solved" in first.stdout and "untouched" in first.stdout
    solve(repo, "python_pandas/e01_add")
    second = katas(repo, "list")
    assert "1/2 solved" in second.stdout and "10/20 points" in second.stdout
    start = time.perf_counter()
    cached = katas(repo, "list")
    assert time.perf_counter() - start < 5
    assert cached.stdout == second.stdout
    assert "\x1b[" not in cached.stdout, "plain output when piped"


def test_next_names_the_readme_and_the_first_failure(repo):
    solve(repo, "python_pandas/e01_add")
    result = katas(repo, "next")
    assert "python_pandas/e02_more" in result.stdout
    assert "katas/python_pandas/e02_more/README.md" in result.stdout
    assert "4 tests: add is not written yet" in result.stdout, "the stub's failures, grouped"


def test_check_groups_failures_and_exits_by_result(repo):
    failing = katas(repo, "check", "python_pandas/e01_add")
    assert failing.returncode == 1 and "0/4 tests pass" in failing.stdout
    assert "4 tests: add is not written yet" in failing.stdout
    verbose = katas(repo, "check", "python_pandas/e01_add", "-v")
    assert "failed test_adds" in verbose.stdout, "-v lists every failing test"
    solve(repo, "python_pandas/e01_add")
    passing = katas(repo, "check", "e01_add")
    assert passing.returncode == 0 and "4/4 tests pass" in passing.stdout


def test_hints_come_one_more_each_call(repo):
    assert "Hint 1/2: one" in katas(repo, "hint", "e01_add").stdout
    second = katas(repo, "hint", "e01_add").stdout
    assert "Hint 2/2: two" in second and "last hint" in second


def test_diff_waits_for_a_solved_kata_unless_forced(repo):
    refused = katas(repo, "diff", "e01_add")
    assert refused.returncode == 2 and "--force" in refused.stderr and "Traceback" not in refused.stderr
    forced = katas(repo, "diff", "e01_add", "--force")
    assert "warning" in forced.stdout and "+    return a + b" in forced.stdout


def test_reset_restores_the_committed_stub_after_confirmation(repo):
    path = repo.root / "katas/python_pandas/e01_add/demo.py"
    original = path.read_text()
    solve(repo, "python_pandas/e01_add")
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "my work"],
        cwd=repo.root,
        check=True,
    )
    assert katas(repo, "reset", "e01_add", stdin="n\n").returncode != 0
    assert path.read_text() == SOLVED, "answering no changes nothing"
    assert katas(repo, "reset", "e01_add", "--yes").returncode == 0
    assert path.read_text() == original


def test_solutions_branch_holds_every_solution(repo):
    result = katas(repo, "solutions-branch")
    assert result.returncode == 0, result.stderr
    shown = subprocess.run(
        ["git", "show", "solutions:katas/python_pandas/e02_more/demo.py"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "return a + b" in shown
    assert katas(repo, "solutions-branch").returncode == 0, "running it twice is fine"
    diff = subprocess.run(
        ["git", "diff", "--stat", "main", "solutions", "--", "katas/python_pandas"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "2 files changed" in diff


def test_doctor_lists_topics_postgres_docker_and_gpu(repo):
    out = katas(repo, "doctor").stdout
    for word in ("Python", "topic python_pandas", "PostgreSQL", "Docker engine", "GPU"):
        assert word in out


def test_user_mistakes_get_one_line_not_a_traceback(repo, tmp_path):
    unknown = katas(repo, "hint", "e01_ad")
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr and "Traceback" not in unknown.stderr
    outside = subprocess.run(
        [sys.executable, "-m", "graders", "list"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert outside.returncode == 2 and "not inside a ds-katas checkout" in outside.stderr
    (repo.root / "katas/python_pandas/e01_add/demo.py").unlink()
    missing = katas(repo, "check", "e01_add")
    assert "git checkout -- katas/python_pandas/e01_add/demo.py" in missing.stdout


def test_watch_reruns_when_a_learner_file_is_saved(repo):
    path = repo.root / "katas/python_pandas/e01_add/demo.py"
    process = subprocess.Popen(
        [sys.executable, "-m", "graders", "watch", "e01_add", "--poll", "--max-runs", "2"],
        cwd=repo.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.time() + 60
    while "0/4" not in "".join(output) and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    path.write_text(SOLVED)
    assert process.wait(timeout=90) == 0
    reader.join(5)
    text = "".join(output)
    assert text.count("watching python_pandas/e01_add") == 2
    assert "✓ python_pandas/e01_add  4/4 tests pass" in text and "Solved! +10 points" in text


SLOW_IMPORT_TESTS = """
    import time

    import pytest

    time.sleep(0.6)  # stands in for a heavy import, paid when the module is collected

    @pytest.fixture
    def demo(kata):
        return kata.module("demo")

    def test_adds(demo):
        time.sleep(0.3)
        assert demo.add(2, 3) == 5
    """


def test_bench_charges_each_kata_its_collection_and_tests_and_judges_the_budget(mini_repo):
    mini_repo.add_kata(
        "python_pandas/e01_add",
        stub=ADD_STUB,
        solution=ADD_SOLUTION,
        tests=SLOW_IMPORT_TESTS,
        topic_imports=["json"],
    )
    mini_repo.add_kata("python_pandas/e02_more", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
    topic_toml = mini_repo.root / "katas" / "python_pandas" / "topic.toml"
    base = topic_toml.read_text()

    topic_toml.write_text(base + "budget_median_s = 0.5\nbudget_max_s = 0.8\n")
    over = katas(mini_repo, "bench", "--strict", "katas/python_pandas")
    assert over.returncode == 1, over.stdout + over.stderr
    rows = {
        line.split("|")[1].strip(): line.split("|")[2:-1]
        for line in over.stdout.splitlines()
        if line.startswith("| e0")
    }
    tests_s, in_topic_s, alone_s = (float(cell) for cell in rows["e01_add"][:3])
    assert 0.3 <= tests_s < 0.6  # the test's own sleep, not the module's
    assert in_topic_s >= 0.9  # collection (the module-level sleep) + the test
    assert alone_s >= in_topic_s  # its own process pays the start-up too
    assert float(rows["e02_more"][1]) < 0.5
    assert "OVER" in over.stdout and "importing json" in over.stdout

    topic_toml.write_text(base + "budget_median_s = 5\nbudget_max_s = 10\nbudget_topic_s = 60\n")
    within = katas(mini_repo, "bench", "--strict", "--no-alone", "katas/python_pandas")
    assert within.returncode == 0, within.stdout + within.stderr
    assert "within" in within.stdout and "topic ≤ 60 s" in within.stdout


def test_help_is_for_learners_and_dev_lists_the_rest(repo):
    learner = katas(repo, "--help").stdout
    for command in ("next", "check", "watch", "hint", "diff", "reset", "doctor"):
        assert f"    {command} " in learner
    assert "verify" not in learner and "mutate" not in learner and "katas dev" in learner
    team = katas(repo, "dev").stdout
    for command in ("verify", "mutate", "bench", "manifest", "grade-class", "publish-solutions", "diagnoses"):
        assert f"  {command} " in team
