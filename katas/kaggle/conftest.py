"""Fixtures shared by the kaggle katas: the offline Titanic competition and a fake Kaggle API object.

- `titanic_dir`: a fresh folder holding the generated train.csv and test.csv (never the held-out labels).
- `titanic_frames`: (train, test) DataFrames, fresh copies; `held_out`: the test rows' true labels, for scoring.
- `fake_kaggle`: a stand-in for `kaggle.api.kaggle_api_extended.KaggleApi` that never touches the network.
  Its methods have the real signatures (checked against the installed package's source without importing
  it: `import kaggle` costs seconds and tries to authenticate) and it records every call in `.calls`.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import io
import os
import zipfile
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest

from graders.kit import titanic


class FakeApiError(Exception):
    """What the fake raises where the real client raises an HTTP error (404, 403...)."""


class FakeKaggleApi:
    """A local KaggleApi: serves competitions from memory, records calls, raises like the real one."""

    def __init__(self):
        files = titanic.csv_text()
        files["gender_submission.csv"] = titanic.gender_submission().to_csv(index=False, lineterminator="\n")
        self.competitions: dict[str, dict[str, str]] = {"titanic": files}
        self.forbidden: set[str] = set()  # competitions whose rules the user has not accepted (403)
        self.corrupt: set[str] = set()  # competitions served as a broken archive
        self.calls: list[tuple[str, dict]] = []
        self.submissions: list[dict] = []

    def _record(self, name: str, **arguments) -> None:
        self.calls.append((name, arguments))

    def authenticate(self) -> None:
        self._record("authenticate")

    def competition_download_files(
        self,
        competition: str,
        path: str | None = None,
        force: bool = False,
        quiet: bool = True,
        unzip: bool = False,
    ) -> None:
        self._record(
            "competition_download_files",
            competition=competition,
            path=path,
            force=force,
            quiet=quiet,
            unzip=unzip,
        )
        if competition in self.forbidden:
            raise FakeApiError(
                f"403 Client Error: Forbidden for competition {competition}: accept its rules first"
            )
        if competition not in self.competitions:
            raise FakeApiError(f"404 Client Error: Not Found for competition {competition}")
        folder = Path(path) if path is not None else Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)  # the real client creates the folder too
        archive = folder / f"{competition}.zip"
        if competition in self.corrupt:
            archive.write_bytes(b"PK\x03\x04 this is not a complete zip archive")
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, text in self.competitions[competition].items():
                    zf.writestr(name, text)
            archive.write_bytes(buffer.getvalue())
        if unzip:  # as the real client: extract next to the archive, then delete it
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(folder)
            archive.unlink()

    def competition_submit(
        self,
        file_name: str | None,
        message: str,
        competition: str | None,
        quiet: bool = False,
        sandbox: bool = False,
    ):
        self._record(
            "competition_submit",
            file_name=file_name,
            message=message,
            competition=competition,
            quiet=quiet,
            sandbox=sandbox,
        )
        if competition not in self.competitions:
            raise FakeApiError(f"404 Client Error: Not Found for competition {competition}")
        content = Path(file_name).read_bytes() if file_name and os.path.isfile(file_name) else None
        self.submissions.append({"file_name": file_name, "content": content, "message": message})
        return SimpleNamespace(
            message="Successfully submitted to Titanic - Machine Learning from Disaster",
            ref=len(self.submissions),
        )

    def named(self, method: str) -> list[dict]:
        """The arguments of every call to `method`, in order."""
        return [arguments for name, arguments in self.calls if name == method]


_CHECKED = ("competition_download_files", "competition_submit")


@cache
def _real_parameters() -> dict[str, list[str]] | None:
    """Parameter names of the installed KaggleApi's methods, read from its source (no import)."""
    spec = importlib.util.find_spec("kaggle")
    if spec is None or not spec.submodule_search_locations:
        return None
    source = Path(spec.submodule_search_locations[0], "api", "kaggle_api_extended.py")
    if not source.is_file():
        return None
    text = source.read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for name in _CHECKED:
        start = text.find(f"    def {name}(")
        if start < 0:
            continue
        end = text.find(":\n", text.find(")", start))
        header = text[start:end].strip() + ":\n    pass\n"
        node = ast.parse(header).body[0]
        assert isinstance(node, ast.FunctionDef)
        found[name] = [a.arg for a in node.args.args]
    return found


@pytest.fixture
def fake_kaggle() -> FakeKaggleApi:
    real = _real_parameters()
    if real:
        for name, parameters in real.items():
            mine = list(inspect.signature(getattr(FakeKaggleApi, name)).parameters)
            assert mine == parameters, (
                f"the fake KaggleApi.{name} {mine} drifted from the real one's {parameters}"
            )
    return FakeKaggleApi()


@pytest.fixture
def titanic_dir(tmp_path: Path) -> Path:
    return titanic.write_csvs(tmp_path / "data")


@pytest.fixture
def titanic_frames():
    train, test, _ = titanic.generate()
    return train, test


@pytest.fixture
def held_out():
    return titanic.held_out_labels()
