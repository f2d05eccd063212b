"""Git operations of the learner's loop and the maintainers' workflow, done with plumbing.

`solutions_branch` builds a commit whose tree is HEAD's with every learner file replaced by its reference
solution, without touching the working tree or the index; `original_stub` finds a stub as first committed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from graders.catalog import Kata


class GitError(RuntimeError):
    pass


def git(root: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, input=data, env={**os.environ, **(env or {})}
    )
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode().strip()


def tree_with_solutions(root: Path, base: str, katas: list[Kata]) -> tuple[str, int]:
    """The tree of commit `base` with each kata's learner files replaced by its reference. Returns (tree, files)."""
    replaced = 0
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git(root, "read-tree", base, env=env)
        for kata in katas:
            for name in kata.learner_files:
                solution = kata.solution_dir / name
                if not solution.is_file():
                    continue
                blob = git(root, "hash-object", "-w", str(solution))
                git(
                    root,
                    "update-index",
                    "--add",
                    "--cacheinfo",
                    f"100644,{blob},katas/{kata.rel}/{name}",
                    env=env,
                )
                replaced += 1
        return git(root, "write-tree", env=env), replaced


def solutions_branch(root: Path, katas: list[Kata], branch: str = "solutions") -> tuple[str, int]:
    """Create or update `branch`: HEAD with each learner file replaced by its solution. Returns (commit, files)."""
    head = git(root, "rev-parse", "HEAD")
    tree, replaced = tree_with_solutions(root, head, katas)
    parents = ["-p", head]
    try:
        previous = git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    except GitError:
        previous = ""
    if previous:
        if git(root, "rev-parse", f"{previous}^{{tree}}") == tree:
            return previous, replaced  # already up to date
        parents = ["-p", previous, "-p", head]
    message = f"Solutions: every learner file replaced by its reference solution (from {head[:12]})"
    commit = git(root, "commit-tree", tree, *parents, "-m", message, env=identity(root))
    git(root, "update-ref", f"refs/heads/{branch}", commit)
    return commit, replaced


def identity(root: Path) -> dict[str, str]:
    """Git's identity where the user has none configured (a fresh container, a CI runner)."""
    try:
        git(root, "config", "user.email")
        return {}
    except GitError:
        bot = {"NAME": "ds-katas", "EMAIL": "ds-katas@users.noreply.github.com"}
        return {
            f"GIT_{who}_{key}": os.environ.get(f"GIT_{who}_{key}", value)
            for who in ("AUTHOR", "COMMITTER")
            for key, value in bot.items()
        }


def original_stub(root: Path, rel_path: str) -> bytes:
    """The file as the commit that added it had it (the stub, even after a learner committed work)."""
    added = git(root, "log", "--diff-filter=A", "--format=%H", "--", rel_path).splitlines()
    if not added:
        raise GitError(f"{rel_path} was never committed: cannot restore it from git")
    result = subprocess.run(["git", "show", f"{added[-1]}:{rel_path}"], cwd=root, capture_output=True)
    if result.returncode != 0:
        raise GitError(result.stderr.decode(errors="replace").strip())
    return result.stdout
