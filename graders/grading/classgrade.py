"""`python -m graders grade-class`: grade every submission of a class on the instructor's side.

Classroom grades inside each student's repository, where the student controls the run. An instructor who needs
a grade to defend grades here instead, as otter-grader does: every submission is graded by `graders grade` in
its own run against a pinned template (`--template`), with only each kata's learner files taken from the
submission, and a private copy of the hidden tests that the grader reads, then deletes before any learner code
runs. Every result says which isolation ran:

- **container** (where a Docker engine answers and the learner image is built): one `docker run` per
  submission, with no network, a read-only root and template, the submission read-only, tmpfs scratch, memory,
  process and CPU limits, a non-root user, no capabilities and no privilege gain. The grader is the container's
  PID 1, so the submission's code cannot kill it (a SIGTERM only makes it stop and report what it graded).
- **local sandbox**: a private folder, as a user of its own when the grader runs as root, in a network
  namespace with loopback only where the system allows one, under the grader's memory and process bounds.

Either way a submission cannot write its own grade: the host takes the report only from a grader that ended
normally, as a plain file of the expected shape, then re-applies what it checks itself before any learner code
runs (graded files the submission changed zero their kata; the static scan's flags). Resumable: a submission
already graded at the same commit, against the same template, tests, hidden tests and isolation, is not graded
again. Outputs: one JSON per submission, `grades.csv`, and `report.html` (graders.grading.classreport).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from graders.catalog import Kata
from graders.grading import scan
from graders.grading.grade import KataGrade, classroom_json
from graders.grading.staging import TrustedTree, compare

SANDBOX_UID_BASE = 61000  # one uid per parallel slot when the grader runs as root
ISOLATIONS = ("auto", "container", "local")
DEFAULT_IMAGE = "ds-katas"
BUILD_HINT = "docker build -t {image} -f {template}/docker/Dockerfile {template}"
REPORT_LIMIT = 20 * 1024 * 1024  # a real report is a few kB
TRUSTED_EXITS = (0, 143)  # graded, or stopped by SIGTERM after writing what it had (graders.grading.grade)
# Inside the container: where each mount lies. The template and the submission are read-only.
MOUNTED = {"template": "/template", "submission": "/submission", "hidden": "/hidden", "out": "/out"}


class ClassGradeError(Exception):
    """A problem with the instructor's set-up, said in one line."""


@dataclass
class Submission:
    name: str
    folder: Path


@dataclass(frozen=True)
class Limits:
    """One container's bounds (`docker run --memory/--pids-limit/--cpus`, and its tmpfs scratch)."""

    memory: str = "6g"
    pids: int = 1024  # threads count: TensorFlow and torch start dozens
    cpus: float | None = None  # None: the machine's cores shared among the parallel jobs
    scratch: str = "4g"


@dataclass(frozen=True)
class Isolation:
    kind: str  # "container" or "local"
    own_user: bool  # each submission runs as a uid of its own (the grader runs as root)
    netns: bool = False  # local: a network namespace with loopback only
    image: str = ""  # container: the tag asked for, and the id it named when the run started
    image_id: str = ""
    limits: Limits = field(default_factory=Limits)

    def describe(self) -> str:
        if self.kind == "local":
            return describe_isolation(self.own_user, self.netns)
        user = "its own non-root user" if self.own_user else f"the grader's uid {os.geteuid()}"
        lim = self.limits
        return (
            f"container per submission: image {self.image} ({self.image_id[:19]}); no network; read-only root, "
            f"template and submission; memory {lim.memory}, {lim.pids} processes, CPUs {lim.cpus:g}; {user}; "
            "no capabilities, no privilege gain"
        )

    def fingerprint(self) -> str:
        """What of the isolation a grade depends on: the image's packages, for a container."""
        return f"container {self.image_id}" if self.kind == "container" else "local"


def find_submissions(source: Path, clones: Path) -> list[Submission]:
    """A folder of student repositories (as `gh classroom clone student-repos` writes), or a file of URLs/paths."""
    if not source.exists():
        raise ClassGradeError(f"{source}: no such folder of repositories or file of URLs")
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


def submission_key(
    sub: Submission, katas: list[Kata], trusted: TrustedTree, hidden: Path | None, isolation: Isolation
) -> str:
    """What a grade depends on: the learner files, the template, the hidden tests, the katas, the isolation."""
    sha = hashlib.sha256(trusted.digest().encode() + _digest_dir(hidden).encode())
    sha.update(isolation.fingerprint().encode())
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


# --- choosing the isolation ------------------------------------------------------------------------------------


