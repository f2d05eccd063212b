"""Fixtures for the graders' own tests: a throw-away repository with tiny katas."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

README = """# {id} · demo kata

A demo kata used by the graders' own tests. {padding}

Edit `{file}`.

```bash
pytest katas/{rel}
```
"""


class MiniRepo:
    """A repository laid out like ds-katas, with katas written by the test."""

    def __init__(self, root: Path):
        self.root = root
        (root / "katas").mkdir(parents=True)
        (root / "solutions").mkdir()
        shutil.copy(REPO / "conftest.py", root / "conftest.py")
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")

    def add_kata(
        self,
        rel: str,
        *,
        stub: str,
        solution: str | None = None,
        tests: str,
        near_misses: dict[str, str] | None = None,
        timeout: float | None = None,
        file: str = "demo.py",
        points: int = 10,
        topic_imports: list[str] | None = None,
    ) -> Path:
        topic, name = rel.split("/")
        kata = self.root / "katas" / topic / name
        kata.mkdir(parents=True)
        (kata.parent / "README.md").write_text("# demo topic\n")
        if topic_imports is not None:
            (kata.parent / "topic.toml").write_text(f"extra = 'demo'\nimports = {topic_imports!r}\n")
        meta = textwrap.dedent(f"""\
            title = "demo"
            source = "graders tests"
            difficulty = "easy"
            points = {points}
            minutes = 1
            learner_files = ["{file}"]
            hints = ["one", "two"]
            """)
        if timeout is not None:
            meta += f"timeout = {timeout}\n"
        (kata / "kata.toml").write_text(meta)
        (kata / "README.md").write_text(README.format(id=name[:3], file=file, rel=rel, padding="x " * 200))
        (kata / file).write_text(textwrap.dedent(stub))
        (kata / "test_demo.py").write_text(textwrap.dedent(tests))
        sol = self.root / "solutions" / topic / name
        sol.mkdir(parents=True)
        (sol / file).write_text(textwrap.dedent(solution if solution is not None else stub))
        for miss, text in (near_misses or {}).items():
            (sol / "near_misses" / miss).mkdir(parents=True)
            (sol / "near_misses" / miss / file).write_text(textwrap.dedent(text))
        return kata


@pytest.fixture
def mini_repo(tmp_path: Path) -> MiniRepo:
    return MiniRepo(tmp_path / "repo")


ADD_TESTS = """
    import pytest

    @pytest.fixture
    def demo(kata):
        return kata.module("demo")

    def test_adds(demo):
        assert demo.add(2, 3) == 5

    @pytest.mark.parametrize("a", range(3))
    def test_adds_more(demo, a):
        assert demo.add(a, 10) == a + 10
    """
ADD_STUB = """
    def add(a, b):
        raise NotImplementedError("add: write it in katas/python_pandas/e01_demo/demo.py")
    """
ADD_SOLUTION = """
    def add(a, b):
        return a + b
    """
