"""Kata kaggle/q09: a submit script that validates the file before it calls the Kaggle API. Edit this file."""

from __future__ import annotations

from pathlib import Path

FILE = "katas/kaggle/q09_submit_script/submit.py"


class SubmissionError(ValueError):
    """The submission file would be rejected; the message says why."""


class CredentialsError(RuntimeError):
    """No usable Kaggle credential, or one that other users can read."""


def credential_source(environ=None, home=None) -> str:
    """Which credential KaggleApi.authenticate() would use: token:env, token:file, key:env, key:kaggle.json, oauth."""
    raise NotImplementedError(f"credential_source: write it in {FILE}")


def validate_submission(path: str | Path, test_ids):
    """Check the file against the competition's format and test ids; return it as a DataFrame."""
    raise NotImplementedError(f"validate_submission: write it in {FILE}")


def submit(api, path: str | Path, test_ids, message: str, competition: str = "titanic"):
    """Validate, then submit with api.competition_submit once; return the API's response."""
    raise NotImplementedError(f"submit: write it in {FILE}")


def main(argv: list[str] | None = None, api=None) -> int:
    """Command line: submit.py SUBMISSION --test TEST_CSV [--competition C] [-m MESSAGE]; 0 on success."""
    raise NotImplementedError(f"main: write it in {FILE}")


if __name__ == "__main__":
    raise SystemExit(main())
