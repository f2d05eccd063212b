"""Kata kaggle/e01: download a competition's files through the Kaggle API object and unzip them. Edit this file."""

from __future__ import annotations

from pathlib import Path

FILE = "katas/kaggle/e01_download_api/download.py"


class DownloadError(RuntimeError):
    """The download or the extraction failed; the message names the competition or the archive."""


def download_competition(api, competition: str, dest: str | Path) -> list[Path]:
    """Download `competition` into `dest` with `api`, unzip it there, delete the zip, return the files (sorted)."""
    raise NotImplementedError(f"download_competition: write it in {FILE}")
