"""Hidden-test style checks for pytorch/q04: call order, modes, no_grad, and the returned figures."""

import pytest
import torch
from torch import nn


@pytest.fixture
def loop(kata):
    return kata.module("loop")


def _model(seed: int = 0, p: float = 0.5) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(p), nn.Linear(32, 3))


def _batches(n_batches: int = 5, seed: int = 0, last: int = 3):
    gen = torch.Generator().manual_seed(seed)
    sizes = [8] * (n_batches - 1) + [last]
    return [(torch.randn(n, 6, generator=gen), torch.randint(0, 3, (n,), generator=gen)) for n in sizes]


class _Spy:
    """Records the loop's events: zero_grad, forward (with mode and grad state), backward, step."""

    def __init__(self, model: nn.Module, lr: float = 0.05):
        self.events: list[str] = []
        self.forwards: list[tuple[bool, bool, bool]] = []  # (training, grad enabled, output requires grad)
        self.losses: list[tuple[float, int]] = []
        spy = self

        class Optimizer(torch.optim.SGD):
            def zero_grad(self, set_to_none: bool = True):
                spy.events.append("zero_grad")
                return super().zero_grad(set_to_none)

            def step(self, closure=None):
                spy.events.append("step")
                return super().step(closure)

        self.optimizer = Optimizer(model.parameters(), lr=lr)
        model.register_forward_hook(self._forward)
        first = next(model.parameters())
        first.register_hook(lambda grad: self.events.append("backward"))

    def _forward(self, module, inputs, output):
        self.events.append("forward")
        self.forwards.append((module.training, torch.is_grad_enabled(), output.requires_grad))

    def loss_fn(self, outputs, targets):
        loss = nn.functional.cross_entropy(outputs, targets)
        self.losses.append((loss.item(), len(targets)))
        return loss


def test_call_order(loop):
    model = _model()
    spy = _Spy(model)
    batches = _batches()
    loop.train_one_epoch(model, batches, spy.optimizer, spy.loss_fn)
    steps = spy.events.count("step")
    assert steps == len(batches), f"expected one optimizer.step() per batch ({len(batches)}), saw {steps}"
    segment: list[str] = []
    for event in spy.events:
        if event != "step":
            segment.append(event)
            continue
        assert "backward" in segment, f"a step() came before that batch's backward(): events {spy.events}"
        back = segment.index("backward")
        assert "zero_grad" in segment[:back], (
            f"zero_grad() must come before backward() in each batch: {spy.events}"
        )
        assert "forward" in segment[:back], f"the forward pass must come before backward(): {spy.events}"
        segment = []


def test_train_mode_and_returned_loss(loop):
    model = _model()
    model.eval()  # as evaluate() would leave it
    spy = _Spy(model)
    got = loop.train_one_epoch(model, _batches(), spy.optimizer, spy.loss_fn)
    assert all(training for training, _, _ in spy.forwards), "train_one_epoch must call model.train() first"
    expected = sum(loss * n for loss, n in spy.losses) / sum(n for _, n in spy.losses)
    assert isinstance(got, float), f"train_one_epoch must return a float, got {type(got).__name__}"
    assert got == pytest.approx(expected, rel=1e-6), (
        f"returned {got}, expected the sample-weighted mean of the batch losses {expected} (the last batch is smaller)"
    )


def test_training_lowers_the_loss(loop):
    model = _model(p=0.0)
    spy = _Spy(model, lr=0.2)
    batches = _batches(8, seed=3)
    first = loop.train_one_epoch(model, batches, spy.optimizer, spy.loss_fn)
    for _ in range(15):
        last = loop.train_one_epoch(model, batches, spy.optimizer, spy.loss_fn)
    assert last < first, f"16 epochs on the same batches should lower the loss: {first:.4f} -> {last:.4f}"


def test_evaluate_builds_no_graph(loop):
    model = _model()
    spy = _Spy(model)
    loop.evaluate(model, _batches(), spy.loss_fn)
    assert spy.forwards, "evaluate never called the model"
    assert not any(grad for _, grad, _ in spy.forwards), "evaluate must run under torch.no_grad()"
    assert not any(req for _, _, req in spy.forwards), "evaluate built a graph (outputs require grad)"
    assert all(p.grad is None for p in model.parameters()), "evaluate must not compute gradients"


def test_evaluate_is_deterministic_in_eval_mode(loop):
    model = _model(p=0.9)
    spy = _Spy(model)
    batches = _batches(seed=5)
    first = loop.evaluate(model, batches, spy.loss_fn)
    second = loop.evaluate(model, batches, spy.loss_fn)
    assert not any(training for training, _, _ in spy.forwards), "evaluate must call model.eval() first"
    assert first == second, f"two evaluations of the same model differ ({first} vs {second}): dropout is on"


def test_evaluate_figures(loop):
    model = _model()
    batches = _batches(seed=6)
    before = [p.detach().clone() for p in model.parameters()]
    got = loop.evaluate(model, batches, nn.CrossEntropyLoss())
    assert isinstance(got, dict) and set(got) == {"loss", "accuracy"}, (
        f"evaluate should return loss and accuracy: {got}"
    )
    model.eval()
    with torch.no_grad():
        x = torch.cat([b[0] for b in batches])
        y = torch.cat([b[1] for b in batches])
        outputs = model(x)
    expected_loss = nn.functional.cross_entropy(outputs, y).item()
    expected_acc = (outputs.argmax(dim=1) == y).float().mean().item()
    assert isinstance(got["loss"], float) and isinstance(got["accuracy"], float), (
        "both figures must be floats"
    )
    assert got["loss"] == pytest.approx(expected_loss, rel=1e-5), (
        f"loss {got['loss']}, expected {expected_loss}: the mean over the samples (the last batch is smaller)"
    )
    assert got["accuracy"] == pytest.approx(expected_acc), (
        f"accuracy {got['accuracy']}, expected {expected_acc}: correct samples over all samples (the last batch "
        "is smaller)"
    )
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True)), (
        "evaluate changed weights"
    )
