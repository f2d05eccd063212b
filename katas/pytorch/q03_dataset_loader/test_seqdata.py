"""Hidden-test style checks for pytorch/q03: lazy rows, padding and masks, seeded order, worker processes."""

import random

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings


@pytest.fixture
def seqdata(kata):
    return kata.module("seqdata")


def _write(path, n_rows: int, seed: int):
    rng = random.Random(seed)
    rows = []
    for _ in range(n_rows):
        values = [round(rng.uniform(-10, 10), 2) for _ in range(rng.randint(1, 12))]
        rows.append((rng.randint(0, 9), values))
    lines = ["label,values"] + [f"{label}," + " ".join(f"{v:.2f}" for v in values) for label, values in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows


def test_items_match_the_rows(seqdata, tmp_path):
    path = tmp_path / "seq.csv"
    rows = _write(path, 40, seed=1)
    ds = seqdata.CsvSequences(path)
    assert len(ds) == 40, f"len(dataset) is {len(ds)}, expected 40 rows (the header is not a row)"
    for index in (0, 7, 39):
        values, label = ds[index]
        assert isinstance(values, torch.Tensor) and values.dtype == torch.float32, "values: a float32 tensor"
        assert isinstance(label, int) and label == rows[index][0], (
            f"row {index}: label {label!r}, expected {rows[index][0]}"
        )
        assert torch.allclose(values, torch.tensor(rows[index][1])), f"row {index}: values {values} differ"
    for bad in (40, 41, -1, -40):
        try:
            got = ds[bad]
        except IndexError:
            continue
        pytest.fail(f"ds[{bad}] returned {got!r}: an index outside 0 ... 39 must raise IndexError")


def test_rows_are_read_lazily(seqdata, tmp_path):
    path = tmp_path / "seq.csv"
    path.write_text("label,values\n1,1.00 2.00\n2,3.00\n", encoding="utf-8")
    ds = seqdata.CsvSequences(path)
    path.write_text("label,values\n5,8.00 9.00\n2,3.00\n", encoding="utf-8")  # same length, new content
    values, label = ds[0]
    assert (label, values.tolist()) == (5, [8.0, 9.0]), (
        "after the file changed on disk, ds[0] still returned the old row: read rows in __getitem__, "
        "keep only their offsets in __init__"
    )


def test_pad_collate_readme_example(seqdata):
    batch = seqdata.pad_collate([(torch.tensor([1.0, 2.0, 3.0]), 4), (torch.tensor([5.0]), 0)])
    assert set(batch) == {"values", "lengths", "mask", "labels"}, f"keys {sorted(batch)}"
    expected = {
        "values": torch.tensor([[1.0, 2.0, 3.0], [5.0, 0.0, 0.0]]),
        "lengths": torch.tensor([3, 1]),
        "mask": torch.tensor([[True, True, True], [True, False, False]]),  # True at real values
        "labels": torch.tensor([4, 0]),
    }
    for key, want in expected.items():
        assert torch.equal(batch[key], want), f"README example: {key} is {batch[key]}, expected {want}"


@pytest.mark.parametrize("seed", range(3))
def test_pad_collate_random(seqdata, seed):
    rng = random.Random(seed)
    items = [(torch.randn(rng.randint(1, 9)), rng.randint(0, 9)) for _ in range(rng.randint(1, 8))]
    batch = seqdata.pad_collate(items)
    longest = max(len(s) for s, _ in items)
    assert batch["values"].shape == (len(items), longest) and batch["values"].dtype == torch.float32
    assert batch["lengths"].dtype == torch.int64 and batch["labels"].dtype == torch.int64
    assert batch["mask"].dtype == torch.bool and batch["mask"].shape == (len(items), longest)
    for row, (sequence, label) in enumerate(items):
        n = len(sequence)
        assert batch["lengths"][row] == n and batch["labels"][row] == label, (
            f"row {row}: length or label wrong"
        )
        assert torch.equal(batch["values"][row, :n], sequence), f"row {row}: values not copied in order"
        assert torch.all(batch["values"][row, n:] == 0), f"row {row}: the padding must be zeros"
        assert batch["mask"][row, :n].all() and not batch["mask"][row, n:].any(), f"row {row}: mask wrong"


def _check_batch(batch, items):
    """The padded batch a correct pad_collate makes of `items`, compared field by field."""
    lengths = [len(s) for s, _ in items]
    longest = max(lengths)
    values = torch.zeros(len(items), longest)
    for row, (sequence, _) in enumerate(items):
        values[row, : len(sequence)] = sequence
    mask = torch.arange(longest)[None, :] < torch.tensor(lengths)[:, None]
    want = {
        "values": values,
        "lengths": torch.tensor(lengths),
        "mask": mask,
        "labels": torch.tensor([label for _, label in items]),
    }
    assert isinstance(batch, dict) and set(batch) == set(want), (
        f"keys {sorted(batch)}, expected {sorted(want)}"
    )
    for key, expected in want.items():
        got = batch[key]
        assert (
            isinstance(got, torch.Tensor) and got.dtype == expected.dtype and got.shape == expected.shape
        ), (
            f"{key}: {getattr(got, 'dtype', type(got))} {tuple(getattr(got, 'shape', ()))}, "
            f"expected {expected.dtype} {tuple(expected.shape)}"
        )
        assert torch.equal(got, expected), (
            f"{key} for lengths {lengths}: {got.tolist()}, expected {expected.tolist()}"
        )


def test_real_zeros_are_not_padding(seqdata):
    items = [
        (torch.tensor([0.0, 2.0, 0.0]), 1),
        (torch.tensor([0.0]), 2),
        (torch.tensor([3.0, 0.0, 0.0, 0.0]), 3),
    ]
    _check_batch(seqdata.pad_collate(items), items)


_SEQUENCE = st.lists(st.sampled_from([0.0, 0.0, 1.0, -2.5, 7.25]), min_size=1, max_size=6)


@kata_settings(max_examples=60)
@given(rows=st.lists(st.tuples(_SEQUENCE, st.integers(0, 9)), min_size=1, max_size=6))
def test_pad_collate_on_generated_batches(seqdata, rows):
    items = [(torch.tensor(values, dtype=torch.float32), label) for values, label in rows]
    _check_batch(seqdata.pad_collate(items), items)


def _labels_in_order(loader):
    return [batch["labels"].tolist() for batch in loader]


def test_same_seed_same_order(seqdata, tmp_path):
    path = tmp_path / "seq.csv"
    _write(path, 50, seed=2)
    ds = seqdata.CsvSequences(path)
    first = _labels_in_order(seqdata.make_loader(ds, batch_size=8, seed=11))
    torch.manual_seed(999)
    torch.rand(3)  # the global generator must not matter
    again = _labels_in_order(seqdata.make_loader(ds, batch_size=8, seed=11))
    other = _labels_in_order(seqdata.make_loader(ds, batch_size=8, seed=12))
    plain = [[ds[i][1] for i in range(start, min(start + 8, 50))] for start in range(0, 50, 8)]
    assert [len(b) for b in first] == [8] * 6 + [2], f"batch sizes {[len(b) for b in first]}"
    assert first == again, "the same seed must give the same order"
    assert first != other, "another seed must give another order"
    assert first != plain, "the loader must shuffle"


def test_works_with_worker_processes(seqdata, tmp_path):
    path = tmp_path / "seq.csv"
    _write(path, 30, seed=3)
    ds = seqdata.CsvSequences(path)
    single = list(seqdata.make_loader(ds, batch_size=7, seed=5))
    workers = list(seqdata.make_loader(ds, batch_size=7, seed=5, num_workers=2))
    assert len(single) == len(workers) == 5
    for a, b in zip(single, workers, strict=True):
        for key in ("values", "lengths", "mask", "labels"):
            assert torch.equal(a[key], b[key]), (
                f"with num_workers=2, batch {key!r} differs from num_workers=0"
            )
