"""Hidden-test style checks for pytorch/e03: the loader, one training step, accuracy, and real training."""

import copy

import pytest
import torch
from torch import nn


@pytest.fixture
def train(kata):
    return kata.module("train")


def _mlp(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def _toy(n: int, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    return torch.rand(n, 1, 28, 28, generator=gen), torch.randint(0, 10, (n,), generator=gen)


def _order(loader) -> list[int]:
    """The sample order of one pass, read from images whose first pixel holds their index."""
    return [int(v) for images, _ in loader for v in images[:, 0, 0, 0]]


def test_loader_batches(train):
    images, labels = _toy(150)
    batches = list(train.make_loader(images, labels, batch_size=64, shuffle=False))
    sizes = [len(y) for _, y in batches]
    assert sizes == [64, 64, 22], f"150 samples in batches of 64 should give sizes [64, 64, 22], got {sizes}"
    x, y = batches[0]
    assert tuple(x.shape) == (64, 1, 28, 28) and y.dtype == torch.int64, (
        f"a batch should be images (64, 1, 28, 28) and int64 labels, got {tuple(x.shape)}, {y.dtype}"
    )
    assert torch.equal(torch.cat([b[1] for b in batches]), labels), "shuffle=False must keep the data's order"


def test_loader_defaults(train):
    images, labels = _toy(150)
    images[:, 0, 0, 0] = torch.arange(150, dtype=torch.float32)
    loader = train.make_loader(images, labels, shuffle=False)
    sizes = [len(y) for _, y in loader]
    assert sizes == [64, 64, 22], f"the default batch_size is 64: expected sizes [64, 64, 22], got {sizes}"
    default = _order(train.make_loader(images, labels))
    assert sorted(default) == list(range(150)) and default != list(range(150)), "shuffle defaults to True"
    assert default == _order(train.make_loader(images, labels, seed=0)), "seed defaults to 0"


def test_loader_shuffles_with_its_seed(train):
    images, labels = _toy(200)
    images[:, 0, 0, 0] = torch.arange(200, dtype=torch.float32)
    first = _order(train.make_loader(images, labels, batch_size=32, seed=7))
    torch.manual_seed(123)  # the global generator must not matter
    torch.rand(10)
    again = _order(train.make_loader(images, labels, batch_size=32, seed=7))
    other = _order(train.make_loader(images, labels, batch_size=32, seed=8))
    assert sorted(first) == list(range(200)), "one pass must visit every sample exactly once"
    assert first != list(range(200)), "shuffle=True must change the order"
    assert first == again, "the same seed must give the same order, whatever the global random state"
    assert first != other, "a different seed must give a different order"


def _reference_step(model, images, labels, optimizer, loss_fn) -> float:
    optimizer.zero_grad()
    loss = loss_fn(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


@pytest.mark.parametrize("optimizer_name", ["sgd", "adam"])
def test_train_step_equals_a_reference_step(train, optimizer_name):
    model = _mlp(1)
    reference = copy.deepcopy(model)

    def make_optimizer(m):
        if optimizer_name == "sgd":
            return torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
        return torch.optim.Adam(m.parameters(), lr=1e-2)

    opt, ref_opt = make_optimizer(model), make_optimizer(reference)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(5)
    for m in (model, reference):  # stale gradients, as a previous step would leave them
        for p in m.parameters():
            p.grad = torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel()))
    for step in range(3):
        images, labels = torch.rand(16, 1, 28, 28, generator=gen), torch.randint(0, 10, (16,), generator=gen)
        got = train.train_step(model, images, labels, opt, loss_fn)
        expected = _reference_step(reference, images, labels, ref_opt, loss_fn)
        assert isinstance(got, float), (
            f"train_step must return a float (loss.item()), got {type(got).__name__}"
        )
        assert got == pytest.approx(expected, rel=1e-6), f"step {step}: loss {got}, reference {expected}"
        for (name, p), q in zip(model.named_parameters(), reference.parameters(), strict=True):
            assert torch.allclose(p, q, atol=1e-6), (
                f"after step {step} with {optimizer_name}, parameter {name} differs from a reference step "
                "(zero_grad, forward, loss, backward, step — in that order)"
            )


def test_accuracy_uses_eval_mode(train):
    # Inputs are one-hot labels; the model is dropout then the identity: in eval mode it is always right,
    # in train mode dropout blanks half the inputs and the argmax of a zero row is class 0.
    labels = torch.arange(400) % 10
    inputs = nn.functional.one_hot(labels, 10).float()
    linear = nn.Linear(10, 10)
    with torch.no_grad():
        linear.weight.copy_(torch.eye(10))
        linear.bias.zero_()
    model = nn.Sequential(nn.Dropout(0.5), linear)
    model.train()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, labels), batch_size=64)
    got = train.accuracy(model, loader)
    assert isinstance(got, float), f"accuracy must return a float, got {type(got).__name__}"
    assert got == 1.0, (
        f"accuracy gave {got}; a model that is always right in eval mode scores 1.0 (model.eval())"
    )
    assert not model.training, "accuracy should leave the model in eval mode"


