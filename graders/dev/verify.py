"""`python -m graders verify`: the project's core self-check.

For every kata: metadata and README complete; every test fails against the stub with a message naming the
file to edit; every test passes against `solutions/`; every near miss (`solutions/<topic>/<kata>/near_misses/*`)
fails at least one test by an assertion (a near miss whose only failures are an ImportError, a SyntaxError, a
collection error or an exception raised while its module is imported is no kill); a committed
`solutions/<topic>/<kata>/mutants.toml` lists no unexplained surviving mutant (`python -m graders mutate`
writes it; verify never runs mutants, and only notes when its hashes are stale). Runs are grouped per topic and
mode, in parallel subprocesses.

Warm and cold agree, and known mistakes are recognised (graders.warm, graders.diagnose). The solution and the
stub run cold, then again forked from a parent that imported the topic's packages (as `katas watch` re-runs),
and every test must get the same verdict both ways. The near misses run fail-fast from warm parents, and every
test up to the first failure must pass or fail exactly as the near miss's diagnoses.toml records of a cold,
full run (`python -m graders diagnoses`): so warm and cold agree on them too, and the failure signature is a
deterministic function of the code. Each recorded signature must be diagnosed as its own near miss or, when
two near misses share it, as none (a note names them); neither the stub nor the solution may be diagnosed.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graders.catalog import DIFFICULTIES, NEAR_MISSES, Kata, expected_seconds
from graders.dev.mutate import check_results as check_mutants
from graders.dev.nearmiss import NearMiss
from graders.diagnose import ambiguous, diagnose, match, signature, test_key
from graders.diagnose import load as load_diagnoses
from graders.diagnose import stale as diagnoses_stale
from graders.runner import RunReport, TestResult, run_pytest
from graders.warm import HASH_SEED, in_fresh_parent

BAD = ("failed", "error", "timeout")
# Failures that say nothing about the rule a near miss is about: the module never ran.
IMPORT_ONLY = re.compile(
    r"^(?:E\s+)?(ImportError|ModuleNotFoundError|SyntaxError|IndentationError|TabError)\b"
)
IMPORTED_AS = re.compile(r"could not be imported: (\w+)\(")
REQUIRED_META = {
    "title": str,
    "source": str,
    "difficulty": str,
    "points": int,
    "minutes": int,
    "learner_files": list,
    "hints": list,
}


@dataclass
class _Job:
    mode: str  # stub | solution | near miss N
    topic: str
    impl: str
    katas: list[Kata]
    fail_fast: bool = False
    report: RunReport | None = None
    misses: dict[str, str] = field(default_factory=dict)  # kata -> the near miss this run holds
    warm: bool = False  # forked from the topic's warm parent (graders.warm), as `katas watch` runs
    seconds: float = 0.0
    note: str = ""  # warm: why it ran cold after all


@dataclass
class KataVerdict:
    kata: Kata
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tests: int = 0
    skipped: int = 0
    near_misses: int = 0
    near_misses_run: int = 0


def check_static(kata: Kata) -> list[str]:
    """Metadata, README and file layout problems of one kata."""
    problems: list[str] = []
    meta = kata.meta
    for key, kind in REQUIRED_META.items():
        if not isinstance(meta.get(key), kind):
            problems.append(f"kata.toml: '{key}' missing or not a {kind.__name__}")
    if meta.get("difficulty") not in DIFFICULTIES:
        problems.append(f"kata.toml: difficulty must be one of {', '.join(DIFFICULTIES)}")
    if not 2 <= len(kata.hints) <= 3:
        problems.append("kata.toml: give two or three progressive hints")
    if not kata.learner_files:
        problems.append("kata.toml: no learner_files")
    for name in kata.learner_files:
        if not (kata.dir / name).is_file():
            problems.append(f"stub katas/{kata.rel}/{name} is missing")
        if not (kata.solution_dir / name).is_file():
            problems.append(f"solution solutions/{kata.rel}/{name} is missing")
    readme = kata.dir / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if len(text) < 400:
        problems.append("README.md missing or too short")
    elif f"pytest katas/{kata.rel}" not in text:
        problems.append(f"README.md does not show how to run it (`pytest katas/{kata.rel}`)")
    for name in kata.learner_files:
        if text and name not in text:
            problems.append(f"README.md never names the learner file {name}")
    if not (kata.dir.parent / "README.md").is_file():
        problems.append(f"topic README katas/{kata.topic}/README.md is missing")
    if not kata.test_files():
        problems.append("no test_*.py file")
    misses = kata.near_misses()
    if len(misses) < 2:
        problems.append(
            f"{len(misses)} near misses in solutions/{kata.rel}/{NEAR_MISSES}/ (at least 2 needed)"
        )
    for miss in misses:
        files = list(miss.files())
        if not files or set(files) - set(kata.learner_files):
            problems.append(f"near miss {miss.name}: must hold only learner files {kata.learner_files}")
    return problems


def _near_miss_round(tmp: Path, index: int, misses: dict[Kata, NearMiss]) -> Path:
    """A folder laid out like solutions/ where each kata's files are its solution with near miss `index` on top."""
    base = tmp / f"near_miss_{index}"
    for miss in misses.values():
        miss.write_runnable(base)
    return base


