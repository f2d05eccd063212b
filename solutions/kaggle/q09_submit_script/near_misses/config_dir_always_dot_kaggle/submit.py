"""Near miss: looks for kaggle.json in ~/.kaggle only, ignoring KAGGLE_CONFIG_DIR and the XDG folder the client uses when ~/.kaggle does not exist."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

COLUMNS = ["PassengerId", "Survived"]


class SubmissionError(ValueError):
    """The submission file would be rejected; the message says why."""


class CredentialsError(RuntimeError):
    """No usable Kaggle credential, or one that other users can read."""


def _config_dir(environ: Mapping[str, str], home: Path) -> Path:
    """Where the client looks for kaggle.json (its Linux rule)."""
    return home / ".kaggle"


def _non_empty_file(path: Path) -> bool:
    return path.is_file() and bool(path.read_text(encoding="utf-8").strip())


def credential_source(environ: Mapping[str, str] | None = None, home: str | Path | None = None) -> str:
    """Which credential KaggleApi.authenticate() would use, in the client's order, checked offline."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else Path(home)
    config = _config_dir(environ, home) / "kaggle.json"
    # The client only prints a warning for a key other users can read; a script should refuse it.
    if config.is_file() and config.stat().st_mode & 0o044:
        raise CredentialsError(f"{config} is readable by other users: run chmod 600 {config}")
    if environ.get("KAGGLE_API_TOKEN"):  # today's credential: an API token
        return "token:env"
    if any(_non_empty_file(home / ".kaggle" / name) for name in ("access_token", "access_token.txt")):
        return "token:file"
    stored: dict = {}
    if config.is_file():
        try:
            loaded = json.loads(config.read_text(encoding="utf-8"))
        except ValueError:  # the client ignores a broken file
            loaded = None
        stored = loaded if isinstance(loaded, dict) else {}
    # The legacy key: each half from its KAGGLE_* variable, else from kaggle.json.
    username = environ.get("KAGGLE_USERNAME") or stored.get("username")
    key = environ.get("KAGGLE_KEY") or stored.get("key")
    if username and key:
        from_env = bool(environ.get("KAGGLE_USERNAME")) and bool(environ.get("KAGGLE_KEY"))
        return "key:env" if from_env else "key:kaggle.json"
    if (home / ".kaggle" / "credentials.json").is_file():  # written by `kaggle auth login`
        return "oauth"
    raise CredentialsError(
        "no Kaggle credentials: create an API token on kaggle.com/settings and export KAGGLE_API_TOKEN "
        "(or save it in ~/.kaggle/access_token), or run `kaggle auth login`"
    )


def validate_submission(path: str | Path, test_ids) -> pd.DataFrame:
    """Check the file against the competition's format and test ids; return it as a DataFrame."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(f"submission file {path.name} not found at {path}")
    df = pd.read_csv(path)
    if list(df.columns) != COLUMNS:
        raise SubmissionError(
            f"columns must be exactly {','.join(COLUMNS)}, got {','.join(map(str, df.columns))}"
        )
    expected = list(test_ids)
    if len(df) != len(expected):
        raise SubmissionError(f"{len(df)} rows, but the test set has {len(expected)} passengers")
    repeated = df.loc[df["PassengerId"].duplicated(), "PassengerId"]
    if len(repeated):
        raise SubmissionError(f"PassengerId {repeated.iloc[0]} appears more than once")
    absent = sorted(set(expected) - set(df["PassengerId"]))
    unexpected = sorted(set(df["PassengerId"]) - set(expected))
    if absent or unexpected:
        example = absent[0] if absent else unexpected[0]
        raise SubmissionError(
            f"ids differ from the test set: {len(absent)} missing, {len(unexpected)} unexpected (e.g. {example})"
        )
    survived = df["Survived"]
    if survived.isna().any():
        raise SubmissionError(f"Survived has {int(survived.isna().sum())} missing values")
    # read_csv makes the column float for "1.0" and text for "yes": both are rejected by Kaggle.
    if not pd.api.types.is_integer_dtype(survived) or not survived.isin([0, 1]).all():
        raise SubmissionError(
            f"Survived must hold the integers 0 and 1, got values such as {survived.iloc[0]!r}"
        )
    return df


def submit(api, path: str | Path, test_ids, message: str, competition: str = "titanic"):
    """Validate, then submit once; an invalid file never reaches the API."""
    validate_submission(path, test_ids)
    return api.competition_submit(str(path), message, competition, quiet=True)


def main(argv: list[str] | None = None, api=None) -> int:
    parser = argparse.ArgumentParser(description="Validate a Kaggle submission, then submit it.")
    parser.add_argument("submission", type=Path)
    parser.add_argument("--test", type=Path, required=True, help="the competition's test.csv")
    parser.add_argument("--competition", default="titanic")
    parser.add_argument("-m", "--message", default="submitted by submit.py")
    args = parser.parse_args(argv)
    test_ids = pd.read_csv(args.test)["PassengerId"].tolist()
    try:
        validate_submission(args.submission, test_ids)
    except SubmissionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if api is None:  # only now: importing and authenticating costs time and needs credentials
        try:
            credential_source()  # authenticate() would print a help text and exit(1) instead
        except CredentialsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        from kaggle.api.kaggle_api_extended import KaggleApi

        api = KaggleApi()
        api.authenticate()
    response = submit(api, args.submission, test_ids, args.message, args.competition)
    print(getattr(response, "message", response))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
