"""Offline linters for the deployment katas: hadolint, GitHub's workflow schema (check-jsonschema), zizmor.

Each tool is looked up next to the running interpreter first (a virtual environment's bin/ folder), then on PATH.
The helpers return what the tool found; the tests decide what to assert.
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


class ToolMissing(RuntimeError):
    """A linter's binary is not installed."""


def find_tool(name: str) -> str:
    """The path of a command-line tool: beside sys.executable, else on PATH; ToolMissing if neither."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    raise ToolMissing(f"`{name}` is not installed: python -m graders.setup_env deployment")


@dataclass
class ToolRun:
    returncode: int
    output: str  # stdout and stderr together

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_tool(name: str, *args: str | Path, timeout: float = 60) -> ToolRun:
    done = subprocess.run(
        [find_tool(name), *map(str, args)], capture_output=True, text=True, timeout=timeout, check=False
    )
    return ToolRun(done.returncode, (done.stdout + done.stderr).strip())


def hadolint(dockerfile: Path) -> list[dict]:
    """hadolint's findings for a Dockerfile, each {'line', 'code', 'level', 'message'}; [] when clean."""
    run = run_tool("hadolint", "--no-color", "-f", "json", dockerfile)
    try:
        findings = json.loads(run.output.splitlines()[0] if run.output else "[]")
    except (json.JSONDecodeError, IndexError):
        # hadolint could not parse the file at all: report its own words as one finding.
        return [{"line": 0, "code": "parse", "level": "error", "message": run.output}]
    return [{k: f.get(k) for k in ("line", "code", "level", "message")} for f in findings]


def format_findings(findings: list[dict]) -> str:
    return "\n".join(f"  line {f['line']}: {f['code']} ({f['level']}) {f['message']}" for f in findings)


def schema_check(path: Path, builtin: str) -> ToolRun:
    """Validate a file against one of check-jsonschema's vendored schemas (vendor.github-workflows, ...)."""
    return run_tool("check-jsonschema", "--builtin-schema", builtin, path)


def zizmor(path: Path) -> ToolRun:
    """zizmor's offline audit of a workflow file (exit status 0 when it finds nothing)."""
    return run_tool("zizmor", "--offline", "--no-progress", path)


def dockerfile_instructions(text: str) -> list[dict]:
    """The Dockerfile's instructions as dockerfile-parse sees them: {'instruction', 'value', 'startline', ...}."""
    import io

    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")))
    return [item for item in parser.structure if item["instruction"] != "COMMENT"]


# --- .dockerignore semantics (Docker's own rules, as in moby's patternmatcher) --------------------------------


def _dockerignore_regex(pattern: str) -> re.Pattern:
    """`*` and `?` stay within one path segment, `**` spans any number of segments, `[...]` is a class."""
    out, i = "", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                out, i = out + "(?:.*/)?", i + 1
            else:
                out += ".*"
            continue
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[" and (end := pattern.find("]", i)) != -1:
            out, i = out + pattern[i : end + 1], end + 1
            continue
        elif char == "\\" and i + 1 < len(pattern):
            out, i = out + re.escape(pattern[i + 1]), i + 2
            continue
        else:
            out += re.escape(char)
        i += 1
    return re.compile(out)


def dockerignore_rules(text: str) -> list[tuple[bool, re.Pattern]]:
    """(is_exception, regex) for each pattern line of a .dockerignore; comments and blank lines skipped."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        line = posixpath.normpath(line[1:].strip() if negate else line).lstrip("/")
        rules.append((negate, _dockerignore_regex(line)))
    return rules


def dockerignore_excludes(text: str, path: str) -> bool:
    """Does this .dockerignore keep `path` (relative to the context, with /) out of the build context?

    A pattern matching a parent folder excludes everything inside it; the last matching line wins, and a line
    starting with `!` re-includes.
    """
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]
    excluded = False
    for negate, regex in dockerignore_rules(text):
        if any(regex.fullmatch(candidate) for candidate in candidates):
            excluded = not negate
    return excluded


# --- Docker images, where an engine answers (tests marked @pytest.mark.docker) -------------------------------


@contextlib.contextmanager
def built_and_running(
    context: Path, *, port: int, dockerfile: str = "Dockerfile", healthy_within: float = 120
):
    """Build the image in `context`, run it with `port` published on 127.0.0.1, wait until Docker reports it
    healthy (its HEALTHCHECK), and yield the base URL; the container and the image are always removed."""
    docker = find_tool("docker")
    tag = f"ds-katas-test-{uuid.uuid4().hex[:12]}"
    build = subprocess.run(
        [docker, "build", "-q", "-t", tag, "-f", str(context / dockerfile), str(context)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert build.returncode == 0, f"docker build failed:\n{(build.stdout + build.stderr)[-3000:]}"
    container = ""
    try:
        started = subprocess.run(
            [docker, "run", "-d", "-p", f"127.0.0.1::{port}", tag],
            capture_output=True,
            text=True,
            check=False,
        )
        assert started.returncode == 0, f"docker run failed: {started.stderr[-2000:]}"
        container = started.stdout.strip()
        deadline = time.monotonic() + healthy_within
        status = ""
        while time.monotonic() < deadline:
            status = subprocess.run(
                [docker, "inspect", "--format", "{{.State.Health.Status}}", container],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if status in ("healthy", "unhealthy"):
                break
            time.sleep(1)
        logs = subprocess.run([docker, "logs", container], capture_output=True, text=True, check=False)
        assert status == "healthy", (
            f"the container's HEALTHCHECK reports {status or 'nothing'!r}; its logs:\n"
            f"{(logs.stdout + logs.stderr)[-2000:]}"
        )
        mapped = subprocess.run(
            [docker, "port", container, str(port)], capture_output=True, text=True, check=False
        ).stdout.split()[0]
        yield f"http://{mapped}"
    finally:
        if container:
            subprocess.run([docker, "rm", "-f", container], capture_output=True, check=False)
        subprocess.run([docker, "rmi", "-f", tag], capture_output=True, check=False)
