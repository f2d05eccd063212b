"""Hidden-test style checks for pytorch/e04: the CNN's layers, shapes, forward pass and accuracy."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn


@pytest.fixture
def cnn_class(kata):
    return kata.module("cnn").CNN


def test_layers(cnn_class):
    cnn = cnn_class()
    assert isinstance(cnn, nn.Module), "CNN must subclass nn.Module"
    conv, pool, fc = (getattr(cnn, name, None) for name in ("conv", "pool", "fc"))
    assert isinstance(conv, nn.Conv2d), "CNN needs an attribute conv = nn.Conv2d(1, 16, 3)"
    assert (conv.in_channels, conv.out_channels, conv.kernel_size) == (1, 16, (3, 3)), (
        f"conv should be Conv2d(1, 16, 3), got {conv}"
    )
    assert conv.padding == (0, 0), f"conv should have no padding, got padding={conv.padding}"
    assert isinstance(pool, nn.MaxPool2d), "CNN needs an attribute pool = nn.MaxPool2d(2)"
    assert isinstance(fc, nn.Linear) and (fc.in_features, fc.out_features) == (2704, 10), (
        f"fc should be Linear(16*13*13 = 2704, 10), got {fc}"
    )


def test_parameter_count(cnn_class):
    count = sum(p.numel() for p in cnn_class().parameters())
    assert count == 27_210, f"16*1*3*3+16 + 2704*10+10 = 27,210 parameters expected, got {count:,}"


@pytest.mark.parametrize("n", [1, 5, 32])
def test_shapes(cnn_class, n):
    cnn = cnn_class()
    x = torch.rand(n, 1, 28, 28)
    maps = cnn.pool(torch.relu(cnn.conv(x)))
    assert tuple(maps.shape) == (n, 16, 13, 13), f"pool(relu(conv(x))) shape {tuple(maps.shape)}"
    out = cnn(x)
    assert tuple(out.shape) == (n, 10), f"CNN output shape {tuple(out.shape)}, expected ({n}, 10)"


def test_forward_equals_the_formula(cnn_class):
    cnn = cnn_class()
    x = torch.rand(16, 1, 28, 28, generator=torch.Generator().manual_seed(2)) - 0.5
    maps = F.max_pool2d(F.relu(F.conv2d(x, cnn.conv.weight, cnn.conv.bias)), 2)
    expected = F.linear(maps.reshape(16, -1), cnn.fc.weight, cnn.fc.bias)
    got = cnn(x)
    assert torch.allclose(got, expected, atol=1e-5), (
        f"forward must be fc(flatten(pool(relu(conv(x))))); largest difference {(got - expected).abs().max():.3g}"
    )


def test_samples_stay_separate(cnn_class):
    cnn = cnn_class()
    x = torch.rand(6, 1, 28, 28)
    together = cnn(x)
    alone = torch.cat([cnn(x[i : i + 1]) for i in range(6)])
    assert torch.allclose(together, alone, atol=1e-5), "each sample's logits must depend on that sample only"


def test_accuracy_on_mnist(cnn_class, mnist_tensors):
    (x_train, y_train), (x_test, y_test) = mnist_tensors
    torch.manual_seed(0)
    cnn = cnn_class()
    optimizer = torch.optim.Adam(cnn.parameters(), lr=2e-3)
    order = torch.Generator().manual_seed(0)
    cnn.train()
    for _ in range(2):
        perm = torch.randperm(len(y_train), generator=order)
        for start in range(0, len(perm), 64):
            idx = perm[start : start + 64]
            optimizer.zero_grad()
            F.cross_entropy(cnn(x_train[idx]), y_train[idx]).backward()
            optimizer.step()
    cnn.eval()
    with torch.no_grad():
        acc = (cnn(x_test).argmax(dim=1) == y_test).float().mean().item()
    assert acc >= 0.88, f"test accuracy {acc:.3f} after 2 epochs on the MNIST sample; expected at least 0.88"
