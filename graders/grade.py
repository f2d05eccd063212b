"""`python -m graders grade`: score the learner's files, kata by kata, in GitHub Classroom's result shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graders.catalog import Kata
from graders.runner import TestResult, run_pytest

STATUS_ORDER = ("timeout", "error", "failed")


@dataclass
class KataGrade:
    kata: Kata
    results: list[TestResult]
    hidden: int = 0
    hidden_passed: int = 0

    @property
    def counted(self) -> list[TestResult]:
        return [r for r in self.results if r.outcome != "skipped"]

    @property
    def passed(self) -> int:
        return sum(r.outcome == "passed" for r in self.counted)

    @property
    def status(self) -> str:
        if not self.counted:
            return "error"
        for status in STATUS_ORDER:
            if any(r.outcome == status for r in self.counted):
                return status
        return "passed"

    @property
    def score(self) -> float:
        """Partial credit: the kata's points times the share of its tests that pass."""
        if not self.counted:
            return 0.0
        return round(self.kata.points * self.passed / len(self.counted), 2)

    def message(self) -> str:
        failing = [r for r in self.counted if r.outcome != "passed"]
        head = f"{self.passed}/{len(self.counted)} tests passed"
        if self.hidden:
            head += f" (hidden tests: {self.hidden_passed}/{self.hidden} passed)"
        if not failing:
            return head
        first = failing[0]
        if _is_hidden(first):
            return f"{head}; a hidden test {first.outcome if first.outcome != 'failed' else 'failed'} (details hidden)"
        return f"{head}; first problem ({first.outcome}) in {first.nodeid}: {first.message}"


def _is_hidden(result: TestResult) -> bool:
    return result.nodeid.split("/", 1)[0] != "katas"


def grade(
    root: Path,
    katas: list[Kata],
    *,
    impl: str | None = None,
    extra_tests: Path | None = None,
    echo: Callable[[str], None] = print,
) -> list[KataGrade]:
    targets = [k.dir for k in katas]
    if extra_tests is not None:
        targets += [
            extra_tests / k.topic / k.name for k in katas if (extra_tests / k.topic / k.name).is_dir()
        ]
    report = run_pytest(root, targets, impl=impl)
    by_kata = report.by_kata()
    grades = []
    for kata in katas:
        results = by_kata.get(kata.rel, [])
        if not results:
            results = [TestResult(f"katas/{kata.rel}", kata.rel, "error", "no test ran for this kata")]
        grade_ = KataGrade(kata, results)
        hidden = [r for r in grade_.counted if _is_hidden(r)]
        grade_.hidden, grade_.hidden_passed = len(hidden), sum(r.outcome == "passed" for r in hidden)
        grades.append(grade_)
        echo(f"{grade_.status:8} {grade_.score:6.2f}/{kata.points:<3} {kata.rel}  {grade_.message()[:200]}")
    total = sum(g.score for g in grades)
    most = sum(g.kata.points for g in grades)
    echo(
        f"grade: {total:.2f}/{most} points; {sum(g.status == 'passed' for g in grades)} of {len(grades)} katas solved"
    )
    return grades


def classroom_json(
    grades: list[KataGrade], *, restored: list[str] | None = None, integrity: list[str] | None = None
) -> dict:
    """The results shape GitHub Classroom's autograding reporter reads."""
    tests = [
        {
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
        for g in grades
    ]
    everything_passed = all(g.status == "passed" for g in grades)
    hidden = sum(g.hidden for g in grades)
    return {
        "version": 1,
        "status": "pass" if everything_passed else "fail",
        "max_score": sum(g.kata.points for g in grades),
        "tests": tests,
        # Not read by the Classroom reporter: for the instructor, in the job log and the JSON artefact.
        "restored_files": sorted(restored or []),
        "integrity_changes": sorted(integrity or []),
        "hidden_tests": {"ran": hidden, "passed": sum(g.hidden_passed for g in grades)},
    }


def write_json(grades: list[KataGrade], path: Path, **extra) -> None:
    path.write_text(json.dumps(classroom_json(grades, **extra), indent=2) + "\n", encoding="utf-8")
