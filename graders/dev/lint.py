"""`python -m graders dev lint`: the katas' conventions, checked statically in about a second (no test runs).

In the spirit of rustlings' `dev check` and exercism's `configlet lint`. Every problem names its file, what is
wrong and how to fix it; `--fix` repairs what kata.toml decides (README title and metadata lines, topic
tables, retired keys, provided files the tests use). What it checks, kata by kata: `kata.toml` against its
schema (graders.catalog.KATA_KEYS: unknown keys are errors), the README's title, metadata line and sections,
each stub's `FILE` constant, unexpected files in the kata and solution folders, the near misses (patches that
apply, with a note that is the learner's hint); per topic: its README's kata table and `topic.toml`; once: the
topic list wherever it is repeated, and the generated files (manifest, Classroom workflow) against their
generators. `verify` then runs what only a test run can tell.
"""

from __future__ import annotations

import ast
import json
import re
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graders.catalog import (
    DIFFICULTIES,
    KATA_KEYS,
    KATA_NAME,
    NEAR_MISSES,
    POINTS,
    RETIRED_KEYS,
    TOPICS,
    CatalogError,
    Kata,
    katas_in_topic,
    load_meta,
    select,
)
from graders.dev import readme

FIX = "python -m graders dev lint --fix"
SECTIONS = ("The concept", "Your task", "Run the tests")  # first, second and last; any others in between
KATA_FILES = {"README.md", "kata.toml", "diagnoses.toml"}
SOLUTION_FILES = {"mutants.toml"}
IGNORED = re.compile(r"(^|/)(__pycache__|\.pytest_cache|\.hypothesis)(/|$)|\.pyc$|(^|/)\.DS_Store$")


@dataclass(frozen=True)
class Problem:
    where: str  # a path relative to the repository
    what: str
    fix: str
    fixable: bool = False  # `dev lint --fix` repairs it

    def __str__(self) -> str:
        return f"{self.where}: {self.what}\n    fix: {self.fix}"


def lint(root: Path, katas: list[Kata]) -> list[Problem]:
    problems: list[Problem] = []
    for kata in katas:
        for check in (
            _kata_toml,
            _readme,
            _stubs,
            _kata_folder,
            _test_imports,
            _solution_folder,
            _near_misses,
        ):
            problems += check(kata)
    for topic in dict.fromkeys(k.topic for k in katas):
        problems += _topic(root, topic)
    return problems + _topic_list(root) + _generated(root)


# --- one kata -----------------------------------------------------------------------------------------------


def _kata_toml(kata: Kata) -> list[Problem]:
    where, meta, found = f"katas/{kata.rel}/kata.toml", kata.meta, []

    def problem(what: str, fix: str, fixable: bool = False) -> None:
        found.append(Problem(where, what, fix, fixable))

    for key in meta.keys() - KATA_KEYS.keys():
        if key in RETIRED_KEYS:
            problem(f"`{key}` is retired: {RETIRED_KEYS[key]}", f"delete the line (`{FIX}` does)", True)
        else:
            problem(
                f"unknown key `{key}`", f"kata.toml takes only: {', '.join(KATA_KEYS)} (graders/catalog.py)"
            )
    for key, spec in KATA_KEYS.items():
        if key not in meta:
            if spec.required:
                problem(f"`{key}` is missing", f"add `{key} = …`: {spec.doc}")
        elif not isinstance(meta[key], spec.kind) or isinstance(meta[key], bool):
            problem(f"`{key}` has the wrong type", f"`{key}`: {spec.doc}")
    if meta.get("difficulty") not in DIFFICULTIES:
        problem("`difficulty` is not easy, medium or hard", "set it to one of easy, medium, hard")
    elif meta.get("points") != POINTS[meta["difficulty"]]:
        problem(f"{meta['difficulty']} katas are worth {POINTS[meta['difficulty']]} points", "set `points`")
    if not all(isinstance(x, str) and x for x in meta.get("learner_files", [])) or not kata.learner_files:
        problem(
            "`learner_files` must list the files the learner edits", 'e.g. learner_files = ["records.py"]'
        )
    hints = meta.get("hints", [])
    if not (
        isinstance(hints, list) and 2 <= len(hints) <= 3 and all(isinstance(h, str) and h for h in hints)
    ):
        problem("give two or three hints", "`hints`: from a gentle nudge to nearly the answer")
    for name in _declared(kata) - set(kata.learner_files):
        if not (kata.dir / name).is_file():
            problem(f"declares {name}, which is not in the kata folder", f"add katas/{kata.rel}/{name}")
    if (timeout := meta.get("timeout")) is not None and not (
        isinstance(timeout, int | float) and timeout > 0
    ):
        problem("`timeout` must be a positive number of seconds", "or delete it for the default 60 s")
    found += _source(kata, where)
    return found


