"""Hidden-test style checks for pytorch/e02: the 784-128-10 network's structure and forward pass."""

import pytest
import torch
from torch import nn


@pytest.fixture
def net(kata):
    return kata.module("net").Net()


def _reference(net, x):
    """The forward pass written out from the network's own weights."""
    flat = x.reshape(x.shape[0], 784)
    hidden = torch.clamp_min(flat @ net.fc1.weight.T + net.fc1.bias, 0.0)
    return hidden @ net.fc2.weight.T + net.fc2.bias


def test_is_a_module_with_named_layers(net):
    assert isinstance(net, nn.Module), f"Net must subclass nn.Module, got {type(net).__mro__}"
    assert isinstance(getattr(net, "fc1", None), nn.Linear), (
        "Net needs an attribute fc1 = nn.Linear(784, 128)"
    )
    assert isinstance(getattr(net, "fc2", None), nn.Linear), "Net needs an attribute fc2 = nn.Linear(128, 10)"


def test_parameter_count(net):
    count = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert count == 101_770, f"784*128+128 + 128*10+10 = 101,770 trainable parameters expected, got {count:,}"


def test_state_dict_keys_and_shapes(net):
    shapes = {key: tuple(value.shape) for key, value in net.state_dict().items()}
    expected = {"fc1.weight": (128, 784), "fc1.bias": (128,), "fc2.weight": (10, 128), "fc2.bias": (10,)}
    assert shapes == expected, f"state_dict shapes {shapes}, expected {expected}"


@pytest.mark.parametrize("n", [1, 7, 64])
def test_accepts_both_layouts(net, n):
    images = torch.rand(n, 1, 28, 28)
    out_images = net(images)
    out_flat = net(images.reshape(n, 784))
    assert tuple(out_images.shape) == (n, 10), (
        f"(N,1,28,28) input gave {tuple(out_images.shape)}, expected ({n}, 10)"
    )
    assert tuple(out_flat.shape) == (n, 10), f"(N,784) input gave {tuple(out_flat.shape)}, expected ({n}, 10)"
    assert torch.allclose(out_images, out_flat), (
        "the same images as (N,1,28,28) and (N,784) must give the same logits"
    )


def test_accepts_non_contiguous_batches(net):
    images = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(4))
    mirrored = images.transpose(2, 3)  # the digits transposed: a non-contiguous view, as augmentation makes
    assert not mirrored.is_contiguous()
    try:
        got = net(mirrored)
    except RuntimeError as exc:
        pytest.fail(
            f"a non-contiguous (N, 1, 28, 28) batch raised: flatten or reshape, not view: {exc!s:.200}"
        )
    expected = _reference(net, mirrored.contiguous())
    assert torch.allclose(got, expected, atol=1e-5), "a non-contiguous batch gave other logits than its copy"


def test_forward_equals_the_formula(net):
    x = torch.rand(32, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    got = net(x)
    expected = _reference(net, x)
    assert torch.allclose(got, expected, atol=1e-5), (
        f"forward must be fc2(relu(fc1(flatten(x)))); largest difference {(got - expected).abs().max():.3g}"
    )


def test_logits_are_not_probabilities(net):
    with torch.no_grad():
        net.fc2.weight.zero_()
        net.fc2.bias.fill_(5.0)  # logits all 5: a softmax would turn them into 0.1
    out = net(torch.zeros(3, 784))
    assert torch.allclose(out, torch.full((3, 10), 5.0), atol=1e-5), (
        "with fc2.weight = 0 and fc2.bias = 5 the logits are all 5: return raw logits, no softmax"
    )


def test_gradients_reach_both_layers(net):
    loss = nn.functional.cross_entropy(net(torch.rand(8, 784)), torch.arange(8) % 10)
    loss.backward()
    for name, param in net.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, f"no gradient reached {name}"
