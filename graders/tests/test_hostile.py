"""Hostile submissions: each attack on the grade scores 0 for the attacked kata and changes nothing else.

A template (the trusted tree, a git repository) and a student's fork of it are built in a temporary folder. The
fork solves two katas honestly and attacks the others; graded with `--template`, the total must be exactly
the honest one, every attacked kata must say why it got nothing, no process may outlive grading, and the whole
grade must end within its bound.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from graders.dev.classroom import generate
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, REPO, MiniRepo

pytestmark = pytest.mark.timeout(300)
HONEST_KATAS = ("e01_honest", "q06_honest_late")
SECRET = "hidden-secret-7f3a"
PR_CAPBSET_DROP, CAP_SYS_PTRACE = 24, 19  # <linux/prctl.h>, <linux/capability.h>

FORGE_REPORTS = """
    from _pytest.reports import TestReport

    _original = TestReport.__init__

    def _always_passed(self, *args, **kwargs):
        _original(self, *args, **kwargs)
        self.outcome, self.longrepr = "passed", None

    TestReport.__init__ = _always_passed

    def add(a, b):
        raise NotImplementedError
    """
FORGE_RECORDER = """
    import gc

    for obj in gc.get_objects():
        if type(obj).__name__ == "_State" and hasattr(obj, "write"):
            def write(record, _write=obj.write):
                if record.get("event") == "result":
                    record = {**record, "outcome": "passed", "message": ""}
                _write(record)
            obj.write = write

    def add(a, b):
        raise NotImplementedError
    """
PLUGIN_VIA_INI = """
    import pytest

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        outcome.get_result().outcome = "passed"

    def add(a, b):
        raise NotImplementedError
    """
# The attacks below only ever touch the test's own temporary folders: {work} and the grader's staging trees.
REWRITES_OTHERS = """
    import tempfile
    from pathlib import Path

    here = Path(__file__).resolve()
    for top in [Path({work!r}), *Path(tempfile.gettempdir()).glob("katas-grade-*"), here.parents[3]]:
        for test in list(top.glob("**/test_*.py"))[:500]:
            try:
                test.write_text("def test_ok():\\n    assert True\\n")
            except OSError:
                pass
        for name in ("graders/plugin.py", "graders/manifest.json", "conftest.py"):
            target = top / name
            if target.is_file():
                try:
                    target.write_text("raise SystemExit('tampered')\\n")
                except OSError:
                    pass

    def add(a, b):
        raise NotImplementedError
    """
DAEMON = """
    import os
    import time

    def _daemon(pid_file):
        if os.fork():
            return
        os.setsid()
        if os.fork():
            os._exit(0)
        with open(pid_file, "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(600)
        os._exit(0)

    _daemon({pid_file!r})

    def add(a, b):
        raise NotImplementedError
    """
HANGS = """
    def add(a, b):
        while True:
            pass
    """
READS_HIDDEN = """
    import tempfile
    from pathlib import Path

    found = []
    for top in [Path({work!r}), *Path(tempfile.gettempdir()).glob("katas-grade-*")]:
        for path in list(top.glob("**/test_*.py"))[:2000]:
            try:
                found.append(path.read_text())
            except OSError:
                pass
    Path({leak!r}).write_text("\\n".join(found))

    def add(a, b):
        raise NotImplementedError
    """
HOGS_MEMORY = """
    def add(a, b):
        block = bytearray(64 * 1024**3)  # far beyond the grader's memory cap
        return len(block)
    """
HIDDEN_TEST = f"""
    def test_hidden_add(kata):
        assert kata.module("demo").add(7, 8) == 15, "{SECRET}"
    """


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True, capture_output=True
    )


def _template(folder: Path, names: list[str]) -> MiniRepo:
    template = MiniRepo(folder)
    for name in names:
        timeout = 3 if "hang" in name else None  # keeps this suite short: a hang costs its timeout twice
        template.add_kata(
            f"python_pandas/{name}", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS, timeout=timeout
        )
    shutil.copytree(
        REPO / "graders", folder / "graders", ignore=shutil.ignore_patterns("__pycache__", "tests")
    )
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-qm", "template")
    return template


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


ATTACKS = [
    "e02_forge_reports",
    "e03_forge_recorder",
    "e04_config_files",
    "e05_renamed_tests",
    "q01_rewrites_others",
    "q02_daemon",
    "q03_hangs",
    "q04_reads_hidden",
    "q05_hogs_memory",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    names = ["e01_honest", *ATTACKS, "q06_honest_late", "q07_untouched"]
    template = _template(work / "template", names)
    fork = work / "submission"
    subprocess.run(["git", "clone", "-q", str(template.root), str(fork)], check=True, capture_output=True)
    kata = fork / "katas" / "python_pandas"
    pid_file, leak = work / "daemon.pid", work / "leak.txt"
    _write(kata / "e01_honest/demo.py", ADD_SOLUTION)
    _write(kata / "q06_honest_late/demo.py", ADD_SOLUTION)
    _write(kata / "e02_forge_reports/demo.py", FORGE_REPORTS)
    _write(kata / "e03_forge_recorder/demo.py", FORGE_RECORDER)
    # 2: configuration files beside the learner file and at the root (a plugin loaded from the learner file).
    _write(kata / "e04_config_files/demo.py", PLUGIN_VIA_INI)
    _write(kata / "e04_config_files/pytest.ini", "[pytest]\naddopts = -p demo\n")
    for name in ("pytest.ini", "tox.ini", "setup.cfg"):
        _write(fork / name, "[pytest]\naddopts = -p no:graders.plugin\n")
    _write(fork / "setup.py", f"open({str(work / 'setup-ran')!r}, 'w').write('ran')\n")
    # 3: a renamed and edited test file.
    _git(
        fork,
        "mv",
        "katas/python_pandas/e05_renamed_tests/test_demo.py",
        "katas/python_pandas/e05_renamed_tests/test_demo_v2.py",
    )
    _write(kata / "e05_renamed_tests/test_demo_v2.py", "def test_adds():\n    assert True\n")
    # 4: code that rewrites every test, the graders and the manifest it can find.
    _write(kata / "q01_rewrites_others/demo.py", REWRITES_OTHERS.format(work=str(work)))
    _write(kata / "q02_daemon/demo.py", DAEMON.format(pid_file=str(pid_file)))
    _write(kata / "q03_hangs/demo.py", HANGS)
    _write(kata / "q04_reads_hidden/demo.py", READS_HIDDEN.format(leak=str(leak), work=str(work)))
    _write(kata / "q05_hogs_memory/demo.py", HOGS_MEMORY)
    hidden = work / "hidden-tests" / "python_pandas" / "e01_honest"
    _write(hidden / "test_hidden.py", HIDDEN_TEST)
    out = work / "grade.json"
    scratch = work / "tmp"  # the grader's staging trees: the attacks never reach beyond `work`
    scratch.mkdir()
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "graders", "grade", "python_pandas", "--template", ".", "--submission",
         str(fork), "--extra-tests", str(work / "hidden-tests"), "--remove-extra-tests", "--json", str(out)],
        cwd=template.root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "KATAS_MEMORY_LIMIT_MB": "4096", "TMPDIR": str(scratch)},
    )  # fmt: skip
    wall = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    tests = {t["name"].split("/")[1]: t for t in report["tests"]}
    return {"tests": tests, "report": report, "wall": wall, "work": work, "stdout": result.stdout,
            "pid_file": pid_file, "leak": leak, "template": template.root}  # fmt: skip


def test_the_total_is_exactly_the_honest_one(hostile):
    scores = {name: t["score"] for name, t in hostile["tests"].items()}
    assert sum(scores.values()) == 20, scores
    for name in HONEST_KATAS:
        assert scores[name] == 10, hostile["tests"][name]["message"]


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attacked_kata_scores_zero(hostile, name):
    entry = hostile["tests"][name]
    assert entry["score"] == 0 and entry["status"] != "pass", entry


@pytest.mark.parametrize("name", ["e02_forge_reports", "e03_forge_recorder"])
def test_forged_verdicts_are_named_as_tampering(hostile, name):
    message = hostile["tests"][name]["message"]
    assert "tampered with" in message and "control test" in message, message


def test_config_files_and_renamed_tests_are_listed(hostile):
    config = hostile["tests"]["e04_config_files"]["message"]
    assert "added: katas/python_pandas/e04_config_files/pytest.ini" in config
    renamed = hostile["tests"]["e05_renamed_tests"]["message"]
    assert "deleted: katas/python_pandas/e05_renamed_tests/test_demo.py" in renamed
    assert "added: katas/python_pandas/e05_renamed_tests/test_demo_v2.py" in renamed
    repository = hostile["report"]["integrity_changes"]
    for name in ("pytest.ini", "tox.ini", "setup.cfg", "setup.py"):
        assert f"added: {name}" in repository


def test_no_submission_file_outside_the_learner_files_runs(hostile):
    assert not (hostile["work"] / "setup-ran").exists(), "the fork's setup.py ran"


def test_a_kata_cannot_change_what_a_later_kata_is_graded_with(hostile):
    # q01 rewrote every test file it could reach; q06 (solved) and q07 (untouched stub) come later.
    assert hostile["tests"]["q06_honest_late"]["score"] == 10
    assert hostile["tests"]["q07_untouched"]["score"] == 0
    assert "NotImplementedError" in hostile["tests"]["q07_untouched"]["message"]


def test_no_process_outlives_grading(hostile):
    pid = int(hostile["pid_file"].read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    assert state == "Z", f"the learner's daemon {pid} is still running"


def test_hidden_tests_are_not_readable_by_other_katas(hostile):
    leaked = hostile["leak"].read_text() if hostile["leak"].exists() else ""
    assert SECRET not in leaked
    assert not (hostile["work"] / "hidden-tests").exists(), "the hidden tests stay on disk during grading"
    assert SECRET not in hostile["stdout"] and SECRET not in json.dumps(hostile["report"])
    assert hostile["report"]["hidden_tests"] == {"ran": 1, "passed": 1}


def test_hangs_and_memory_hogs_are_bounded(hostile):
    assert hostile["tests"]["q03_hangs"]["status"] == "error"  # Classroom's word for a timeout
    assert "Timeout" in hostile["tests"]["q03_hangs"]["message"]
    assert "MemoryError" in hostile["tests"]["q05_hogs_memory"]["message"]
    # Thirteen katas, one hanging (its 3 s timeout in the first pass, then once more in the second).
    assert hostile["wall"] < 90, f"grading took {hostile['wall']:.0f} s"


def test_static_scan_flags_reaching_into_the_grader(hostile):
    flags = hostile["report"]["flags"]
    assert any("_pytest" in line for line in flags["python_pandas/e02_forge_reports"])
    assert any("gc" in line for line in flags["python_pandas/e03_forge_recorder"])
    assert not any(name in flags for name in HONEST_KATAS)


@pytest.mark.parametrize("jobs", ["1", "2"])  # one grader, or two lanes that get the signal passed on
def test_sigterm_stops_grading_at_once_and_reports_every_kata(tmp_path, jobs):
    template = _template(tmp_path / "template", ["e01_hangs", "e02_fine"])
    _write(template.root / "katas/python_pandas/e01_hangs/demo.py", HANGS)
    _write(template.root / "katas/python_pandas/e02_fine/demo.py", ADD_SOLUTION)
    outputs = tmp_path / "outputs.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "graders", "grade", "python_pandas", "--template", ".", "--submission", ".",
         "--classroom-outputs", str(outputs), "--jobs", jobs],
        cwd=template.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    time.sleep(4)
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    output, _ = process.communicate(timeout=60)
    assert time.monotonic() - started < 10, "the grader did not stop promptly"
    assert process.returncode == 143, output
    latest = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert set(latest) == {"pandase01", "pandase02"}, "every kata has a result for the reporter"
    hung = json.loads(base64.b64decode(latest["pandase01"]))
    assert hung["tests"][0]["score"] == 0


def test_the_generated_workflow_grades_a_hostile_fork_to_its_honest_total(tmp_path):
    """The workflow's own grade and reporter steps, run locally the way the actions run them."""
    names = ["e01_honest", "e02_forge_reports", "e03_renamed", "e04_rewrites_others", "q01_honest_late"]
    template = _template(tmp_path / "template", names)
    workflow = yaml.safe_load(generate(template.root, ["python_pandas"]))
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    install = next(s for s in steps if s["name"].startswith("Install"))
    assert install["working-directory"] == "template" and "submission" not in install["run"]
    fork = tmp_path / "submission"
    subprocess.run(["git", "clone", "-q", str(template.root), str(fork)], check=True, capture_output=True)
    kata = fork / "katas" / "python_pandas"
    _write(kata / "e01_honest/demo.py", ADD_SOLUTION)
    _write(kata / "e02_forge_reports/demo.py", FORGE_REPORTS)
    _git(
        fork,
        "mv",
        "katas/python_pandas/e03_renamed/test_demo.py",
        "katas/python_pandas/e03_renamed/test_v2.py",
    )
    _write(fork / "pytest.ini", "[pytest]\naddopts = -p no:graders.plugin\n")
    # Attacks 4 and 5: a kata whose code rewrites every test it can reach, and a fork-added setup.py.
    _write(kata / "e04_rewrites_others/demo.py", REWRITES_OTHERS.format(work=str(tmp_path)))
    _write(kata / "q01_honest_late/demo.py", ADD_SOLUTION)
    _write(fork / "setup.py", f"open({str(tmp_path / 'setup-ran')!r}, 'w').write('ran')\n")
    grade_step = next(s for s in steps if s.get("id") == "grade")
    outputs, summary = tmp_path / "github_output", tmp_path / "summary.md"
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary),
           "TMPDIR": str(tmp_path / "tmp")}  # fmt: skip
    subprocess.run(
        ["bash", "-e", "-c", grade_step["run"]], cwd=tmp_path / grade_step["working-directory"], env=env,
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    reporter = next(s for s in steps if s["name"] == "Autograding Reporter")
    assert reporter["if"] == "always()"
    latest = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    runners = reporter["with"]["runners"].split(",")
    total = most = 0
    for runner in runners:
        expression = reporter["env"][f"{runner.upper()}_RESULTS"]
        key = expression.split("steps.grade.outputs.")[1].split()[0]
        results = json.loads(base64.b64decode(latest[key]))
        total += sum(t["score"] for t in results["tests"])
        most += results["max_score"]
    assert (total, most) == (20, 50)
    assert not (tmp_path / "setup-ran").exists()
    assert "e02_forge_reports" in summary.read_text() and "tampered" in summary.read_text()
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(summary.read_text())
    assert html.count("<tr>") == 1 + len(names), "a header row and one row per kata"
    assert "<td><code>python_pandas/e01_honest</code></td>" in html


FORGES_LANE_REPORT = """
    import json
    import os
    import stat
    from pathlib import Path

    forged = json.dumps({{"grade": {{"kata": "python_pandas/e02_forges_lane_report", "results": [
        {{"nodeid": "katas/python_pandas/e02_forges_lane_report/test_demo.py::test_forged",
         "kata": "python_pandas/e02_forges_lane_report", "outcome": "passed"}}]}}, "first_pass": True}}) + "\\n"
    routes = []
    for fd in range(3, 1024):  # a pipe inherited from the lane
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, forged.encode())
                routes.append(f"fd {{fd}}")
        except OSError:
            pass
    try:  # the lane's descriptors through /proc
        for path in Path(f"/proc/{{os.getppid()}}/fd").iterdir():
            try:
                with open(path, "w") as handle:
                    handle.write(forged)
                routes.append(str(path))
            except OSError:
                pass
    except OSError:
        pass
    Path({probe!r}).write_text("\\n".join(routes))

    def add(a, b):
        raise NotImplementedError
    """
KILLS_ITS_LANE = """
    import os
    import signal

    os.kill(os.getppid(), signal.SIGKILL)

    def add(a, b):
        return a + b
    """


def test_grading_lanes_keep_their_reports_out_of_a_katas_reach(tmp_path):
    """`--jobs 2` grades in forked lanes (graders.grading.lanes): a kata can neither write its lane's report pipe (it is
    closed in the kata's process, and /proc/<lane>/fd is closed to it) nor gain by killing its lane."""
    names = ["e01_honest", "e02_forges_lane_report", "e03_kills_its_lane", "e04_honest", "q01_honest_late"]
    template = _template(tmp_path / "template", names)
    fork = tmp_path / "submission"
    subprocess.run(["git", "clone", "-q", str(template.root), str(fork)], check=True, capture_output=True)
    kata = fork / "katas" / "python_pandas"
    probe = tmp_path / "routes.txt"
    for name in ("e01_honest", "e04_honest", "q01_honest_late"):
        _write(kata / name / "demo.py", ADD_SOLUTION)
    _write(kata / "e02_forges_lane_report/demo.py", FORGES_LANE_REPORT.format(probe=str(probe)))
    _write(kata / "e03_kills_its_lane/demo.py", KILLS_ITS_LANE)
    out = tmp_path / "grade.json"
    (tmp_path / "tmp").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "graders", "grade", "python_pandas", "--template", ".", "--submission",
         str(fork), "--jobs", "2", "--json", str(out)],
        cwd=template.root, capture_output=True, text=True, timeout=300,
        env={**os.environ, "TMPDIR": str(tmp_path / "tmp")}, preexec_fn=_as_learners_run,
    )  # fmt: skip
    _check_lanes(result, out, probe)


