"""Reproducible environments: install topics from the lock, or write the lock.

    python -m graders.setup_env [TARGET ...]        # .venv with these topics (python_pandas if none)
    python -m graders.setup_env all dev             # maintainers: every topic and the dev tools
    python -m graders.setup_env --lock [--upgrade]  # maintainers: rewrite requirements/ from pyproject.toml (uv)

The lock is requirements/<target>.txt: one universal resolution (pyproject's [tool.ds-katas.lock] names the
Pythons and platforms) cut per target, every package pinned with its hashes, so any pip (a venv's bundled 23.2
included) installs it without resolving anything, and uv installs the same files. Standard library only: a
learner runs this with the Python they have, before anything is installed.

torch is the CPU build, and its wheel is not the same file everywhere, so it stays out of the hashed files: each
file that needs it names its version in its header, and it is installed first, with --no-deps, from a local
find-links folder that carries that CPU wheel (offline machines and CI), else on Linux x86-64 from the PyTorch
CPU index (PyPI's build there is CUDA's, several GB), else from PyPI (its macOS build is the CPU one).
`--torch-index URL` chooses the index instead (PyPI's own for a CUDA build: https://pypi.org/simple).
"""

from __future__ import annotations

import argparse
import configparser
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_DIR = "requirements"
LOCK_COMMAND = "python -m graders.setup_env --lock"
# Beyond the topics (pyproject extras): every topic, and the maintainers' tools. uv.txt pins the fast installer.
ALL, DEV, UV = "all", "dev", "uv"
BASE_TOPIC = "python_pandas"
_INPUTS = re.compile(r"^# inputs-sha256: ([0-9a-f]{64})$", re.M)
_TORCH = re.compile(r"^# torch==(\S+)", re.M)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)\s*(;[^\\]*)?")


class SetupError(Exception):
    pass


# --- the lock's inputs and files ---------------------------------------------------------------------------------


def lock_config(pyproject: dict) -> dict:
    return pyproject["tool"]["ds-katas"]["lock"]


def inputs_digest(pyproject: dict) -> str:
    """What the lock is computed from: the ranges, the Python floor, the lock's configuration and torch's pinned
    metadata. A lock whose header records another digest is stale."""
    project = pyproject["project"]
    inputs = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "lock": lock_config(pyproject),
        "dependency-metadata": pyproject["tool"].get("uv", {}).get("dependency-metadata", []),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def read_pyproject(root: Path = ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))


def topics(pyproject: dict) -> list[str]:
    """Topic extras in pyproject order; python_pandas (the harness alone) first."""
    extras = pyproject["project"]["optional-dependencies"]
    return [BASE_TOPIC, *(e for e in extras if e not in (BASE_TOPIC, ALL, DEV))]


def targets(pyproject: dict) -> list[str]:
    return [*topics(pyproject), ALL, DEV]


def lock_path(root: Path, target: str) -> Path:
    return root / LOCK_DIR / f"{target}.txt"


def header_digest(text: str) -> str | None:
    found = _INPUTS.search(text)
    return found.group(1) if found else None


def torch_pin(text: str) -> str | None:
    found = _TORCH.search(text)
    return found.group(1) if found else None


def requirement_blocks(text: str) -> dict[str, str]:
    """{normalized name + marker: the requirement with its hash lines}; comments dropped."""
    blocks: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if line.startswith((" ", "\t")) and key is not None:
            if line.strip().startswith("--hash"):
                blocks[key] += "\n" + line
            continue
        key = None
        match = _PIN.match(line)
        if match:
            key = f"{canonical(match.group(1))}{(match.group(4) or '').strip()}"
            blocks[key] = line
    return blocks


