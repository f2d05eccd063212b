"""What kata.toml decides in the READMEs: a kata's title and metadata lines, each topic's kata table.

`python -m graders dev lint` checks them, `dev lint --fix` (or `dev new`) writes them. A kata's README opens:

    # e01 · Basic types: parse `key=value` records

    *Roadmap §1 Python Programming Fundamentals & Pandas, example “Basic data types and operations”* ·
    easy · 10 points · about 20 minutes

The title is kata.toml's `title` (the README may set parts of it as `code`); the metadata line is its
`source`, `difficulty`, `points` and `minutes`. A topic's README lists its katas in one table, from the same
fields.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from graders.catalog import Kata
from graders.dev.roadmap import normalise

WIDTH = 110  # the project's line length, also for Markdown
TABLE_HEADER = ("| kata | title | difficulty | points | minutes |", "|---|---|---|---|---|")
_META = re.compile(r"^\*(?P<source>.+)\* · (?P<rest>.+)$")


def title_text(line: str) -> str:
    """`# e01 · Basic types: parse `key=value` records` → the title as kata.toml writes it (no code marks)."""
    return line.removeprefix("# ").split(" · ", 1)[-1].replace("`", "").strip()


def title_line(kata: Kata, current: str = "") -> str:
    """The README's first line: kept as it is when it says kata.toml's title (code marks allowed)."""
    if current.startswith(f"# {kata.id} · ") and title_text(current) == kata.title:
        return current
    return f"# {kata.id} · {kata.title}"


def meta_lines(kata: Kata) -> list[str]:
    """The metadata line, wrapped at the project's line length (Markdown joins the lines again)."""
    meta = kata.meta
    line = (
        f"*{meta.get('source', '')}* · {meta.get('difficulty')} · {meta.get('points')} points"
        f" · about {meta.get('minutes')} minutes"
    )
    return textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False)


def split(text: str) -> tuple[str, list[str], list[str]]:
    """(title line, metadata lines, everything after them) of a kata's README."""
    lines = text.split("\n")
    if len(lines) < 2 or lines[1].strip():
        return lines[0], [], lines[1:]
    end = 2
    while end < len(lines) and lines[end].strip():
        end += 1
    return lines[0], lines[2:end], lines[end:]


def readme_source(meta: list[str]) -> str | None:
    found = _META.match(" ".join(line.strip() for line in meta))
    return found["source"] if found else None


def says_more(readme: str, toml: str) -> bool:
    """True when the README's source has words kata.toml's lacks: regenerating the line would lose them.
    Differences of form (` — ` or `, ` before the item, `question N:`, quote marks, a full stop) are not."""
    return bool(_words(readme) - _words(toml))


def as_toml_source(readme: str) -> str:
    """A README's source written the way kata.toml writes it (`Roadmap §N …, interview question N “…”`)."""
    text = re.sub(r"\s+—\s+(?=(example|interview question)\b)", ", ", readme.strip(), count=1)
    return re.sub(r"(interview question \d+)[:,]? (?=“)", r"\1 ", text)


def _words(source: str) -> set[str]:
    return set(re.findall(r"[a-z0-9_§]+", normalise(source).lower()))


def render(kata: Kata, text: str) -> str:
    """The README with its title and metadata lines generated from kata.toml."""
    title, _, rest = split(text)
    gap = [""] if rest and rest[0].strip() else []
    return "\n".join([title_line(kata, title), "", *meta_lines(kata), *gap, *rest])


def display_title(kata: Kata) -> str:
    """The title as the README sets it (with its code marks) when it agrees with kata.toml."""
    path = kata.dir / "README.md"
    first = path.read_text(encoding="utf-8").split("\n", 1)[0] if path.is_file() else ""
    return title_line(kata, first).split(" · ", 1)[1]


def kata_table(katas: list[Kata]) -> list[str]:
    rows = []
    for k in katas:
        title = display_title(k).replace("|", "\\|")
        meta = k.meta
        rows.append(f"| [{k.name}]({k.name}/) | {title} | {meta.get('difficulty')} | {meta.get('points')} "
                    f"| {meta.get('minutes')} |")  # fmt: skip
    return [*TABLE_HEADER, *rows]


def render_topic(text: str, katas: list[Kata]) -> str:
    """A topic README with its kata table regenerated (added before "Run the topic" when it has none)."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("| kata |")), None)
    if start is None:
        at = next((i for i, line in enumerate(lines) if line.startswith("Run the topic")), len(lines))
        return "\n".join(lines[:at] + kata_table(katas) + [""] + lines[at:])
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:start] + kata_table(katas) + lines[end:])


def topic_readme(root: Path, topic: str) -> Path:
    return root / "katas" / topic / "README.md"