def _declared(kata: Kata) -> set[str]:
    """Files of the kata folder its metadata names besides the stubs: `provided` and the `contract`."""
    provided = kata.meta.get("provided", [])
    contract = kata.meta.get("contract")
    return set(provided if isinstance(provided, list) else []) | (
        {contract} if isinstance(contract, str) else set()
    )


def _source(kata: Kata, where: str) -> list[Problem]:
    from graders.dev.roadmap import expected_item, names_its_item

    index = _roadmap()
    if not KATA_NAME.match(kata.name):
        return [
            Problem(f"katas/{kata.rel}", "the folder is not <id>_<slug>", "e01–e05 or q01–q10, then _words")
        ]
    if kata.topic in index and not names_its_item(
        str(kata.meta.get("source", "")), index, kata.topic, kata.id
    ):
        item = expected_item(index, kata.topic, kata.id)
        return [
            Problem(where, f"`source` does not name the roadmap item {kata.id} stands for", f"name {item}")
        ]
    return []


@cache
def _roadmap() -> dict[str, dict]:
    from graders.dev.roadmap import load

    return load()


def _readme(kata: Kata) -> list[Problem]:
    where = f"katas/{kata.rel}/README.md"
    path = kata.dir / "README.md"
    if not path.is_file():
        return [Problem(where, "missing", "`python -m graders dev new` writes one; or copy another kata's")]
    text = path.read_text(encoding="utf-8")
    found: list[Problem] = []
    title, meta, _ = readme.split(text)
    if title != readme.title_line(kata, title):
        found.append(Problem(where, f"title line is not `{readme.title_line(kata)}`", f"`{FIX}`", True))
    source = readme.readme_source(meta)
    if source is not None and readme.says_more(source, str(kata.meta.get("source", ""))):
        found.append(
            Problem(
                where,
                f"its source line says more than kata.toml's `source`: «{source}» "
                f"(kata.toml: «{kata.meta.get('source')}»)",
                f"put the wording you want in kata.toml's `source`, then `{FIX}` "
                f"(`{FIX} --source-from-readme {kata.rel}` keeps the README's)",
            )
        )
    elif meta != readme.meta_lines(kata):
        found.append(Problem(where, "metadata line differs from kata.toml", f"`{FIX}`", True))
    headings = _headings(text)
    if len(headings) < 3 or tuple(headings[:2]) != SECTIONS[:2] or headings[-1] != SECTIONS[2]:
        found.append(
            Problem(
                where,
                f"sections are {' / '.join(headings) or 'missing'}",
                "use `## The concept`, `## Your task`, (any others), `## Run the tests`, in this order",
            )
        )
    elif f"pytest katas/{kata.rel}" not in text.split("## Run the tests", 1)[1]:
        found.append(
            Problem(where, "`## Run the tests` does not show the command", f"`pytest katas/{kata.rel}`")
        )
    return found


