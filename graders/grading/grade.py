"""`python -m graders grade`: score a submission kata by kata, each in its own isolated, bounded run.

One scoring model serves the local command, `--json` and GitHub Classroom:

- **Allow-list.** Each kata runs in a fresh temporary tree built from the trusted files (graders.grading.staging:
  the pinned template in Classroom, the committed files locally) plus that kata's `learner_files` from the
  submission. Nothing else of the submission is read.
- **Tampering scores 0.** A graded file the submission edited, deleted or added inside a kata's folder, or a
  run whose canary tests (graders.grading.canaries) show rewritten verdicts, gives the kata 0 with the reason.
- **Bounded.** Two passes: every kata first runs with a short per-test timeout and a wall budget, so a hang
  costs seconds and every working kata is credited early; katas that timed out are then run again with their
  full timeouts while the deadline allows. A kata's remaining tests fail at once after its first timeout.
- **Score.** Partial credit: the kata's points times the share of its tests (visible and hidden) that pass.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graders import sandbox
from graders.catalog import Kata, expected_seconds
from graders.diagnose import diagnose
from graders.grading import canaries, lanes, scan
from graders.grading.staging import Findings, TrustedTree, compare, read_hidden, stage
from graders.runner import TestResult, run_pytest
from graders.warm import Warm

STATUS_ORDER = ("timeout", "error", "failed")
FIRST_PASS_TEST_TIMEOUT_S = 10.0  # per test in the first pass; a slower correct test gets the second pass
FIRST_PASS_KATA_BUDGET_S = 150.0  # wall clock for one kata's first pass, start-up included
SECOND_PASS_KATA_BUDGET_S = 600.0


@dataclass
class KataGrade:
    kata: Kata
    results: list[TestResult]
    hidden: int = 0
    hidden_passed: int = 0
    tampered: list[str] = field(default_factory=list)  # why the kata scores 0 whatever its tests said
    flags: list[str] = field(default_factory=list)  # for the instructor: what the static scan saw
    notes: list[str] = field(default_factory=list)  # learner files not taken, extra files ignored
    hint: str = ""  # a known mistake recognised from the failures (graders.diagnose)

    def to_dict(self) -> dict:
        """What a grading lane sends back (graders.grading.lanes); `from_dict` reads it."""
        return {
            "kata": self.kata.rel,
            "results": [r.to_dict() for r in self.results],
            **{
                name: getattr(self, name)
                for name in ("hidden", "hidden_passed", "tampered", "flags", "notes", "hint")
            },
        }

    @classmethod
    def from_dict(cls, data: dict, katas: dict[str, Kata]) -> KataGrade:
        fields = {k: v for k, v in data.items() if k not in ("kata", "results")}
        return cls(katas[data["kata"]], [TestResult(**r) for r in data["results"]], **fields)

    @property
    def counted(self) -> list[TestResult]:
        return [r for r in self.results if r.outcome != "skipped"]

    @property
    def passed(self) -> int:
        return sum(r.outcome == "passed" for r in self.counted)

    @property
    def status(self) -> str:
        if self.tampered:
            return "tampered"
        if not self.counted:
            return "error"
        for status in STATUS_ORDER:
            if any(r.outcome == status for r in self.counted):
                return status
        return "passed"

    @property
    def score(self) -> float:
        """Partial credit: the kata's points times the share of its tests that pass; 0 when tampered."""
        if not self.counted or self.tampered:
            return 0.0
        return round(self.kata.points * self.passed / len(self.counted), 2)

    def message(self) -> str:
        if self.tampered:
            return "0 points: " + "; ".join(self.tampered)
        failing = [r for r in self.counted if r.outcome != "passed"]
        head = f"{self.passed}/{len(self.counted)} tests passed"
        if self.hidden:
            head += f" (hidden tests: {self.hidden_passed}/{self.hidden} passed)"
        if self.notes:
            head += f" [{'; '.join(self.notes)}]"
        if not failing:
            return head
        # The first failure of the kata's own status (a crash or a timeout before a plain assertion).
        first = next(r for r in failing if r.outcome == self.status)
        if _is_hidden(first):
            return f"{head}; a hidden test {first.outcome} (details hidden)"
        hint = f" — hint: {self.hint}" if self.hint else ""
        return f"{head}; first problem ({first.outcome}) in {first.nodeid}: {first.message}{hint}"


