"""Hidden-test style checks for pytorch/q10: gradient norms, a clipped step, and an exploding network."""

import copy

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from graders.kit.strategies import kata_settings


@pytest.fixture
def clipping(kata):
    return kata.module("clipping")


def _net(seed: int, scale: float = 1.0, depth: int = 3) -> nn.Module:
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layer = nn.Linear(8, 8)
        with torch.no_grad():
            layer.weight.mul_(scale)
        layers += [layer]
    return nn.Sequential(*layers)


def _reference_norm(params) -> float:
    grads = [p.grad.flatten().double() for p in params if p.grad is not None]
    return torch.cat(grads).norm().item() if grads else 0.0


def test_grad_norm(clipping):
    model = _net(0)
    model(torch.randn(5, 8)).pow(2).sum().backward()
    model[1].bias.grad = None  # a parameter without gradient is skipped
    got = clipping.grad_norm(model.parameters())
    assert isinstance(got, float), f"grad_norm must return a float, got {type(got).__name__}"
    assert got == pytest.approx(_reference_norm(model.parameters()), rel=1e-5), (
        "grad_norm differs from the reference"
    )
    assert clipping.grad_norm(nn.Linear(2, 2).parameters()) == 0.0, "no gradients at all: the norm is 0.0"


_GRADS = st.lists(
    st.one_of(
        st.none(),
        st.tuples(
            st.sampled_from([(), (1,), (3,), (2, 2), (2, 1, 3)]),
            st.one_of(st.sampled_from([0.0, 1.0, -1.0]), st.floats(-1e3, 1e3, width=32)),
        ),
    ),
    max_size=5,
)


@kata_settings(max_examples=60)
@given(grads=_GRADS)
def test_grad_norm_on_generated_gradients(clipping, grads):
    params = []
    for index, entry in enumerate(grads):
        if entry is None:
            params.append(torch.zeros(2, requires_grad=True))  # no .grad: skipped
            continue
        shape, scale = entry
        param = torch.zeros(shape, requires_grad=True)
        param.grad = torch.linspace(-1.0, 1.0, param.numel()).reshape(shape) * scale + index
        params.append(param)
    got = clipping.grad_norm(p for p in params)  # a generator, like model.parameters(): one pass only
    assert isinstance(got, float), f"grad_norm must return a float, got {type(got).__name__} {got!r}"
    expected = _reference_norm(params)
    assert got == pytest.approx(expected, rel=1e-5, abs=1e-6), (
        f"grad_norm of gradients {[None if p.grad is None else p.grad.tolist() for p in params]} is {got}, "
        f"expected {expected}"
    )


def test_clipped_step_clears_stale_gradients(clipping):
    model = _net(6, scale=2.0)
    reference = copy.deepcopy(model)
    gen = torch.Generator().manual_seed(6)
    x, y = torch.randn(16, 8, generator=gen) * 3, torch.randn(16, 8, generator=gen)
    nn.MSELoss()(reference(x), y).backward()
    raw_norm = _reference_norm(reference.parameters())
    for p in model.parameters():  # what a previous step left behind
        p.grad = torch.full_like(p, 5.0)
    got = clipping.clipped_step(model, nn.MSELoss(), x, y, torch.optim.SGD(model.parameters(), lr=0.1), 0.5)
    assert got == pytest.approx(raw_norm, rel=1e-4), (
        f"returned {got}, expected {raw_norm}, the norm of this batch's gradients alone: zero the gradients "
        "before backward (they accumulate in .grad)"
    )


