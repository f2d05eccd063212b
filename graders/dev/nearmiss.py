"""Near misses as patches, `solutions/<topic>/<kata>/near_misses/<name>.patch`, and `dev near-miss`.

A near miss is a plausible learner mistake: the reference solution with one thing wrong. It is stored as what
a reviewer needs to read, the mistake alone:

    \"\"\"Near miss: str.isdigit() decides whole numbers, so '-3' and '+7' stay text.\"\"\"

    --- a/records.py
    +++ b/records.py
    @@ -22,7 +22,7 @@
    ...

The **header** (everything before the first `--- a/` line) is the near miss's first line(s): its `Near miss:`
note, written as it opens the file (a docstring or a comment). In the runnable near miss it takes the place of
the reference's first line, which is always the reference's own docstring or comment. The diff that follows
goes from the reference to the near miss with that first line left alone, so its hunks show only the mistake.
The first file of the patch carries the note. The standard library writes unified diffs (difflib) but cannot
apply them; `apply` below is strict (context lines must match exactly, only the position may move), so a patch
that no longer fits its reference is reported stale instead of being applied somewhere else.

Until every topic is converted, a near miss may still be a folder `near_misses/<name>/` of full copies (`dev
near-miss convert` turns those into patches). `NearMiss` reads both.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graders.catalog import NEAR_MISSES, CatalogError

if TYPE_CHECKING:
    from graders.catalog import Kata

PATCH = ".patch"
CONTEXT = 1  # lines of context around each change: enough to place a hunk and read the mistake
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
OnStale = Callable[[str, "Hunk"], None]  # called with the file and each hunk that no longer applies
NOTE = re.compile(r"Near miss:\s*(?P<note>.+)", re.DOTALL)
_RANGE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_NO_NEWLINE = "\\ No newline at end of file"
# Where `iterdir` writes a patch's files for code that reads near misses as folders, and where `dev near-miss
# new|edit` writes the runnable copies a maintainer edits (both git-ignored, under .katas/).
CACHE = Path(".katas") / "near-misses"
EDITS = Path(".katas") / "edit"


class PatchError(CatalogError):
    """A patch that cannot be read or no longer applies; the message says how to fix it."""


def lines_of(text: str) -> list[str]:
    """Lines with their endings; unlike str.splitlines only '\\n' ends a line, so files round-trip exactly."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def write_if_changed(path: Path, text: str) -> bool:
    """Write atomically, and only when the content differs (two processes may write the same near miss)."""
    if path.is_file() and read(path) == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_bytes(text.encode("utf-8"))
    os.replace(scratch, path)
    return True


# --- the format ---------------------------------------------------------------------------------------------


@dataclass
class Hunk:
    old_start: int  # 0-based position in the old file
    new_start: int
    lines: list[tuple[str, str]]  # (' ' | '-' | '+', the line with its ending)

    @property
    def old(self) -> list[str]:
        return [line for tag, line in self.lines if tag != "+"]

    @property
    def new(self) -> list[str]:
        return [line for tag, line in self.lines if tag != "-"]

    def render(self) -> str:
        out = [f"@@ -{_range(self.old_start, len(self.old))} +{_range(self.new_start, len(self.new))} @@\n"]
        for tag, line in self.lines:
            out.append(tag + line if line.endswith("\n") else f"{tag}{line}\n{_NO_NEWLINE}\n")
        return "".join(out)


@dataclass
class FilePatch:
    name: str
    hunks: list[Hunk]


@dataclass
class Patch:
    header: list[str]  # the near miss's first lines (its note), with their endings
    files: list[FilePatch]  # the first one carries the note

    def render(self) -> str:
        out = [*self.header, "\n"] if self.header else []
        for patch in self.files:
            out += [f"--- a/{patch.name}\n", f"+++ b/{patch.name}\n", *(h.render() for h in patch.hunks)]
        return "".join(out)


