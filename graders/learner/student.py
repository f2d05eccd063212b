"""The student's side of a Classroom assignment: the template's README, and solutions released on time.

`export-template` records where the template lives (`graders/template.toml`) and writes a README for students
only. After the deadline the instructor runs `python -m graders publish-solutions`, which pushes a `solutions`
branch (the template with every learner file of its topics replaced by the reference) to the template
repository or to another repository named at export time. In the student's repository, `katas diff KATA`
fetches that branch when it exists and says in one line that it does not yet otherwise.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from graders.catalog import Kata, katas_in_topic
from graders.learner.gitops import GitError, git, identity, tree_with_solutions

TEMPLATE_INFO = Path("graders") / "template.toml"
SOLUTIONS_BRANCH = "solutions"
FETCHED = "refs/katas/solutions"


def github_url(repository: str) -> str:
    """`owner/name` → its clone URL; a URL or a local path is kept as it is."""
    if "://" in repository or repository.startswith(("/", ".", "git@")) or Path(repository).exists():
        return repository
    return f"https://github.com/{repository}.git"


def write_template_info(out: Path, *, repository: str, solutions: str | None, topics: list[str]) -> Path:
    path = out / TEMPLATE_INFO
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Written by `python -m graders export-template`: where this assignment's template lives and where its\n"
        "# reference solutions are published after the deadline (`katas diff` fetches them from there).\n"
        f"repository = {repository!r}\n"
        f"solutions_url = {github_url(solutions or repository)!r}\n"
        f"solutions_branch = {SOLUTIONS_BRANCH!r}\n"
        f"topics = {topics!r}\n",
        encoding="utf-8",
    )
    return path


def template_info(root: Path) -> dict | None:
    path = root / TEMPLATE_INFO
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


class NotReleased(Exception):
    """The solutions branch does not exist yet, or cannot be reached: the one line to show says which."""


def released_solution(root: Path, kata: Kata, name: str) -> str:
    """A learner file's reference from the released solutions branch (fetched), or NotReleased."""
    info = template_info(root)
    if info is None:
        raise NotReleased("this repository has no reference solutions and no template to fetch them from")
    url, branch = info["solutions_url"], info.get("solutions_branch", SOLUTIONS_BRANCH)
    try:
        git(root, "fetch", "--quiet", "--no-tags", url, f"+refs/heads/{branch}:{FETCHED}")
    except GitError as exc:
        text = str(exc)
        if "couldn't find remote ref" in text or "not found" in text.lower():
            raise NotReleased(
                "the solutions are not released yet: your instructor publishes them after the deadline, "
                "then `katas diff` shows them"
            ) from None
        raise NotReleased(
            f"could not reach {url} to look for the solutions: {text.splitlines()[-1]}"
        ) from None
    try:
        return git(root, "show", f"{FETCHED}:katas/{kata.rel}/{name}") + "\n"
    except GitError:
        raise NotReleased(f"the released solutions have no katas/{kata.rel}/{name}") from None


def publish_solutions(
    root: Path, topics: list[str], remote: str, *, base: str = "main", branch: str = SOLUTIONS_BRANCH
) -> tuple[str, int]:
    """Push `branch` to `remote`: its `base` with every learner file of `topics` replaced by the reference."""
    url = github_url(remote)
    git(root, "fetch", "--quiet", "--no-tags", url, f"+refs/heads/{base}:refs/katas/template")
    template = git(root, "rev-parse", "refs/katas/template")
    katas = [k for t in topics for k in katas_in_topic(root, t)]
    tree, replaced = tree_with_solutions(root, template, katas)
    parents = ["-p", template]
    try:
        git(root, "fetch", "--quiet", "--no-tags", url, f"+refs/heads/{branch}:refs/katas/published")
        previous = git(root, "rev-parse", "refs/katas/published")
        parents = ["-p", previous, "-p", template]
    except GitError:
        previous = ""
    if previous and git(root, "rev-parse", f"{previous}^{{tree}}") == tree:
        return previous, replaced
    message = f"Reference solutions for {', '.join(topics)} (released by the instructor)"
    commit = git(root, "commit-tree", tree, *parents, "-m", message, env=identity(root))
    git(root, "push", "--quiet", url, f"{commit}:refs/heads/{branch}")
    return commit, replaced


