"""The learner's screen: one kata's results on one screen, failures grouped, the first one explained.

A stub fails every test with the same "write it in FILE" message; a half-solved kata often fails a dozen tests
for one reason. Repeating each is noise: failures whose messages have the same shape collapse into one line
with a count, and only the first real failure is shown in full (the test's name in words, what was expected
and what came back, and the line of the learner's file where it failed). `katas check`, `katas watch`,
`katas next` and the plugin's summary after a plain `pytest` run all use this view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graders.runner import TestResult

TODO = re.compile(r"NotImplementedError: (?P<func>[\w.]+): write it in (?P<file>\S+)")
FRAME = re.compile(r"^(?P<path>\S+\.py):(?P<line>\d+): in (?P<func>\S+)", re.MULTILINE)
_PATH = re.compile(r"(?<![\w.])(?:/[\w.@+-]+)+/?")  # absolute paths differ from one checkout to the next
# Where the files under test lie, relative to the repository: `katas/t/k/app.py` in the learner's checkout and
# a graded tree, `solutions/t/k/app.py` or an absolute folder (blanked above) through the implementation switch.
_LOCATION = re.compile(r"(?<![\w./-])(?:katas|solutions)(?:/[\w.@+-]+){2,}/?")
# A learner module's name ends with a digest of its path (graders.impl.KataFiles.module), so an exception class
# it defines reads `kata_sklearn_q09_persistence_persist_5312e7fe01.ModelLoadError`, differently per copy.
_MODULE = re.compile(r"\bkata_\w+?_[0-9a-f]{10}\b")
# A module's repr names where it was loaded from, and `__main__` is pytest's in a cold run, the grader's in a
# forked one: `<module 'pytest.__main__' from '/…'>`.
_MODULE_REPR = re.compile(r"<module '[^']*'(?: from '[^']*')?>")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+|\b[0-9a-f]{8,}\b")  # memory addresses, digests and temporary names
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
DETAIL_LINES = 8  # lines of the first failure's explanation shown without -v
GROUP_LINES = 4  # other groups shown without -v


@dataclass
class Group:
    """Failures that share a message shape: one line on the screen."""

    key: str
    results: list[TestResult] = field(default_factory=list)

    @property
    def first(self) -> TestResult:
        return self.results[0]


def words(nodeid: str) -> str:
    """`…::test_parse_value[-7--7]` → `parse value [-7--7]`: the test's name as a learner reads it."""
    name = nodeid.rsplit("::", 1)[-1]
    base, _, params = name.partition("[")
    base = base.removeprefix("test_").replace("_", " ")
    return f"{base} [{params}" if params else base


def shape(result: TestResult) -> str:
    """What failures have in common when they fail for one reason: the message without its values.

    Also what `diagnoses.toml` records of a near miss's failures, so nothing that differs between two runs of
    the same code may survive here: not where its files lie, not the name they were imported under."""
    todo = TODO.search(result.message)
    if todo:
        return f"todo:{todo['func']}:{todo['file']}"
    first = result.message.splitlines()[0] if result.message else result.outcome
    first = _MODULE_REPR.sub("<module>", first)
    first = _ADDRESS.sub("#", _PATH.sub("…", _LOCATION.sub("…", _MODULE.sub("…", first))))
    return f"{result.outcome}:{_NUMBER.sub('#', _QUOTED.sub('…', first))}"


def group(results: list[TestResult]) -> list[Group]:
    groups: dict[str, Group] = {}
    for result in results:
        if result.outcome in ("passed", "skipped"):
            continue
        groups.setdefault(shape(result), Group(shape(result))).results.append(result)
    return list(groups.values())


def todo_line(g: Group) -> str | None:
    todo = TODO.search(g.first.message)
    if not todo:
        return None
    count = len(g.results)
    tests = "1 test" if count == 1 else f"{count} tests"
    return f"{tests}: [bold]{todo['func']}[/] is not written yet — write it in {todo['file']}"


def explanation(result: TestResult) -> list[str]:
    """The assertion's own words (pytest's `E` lines), or the message when there are none."""
    lines = [line[4:] if line.startswith("E   ") else line[1:] for line in result.details.splitlines()
             if line.startswith("E ")]  # fmt: skip
    lines = [line for line in lines if line.strip()]
    return lines or [line for line in result.message.splitlines() if line.strip()] or [result.outcome]


def learner_frame(result: TestResult, learner_files: list[str]) -> str | None:
    """Where in the learner's own file the failure happened, when the traceback reaches it."""
    frames = [m for m in FRAME.finditer(result.details) if Path(m["path"]).name in learner_files]
    if not frames:
        return None
    last = frames[-1]
    return f"{last['path']} line {last['line']}, in {last['func']}"


def render(
    title: str,
    results: list[TestResult],
    learner_files: list[str],
    *,
    verbose: bool = False,
    hint: str = "",
) -> list[str]:
    """The kata's lines (rich markup): a header, the first real failure in full, one line per other group,
    and the hint of a known mistake when the failures match one (graders.diagnose)."""
    counted = [r for r in results if r.outcome != "skipped"]
    passed = sum(r.outcome == "passed" for r in counted)
    solved = bool(counted) and passed == len(counted)
    mark = "[green]✓[/]" if solved else "[red]✗[/]"
    lines = [f"{mark} [bold]{title}[/]  {passed}/{len(counted)} tests pass"]
    if solved or not counted:
        if not counted:
            lines.append("  no test ran: is the topic installed? (`katas doctor`)")
        return lines
    groups = group(counted)
    todos = [g for g in groups if todo_line(g)]
    real = [g for g in groups if not todo_line(g)]
    for g in todos:
        lines.append(f"  {todo_line(g)}")
    if real:
        first = real[0].first
        lines.append(f"  [red]{first.outcome}[/]: [bold]{words(first.nodeid)}[/]")
        detail = explanation(first)
        shown = detail if verbose else detail[:DETAIL_LINES]
        lines += [f"    {_escape(line)}" for line in shown]
        if len(detail) > len(shown):
            lines.append(f"    … {len(detail) - len(shown)} more lines (-v shows all)")
        where = learner_frame(first, learner_files)
        if where:
            lines.append(f"    at {where}")
        if len(real[0].results) > 1:
            lines.append(f"  and {len(real[0].results) - 1} more test(s) failing the same way")
        others = real[1:] if verbose else real[1 : 1 + GROUP_LINES]
        for g in others:
            count = len(g.results)
            message = _escape(g.first.message.splitlines()[0] if g.first.message else g.first.outcome)
            lines.append(f"  {count} test{'s' * (count > 1)}: {_clip(message)}")
        if len(real) > 1 + len(others):
            lines.append(f"  … {len(real) - 1 - len(others)} more kinds of failure (-v shows all)")
    if hint:
        lines.append(f"  [yellow]hint:[/] {_escape(hint)}")
    if verbose:
        lines.append("  failing tests:")
        lines += [f"    {r.outcome} {r.nodeid.rsplit('::', 1)[-1]}" for r in counted if r.outcome != "passed"]
    return lines


def _clip(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("[", r"\[")


_MARKUP = re.compile(r"(?<!\\)\[/?[a-z ]*\]")


def plain(line: str) -> str:
    """A rendered line without rich markup (for pytest's own terminal)."""
    return _MARKUP.sub("", line).replace("\\[", "[")
