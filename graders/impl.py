"""The implementation switch: which copy of a kata's learner files the tests exercise.

`--impl` (or `KATAS_IMPL`) names `katas` (default: the learner's own files), `solutions`, or any folder laid out
like `solutions/` (`<DIR>/<topic>/<kata>/...`). Only the katas present in that folder are swapped; the others keep
the learner's files. Tests never hard-code a path: they ask the `kata` fixture for a file or a module.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

LEARNER = "katas"


class LearnerFileMissing(FileNotFoundError):
    """A learner file is not where the kata expects it."""


def resolve_impl_root(root: Path, impl: str | None) -> Path:
    value = impl or os.environ.get("KATAS_IMPL") or LEARNER
    if value == LEARNER:
        return root / "katas"
    if value == "solutions":
        return root / "solutions"
    path = Path(value).expanduser()
    return (path if path.is_absolute() else Path.cwd() / path).resolve()


class KataFiles:
    """The learner files of one kata, as chosen by the implementation switch."""

    _modules: dict[tuple[str, int], ModuleType] = {}

    def __init__(self, root: Path, impl_root: Path, topic: str, name: str):
        self.root = root
        self.topic = topic
        self.name = name
        swapped = impl_root / topic / name
        self.dir = swapped if swapped.is_dir() else root / "katas" / topic / name

    @property
    def rel(self) -> str:
        return f"{self.topic}/{self.name}"

    def display(self, filename: str) -> str:
        """A path to show the learner: relative to the repository when possible."""
        path = self.dir / filename
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def path(self, filename: str) -> Path:
        """The absolute path of a learner file (a Dockerfile, a DAG, a SQL file...)."""
        path = self.dir / filename
        if not path.exists():
            raise LearnerFileMissing(
                f"{self.display(filename)} is missing. Restore the stub with "
                f"`git checkout -- katas/{self.rel}/{filename}` or `katas reset {self.rel}`."
            )
        return path

    def text(self, filename: str) -> str:
        return self.path(filename).read_text(encoding="utf-8")

    def module(self, stem: str) -> ModuleType:
        """Import the learner module `<stem>.py` under a name unique to this kata and implementation.

        The module is registered in `sys.modules`, so pickling objects whose classes it defines works.
        It is imported once per file content; an edited file is imported afresh.
        """
        path = self.path(f"{stem}.py").resolve()
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns ^ stat.st_size)
        cached = self._modules.get(key)
        if cached is not None:
            return cached
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
        module_name = f"kata_{self.topic}_{self.name}_{stem}_{digest}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            sys.modules.pop(module_name, None)
            raise ImportError(f"{self.display(stem + '.py')} could not be imported: {exc!r}") from exc
        self._modules[key] = module
        return module
