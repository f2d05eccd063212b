"""Hidden-test style checks for deployment/q04: a multi-stage Dockerfile, a .dockerignore and a compose file,
parsed and linted offline (and built where a Docker engine answers)."""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from graders.kit import lint_tools

HERE = Path(__file__).parent  # the service: app.py and requirements.txt
SLIM = r"python:3\.\d+(\.\d+)?-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?"


# --- Dockerfile ----------------------------------------------------------------------------------------------


@pytest.fixture
def stages(kata):
    """The Dockerfile's instructions grouped by stage: [(from_value, [instructions...]), ...]."""
    found = lint_tools.dockerfile_instructions(kata.text("Dockerfile"))
    result = []
    for item in found:
        if item["instruction"] == "FROM":
            result.append((item["value"], []))
        elif result:
            result[-1][1].append(item)
    assert result, f"{kata.display('Dockerfile')} has no FROM instruction yet: write the Dockerfile"
    return result


def _name(from_value: str) -> str | None:
    words = from_value.split()
    return words[2] if len(words) == 3 and words[1].lower() == "as" else None


def test_at_least_two_stages_the_first_named(stages):
    assert len(stages) >= 2, f"a multi-stage build has at least two FROM lines, found {len(stages)}"
    assert _name(stages[0][0]), f"name the build stage (FROM ... AS builder), got FROM {stages[0][0]}"


def test_dependencies_are_built_in_an_earlier_stage(stages):
    earlier = [i for _, body in stages[:-1] for i in body]
    assert any(
        i["instruction"] == "RUN" and "pip install" in i["value"] and "requirements.txt" in i["value"]
        for i in earlier
    ), "an earlier stage should RUN pip install -r requirements.txt"
    final = stages[-1][1]
    assert not any(
        i["instruction"] == "RUN" and re.search(r"\bpip3? install\b", i["value"]) for i in final
    ), "the final stage must not run pip install: copy the built dependencies from the build stage"
    assert not any(
        i["instruction"] == "RUN" and re.search(r"apt-get|apk add|gcc|build-essential", i["value"])
        for i in final
    ), "no package managers or compilers in the final stage"


def test_final_stage_copies_from_the_build_stage(stages):
    names = {_name(value) for value, _ in stages[:-1]} - {None}
    copies = [i["value"] for i in stages[-1][1] if i["instruction"] == "COPY" and "--from=" in i["value"]]
    sources = {re.search(r"--from=(\S+)", value).group(1) for value in copies}
    assert sources & names, (
        f"the final stage should COPY --from=<build stage name> ({sorted(names)}), found {copies}"
    )
    code = [i["value"].split()[:-1] for i in stages[-1][1] if i["instruction"] == "COPY"]
    assert any("app.py" in sources or "." in sources for sources in code), (
        "the final stage copies the code (app.py)"
    )


def test_final_base_is_slim_and_pinned(stages):
    image = stages[-1][0].split()[0]
    assert re.fullmatch(SLIM, image), (
        f"final stage FROM {image}: use a pinned slim Python image such as python:3.12-slim"
    )


def test_final_stage_runs_as_non_root_with_healthcheck_and_exec_cmd(stages):
    final = stages[-1][1]
    users = [i["value"].split(":")[0] for i in final if i["instruction"] == "USER"]
    assert users and users[-1] not in ("root", "0"), (
        f"the final stage must switch to a non-root USER, found {users}"
    )
    checks = [i["value"] for i in final if i["instruction"] == "HEALTHCHECK"]
    assert checks and "/healthz" in checks[-1] and "NONE" not in checks[-1].split(), (
        "a HEALTHCHECK probing /healthz"
    )
    assert not re.search(r"\b(curl|wget)\b", checks[-1]), (
        "python:*-slim has no curl or wget: probe with python -c"
    )
    cmds = [i["value"] for i in final if i["instruction"] == "CMD"]
    assert cmds, "a CMD that starts gunicorn"
    try:
        argv = json.loads(cmds[-1])
    except json.JSONDecodeError:
        argv = None
    assert isinstance(argv, list) and argv and argv[0] == "gunicorn" and "app:app" in argv, (
        f"CMD must be the exec form running gunicorn app:app, got {cmds[-1]}"
    )
    assert "0.0.0.0:8000" in " ".join(argv), "gunicorn binds 0.0.0.0:8000"


def test_hadolint_is_clean(kata, stages):
    findings = lint_tools.hadolint(kata.path("Dockerfile"))
    assert not findings, (
        f"hadolint finds problems in {kata.display('Dockerfile')}:\n" + lint_tools.format_findings(findings)
    )


# --- .dockerignore ---------------------------------------------------------------------------------------------