def isolation_available() -> tuple[bool, bool]:
    """(own user per submission, network namespace): what this machine allows a local sandbox."""
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


def _docker(*args: str, timeout: float = 20) -> subprocess.CompletedProcess | None:
    """The docker client's answer (exit 124 when it gives none in time), or None when it is not installed."""
    if shutil.which("docker") is None:
        return None
    try:
        return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, "", f"no answer within {timeout:g} s")


def probe_container(image: str, template: Path | str = "<template checkout>") -> tuple[str, str]:
    """(the image's id, '') where one container per submission can run, else ('', why not).

    Local questions only (`docker info`, `docker image inspect`): nothing is ever asked of a registry."""
    info = _docker("info", "--format", "{{.ServerVersion}}", timeout=10)
    if info is None or info.returncode != 0 or not info.stdout.strip():
        said = (info.stderr.strip().splitlines() or [""])[-1] if info is not None else "no docker client"
        return "", "no Docker engine answers" + (f" ({said})" if said else "")
    found = _docker("image", "inspect", "--format", "{{.Id}}", image)
    if found is None or found.returncode != 0 or not found.stdout.strip():
        return "", f"the image {image} is not built here: {BUILD_HINT.format(image=image, template=template)}"
    return found.stdout.strip(), ""


def choose_isolation(
    requested: str,
    image: str = DEFAULT_IMAGE,
    limits: Limits | None = None,
    jobs: int = 1,
    template: Path | str = "<template checkout>",
) -> tuple[Isolation, str]:
    """The isolation to grade with, and why a container was not chosen ('' when it was, or local was asked)."""
    if requested not in ISOLATIONS:
        raise ClassGradeError(f"--isolation {requested}: choose one of {', '.join(ISOLATIONS)}")
    image_id, why = probe_container(image, template) if requested != "local" else ("", "")
    if requested == "container" and why:
        raise ClassGradeError(f"--isolation container: {why}; or grade with --isolation local")
    if not image_id:
        return Isolation("local", *isolation_available()), why
    limits = limits or Limits()
    if limits.cpus is None:
        limits = replace(limits, cpus=max(1.0, (os.cpu_count() or 1) / max(1, jobs)))
    return Isolation("container", os.geteuid() == 0, image=image, image_id=image_id, limits=limits), ""


# --- grading one submission ------------------------------------------------------------------------------------


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


def _grader_args(paths: list[str], where: dict[str, str], hidden: bool, deadline_minutes: float) -> list[str]:
    """`graders grade` for one submission; `where` names the template, submission, hidden and out folders."""
    args = [
        "-m", "graders", "grade", *paths, "--template", where["template"], "--submission", where["submission"],
        "--json", f"{where['out']}/report.json", "--deadline-minutes", str(deadline_minutes),
    ]  # fmt: skip
    return [*args, "--extra-tests", where["hidden"], "--remove-extra-tests"] if hidden else args


# Git refuses a checkout owned by another user ("dubious ownership"): the template is one, read-only here.
GIT_SAFE = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "*"}


Ran = tuple[int | None, str]  # the grader's exit status (None: it ran out of time) and its output's tail