def _range(start: int, length: int) -> str:
    """A hunk range as `diff -u` writes it: 1-based, or the line before when the side is empty."""
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _position(first: str, length: int) -> int:
    return int(first) - 1 if length else int(first)


def parse(text: str, where: str) -> Patch:
    lines = lines_of(text)
    start = next((i for i, line in enumerate(lines) if line.startswith("--- a/")), len(lines))
    header = lines[:start]
    while header and not header[-1].strip():
        header.pop()
    files: list[FilePatch] = []
    index = start
    while index < len(lines):
        if not (
            index + 1 < len(lines)
            and lines[index].startswith("--- a/")
            and lines[index + 1].startswith("+++ b/")
        ):
            raise PatchError(
                f"{where}: line {index + 1} is not part of a unified diff: {lines[index][:60]!r}"
            )
        files.append(FilePatch(lines[index][6:].rstrip("\n"), []))
        index += 2
        while index < len(lines) and lines[index].startswith("@@"):
            hunk, index = _parse_hunk(lines, index, where)
            files[-1].hunks.append(hunk)
    return Patch(header, files)


def _parse_hunk(lines: list[str], index: int, where: str) -> tuple[Hunk, int]:
    match = _RANGE.match(lines[index])
    if match is None:
        raise PatchError(f"{where}: malformed hunk header on line {index + 1}: {lines[index].strip()!r}")
    old_len = int(match[2]) if match[2] is not None else 1
    new_len = int(match[4]) if match[4] is not None else 1
    hunk = Hunk(_position(match[1], old_len), _position(match[3], new_len), [])
    index += 1
    while len(hunk.old) < old_len or len(hunk.new) < new_len:
        if index >= len(lines) or lines[index][:1] not in (" ", "-", "+"):
            raise PatchError(f"{where}: the hunk ending on line {index} is shorter than its header says")
        hunk.lines.append((lines[index][0], lines[index][1:]))
        index += 1
        if index < len(lines) and lines[index].rstrip("\n") == _NO_NEWLINE:
            tag, line = hunk.lines[-1]
            hunk.lines[-1] = (tag, line.removesuffix("\n"))
            index += 1
    return hunk, index


def diff(old: list[str], new: list[str]) -> list[Hunk]:
    hunks = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(CONTEXT):
        lines: list[tuple[str, str]] = []
        for tag, o1, o2, n1, n2 in group:
            if tag == "equal":
                lines += [(" ", line) for line in old[o1:o2]]
            else:
                lines += [("-", line) for line in old[o1:o2]] + [("+", line) for line in new[n1:n2]]
        hunks.append(Hunk(group[0][1], group[0][3], lines))
    return hunks


def apply(text: str, patch: FilePatch) -> tuple[str, list[Hunk]]:
    """The text with the patch's hunks applied, and the hunks that no longer fit (their context is gone).

    A hunk applies where its old lines are found exactly, nearest to its recorded position first (the
    reference may have grown or shrunk above it), never overlapping the previous hunk."""
    lines = lines_of(text)
    out: list[str] = []
    rejected: list[Hunk] = []
    cursor = offset = 0
    for hunk in patch.hunks:
        at = _find(lines, hunk.old, hunk.old_start + offset, cursor)
        if at is None:
            rejected.append(hunk)
            continue
        out += lines[cursor:at] + hunk.new
        cursor, offset = at + len(hunk.old), at - hunk.old_start
    return "".join(out + lines[cursor:]), rejected


def _find(lines: list[str], old: list[str], want: int, lowest: int) -> int | None:
    highest = len(lines) - len(old)
    for distance in range(max(want - lowest, highest - want, 0) + 1):
        for at in (want - distance, want + distance):
            if lowest <= at <= highest and lines[at : at + len(old)] == old:
                return at
    return None


