"""What a grade run writes: the JSON report, Classroom's per-kata outputs, and a Markdown summary table.

Classroom's reporter reads one result per "runner" from `<RUNNER>_RESULTS` (base64 JSON); the grading step
writes them as step outputs (`$GITHUB_OUTPUT`). A placeholder for every kata is written first and replaced as
each kata is graded, so a step cut short still reports every kata (the ungraded ones with 0 points).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from graders.catalog import Kata
from graders.dev.classroom import runner_id
from graders.grading.grade import GradeRun, KataGrade, classroom_json, runner_result
from graders.runner import TestResult


def _encoded(result: dict) -> str:
    return base64.b64encode(json.dumps(result).encode()).decode()


def write_placeholders(katas: list[Kata], outputs: Path) -> None:
    with open(outputs, "a", encoding="utf-8") as handle:
        for kata in katas:
            why = "not graded: the grading step stopped before this kata finished"
            placeholder = KataGrade(kata, [TestResult(f"katas/{kata.rel}", kata.rel, "timeout", why)])
            handle.write(f"{runner_id(kata)}={_encoded(runner_result(placeholder))}\n")


def append_output(grade: KataGrade, outputs: Path) -> None:
    with open(outputs, "a", encoding="utf-8") as handle:
        handle.write(f"{runner_id(grade.kata)}={_encoded(runner_result(grade))}\n")


def write_json(run: GradeRun, path: Path) -> None:
    """Classroom's results shape (version 1: status, max_score, tests) for all katas, plus the grader's notes."""
    data = classroom_json(run.grades, integrity=run.findings.repository)
    data["trusted"] = run.trusted_origin
    data["wall_s"] = round(run.wall_s, 1)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


_ICON = {"passed": "✅", "failed": "❌", "error": "💥", "timeout": "⏱️", "tampered": "🚫"}


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("<", "&lt;")


def summary_markdown(run: GradeRun) -> str:
    total = sum(g.score for g in run.grades)
    most = sum(g.kata.points for g in run.grades)
    solved = sum(g.status == "passed" for g in run.grades)
    lines = [
        "## Kata results",
        "",
        f"**{total:g} / {most} points**, {solved} of {len(run.grades)} katas solved.",
        "",
        "| kata | status | points | first problem | time |",
        "|---|---|---:|---|---:|",
    ]
    for g in run.grades:
        problem = "" if g.status == "passed" else g.message().split("; ", 1)[-1].split(" — hint: ")[0]
        problem = _cell(problem) + (f"<br>💡 {_cell(g.hint, 240)}" if g.hint else "")
        seconds = sum(r.duration for r in g.results)
        lines.append(
            f"| `{g.kata.rel}` | {_ICON.get(g.status, '')} {g.status} | {g.score:g} / {g.kata.points} "
            f"| {problem} | {seconds:.1f} s |"
        )
    if run.findings.repository:
        lines += [
            "",
            "**Files changed outside the katas (ignored: graded runs use the template's files):**",
            "",
        ]
        lines += [f"- `{line}`" for line in run.findings.repository[:50]]
    return "\n".join(lines) + "\n"


def write_summary(run: GradeRun, path: Path) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(summary_markdown(run))