def _run_local(
    box: Path, template: Path, args: list[str], isolation: Isolation, uid: int, timeout: float
) -> Ran:
    command = [sys.executable, *args]
    if isolation.own_user:
        command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--", *command]
    if isolation.netns:
        command = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    env = {**os.environ, **GIT_SAFE, "TMPDIR": str(box / "tmp"), "HOME": str(box), "NO_COLOR": "1"}
    try:
        done = subprocess.run(command, cwd=template, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"the grader did not finish within {timeout:.0f} s"
    return done.returncode, done.stdout[-2000:] + done.stderr[-2000:]


def container_command(
    name: str, box: Path, template: Path, args: list[str], isolation: Isolation, uid: int
) -> list[str]:
    """One submission's `docker run`: nothing reachable but its own mounts, nothing kept after it ends."""
    lim = isolation.limits
    mounts = {"template": template, "submission": box / "submission", "out": box / "out"}
    if (box / "hidden").is_dir():
        mounts["hidden"] = box / "hidden"  # writable: the grader deletes it before any learner code runs
    command = [
        "docker", "run", "--rm", "--name", name, "--pull", "never", "--network", "none", "--read-only",
        "--tmpfs", f"/tmp:rw,exec,nosuid,nodev,size={lim.scratch}", "--memory", lim.memory,
        "--memory-swap", lim.memory, "--pids-limit", str(lim.pids), "--cpus", f"{lim.cpus:g}",
        "--user", f"{uid}:{uid}", "--security-opt", "no-new-privileges", "--cap-drop", "ALL",
        "--workdir", MOUNTED["template"],
    ]  # fmt: skip
    for key, source in mounts.items():
        readonly = ",readonly" if key in ("template", "submission") else ""
        command += ["--mount", f"type=bind,source={source},target={MOUNTED[key]}{readonly}"]
    env = {**GIT_SAFE, "HOME": "/tmp", "TMPDIR": "/tmp", "USER": "grader", "NO_COLOR": "1"}
    for key, value in env.items():
        command += ["-e", f"{key}={value}"]
    # No --init: the grader is PID 1, which no signal from inside the container can kill (SIGKILL included).
    return [*command, isolation.image_id, "python", *args]


def _run_container(
    box: Path, template: Path, args: list[str], isolation: Isolation, uid: int, timeout: float
) -> Ran:
    name = f"katas-grade-{secrets.token_hex(6)}"
    try:
        done = subprocess.run(
            container_command(name, box, template, args, isolation, uid),
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        _docker("rm", "-f", name)
        return None, f"the grader did not finish within {timeout:.0f} s"
    if done.returncode in (125, 126, 127):  # docker's own failures: a set-up problem, the same for everyone
        said = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ClassGradeError(f"docker run failed (exit {done.returncode}): {said}")
    return done.returncode, done.stdout[-2000:] + done.stderr[-2000:]


def read_report(out: Path, returncode: int | None, katas: list[Kata]) -> tuple[dict | None, str]:
    """The grader's report, or None and why it cannot be trusted.

    Learner code runs as the grader's user, so it can write into `out`. What it cannot do is make the grader end
    normally without writing last (the grader writes after every process of the run is killed): so the report
    counts only from a normal exit, read as a plain file (never through a link), of the expected shape.
    """
    if returncode not in TRUSTED_EXITS:
        return None, f"the grader did not end normally (exit {returncode})"
    if out.is_symlink():
        return None, "the output folder was replaced"
    try:
        fd = os.open(out / "report.json", os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None, "the grader wrote no report (or it was replaced by a link)"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, "the report is not a plain file"
        raw = handle.read(REPORT_LIMIT + 1)
    try:
        report = json.loads(raw) if len(raw) <= REPORT_LIMIT else None
    except ValueError:
        report = None
    tests = report.get("tests") if isinstance(report, dict) else None
    if not isinstance(tests, list) or [t.get("name") for t in tests if isinstance(t, dict)] != [
        k.rel for k in katas
    ]:
        return None, "the report does not list the katas graded"
    for test, kata in zip(tests, katas, strict=True):
        score = test.get("score")
        possible = isinstance(score, int | float) and 0 <= score <= kata.points
        if test.get("max_score") != kata.points or not possible:
            return None, f"the report's score for {kata.rel} is impossible"
    return report, ""


def _untrusted(katas: list[Kata], why: str) -> dict:
    """Every kata at 0, flagged with the reason: a person decides what happened."""
    reason = f"not graded: {why}; the grade cannot be trusted (see log_tail)"
    report = classroom_json([KataGrade(kata, [], tampered=[reason]) for kata in katas])
    report["untrusted"] = why
    return report


@dataclass
class HostFacts:
    """What the host reads of a submission before any of its code runs: changed graded files, scan flags."""

    changed: dict[str, list[str]]
    flags: dict[str, list[str]]

    @classmethod
    def read(cls, submission: Path, trusted: TrustedTree, katas: list[Kata]) -> HostFacts:
        findings = compare(trusted, submission, [(k.topic, k.name) for k in katas])
        flags = {}
        for kata in katas:
            learner_dir = submission / "katas" / kata.topic / kata.name
            if found := scan.scan_files(learner_dir, trusted.learner_files(kata.topic, kata.name)):
                flags[kata.rel] = found
        return cls(findings.by_kata, flags)

    def apply(self, report: dict) -> dict:
        """The grader inside applies the same rules: where its report disagrees, the host's reading wins."""
        for test in report["tests"]:
            rel = test["name"]
            changes = self.changed.get(rel)
            if changes and (test["score"] or rel not in report.get("tampered", {})):
                why = f"graded files of this kata were changed ({', '.join(changes[:5])}), seen by the host"
                test.update(score=0, status="fail", message=f"0 points: {why}")
                report.setdefault("tampered", {}).setdefault(rel, []).append(why)
            said = report.setdefault("flags", {}).get(rel, [])
            if seen := [f for f in self.flags.get(rel, []) if f not in said]:
                report["flags"][rel] = [*said, *seen]
        return report


def grade_one(
    sub: Submission,
    *,
    template: Path,
    katas: list[Kata],
    paths: list[str],
    trusted: TrustedTree,
    hidden: Path | None,
    slot: int,
    isolation: Isolation,
    deadline_minutes: float,
) -> dict:
    """Grade one submission in its own container or sandbox; returns its JSON report (checked by the host)."""
    # Cleaning up may race a killed grader's last processes: what they leave is in a temporary folder anyway.
    with tempfile.TemporaryDirectory(prefix="katas-class-", ignore_cleanup_errors=True) as tmp:
        box = Path(tmp)
        for folder in ("submission", "out", "tmp"):
            (box / folder).mkdir()
        _copy_learner_tree(sub, box / "submission")
        if hidden is not None and hidden.is_dir():
            shutil.copytree(hidden, box / "hidden", ignore=shutil.ignore_patterns(".git"))
        facts = HostFacts.read(box / "submission", trusted, katas)  # before any learner code runs
        # As root, a uid per parallel slot: two submissions graded at once cannot reach each other's files.
        uid = SANDBOX_UID_BASE + slot if os.geteuid() == 0 else os.geteuid()
        if os.geteuid() == 0:
            _chown_tree(box, uid)
            os.chmod(box, 0o700)
        if isolation.kind == "container":
            where, run = MOUNTED, _run_container
        else:
            where = {"template": str(template), **{k: str(box / k) for k in ("submission", "hidden", "out")}}
            run = _run_local
        args = _grader_args(paths, where, (box / "hidden").is_dir(), deadline_minutes)
        started = time.monotonic()
        returncode, tail = run(box, template, args, isolation, uid, deadline_minutes * 60 + 600)
        report, why = read_report(box / "out", returncode, katas)
        if report is None:
            report = _untrusted(katas, tail if returncode is None else why)
            report["log_tail"] = tail
        report = facts.apply(report)
        report["student"] = sub.name
        report["isolation"] = isolation.describe()
        report["isolated_by"] = isolation.kind
        report["graded_s"] = round(time.monotonic() - started, 1)
    return report


def _chown_tree(folder: Path, uid: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, uid, uid)


# --- the class -------------------------------------------------------------------------------------------------


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
    isolation: str = "auto",
    image: str = DEFAULT_IMAGE,
    limits: Limits | None = None,
    echo: Callable[[str], None] = print,
) -> list[dict]:
    """Grade every submission (skipping those already graded with the same inputs); write the outputs.

    `shard` (index, count): grade only every count-th submission, from index (a CI matrix's share).
    `isolation`: "container", "local", or "auto" (a container where an engine answers and `image` is built).
    """
    from graders.grading.classreport import write_csv, write_html

    out.mkdir(parents=True, exist_ok=True)
    per_student = out / "submissions"
    per_student.mkdir(exist_ok=True)
    chosen, why_not = choose_isolation(isolation, image, limits, jobs, template)  # before cloning a roster
    trusted = TrustedTree.from_dir(template)
    submissions = find_submissions(source, out / "repos")[shard[0] :: shard[1]]
    local_own_user = chosen.kind == "local" and chosen.own_user
    if hidden is not None and local_own_user and hidden.stat().st_mode & 0o077:
        raise ClassGradeError(
            f"{hidden} can be read by other users, so by the submissions' code too: "
            f"`chmod -R go-rwx {hidden}` first"
        )
    if why_not:
        echo(f"grade-class: no container ({why_not}): each submission runs in a local sandbox")
    echo(f"grade-class: {len(submissions)} submissions; {chosen.describe()}")
    if hidden is not None and chosen.kind == "local" and not chosen.own_user:
        echo("warning: without a user switch (run as root for one), submissions can read the hidden tests")
    slots = list(range(max(1, jobs)))
    lock = threading.Lock()
    done = 0

    def one(sub: Submission) -> dict:
        nonlocal done
        key = submission_key(sub, katas, trusted, hidden, chosen)
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
                sub, template=template, katas=katas, paths=paths, trusted=trusted, hidden=hidden, slot=slot,
                isolation=chosen, deadline_minutes=deadline_minutes,
            )  # fmt: skip
        finally:
            with lock:
                slots.append(slot)
        report["key"] = key  # an untrusted result too: delete its JSON to grade it again
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        with lock:
            done += 1
            total = sum(t["score"] for t in report["tests"])
            said = f"; NOT TRUSTED: {report['untrusted']}" if report.get("untrusted") else ""
            echo(
                f"[{done}/{len(submissions)}] {sub.name}: {total:g}/{report['max_score']} "
                f"({report['graded_s']} s, {chosen.kind}){said}"
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
    from graders.grading.classreport import write_csv, write_html

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
