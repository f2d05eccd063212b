"""The integrity manifest: sha256 of every file a learner must not change, and of every original stub.

`python -m graders manifest` rewrites `graders/manifest.json`; `grade --check-integrity` compares against it;
the learner's loop uses the stub hashes to tell an untouched kata without running it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from graders.catalog import all_katas

MANIFEST = Path("graders") / "manifest.json"
# Files graded runs must take from the template, never from a learner's fork.
PROTECTED_GLOBS = (
    "conftest.py",
    "pyproject.toml",
    "graders/**/*.py",
    "katas/**/test_*.py",
    "katas/**/conftest.py",
    "katas/**/kata.toml",
    "katas/**/topic.toml",
    "katas/**/openapi.yaml",  # a web kata's contract, which its fuzz test holds the app to
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def protected_files(root: Path) -> list[str]:
    found: set[str] = set()
    for pattern in PROTECTED_GLOBS:
        for path in root.glob(pattern):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and "tests" not in path.relative_to(root).parts[:2]
            ):
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def build(root: Path) -> dict:
    stubs = {
        f"katas/{k.rel}/{name}": sha256(k.dir / name)
        for k in all_katas(root)
        for name in k.learner_files
        if (k.dir / name).is_file()
    }
    return {"protected": {rel: sha256(root / rel) for rel in protected_files(root)}, "stubs": stubs}


def write(root: Path) -> Path:
    path = root / MANIFEST
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(build(root), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load(root: Path) -> dict:
    path = root / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"protected": {}, "stubs": {}}


def changed_protected(root: Path) -> list[str]:
    """Protected files that differ from the manifest (edited, deleted or added)."""
    expected = load(root)["protected"]
    actual = {rel: sha256(root / rel) for rel in protected_files(root)}
    return sorted(rel for rel in expected.keys() | actual.keys() if expected.get(rel) != actual.get(rel))