def pins(text: str) -> dict[str, set[str]]:
    """{normalized name: versions pinned (one per marker fork)}."""
    found: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = _PIN.match(line)
        if match:
            found.setdefault(canonical(match.group(1)), set()).add(match.group(3))
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def merged_lock(root: Path, chosen: list[str]) -> tuple[str, str | None]:
    """The chosen targets' files as one requirements text (they come from one resolution, so a package pinned
    in two of them is the same line), and the torch version they need, if any."""
    blocks: dict[str, str] = {}
    torch = None
    for target in chosen:
        path = lock_path(root, target)
        if not path.is_file():
            known = sorted(p.stem for p in (root / LOCK_DIR).glob("*.txt") if p.stem != UV)
            raise SetupError(f"no lock for {target!r}: choose among {', '.join(known)}")
        text = path.read_text(encoding="utf-8")
        torch = torch or torch_pin(text)
        for key, block in requirement_blocks(text).items():
            if blocks.setdefault(key, block) != block:
                raise SetupError(f"{key} differs between lock files: run `{LOCK_COMMAND}`")
    return "\n".join(blocks.values()) + "\n", torch


# --- installing --------------------------------------------------------------------------------------------------


def find_links_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    """Local folders pip (environment or config files) or uv is told to search for wheels."""
    environ = os.environ if environ is None else environ
    values = [environ.get("PIP_FIND_LINKS", ""), environ.get("UV_FIND_LINKS", "")]
    home = Path(environ.get("HOME", "~")).expanduser()
    configs = [Path("/etc/pip.conf"), Path("/etc/xdg/pip/pip.conf"), home / ".config/pip/pip.conf"]
    configs += [
        home / ".pip/pip.conf",
        *([Path(environ["PIP_CONFIG_FILE"])] if "PIP_CONFIG_FILE" in environ else []),
    ]
    for config in configs:
        parser = configparser.ConfigParser()
        try:
            parser.read(config)
        except configparser.Error:
            continue
        values += [parser.get(s, "find-links", fallback="") for s in ("global", "install")]
    found = []
    for value in " ".join(values).split():
        path = Path(value.removeprefix("file://"))
        if path.is_dir() and path not in found:
            found.append(path)
    return found


def local_cpu_torch(version: str, dirs: list[Path]) -> Path | None:
    """A folder holding torch's CPU wheel of this version for this interpreter on Linux x86-64, if any."""
    if sys.platform != "linux" or platform.machine() != "x86_64":
        return None
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    for folder in dirs:
        if any(folder.glob(f"torch-{version}+cpu-{tag}-{tag}-*linux*_x86_64.whl")):
            return folder
    return None


def torch_source(version: str, index: str | None, cpu_index: str, dirs: list[Path]) -> list[str]:
    """Where torch's wheel comes from, as installer options (the same for pip and uv)."""
    if index:
        return ["--index-url", index]
    local = local_cpu_torch(version, dirs)
    if local is not None:
        return ["--no-index", "--find-links", str(local)]
    if sys.platform == "linux" and platform.machine() == "x86_64":
        return ["--index-url", cpu_index]
    return []


def installer_prefix(
    installer: str, python: Path, *, quiet: bool = False, compile: bool = False
) -> list[str]:
    """The install command of pip or uv. Bytecode is left to the first import unless asked (pip would compile
    every module at install: minutes, and ~400 MB for all topics, most of it never imported)."""
    if installer == "uv":
        prefix = [shutil.which("uv") or "uv", "pip", "install", "--python", str(python)]
        prefix += ["--compile-bytecode"] if compile else []
    else:
        prefix = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        prefix += [] if compile else ["--no-compile"]
    return [*prefix, "--quiet"] if quiet else prefix


def install_plan(
    python: Path,
    lock_file: Path,
    torch: str | None,
    *,
    installer: str,
    torch_args: list[str],
    project: Path | None,
    quiet: bool = False,
    compile: bool = False,
) -> list[list[str]]:
    """The install commands, in order: torch's CPU build, the hashed lock, the project itself (no resolution)."""
    prefix = installer_prefix(installer, python, quiet=quiet, compile=compile)
    plan = []
    if torch:
        plan.append([*prefix, "--no-deps", f"torch=={torch}", *torch_args])
    plan.append([*prefix, "--require-hashes", "-r", str(lock_file)])
    if project is not None:
        plan.append([*prefix, "--no-deps", "-e", str(project)])
    return plan


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def _target_python(args: argparse.Namespace, root: Path) -> Path:
    """This Python (--no-venv), or the venv's, made first with this Python when it does not exist."""
    if args.no_venv:
        return Path(sys.executable)
    venv = root / args.venv
    if not venv_python(venv).exists():
        _run([sys.executable, "-m", "venv", str(venv)])
    return venv_python(venv)