def _headings(text: str) -> list[str]:
    """The `## ` headings outside code fences."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            found.append(line[3:].strip())
    return found


def _stubs(kata: Kata) -> list[Problem]:
    found: list[Problem] = []
    for name in kata.learner_files:
        path, rel = kata.dir / name, f"katas/{kata.rel}/{name}"
        if not path.is_file():
            found.append(Problem(rel, "the stub is missing", f"restore it: `git checkout -- {rel}`"))
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        raises = _not_implemented(text) if name.endswith(".py") else None
        if raises is None:
            if rel not in text:
                found.append(
                    Problem(rel, "never names its own path", f"say where to write it: `# TODO: … ({rel})`")
                )
            continue
        constant = re.search(r'^FILE = "(?P<value>[^"]*)"$', text, re.MULTILINE)
        if constant is None or constant["value"] != rel:
            found.append(
                Problem(rel, "no `FILE` constant with its path", f'add `FILE = "{rel}"` after the imports')
            )
        for line in raises:
            found.append(
                Problem(
                    rel,
                    f"line {line}: NotImplementedError without FILE",
                    'raise NotImplementedError(f"…: write it in {FILE}")',
                )
            )
    return found


def _not_implemented(text: str) -> list[int] | None:
    """Lines of `raise NotImplementedError(...)` that do not mention FILE; None when the stub raises none."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    raises = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and node.exc is not None
        and "NotImplementedError" in {n.id for n in ast.walk(node.exc) if isinstance(n, ast.Name)}
    ]
    if not raises:
        return None
    return [
        r.lineno for r in raises if "FILE" not in {n.id for n in ast.walk(r.exc) if isinstance(n, ast.Name)}
    ]


def _files_under(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    names = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return sorted(n for n in names if not IGNORED.search(n))


def _kata_folder(kata: Kata) -> list[Problem]:
    allowed = KATA_FILES | set(kata.learner_files) | _declared(kata)
    found = []
    for name in _files_under(kata.dir):
        if name in allowed or re.fullmatch(r"test_\w+\.py", name):
            continue
        used = name in _test_text(kata)
        found.append(
            Problem(
                f"katas/{kata.rel}/{name}",
                "is no stub, test, README or metadata, and kata.toml does not declare it",
                f"the tests use it: declare it in kata.toml's `provided` (`{FIX}` does)"
                if used
                else "delete it, or declare it in kata.toml's `provided` if the kata needs it",
                used,
            )
        )
    return found


_GRADERS_IMPORT = re.compile(r"^\s*(?:from|import)\s+(graders(?:\.\w+)*)", re.M)


def _test_imports(kata: Kata) -> list[Problem]:
    """Kata tests import the test authors' kit only: the plugin reaches them through fixtures."""
    found = []
    for path in kata.test_files():
        for module in _GRADERS_IMPORT.findall(path.read_text(encoding="utf-8", errors="replace")):
            if module != "graders.kit" and not module.startswith("graders.kit."):
                found.append(
                    Problem(
                        path.relative_to(kata.root).as_posix(),
                        f"imports {module}: kata tests use graders.kit and the plugin's fixtures only",
                        "the learner's files come from the `kata` fixture (`kata_shared` at module scope); "
                        "helpers for tests belong in graders/kit/",
                    )
                )
    return found


def _test_text(kata: Kata) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in kata.test_files())


def _solution_folder(kata: Kata) -> list[Problem]:
    base = f"solutions/{kata.rel}"
    if not kata.solution_dir.is_dir():
        return [Problem(base, "missing", "write the reference solution there (same file names as the stubs)")]
    found = [
        Problem(f"{base}/{name}", "the reference solution is missing", "write it: the stub's file, solved")
        for name in kata.learner_files
        if not (kata.solution_dir / name).is_file()
    ]
    for name in _files_under(kata.solution_dir):
        if name in kata.learner_files or name in SOLUTION_FILES or name.startswith(f"{NEAR_MISSES}/"):
            continue
        if re.fullmatch(r"test_\w+\.py", name):
            what, fix = "a copy of tests in solutions/ (`pytest solutions/…` would run it)", "delete it"
        else:
            what, fix = (
                "unexpected: a solution folder holds the learner files, mutants.toml, near_misses/",
                "delete it",
            )
        found.append(Problem(f"{base}/{name}", what, fix))
    return found


