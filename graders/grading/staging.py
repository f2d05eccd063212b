"""Allow-list grading: each kata runs in a fresh tree built from trusted files plus its learner files only.

The trusted files (the pinned template in Classroom, the repository's committed files locally) are read into
memory before any learner code runs, so nothing a learner's code writes on disk can change what a later kata
is graded with. From a submission, only the files each kata's trusted `kata.toml` names as `learner_files` are
ever copied: no ini/cfg/toml, no `setup.py`, no conftest, no renamed or added test, no `.pth`. What else the
submission changed among graded files is reported, and counts against the kata it belongs to.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graders.catalog import TOPICS

# Root files a graded run needs; everything else at the top level stays out of the staged tree.
ROOT_FILES = ("conftest.py", "pyproject.toml")
# A learner file larger than this is not copied (a kata's file is a few kB; this stops a disk-filling copy).
LEARNER_FILE_LIMIT = 2 * 1024 * 1024
# Files a submission may not add inside a kata folder: pytest would read them or Python would run them.
RISKY_NAMES = (
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "pytest.ini",
    "tox.ini",
    "setup.cfg",
    "setup.py",
    "pyproject.toml",
    "*.pth",
    "sitecustomize.py",
    "usercustomize.py",
    "__init__.py",
    "kata.toml",
    "topic.toml",
)
# Never read from a trusted source: not needed to grade (and solutions must never reach a graded run).
NOT_TRUSTED = ("solutions/", "graders/tests/")
# Submission files ignored when comparing (caches and editor litter, never read by a graded run).
LITTER = ("__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".DS_Store", ".hypothesis")


def _kept(rel: str) -> bool:
    """Files held from a trusted source: what a graded run needs, plus the workflows (compared, not staged)."""
    if rel.startswith(NOT_TRUSTED) or any(part in LITTER for part in rel.split("/")):
        return False
    return rel in ROOT_FILES or rel.startswith(("graders/", "katas/", ".github/"))


def _risky(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in RISKY_NAMES)


@dataclass
class TrustedTree:
    """Trusted file contents by repository-relative path, held in memory."""

    files: dict[str, bytes]
    origin: str  # said in reports: where the trusted files came from

    @classmethod
    def from_git(cls, repo: Path, ref: str = "HEAD") -> TrustedTree:
        """The files committed at `ref` (read from git's object store, not the working tree)."""
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref], cwd=repo, capture_output=True, check=True
        ).stdout
        files: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            for member in tar.getmembers():
                if member.isfile() and _kept(member.name):
                    files[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]
        return cls(files, f"git {ref} of {repo}")

    @classmethod
    def from_dir(cls, root: Path) -> TrustedTree:
        """The files of a template checkout (tracked files when it is a git checkout)."""
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=False)
        if listed.returncode == 0 and listed.stdout:
            names = [n for n in listed.stdout.decode().split("\0") if n]
        else:
            names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
        files = {}
        for rel in names:
            path = root / rel
            if _kept(rel) and path.is_file() and not path.is_symlink():
                files[rel] = path.read_bytes()
        return cls(files, str(root))

    @classmethod
    def of_repository(cls, root: Path) -> TrustedTree:
        """Locally: the committed files when `root` is a git checkout with a commit, else the folder itself."""
        head = subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True, check=False
        )
        toplevel = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, check=False
        )
        if head.returncode == 0 and Path(toplevel.stdout.strip()).resolve() == root.resolve():
            return cls.from_git(root)
        return cls.from_dir(root)

    # --- reading ----------------------------------------------------------------------------------------------

    def meta(self, topic: str, kata: str) -> dict:
        return tomllib.loads(self.files[f"katas/{topic}/{kata}/kata.toml"].decode())

    def learner_files(self, topic: str, kata: str) -> list[str]:
        return list(self.meta(topic, kata).get("learner_files", []))

    def kata_names(self, topic: str) -> set[str]:
        prefix = f"katas/{topic}/"
        return {
            rel[len(prefix) :].split("/")[0]
            for rel in self.files
            if rel.startswith(prefix) and rel.endswith("/kata.toml") and rel.count("/") == 3
        }

    def for_kata(self, topic: str, kata: str) -> dict[str, bytes]:
        """What a graded run of one kata needs: root files, graders/, the topic's shared files, the kata."""
        siblings = self.kata_names(topic) - {kata}
        chosen = {}
        for rel, data in self.files.items():
            parts = rel.split("/")
            if rel in ROOT_FILES or parts[0] == "graders":
                chosen[rel] = data
            elif parts[0] == "katas" and len(parts) > 2 and parts[1] == topic:
                if len(parts) > 3 and parts[2] in siblings:
                    continue  # another kata's folder: never visible to this kata's run
                chosen[rel] = data
        return chosen

    def digest(self) -> str:
        sha = hashlib.sha256()
        for rel in sorted(self.files):
            sha.update(rel.encode() + b"\0" + hashlib.sha256(self.files[rel]).digest())
        return sha.hexdigest()


@dataclass
class Findings:
    """What a submission changed among graded files, per kata and for the whole repository."""

    by_kata: dict[str, list[str]] = field(default_factory=dict)  # "topic/kata" -> changes that zero it
    ignored: dict[str, list[str]] = field(default_factory=dict)  # "topic/kata" -> extra files not graded
    repository: list[str] = field(default_factory=list)  # outside kata folders: ignored, reported


