"""`grade-class`: a synthetic class, every row of grades.csv against its honest score, and the HTML report."""

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
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


@pytest.fixture(scope="module")
def klass():
    # Under /tmp with ordinary permissions: the submissions' own users must be able to read the template.
    work = Path(tempfile.mkdtemp(prefix="katas-class-test-"))
    os.chmod(work, 0o755)
    template = _template(work / "template", list(KATAS)).root
    hidden = work / "hidden"
    _write(hidden / "python_pandas/e01_first/test_hidden.py",
           f'def test_hidden_add(kata):\n    assert kata.module("demo").add(7, 8) == 15, "{SECRET}"\n')  # fmt: skip
    for path in [hidden, *hidden.rglob("*")]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    submissions = work / "submissions"
    pid_file = work / "daemon.pid"
    for student, (files, _) in CLASS.items():
        repo = submissions / student
        subprocess.run(["git", "clone", "-q", str(template), str(repo)], check=True, capture_output=True)
        for kata, text in files.items():
            text = text.format(pid_file=str(pid_file)) if text is DAEMON else text
            text = text.format(secret=SECRET, hidden=str(hidden)) if text is READS_HIDDEN else text
            _write(repo / "katas/python_pandas" / kata / "demo.py", text)
    _write(
        submissions / "hal_config/katas/python_pandas/e01_first/pytest.ini", "[pytest]\naddopts = -p demo\n"
    )
    _git(submissions / "ivy_renames", "mv", "katas/python_pandas/e02_second/test_demo.py",
         "katas/python_pandas/e02_second/test_v2.py")  # fmt: skip
    out = work / "out"
    command = [sys.executable, "-m", "graders", "grade-class", str(submissions), "--template", str(template),
               "--extra-tests", str(hidden), "--out", str(out), "--jobs", "2"]  # fmt: skip
    started = time.monotonic()
    first = subprocess.run(command, cwd=template, capture_output=True, text=True, timeout=900)
    first_s = time.monotonic() - started
    assert first.returncode == 0, first.stdout + first.stderr
    started = time.monotonic()
    again = subprocess.run(command, cwd=template, capture_output=True, text=True, timeout=300)
    again_s = time.monotonic() - started
    yield {"work": work, "out": out, "first": first, "first_s": first_s, "again": again, "again_s": again_s}
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
    assert report["isolation"].startswith("local sandbox")
    assert "grade-class: 12 submissions; local sandbox" in klass["first"].stdout


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
