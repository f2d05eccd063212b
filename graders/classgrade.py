"""`python -m graders grade-class`: grade every submission of a class on the instructor's side.

Classroom grades inside each student's repository, where the student controls the run. An instructor who needs
a grade to defend grades here instead, as otter-grader does: every submission is graded by `graders grade` in
its own process against a pinned template (`--template`), with only each kata's learner files taken from the
submission, the hidden tests copied in for that process alone and deleted before any learner code runs.

Isolation, said plainly in every result: each submission runs in a **local sandbox**: a private folder, as a
user of its own when the grader runs as root (so two submissions graded at once cannot touch each other's
files, nor the instructor's hidden tests), in a network namespace with loopback only where the system allows
one, under the grader's memory and process bounds. Container isolation (one `docker run` per submission) is not
implemented yet: where that matters, run `grade-class` itself inside a container.

Resumable: a submission already graded at the same commit, against the same template, tests and hidden tests,
is not graded again. Outputs: one JSON per submission, `grades.csv`, and `report.html` (graders.classreport).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from graders.catalog import Kata
from graders.staging import TrustedTree

SANDBOX_UID_BASE = 61000  # one uid per parallel slot when the grader runs as root


class ClassGradeError(Exception):
    """A problem with the instructor's set-up, said in one line."""


@dataclass
class Submission:
    name: str
    folder: Path


def find_submissions(source: Path, clones: Path) -> list[Submission]:
    """A folder of student repositories (as `gh classroom clone student-repos` writes), or a file of URLs/paths."""
    if source.is_dir():
        folders = sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))
        return [Submission(p.name, p) for p in folders]
    found = []
    clones.mkdir(parents=True, exist_ok=True)
    for line in source.read_text(encoding="utf-8").splitlines():
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        name = Path(url.rstrip("/")).name.removesuffix(".git")
        target = clones / name
        if target.is_dir():
            subprocess.run(["git", "pull", "-q", "--ff-only"], cwd=target, capture_output=True, check=False)
        else:
            subprocess.run(["git", "clone", "-q", url, str(target)], capture_output=True, check=True)
        found.append(Submission(name, target))
    return found


def _digest_dir(folder: Path | None) -> str:
    sha = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and ".git" not in path.parts:
                sha.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def submission_key(sub: Submission, katas: list[Kata], trusted: TrustedTree, hidden: Path | None) -> str:
    """What a grade depends on: the learner files, the template, the hidden tests and the katas chosen."""
    sha = hashlib.sha256(trusted.digest().encode() + _digest_dir(hidden).encode())
    for kata in katas:
        sha.update(kata.rel.encode())
        for name in trusted.learner_files(kata.topic, kata.name):
            path = sub.folder / "katas" / kata.topic / kata.name / name
            sha.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"<missing>"))
    # Files beside the learner files can zero a kata (tampering): they count too.
    for path in sorted((sub.folder / "katas").rglob("*")) if (sub.folder / "katas").is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(path.relative_to(sub.folder).as_posix().encode())
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ("pytest.ini", "tox.ini", "setup.cfg", "setup.py", "conftest.py", "pyproject.toml"):
        path = sub.folder / name
        sha.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    return sha.hexdigest()


def isolation_available() -> tuple[bool, bool]:
    """(own user per submission, network namespace): what this machine allows."""
    own_user = os.geteuid() == 0 and shutil.which("setpriv") is not None
    netns = (
        shutil.which("unshare") is not None
        and shutil.which("ip") is not None
        and subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0
    )
    return own_user, netns


def describe_isolation(own_user: bool, netns: bool) -> str:
    parts = ["local sandbox: a private folder per submission, memory and time bounds"]
    parts.append("its own user" if own_user else "the grader's user (not root: no user switch)")
    parts.append(
        "a network namespace with loopback only" if netns else "no network namespace (not allowed here)"
    )
    return "; ".join(parts)


def _copy_learner_tree(sub: Submission, dest: Path) -> None:
    """The submission's files that grading reads (its katas/ and root files), without its .git."""
    ignore = shutil.ignore_patterns(".git", "__pycache__", ".venv", "node_modules")
    for child in sub.folder.iterdir():
        if child.name == ".git" or child.is_symlink():
            continue
        if child.is_dir():
            if child.name in ("katas", "graders", ".github"):
                shutil.copytree(child, dest / child.name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(child, dest / child.name)


def grade_one(
    sub: Submission,
    *,
    template: Path,
    paths: list[str],
    hidden: Path | None,
    out: Path,
    slot: int,
    own_user: bool,
    netns: bool,
    deadline_minutes: float,
) -> dict:
    """Grade one submission in its own sandbox; returns the JSON report (also written to `out`)."""
    with tempfile.TemporaryDirectory(prefix="katas-class-") as tmp:
        box = Path(tmp)
        submission, hidden_copy, scratch = box / "submission", box / "hidden", box / "tmp"
        submission.mkdir()
        scratch.mkdir()
        _copy_learner_tree(sub, submission)
        if hidden is not None and hidden.is_dir():
            shutil.copytree(hidden, hidden_copy, ignore=shutil.ignore_patterns(".git"))
        report_path = box / "report.json"
        command = [
            sys.executable, "-m", "graders", "grade", *paths, "--template", str(template),
            "--submission", str(submission), "--json", str(report_path),
            "--deadline-minutes", str(deadline_minutes),
        ]  # fmt: skip
        if hidden_copy.is_dir():
            command += ["--extra-tests", str(hidden_copy), "--remove-extra-tests"]
        env = {**os.environ, "TMPDIR": str(scratch), "HOME": str(box), "NO_COLOR": "1"}
        if own_user:
            uid = SANDBOX_UID_BASE + slot
            _chown_tree(box, uid)
            os.chmod(box, 0o700)
            command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--", *command]
        if netns:
            command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=template, env=env, capture_output=True, text=True, check=False,
            timeout=deadline_minutes * 60 + 600,
        )  # fmt: skip
        if not report_path.is_file():
            raise RuntimeError(f"grading {sub.name} failed (exit {result.returncode}):\n{result.stdout[-2000:]}"
                               f"{result.stderr[-2000:]}")  # fmt: skip
        report = json.loads(report_path.read_text(encoding="utf-8"))
        report["student"] = sub.name
        report["isolation"] = describe_isolation(own_user, netns)
        report["graded_s"] = round(time.monotonic() - started, 1)
    return report


