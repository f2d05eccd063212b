"""Hidden-test style checks for kaggle/q09: bad files are refused with a clear error and no API call."""

from pathlib import Path

import pandas as pd
import pytest

from graders import titanic


@pytest.fixture
def submit(kata):
    return kata.module("submit")


def _valid():
    test = titanic.generate()[1]
    return pd.DataFrame(
        {"PassengerId": test["PassengerId"], "Survived": (test["Sex"] == "female").astype(int)}
    )


def _write(tmp_path, text):
    path = tmp_path / "submission.csv"
    path.write_text(text)
    return path


def _bad_files():
    """(name, csv text, a word the message must contain) for each way a submission goes wrong."""
    good = _valid()
    csv = lambda df, **kw: df.to_csv(index=False, lineterminator="\n", **kw)  # noqa: E731
    short = good.iloc[:-1]
    duplicated = good.copy()
    duplicated.loc[5, "PassengerId"] = duplicated.loc[4, "PassengerId"]
    shifted = good.assign(PassengerId=good["PassengerId"] + 1)
    return [
        ("index column", good.to_csv(lineterminator="\n"), "PassengerId,Survived"),
        ("renamed", csv(good.rename(columns={"Survived": "survived"})), "PassengerId,Survived"),
        ("swapped", csv(good[["Survived", "PassengerId"]]), "PassengerId,Survived"),
        ("extra column", csv(good.assign(Prob=0.5)), "PassengerId,Survived"),
        ("short", csv(short), "417"),
        ("duplicate id", csv(duplicated), str(good.loc[4, "PassengerId"])),
        ("shifted ids", csv(shifted), str(good["PassengerId"].iloc[0])),
        ("floats", csv(good.assign(Survived=good["Survived"].astype(float))), "Survived"),
        ("two", csv(good.assign(Survived=good["Survived"].where(good.index != 9, 2))), "Survived"),
        ("missing", csv(good.assign(Survived=good["Survived"].where(good.index != 3))), "Survived"),
        ("words", csv(good.assign(Survived=good["Survived"].map({0: "no", 1: "yes"}))), "Survived"),
    ]


BAD = _bad_files()
IDS = _valid()["PassengerId"].tolist()


@pytest.mark.parametrize(("name", "text", "word"), BAD, ids=[b[0] for b in BAD])
def test_validate_rejects(submit, tmp_path, name, text, word):
    path = _write(tmp_path, text)
    with pytest.raises(submit.SubmissionError) as info:
        submit.validate_submission(path, IDS)
    assert word in str(info.value), f"{name}: the message should mention {word!r}, got: {info.value}"
    assert isinstance(info.value, ValueError), "SubmissionError should be a ValueError"


def test_validate_missing_file(submit, tmp_path):
    with pytest.raises(submit.SubmissionError) as info:
        submit.validate_submission(tmp_path / "nowhere_sub.csv", IDS)
    assert "nowhere_sub.csv" in str(info.value), f"name the missing file: {info.value}"


def test_validate_accepts_a_valid_file_in_any_row_order(submit, tmp_path):
    good = _valid().sample(frac=1.0, random_state=0)
    path = _write(tmp_path, good.to_csv(index=False))
    frame = submit.validate_submission(path, IDS)
    assert isinstance(frame, pd.DataFrame) and frame.shape == (418, 2)


@pytest.mark.parametrize(("name", "text", "word"), BAD[::3], ids=[b[0] for b in BAD[::3]])
def test_submit_refuses_without_calling_the_api(submit, fake_kaggle, tmp_path, name, text, word):
    path = _write(tmp_path, text)
    with pytest.raises(submit.SubmissionError):
        submit.submit(fake_kaggle, path, IDS, "try")
    assert fake_kaggle.calls == [], (
        f"{name}: no API call may happen for an invalid file, got {fake_kaggle.calls}"
    )


def test_submit_valid_file_calls_once(submit, fake_kaggle, tmp_path):
    path = _write(tmp_path, _valid().to_csv(index=False))
    response = submit.submit(fake_kaggle, path, IDS, "women first", competition="titanic")
    calls = fake_kaggle.named("competition_submit")
    assert len(fake_kaggle.calls) == 1 and len(calls) == 1, (
        f"expected one competition_submit, got {fake_kaggle.calls}"
    )
    assert Path(calls[0]["file_name"]).resolve() == path.resolve()
    assert calls[0]["message"] == "women first" and calls[0]["competition"] == "titanic"
    assert response is not None and "Successfully" in response.message, "return the API's response"


def test_main_valid(submit, fake_kaggle, tmp_path, titanic_dir, capsys):
    path = _write(tmp_path, _valid().to_csv(index=False))
    code = submit.main([str(path), "--test", str(titanic_dir / "test.csv"), "-m", "cli run"], api=fake_kaggle)
    out = capsys.readouterr()
    assert code == 0, f"main should return 0 on success, got {code}; stderr: {out.err}"
    assert [c["message"] for c in fake_kaggle.named("competition_submit")] == ["cli run"]
    assert "Successfully" in out.out, "print the API's response message"


@pytest.mark.parametrize(("name", "text", "word"), BAD[1::4], ids=[b[0] for b in BAD[1::4]])
def test_main_invalid(submit, fake_kaggle, tmp_path, titanic_dir, capsys, name, text, word):
    path = _write(tmp_path, text)
    code = submit.main([str(path), "--test", str(titanic_dir / "test.csv")], api=fake_kaggle)
    out = capsys.readouterr()
    assert code == 1, f"{name}: main should return 1 for an invalid file, got {code}"
    assert "error:" in out.err and word in out.err, (
        f"{name}: stderr should say 'error: ...{word}...', got {out.err!r}"
    )
    assert fake_kaggle.calls == [], f"{name}: no API call may happen, got {fake_kaggle.calls}"
