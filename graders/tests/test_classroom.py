"""GitHub Classroom: the generated workflow, tamper protection, hidden tests, the student template."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from graders.catalog import all_katas, katas_in_topic
from graders.dev.classroom import WORKFLOW, export_template, generate, runner_id
from graders.manifest import build
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, MiniRepo

REPO = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return found


def test_committed_workflow_is_what_the_generator_writes():
    assert (REPO / WORKFLOW).read_text() == generate(REPO), "run `python -m graders classroom`"


def test_workflow_grades_each_kata_with_its_points_and_reports_them_all():
    workflow = yaml.safe_load((REPO / WORKFLOW).read_text())
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    grade = next(s for s in steps if s.get("id") == "grade")
    assert grade["run"].startswith("exec python -m graders grade ")
    assert "--template . --submission ../submission" in grade["run"]
    assert grade["timeout-minutes"] < workflow["jobs"]["run-autograding-tests"]["timeout-minutes"]
    reporter = steps[-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter")
    assert reporter["if"] == "always()"
    katas = all_katas(REPO)
    runners = reporter["with"]["runners"].split(",")
    assert runners == [runner_id(k) for k in katas] and len(set(runners)) == len(katas)
    # The reporter accepts letters and digits only, and shows 18 characters of each name.
    assert all(re.fullmatch(r"[a-zA-Z0-9]{1,18}", r) for r in runners)
    for runner in runners:
        assert reporter["env"][f"{runner.upper()}_RESULTS"] == f"${{{{ steps.grade.outputs.{runner} }}}}"
    installs = [s for s in steps if "pip install" in s.get("run", "")]
    assert len(installs) == 1, "packages are installed once per job"
    assert installs[0]["working-directory"] == "template" and "-e " not in installs[0]["run"]
    assert "download.pytorch.org/whl/cpu" in installs[0]["run"]


def test_points_per_kata_reach_the_reporter(tmp_path):
    """Each kata's result, as the grade step writes it, is the reporter's runner result with the kata's points."""
    from graders.grading.grade import KataGrade, runner_result
    from graders.runner import TestResult

    kata = katas_in_topic(REPO, "python_pandas")[0]
    solved = KataGrade(
        kata,
        [TestResult("katas/x::a", kata.rel, "passed"), TestResult("katas/x::b", kata.rel, "failed", "no")],
    )
    result = runner_result(solved)
    assert result["max_score"] == kata.points and result["tests"][0]["score"] == kata.points / 2
    assert result["status"] == "fail" and "first problem" in result["tests"][0]["message"]