def _plan(katas: list[Kata], tmp: Path, warm: bool = True) -> list[list[_Job]]:
    """Batches of runs, each batch one worker's: a cold run alone, or half a topic's warm runs (a warm parent).

    Cold: each topic's solution and stub. Warm (`warm`): the solution and the stub again, for the verdicts to be
    compared, and every near miss, fail-fast, held to its record of a cold run (diagnoses.toml). Without `warm`,
    the near misses run cold."""
    batches: list[list[_Job]] = []
    topics: dict[str, list[Kata]] = {}
    for kata in katas:
        topics.setdefault(kata.topic, []).append(kata)
    for topic, members in topics.items():
        batches += [[_Job("solution", topic, "solutions", members)], [_Job("stub", topic, "katas", members)]]
        forked = [
            _Job(m, topic, i, members, warm=True) for m, i in (("solution", "solutions"), ("stub", "katas"))
        ]
        # Listed once: a near miss added while verify runs is for the next run, not a shifted index.
        listed = {k: k.near_misses() for k in members}
        for index in range(max(len(misses) for misses in listed.values())):
            chosen = {k: misses[index] for k, misses in listed.items() if len(misses) > index}
            miss = _Job(
                f"near miss {index}",
                topic,
                str(_near_miss_round(tmp, index, chosen)),
                list(chosen),
                fail_fast=True,
                misses={k.rel: miss.name for k, miss in chosen.items()},
                warm=warm,
            )
            if warm:
                forked.append(miss)
            else:
                batches.append([miss])
        if warm:  # two warm parents per topic: both workers busy on a topic whose runs are most of the time
            batches += [forked[0::2], forked[1::2]]
    # Longest first (the slow deep-learning topics, a topic's warm batch), so the workers finish together.
    weight = {t: expected_seconds(members) for t, members in topics.items()}
    return sorted(batches, key=lambda batch: -weight[batch[0].topic] * len(batch))


def _run(root: Path, batch: list[_Job]) -> list[_Job]:
    started = time.perf_counter()
    if not batch[0].warm:
        (job,) = batch
        job.report = run_pytest(
            root, [k.dir for k in job.katas], impl=job.impl, fail_fast=job.fail_fast, env=HASH_SEED
        )
        job.seconds = time.perf_counter() - started
        return batch
    runs = [
        {"mode": j.mode, "targets": [str(k.dir) for k in j.katas], "impl": j.impl, "fail_fast": j.fail_fast}
        for j in batch
    ]
    found = in_fresh_parent(root, batch[0].topic, runs)
    for job in batch:
        job.report = RunReport([TestResult(**r) for r in found["results"][job.mode]], [])
        job.seconds, job.note = found["seconds"][job.mode], found["note"]
    return batch


def _not_an_assertion(result: TestResult) -> str | None:
    """How a failure happened before any test could check a rule (None when it is a real failure)."""
    if result.outcome == "error" and "::" not in result.nodeid:
        return "a collection error"
    message = result.message.strip()
    inner = IMPORTED_AS.search(message)
    if inner is not None:
        return f"{inner.group(1)} at import"
    match = IMPORT_ONLY.match(message)
    return match.group(1) if match else None


def import_only_failure(results: list[TestResult]) -> str | None:
    """`<exception> (<message>)` when every failure of a run is an import-time one, else None."""
    bad = [r for r in results if r.outcome in BAD]
    kinds = [_not_an_assertion(r) for r in bad]
    if not bad or any(kind is None for kind in kinds):
        return None
    message = bad[0].message.strip().splitlines()[0] if bad[0].message.strip() else bad[0].nodeid
    return f"{kinds[0]} ({message[:200]})"


def _results_for(job: _Job, kata: Kata) -> list[TestResult]:
    assert job.report is not None
    return job.report.by_kata().get(kata.rel, [])