@pytest.fixture
def ignore_text(kata):
    text = kata.text(".dockerignore")
    assert lint_tools.dockerignore_rules(text), f"{kata.display('.dockerignore')} has no patterns yet"
    return text


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".git/objects/ab/cdef",
        ".venv/bin/python",
        ".env",
        "__pycache__/app.cpython-312.pyc",
        "pkg/__pycache__/model.cpython-312.pyc",
        "stale.pyc",
        "pkg/sub/helpers.pyc",
        "tests/test_app.py",
        "notebooks/eda.ipynb",
        "analysis.ipynb",
    ],
)
def test_dockerignore_keeps_out(ignore_text, path):
    assert lint_tools.dockerignore_excludes(ignore_text, path), (
        f".dockerignore should keep {path} out of the build context"
    )


@pytest.mark.parametrize(
    "path", ["app.py", "requirements.txt", "envoy.py", "pkg/tests_util.py", "pkg/model.py"]
)
def test_dockerignore_keeps_what_the_build_needs(ignore_text, path):
    assert not lint_tools.dockerignore_excludes(ignore_text, path), f".dockerignore must not exclude {path}"


# --- compose.yaml ------------------------------------------------------------------------------------------------


@pytest.fixture
def compose(kata):
    data = yaml.safe_load(kata.text("compose.yaml"))
    assert isinstance(data, dict) and isinstance(data.get("services"), dict), (
        f"{kata.display('compose.yaml')} has no services yet: write the compose file"
    )
    return data


def test_compose_is_valid_against_the_compose_spec(kata, compose):
    run = lint_tools.schema_check(kata.path("compose.yaml"), "vendor.compose-spec")
    assert run.ok, (
        f"{kata.display('compose.yaml')} does not follow the Compose specification:\n{run.output[-2000:]}"
    )


def test_api_service_builds_and_publishes_8000(compose):
    api = compose["services"].get("api")
    assert isinstance(api, dict), "a service named api"
    build = api.get("build")
    context = build if isinstance(build, str) else (build or {}).get("context")
    assert context in (".", "./"), f"api builds the image from this folder (build: .), got {build!r}"
    ports = [
        str(p) if not isinstance(p, dict) else f"{p.get('published')}:{p.get('target')}"
        for p in api.get("ports", [])
    ]
    assert any(re.fullmatch(r"(127\.0\.0\.1:)?8000:8000(/tcp)?", p) for p in ports), (
        f"publish port 8000: {ports}"
    )
    assert api.get("restart") in ("unless-stopped", "always", "on-failure"), (
        f"set a restart policy, got {api.get('restart')!r}"
    )


def test_api_healthcheck(compose):
    check = compose["services"]["api"].get("healthcheck")
    assert isinstance(check, dict), "the api service needs a healthcheck"
    test = check.get("test")
    assert isinstance(test, list) and test and test[0] in ("CMD", "CMD-SHELL"), (
        f"healthcheck test in list form starting with CMD or CMD-SHELL, got {test!r}"
    )
    joined = " ".join(map(str, test))
    assert "/healthz" in joined and not re.search(r"\b(curl|wget)\b", joined), (
        "probe /healthz with python (the image has no curl or wget)"
    )
    for key in ("interval", "timeout", "retries"):
        assert key in check, f"healthcheck should set {key}"


def test_prometheus_waits_for_a_healthy_api(compose):
    prom = compose["services"].get("prometheus")
    assert isinstance(prom, dict), "a service named prometheus"
    image = str(prom.get("image", ""))
    assert re.fullmatch(r"prom/prometheus:v\d+\.\d+\.\d+", image), (
        f"pin the prometheus image to a version, got {image!r}"
    )
    depends = prom.get("depends_on")
    assert isinstance(depends, dict) and (depends.get("api") or {}).get("condition") == "service_healthy", (
        f"prometheus should depend on api with condition: service_healthy, got {depends!r}"
    )


# --- built for real, where Docker is available ----------------------------------------------------------------


@pytest.mark.docker
@pytest.mark.timeout(900)
def test_image_builds_and_becomes_healthy(kata, tmp_path):
    context = tmp_path / "context"
    context.mkdir()
    for name in ("app.py", "requirements.txt"):
        shutil.copy(HERE / name, context / name)
    for name in ("Dockerfile", ".dockerignore"):
        shutil.copy(kata.path(name), context / name)
    (context / "tests").mkdir()
    (context / "tests" / "junk.bin").write_bytes(b"x" * 1024)
    with lint_tools.built_and_running(context, port=8000) as base_url:
        import httpx

        answer = httpx.post(f"{base_url}/predict", json={"features": [6.3, 3.3, 6.0, 2.5]}, timeout=5)
        assert answer.json() == {"prediction": 2}