def _submission_files(submission: Path) -> dict[str, Path]:
    files = {}
    for base in ("katas", "graders", ".github"):
        folder = submission / base
        if folder.is_dir():
            for path in folder.rglob("*"):
                rel = path.relative_to(submission).as_posix()
                if any(part in LITTER for part in rel.split("/")):
                    continue
                if path.is_file() or path.is_symlink():
                    files[rel] = path
    for path in submission.iterdir() if submission.is_dir() else []:
        if (path.is_file() or path.is_symlink()) and path.name not in LITTER:
            files[path.name] = path
    return files


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and not path.is_symlink() and path.read_bytes() == data


def compare(trusted: TrustedTree, submission: Path, katas: list[tuple[str, str]]) -> Findings:
    """Every graded file the submission edited, deleted or added, attributed to the kata it would affect."""
    findings = Findings()
    present = _submission_files(submission)
    learner = {f"katas/{t}/{k}/{name}" for t, k in katas for name in trusted.learner_files(t, k)}
    chosen_topics = {t for t, _ in katas}

    def attribute(rel: str, change: str) -> None:
        parts = rel.split("/")
        if parts[0] == "katas" and len(parts) > 2 and parts[1] in chosen_topics:
            topic = parts[1]
            names = trusted.kata_names(topic)
            if len(parts) > 3 and parts[2] in names:
                if (topic, parts[2]) in katas:
                    findings.by_kata.setdefault(f"{topic}/{parts[2]}", []).append(f"{change}: {rel}")
                return
            for t, k in katas:  # a topic-level file (conftest.py, topic.toml, data): every kata of the topic
                if t == topic:
                    findings.by_kata.setdefault(f"{t}/{k}", []).append(f"{change}: {rel}")
            return
        if parts[0] != "katas" or (len(parts) > 1 and parts[1] not in TOPICS):
            findings.repository.append(f"{change}: {rel}")

    for rel, data in trusted.files.items():
        if rel in learner:
            continue
        path = present.get(rel)
        change = "deleted" if path is None else ("edited" if not _same(path, data) else None)
        if change is None:
            continue
        parts = rel.split("/")
        if parts[0] == "katas" and not _risky(parts[-1]):
            # A README or a data file: the template's copy is graded anyway, and nothing here runs tests.
            if len(parts) > 3 and (parts[1], parts[2]) in katas:
                findings.ignored.setdefault(f"{parts[1]}/{parts[2]}", []).append(
                    f"{change} {'/'.join(parts[3:])}"
                )
            continue
        attribute(rel, change)
    for rel in sorted(present.keys() - trusted.files.keys() - learner):
        if rel.startswith(NOT_TRUSTED):
            continue
        parts = rel.split("/")
        if parts[0] != "katas":
            if parts[0] in ("graders", ".github") or _risky(parts[-1]):
                attribute(rel, "added")
        elif _risky(parts[-1]):
            attribute(rel, "added")
        elif len(parts) > 3 and (parts[1], parts[2]) in katas:
            findings.ignored.setdefault(f"{parts[1]}/{parts[2]}", []).append("/".join(parts[3:]))
    for values in (*findings.by_kata.values(), *findings.ignored.values()):
        values.sort()
    findings.repository.sort()
    return findings


def learner_bytes(source_dir: Path, name: str) -> tuple[bytes | None, str | None]:
    """A learner file's content, or why it is not taken (missing, a link, too large)."""
    path = source_dir / name
    if path.is_symlink():
        return None, f"{name} is a symbolic link: only regular files are graded"
    if not path.is_file():
        return None, None
    if path.stat().st_size > LEARNER_FILE_LIMIT:
        return None, f"{name} is larger than {LEARNER_FILE_LIMIT // 1024 // 1024} MiB: not graded"
    return path.read_bytes(), None


def stage(
    trusted: TrustedTree,
    topic: str,
    kata: str,
    learner_dir: Path,
    dest: Path,
    hidden: dict[str, bytes] | None = None,
) -> list[str]:
    """Write one kata's graded tree into `dest`; return notes about learner files that were not taken."""
    notes = []
    for rel, data in trusted.for_kata(topic, kata).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    kata_dir = dest / "katas" / topic / kata
    for name in trusted.learner_files(topic, kata):
        data, why = learner_bytes(learner_dir, name)
        target = kata_dir / name
        if why:
            notes.append(why)
        if data is None:
            target.unlink(missing_ok=True)  # the tests then say which file is missing
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for rel, data in (hidden or {}).items():
        target = dest / ".hidden-tests" / topic / kata / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return notes


def read_hidden(folder: Path, katas: list[tuple[str, str]]) -> dict[str, dict[str, bytes]]:
    """Hidden tests laid out like katas/, read into memory before any learner code runs."""
    found: dict[str, dict[str, bytes]] = {}
    for topic, kata in katas:
        base = folder / topic / kata
        if not base.is_dir():
            continue
        files = {
            p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*"))
            if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts
        }
        if files:
            found[f"{topic}/{kata}"] = files
    return found
