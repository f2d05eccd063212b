"""Near miss: uses `dest` as given: a `str` destination has no `/` operator, so building
the archive's path fails instead of accepting a `str` or a `Path`."""

from __future__ import annotations

import zipfile
from pathlib import Path


class DownloadError(RuntimeError):
    """The download or the extraction failed; the message names the competition or the archive."""


def download_competition(api, competition: str, dest: str | Path) -> list[Path]:
    """Download `competition` into `dest` with `api`, unzip it there, delete the zip, return the files (sorted)."""
    dest.mkdir(parents=True, exist_ok=True)
    try:
        # The client writes <dest>/<competition>.zip. We unzip ourselves to know exactly what landed.
        api.competition_download_files(competition, path=str(dest), quiet=True)
    except Exception as exc:  # the client raises HTTP errors of its own types: keep them as the cause
        raise DownloadError(f"could not download competition {competition!r}: {exc}") from exc

    archive = dest / f"{competition}.zip"
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [info.filename for info in zf.infolist() if not info.is_dir()]
            # extractall drops '..' and absolute prefixes from member names: nothing escapes dest.
            zf.extractall(dest)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise DownloadError(f"{archive.name} is not a valid zip archive: {exc}") from exc
    archive.unlink()  # no stale archive left behind
    return sorted(dest / name for name in members)
