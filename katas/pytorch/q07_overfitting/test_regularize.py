"""Hidden-test style checks for pytorch/q07: early stopping logic, inverted dropout, AdamW parameter groups."""

import math
import random

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from graders.kit.strategies import kata_settings


@pytest.fixture
def reg(kata):
    return kata.module("regularize")


def _reference_stops(values, patience, min_delta):
    best, best_epoch, counter, out = math.inf, -1, 0, []
    for epoch, value in enumerate(values):
        if value < best - min_delta:
            best, best_epoch, counter = value, epoch, 0
        else:
            counter += 1
        out.append(counter >= patience)
    return out, best, best_epoch, counter


def test_early_stopping_readme_example(reg):
    stopper = reg.EarlyStopping(patience=2)
    assert stopper.best == math.inf and stopper.best_epoch == -1 and stopper.counter == 0, "initial state"
    got = [stopper.step(v) for v in [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.71]]
    assert got == [False, False, False, True, False, False, True], f"step() returned {got}"
    assert (stopper.best, stopper.best_epoch) == (0.7, 4), (
        f"best {stopper.best}, best_epoch {stopper.best_epoch}"
    )


def test_min_delta(reg):
    stopper = reg.EarlyStopping(patience=2, min_delta=0.1)
    got = [stopper.step(v) for v in [1.0, 0.95, 0.91, 0.5]]
    assert got == [False, False, True, False], f"improvements smaller than min_delta do not count: got {got}"
    assert stopper.best == 0.5 and stopper.best_epoch == 3


def test_ties_and_the_exact_threshold_are_not_improvements(reg):
    stopper = reg.EarlyStopping(patience=2)
    got = [stopper.step(v) for v in [1.0, 1.0, 0.5, 0.5]]
    assert got == [False, False, False, False] and (stopper.best_epoch, stopper.counter) == (2, 1), (
        f"a value equal to best is no improvement: steps {got}, best_epoch {stopper.best_epoch}, "
        f"counter {stopper.counter} (expected best_epoch 2, counter 1)"
    )
    stopper = reg.EarlyStopping(patience=1, min_delta=0.25)
    got = [stopper.step(v) for v in [1.0, 0.75, 0.5]]  # 0.75 == 1.0 - 0.25 exactly: not an improvement
    assert got == [False, True, False] and (stopper.best, stopper.best_epoch) == (0.5, 2), (
        f"a value exactly best - min_delta is no improvement: steps {got}, best {stopper.best}, "
        f"best_epoch {stopper.best_epoch} (expected [False, True, False], 0.5, 2)"
    )


# Dyadic values (exact in binary) on a coarse grid: ties, plateaus and values exactly best - min_delta are common.
_LOSSES = st.lists(st.integers(0, 16).map(lambda k: k / 8), min_size=1, max_size=25)


@kata_settings(max_examples=150)
@given(values=_LOSSES, patience=st.integers(1, 4), min_delta=st.sampled_from([0.0, 0.125, 0.25]))
def test_early_stopping_on_generated_curves(reg, values, patience, min_delta):
    stopper = reg.EarlyStopping(patience=patience, min_delta=min_delta)
    got = [stopper.step(v) for v in values]
    expected, best, best_epoch, counter = _reference_stops(values, patience, min_delta)
    assert got == expected, f"patience={patience}, min_delta={min_delta}, values={values}: got {got}"
    assert (stopper.best, stopper.best_epoch, stopper.counter) == (best, best_epoch, counter), (
        f"patience={patience}, min_delta={min_delta}, values={values}: best, best_epoch, counter "
        f"{(stopper.best, stopper.best_epoch, stopper.counter)}, expected {(best, best_epoch, counter)}"
    )


@pytest.mark.parametrize("seed", range(6))
def test_early_stopping_random_curves(reg, seed):
    rng = random.Random(seed)
    patience, min_delta = rng.randint(1, 4), rng.choice([0.0, 0.01, 0.05])
    values = [round(1.0 / (1 + 0.3 * i) + rng.uniform(-0.08, 0.08), 4) for i in range(30)]
    stopper = reg.EarlyStopping(patience=patience, min_delta=min_delta)
    got = [stopper.step(v) for v in values]
    expected, best, best_epoch, counter = _reference_stops(values, patience, min_delta)
    assert got == expected, f"patience={patience}, min_delta={min_delta}, values={values}: got {got}"
    assert (stopper.best, stopper.best_epoch, stopper.counter) == (best, best_epoch, counter)