def _is_hidden(result: TestResult) -> bool:
    return result.nodeid.split("/", 1)[0] != "katas"


@dataclass
class Submission:
    """Where the learner files come from, and what is trusted to grade them with."""

    trusted: TrustedTree
    folder: Path  # the submission's checkout (its katas/ holds the learner files)
    impl: Path | None = None  # another implementation laid out like solutions/ (maintainers' checks)
    hidden: Path | None = None  # the instructor's hidden tests, laid out like katas/

    def learner_dir(self, kata: Kata) -> Path:
        if self.impl is not None and (self.impl / kata.topic / kata.name).is_dir():
            return self.impl / kata.topic / kata.name
        return self.folder / "katas" / kata.topic / kata.name


@dataclass
class GradeRun:
    grades: list[KataGrade]
    findings: Findings
    trusted_origin: str
    wall_s: float
    stopped: bool = False


def grade(root: Path, katas: list[Kata], **options) -> list[KataGrade]:
    """The grades alone (see `grade_run` for the options and the whole run's findings)."""
    return grade_run(root, katas, **options).grades


def grade_run(
    root: Path,
    katas: list[Kata],
    *,
    impl: str | None = None,
    extra_tests: Path | None = None,
    echo: Callable[[str], None] = print,
    submission: Path | None = None,
    trusted: TrustedTree | None = None,
    jobs: int = 1,
    deadline_s: float | None = None,
    protected_changes: list[str] | None = None,
    on_graded: Callable[[KataGrade], None] | None = None,
    remove_extra_tests: bool = False,
    warm: bool = True,
) -> GradeRun:
    """Grade `katas`; the learner files come from `submission` (default: `root`), everything else is trusted."""
    started = time.monotonic()
    deadline = started + deadline_s if deadline_s else None
    trusted = trusted or TrustedTree.of_repository(root)
    folder = (submission or root).resolve()
    impl_dir = _impl_dir(root, impl)
    names = [(k.topic, k.name) for k in katas]
    # Everything trusted is read before the first line of learner code runs.
    hidden = read_hidden(extra_tests, names) if extra_tests is not None and extra_tests.is_dir() else {}
    if remove_extra_tests and extra_tests is not None:
        shutil.rmtree(extra_tests, ignore_errors=True)  # each kata's run gets only its own hidden tests
    findings = compare(trusted, folder, names) if impl_dir is None else Findings()
    for change in protected_changes or []:
        parts = change.split(": ", 1)[-1].split("/")
        if parts[0] == "katas" and len(parts) > 3:
            findings.by_kata.setdefault(f"{parts[1]}/{parts[2]}", []).append(change)
    for line in findings.repository:
        echo(f"integrity: {line} (ignored: graded runs use the template's files)")
    sub = Submission(trusted, folder, impl_dir)
    sandbox.become_subreaper()
    lock = threading.Lock()
    by_rel: dict[str, KataGrade] = {}

    def record(result: KataGrade, first_pass: bool) -> None:
        with lock:
            by_rel[result.kata.rel] = result
            echo(_line(result) + ("" if first_pass else "  (second pass, full timeouts)"))
            if on_graded is not None:
                on_graded(result)

    def passes(chosen: list[Kata], workers: int, warm_parent: Warm | None, report) -> None:
        graded: dict[str, KataGrade] = {}

        def one(kata: Kata, first_pass: bool) -> None:
            if warm_parent is not None:
                warm_parent.preload(kata.topic)
            result = _grade_kata(
                kata, sub, findings, hidden.get(kata.rel, {}), deadline, first_pass, warm_parent
            )
            if result is None:
                return  # no time left for a second pass: the first pass's result stands
            graded[kata.rel] = result
            report(result, first_pass)

        def each(some: list[Kata], first_pass: bool) -> None:
            if workers > 1:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    list(pool.map(lambda k: one(k, first_pass), some))
            else:
                for kata in some:
                    one(kata, first_pass)

        # First pass: short test timeouts, so every working kata is credited early whatever else hangs.
        each(chosen, True)
        # Second pass: the katas that timed out get their full timeouts while the deadline allows.
        each([k for k in chosen if graded[k.rel].status == "timeout" and graded[k.rel].results], False)

    with sandbox.graceful_termination() as signals:
        if warm and lanes.usable(jobs):
            # One forked grader per topic, `jobs` at a time, each the warm parent of its katas' runs.
            by_kata = {k.rel: k for k in katas}
            topics: dict[str, list[Kata]] = {}
            for kata in katas:
                topics.setdefault(kata.topic, []).append(kata)

            def lane(part: list[Kata], send, private_fd: int) -> None:
                parent = Warm(root, private_fds=(private_fd,))
                passes(part, 1, parent, lambda g, first: send({"grade": g.to_dict(), "first_pass": first}))

            def received(message: dict) -> None:
                record(KataGrade.from_dict(message["grade"], by_kata), message["first_pass"])

            def ended(part: list[Kata], why: str) -> None:
                for kata in part:
                    if kata.rel not in by_rel:
                        lost = (
                            f"not graded: the grading lane of {kata.topic} ended early ({why or 'no report'})"
                        )
                        outcome = "timeout" if sandbox.stopping() else "error"
                        record(
                            KataGrade(kata, [TestResult(f"katas/{kata.rel}", kata.rel, outcome, lost)]), True
                        )

            heaviest = sorted(topics.values(), key=lambda ks: -expected_seconds(ks))
            lanes.run(lanes.plan(heaviest, jobs), jobs, lane, received, ended)
        else:
            # Forked runs from a grader that imported each topic's packages once (graders.warm), cold where it
            # can't; threads (jobs > 1 without fork) run cold.
            passes(katas, jobs, Warm(root) if warm and jobs == 1 else None, record)
        sandbox.reap_orphans()
    grades = [by_rel[k.rel] for k in katas]
    total = sum(g.score for g in grades)
    most = sum(g.kata.points for g in grades)
    echo(
        f"grade: {total:.2f}/{most} points; {sum(g.status == 'passed' for g in grades)} of {len(grades)} "
        f"katas solved; {time.monotonic() - started:.0f} s"
    )
    return GradeRun(grades, findings, trusted.origin, time.monotonic() - started, bool(signals))