def _as_learners_run() -> None:
    """Grade without CAP_SYS_PTRACE, as learners' code runs: root holding it may open any process's descriptors.

    Dropped from the bounding set before the grader starts, so the grader, its lanes and the katas' runs all
    lack it alike; between processes of one user and one capability set, only a lane's not-dumpable setting
    keeps /proc/<lane>/fd closed."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "could not drop CAP_SYS_PTRACE from the bounding set")


def _check_lanes(result: subprocess.CompletedProcess, out: Path, probe: Path) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert probe.is_file() and probe.read_text() == "", (
        f"a kata reached its lane's report: {probe.read_text()}"
    )
    tests = {t["name"].split("/")[1]: t for t in json.loads(out.read_text())["tests"]}
    scores = {name: t["score"] for name, t in tests.items()}
    # Lanes are the katas round-robin: e01, e03, q01 in one, e02, e04 in the other. e03 kills the first lane.
    assert scores == {"e01_honest": 10, "e02_forges_lane_report": 0, "e03_kills_its_lane": 0,
                      "e04_honest": 10, "q01_honest_late": 0}  # fmt: skip
    for name in ("e03_kills_its_lane", "q01_honest_late"):
        assert "lane of python_pandas ended early (killed by signal 9)" in tests[name]["message"]
