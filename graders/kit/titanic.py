"""An offline Titanic competition: a deterministic data set with the Kaggle schema, and its held-out labels.

No package ships the Kaggle Titanic files, so the kaggle topic generates its own: 1,309 passengers travelling
alone or in groups (families, friends on one ticket), with names and titles, fares per ticket, cabins mostly
in first class, realistic missingness (Age about 20 %, Cabin about 77 %, Embarked 2 rows of train, Fare 1 row
of test) and survival driven by sex, class, age and family size, close to the historical rates.

- `generate(seed)` gives (train, test, labels): train 891 rows with `Survived`, test 418 rows without, and the
  held-out labels of the test rows (a Series indexed by PassengerId). Only graders use the labels.
- `write_csvs(directory)` writes train.csv and test.csv the way Kaggle serves them; `load(directory)` reads
  them back, and reads a learner's real Kaggle files the same way.
- `python -m graders.kit.titanic [DIR]` rewrites the committed copy (katas/kaggle/data by default).

Only `random.Random.random()` is used for randomness (its stream is stable across Python versions), so the
committed files stay equal to the generator's output.
"""

from __future__ import annotations

import math
import random
import sys
from functools import cache
from pathlib import Path
from statistics import NormalDist

import pandas as pd

COLUMNS = [
    "PassengerId",
    "Survived",
    "Pclass",
    "Name",
    "Sex",
    "Age",
    "SibSp",
    "Parch",
    "Ticket",
    "Fare",
    "Cabin",
    "Embarked",
]
TEST_COLUMNS = [c for c in COLUMNS if c != "Survived"]
N_TRAIN, N_TEST = 891, 418
SEED = 0
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "katas" / "kaggle" / "data"

_SURNAMES = (  # noqa: SIM905
    "Abbott Allen Andersson Andrews Asplund Baclini Backstrom Barbara Baxter Beckwith Bishop Boulos Bourke "
    "Brown Burke Byles Caldwell Carter Cavendish Chapman Christy Collyer Compton Connolly Coutts Crosby Daly "
    "Davies Dean Dodge Doling Douglas Drew Duff Elias Ford Fortune Frolicher Futrelle Gale Giles Goldsmith "
    "Goodwin Graham Hagland Hamalainen Harder Harper Harris Hart Hays Herman Hickman Hocking Hold Holverson "
    "Hoyt Jacobsohn Jensen Johnson Johnston Kelly Kink Laroche Lefebre Lindqvist Lobb Mallet Marvin Meyer "
    "Minahan Moor Moran Murphy Nakid Nasser Navratil Newell Nicholls Nilsson Oreskovic Palsson Panula Peter "
    "Quick Renouf Rice Richards Ryerson Sage Sandstrom Skoog Smith Spedden Stanley Strom Taussig Taylor Thayer "
    "Thomas Touma Turpin Van Impe Vander Planke Ware Warren Watt Webber West White Wick Widener Williams "
    "Yasbeck Zabour"
).split()
_MALE = (  # noqa: SIM905
    "John William Henry James George Charles Thomas Edward Frederick Arthur Albert Joseph Richard Robert "
    "Walter Alfred Harry Ernest Karl Johan Ivan Patrick Michael Samuel Leo Hans Olaf Nils Anton Victor"
).split()
_FEMALE = (  # noqa: SIM905
    "Mary Anna Margaret Elizabeth Ellen Alice Annie Emily Florence Helen Edith Ethel Marie Bridget Kate "
    "Hilda Agnes Ada Elsa Selma Ida Nora Julia Lucy Ruth Grace Maria Laura Elin Dagmar"
).split()
# Rare titles and how many adults carry them (Mlle, Ms and Mme are women; the rest men but Lady, Countess, Dona).
_RARE = [
    ("Dr", "male", 8),
    ("Rev", "male", 8),
    ("Col", "male", 4),
    ("Major", "male", 2),
    ("Capt", "male", 1),
    ("Sir", "male", 1),
    ("Don", "male", 1),
    ("Jonkheer", "male", 1),
    ("Mlle", "female", 2),
    ("Ms", "female", 2),
    ("Mme", "female", 1),
    ("Lady", "female", 1),
    ("the Countess", "female", 1),
    ("Dona", "female", 1),
]
_NORMAL = NormalDist()