def _impl_dir(root: Path, impl: str | None) -> Path | None:
    if not impl or impl == "katas":
        return None
    if impl == "solutions":
        return root / "solutions"
    return Path(impl).expanduser().resolve()


def _line(g: KataGrade) -> str:
    return f"{g.status:8} {g.score:6.2f}/{g.kata.points:<3} {g.kata.rel}  {g.message()[:200]}"


def _grade_kata(
    kata: Kata,
    sub: Submission,
    findings: Findings,
    hidden: dict[str, bytes],
    deadline: float | None,
    first_pass: bool,
    warm: Warm | None = None,
) -> KataGrade | None:
    if kata.rel in findings.by_kata:
        changes = findings.by_kata[kata.rel]
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")
        reason = f"graded files of this kata were changed ({shown}); restore them with `katas reset`"
        return KataGrade(kata, [], tampered=[reason])
    left = None if deadline is None else deadline - time.monotonic()
    if sandbox.stopping() or (left is not None and left < (1 if first_pass else 30)):
        if not first_pass:
            return None
        why = "not graded: the grading deadline was reached before this kata's turn"
        return KataGrade(kata, [TestResult(f"katas/{kata.rel}", kata.rel, "timeout", why)])
    learner_dir = sub.learner_dir(kata)
    ignored = findings.ignored.get(kata.rel)
    notes = [f"not graded (only learner files count): {', '.join(ignored)}"] if ignored else []
    with tempfile.TemporaryDirectory(prefix="katas-grade-") as tmp:
        tree = Path(tmp) / "tree"
        notes += stage(sub.trusted, kata.topic, kata.name, learner_dir, tree, hidden)
        grade_ = _run_staged(kata, tree, first_pass, left, warm)
        grade_.flags = scan.scan_files(learner_dir, sub.trusted.learner_files(kata.topic, kata.name))
        grade_.notes = notes
        sandbox.reap_orphans()  # nothing the kata's code started may live on into the next kata
    return grade_