def _near_misses(kata: Kata) -> list[Problem]:
    from graders.dev.nearmiss import NAME, PATCH, PatchError, opens_with_note
    from graders.diagnose import hint_from_note, load

    base = f"solutions/{kata.rel}/{NEAR_MISSES}"
    misses = kata.near_misses()
    found = []
    if len(misses) < 2:
        found.append(
            Problem(
                base,
                f"{len(misses)} near misses",
                f"write at least 2: `python -m graders dev near-miss new {kata.rel} NAME`",
            )
        )
    folder = kata.solution_dir / NEAR_MISSES
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_file() and entry.suffix != PATCH and not IGNORED.search(entry.name):
            found.append(
                Problem(f"{base}/{entry.name}", "is no near miss", "near misses are NAME.patch files")
            )
    recorded = {m.get("name"): m.get("hint") for m in load(kata.dir)}
    for name in kata.learner_files:
        path = kata.solution_dir / name
        first = path.read_text(errors="replace").split("\n", 1)[0] if path.is_file() else ""
        if path.is_file() and not re.match(r"(\"\"\"|'''|#|--|//|\s*$)", first):
            found.append(
                Problem(
                    f"solutions/{kata.rel}/{name}",
                    "does not open with a docstring or comment (the line a near miss's note takes)",
                    "start it with a docstring (or a comment) saying what it is",
                )
            )
    for miss in misses:
        where = miss.where
        if not miss.is_patch:
            found.append(
                Problem(
                    where, "a folder of full copies", f"`python -m graders dev near-miss convert {kata.rel}`"
                )
            )
        if not NAME.match(miss.name):
            found.append(Problem(where, "name is not lower_case_words", "rename it"))
        try:
            files = miss.files()
            note = miss.note
        except PatchError as exc:
            found.append(Problem(where, "does not apply (stale) or cannot be read", str(exc)))
            continue
        if not files or set(files) - set(kata.learner_files):
            found.append(
                Problem(
                    where,
                    f"must change learner files only ({', '.join(kata.learner_files)})",
                    "edit it: `dev near-miss edit`",
                )
            )
        if not note or not any(opens_with_note(text) for text in files.values()):
            found.append(
                Problem(
                    where,
                    "has no `Near miss:` note in its first line",
                    'start it with `"""Near miss: what it gets wrong."""` (or `# Near miss: …`)',
                )
            )
        elif miss.name in recorded and recorded[miss.name] != hint_from_note(note):
            found.append(
                Problem(
                    f"katas/{kata.rel}/diagnoses.toml",
                    f"the hint of {miss.name} is not its note",
                    f"`python -m graders diagnoses {kata.rel}`",
                )
            )
    return found


# --- topics and the repository ------------------------------------------------------------------------------


def _topic(root: Path, topic: str) -> list[Problem]:
    found = []
    path = readme.topic_readme(root, topic)
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        found.append(
            Problem(
                rel, "missing", "what the topic covers, its packages, then the kata table (`dev lint --fix`)"
            )
        )
    else:
        text = path.read_text(encoding="utf-8")
        if text != readme.render_topic(text, katas_in_topic(root, topic)):
            found.append(Problem(rel, "its kata table differs from the katas' kata.toml", f"`{FIX}`", True))
    meta_path = root / "katas" / topic / "topic.toml"
    extra = tomllib.loads(meta_path.read_text(encoding="utf-8")).get("extra") if meta_path.is_file() else None
    if extra != topic:
        found.append(
            Problem(
                meta_path.relative_to(root).as_posix(),
                f"`extra` is {extra!r}, not {topic!r}",
                f'extra = "{topic}": the pyproject extra that installs the topic',
            )
        )
    return found


