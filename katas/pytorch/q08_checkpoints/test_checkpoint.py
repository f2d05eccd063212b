"""Hidden-test style checks for pytorch/q08: checkpoint contents and an exact resume after a crash."""

import pytest
import torch
from torch import nn

EPOCHS, CRASH_AFTER = 4, 2


@pytest.fixture
def ckpt(kata):
    return kata.module("checkpoint")


def _model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 4))


def _data():
    gen = torch.Generator().manual_seed(42)
    return torch.randn(96, 10, generator=gen), torch.randint(0, 4, (96,), generator=gen)


def _epoch(model, optimizer, x, y):
    """One epoch that draws from the global generator: a shuffle and dropout masks."""
    model.train()
    order = torch.randperm(len(y))
    for start in range(0, len(y), 16):
        idx = order[start : start + 16]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        optimizer.step()


def _adam(model):
    return torch.optim.Adam(model.parameters(), lr=1e-2)


def test_file_contents(ckpt, tmp_path):
    model = _model(0)
    optimizer = _adam(model)
    _epoch(model, optimizer, *_data())
    path = tmp_path / "run.ckpt"
    ckpt.save_checkpoint(path, model, optimizer, 1)
    try:
        saved = torch.load(path, weights_only=True)
    except Exception as exc:
        pytest.fail(f"the checkpoint must load with torch.load(path, weights_only=True): {exc!r:.300}")
    assert isinstance(saved, dict) and set(saved) == {"model", "optimizer", "epoch", "rng"}, (
        f"the checkpoint should be a dict with keys model, optimizer, epoch, rng; got {type(saved).__name__} "
        f"{sorted(saved) if isinstance(saved, dict) else ''}"
    )
    assert saved["epoch"] == 1, f"epoch {saved['epoch']!r}, expected 1"
    assert saved["optimizer"]["state"], "the optimizer's state_dict (Adam's moments) is missing or empty"
    for key, tensor in model.state_dict().items():
        assert torch.equal(saved["model"][key], tensor), f"model weight {key} differs in the checkpoint"


def test_load_restores_and_returns_the_epoch(ckpt, tmp_path):
    model = _model(0)
    optimizer = _adam(model)
    _epoch(model, optimizer, *_data())
    path = tmp_path / "run.ckpt"
    ckpt.save_checkpoint(path, model, optimizer, 3)
    expected_draw = torch.rand(5)  # what the generator gives right after saving
    other = _model(1)
    other_opt = _adam(other)
    assert ckpt.load_checkpoint(path, other, other_opt) == 3, "load_checkpoint should return the stored epoch"
    for (key, a), b in zip(model.state_dict().items(), other.state_dict().values(), strict=True):
        assert torch.equal(a, b), f"model weight {key} was not restored"
    assert other_opt.state_dict()["state"], "the optimizer state was not restored"
    assert torch.equal(torch.rand(5), expected_draw), "the global random state was not restored"


def test_resume_or_start_without_a_file(ckpt, tmp_path):
    model = _model(0)
    before = [p.detach().clone() for p in model.parameters()]
    assert ckpt.resume_or_start(tmp_path / "none.ckpt", model, _adam(model)) == 0, "no checkpoint: start at 0"
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True)), (
        "no file: no change"
    )


def test_interrupted_run_equals_uninterrupted(ckpt, tmp_path):
    x, y = _data()
    # Straight through.
    straight = _model(0)
    straight_opt = _adam(straight)
    torch.manual_seed(7)
    for _ in range(EPOCHS):
        _epoch(straight, straight_opt, x, y)

    # With a crash after CRASH_AFTER epochs.
    path = tmp_path / "run.ckpt"
    model = _model(0)
    optimizer = _adam(model)
    torch.manual_seed(7)
    start = ckpt.resume_or_start(path, model, optimizer)
    assert start == 0
    for epoch in range(start, CRASH_AFTER):
        _epoch(model, optimizer, x, y)
        ckpt.save_checkpoint(path, model, optimizer, epoch + 1)

    torch.manual_seed(12345)  # the new process: other weights, a fresh optimizer, another random state
    model = _model(99)
    optimizer = _adam(model)
    start = ckpt.resume_or_start(path, model, optimizer)
    assert start == CRASH_AFTER, f"resume_or_start returned {start}, expected {CRASH_AFTER} completed epochs"
    for epoch in range(start, EPOCHS):
        _epoch(model, optimizer, x, y)
        ckpt.save_checkpoint(path, model, optimizer, epoch + 1)

    for (key, a), b in zip(straight.state_dict().items(), model.state_dict().values(), strict=True):
        assert torch.equal(a, b), (
            f"after resuming, {key} differs from the uninterrupted run by {(a - b).abs().max():.3g}: "
            "restore the model, the optimizer and the random state"
        )
    for index, (s, r) in enumerate(
        zip(
            straight_opt.state_dict()["state"].values(), optimizer.state_dict()["state"].values(), strict=True
        )
    ):
        assert torch.equal(s["exp_avg"], r["exp_avg"]), f"Adam's state for parameter {index} differs"