def _judge(kata: Kata, jobs: list[_Job]) -> KataVerdict:
    verdict = KataVerdict(kata, check_static(kata))
    mine = [job for job in jobs if kata in job.katas]
    solution = next(_results_for(j, kata) for j in mine if j.mode == "solution" and not j.warm)
    stub = next(_results_for(j, kata) for j in mine if j.mode == "stub" and not j.warm)
    skipped_with_solution = {r.nodeid for r in solution if r.outcome == "skipped"}
    verdict.tests = len(solution)
    verdict.skipped = len(skipped_with_solution)
    if not any(r.outcome == "passed" for r in solution):
        verdict.problems.append("no test passes against the solution")
    for result in solution:
        if result.outcome in BAD:
            verdict.problems.append(f"solution {result.outcome}: {result.nodeid}: {result.message}")
    if not stub:
        verdict.problems.append("no test ran against the stub")
    # The learner file's name on its own (not inside `test_records.py`): a path or a quoted name counts.
    names = re.compile(
        "|".join(rf"(?<![\w.-]){re.escape(Path(n).name)}" for n in kata.learner_files or ["?"])
    )
    for result in stub:
        if result.outcome == "passed":
            verdict.problems.append(f"passes against the stub: {result.nodeid}")
        elif result.outcome == "skipped" and result.nodeid not in skipped_with_solution:
            verdict.problems.append(f"skipped against the stub only: {result.nodeid}: {result.message}")
        elif result.outcome in BAD and not names.search(result.message + "\n" + result.details):
            verdict.problems.append(
                f"fails against the stub without naming the file to edit: {result.nodeid}: {result.message}"
            )
    # Recorded for other tests, solution or near misses: the runs cannot be compared with the records.
    records_stale = bool(load_diagnoses(kata.dir)) and diagnoses_stale(kata)
    if records_stale:
        verdict.problems.append(f"diagnoses.toml is stale: run `python -m graders diagnoses {kata.rel}`")
    for job in mine:
        if not job.mode.startswith("near miss"):
            continue
        name = job.misses[kata.rel]
        verdict.near_misses_run += 1
        results = _results_for(job, kata)
        if not any(r.outcome in BAD for r in results):
            verdict.problems.append(f"near miss {name} passes every test")
        elif (how := import_only_failure(results)) is not None:
            verdict.problems.append(f"near miss {name} fails only by {how}: it must fail an assertion")
        else:
            verdict.near_misses += 1
            if not records_stale:
                verdict.problems += _diagnosis_drift(kata, name, results, job.warm and not job.note)
    for run, results in (("stub", stub), ("solution", solution)):
        if (shown := diagnose(kata.dir, results)) is not None:
            verdict.problems.append(f"the {run}'s failures are diagnosed as near miss {shown['name']}")
    diagnosed, ambiguous_notes = _diagnoses_recognise_themselves(kata)
    verdict.problems += diagnosed
    verdict.notes += ambiguous_notes
    verdict.problems += _warm_disagreements(kata, mine)
    problems, notes = check_mutants(kata)
    verdict.problems += problems
    verdict.notes += notes
    return verdict


def _diagnosis_drift(kata: Kata, name: str, results: list[TestResult], warm: bool) -> list[str]:
    """Where a near miss's run (fail-fast: the tests up to its first failure) differs from its recorded signature.

    Every test that ran must fail with the recorded shape, or pass where none is recorded. The record comes from
    a cold, full run (`python -m graders diagnoses`), so this proves both that the signature is a deterministic
    function of the code (the same here, through --impl, as in a learner's or a graded run) and, when this run
    was forked from a warm parent, that warm and cold give each test the same verdict. Tests skipped after the
    first failure prove nothing either way."""
    mistake = next((m for m in load_diagnoses(kata.dir) if m["name"] == name), None)
    if mistake is None:
        return []  # not recorded yet: graders/tests/test_diagnose.py says which katas need it
    recorded, mine = mistake.get("fails", {}), signature(results)
    ran = [test_key(r.nodeid) for r in results if r.outcome != "skipped"]
    drift = [test for test in ran if recorded.get(test) != mine.get(test)]
    if not drift:
        return []
    test, how = drift[0], "forked from a warm parent" if warm else "cold"
    return [f"near miss {name}, {how}: {test} {_as_shape(mine.get(test))}, but diagnoses.toml (a cold run, "
            f"current) records {_as_shape(recorded.get(test))}: if graders.screen.shape changed since the record, "
            f"run `python -m graders diagnoses {kata.rel}`; if not, the failure holds something that changes from "
            "run to run or between warm and cold runs (make the test's message deterministic, or "
            "graders.screen.shape blank it)"]  # fmt: skip


