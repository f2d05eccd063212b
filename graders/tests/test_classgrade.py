"""`grade-class`: a synthetic class, every row of grades.csv against its honest score, and the HTML report.

The class runs in local sandboxes (a stand-in docker client says no engine answers), then a few of its students
in "containers": the stand-in client records each `docker run` and runs its command here, with the mounts'
paths mapped, so the whole container path is checked without an engine. A test marked `docker` runs them in a
real one where an engine answers and the learner image is built.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from graders.catalog import Kata
from graders.grading import classgrade
from graders.tests.conftest import ADD_SOLUTION
from graders.tests.test_hostile import (
    DAEMON,
    FORGE_RECORDER,
    FORGE_REPORTS,
    HANGS,
    HOGS_MEMORY,
    PLUGIN_VIA_INI,
    _git,
    _template,
)

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(900)
SECRET = "class-hidden-secret-91c2"
KATAS = ("e01_first", "e02_second", "e03_hangs")
BROKEN = "def add(a, b)\n    return a + b\n"
# Returns right answers only if it could read the instructor's hidden tests: a leak would show in its score.
READS_HIDDEN = """
    from pathlib import Path

    def _leaked():
        try:
            return any({secret!r} in p.read_text() for p in Path({hidden!r}).rglob("*.py"))
        except OSError:
            return False

    def add(a, b):
        if _leaked():
            return a + b
        raise NotImplementedError
    """
# Finds the grader (the topmost of the ancestors sharing the first command line with --json: the warm runs are
# its forks), writes a perfect report at its --json path, and kills it. A container's grader is its PID 1, which
# nothing inside can kill: there the grader finishes and overwrites the forgery.
WRITES_OWN_GRADE = """
    import json
    import os
    import signal
    from pathlib import Path

    def _parent(pid):
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))

    def _argv(pid):
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\\0")

    def _forge():
        pid, grader = _parent(os.getpid()), None
        while pid > 0 and grader is None:
            if b"--json" in _argv(pid):
                grader = pid
            else:
                pid = _parent(pid)
        if grader is None:
            return
        while _parent(grader) > 0 and _argv(_parent(grader)) == _argv(grader):
            grader = _parent(grader)
        argv = _argv(grader)
        names = ["python_pandas/e01_first", "python_pandas/e02_second", "python_pandas/e03_hangs"]
        tests = [{"name": n, "status": "pass", "score": 10, "max_score": 10, "message": "all passed"} for n in names]
        forged = {"version": 1, "status": "pass", "max_score": 30, "tests": tests, "tampered": {}, "flags": {}}
        Path(argv[argv.index(b"--json") + 1].decode()).write_text(json.dumps(forged))
        os.kill(grader, signal.SIGKILL)

    _forge()

    def add(a, b):
        raise NotImplementedError
    """
# (files to write, honest total): 10 points per kata.
CLASS = {
    "ada_full": ({"e01_first": ADD_SOLUTION, "e02_second": ADD_SOLUTION, "e03_hangs": ADD_SOLUTION}, 30),
    "ben_partial": ({"e01_first": ADD_SOLUTION}, 10),
    "cy_untouched": ({}, 0),
    "dee_syntax": ({"e01_first": BROKEN, "e02_second": ADD_SOLUTION}, 10),
    "eve_hangs": ({"e01_first": ADD_SOLUTION, "e03_hangs": HANGS}, 10),
    "fay_forges_reports": ({"e01_first": ADD_SOLUTION, "e02_second": FORGE_REPORTS}, 10),
    "gus_forges_recorder": ({"e02_second": FORGE_RECORDER}, 0),
    "hal_config": ({"e01_first": PLUGIN_VIA_INI}, 0),
    "ivy_renames": ({"e01_first": ADD_SOLUTION}, 10),
    "jo_daemon": ({"e01_first": DAEMON, "e02_second": ADD_SOLUTION}, 10),
    "kim_reads_hidden": ({"e02_second": READS_HIDDEN}, 0),
    "lu_hogs_memory": ({"e01_first": HOGS_MEMORY, "e02_second": ADD_SOLUTION}, 10),
    # Writes a perfect report where the grader will write its own, then kills the grader: never taken.
    "mo_writes_own_grade": ({"e01_first": ADD_SOLUTION, "e02_second": WRITES_OWN_GRADE}, 0),
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


# A stand-in docker client: records its argv; answers `info` as an engine that is up or down; runs `run`'s command
# here with every mount's target mapped to its source (the image's ENV: no bytecode written), and exits 125 (as
# docker does for its own failures) if a read-only mount was written.
FAKE_DOCKER = """#!{python}
import hashlib, json, os, subprocess, sys, tempfile
from pathlib import Path