def student_readme(root: Path, topics: list[str], repository: str) -> str:
    """The README a student's repository starts with: what to do, how it is graded, when solutions come."""
    rows = []
    for topic in topics:
        katas = katas_in_topic(root, topic)
        install = f"`python -m graders.setup_env {topic}`"
        rows.append(
            f"| [{topic}](katas/{topic}/README.md) | {len(katas)} | {sum(k.points for k in katas)} | {install} |"
        )
    setup = f"python -m graders.setup_env {' '.join(topics)}"
    first = next((k for t in topics for k in katas_in_topic(root, t)), None)
    first_readme = f"katas/{first.rel}/README.md" if first else "katas/"
    total = sum(k.points for t in topics for k in katas_in_topic(root, t))
    return f"""# Data-science katas

Your assignment: small, graded exercises from the data-scientist roadmap. Each kata is a folder with a README
(the idea, the task, the functions to write, with examples), a file you edit, and the tests that grade it.
Fill in the file, run the tests, and stop when they are green. {total} points in all.

| topic | katas | points | install |
|---|---:|---:|---|
{chr(10).join(rows)}

## Start

```bash
{setup}    # Python 3.11 or newer: .venv, from the pinned lock
source .venv/bin/activate                              # (Windows: .venv\\Scripts\\activate)
katas next                                             # the first kata to do, and what to write
```

Or open the repository in a Codespace / dev container: everything is installed for you, then `katas doctor`
says what is ready. Start with [{first_readme}]({first_readme}).

## The loop

```text
katas next                 the first unsolved kata, its task and its first failing test
katas watch                re-runs the kata each time you save; moves on when it is green (q quits)
katas check KATA           the kata's tests: failures grouped, the first one explained (-v: all)
katas hint KATA            one more hint each time
katas list                 your progress per topic: solved, failing, untouched, points
katas reset KATA           start a kata again from its stub (asks first)
katas diff KATA            once solutions are released: your file against the reference
katas doctor               what is installed, and what to do about what is missing
pytest katas/TOPIC         the same tests with pytest itself
```

## How you are graded

- Every push runs the **Autograding** workflow. Each kata is graded on its own, in a fresh copy of this
  template with **only the files the kata asks you to edit** (its `learner_files`) taken from your repository:
  a helper file you add next to them is not graded, so keep your code in those files.
- A kata's points are shared among its tests: pass 3 of 4 tests and you get three quarters of its points. The
  instructor may add hidden tests; you see how many passed, not their code.
- **timed out** means a test ran longer than its limit (first 10 s, then the kata's full limit): usually an
  endless loop. After a timeout the kata's remaining tests are not run. A hang or a crash costs only that kata.
- **Protected files**: the tests (`test_*.py`), `conftest.py`, `kata.toml`, `topic.toml`, `pyproject.toml`,
  `graders/` and `.github/`. Grading always uses the template's copies, so editing them cannot help; editing a
  kata's tests or adding configuration files in its folder gives that kata **0 points** (`tampered`), and code
  that rewrites test results is detected the same way. `katas reset KATA` restores a kata's stub; `git checkout
  -- PATH` restores any other file.

## Your results

Open your repository's **Actions** tab, then the latest *Autograding Tests* run: its summary has one row per
kata (status, points, the first failing test and its message, time). Locally, `python -m graders grade
--summary results.md` writes the same table.

## Solutions

The reference solutions are not in this repository. Your instructor releases them after the deadline; from then
on `katas diff KATA` shows your file against the reference (before that it says they are not released yet).

## Layout

```text
katas/<topic>/README.md          the topic: what it covers, its katas in order
katas/<topic>/<id>_<slug>/       one kata: README.md, the file you edit, test_*.py, kata.toml
```
"""