def _topic_list(root: Path) -> list[Problem]:
    """graders.catalog.TOPICS is the list; everywhere else that repeats it must agree."""
    from graders.dev.classroom import _TOPIC_SHORT
    from graders.dev.roadmap import INDEX

    found: list[Problem] = []

    def agree(where: str, listed: list[str], fix: str, ordered: bool = True) -> None:
        expected = list(TOPICS) if ordered else sorted(TOPICS)
        if (listed if ordered else sorted(listed)) != expected:
            found.append(
                Problem(where, f"lists the topics {listed}, graders/catalog.py TOPICS {list(TOPICS)}", fix)
            )

    agree(
        "katas/",
        [p.name for p in (root / "katas").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))],
        "one folder per topic of TOPICS",
        False,
    )
    solutions = root / "solutions"
    if solutions.is_dir() and (extra := {p.name for p in solutions.iterdir() if p.is_dir()} - set(TOPICS)):
        found.append(Problem("solutions/", f"folders of no topic: {sorted(extra)}", "move or delete them"))
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject.get("project", {}).get("optional-dependencies", {})
    agree(
        "pyproject.toml",
        [t for t in extras if t not in ("all", "dev")],
        "[project.optional-dependencies]: one extra per topic, in TOPICS order",
    )
    everything = sorted(re.findall(r"[\w]+", "".join(extras.get("all", [""])).partition("[")[2]))
    if everything != sorted(t for t in TOPICS if t != "python_pandas"):
        found.append(
            Problem(
                "pyproject.toml",
                f"the `all` extra installs {everything}",
                'all = ["ds-katas[<every topic but python_pandas>]"] (the dev container installs `all`)',
            )
        )
    section = (root / "README.md").read_text(encoding="utf-8").partition("### Choosing topics")[2]
    table = re.findall(r"^\| `(\w+)` \|", section.split("\n#", 1)[0], re.MULTILINE)
    agree("README.md", table, "the table under “Choosing topics”: one row per topic, in TOPICS order")
    locks = root / "requirements"  # graders.setup_env: one lock file per topic, and all, dev, uv
    if locks.is_dir():
        listed = sorted(p.stem for p in locks.glob("*.txt") if p.stem not in ("all", "dev", "uv"))
        agree("requirements/", listed, "one lock per topic: `python -m graders.setup_env --lock`", False)
    agree("graders/dev/classroom.py", list(_TOPIC_SHORT), "_TOPIC_SHORT: a short runner name for every topic")
    ci = root / ".github" / "workflows" / "ci.yml"
    matrix = (
        re.search(r"^\s+topic: \[(.*)\]$", ci.read_text(encoding="utf-8"), re.MULTILINE)
        if ci.is_file()
        else None
    )
    agree(
        ".github/workflows/ci.yml",
        [t.strip() for t in matrix[1].split(",")] if matrix else [],
        "the verify job's matrix: topic: [every topic]",
    )
    index = root / "graders" / INDEX.name
    if index.is_file():
        agree(
            "graders/dev/roadmap.json",
            list(json.loads(index.read_text(encoding="utf-8"))),
            "python -m graders.dev.roadmap",
        )
    for path, needle in (("docker/Dockerfile", "ARG EXTRAS=all"), ("docker/compose.yml", "EXTRAS: all")):
        if (root / path).is_file() and needle not in (root / path).read_text(encoding="utf-8"):
            found.append(
                Problem(
                    path,
                    f"does not install every topic (`{needle}`)",
                    f"keep `{needle}`: a template's export narrows it",
                )
            )
    devcontainer = root / ".devcontainer" / "devcontainer.json"
    if devcontainer.is_file():
        for opened in json.loads(devcontainer.read_text(encoding="utf-8"))["customizations"]["codespaces"][
            "openFiles"
        ]:
            if not (root / opened).is_file():
                found.append(
                    Problem(
                        ".devcontainer/devcontainer.json",
                        f"opens {opened}, which does not exist",
                        "open the first kata's README",
                    )
                )
    return found


def _generated(root: Path) -> list[Problem]:
    from graders.dev.classroom import WORKFLOW, generate
    from graders.manifest import MANIFEST, build

    found = []
    manifest = root / MANIFEST
    if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8")) != build(root):
        found.append(
            Problem(
                MANIFEST.as_posix(), "stale: a protected file or stub changed", "`python -m graders manifest`"
            )
        )
    workflow = root / WORKFLOW
    if not workflow.is_file() or workflow.read_text(encoding="utf-8") != generate(root):
        found.append(
            Problem(WORKFLOW.as_posix(), "stale: kata metadata changed", "`python -m graders classroom`")
        )
    return found


# --- the command --------------------------------------------------------------------------------------------


def main(root: Path, paths: list[str], *, fix: bool = False, source_from_readme: bool = False) -> int:
    start = time.perf_counter()
    broken = _unreadable(root)
    if broken:
        for problem in broken:
            print(problem)
        return 1
    katas = select(root, paths)
    if fix:
        for line in repair(root, katas, source_from_readme=source_from_readme):
            print(f"fixed {line}")
        katas = select(root, paths)  # re-read the metadata the fixes changed
    problems = lint(root, katas)
    for problem in problems:
        print(problem)
    fixable = sum(p.fixable for p in problems)
    print(
        f"dev lint: {len(katas)} katas, {len(problems)} problems"
        + (f" ({fixable} repaired by `{FIX}`)" if fixable else "")
        + f" in {time.perf_counter() - start:.1f} s"
    )
    return 1 if problems else 0