def test_dropout_identity_cases(reg):
    x = torch.randn(50, 20)
    assert torch.equal(reg.dropout(x, 0.5, training=False), x), "training=False must return x unchanged"
    assert torch.equal(reg.dropout(x, 0.0), x), "p=0 must return x unchanged"
    assert torch.equal(reg.dropout(x, 1.0), torch.zeros_like(x)), "p=1 must return zeros"
    assert torch.equal(reg.dropout(x, 1.0, training=False), x), (
        "training=False returns x unchanged, even for p=1"
    )
    for bad in (-0.1, 1.5):
        for training in (True, False):
            try:
                reg.dropout(x, bad, training=training)
            except ValueError:
                continue
            pytest.fail(
                f"dropout(x, p={bad}, training={training}) must raise ValueError: p is outside [0, 1]"
            )


def test_dropout_draws_from_the_global_generator(reg):
    x = torch.rand(60, 70) + 0.5
    torch.manual_seed(5)
    first = reg.dropout(x, 0.4)
    torch.manual_seed(5)
    again = reg.dropout(x, 0.4)
    assert torch.equal(first, again), (
        "the same torch.manual_seed must give the same mask: draw with torch.rand"
    )


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_rate_and_scaling(reg, p):
    x = torch.rand(400, 500) + 0.5  # no zeros of its own
    out = reg.dropout(x, p)
    assert out.shape == x.shape, f"shape {tuple(out.shape)}, expected {tuple(x.shape)}"
    zero_rate = (out == 0).float().mean().item()
    assert abs(zero_rate - p) < 0.01, f"with p={p}, {zero_rate:.3f} of the elements were zeroed"
    kept = out != 0
    assert torch.allclose(out[kept], x[kept] / (1 - p), rtol=1e-5), (
        "kept elements must be scaled by 1 / (1 - p)"
    )
    assert abs(out.mean().item() / x.mean().item() - 1) < 0.02, "inverted dropout keeps the mean"
    again = reg.dropout(x, p)
    assert not torch.equal(out, again), "each call must draw a new mask"


def _net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.LayerNorm(16), nn.ReLU(), nn.Linear(16, 3))


def test_weight_decay_shrinks_weights_only(reg):
    model = _net()
    with torch.no_grad():
        model[1].weight.uniform_(0.5, 1.5)
        model[1].bias.uniform_(-1, 1)
    lr, wd, steps = 0.01, 0.5, 5
    optimizer = reg.make_optimizer(model, lr=lr, weight_decay=wd)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    for _ in range(steps):
        optimizer.zero_grad()
        (0.0 * sum(p.sum() for p in model.parameters())).backward()  # zero gradients: only the decay acts
        optimizer.step()
    factor = (1 - lr * wd) ** steps
    for name, p in model.named_parameters():
        if p.ndim >= 2:
            assert torch.allclose(p, before[name] * factor, rtol=1e-5), (
                f"{name} should shrink by (1 - lr*wd)^{steps} = {factor:.5f} with zero gradients: decoupled "
                "weight decay scales the weights; L2 added to the gradient (Adam's weight_decay) does not"
            )
        else:
            assert torch.equal(p, before[name]), f"{name} (ndim {p.ndim}) must not be decayed"
    assert isinstance(optimizer, torch.optim.AdamW), (
        f"make_optimizer should return AdamW, got {type(optimizer).__name__}"
    )


def test_weight_decay_lowers_the_weight_norm_in_training(reg):
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(64, 8, generator=gen), torch.randint(0, 3, (64,), generator=gen)
    norms = {}
    for wd in (0.0, 1.0):
        model = _net()
        optimizer = reg.make_optimizer(model, lr=0.01, weight_decay=wd)
        for _ in range(60):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        norms[wd] = sum(p.norm() ** 2 for p in model.parameters() if p.ndim >= 2).sqrt().item()
    assert norms[1.0] < 0.9 * norms[0.0], f"weight norm with decay {norms[1.0]:.3f}, without {norms[0.0]:.3f}"
