"""Hidden-test style checks for kaggle/q09: bad files are refused with a clear error and no API call."""

import json
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from graders.kit import titanic


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
    """(name, csv text, what the message must contain) for each way a submission goes wrong.

    A tuple lists alternatives: the README lets the message name any one of those ids.
    """
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
        (
            "shifted ids",
            csv(shifted),
            (str(good["PassengerId"].iloc[0]), str(shifted["PassengerId"].iloc[-1])),
        ),
        ("floats", csv(good.assign(Survived=good["Survived"].astype(float))), "Survived"),
        ("two", csv(good.assign(Survived=good["Survived"].where(good.index != 9, 2))), "Survived"),
        ("missing", csv(good.assign(Survived=good["Survived"].where(good.index != 3))), "Survived"),
        ("words", csv(good.assign(Survived=good["Survived"].map({0: "no", 1: "yes"}))), "Survived"),
    ]


BAD = _bad_files()
IDS = _valid()["PassengerId"].tolist()


def _mentions(message, word):
    return any(w in message for w in word) if isinstance(word, tuple) else word in message


@pytest.mark.parametrize(("name", "text", "word"), BAD, ids=[b[0] for b in BAD])
def test_validate_rejects(submit, tmp_path, name, text, word):
    path = _write(tmp_path, text)
    with pytest.raises(submit.SubmissionError) as info:
        submit.validate_submission(path, IDS)
    assert _mentions(str(info.value), word), f"{name}: the message should mention {word!r}, got: {info.value}"
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
    assert calls[0]["quiet"] is True, "call competition_submit(..., quiet=True)"
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
    assert "error:" in out.err and _mentions(out.err, word), (
        f"{name}: stderr should say 'error: ...{word}...', got {out.err!r}"
    )
    assert fake_kaggle.calls == [], f"{name}: no API call may happen, got {fake_kaggle.calls}"


def _order_cases():
    """Files with two problems: the message must be about the one that comes first in the README's table."""
    good = _valid()
    csv = lambda df: df.to_csv(index=False, lineterminator="\n")  # noqa: E731
    short_extra = good.iloc[:-1].assign(Prob=0.5)
    duplicate_short = good.iloc[:-1].copy()
    duplicate_short.loc[5, "PassengerId"] = duplicate_short.loc[4, "PassengerId"]
    duplicate_floats = good.assign(Survived=good["Survived"].astype(float))
    duplicate_floats.loc[7, "PassengerId"] = duplicate_floats.loc[6, "PassengerId"]
    shifted_two = good.assign(PassengerId=good["PassengerId"] + 1000, Survived=2)
    return [
        ("columns before rows", csv(short_extra), ["PassengerId,Survived"]),
        ("rows before duplicates", csv(duplicate_short), ["417", "418"]),
        ("duplicates before labels", csv(duplicate_floats), [str(good.loc[6, "PassengerId"])]),
        ("ids before labels", csv(shifted_two), [tuple(str(i) for i in [*IDS, *(i + 1000 for i in IDS)])]),
    ]


ORDER = _order_cases()