def _unreadable(root: Path) -> list[Problem]:
    """kata.toml files that are no valid TOML: reported before anything reads them."""
    found = []
    for path in sorted((root / "katas").glob("*/*/kata.toml")):
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            found.append(
                Problem(path.relative_to(root).as_posix(), f"is no valid TOML: {exc}", "fix the syntax")
            )
    return found


# --- --fix: what kata.toml decides, and kata.toml's own mechanical repairs ----------------------------------


def repair(root: Path, katas: list[Kata], *, source_from_readme: bool = False) -> list[str]:
    """Apply every automatic fix to the katas and their topics; returns what changed."""
    changed = [line for kata in katas for line in _repair_kata_toml(kata, source_from_readme)]
    katas = [Kata(k.root, k.topic, k.name, load_meta(k.dir)) for k in katas]
    for kata in katas:
        path = kata.dir / "README.md"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        title, meta, rest = readme.split(text)
        source = readme.readme_source(meta)
        if source is None or not readme.says_more(source, str(kata.meta.get("source", ""))):
            new = readme.render(kata, text)
        else:  # the wording differs: a person chooses (see the problem's fix)
            new = "\n".join([readme.title_line(kata, title), "", *meta, *rest])
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(f"katas/{kata.rel}/README.md: title and metadata lines")
    for topic in dict.fromkeys(k.topic for k in katas):
        path = readme.topic_readme(root, topic)
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            new = readme.render_topic(text, katas_in_topic(root, topic))
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(f"katas/{topic}/README.md: kata table")
    return changed


def _repair_kata_toml(kata: Kata, source_from_readme: bool) -> list[str]:
    path = kata.dir / "kata.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    meta = dict(kata.meta)
    done: list[str] = []
    for key in RETIRED_KEYS.keys() & meta.keys():
        start, end = _key_span(lines, key)
        del lines[start:end], meta[key]
        done.append(f"removed the retired `{key}`")
    allowed = KATA_FILES | set(kata.learner_files) | _declared(kata)
    tests = _test_text(kata)
    used = [
        n for n in _files_under(kata.dir) if n not in allowed and not n.startswith("test_") and n in tests
    ]
    if used:
        meta["provided"] = sorted({*kata.meta.get("provided", []), *used})
        _set_key(lines, "provided", meta["provided"], after="learner_files")
        done.append(f"declared {', '.join(used)} as provided")
    readme_path = kata.dir / "README.md"
    source = (
        readme.readme_source(readme.split(readme_path.read_text(encoding="utf-8"))[1])
        if readme_path.is_file()
        else None
    )
    if source_from_readme and source and readme.says_more(source, str(meta.get("source", ""))):
        meta["source"] = readme.as_toml_source(source)
        _set_key(lines, "source", meta["source"], after="title")
        done.append("took the README's source")
    if not done:
        return []
    text = "\n".join(lines)
    if tomllib.loads(text) != meta:  # never write a kata.toml that says something else than intended
        raise CatalogError(
            f"katas/{kata.rel}/kata.toml: could not edit it safely; make these changes by hand: {done}"
        )
    path.write_text(text, encoding="utf-8")
    return [f"katas/{kata.rel}/kata.toml: {'; '.join(done)}"]


def _key_span(lines: list[str], key: str) -> tuple[int, int]:
    """The lines of `key = value` (an array may span several)."""
    start = next(i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*=", line))
    for end in range(start + 1, len(lines) + 1):
        try:
            tomllib.loads("\n".join(lines[start:end]))
            return start, end
        except tomllib.TOMLDecodeError:
            continue
    raise CatalogError(f"cannot find where `{key}` ends")


def _set_key(lines: list[str], key: str, value: str | list[str], *, after: str) -> None:
    rendered = json.dumps(value, ensure_ascii=False)  # a JSON string or list of strings is valid TOML too
    if any(re.match(rf"{re.escape(key)}\s*=", line) for line in lines):
        start, end = _key_span(lines, key)
        lines[start:end] = [f"{key} = {rendered}"]
    else:
        at = _key_span(lines, after)[1]
        lines.insert(at, f"{key} = {rendered}")