def note_span(lines: list[str]) -> int:
    """How many first lines of a near-miss file its note takes: the docstring's first paragraph (up to its
    closing quotes or a blank line), or the run of comment lines it opens."""
    first = lines[0].lstrip() if lines else ""
    quote = first[:3] if first[:3] in ('"""', "'''") else None
    if quote is not None:
        if quote in first[3:]:
            return 1
        for index in range(1, len(lines)):
            if not lines[index].strip():
                return index
            if quote in lines[index]:
                return index + 1
        return len(lines)
    marker = next((m for m in ("#", "--", "//") if first.startswith(m)), None)
    index = 1
    while marker and index < len(lines) and lines[index].strip() and lines[index].lstrip().startswith(marker):
        index += 1
    return index


def header_span(new: list[str], old: list[str]) -> int:
    """How many first lines of a near-miss file are its note, given the reference it comes from: the note's
    paragraph (`note_span`) less the lines that are the reference's own, right after its first line (a
    reference whose opening comment runs on keeps those lines)."""
    span = note_span(new)
    return next((k for k in range(1, span) if new[k:span] == old[1 : 1 + span - k]), span)


def note_text(header: list[str]) -> str:
    """The note in one line of words: comment markers, quotes and the `Near miss:` label removed."""
    found = NOTE.search("".join(header))
    if found is None:
        return ""
    words = " ".join(
        line.strip().lstrip("#").strip().removeprefix("-- ") for line in found["note"].splitlines()
    )
    return " ".join(words.split()).removesuffix('"""').removesuffix("'''").strip()


def opens_with_note(text: str) -> bool:
    first = lines_of(text)[:1]
    return bool(first) and "Near miss:" in first[0]


def placeholder_note(filename: str) -> str:
    words = "Near miss: TODO: say what this mistake gets wrong (the learner reads it as a hint)."
    if filename.endswith(".py"):
        return f'"""{words}"""\n'
    return f"-- {words}\n" if filename.endswith(".sql") else f"# {words}\n"


# --- near misses of a kata ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NearMiss:
    """One known mistake of a kata: `near_misses/<name>.patch`, or (until converted) a folder of copies."""

    kata: Kata
    name: str
    source: Path

    @property
    def is_patch(self) -> bool:
        return self.source.suffix == PATCH

    @property
    def where(self) -> str:
        return self.source.relative_to(self.kata.root).as_posix()

    def patch(self) -> Patch:
        return parse(read(self.source), self.where)

    def files(self, on_stale: OnStale | None = None) -> dict[str, str]:
        """Each learner file this near miss changes, with its full text (see `materialise` for `on_stale`)."""
        if not self.is_patch:
            return {p.name: read(p) for p in sorted(self.source.iterdir()) if p.is_file()}
        return materialise(self.kata, self.patch(), self.where, on_stale)

    @property
    def note(self) -> str:
        if self.is_patch:
            return note_text(self.patch().header)
        files = self.files()
        for name, text in files.items():
            if opens_with_note(text):
                lines, reference = lines_of(text), lines_of(read(self.kata.solution_dir / name))
                return note_text(lines[: header_span(lines, reference)])
        # A folder whose note does not open its file (a blank line first, a shebang): its first paragraph.
        for text in files.values():
            if "Near miss:" in text:
                start = text.index("Near miss:")
                return note_text(text[start:].split("\n\n", 1)[0].splitlines(keepends=True))
        return ""

    def write_runnable(self, base: Path, on_stale: OnStale | None = None) -> Path:
        """Write `base/<topic>/<kata>/`: the reference solution with this near miss applied, laid out like
        `solutions/` so that `base` works as `--impl`. The one way a near miss becomes files to run."""
        target = base / self.kata.topic / self.kata.name
        shutil.copytree(
            self.kata.solution_dir,
            target,
            ignore=shutil.ignore_patterns(NEAR_MISSES, "__pycache__"),
            dirs_exist_ok=True,
        )
        for name, text in self.files(on_stale).items():
            write_if_changed(target / name, text)
        return target

    def iterdir(self) -> Iterator[Path]:
        """The near miss's files, as a folder of full copies held them: for code that reads near misses as
        folders (verify, diagnose). A patch's files are written under .katas/near-misses/ first."""
        if not self.is_patch:
            return self.source.iterdir()
        folder = self.kata.root / CACHE / self.kata.topic / self.kata.name / self.name
        files = self.files()
        if folder.is_dir():
            for old in folder.iterdir():
                if old.name not in files:
                    old.unlink()
        for name, text in files.items():
            write_if_changed(folder / name, text)
        return iter(sorted(folder / name for name in files))