class _ModeSpy(nn.Module):
    """An identity layer that records, at each forward pass, the mode and whether autograd is recording."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[bool, bool]] = []

    def forward(self, x):
        self.seen.append((self.training, torch.is_grad_enabled()))
        return x


def test_accuracy_counts_samples_without_a_graph(train):
    # One-hot inputs through an identity layer: right on the first 64 samples, wrong on the last 6 (a short
    # last batch). Per sample that is 64/70; a mean of per-batch accuracies would say (1 + 0) / 2.
    labels = torch.arange(70) % 10
    inputs = nn.functional.one_hot(labels, 10).float()
    targets = labels.clone()
    targets[64:] = (labels[64:] + 1) % 10
    spy, linear = _ModeSpy(), nn.Linear(10, 10)
    with torch.no_grad():
        linear.weight.copy_(torch.eye(10))
        linear.bias.zero_()
    model = nn.Sequential(spy, linear)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(inputs, targets), batch_size=64)
    got = train.accuracy(model, loader)
    assert got == pytest.approx(64 / 70), (
        f"accuracy gave {got}, expected 64/70 = {64 / 70:.4f}: count correct samples over all samples "
        "(the last batch is smaller)"
    )
    assert spy.seen, "accuracy never called the model"
    assert not any(grad for _, grad in spy.seen), "accuracy must run the model under torch.no_grad()"


def test_train_returns_the_sample_weighted_epoch_loss(train):
    # lr=0: the weights never move, so every epoch's mean loss is the loss of the whole data set at the start.
    spy = _ModeSpy()
    torch.manual_seed(2)
    model = nn.Sequential(spy, nn.Flatten(), nn.Linear(784, 10))
    images, labels = _toy(70, seed=4)
    with torch.no_grad():
        expected = nn.functional.cross_entropy(model(images), labels).item()
    spy.seen.clear()
    before = [p.detach().clone() for p in model.parameters()]
    model.eval()  # as accuracy() would have left it
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, labels), batch_size=32)
    history = train.train(model, loader, epochs=3, lr=0.0)
    assert isinstance(history, list) and len(history) == 3 and all(isinstance(v, float) for v in history), (
        f"train(..., epochs=3) should return 3 floats, got {history!r}"
    )
    assert spy.seen and all(training for training, _ in spy.seen), (
        "train must put the model in train mode (model.train()): it was called in eval mode"
    )
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True)), (
        "train(..., lr=0.0) changed the weights: create Adam with the lr given"
    )
    for epoch, value in enumerate(history):
        assert value == pytest.approx(expected, rel=1e-5), (
            f"epoch {epoch}: mean loss {value}, expected {expected}: with lr=0 the weights stay put and the "
            "epoch's loss is the mean over its samples (batches of 32, 32 and 6: weight each by its size)"
        )


def test_train_runs_two_epochs_by_default(train):
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    images, labels = _toy(40, seed=5)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, labels), batch_size=16)
    history = train.train(model, loader)
    assert isinstance(history, list) and len(history) == 2, (
        f"train(model, loader) runs the default epochs=2 and returns 2 losses, got {history!r}"
    )


def test_training_on_mnist(train, mnist_tensors):
    (x_train, y_train), (x_test, y_test) = mnist_tensors
    model = _mlp(0)
    history = train.train(
        model, train.make_loader(x_train, y_train, batch_size=64, seed=0), epochs=5, lr=2e-3
    )
    assert len(history) == 5 and all(isinstance(v, float) for v in history), (
        f"train(..., epochs=5) should return 5 floats, got {history!r}"
    )
    assert history[-1] < 0.6 * history[0], f"the epoch losses should fall: {history}"
    got = train.accuracy(model, train.make_loader(x_test, y_test, batch_size=500, shuffle=False))
    assert got >= 0.90, f"test accuracy {got:.3f} after 5 epochs on the MNIST sample; expected at least 0.90"