def setup(args: argparse.Namespace, root: Path = ROOT) -> int:
    chosen = list(dict.fromkeys(t for item in args.targets or [BASE_TOPIC] for t in item.split(",") if t))
    text, torch = merged_lock(root, chosen)
    installer = args.installer if args.installer != "auto" else ("uv" if shutil.which("uv") else "pip")
    start = time.monotonic()
    python = _target_python(args, root)
    cpu_index = lock_config(read_pyproject(root))["torch-cpu-index"]
    torch_args = torch_source(torch, args.torch_index, cpu_index, find_links_dirs()) if torch else []
    with tempfile.TemporaryDirectory(prefix="katas-lock-") as work:
        lock_file = Path(work) / "lock.txt"
        lock_file.write_text(text, encoding="utf-8")
        plan = install_plan(
            python,
            lock_file,
            torch,
            installer=installer,
            torch_args=torch_args,
            project=None if args.no_project else root,
            quiet=args.quiet,
            compile=args.compile,
        )
        for command in plan:
            _run(command)
    took = time.monotonic() - start
    print(f"installed {', '.join(chosen)} from {LOCK_DIR}/ with {installer} in {took:.0f} s")
    if not args.no_venv:
        print(f"next: {os.path.relpath(python.parent / 'katas')} next")
    return 0


# --- writing the lock (maintainers, with uv and the network) -----------------------------------------------------


def _uv() -> list[str]:
    if shutil.which("uv"):
        return ["uv"]
    raise SetupError(
        f"writing the lock needs uv: python -m pip install --require-hashes -r {LOCK_DIR}/uv.txt"
    )


def _header(target: str, config: dict, digest: str, torch: str | None) -> str:
    what = {ALL: "every topic", DEV: "the harness and the maintainers' tools"}.get(
        target, f"the {target} topic"
    )
    lines = [
        f"# The lock for {what}: one universal resolution for Python {', '.join(config['pythons'])} on "
        f"{', '.join(config['platforms'])} (macOS {config['macos']}+).",
        f"# Written by `{LOCK_COMMAND}` from pyproject.toml: do not edit. Install: python -m graders.setup_env "
        f"{target}",
        f"# inputs-sha256: {digest}",
    ]
    if torch:
        lines.append(
            f"# torch=={torch} (CPU build, installed first without hashes: see graders/setup_env.py)"
        )
    return "\n".join(lines) + "\n"


def _compile(root: Path, extras: list[str], out: Path, *options: str) -> str:
    python = lock_config(read_pyproject(root))["pythons"][0]
    extra_args = [arg for extra in extras for arg in ("--extra", extra)]
    command = [
        *_uv(),
        "pip",
        "compile",
        "pyproject.toml",
        *extra_args,
        "--universal",
        "--python-version",
        python,
    ]
    command += ["--quiet", "--no-header", "--annotation-style", "line", "-o", str(out), *options]
    subprocess.run(command, cwd=root, check=True)
    # The universe's temporary path is no reason to keep a package: drop it from the annotations.
    text = re.sub(r"(, )?-c \S+", "", out.read_text(encoding="utf-8"))
    return re.sub(r"  # via $", "", text, flags=re.M).replace("# via , ", "# via ")