@pytest.mark.parametrize(("name", "text", "words"), ORDER, ids=[c[0] for c in ORDER])
def test_validate_reports_the_first_problem(submit, tmp_path, name, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(submit.SubmissionError) as info:
        submit.validate_submission(path, IDS)
    for word in words:
        assert _mentions(str(info.value), word), (
            f"{name}: check in the README's order; the message should mention {word!r}, got: {info.value}"
        )


def test_main_competition_and_default_message(submit, fake_kaggle, tmp_path, titanic_dir, capsys):
    fake_kaggle.competitions["spaceship-titanic"] = {}
    path = _write(tmp_path, _valid().to_csv(index=False))
    code = submit.main(
        [str(path), "--test", str(titanic_dir / "test.csv"), "--competition", "spaceship-titanic"],
        api=fake_kaggle,
    )
    assert code == 0, f"main should return 0, got {code}; stderr: {capsys.readouterr().err}"
    calls = fake_kaggle.named("competition_submit")
    assert [c["competition"] for c in calls] == ["spaceship-titanic"], "--competition is not honoured"
    assert calls[0]["message"] == "submitted by submit.py", f"default message: got {calls[0]['message']!r}"


# credential_source: the order and places the kaggle 2.x client uses, checked offline on a fake home


def _key_file(folder, mode=0o600, **content):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kaggle.json"
    path.write_text(json.dumps(content or {"username": "ada", "key": "0123abcd"}))
    path.chmod(mode)
    return path


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_no_credentials(submit, home):
    with pytest.raises(submit.CredentialsError) as info:
        submit.credential_source({}, home)
    assert "KAGGLE_API_TOKEN" in str(info.value), f"say how to fix it (KAGGLE_API_TOKEN): {info.value}"


def test_api_token_comes_first(submit, home):
    _key_file(home / ".kaggle")
    (home / ".kaggle" / "access_token").write_text("KGAT_file\n")
    (home / ".kaggle" / "credentials.json").write_text("{}")
    env = {"KAGGLE_API_TOKEN": "KGAT_env", "KAGGLE_USERNAME": "ada", "KAGGLE_KEY": "k"}
    assert submit.credential_source(env, home) == "token:env"
    assert submit.credential_source({**env, "KAGGLE_API_TOKEN": ""}, home) == "token:file", (
        "an empty KAGGLE_API_TOKEN is not set; the access_token file comes next"
    )


@pytest.mark.parametrize("name", ["access_token", "access_token.txt"])
def test_token_file_before_the_legacy_key(submit, home, name):
    _key_file(home / ".kaggle")
    (home / ".kaggle" / name).write_text("KGAT_0123\n")
    assert submit.credential_source({"KAGGLE_USERNAME": "ada", "KAGGLE_KEY": "k"}, home) == "token:file"


def test_blank_token_file_is_no_token(submit, home):
    _key_file(home / ".kaggle")
    (home / ".kaggle" / "access_token").write_text("  \n")
    assert submit.credential_source({}, home) == "key:kaggle.json"


def test_token_file_stays_in_home_whatever_the_config_dir(submit, home, tmp_path):
    (home / ".kaggle").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "access_token").write_text("KGAT_0123")
    with pytest.raises(submit.CredentialsError):
        submit.credential_source({"KAGGLE_CONFIG_DIR": str(elsewhere)}, home)


def test_legacy_key_from_variables_or_file(submit, home):
    assert submit.credential_source({"KAGGLE_USERNAME": "ada", "KAGGLE_KEY": "0123abcd"}, home) == "key:env"
    with pytest.raises(submit.CredentialsError):
        submit.credential_source({"KAGGLE_USERNAME": "ada"}, home)  # half a key is no key
    _key_file(home / ".kaggle", username="ada", key="0123abcd")
    assert submit.credential_source({}, home) == "key:kaggle.json"
    assert submit.credential_source({"KAGGLE_USERNAME": "bob"}, home) == "key:kaggle.json", (
        "username from the variable, key from the file: the file is involved"
    )


def test_variables_complete_a_partial_file(submit, home):
    _key_file(home / ".kaggle", username="ada")
    with pytest.raises(submit.CredentialsError):
        submit.credential_source({}, home)
    assert submit.credential_source({"KAGGLE_KEY": "0123abcd"}, home) == "key:kaggle.json"


def test_broken_key_file_counts_as_absent(submit, home):
    path = _key_file(home / ".kaggle")
    path.write_text("{not json")
    (home / ".kaggle" / "credentials.json").write_text("{}")
    assert submit.credential_source({}, home) == "oauth"


def test_config_dir_variable_wins(submit, home, tmp_path):
    _key_file(tmp_path / "secrets")
    assert submit.credential_source({"KAGGLE_CONFIG_DIR": str(tmp_path / "secrets")}, home) == (
        "key:kaggle.json"
    ), "kaggle.json in $KAGGLE_CONFIG_DIR"
    _key_file(home / ".kaggle")
    with pytest.raises(submit.CredentialsError):
        submit.credential_source({"KAGGLE_CONFIG_DIR": str(tmp_path / "empty")}, home)