def listed(kata: Kata) -> list[NearMiss]:
    """The kata's near misses by name; a patch wins over a leftover folder of the same name."""
    folder = kata.solution_dir / NEAR_MISSES
    found: dict[str, NearMiss] = {}
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.suffix == PATCH and entry.is_file():
            found[entry.stem] = NearMiss(kata, entry.stem, entry)
        elif entry.is_dir() and entry.name != "__pycache__":
            found.setdefault(entry.name, NearMiss(kata, entry.name, entry))
    return [found[name] for name in sorted(found)]


def materialise(kata: Kata, patch: Patch, where: str, on_stale: OnStale | None = None) -> dict[str, str]:
    """The learner files a patch describes: each reference file with its hunks applied, the note on top.

    A hunk that no longer applies raises PatchError, or, given `on_stale`, is handed to it and left out."""
    out: dict[str, str] = {}
    for index, change in enumerate(patch.files):
        reference = kata.solution_dir / change.name
        if change.name not in kata.learner_files or not reference.is_file():
            raise PatchError(f"{where} changes {change.name}, which is not a learner file of {kata.rel}")
        text, rejected = apply(read(reference), change)
        for hunk in rejected if on_stale is not None else []:
            on_stale(change.name, hunk)
        if rejected and on_stale is None:
            raise PatchError(
                f"{where} no longer applies to solutions/{kata.rel}/{change.name} (the reference changed "
                f"near line {rejected[0].old_start + 1}): run `python -m graders dev near-miss edit "
                f"{kata.rel} {Path(where).stem}`, redo the mistake in the copy, then `dev near-miss refresh`"
            )
        if index == 0 and patch.header:
            text = "".join(patch.header + lines_of(text)[1:])
        out[change.name] = text
    return out


def make_patch(kata: Kata, near: dict[str, str]) -> Patch:
    """The patch of a near miss given as full learner files (unchanged ones are left out)."""
    reference = {name: read(kata.solution_dir / name) for name in near}
    carrier = next((n for n in kata.learner_files if n in near and opens_with_note(near[n])), None)
    if carrier is None:
        raise PatchError(
            f"near miss of {kata.rel}: start the file you changed with its `Near miss:` note "
            "(a docstring or a comment in place of the reference's first line)"
        )
    header: list[str] = []
    files: list[FilePatch] = []
    for name in [carrier, *(n for n in kata.learner_files if n in near and n != carrier)]:
        old, new = lines_of(reference[name]), lines_of(near[name])
        if name == carrier:
            span = header_span(new, old)
            header, new = new[:span], old[:1] + new[span:]
        if name == carrier or old != new:
            files.append(FilePatch(name, diff(old, new)))
    return Patch(header, files)


# --- `python -m graders dev near-miss new|edit|refresh|convert` ---------------------------------------------


def edit_dir(kata: Kata, name: str) -> Path:
    """The runnable copy a maintainer edits: laid out like solutions/, so it works as `--impl`."""
    return kata.root / EDITS / name / kata.topic / kata.name


def _find_miss(kata: Kata, name: str) -> NearMiss:
    for miss in kata.near_misses():
        if miss.name == name:
            return miss
    known = ", ".join(m.name for m in kata.near_misses()) or "none"
    raise CatalogError(f"{kata.rel} has no near miss {name!r} (it has: {known})")