@pytest.mark.parametrize(("seed", "max_norm"), [(1, 0.5), (2, 1.0), (3, 0.05)])
def test_clipped_step_equals_a_reference_step(clipping, seed, max_norm):
    model = _net(seed, scale=2.0)
    reference = copy.deepcopy(model)
    gen = torch.Generator().manual_seed(seed)
    x, y = torch.randn(16, 8, generator=gen) * 3, torch.randn(16, 8, generator=gen)
    loss_fn = nn.MSELoss()
    # The reference: unclipped gradients first, to know the raw norm and direction.
    ref_opt = torch.optim.SGD(reference.parameters(), lr=0.1)
    ref_opt.zero_grad()
    loss_fn(reference(x), y).backward()
    raw = [p.grad.clone() for p in reference.parameters()]
    raw_norm = _reference_norm(reference.parameters())
    assert raw_norm > max_norm, "test set-up: the raw gradient should exceed max_norm"
    for p in reference.parameters():
        p.grad.mul_(max_norm / raw_norm)
    ref_opt.step()

    got = clipping.clipped_step(model, loss_fn, x, y, torch.optim.SGD(model.parameters(), lr=0.1), max_norm)
    assert isinstance(got, float), f"clipped_step must return a float, got {type(got).__name__}"
    assert got == pytest.approx(raw_norm, rel=1e-4), (
        f"returned {got}, expected the norm before clipping {raw_norm}"
    )
    clipped = [p.grad for p in model.parameters()]
    assert _reference_norm(model.parameters()) <= max_norm * (1 + 1e-4), (
        f"the gradients left in .grad have norm {_reference_norm(model.parameters()):.4g} > max_norm {max_norm}"
    )
    for index, (g, r) in enumerate(zip(clipped, raw, strict=True)):
        assert torch.allclose(g, r * (max_norm / raw_norm), rtol=1e-4, atol=1e-7), (
            f"gradient {index} is not the raw gradient scaled by max_norm / norm (the direction must be kept)"
        )
    for index, (p, q) in enumerate(zip(model.parameters(), reference.parameters(), strict=True)):
        assert torch.allclose(p, q, atol=1e-6), (
            f"parameter {index} after the step differs: clip before step()"
        )


def test_clipped_step_calls_the_loss_on_outputs_then_targets(clipping):
    # BCEWithLogitsLoss is not symmetric: loss_fn(targets, outputs) gives other gradients than loss_fn(outputs, targets).
    model = _net(4, scale=2.0)
    reference = copy.deepcopy(model)
    gen = torch.Generator().manual_seed(4)
    x, y = torch.randn(16, 8, generator=gen) * 3, torch.rand(16, 8, generator=gen)
    loss_fn = nn.BCEWithLogitsLoss()
    ref_opt = torch.optim.SGD(reference.parameters(), lr=0.1)
    ref_opt.zero_grad()
    loss_fn(reference(x), y).backward()
    raw_norm = _reference_norm(reference.parameters())
    nn.utils.clip_grad_norm_(reference.parameters(), 0.1)
    ref_opt.step()
    got = clipping.clipped_step(model, loss_fn, x, y, torch.optim.SGD(model.parameters(), lr=0.1), 0.1)
    assert got == pytest.approx(raw_norm, rel=1e-4), (
        f"returned the norm {got}, expected {raw_norm}: the loss is loss_fn(model(inputs), targets), in that order"
    )
    for index, (p, q) in enumerate(zip(model.parameters(), reference.parameters(), strict=True)):
        assert torch.allclose(p, q, atol=1e-6), (
            f"parameter {index} after the step differs from the reference step"
        )


def test_small_gradients_are_left_alone(clipping):
    model = _net(4, scale=0.1)
    reference = copy.deepcopy(model)
    x, y = torch.randn(4, 8) * 0.1, torch.zeros(4, 8)
    got = clipping.clipped_step(model, nn.MSELoss(), x, y, torch.optim.SGD(model.parameters(), lr=0.1), 100.0)
    nn.MSELoss()(reference(x), y).backward()
    assert got == pytest.approx(_reference_norm(reference.parameters()), rel=1e-4)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        assert torch.allclose(p.grad, q.grad, atol=1e-8), "below max_norm the gradients must not change"


def _run(step, model, steps: int = 40) -> list[float]:
    gen = torch.Generator().manual_seed(7)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(steps):
        x, y = torch.randn(32, 8, generator=gen), torch.randn(32, 8, generator=gen)
        losses.append(step(model, optimizer, x, y))
    return losses


def test_exploding_network_stays_finite(clipping):
    loss_fn = nn.MSELoss()

    def plain(model, optimizer, x, y):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    def clipped(model, optimizer, x, y):
        clipping.clipped_step(model, loss_fn, x, y, optimizer, max_norm=1.0)
        return loss_fn(model(x), y).item()

    unclipped = _run(plain, _net(5, scale=4.0, depth=6))
    assert not torch.isfinite(torch.tensor(unclipped[-1])), (
        "test set-up: the unclipped network should blow up"
    )
    model = _net(5, scale=4.0, depth=6)
    losses = _run(clipped, model)
    assert all(torch.isfinite(torch.tensor(losses))), f"with clipping the loss went to {losses[-1]}"
    assert all(torch.isfinite(p).all() for p in model.parameters()), (
        "with clipping the weights must stay finite"
    )
