"""A static look at learner files for code that reaches into the grader: flagged for the instructor, never failed.

A kata's solution has no reason to touch pytest's or the grader's internals, interpreter frames, the garbage
collector, raw memory, other processes or the hidden tests. Finding one of these is not proof of cheating (a
learner may explore), so it changes no score: it is listed in the report for a person to read.
"""

from __future__ import annotations

import ast
from pathlib import Path

# Modules a kata's own code never needs to import.
_MODULES = {
    "_pytest": "pytest's internals",
    "pytest": "pytest itself",
    "graders": "the grader",
    "gc": "the garbage collector (finds live objects such as test reports)",
    "ctypes": "raw memory and C calls",
    "inspect": "interpreter frames and source",
    "importlib": "the import machinery",
    "builtins": "Python's builtins",
    "pluggy": "pytest's hook machinery",
    "site": "interpreter start-up",
}
# Attribute names and text that reach the same places without an import.
_ATTRIBUTES = {
    "_getframe": "interpreter frames",
    "f_back": "interpreter frames",
    "f_globals": "interpreter frames",
    "f_locals": "interpreter frames",
    "__builtins__": "Python's builtins",
    "setsid": "a process detached from the grader",
    "daemon": "a detached process",
}
_TEXT = {
    "/proc/": "other processes through /proc",
    ".hidden-tests": "the instructor's hidden tests",
    "site-packages": "installed packages",
    ".pth": "interpreter start-up files",
    "GITHUB_": "the CI runner's environment",
    "pluginmanager": "pytest's plugin manager",
    "sys.modules": "every imported module (tests included)",
}


def scan_source(text: str) -> list[str]:
    """Why a learner file deserves a look, one line each (empty when nothing stands out)."""
    found: dict[str, str] = {}
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if top in _MODULES:
                    found.setdefault(f"imports {name}", _MODULES[top])
        elif isinstance(node, ast.Attribute) and node.attr in _ATTRIBUTES:
            found.setdefault(f"uses .{node.attr}", _ATTRIBUTES[node.attr])
        elif isinstance(node, ast.Name) and node.id in _ATTRIBUTES:
            found.setdefault(f"uses {node.id}", _ATTRIBUTES[node.id])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            found.setdefault("calls __import__", "imports chosen at run time")
    for needle, why in _TEXT.items():
        if needle in text:
            found.setdefault(f"mentions {needle!r}", why)
    return [f"{what}: {why}" for what, why in found.items()]


def scan_files(folder: Path, names: list[str]) -> list[str]:
    """Flags for a kata's learner files (Python files only; other files are data or configuration)."""
    flags = []
    for name in names:
        path = folder / name
        if path.suffix == ".py" and path.is_file() and not path.is_symlink():
            text = path.read_text(encoding="utf-8", errors="replace")
            flags += [f"{name}: {line}" for line in scan_source(text)]
    return flags
