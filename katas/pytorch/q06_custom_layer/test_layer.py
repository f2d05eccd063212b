"""Hidden-test style checks for pytorch/q06: MyLinear against nn.Linear, registration and initialisation."""

import math

import pytest
import torch
from torch import nn


@pytest.fixture
def MyLinear(kata):  # noqa: N802 - the fixture stands for the class
    return kata.module("layer").MyLinear


def test_parameters_are_registered(MyLinear):
    layer = MyLinear(5, 3)
    names = {name: tuple(p.shape) for name, p in layer.named_parameters()}
    assert names == {"weight": (3, 5), "bias": (3,)}, (
        f"named_parameters() gave {names}; expected weight (out, in) = (3, 5) and bias (3,) as nn.Parameters"
    )
    assert list(layer.state_dict()) == ["weight", "bias"], f"state_dict keys {list(layer.state_dict())}"
    assert (layer.in_features, layer.out_features) == (5, 3), (
        "keep in_features and out_features as attributes"
    )


def test_without_bias(MyLinear):
    layer = MyLinear(4, 2, bias=False)
    assert list(layer.state_dict()) == ["weight"], (
        f"with bias=False the state_dict should hold only 'weight', got {list(layer.state_dict())}"
    )
    assert layer.bias is None, "with bias=False, layer.bias should be None (register_parameter('bias', None))"
    x = torch.randn(6, 4)
    assert torch.allclose(layer(x), x @ layer.weight.T, atol=1e-6), "without bias the output is x @ weight.T"


@pytest.mark.parametrize(
    ("n_in", "n_out", "shape"), [(4, 3, (7,)), (16, 8, (2, 5)), (1, 1, (3,)), (10, 2, (2, 3, 4)), (5, 3, ())]
)
@pytest.mark.parametrize("bias", [True, False])
def test_equals_nn_linear_with_copied_weights(MyLinear, n_in, n_out, shape, bias):
    reference = nn.Linear(n_in, n_out, bias=bias)
    layer = MyLinear(n_in, n_out, bias=bias)
    layer.load_state_dict(reference.state_dict())  # strict: the same keys and shapes as nn.Linear
    x = torch.randn(*shape, n_in, generator=torch.Generator().manual_seed(n_in * n_out))
    x_ref = x.clone().requires_grad_()
    x = x.requires_grad_()
    got, expected = layer(x), reference(x_ref)
    assert got.shape == expected.shape, f"output shape {tuple(got.shape)}, expected {tuple(expected.shape)}"
    assert torch.allclose(got, expected, atol=1e-5), "outputs differ from nn.Linear with the same weights"
    upstream = torch.randn(expected.shape)
    got.backward(upstream)
    expected.backward(upstream)
    assert torch.allclose(layer.weight.grad, reference.weight.grad, atol=1e-5), "weight gradients differ"
    assert torch.allclose(x.grad, x_ref.grad, atol=1e-5), "input gradients differ"
    if bias:
        assert torch.allclose(layer.bias.grad, reference.bias.grad, atol=1e-5), "bias gradients differ"


def test_computes_without_nn_linear(MyLinear, monkeypatch):
    layer = MyLinear(4, 3)
    x = torch.randn(5, 4)
    expected = x @ layer.weight.detach().T + layer.bias.detach()

    def forbidden(*args, **kwargs):
        raise AssertionError(
            "MyLinear must compute x @ weight.T + bias itself, without F.linear or nn.Linear"
        )

    monkeypatch.setattr(torch.nn.functional, "linear", forbidden)
    monkeypatch.setattr(nn.Linear, "forward", forbidden)
    assert torch.allclose(layer(x), expected, atol=1e-6), "MyLinear's output differs from x @ weight.T + bias"


def test_moves_with_the_module_and_trains(MyLinear):
    layer = MyLinear(3, 2).to(torch.float64)
    assert layer.weight.dtype == torch.float64 and layer.bias.dtype == torch.float64, (
        ".to(torch.float64) should convert the parameters: they must be registered"
    )
    before = layer.weight.detach().clone()
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
    layer(torch.ones(4, 3, dtype=torch.float64)).sum().backward()
    optimizer.step()
    assert not torch.equal(before, layer.weight.detach()), (
        "an optimizer step over layer.parameters() changed nothing"
    )


@pytest.mark.parametrize("n_in", [4, 100, 784])
def test_initial_weights_in_range(MyLinear, n_in):
    layer = MyLinear(n_in, 64)
    bound = 1 / math.sqrt(n_in)
    for name, p in layer.named_parameters():
        assert p.abs().max() <= bound + 1e-7, (
            f"{name} reaches {p.abs().max():.3f}; initialise from U(-1/sqrt(in), 1/sqrt(in)) = ±{bound:.3f}"
        )
        assert p.std() > bound / 4, f"{name} looks constant (std {p.std():.3g}): draw it at random"
    torch.manual_seed(1)
    a = MyLinear(n_in, 8).weight.detach().clone()
    torch.manual_seed(1)
    b = MyLinear(n_in, 8).weight.detach().clone()
    assert torch.equal(a, b), "the initial weights should come from the global generator (torch.manual_seed)"