def new(kata: Kata, name: str, echo=print) -> Path:
    """A placeholder patch (the note to write, no change yet) and its runnable copy to edit."""
    if not NAME.match(name):
        raise CatalogError(f"near miss names are lower_case_words (a-z, 0-9, _): not {name!r}")
    if any(m.name == name for m in kata.near_misses()):
        raise CatalogError(
            f"{kata.rel} already has a near miss {name}: `dev near-miss edit {kata.rel} {name}`"
        )
    first = kata.learner_files[0]
    path = kata.solution_dir / NEAR_MISSES / f"{name}{PATCH}"
    write_if_changed(path, Patch([placeholder_note(first)], [FilePatch(first, [])]).render())
    echo(f"wrote {path.relative_to(kata.root)} (a placeholder: the note to write, no mistake yet)")
    return edit(kata, name, echo)


def edit(kata: Kata, name: str, echo=print) -> Path:
    """Write the near miss as a runnable copy of the solution; hunks that no longer apply are printed."""
    miss = _find_miss(kata, name)
    base = kata.root / EDITS / name
    if (base / kata.topic / kata.name).exists():
        shutil.rmtree(base / kata.topic / kata.name)

    def stale(filename: str, hunk: Hunk) -> None:
        echo(f"this change to {filename} no longer applies: make it by hand in the copy\n{hunk.render()}")

    target = miss.write_runnable(base, stale)
    changes = miss.patch().files if miss.is_patch else []
    echo(f"edit   {target.relative_to(kata.root)}/{changes[0].name if changes else kata.learner_files[0]}")
    echo(f"run    pytest katas/{kata.rel} --impl={base.relative_to(kata.root)}")
    echo(f"then   python -m graders dev near-miss refresh {kata.rel} {name}")
    return target


def refresh(kata: Kata, name: str | None = None, echo=print) -> int:
    """Re-diff near misses: from the edited copy when it is newer than the patch, otherwise against the
    current reference (which moves the hunks with it). Returns how many patches changed."""
    changed = 0
    for miss in [_find_miss(kata, name)] if name else kata.near_misses():
        if not miss.is_patch:
            echo(f"{miss.where} is a folder of copies: `python -m graders dev near-miss convert {kata.rel}`")
            continue
        copy = edit_dir(kata, miss.name)
        copies = [copy / n for n in kata.learner_files if (copy / n).is_file()]
        if copies and max(p.stat().st_mtime for p in copies) >= miss.source.stat().st_mtime:
            near, origin = {p.name: read(p) for p in copies}, f"from {copy.relative_to(kata.root)}"
        else:
            if name and copy.exists():
                echo(f"{copy.relative_to(kata.root)} is older than the patch: `dev near-miss edit` it again")
            near, origin = miss.files(), "against the current reference"
        text = make_patch(kata, near).render()
        if write_if_changed(miss.source, text):
            changed += 1
            echo(f"refreshed {miss.where} {origin}")
    return changed


def convert(kata: Kata, echo=print) -> int:
    """Turn the kata's folders of full copies into patches, each checked to give back the very same files.

    Idempotent. When the kata's diagnoses.toml was current, its inputs hash is updated: the near misses' files
    are byte for byte what they were, so the recorded failures still hold."""
    from graders import diagnose

    folders = [m for m in kata.near_misses() if not m.is_patch]
    if not folders:
        return 0
    current = not diagnose.stale(kata)
    for miss in folders:
        near = miss.files()
        patch = make_patch(kata, near)
        back = materialise(kata, parse(patch.render(), miss.where), miss.where)
        reference = {n: read(kata.solution_dir / n) for n in near}
        if any(back.get(n, reference[n]) != text for n, text in near.items()):
            raise PatchError(f"{miss.where}: its patch does not give back the same files; left as it is")
        write_if_changed(miss.source.with_suffix(PATCH), patch.render())
        shutil.rmtree(miss.source)
    if current:
        path = kata.dir / diagnose.FILE
        text = re.sub(
            r'^inputs = ".*"$', f'inputs = "{diagnose.inputs_hash(kata)}"', read(path), count=1, flags=re.M
        )
        write_if_changed(path, text)
    echo(
        f"converted {len(folders)} near misses of {kata.rel}"
        + (" (diagnoses.toml kept current)" if current else "")
    )
    return len(folders)