def _chown_tree(folder: Path, uid: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, uid, uid)


def grade_class(
    source: Path,
    template: Path,
    *,
    out: Path,
    katas: list[Kata],
    paths: list[str],
    hidden: Path | None = None,
    jobs: int = 1,
    deadline_minutes: float = 50,
    shard: tuple[int, int] = (0, 1),
    echo: Callable[[str], None] = print,
) -> list[dict]:
    """Grade every submission (skipping those already graded with the same inputs); write the outputs.

    `shard` (index, count): grade only every count-th submission, from index (a CI matrix's share).
    """
    from graders.classreport import write_csv, write_html

    out.mkdir(parents=True, exist_ok=True)
    per_student = out / "submissions"
    per_student.mkdir(exist_ok=True)
    trusted = TrustedTree.from_dir(template)
    submissions = find_submissions(source, out / "repos")[shard[0] :: shard[1]]
    own_user, netns = isolation_available()
    if hidden is not None and own_user and hidden.stat().st_mode & 0o077:
        raise ClassGradeError(
            f"{hidden} can be read by other users, so by the submissions' code too: "
            f"`chmod -R go-rwx {hidden}` first"
        )
    echo(f"grade-class: {len(submissions)} submissions; {describe_isolation(own_user, netns)}")
    if hidden is not None and not own_user:
        echo("warning: without a user switch (run as root for one), submissions can read the hidden tests")
    slots = list(range(max(1, jobs)))
    lock = threading.Lock()
    done = 0

    def one(sub: Submission) -> dict:
        nonlocal done
        key = submission_key(sub, katas, trusted, hidden)
        path = per_student / f"{sub.name}.json"
        if path.is_file():
            previous = json.loads(path.read_text(encoding="utf-8"))
            if previous.get("key") == key:
                with lock:
                    done += 1
                    echo(f"[{done}/{len(submissions)}] {sub.name}: unchanged, kept")
                return previous
        with lock:
            slot = slots.pop()
        try:
            report = grade_one(
                sub, template=template, paths=paths, hidden=hidden, out=out, slot=slot,
                own_user=own_user, netns=netns, deadline_minutes=deadline_minutes,
            )  # fmt: skip
        finally:
            with lock:
                slots.append(slot)
        report["key"] = key
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        with lock:
            done += 1
            total = sum(t["score"] for t in report["tests"])
            echo(
                f"[{done}/{len(submissions)}] {sub.name}: {total:g}/{report['max_score']} ({report['graded_s']} s)"
            )
        return report

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        reports = list(pool.map(one, submissions))
    write_csv(reports, out / "grades.csv")
    write_html(reports, out / "report.html")
    echo(f"wrote {out / 'grades.csv'} and {out / 'report.html'}")
    return reports


def merge(folders: list[Path], out: Path, echo: Callable[[str], None] = print) -> list[dict]:
    """Join the per-submission JSON of several shards (a CI matrix) into one CSV and report."""
    from graders.classreport import write_csv, write_html

    reports: dict[str, dict] = {}
    for folder in folders:
        for path in (
            sorted((folder / "submissions").glob("*.json")) if (folder / "submissions").is_dir() else []
        ):
            report = json.loads(path.read_text(encoding="utf-8"))
            reports[report["student"]] = report
    ordered = [reports[name] for name in sorted(reports)]
    out.mkdir(parents=True, exist_ok=True)
    write_csv(ordered, out / "grades.csv")
    write_html(ordered, out / "report.html")
    echo(f"merged {len(ordered)} submissions into {out / 'grades.csv'} and {out / 'report.html'}")
    return ordered


def rows(reports: list[dict]) -> tuple[list[str], list[list]]:
    """The CSV: one row per student, each kata's points, the total, and what was flagged."""
    katas = [t["name"] for t in reports[0]["tests"]] if reports else []
    header = ["student", *katas, "total", "max", "tampered", "integrity_changes", "flags"]
    table = []
    for report in reports:
        scores = {t["name"]: t["score"] for t in report["tests"]}
        table.append(
            [
                report["student"],
                *[scores.get(k, 0) for k in katas],
                round(sum(scores.values()), 2),
                report["max_score"],
                "; ".join(sorted(report.get("tampered", {}))),
                len(report.get("integrity_changes", [])),
                sum(len(v) for v in report.get("flags", {}).values()),
            ]
        )
    return header, table


def write_rows(reports: list[dict], path: Path) -> None:
    header, table = rows(reports)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(table)
