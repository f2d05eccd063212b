"""`python -m graders dev new <topic>/<id>_<slug>`: a new kata with every piece in place, ready to fill in.

It writes the kata folder (kata.toml with every key of graders.catalog.KATA_KEYS, the README skeleton with its
generated title and metadata lines, a stub with its `FILE` constant, a test file using the `kata` fixture),
the solution folder (the stub again: the reference is yours to write) with two near-miss placeholders, and
regenerates the topic's kata table, the integrity manifest and the Classroom workflow. The result passes `dev
lint`; `verify` rejects it only because it is not solved yet.
"""

from __future__ import annotations

import json
import keyword
from pathlib import Path

from graders.catalog import (
    KATA_KEYS,
    KATA_NAME,
    NEAR_MISSES,
    POINTS,
    TOPICS,
    CatalogError,
    Kata,
    katas_in_topic,
    load_meta,
)
from graders.dev import readme
from graders.dev.nearmiss import PATCH, FilePatch, Patch, placeholder_note

PLACEHOLDERS = ("todo_first_mistake", "todo_second_mistake")


def new_kata(root: Path, spec: str, echo=print) -> Kata:
    topic, _, name = spec.strip().strip("/").removeprefix("katas/").partition("/")
    if topic not in TOPICS:
        raise CatalogError(f"{topic!r} is no topic: one of {', '.join(TOPICS)}")
    if not KATA_NAME.match(name):
        raise CatalogError(f"{name!r}: a kata is <id>_<slug>, id e01–e05 (examples) or q01–q10 (questions)")
    taken = [k.name for k in katas_in_topic(root, topic) if k.id == name[:3]]
    if taken or (root / "solutions" / topic / name).exists():
        raise CatalogError(f"{topic}/{name[:3]} exists already ({', '.join(taken) or 'its solution folder'})")
    folder, solution = root / "katas" / topic / name, root / "solutions" / topic / name
    slug = name.split("_", 1)[1]
    filename = f"{slug}.py"
    rel = f"{topic}/{name}"
    folder.mkdir(parents=True)
    (folder / "kata.toml").write_text(_kata_toml(topic, name, filename), encoding="utf-8")
    kata = Kata(root, topic, name, load_meta(folder))
    stub = _stub(rel, filename, kata.title)
    (folder / filename).write_text(stub, encoding="utf-8")
    (folder / f"test_{slug}.py").write_text(_tests(rel, slug), encoding="utf-8")
    (folder / "README.md").write_text(readme.render(kata, _readme_body(rel, filename)), encoding="utf-8")
    (solution / NEAR_MISSES).mkdir(parents=True)
    (solution / filename).write_text(stub, encoding="utf-8")
    for miss in PLACEHOLDERS:
        patch = Patch([placeholder_note(filename)], [FilePatch(filename, [])])
        (solution / NEAR_MISSES / f"{miss}{PATCH}").write_text(patch.render(), encoding="utf-8")
    written = [*_regenerate(root, topic)]
    echo(f"wrote katas/{rel}/ (README.md, kata.toml, {filename}, test_{slug}.py)")
    echo(f"wrote solutions/{rel}/ ({filename}, the stub for now, and near misses {', '.join(PLACEHOLDERS)})")
    echo(f"regenerated {', '.join(written)}")
    echo(
        "next: fill in every TODO; write the reference in the solution folder; turn each placeholder into a "
        f"mistake (`python -m graders dev near-miss edit {rel} {PLACEHOLDERS[0]}`); then `python -m graders "
        f"dev lint`, `verify {rel}`, `mutate {rel}`, `diagnoses {rel}`, `manifest` (see CONTRIBUTING.md)"
    )
    return kata


def _regenerate(root: Path, topic: str) -> list[str]:
    from graders.dev.classroom import write_workflow
    from graders.manifest import write as write_manifest

    path = readme.topic_readme(root, topic)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        path.write_text(readme.render_topic(text, katas_in_topic(root, topic)), encoding="utf-8")
    manifest, workflow = write_manifest(root), write_workflow(root)
    return [p.relative_to(root).as_posix() for p in (path, manifest, workflow)]


def _kata_toml(topic: str, name: str, filename: str) -> str:
    from graders.dev.roadmap import expected_item, load

    kata_id = name[:3]
    item = expected_item(load(), topic, kata_id)
    difficulty = "easy" if kata_id.startswith("e") else "medium"
    values = {
        "title": name.split("_", 1)[1].replace("_", " ").capitalize(),
        "source": f"Roadmap §{TOPICS.index(topic) + 1} {load()[topic]['section']}, {item}",
        "difficulty": difficulty,
        "points": POINTS[difficulty],
        "minutes": 20 if difficulty == "easy" else 30,
        "learner_files": [filename],
        "provided": [],
        "contract": "openapi.yaml",
        "timeout": 60,
        "hints": ["TODO: a first, gentle hint.", "TODO: a more concrete one.", "TODO: nearly the answer."],
    }
    lines = [
        "# Written by `python -m graders dev new`: replace each TODO. The keys: graders/catalog.py KATA_KEYS."
    ]
    for key, spec in KATA_KEYS.items():
        value = values[key]
        if key == "hints":
            lines += ["hints = [", *(f"    {json.dumps(h, ensure_ascii=False)}," for h in value), "]"]
            continue
        line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
        lines.append(f"{line:30} # {spec.doc}" if spec.required else f"# {line:28} # optional: {spec.doc}")
    return "\n".join(lines) + "\n"


def _stub(rel: str, filename: str, title: str) -> str:
    return f'''"""Kata {rel}: {title}. Edit this file (see README.md)."""

from __future__ import annotations

FILE = "katas/{rel}/{filename}"


def solve(values: list[int]) -> list[int]:
    """TODO: one line on what it does (the README has the details)."""
    raise NotImplementedError(f"solve: write it in {{FILE}}")
'''


def _tests(rel: str, slug: str) -> str:
    fixture = slug if slug.isidentifier() and not keyword.iskeyword(slug) else "learner"
    return f'''"""Hidden-test style checks for {rel}: TODO: what they check."""

import pytest


@pytest.fixture
def {fixture}(kata):
    return kata.module("{slug}")


def test_solve_sorts_a_first_case({fixture}):
    # TODO: the kata's real cases: seeded random inputs against a reference computation, edges, properties.
    assert {fixture}.solve([3, 1, 2]) == [1, 2, 3]
'''


def _readme_body(rel: str, filename: str) -> str:
    return f"""# title

*generated from kata.toml*

## The concept

TODO: the idea in a few lines of your own words: what it is, why it matters, and the trap the tests look for.
Where the roadmap's snippet uses an outdated API, say so and teach today's.

## Your task

Edit **`{filename}`** in this folder and write one function.

### `solve(values) -> list`

TODO: its rules, each with an example:

```python
>>> solve([3, 1, 2])
[1, 2, 3]
```

## Run the tests

```bash
pytest katas/{rel}
```
"""