def _as_shape(kind: str | None) -> str:
    return "passes" if kind is None else f"fails as {kind!r}"


def _diagnoses_recognise_themselves(kata: Kata) -> tuple[list[str], list[str]]:
    """Each recorded near miss matches itself by the rule, or nothing where its signature is shared (a note)."""
    mistakes = load_diagnoses(kata.dir)
    shared = ambiguous(mistakes)
    twins = {name for names in shared for name in names}
    problems = []
    for mistake in mistakes:
        expected = None if mistake["name"] in twins or not mistake.get("fails") else mistake["name"]
        found = match(mistakes, mistake.get("fails", {}))
        if (found and found["name"]) != expected:
            problems.append(
                f"diagnoses.toml: near miss {mistake['name']} is diagnosed as {found and found['name']}"
            )
        elif bool(mistake.get("unique")) != (expected is not None):
            problems.append(f"diagnoses.toml: near miss {mistake['name']} has the wrong `unique` flag")
        elif expected is not None and not mistake.get("hint"):
            problems.append(
                f"diagnoses.toml: near miss {mistake['name']} has no hint (write its `Near miss:` note)"
            )
    notes = [f"near misses {' and '.join(names)} fail alike: their hints are never shown" for names in shared]
    return problems, notes


def _warm_disagreements(kata: Kata, jobs: list[_Job]) -> list[str]:
    """Tests whose verdict against the solution or the stub differs between the cold run and the warm one."""
    problems = []
    for mode in ("solution", "stub"):
        runs = {j.warm: j for j in jobs if j.mode == mode}
        if True not in runs or runs[True].note:
            continue
        cold, warm = ({r.nodeid: r for r in _results_for(runs[w], kata)} for w in (False, True))
        outcome = {
            n: tuple(r.outcome if r else None for r in (cold.get(n), warm.get(n))) for n in cold | warm
        }
        differ = sorted(n for n, (was, now) in outcome.items() if was != now)
        if differ:
            shown = "; ".join(
                f"{n} ({_verdict(cold.get(n))} cold, {_verdict(warm.get(n))} warm)" for n in differ[:3]
            )
            more = f" and {len(differ) - 3} more" if len(differ) > 3 else ""
            problems.append(f"warm and cold runs disagree against the {mode}: {shown}{more}")
    return problems


def _verdict(result: TestResult | None) -> str:
    """The outcome, and for a failure its first line (shown, not compared: it may hold a temporary path)."""
    if result is None:
        return "not run"
    first = result.message.strip().splitlines()[0][:200] if result.message.strip() else ""
    return f"{result.outcome}: {first}" if result.outcome in BAD and first else result.outcome


def verify(
    root: Path,
    katas: list[Kata],
    *,
    jobs: int | None = None,
    echo: Callable[[str], None] = print,
    warm: bool = True,
) -> list[KataVerdict]:
    """Check `katas`; `warm`: also run each topic's runs forked from a warm parent and compare the verdicts."""
    workers = jobs or max(1, min(4, os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="katas-verify-") as tmp:
        plan = _plan(katas, Path(tmp), warm)
        runs = sum(len(batch) for batch in plan)
        echo(f"verify: {len(katas)} katas, {runs} pytest runs (warm ones: {warm}) on {workers} workers")

        def run(batch: list[_Job]) -> list[_Job]:
            for job in _run(root, batch):
                how = " forked from a warm parent" if job.warm and not job.note else ""
                count = len(job.report.results) if job.report else 0
                echo(
                    f"  ran {job.topic} against {job.mode}{how}: {count} results ({job.seconds:.0f} s){job.note}"
                )
            return batch

        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = [job for batch in pool.map(run, plan) for job in batch]
    verdicts = [_judge(kata, done) for kata in katas]
    if warm:
        seconds = {w: sum(j.seconds for j in done if j.warm == w) for w in (True, False)}
        echo(f"verify: warm runs {seconds[True]:.0f} s of worker time, cold runs {seconds[False]:.0f} s")
    for verdict in verdicts:
        mark = "ok  " if not verdict.problems else "FAIL"
        extra = f", {verdict.skipped} skipped here" if verdict.skipped else ""
        echo(
            f"{mark} {verdict.kata.rel}: {verdict.tests} tests{extra}, "
            f"{verdict.near_misses}/{verdict.near_misses_run} near misses caught"
        )
        for problem in verdict.problems:
            echo(f"       - {problem}")
        for note in verdict.notes:
            echo(f"       note: {note}")
    bad = sum(1 for v in verdicts if v.problems)
    echo(f"verify: {len(verdicts) - bad} passed, {bad} failed")
    return verdicts
