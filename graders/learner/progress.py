"""Where a learner stands: solved, failing or untouched, per kata, with a cache keyed on file contents.

An untouched kata (learner files identical to the original stubs) is known without running anything;
a kata whose learner files, tests and metadata are unchanged since its last run answers from the cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from graders.catalog import Kata
from graders.manifest import load as load_manifest
from graders.manifest import sha256
from graders.runner import run_pytest

CACHE = Path(".katas") / "progress.json"


@dataclass
class KataStatus:
    state: str  # solved | failing | untouched | missing
    passed: int = 0
    total: int = 0
    first_failure: str = ""


def content_key(kata: Kata) -> str:
    digest = hashlib.sha256()
    for path in [*(kata.dir / n for n in kata.learner_files), *kata.test_files(), kata.dir / "kata.toml"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def _untouched(kata: Kata, stubs: dict[str, str]) -> bool:
    names = [f"katas/{kata.rel}/{n}" for n in kata.learner_files]
    return all(n in stubs for n in names) and all(
        (kata.root / n).is_file() and sha256(kata.root / n) == stubs[n] for n in names
    )


def _missing(kata: Kata) -> list[str]:
    return [n for n in kata.learner_files if not (kata.dir / n).is_file()]


def statuses(root: Path, katas: list[Kata], *, refresh: bool = False, on_run=None) -> dict[str, KataStatus]:
    """Status of each kata; runs the tests of the katas whose content changed since the cached run."""
    cache_path = root / CACHE
    cache = json.loads(cache_path.read_text()) if cache_path.is_file() and not refresh else {}
    stubs = load_manifest(root).get("stubs", {})
    result: dict[str, KataStatus] = {}
    stale: list[Kata] = []
    for kata in katas:
        if _missing(kata):
            result[kata.rel] = KataStatus(
                "missing", first_failure=f"missing learner file(s) {', '.join(_missing(kata))}"
            )
        elif _untouched(kata, stubs):
            result[kata.rel] = KataStatus("untouched")
        elif (entry := cache.get(kata.rel)) and entry.get("key") == content_key(kata):
            result[kata.rel] = KataStatus(**entry["status"])
        else:
            stale.append(kata)
    if stale:
        if on_run:
            on_run(stale)
        report = run_pytest(root, [k.dir for k in stale]).by_kata()
        for kata in stale:
            tests = [r for r in report.get(kata.rel, []) if r.outcome != "skipped"]
            passed = sum(r.outcome == "passed" for r in tests)
            failing = next((r for r in tests if r.outcome != "passed"), None)
            status = KataStatus(
                "solved" if tests and passed == len(tests) else "failing",
                passed,
                len(tests),
                f"{failing.nodeid}: {failing.message}" if failing else "",
            )
            result[kata.rel] = status
            cache[kata.rel] = {"key": content_key(kata), "status": asdict(status)}
        cache_path.parent.mkdir(exist_ok=True)
        cache_path.write_text(json.dumps(cache, indent=1))
    return result