def write_lock(root: Path = ROOT, *, upgrade: bool = False) -> list[Path]:
    """One resolution of every extra (the previous lock's pins preferred unless upgrading), then each target's
    file cut from it with hashes, torch left out and named in the header."""
    pyproject = read_pyproject(root)
    config, digest = lock_config(pyproject), inputs_digest(pyproject)
    torch = next(m["version"] for m in pyproject["tool"]["uv"]["dependency-metadata"] if m["name"] == "torch")
    folder = root / LOCK_DIR
    folder.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        universe, pinned = Path(work) / "universe.txt", Path(work) / "torch.txt"
        pinned.write_text(f"torch=={torch}\n", encoding="utf-8")
        if not upgrade:
            previous = [lock_path(root, t) for t in (ALL, DEV) if lock_path(root, t).is_file()]
            universe.write_text("".join(p.read_text(encoding="utf-8") for p in previous), encoding="utf-8")
        _compile(root, [ALL, DEV], universe, "-c", str(pinned), *(["--upgrade"] if upgrade else []))
        written = []
        for target in targets(pyproject):
            extras = [] if target == BASE_TOPIC else [target]
            out = Path(work) / f"{target}.txt"
            body = _compile(
                root, extras, out, "-c", str(universe), "--generate-hashes", "--no-emit-package", "torch"
            )
            needs_torch = re.search(r"# via (.*, )?torch(,|$)", body, re.M) is not None
            lock_path(root, target).write_text(
                _header(target, config, digest, torch if needs_torch else None) + body, encoding="utf-8"
            )
            written.append(lock_path(root, target))
        uv_in = Path(work) / "uv.in"
        uv_in.write_text(f"uv=={_uv_version()}\n", encoding="utf-8")
        command = [*_uv(), "pip", "compile", str(uv_in), "--universal", "--generate-hashes", "--quiet"]
        body = subprocess.run([*command, "--no-header"], check=True, capture_output=True, text=True).stdout
        lock_path(root, UV).write_text(
            f"# uv, the fast installer (python -m graders.setup_env uses it when it is on PATH).\n"
            f"# Written by `{LOCK_COMMAND}`: do not edit. Install: python -m pip install --require-hashes "
            f"-r {LOCK_DIR}/uv.txt\n{body}",
            encoding="utf-8",
        )
        written.append(lock_path(root, UV))
    return written


def _uv_version() -> str:
    out = subprocess.run([*_uv(), "--version"], check=True, capture_output=True, text=True).stdout
    return out.split()[1]


def check_platforms(root: Path = ROOT) -> list[str]:
    """Every pinned package has a wheel for every Python and platform of the lock (network: the index)."""
    config = lock_config(read_pyproject(root))
    lock = [str(lock_path(root, ALL)), str(lock_path(root, DEV))]
    torch = torch_pin(lock_path(root, ALL).read_text(encoding="utf-8"))
    problems = []
    with tempfile.TemporaryDirectory() as work:
        for target in config["platforms"]:
            for python in config["pythons"]:
                requirements = list(lock)
                if torch and "darwin" in target:  # PyPI's macOS torch is the CPU build: check it too
                    extra = Path(work) / "torch.txt"
                    extra.write_text(f"torch=={torch}\n", encoding="utf-8")
                    requirements.append(str(extra))
                command = [*_uv(), "pip", "compile", *requirements, "--python-platform", target]
                environ = {**os.environ, "MACOSX_DEPLOYMENT_TARGET": config["macos"]}
                command += ["--python-version", python, "--only-binary", ":all:", "--no-deps", "--quiet"]
                command += ["-o", str(Path(work) / "out.txt")]
                result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=environ)
                if result.returncode != 0:
                    problems.append(f"{target} / Python {python}: {result.stderr.strip()[-800:]}")
    return problems


# --- command line ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.setup_env", description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="topics, 'all' and/or 'dev' (commas work too)")
    parser.add_argument("--venv", default=".venv", help="the virtual environment to create or add to")
    parser.add_argument(
        "--no-venv", action="store_true", help="install into this Python (CI runners, images)"
    )
    parser.add_argument("--no-project", action="store_true", help="the packages only, not ds-katas itself")
    parser.add_argument(
        "--installer", choices=("auto", "uv", "pip"), default="auto", help="auto: uv if found"
    )
    parser.add_argument("--torch-index", help="take torch's wheel from this index instead of the CPU build's")
    parser.add_argument(
        "--compile", action="store_true", help="bytecode at install (images that never write it)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="the installers' progress left out")
    parser.add_argument("--lock", action="store_true", help="rewrite requirements/ from pyproject.toml (uv)")
    parser.add_argument("--upgrade", action="store_true", help="with --lock: newest versions, not the lock's")
    args = parser.parse_args(argv)
    try:
        if args.lock:
            for path in write_lock(upgrade=args.upgrade):
                print(f"wrote {path.relative_to(ROOT)}")
            problems = check_platforms()
            for problem in problems:
                print(f"missing wheels: {problem}", file=sys.stderr)
            return 1 if problems else 0
        return setup(args)
    except (SetupError, subprocess.CalledProcessError) as error:
        print(f"setup_env: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
