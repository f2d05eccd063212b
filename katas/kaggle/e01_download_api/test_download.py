"""Hidden-test style checks for kaggle/e01: download through the API object, unzip, clean up, report errors."""

import random
import zipfile
from pathlib import Path

import pytest


@pytest.fixture
def download(kata):
    return kata.module("download")


def test_titanic_files_land_and_zip_is_removed(download, fake_kaggle, tmp_path):
    dest = tmp_path / "data"
    got = download.download_competition(fake_kaggle, "titanic", dest)
    expected = [dest / "gender_submission.csv", dest / "test.csv", dest / "train.csv"]
    assert isinstance(got, list) and all(isinstance(p, Path) for p in got), (
        f"expected a list of Paths, got {got!r}"
    )
    assert [Path(p).resolve() for p in got] == [p.resolve() for p in expected], f"returned {got}"
    assert not (dest / "titanic.zip").exists(), "the archive titanic.zip should be deleted after extraction"
    assert sorted(p.name for p in dest.iterdir()) == ["gender_submission.csv", "test.csv", "train.csv"]
    for name, text in fake_kaggle.competitions["titanic"].items():
        assert (dest / name).read_text() == text, f"{name} differs from the archive's copy"


def test_exactly_one_api_call_into_dest(download, fake_kaggle, tmp_path):
    dest = tmp_path / "nested" / "deeper" / "data"
    download.download_competition(fake_kaggle, "titanic", dest)
    calls = fake_kaggle.named("competition_download_files")
    assert len(calls) == 1, f"expected one competition_download_files call, got {len(calls)}"
    assert calls[0]["competition"] == "titanic"
    assert calls[0]["quiet"] is True, "quiet=True: no progress bars in the logs"
    assert calls[0]["unzip"] is False, "do not pass unzip=True: extract the archive yourself"
    assert fake_kaggle.named("authenticate") == [], "the client comes ready: do not call authenticate()"
    assert calls[0]["path"] is not None and Path(calls[0]["path"]).resolve() == dest.resolve(), (
        f"path= should be the destination folder {dest}, got {calls[0]['path']!r}"
    )
    assert isinstance(calls[0]["path"], str), f"pass path=str(dest), got {type(calls[0]['path']).__name__}"


def test_dest_given_as_a_str(download, fake_kaggle, tmp_path):
    dest = tmp_path / "as_text"
    try:
        got = download.download_competition(fake_kaggle, "titanic", str(dest))
    except (AttributeError, TypeError) as exc:
        pytest.fail(f"dest may be a str as well as a Path (convert it with Path(dest)): {exc!r}")
    assert [Path(p).resolve() for p in got] == [
        (dest / name).resolve() for name in ("gender_submission.csv", "test.csv", "train.csv")
    ], f"dest as a str: returned {got}"
    assert all(isinstance(p, Path) for p in got), f"return Paths also when dest is a str: {got!r}"


@pytest.mark.parametrize("seed", range(3))
def test_any_competition_with_nested_members(download, fake_kaggle, tmp_path, seed):
    rng = random.Random(seed)
    name = f"comp-{rng.randint(100, 999)}"
    files = {
        f"file_{i}_{rng.randint(0, 99)}.csv": f"a,b\n{rng.random()},{i}\n" for i in range(rng.randint(1, 5))
    }
    files[f"extra/notes_{seed}.txt"] = "nested member\n"
    fake_kaggle.competitions[name] = files
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "keep.me").write_text("mine")
    got = download.download_competition(fake_kaggle, name, dest)
    assert [Path(p).resolve() for p in got] == sorted((dest / n).resolve() for n in files), f"returned {got}"
    for member, text in files.items():
        assert (dest / member).read_text() == text
    assert (dest / "keep.me").read_text() == "mine", "files already in dest must stay untouched"
    assert not (dest / f"{name}.zip").exists(), f"the archive {name}.zip should be deleted"


@pytest.mark.parametrize("problem", ["missing", "forbidden"])
def test_api_errors_become_download_error(download, fake_kaggle, tmp_path, problem):
    name = "no-such-competition" if problem == "missing" else "closed-comp"
    if problem == "forbidden":
        fake_kaggle.competitions[name] = {"a.csv": "x\n1\n"}
        fake_kaggle.forbidden.add(name)
    with pytest.raises(download.DownloadError) as info:
        download.download_competition(fake_kaggle, name, tmp_path / "d" / "e")
    assert name in str(info.value), f"the error should name the competition {name!r}: {info.value}"
    assert (tmp_path / "d" / "e").is_dir(), "step 1 creates dest (and its parents) before calling the API"
    assert info.value.__cause__ is not None and "Client Error" in str(info.value.__cause__), (
        "chain the API's own exception: raise DownloadError(...) from exc"
    )


def test_corrupt_archive_is_reported(download, fake_kaggle, tmp_path):
    fake_kaggle.competitions["broken"] = {"a.csv": "x\n"}
    fake_kaggle.corrupt.add("broken")
    with pytest.raises(download.DownloadError) as info:
        download.download_competition(fake_kaggle, "broken", tmp_path / "d")
    assert "broken.zip" in str(info.value), f"the error should name the archive broken.zip: {info.value}"
    assert isinstance(info.value.__cause__, zipfile.BadZipFile), (
        "chain the zipfile.BadZipFile: raise ... from exc"
    )


def test_folder_entries_are_not_returned(download, fake_kaggle, tmp_path):
    fake_kaggle.competitions["nested"] = {"top.csv": "a\n1\n", "extra/": "", "extra/inner.csv": "b\n2\n"}
    dest = tmp_path / "d"
    got = download.download_competition(fake_kaggle, "nested", dest)
    assert [Path(p).resolve() for p in got] == [
        (dest / "extra" / "inner.csv").resolve(),
        (dest / "top.csv").resolve(),
    ], f"return the extracted files only, not the folder entry extra/: {got}"
    assert (dest / "extra" / "inner.csv").read_text() == "b\n2\n"


def test_missing_archive_is_reported(download, fake_kaggle, tmp_path):
    def download_nothing(competition, path=None, force=False, quiet=True, unzip=False):
        fake_kaggle.calls.append(("competition_download_files", {"competition": competition, "path": path}))

    fake_kaggle.competition_download_files = download_nothing  # the call "succeeds" but writes no archive
    with pytest.raises(download.DownloadError) as info:
        download.download_competition(fake_kaggle, "titanic", tmp_path / "d")
    assert "titanic.zip" in str(info.value), (
        f"the error should name the missing archive titanic.zip: {info.value}"
    )
    assert isinstance(info.value.__cause__, FileNotFoundError), (
        "chain the FileNotFoundError: raise ... from exc"
    )
