"""Hidden-test style checks for deployment/e04: a Dockerfile for the Flask service, parsed and linted offline."""

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from graders.kit import lint_tools

HERE = Path(__file__).parent  # the service the image packages: app.py and requirements.txt


@pytest.fixture
def dockerfile(kata):
    return kata.path("Dockerfile")


@pytest.fixture
def instructions(kata, dockerfile):
    found = lint_tools.dockerfile_instructions(dockerfile.read_text(encoding="utf-8"))
    assert any(i["instruction"] == "FROM" for i in found), (
        f"{kata.display('Dockerfile')} has no FROM instruction yet: write the Dockerfile"
    )
    return found


def _all(instructions, name):
    return [i for i in instructions if i["instruction"] == name]


def _index(instructions, predicate):
    return next((n for n, i in enumerate(instructions) if predicate(i)), None)


def _exec_form(value: str):
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, list) and all(isinstance(p, str) for p in parsed) else None


def test_base_image_is_slim_and_pinned(instructions):
    image = _all(instructions, "FROM")[-1]["value"].split()[0]
    assert re.fullmatch(r"python:3\.\d+(\.\d+)?-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?", image), (
        f"FROM {image}: use a slim Python image pinned to a version, such as python:3.12-slim "
        "(not latest, not an untagged or full-size image)"
    )


def test_dependencies_are_installed_before_the_code_is_copied(instructions):
    copy_reqs = _index(
        instructions, lambda i: i["instruction"] == "COPY" and i["value"].split()[:-1] == ["requirements.txt"]
    )
    install = _index(
        instructions,
        lambda i: (
            i["instruction"] == "RUN" and "pip install" in i["value"] and "requirements.txt" in i["value"]
        ),
    )
    copy_code = _index(
        instructions,
        lambda i: (
            i["instruction"] in ("COPY", "ADD")
            and any(s in (".", "app.py", "./") for s in i["value"].split()[:-1])
        ),
    )
    assert copy_reqs is not None, "COPY requirements.txt on its own, before the code (the dependency layer)"
    assert install is not None, "RUN pip install ... -r requirements.txt"
    assert copy_code is not None, "COPY the code (app.py) into the image"
    assert copy_reqs < install < copy_code, (
        "order: COPY requirements.txt, then RUN pip install -r requirements.txt, then COPY the code — "
        "so that a code change does not invalidate the dependency layer"
    )


def test_workdir_is_absolute(instructions):
    workdirs = _all(instructions, "WORKDIR")
    assert workdirs and all(w["value"].startswith("/") for w in workdirs), (
        "set an absolute WORKDIR such as /app"
    )


def test_runs_as_a_non_root_user(instructions):
    users = _all(instructions, "USER")
    assert users, "add a USER instruction: by default the container runs as root"
    user = users[-1]["value"].split(":")[0]
    assert user not in ("root", "0"), f"the last USER is {user!r}: run as an unprivileged user"
    cmd = _index(instructions, lambda i: i["instruction"] == "CMD")
    assert cmd is None or _index(instructions, lambda i: i is users[-1]) < cmd, "USER must come before CMD"


def test_cmd_is_exec_form_running_gunicorn(instructions):
    cmds = _all(instructions, "CMD")
    assert cmds, "add a CMD that starts the service"
    argv = _exec_form(cmds[-1]["value"])
    assert argv is not None, (
        f"CMD {cmds[-1]['value']}: use the exec (JSON array) form so the server is PID 1 and gets SIGTERM"
    )
    assert argv[0] == "gunicorn" and "app:app" in argv, f"CMD should run gunicorn on app:app, got {argv}"
    joined = " ".join(argv)
    assert re.search(r"(--bind[= ]|-b ?)0\.0\.0\.0:8000", joined), (
        f"gunicorn must bind 0.0.0.0:8000, got {argv}"
    )
    assert "8000" in " ".join(i["value"] for i in _all(instructions, "EXPOSE")), "EXPOSE 8000"


def test_healthcheck_probes_healthz_without_curl(instructions):
    checks = _all(instructions, "HEALTHCHECK")
    assert checks, "add a HEALTHCHECK so Docker (and compose) know when the service is healthy"
    value = checks[-1]["value"]
    assert "NONE" not in value.split(), "HEALTHCHECK NONE disables the check"
    assert "/healthz" in value and "8000" in value, (
        f"the healthcheck should request :8000/healthz, got {value}"
    )
    words = shlex.split(value.replace("[", " ").replace("]", " ").replace(",", " "))
    for tool in ("curl", "wget"):
        assert tool not in words, (
            f"python:*-slim has no {tool}: probe with python -c (urllib.request) instead"
        )


def test_hadolint_is_clean(kata, dockerfile, instructions):
    findings = lint_tools.hadolint(dockerfile)
    assert not findings, (
        f"hadolint finds problems in {kata.display('Dockerfile')}:\n" + lint_tools.format_findings(findings)
    )


@pytest.mark.docker
@pytest.mark.timeout(900)
def test_image_builds_and_becomes_healthy(kata, dockerfile, tmp_path):
    context = tmp_path / "context"
    context.mkdir()
    for name in ("app.py", "requirements.txt"):
        shutil.copy(HERE / name, context / name)
    shutil.copy(dockerfile, context / "Dockerfile")
    with lint_tools.built_and_running(context, port=8000) as base_url:
        import httpx

        answer = httpx.post(f"{base_url}/predict", json={"features": [6.3, 3.3, 6.0, 2.5]}, timeout=5)
        assert answer.json() == {"prediction": 2}