def _run_staged(kata: Kata, tree: Path, first_pass: bool, left: float | None, warm: Warm | None) -> KataGrade:
    planted = canaries.plant()
    targets = [tree / "katas" / kata.topic / kata.name]
    if (tree / ".hidden-tests" / kata.topic / kata.name).is_dir():
        targets.append(tree / ".hidden-tests" / kata.topic / kata.name)
    args = ["--katas-stop-after-timeout"]
    budget = FIRST_PASS_KATA_BUDGET_S if first_pass else SECOND_PASS_KATA_BUDGET_S
    if first_pass:
        args.append(f"--katas-test-timeout={FIRST_PASS_TEST_TIMEOUT_S}")
    if left is not None:
        budget = max(1.0, min(budget, left))
    try:
        report = run_pytest(
            tree,
            targets,
            extra_args=args,
            env=canaries.to_env(planted),
            hardened=True,
            budget_s=budget,
            warm=warm,
        )
    except RuntimeError as exc:  # pytest could not start at all: the kata cannot be graded
        return KataGrade(kata, [TestResult(f"katas/{kata.rel}", kata.rel, "error", str(exc)[-500:])])
    results = [r for r in report.results if r.kata == kata.rel or r.kata is None]
    seen = [r.nodeid for r in results]
    own = [r for r in results if not canaries.is_canary(r.nodeid, planted)]
    grade_ = KataGrade(kata, own or [TestResult(f"katas/{kata.rel}", kata.rel, "error", "no test ran")])
    hidden = [r for r in grade_.counted if _is_hidden(r)]
    grade_.hidden, grade_.hidden_passed = len(hidden), sum(r.outcome == "passed" for r in hidden)
    # A crash or a timeout may leave canaries unreported; a must-fail canary reported passed always counts.
    complete = not report.crashes and not any(r.outcome in ("timeout", "error") for r in own)
    why = canaries.verdict(planted, results, complete=complete) if grade_.passed else None
    if grade_.passed and len(seen) != len(set(seen)):
        why = "a test reported more than one result"
    if why:
        grade_.tampered.append(f"the test run was tampered with: {why}")
    mistake = diagnose(tree / "katas" / kata.topic / kata.name, own)
    grade_.hint = mistake["hint"] if mistake else ""
    return grade_


def classroom_json(grades: list[KataGrade], *, integrity: list[str] | None = None) -> dict:
    """All katas in the results shape of GitHub Classroom's autograding reporter, plus the grader's notes."""
    everything_passed = all(g.status == "passed" for g in grades)
    hidden = sum(g.hidden for g in grades)
    return {
        "version": 1,
        "status": "pass" if everything_passed else "fail",
        "max_score": sum(g.kata.points for g in grades),
        "tests": [_test_entry(g) for g in grades],
        # Not read by the Classroom reporter: for the instructor, in the job log and the JSON artefact.
        "integrity_changes": sorted(integrity or []),
        "tampered": {g.kata.rel: g.tampered for g in grades if g.tampered},
        "flags": {g.kata.rel: g.flags for g in grades if g.flags},
        "hidden_tests": {"ran": hidden, "passed": sum(g.hidden_passed for g in grades)},
    }


def _test_entry(g: KataGrade) -> dict:
    return {
        "name": g.kata.rel,
        "status": "pass"
        if g.status == "passed"
        else ("error" if g.status in ("error", "timeout") else "fail"),
        "score": g.score,
        "max_score": g.kata.points,
        "message": g.message(),
        "test_code": f"pytest katas/{g.kata.rel}",
        "filename": f"katas/{g.kata.rel}",
        "line_no": 0,
        "duration": round(sum(r.duration for r in g.results) * 1000),
    }


def runner_result(g: KataGrade) -> dict:
    """One kata as one Classroom "runner": what autograding-command-grader would have output for it."""
    entry = _test_entry(g)
    return {"version": 1, "status": entry["status"], "max_score": g.kata.points, "tests": [entry]}


def write_json(grades: list[KataGrade], path: Path, **extra) -> None:
    path.write_text(json.dumps(classroom_json(grades, **extra), indent=2) + "\n", encoding="utf-8")
