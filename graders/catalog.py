"""Find katas on disk and read their metadata (`kata.toml`) and topic files (`topic.toml`)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graders.dev.nearmiss import NearMiss

TOPICS = (
    "python_pandas",
    "sklearn",
    "tensorflow",
    "pytorch",
    "sql",
    "data_engineering",
    "deployment",
    "kaggle",
)
DIFFICULTIES = ("easy", "medium", "hard")
POINTS = {"easy": 10, "medium": 20, "hard": 30}
NEAR_MISSES = "near_misses"
KATA_NAME = re.compile(r"^(e0[1-5]|q0[1-9]|q10)_[a-z][a-z0-9_]*$")  # e01–e05 examples, q01–q10 questions


@dataclass(frozen=True)
class Key:
    """One key of `kata.toml`: `dev lint` rejects any other, `dev new` writes them all."""

    kind: type | tuple[type, ...]
    required: bool
    doc: str


KATA_KEYS = {
    "title": Key(str, True, "shown by `katas next` and in the README's title line"),
    "source": Key(
        str, True, "the roadmap item: `Roadmap §N <section>, example “…”` or `interview question N “…”`"
    ),
    "difficulty": Key(str, True, " | ".join(DIFFICULTIES)),
    "points": Key(int, True, "easy 10, medium 20, hard 30"),
    "minutes": Key(int, True, "estimated time for a learner"),
    "learner_files": Key(list, True, "the files the learner edits (the stubs)"),
    "provided": Key(
        list, False, "other files of the kata folder its tests use (app.py a Dockerfile packages...)"
    ),
    "contract": Key(
        str, False, "the OpenAPI file a web kata's fuzz test holds the app to (graders.kit.fuzz)"
    ),
    "timeout": Key((int, float), False, "seconds per test when the default (60) is not right"),
    "hints": Key(list, True, "two or three, from gentle to nearly the answer (`katas hint`)"),
}
# Keys that once existed: `dev lint` says why they went and `dev lint --fix` deletes them.
RETIRED_KEYS = {
    "services": "nothing reads it: a kata's tests say what it needs (the docker and gpu markers skip, the "
    "postgres, s3 and airflow fixtures start their service), so a second list could only drift",
}


class CatalogError(Exception):
    """A user mistake about paths or names: reported in one line, never as a traceback."""


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder holding both `katas/` and `conftest.py`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "katas").is_dir() and (folder / "conftest.py").is_file():
            return folder
    raise CatalogError(
        f"{here} is not inside a ds-katas checkout: run this from the repository (the folder with katas/)."
    )


@dataclass(frozen=True)
class Kata:
    """One kata: `katas/<topic>/<id>_<slug>/` plus its metadata."""

    root: Path
    topic: str
    name: str
    meta: dict = field(compare=False, hash=False)

    @property
    def rel(self) -> str:
        return f"{self.topic}/{self.name}"

    @property
    def id(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def dir(self) -> Path:
        return self.root / "katas" / self.topic / self.name

    @property
    def solution_dir(self) -> Path:
        return self.root / "solutions" / self.topic / self.name

    @property
    def title(self) -> str:
        return self.meta.get("title", self.name)

    @property
    def points(self) -> int:
        return int(self.meta.get("points", 1))

    @property
    def learner_files(self) -> list[str]:
        return list(self.meta.get("learner_files", []))

    @property
    def hints(self) -> list[str]:
        return list(self.meta.get("hints", []))

    @property
    def timeout(self) -> float | None:
        value = self.meta.get("timeout")
        return float(value) if value is not None else None

    def test_files(self) -> list[Path]:
        return sorted(self.dir.glob("test_*.py"))

    def near_misses(self) -> list[NearMiss]:
        """The known mistakes, by name: `near_miss.files()` gives their text, `near_miss.write_runnable(base)`
        a runnable copy of the solution with the mistake in it (graders.dev.nearmiss)."""
        from graders.dev.nearmiss import listed

        return listed(self)


def load_meta(kata_dir: Path) -> dict:
    with open(kata_dir / "kata.toml", "rb") as handle:
        return tomllib.load(handle)


@cache
def topic_meta(root: Path, topic: str) -> dict:
    path = root / "katas" / topic / "topic.toml"
    if not path.is_file():
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def expected_seconds(katas: list[Kata]) -> float:
    """A rough run time for one topic's `katas`, to start the longest work first: their number times the
    topic's median budget per kata (topic.toml `budget_median_s`)."""
    if not katas:
        return 0.0
    return len(katas) * float(topic_meta(katas[0].root, katas[0].topic).get("budget_median_s", 3))


def katas_in_topic(root: Path, topic: str) -> list[Kata]:
    folder = root / "katas" / topic
    if not folder.is_dir():
        return []
    return [
        Kata(root, topic, child.name, load_meta(child))
        for child in sorted(folder.iterdir())
        if (child / "kata.toml").is_file()
    ]


def all_katas(root: Path) -> list[Kata]:
    """Every kata in catalog order: topics in roadmap order, then e01–e05, q01–q10."""
    return [kata for topic in TOPICS for kata in katas_in_topic(root, topic)]


def select(root: Path, paths: list[str] | None) -> list[Kata]:
    """Katas named by paths (`katas/sql`, `katas/sql/e01_join`), topic names or kata names; all when empty."""
    katas = all_katas(root)
    if not paths:
        return katas
    chosen: list[Kata] = []
    for raw in paths:
        matched = _match(root, katas, raw)
        if not matched:
            raise CatalogError(f"no kata or topic matches {raw!r}{_suggest(katas, raw)}")
        chosen.extend(k for k in matched if k not in chosen)
    return chosen


def _match(root: Path, katas: list[Kata], raw: str) -> list[Kata]:
    text = raw.strip().rstrip("/")
    candidate = Path(text)
    if candidate.exists():
        target = candidate.resolve()
        for base in ("katas", "solutions"):
            try:
                parts = target.relative_to(root / base).parts
            except ValueError:
                continue
            return [k for k in katas if (k.topic, k.name)[: len(parts)] == tuple(parts[:2])]
    text = text.removeprefix("katas/").removeprefix("solutions/")
    if text in TOPICS:
        return [k for k in katas if k.topic == text]
    return [k for k in katas if text in (k.rel, k.name) or (text.count("/") == 1 and k.rel.startswith(text))]


def _suggest(katas: list[Kata], raw: str) -> str:
    import difflib

    names = list(TOPICS) + [k.rel for k in katas] + [k.name for k in katas]
    close = difflib.get_close_matches(raw.strip("/").removeprefix("katas/"), names, n=3, cutoff=0.5)
    return f": did you mean {', '.join(close)}?" if close else ""


def kata_of_path(path: Path) -> tuple[str, str] | None:
    """(topic, kata) for a test file or folder laid out as `<anything>/<topic>/<kata>/test_x.py`."""
    folder = path if path.is_dir() else path.parent
    if folder.parent.name in TOPICS:
        return folder.parent.name, folder.name
    return None