class _Rng:
    """Every draw comes from random.Random.random(): stable across Python versions."""

    def __init__(self, seed: int):
        self._r = random.Random(seed)

    def u(self) -> float:
        return self._r.random()

    def normal(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        return mu + sigma * _NORMAL.inv_cdf(min(max(self.u(), 1e-12), 1 - 1e-12))

    def integer(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + min(int(self.u() * (high - low + 1)), high - low)

    def pick(self, items):
        return items[self.integer(0, len(items) - 1)]

    def weighted(self, items, weights):
        x = self.u() * sum(weights)
        for item, weight in zip(items, weights, strict=True):
            x -= weight
            if x < 0:
                return item
        return items[-1]

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.integer(0, i)
            items[i], items[j] = items[j], items[i]


def _adult_age(rng: _Rng, pclass: int) -> float:
    mean = {1: 39.0, 2: 30.0, 3: 26.0}[pclass]
    return float(min(max(round(rng.normal(mean, 11.0)), 15), 74))


def _child_age(rng: _Rng) -> float:
    if rng.u() < 0.12:
        return rng.pick([0.42, 0.67, 0.75, 0.83, 0.92])
    return float(rng.integer(1, 14))


def _ticket(rng: _Rng, pclass: int) -> str:
    number = rng.integer(1000, 399999)
    if pclass == 1 and rng.u() < 0.4:
        return f"PC {rng.integer(17000, 17999)}"
    prefix = rng.weighted(
        ["", "A/5 ", "C.A. ", "STON/O2. ", "SC/PARIS ", "W./C. ", "SOTON/OQ "], [70, 6, 7, 5, 3, 4, 5]
    )
    return f"{prefix}{number}"


def _cabin(rng: _Rng, pclass: int, size: int) -> str | None:
    if rng.u() >= {1: 0.80, 2: 0.10, 3: 0.03}[pclass]:
        return None
    deck = rng.pick({1: "ABCDE", 2: "DEF", 3: "EFG"}[pclass])
    first = rng.integer(2, 120)
    rooms = 1 if size == 1 or rng.u() < 0.6 else min(size, 3)
    return " ".join(f"{deck}{first + 2 * k}" for k in range(rooms))


def _people(rng: _Rng, total: int) -> list[dict]:
    """Passengers in travel groups, each with its ticket, fare, cabin, port and family links."""
    people: list[dict] = []
    while len(people) < total:
        left = total - len(people)
        size = min(rng.weighted([1, 2, 3, 4, 5, 6, 7, 8, 11], [540, 80, 34, 8, 3, 4, 2, 1, 0.7]), left)
        big = size >= 5
        pclass = 3 if big and rng.u() < 0.85 else rng.weighted([1, 2, 3], [24, 21, 55])
        port = rng.weighted(["S", "C", "Q"], {1: [60, 38, 2], 2: [88, 9, 3], 3: [72, 13, 15]}[pclass])
        per_head = math.exp(rng.normal({1: 4.05, 2: 2.6, 3: 2.05}[pclass], 0.35))
        fare = 0.0 if rng.u() < 0.012 else round(per_head * size, 4)
        ticket = _ticket(rng, pclass)
        cabin = _cabin(rng, pclass, size)
        surname = rng.pick(_SURNAMES)
        group: list[dict] = []
        if size == 1:
            sex = "male" if rng.u() < 0.68 else "female"
            married = sex == "female" and rng.u() < 0.35  # a wife travelling without her husband
            group.append(
                {"role": "adult", "sex": sex, "surname": surname, "married": married, "sibsp": 0, "parch": 0}
            )
        elif size == 2 and rng.u() < 0.35:  # two friends or a sibling pair sharing a ticket
            siblings = rng.u() < 0.5
            for _ in range(2):
                sex = "male" if rng.u() < 0.55 else "female"
                name = surname if siblings else rng.pick(_SURNAMES)
                link = 1 if siblings else 0
                group.append(
                    {
                        "role": "adult",
                        "sex": sex,
                        "surname": name,
                        "married": False,
                        "sibsp": link,
                        "parch": 0,
                    }
                )
        else:  # a family: one or two parents and children
            two_parents = size == 2 or rng.u() < 0.7
            parents = 2 if two_parents else 1
            children = size - parents
            if two_parents:
                group.append(
                    {
                        "role": "adult",
                        "sex": "male",
                        "surname": surname,
                        "married": True,
                        "sibsp": 1,
                        "parch": children,
                    }
                )
                group.append(
                    {
                        "role": "adult",
                        "sex": "female",
                        "surname": surname,
                        "married": True,
                        "sibsp": 1,
                        "parch": children,
                    }
                )
            else:
                sex = "female" if rng.u() < 0.75 else "male"
                group.append(
                    {
                        "role": "adult",
                        "sex": sex,
                        "surname": surname,
                        "married": sex == "female",
                        "sibsp": 0,
                        "parch": children,
                    }
                )
            for _ in range(children):
                sex = "male" if rng.u() < 0.5 else "female"
                group.append(
                    {
                        "role": "child",
                        "sex": sex,
                        "surname": surname,
                        "married": False,
                        "sibsp": children - 1,
                        "parch": parents,
                    }
                )
        husband = None
        for person in group:
            person.update(pclass=pclass, port=port, fare=fare, ticket=ticket, cabin=cabin, size=size)
            person["age"] = _child_age(rng) if person["role"] == "child" else _adult_age(rng, pclass)
            if person["role"] == "adult" and person["age"] > 20 and rng.u() < 0.03:
                person["age"] += 0.5  # an estimated age, as Kaggle writes them
            person["first"] = rng.pick(_MALE if person["sex"] == "male" else _FEMALE)
            person["middle"] = (
                rng.pick(_MALE if person["sex"] == "male" else _FEMALE) if rng.u() < 0.4 else ""
            )
            if person["married"] and person["sex"] == "male":
                husband = person
            person["husband"] = husband if person["married"] and person["sex"] == "female" else None
            people.append(person)
    return people[:total]


def _title(person: dict) -> str:
    if person["sex"] == "male":
        return "Master" if person["role"] == "child" and person["age"] < 13 else "Mr"
    return "Mrs" if person["married"] else "Miss"


def _name(rng: _Rng, person: dict) -> str:
    title = person["title"]
    given = " ".join(p for p in (person["first"], person["middle"]) if p)
    if title == "Mrs" and person["husband"] is not None:
        h = person["husband"]
        husband = " ".join(p for p in (h["first"], h["middle"]) if p)
        return f"{person['surname']}, Mrs. {husband} ({given} {rng.pick(_SURNAMES)})"
    if title == "the Countess":
        return f"{person['surname']}, the Countess. of ({given} {rng.pick(_SURNAMES)})"
    return f"{person['surname']}, {title}. {given}"


def _survival_probability(person: dict) -> float:
    female = person["sex"] == "female"
    base = {  # historical rates by sex and class
        (True, 1): 0.96,
        (True, 2): 0.92,
        (True, 3): 0.68,
        (False, 1): 0.32,
        (False, 2): 0.15,
        (False, 3): 0.12,
    }[(female, person["pclass"])]
    if not female and person["age"] < 13:
        base = {1: 0.95, 2: 0.9, 3: 0.35}[person["pclass"]]
    if person["size"] >= 5:
        base *= 0.35
    if person["title"] in ("Rev", "Capt", "Jonkheer", "Don"):
        base *= 0.2
    return base


@cache
def _generate(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    rng = _Rng(seed)
    people = _people(rng, N_TRAIN + N_TEST)
    for person in people:
        person["title"] = _title(person)
    # A few adults carry rare titles.
    adults = [p for p in people if p["role"] == "adult" and p["age"] >= 22]
    for title, sex, count in _RARE:
        candidates = [p for p in adults if p["sex"] == sex and p["title"] in ("Mr", "Mrs", "Miss")]
        for _ in range(count):
            person = candidates.pop(rng.integer(0, len(candidates) - 1))
            person["title"] = title
    # Families share their fate somewhat: one draw per ticket shifts every member's chance.
    shared: dict[str, float] = {}
    for person in people:
        if person["ticket"] not in shared:
            shared[person["ticket"]] = rng.normal(0.0, 0.6)
        p = _survival_probability(person)
        logit = math.log(p / (1 - p)) + (shared[person["ticket"]] if person["size"] > 1 else 0.0)
        person["survived"] = int(rng.u() < 1 / (1 + math.exp(-logit)))
    rng.shuffle(people)
    rows = []
    for number, person in enumerate(people, start=1):
        # Ages are missing more often in third class, as in the real lists.
        age = None if rng.u() < {1: 0.13, 2: 0.07, 3: 0.27}[person["pclass"]] else person["age"]
        rows.append(
            {
                "PassengerId": number,
                "Survived": person["survived"],
                "Pclass": person["pclass"],
                "Name": _name(rng, person),
                "Sex": person["sex"],
                "Age": age,
                "SibSp": person["sibsp"],
                "Parch": person["parch"],
                "Ticket": person["ticket"],
                "Fare": person["fare"],
                "Cabin": person["cabin"],
                "Embarked": person["port"],
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["Age"] = frame["Age"].astype(float)
    frame["Fare"] = frame["Fare"].astype(float)
    train = frame.iloc[:N_TRAIN].reset_index(drop=True)
    test = frame.iloc[N_TRAIN:].reset_index(drop=True)
    # Embarked is missing for two first-class women with a cabin in train; one fare is missing in test.
    ladies = train.index[(train["Pclass"] == 1) & (train["Sex"] == "female") & train["Cabin"].notna()]
    train.loc[ladies[[3, 7]], "Embarked"] = None
    thirds = test.index[test["Pclass"] == 3]
    test.loc[thirds[len(thirds) // 2], "Fare"] = float("nan")
    labels = pd.Series(test["Survived"].to_numpy(), index=pd.Index(test["PassengerId"], name="PassengerId"))
    labels.name = "Survived"
    return _typed(train), _typed(test.drop(columns="Survived")), labels


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes pandas gives when it reads the CSV files, so generated and loaded frames are equal."""
    return pd.read_csv(_as_buffer(frame))


def _as_buffer(frame: pd.DataFrame):
    import io

    return io.StringIO(frame.to_csv(index=False, lineterminator="\n"))


def generate(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(train, test, held-out labels): fresh copies, so callers may modify them."""
    train, test, labels = _generate(seed)
    return train.copy(), test.copy(), labels.copy()


def held_out_labels(seed: int = SEED) -> pd.Series:
    """The true `Survived` of the test rows, indexed by PassengerId (for graders only)."""
    return _generate(seed)[2].copy()


def csv_text(seed: int = SEED) -> dict[str, str]:
    """The exact text of train.csv and test.csv."""
    train, test, _ = _generate(seed)
    return {
        "train.csv": train.to_csv(index=False, lineterminator="\n"),
        "test.csv": test.to_csv(index=False, lineterminator="\n"),
    }


def gender_submission(seed: int = SEED) -> pd.DataFrame:
    """Kaggle's example submission: every woman survives, every man does not."""
    test = _generate(seed)[1]
    return pd.DataFrame(
        {"PassengerId": test["PassengerId"], "Survived": (test["Sex"] == "female").astype(int)}
    )


def write_csvs(directory: str | Path, seed: int = SEED) -> Path:
    """Write train.csv and test.csv (never the held-out labels) into `directory`; return it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in csv_text(seed).items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def load(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read train.csv and test.csv from `directory`: the generated files or the real Kaggle ones."""
    directory = Path(directory)
    missing = [name for name in ("train.csv", "test.csv") if not (directory / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{directory} has no {' and no '.join(missing)}")
    return pd.read_csv(directory / "train.csv"), pd.read_csv(directory / "test.csv")


def accuracy(submission: pd.DataFrame, labels: pd.Series | None = None) -> float:
    """Accuracy of a submission frame (PassengerId, Survived) against the held-out labels."""
    truth = held_out_labels() if labels is None else labels
    predicted = submission.set_index("PassengerId")["Survived"].reindex(truth.index)
    if predicted.isna().any():
        raise AssertionError(f"the submission lacks {int(predicted.isna().sum())} of the test passengers")
    return float((predicted.astype(int).to_numpy() == truth.to_numpy()).mean())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DEFAULT_DIR
    write_csvs(target)
    print(f"wrote train.csv and test.csv to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