def test_xdg_folder_only_without_dot_kaggle(submit, home, tmp_path):
    _key_file(home / ".config" / "kaggle")
    assert submit.credential_source({}, home) == "key:kaggle.json", "~/.config/kaggle/kaggle.json"
    with pytest.raises(submit.CredentialsError):
        submit.credential_source({"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, home)
    _key_file(tmp_path / "xdg" / "kaggle")
    assert submit.credential_source({"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, home) == "key:kaggle.json"
    (home / ".kaggle").mkdir()  # the old folder exists: the client no longer looks anywhere else
    with pytest.raises(submit.CredentialsError):
        submit.credential_source({}, home)


def test_oauth_comes_last(submit, home):
    (home / ".kaggle").mkdir()
    (home / ".kaggle" / "credentials.json").write_text("{}")
    assert submit.credential_source({}, home) == "oauth"
    assert submit.credential_source({"KAGGLE_USERNAME": "ada", "KAGGLE_KEY": "k"}, home) == "key:env"


@pytest.mark.parametrize(
    ("mode", "refused"),
    [(0o600, False), (0o620, False), (0o640, True), (0o604, True)],
    ids=["600", "620", "640", "604"],
)
def test_key_file_readable_by_others_is_refused(submit, home, mode, refused):
    _key_file(home / ".kaggle", mode=mode)
    env = {"KAGGLE_API_TOKEN": "KGAT_0123"}
    if not refused:
        assert submit.credential_source(env, home) == "token:env", f"mode {mode:o} is private enough"
        return
    with pytest.raises(submit.CredentialsError) as info:
        submit.credential_source(env, home)
    assert "chmod 600" in str(info.value), f"mode {mode:o}: say how to fix it (chmod 600): {info.value}"


def test_defaults_are_the_real_environment_and_home(submit, home, monkeypatch):
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(submit.CredentialsError):
        submit.credential_source()
    monkeypatch.setenv("KAGGLE_USERNAME", "ada")
    monkeypatch.setenv("KAGGLE_KEY", "0123abcd")
    assert submit.credential_source() == "key:env"


@pytest.fixture
def fake_client_module(fake_kaggle, monkeypatch):
    """A stand-in for kaggle.api.kaggle_api_extended whose KaggleApi() is the fake (never the real client)."""
    built = []

    def factory():
        built.append(fake_kaggle)
        return fake_kaggle

    module = types.ModuleType("kaggle.api.kaggle_api_extended")
    module.KaggleApi = factory
    package, api_package = types.ModuleType("kaggle"), types.ModuleType("kaggle.api")
    package.api, api_package.kaggle_api_extended = api_package, module
    monkeypatch.setitem(sys.modules, "kaggle", package)
    monkeypatch.setitem(sys.modules, "kaggle.api", api_package)
    monkeypatch.setitem(sys.modules, "kaggle.api.kaggle_api_extended", module)
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    return built


def test_main_without_credentials_builds_no_client(
    submit, fake_client_module, fake_kaggle, home, tmp_path, titanic_dir, capsys, monkeypatch
):
    monkeypatch.setenv("HOME", str(home))
    path = _write(tmp_path, _valid().to_csv(index=False))
    code = submit.main([str(path), "--test", str(titanic_dir / "test.csv")])
    err = capsys.readouterr().err
    assert code == 1, f"no credentials: main should return 1, got {code}"
    assert "error:" in err and "KAGGLE_API_TOKEN" in err, f"stderr should say what is missing: {err!r}"
    assert fake_client_module == [] and fake_kaggle.calls == [], "no client may be built without credentials"


def test_main_builds_and_authenticates_the_client(
    submit, fake_client_module, fake_kaggle, home, tmp_path, titanic_dir, capsys, monkeypatch
):
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KAGGLE_API_TOKEN", "KGAT_0123")
    path = _write(tmp_path, _valid().to_csv(index=False))
    code = submit.main([str(path), "--test", str(titanic_dir / "test.csv"), "-m", "from CI"])
    out = capsys.readouterr()
    assert code == 0, f"main should return 0, got {code}; stderr: {out.err}"
    assert len(fake_client_module) == 1, "build one KaggleApi() when no api is given"
    assert [name for name, _ in fake_kaggle.calls] == ["authenticate", "competition_submit"], (
        f"authenticate() first, then submit: {fake_kaggle.calls}"
    )
    assert "Successfully" in out.out