args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(json.dumps(args) + "\\n")
if args[0] == "info":
    if {engine_up!r}:
        sys.exit(print("28.2.2"))
    sys.exit("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
if args[:2] == ["image", "inspect"]:
    sys.exit(print("sha256:" + "ab" * 32) if {image_built!r} else "Error: No such image: " + args[-1])
if args[0] != "run":
    sys.exit(0)
valued = ("--name", "--pull", "--network", "--tmpfs", "--memory", "--memory-swap", "--pids-limit", "--cpus",
          "--user", "--security-opt", "--cap-drop", "--workdir", "--mount", "-e")
options, at = [], 1
while args[at].startswith("-"):
    takes = args[at] in valued
    options.append((args[at], args[at + 1] if takes else ""))
    at += 2 if takes else 1
places, readonly = {{"/tmp": tempfile.mkdtemp()}}, []
for flag, value in options:
    if flag == "--mount":
        spec = dict(part.partition("=")[::2] for part in value.split(","))
        places[spec["target"]] = spec["source"]
        readonly += [spec["source"]] if "readonly" in spec else []

def host(text):
    for target in sorted(places, key=len, reverse=True):
        if text == target or text.startswith(target + "/"):
            return places[target] + text[len(target):]
    return text

def digest(folder):
    sha = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        sha.update(str(path).encode() + (path.read_bytes() if path.is_file() else b""))
    return sha.hexdigest()

env = {{**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}}
env.update((k, host(v)) for k, _, v in (value.partition("=") for flag, value in options if flag == "-e"))
before = [digest(folder) for folder in readonly]
command = [sys.executable if part == "python" else host(part) for part in args[at + 1:]]
code = subprocess.run(command, cwd=host(dict(options)["--workdir"]), env=env).returncode
if [digest(folder) for folder in readonly] != before:
    sys.exit("fake docker: a read-only mount was written")
sys.exit(code if code >= 0 else 128 - code)
"""


def _fake_docker(folder: Path, *, engine_up: bool, image_built: bool = True) -> tuple[dict, Path]:
    """An environment whose `docker` is the stand-in, and the file where it records each call."""
    log = folder / "docker-calls.jsonl"
    script = folder / "bin" / "docker"
    script.parent.mkdir(parents=True)
    script.write_text(FAKE_DOCKER.format(python=sys.executable, log=str(log), engine_up=engine_up,
                                         image_built=image_built))  # fmt: skip
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{script.parent}{os.pathsep}{os.environ['PATH']}"}, log


def _calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def _build_class(work: Path, students: list[str]) -> dict:
    """The template, the hidden tests (readable by their owner only) and the students' repositories."""
    template = _template(work / "template", list(KATAS)).root
    hidden = work / "hidden"
    _write(hidden / "python_pandas/e01_first/test_hidden.py",
           f'def test_hidden_add(kata):\n    assert kata.module("demo").add(7, 8) == 15, "{SECRET}"\n')  # fmt: skip
    for path in [hidden, *hidden.rglob("*")]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    submissions = work / "submissions"
    pid_file = work / "daemon.pid"
    for student in students:
        repo = submissions / student
        subprocess.run(["git", "clone", "-q", str(template), str(repo)], check=True, capture_output=True)
        for kata, text in CLASS[student][0].items():
            text = text.format(pid_file=str(pid_file)) if text is DAEMON else text
            text = text.format(secret=SECRET, hidden=str(hidden)) if text is READS_HIDDEN else text
            _write(repo / "katas/python_pandas" / kata / "demo.py", text)
    if "hal_config" in students:
        _write(
            submissions / "hal_config/katas/python_pandas/e01_first/pytest.ini",
            "[pytest]\naddopts = -p demo\n",
        )
    if "ivy_renames" in students:
        _git(submissions / "ivy_renames", "mv", "katas/python_pandas/e02_second/test_demo.py",
             "katas/python_pandas/e02_second/test_v2.py")  # fmt: skip
    command = [sys.executable, "-m", "graders", "grade-class", str(submissions), "--template", str(template),
               "--extra-tests", str(hidden), "--out", str(work / "out"), "--jobs", "2"]  # fmt: skip
    return {"work": work, "template": template, "out": work / "out", "command": command}


def _work() -> Path:
    # Under /tmp with ordinary permissions: the submissions' own users must be able to read the template.
    work = Path(tempfile.mkdtemp(prefix="katas-class-test-"))
    os.chmod(work, 0o755)
    return work


@pytest.fixture(scope="module")
def klass():
    work = _work()
    built = _build_class(work, list(CLASS))
    env, _ = _fake_docker(work / "docker", engine_up=False)  # auto: no engine answers, so local sandboxes
    run = {"cwd": built["template"], "env": env, "capture_output": True, "text": True}
    started = time.monotonic()
    first = subprocess.run(built["command"], timeout=900, **run)
    first_s = time.monotonic() - started
    assert first.returncode == 0, first.stdout + first.stderr
    started = time.monotonic()
    again = subprocess.run(built["command"], timeout=300, **run)
    again_s = time.monotonic() - started
    yield {**built, "first": first, "first_s": first_s, "again": again, "again_s": again_s}
    shutil.rmtree(work, ignore_errors=True)


def _csv(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv", newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_every_row_is_the_honest_score(klass):
    rows = _csv(klass["out"])
    assert set(rows) == set(CLASS)
    for student, (_, honest) in CLASS.items():
        assert float(rows[student]["total"]) == honest, (student, rows[student])
        assert float(rows[student]["max"]) == 30


def test_tampering_is_flagged_in_the_csv(klass):
    rows = _csv(klass["out"])
    assert "python_pandas/e02_second" in rows["fay_forges_reports"]["tampered"]
    assert "python_pandas/e01_first" in rows["hal_config"]["tampered"]
    assert "python_pandas/e02_second" in rows["ivy_renames"]["tampered"]
    assert rows["ada_full"]["tampered"] == ""
    # Its forged perfect report is never taken: the grader it killed did not end normally.
    assert rows["mo_writes_own_grade"]["tampered"].count("python_pandas/") == len(KATAS)
    report = json.loads((klass["out"] / "submissions" / "mo_writes_own_grade.json").read_text())
    assert "did not end normally" in report["untrusted"], report


def test_hidden_tests_ran_and_stayed_hidden(klass):
    if os.geteuid() != 0:
        pytest.skip("needs root: only then does each submission run as a user of its own")
    report = json.loads((klass["out"] / "submissions" / "ada_full.json").read_text())
    assert report["hidden_tests"] == {"ran": 1, "passed": 1}
    assert float(_csv(klass["out"])["kim_reads_hidden"]["python_pandas/e02_second"]) == 0
    everything = "".join(p.read_text() for p in klass["out"].rglob("*") if p.is_file() and p.suffix != ".png")
    assert SECRET not in everything
    assert (klass["work"] / "hidden").is_dir(), "the instructor's hidden tests are never deleted"


def test_isolation_is_said_plainly(klass):
    report = json.loads((klass["out"] / "submissions" / "ben_partial.json").read_text())
    assert report["isolation"].startswith("local sandbox") and report["isolated_by"] == "local"
    assert "no container (no Docker engine answers" in klass["first"].stdout
    assert f"grade-class: {len(CLASS)} submissions; local sandbox" in klass["first"].stdout
    assert {row["isolation"] for row in _csv(klass["out"]).values()} == {"local"}
    assert "local sandbox" in (klass["out"] / "report.html").read_text()


def test_a_second_run_with_nothing_changed_takes_seconds(klass):
    assert klass["again"].stdout.count("unchanged, kept") == len(CLASS)
    assert klass["again_s"] < 15, f"{klass['again_s']:.1f} s"


def test_merge_joins_shards(klass, tmp_path):
    shard = tmp_path / "shard"
    (shard / "submissions").mkdir(parents=True)
    for name in ("ada_full", "ben_partial"):
        shutil.copy(klass["out"] / "submissions" / f"{name}.json", shard / "submissions")
    rest = tmp_path / "rest"
    shutil.copytree(klass["out"] / "submissions", rest / "submissions")
    merged = tmp_path / "merged"
    result = subprocess.run(
        [sys.executable, "-m", "graders", "grade-class", "--merge", str(shard), str(rest), "--out", str(merged)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _csv(merged) == _csv(klass["out"])


def test_a_report_merged_from_both_isolations_names_each(klass):
    from graders.grading.classreport import render_html, rows

    local = json.loads((klass["out"] / "submissions" / "ada_full.json").read_text())
    contained = {
        **local,
        "student": "zed",
        "isolation": "container per submission: …",
        "isolated_by": "container",
    }
    page = render_html([local, contained])
    assert "1× local sandbox" in page and "1× container per submission" in page
    assert [row[-1] for row in rows([local, contained])[1]] == ["local", "container"]


def _chromium() -> str | None:
    return next(
        (p for p in map(shutil.which, ("chromium-headless-shell", "chromium", "chromium-browser")) if p), None
    )


def test_report_renders_in_a_headless_browser(klass, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.fail("no headless Chromium: apt-get install chromium-headless-shell (.ci/run installs it)")
    report = klass["out"] / "report.html"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([browser, *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert 'id="heatmap"' in dom.stdout and 'id="distribution"' in dom.stdout and "<svg" in dom.stdout
    assert dom.stdout.count('class="cell"') == len(CLASS) * len(KATAS)
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    shot = tmp_path / "class-report.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1100,1300", report.as_uri()],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


# --- the container path ---------------------------------------------------------------------------------------

IN_CONTAINERS = ["ada_full", "cy_untouched", "fay_forges_reports", "mo_writes_own_grade"]


@pytest.fixture(scope="module")
def contained():
    """A few of the class graded by `auto` where the (stand-in) engine answers: one container each."""
    work = _work()
    built = _build_class(work, IN_CONTAINERS)
    env, log = _fake_docker(work / "docker", engine_up=True)
    done = subprocess.run(built["command"], cwd=built["template"], env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    yield {**built, "done": done, "calls": _calls(log)}
    shutil.rmtree(work, ignore_errors=True)


def _options(argv: list[str]) -> list[tuple[str, str]]:
    """`docker run`'s options as (flag, value) pairs, in order; flags without a value get ''."""
    valued = {"--name", "--pull", "--network", "--tmpfs", "--memory", "--memory-swap", "--pids-limit", "--cpus",
              "--user", "--security-opt", "--cap-drop", "--workdir", "--mount", "-e"}  # fmt: skip
    found, at = [], 1
    while argv[at].startswith("-"):
        takes = argv[at] in valued
        found.append((argv[at], argv[at + 1] if takes else ""))
        at += 2 if takes else 1
    return found


def test_each_submission_runs_in_a_locked_down_container(contained):
    runs = [call for call in contained["calls"] if call[0] == "run"]
    assert len(runs) == len(IN_CONTAINERS)
    assert len({dict(_options(run))["--name"] for run in runs}) == len(runs)
    for run in runs:
        options = _options(run)
        flags = dict(options)
        assert ("--network", "none") in options and ("--read-only", "") in options and ("--rm", "") in options
        assert ("--cap-drop", "ALL") in options and ("--security-opt", "no-new-privileges") in options
        assert flags["--pull"] == "never", "a missing image must never be fetched from a registry"
        assert flags["--memory"] == flags["--memory-swap"] and int(flags["--pids-limit"]) > 0
        assert float(flags["--cpus"]) >= 1
        assert flags["--user"].split(":")[0] != "0" and "--privileged" not in run
        assert flags["--tmpfs"].startswith("/tmp:")
        mounts = {m.split("target=")[1].split(",")[0]: m for flag, m in options if flag == "--mount"}
        assert set(mounts) == {"/template", "/submission", "/hidden", "/out"}
        assert mounts["/template"].endswith(",readonly") and mounts["/submission"].endswith(",readonly")
        assert f"source={contained['template']}," in mounts["/template"]
        assert not mounts["/out"].endswith(",readonly") and all("type=bind" in m for m in mounts.values())
        image_at = len(run) - run[::-1].index("python") - 1
        assert run[image_at - 1] == "sha256:" + "ab" * 32, "the image id checked at the start, not a tag"
        assert run[image_at + 1 : image_at + 4] == ["-m", "graders", "grade"]
        assert "/out/report.json" in run and "--remove-extra-tests" in run
    assert [call[:2] for call in contained["calls"][:2]] == [["info", "--format"], ["image", "inspect"]]


def test_containers_grade_honestly_and_say_so(contained):
    rows = _csv(contained["out"])
    assert {s: float(rows[s]["total"]) for s in IN_CONTAINERS} == {s: CLASS[s][1] for s in IN_CONTAINERS}
    assert "python_pandas/e02_second" in rows["fay_forges_reports"]["tampered"]
    assert {row["isolation"] for row in rows.values()} == {"container"}
    ada = json.loads((contained["out"] / "submissions" / "ada_full.json").read_text())
    assert ada["isolated_by"] == "container" and ada["isolation"].startswith("container per submission")
    assert ada["hidden_tests"] == {"ran": 1, "passed": 1}, "the hidden tests reach the container's grader"
    assert (
        f"grade-class: {len(IN_CONTAINERS)} submissions; container per submission" in contained["done"].stdout
    )
    assert "container per submission" in (contained["out"] / "report.html").read_text()
    mo = json.loads((contained["out"] / "submissions" / "mo_writes_own_grade.json").read_text())
    assert "did not end normally" in mo["untrusted"] and "/proc" in json.dumps(mo["flags"])


def test_container_isolation_without_an_engine_says_why_in_one_line(tmp_path, monkeypatch):
    env, _ = _fake_docker(tmp_path / "down", engine_up=False)
    monkeypatch.setenv("PATH", env["PATH"])
    with pytest.raises(classgrade.ClassGradeError) as down:
        classgrade.choose_isolation("container")
    assert "no Docker engine answers (Cannot connect to the Docker daemon" in str(down.value)
    assert "--isolation local" in str(down.value) and "\n" not in str(down.value)
    env, _ = _fake_docker(tmp_path / "unbuilt", engine_up=True, image_built=False)
    monkeypatch.setenv("PATH", env["PATH"])
    with pytest.raises(
        classgrade.ClassGradeError, match=r"image ds-katas is not built here: docker build -t ds-katas -f"
    ):
        classgrade.choose_isolation("container")
    chosen, why = classgrade.choose_isolation("auto")
    assert chosen.kind == "local" and "not built" in why
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no docker client at all
    with pytest.raises(classgrade.ClassGradeError, match=r"no Docker engine answers \(no docker client\)"):
        classgrade.choose_isolation("container")


KATA_ONE = Kata(Path("."), "python_pandas", "e01_first", {"points": 10})


def _report(score: float = 10, name: str = "python_pandas/e01_first") -> dict:
    return {"max_score": 10, "tests": [{"name": name, "score": score, "max_score": 10, "status": "pass"}]}


@pytest.mark.parametrize(
    ("returncode", "forge", "why"),
    [
        (0, None, ""),
        (143, None, ""),
        (-9, None, "did not end normally (exit -9)"),
        (137, None, "did not end normally (exit 137)"),
        (None, None, "did not end normally"),
        (0, "link", "replaced by a link"),
        (0, "folder", "output folder was replaced"),
        (0, "missing", "wrote no report"),
        (0, "other kata", "does not list the katas graded"),
        (0, "too many points", "impossible"),
        (0, "garbage", "does not list the katas graded"),
    ],
)
def test_a_report_counts_only_from_a_grader_that_ended_normally(tmp_path, returncode, forge, why):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.json").write_text(json.dumps(_report()))
    (out / "report.json").write_text(json.dumps(_report()))
    if forge == "link":
        (out / "report.json").unlink()
        (out / "report.json").symlink_to(elsewhere / "report.json")
    elif forge == "folder":
        shutil.rmtree(out)
        out.symlink_to(elsewhere)
    elif forge == "missing":
        (out / "report.json").unlink()
    elif forge in ("other kata", "too many points", "garbage"):
        forged = {"other kata": _report(name="python_pandas/e02_second"), "too many points": _report(11)}
        (out / "report.json").write_text(json.dumps(forged.get(forge, [1, 2])))
    report, said = classgrade.read_report(out, returncode, [KATA_ONE])
    assert (report is None) == bool(why) and why in said


def test_the_host_zeroes_what_it_saw_changed_whatever_the_report_says(tmp_path):
    template = _template(tmp_path / "template", ["e01_first"]).root
    submission = tmp_path / "submission"
    subprocess.run(["git", "clone", "-q", str(template), str(submission)], check=True, capture_output=True)
    _write(submission / "katas/python_pandas/e01_first/test_demo.py", "def test_ok():\n    assert True\n")
    _write(
        submission / "katas/python_pandas/e01_first/demo.py", "import gc\n" + textwrap.dedent(ADD_SOLUTION)
    )
    trusted = classgrade.TrustedTree.from_dir(template)
    facts = classgrade.HostFacts.read(submission, trusted, [KATA_ONE])
    report = facts.apply(_report() | {"tampered": {}, "flags": {}})
    assert report["tests"][0]["score"] == 0 and "edited: katas/python_pandas/e01_first/test_demo.py" in str(
        report["tampered"]["python_pandas/e01_first"]
    )
    assert any("gc" in flag for flag in report["flags"]["python_pandas/e01_first"])


def _engine_and_image() -> str | None:
    """Why the real-engine test cannot run here, or None."""
    from graders.kit.docker_engine import docker_available, why_unavailable

    if not docker_available():
        return why_unavailable()
    return classgrade.probe_container(classgrade.DEFAULT_IMAGE)[1] or None


@pytest.mark.docker
def test_a_real_engine_grades_in_containers():
    """Where an engine answers and the learner image is built (docker build -f docker/Dockerfile -t ds-katas .)."""
    if why := _engine_and_image():
        pytest.skip(why)
    work = _work()
    try:
        built = _build_class(work, ["ada_full", "cy_untouched", "mo_writes_own_grade"])
        done = subprocess.run(built["command"], cwd=built["template"], capture_output=True, text=True,
                              timeout=900)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        rows = _csv(built["out"])
        assert {row["isolation"] for row in rows.values()} == {"container"}, done.stdout
        assert float(rows["ada_full"]["total"]) == 30 and float(rows["cy_untouched"]["total"]) == 0
        # PID 1 of its container, the grader outlives the kill, overwrites the forgery and grades honestly.
        assert float(rows["mo_writes_own_grade"]["total"]) == 10, rows["mo_writes_own_grade"]
        ada = json.loads((built["out"] / "submissions" / "ada_full.json").read_text())
        assert ada["hidden_tests"] == {"ran": 1, "passed": 1}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_the_command_line_takes_the_isolation_and_says_why_it_cannot(tmp_path):
    env, _ = _fake_docker(tmp_path / "down", engine_up=False)
    (tmp_path / "roster").mkdir()
    command = [sys.executable, "-m", "graders", "grade-class", str(tmp_path / "roster"), "--template", str(REPO),
               "--out", str(tmp_path / "out"), "--isolation", "container", "--image", "my-image"]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert (
        "--isolation container: no Docker engine answers" in done.stderr
        and "--isolation local" in done.stderr
    )
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
