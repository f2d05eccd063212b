"""verify's verdicts, the implementation switch and the topic-packages skip, on throw-away katas."""

from __future__ import annotations

import os
import subprocess
import sys

from graders.catalog import all_katas
from graders.dev.verify import verify
from graders.runner import run_pytest
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS

OFF_BY_ONE = """
    def add(a, b):
        \"\"\"Near miss: off by one.\"\"\"
        return a + b + 1
    \"\"\"
    """
ONLY_SMALL = """
    def add(a, b):
        \"\"\"Near miss: right for the first test only.\"\"\"
        return 5
    """
SAME_AS_SOLUTION = """
    def add(a, b):
        \"\"\"Near miss that is not one: the tests cannot tell it apart.\"\"\"
        return b + a
    """


def test_verify_accepts_a_good_kata_and_names_each_problem(mini_repo):
    mini_repo.add_kata(
        "python_pandas/e01_demo",
        stub=ADD_STUB,
        solution=ADD_SOLUTION,
        tests=ADD_TESTS,
        near_misses={"off_by_one": OFF_BY_ONE.replace('\n    """\n    ', ""), "constant": ONLY_SMALL},
    )
    mini_repo.add_kata(
        "python_pandas/e02_weak",
        stub=ADD_SOLUTION,
        solution=ADD_SOLUTION,
        tests=ADD_TESTS,
        near_misses={"commuted": SAME_AS_SOLUTION},
    )
    lines: list[str] = []
    verdicts = {v.kata.name: v for v in verify(mini_repo.root, all_katas(mini_repo.root), echo=lines.append)}
    assert verdicts["e01_demo"].problems == []
    assert verdicts["e01_demo"].near_misses == 2
    weak = "\n".join(verdicts["e02_weak"].problems)
    assert "passes against the stub" in weak
    assert "near miss commuted passes every test" in weak
    assert "1 near misses" in weak
    assert lines[-1] == "verify: 1 passed, 1 failed"


def test_stub_failures_must_name_the_file_to_edit(mini_repo):
    silent_stub = "def add(a, b):\n    return None\n"
    # The function alone, so that pytest's assertion introspection does not print the module's path.
    tests = "def test_adds(kata):\n    add = kata.module('demo').add\n    assert add(2, 3) == 5\n"
    mini_repo.add_kata(
        "python_pandas/e01_demo",
        stub=silent_stub,
        solution=ADD_SOLUTION,
        tests=tests,
        near_misses={"a": ONLY_SMALL, "b": ONLY_SMALL},
    )
    (verdict,) = verify(mini_repo.root, all_katas(mini_repo.root), echo=lambda _: None)
    assert any("without naming the file to edit" in p for p in verdict.problems)


def test_impl_switch_swaps_only_the_katas_present(mini_repo, tmp_path):
    first = mini_repo.add_kata(
        "python_pandas/e01_demo", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS
    )
    second = mini_repo.add_kata(
        "python_pandas/e02_demo", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS
    )
    other = tmp_path / "alternative" / "python_pandas" / "e01_demo"
    other.mkdir(parents=True)
    (other / "demo.py").write_text("def add(a, b):\n    return sum((a, b))\n")
    report = run_pytest(mini_repo.root, [first, second], impl=str(tmp_path / "alternative"))
    outcomes = {kata: {r.outcome for r in results} for kata, results in report.by_kata().items()}
    assert outcomes == {"python_pandas/e01_demo": {"passed"}, "python_pandas/e02_demo": {"failed"}}
    env_report = run_pytest(mini_repo.root, [second], env={"KATAS_IMPL": "solutions"})
    assert {r.outcome for r in env_report.results} == {"passed"}


def test_impl_switch_naming_no_folder_is_a_usage_error(mini_repo):
    kata = mini_repo.add_kata("python_pandas/e01_demo", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
    for args, env in ((["--impl", "solution"], {}), ([], {"KATAS_IMPL": "nowhere"})):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", str(kata), "-q", *args],
            cwd=mini_repo.root,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **env},
        )
        assert result.returncode == 4, result.stdout + result.stderr
        assert "not a folder" in result.stderr and "'solutions'" in result.stderr


def test_missing_topic_packages_skip_with_the_extra_to_install(mini_repo):
    mini_repo.add_kata(
        "sklearn/e01_demo",
        stub=ADD_STUB,
        tests=ADD_TESTS + "\nimport no_such_package_xyz\n",
        topic_imports=["no_such_package_xyz"],
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "katas/sklearn", "-rs", "-q"],
        cwd=mini_repo.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "python -m graders.setup_env sklearn" in result.stdout
    assert "Traceback" not in result.stdout


def test_network_beyond_loopback_is_refused_with_a_clear_message():
    import socket

    import pytest

    from graders.kit.offline import OfflineError

    with (
        pytest.raises(OfflineError, match="katas run offline"),
        socket.create_connection(("10.255.255.1", 80), 1),
    ):
        pass
    with pytest.raises(OfflineError, match="katas run offline"):
        socket.getaddrinfo("example.org", 443)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    with server, socket.create_connection(server.getsockname(), 1):
        pass
