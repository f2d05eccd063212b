"""Distribution files, checked offline: workflows, the learner image, compose and the dev container."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return found


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_schema_valid_and_zizmor_clean(workflow):
    schema = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [_tool("zizmor"), "--offline", "--config", str(REPO / ".github/zizmor.yml"), str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_every_workflow_is_checked():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "classroom.yml", "solutions-branch.yml"}


def test_ci_verifies_every_topic_with_cpu_torch():
    from graders.catalog import TOPICS

    ci = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    assert ci["jobs"]["verify"]["strategy"]["matrix"]["topic"] == list(TOPICS)
    text = (REPO / ".github/workflows/ci.yml").read_text()
    assert "download.pytorch.org/whl/cpu" in text and "cache: pip" in text


def test_solutions_workflow_uses_the_shared_command():
    text = (REPO / ".github/workflows/solutions-branch.yml").read_text()
    assert "python -m graders solutions-branch" in text


def test_dockerfile_passes_hadolint():
    result = subprocess.run(
        [_tool("hadolint"), str(REPO / "docker/Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_structure():
    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(path=str(REPO / "docker/Dockerfile"))
    steps = [(i["instruction"], i["value"]) for i in parser.structure]
    base = parser.baseimage
    assert ":" in base and not base.endswith(":latest"), f"pin the base image: {base}"
    instructions = [name for name, _ in steps]
    copies = [n for n, (name, value) in enumerate(steps) if name == "COPY"]
    installs = [n for n, (name, value) in enumerate(steps) if name == "RUN" and "pip install" in value]
    assert steps[copies[0]][1].startswith("pyproject.toml"), (
        "the dependency layer copies pyproject.toml first"
    )
    assert installs[0] < copies[-1], "dependencies are installed before the code is copied"
    assert "download.pytorch.org/whl/cpu" in steps[installs[0]][1], "CPU-only torch"
    user = [value for name, value in steps if name == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert "HEALTHCHECK" in instructions
    assert (REPO / "docker/Dockerfile.dockerignore").read_text().count(".git") >= 1


def test_compose_adds_postgres_and_points_the_katas_at_it():
    compose = yaml.safe_load((REPO / "docker/compose.yml").read_text())
    postgres, katas = compose["services"]["postgres"], compose["services"]["katas"]
    assert ":" in postgres["image"] and "latest" not in postgres["image"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    url = katas["environment"]["KATAS_DATABASE_URL"]
    assert url.startswith("postgresql://") and "@postgres:5432/" in url
    assert katas["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert katas["build"]["dockerfile"] == "docker/Dockerfile"


def test_devcontainer_opens_on_the_compose_service():
    config = json.loads((REPO / ".devcontainer/devcontainer.json").read_text())
    assert config["dockerComposeFile"] == ["../docker/compose.yml"]
    assert config["service"] == "katas"
    assert "katas" in config["postCreateCommand"]


def test_the_offline_guard_lets_tests_reach_a_configured_database_host():
    code = (
        "import os, socket; os.environ['KATAS_DATABASE_URL']='postgresql://u@postgres:5432/x';"
        "from graders.kit import offline; offline.install();\n"
        "try:\n    socket.getaddrinfo('postgres', 5432)\nexcept offline.OfflineError: print('blocked')\n"
        "except OSError: print('allowed')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "allowed"