def test_workflow_is_schema_valid_and_zizmor_clean():
    path = str(REPO / WORKFLOW)
    schema = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [_tool("zizmor"), "--offline", "--config", str(REPO / ".github/zizmor.yml"), path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_topics_choose_the_steps_and_the_extras():
    text = generate(REPO, ["python_pandas"])
    install = text.split("Install from the template", 1)[1].split("- name", 1)[0]
    assert "pip install ." in install and "[" not in install
    assert "sklearn" not in text.split("id: grade", 1)[1]


def test_manifest_is_current():
    committed = json.loads((REPO / "graders" / "manifest.json").read_text())
    assert committed == build(REPO), "run `python -m graders manifest`"


def _grade_json(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "grade.json"
    subprocess.run(
        [sys.executable, "-m", "graders", "grade", "katas/python_pandas", "-j2", "--json", str(out), *args],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return json.loads(out.read_text())


@pytest.mark.timeout(600)
def test_stubs_score_zero_and_solutions_full_points(tmp_path):
    points = sum(k.points for k in katas_in_topic(REPO, "python_pandas"))
    stubs = _grade_json(tmp_path)
    assert stubs["max_score"] == points and stubs["status"] == "fail"
    assert sum(t["score"] for t in stubs["tests"]) == 0
    solved = _grade_json(tmp_path, "--impl=solutions")
    assert sum(t["score"] for t in solved["tests"]) == points and solved["status"] == "pass"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def template_and_fork(tmp_path):
    template = MiniRepo(tmp_path / "template")
    template.add_kata("python_pandas/e01_add", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
    shutil.copytree(REPO / "graders", template.root / "graders", ignore=shutil.ignore_patterns("__pycache__"))
    _git(template.root, "init", "-q", "-b", "main")
    _git(template.root, "add", "-A")
    _git(template.root, "commit", "-qm", "template")
    fork = tmp_path / "fork"
    _git(tmp_path, "clone", "-q", str(template.root), str(fork))
    return template, fork


def _grade_in(fork: Path, *args: str) -> subprocess.CompletedProcess:
    """`graders grade` of the fork's python_pandas katas, the report written to out.json."""
    command = [sys.executable, "-m", "graders", "grade", "katas/python_pandas", *args, "--json", "out.json"]
    return subprocess.run(command, cwd=fork, capture_output=True, text=True, timeout=300)


def test_edited_tests_are_not_used_and_zero_the_kata(template_and_fork):
    template, fork = template_and_fork
    (fork / "katas/python_pandas/e01_add/demo.py").write_text(textwrap.dedent(ADD_SOLUTION))
    (fork / "katas/python_pandas/e01_add/test_demo.py").write_text("def test_nothing():\n    assert True\n")
    (fork / "katas/python_pandas/e01_add/conftest.py").write_text("# sneaky\n")
    result = _grade_in(fork, "--template", str(template.root), "--submission", ".")
    report = json.loads((fork / "out.json").read_text())
    entry = report["tests"][0]
    assert entry["score"] == 0 and entry["status"] == "fail"
    assert "edited: katas/python_pandas/e01_add/test_demo.py" in entry["message"]
    assert "added: katas/python_pandas/e01_add/conftest.py" in entry["message"]
    assert "tampered" in result.stdout


def test_a_clean_fork_is_graded_with_the_template(template_and_fork):
    template, fork = template_and_fork
    (fork / "katas/python_pandas/e01_add/demo.py").write_text(textwrap.dedent(ADD_SOLUTION))
    result = _grade_in(fork, "--template", str(template.root), "--submission", ".")
    report = json.loads((fork / "out.json").read_text())
    assert report["tests"][0]["score"] == 10, result.stdout
    assert report["integrity_changes"] == [] and report["tampered"] == {}


def test_hidden_tests_are_counted_without_revealing_their_code(template_and_fork, tmp_path):
    _, fork = template_and_fork
    (fork / "katas/python_pandas/e01_add/demo.py").write_text(textwrap.dedent(ADD_SOLUTION))
    hidden = fork / ".hidden-tests/python_pandas/e01_add"
    hidden.mkdir(parents=True)
    (hidden / "test_hidden.py").write_text(
        textwrap.dedent("""
        SECRET = "negative numbers"

        def test_hidden_negative(kata):
            assert kata.module("demo").add(-2, -3) == -5

        def test_hidden_secret(kata):
            assert kata.module("demo").add(1, 1) == 3, SECRET
        """)
    )
    result = _grade_in(fork, "--extra-tests", ".hidden-tests")
    report = json.loads((fork / "out.json").read_text())
    assert report["hidden_tests"] == {"ran": 2, "passed": 1}
    assert "SECRET" not in result.stdout + json.dumps(report) and "negative numbers" not in json.dumps(report)
    assert "hidden test" in report["tests"][0]["message"]


def test_student_template_has_no_solution_text(tmp_path):
    out = tmp_path / "student"
    files = export_template(REPO, out, ["python_pandas"])
    assert not (out / "solutions").exists() and not any("near_misses" in f for f in files)
    assert not any(f.startswith("katas/") and not f.startswith("katas/python_pandas") for f in files)
    assert "graders/kit/titanic.py" not in files, "held-out labels only ship with the kaggle topic"
    exported = "\n".join(p.read_text(errors="ignore") for p in out.rglob("*") if p.is_file())
    for kata in katas_in_topic(REPO, "python_pandas"):
        for name in kata.learner_files:
            # Tests and READMEs are public anyway: only text found nowhere in the kata's own folder counts.
            public = "\n".join(p.read_text(errors="ignore") for p in kata.dir.rglob("*") if p.is_file())
            distinctive = [
                line.strip()
                for line in (kata.solution_dir / name).read_text().splitlines()
                if line.strip() not in public and len(line.strip()) > 40 and not line.strip().startswith("#")
            ]
            leaked = [line for line in distinctive if line in exported]
            assert not leaked, f"solution text of {kata.rel}/{name} leaks into the template: {leaked[:2]}"
    assert (out / ".github/workflows/classroom.yml").is_file()
    assert json.loads((out / "graders/manifest.json").read_text())["stubs"]
