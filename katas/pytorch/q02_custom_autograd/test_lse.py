"""Hidden-test style checks for pytorch/q02: forward values, stability, gradcheck and the backward formula."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.kit.strategies import kata_settings

SHAPES = [(5,), (4, 3), (2, 3, 7)]


@pytest.fixture
def lse(kata):
    return kata.module("lse")


def _x(shape, seed, dtype=torch.float64, scale=3.0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype) * scale


def test_is_an_autograd_function(lse):
    assert issubclass(lse.LogSumExp, torch.autograd.Function), (
        "LogSumExp must subclass torch.autograd.Function"
    )
    y = lse.logsumexp(_x((3, 4), 0).requires_grad_())
    assert y.grad_fn is not None and type(y.grad_fn).__name__ == "LogSumExpBackward", (
        f"logsumexp's result should come from LogSumExp.apply (grad_fn LogSumExpBackward), got {y.grad_fn}"
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_forward_equals_torch(lse, shape, dtype):
    x = _x(shape, sum(shape), dtype)
    got = lse.logsumexp(x)
    expected = torch.logsumexp(x, dim=-1)
    assert got.shape == expected.shape, f"shape {tuple(got.shape)}, expected {tuple(expected.shape)}"
    assert got.dtype == dtype, f"dtype {got.dtype}, expected {dtype}"
    assert torch.allclose(got, expected, rtol=1e-5, atol=1e-6), f"logsumexp gave {got}, expected {expected}"


@pytest.mark.parametrize("value", [1e4, -1e4, 88.0, 700.0])
def test_extreme_inputs_stay_finite(lse, value):
    x = torch.tensor([[value, value - 1.0, value - 2.0], [value, value, value]], requires_grad=True)
    y = lse.logsumexp(x)
    expected = torch.logsumexp(x.detach(), dim=-1)
    assert torch.isfinite(y).all() and torch.allclose(y, expected, rtol=1e-6), (
        f"logsumexp of rows near {value:g} gave {y.detach()}, expected {expected} (subtract the row maximum)"
    )
    y.sum().backward()
    assert torch.isfinite(x.grad).all(), f"the gradient for inputs near {value:g} is not finite: {x.grad}"


def test_rows_of_very_different_scales(lse):
    x = torch.tensor(
        [[1e4, 1e4 - 1.0, 1e4 - 3.0], [-1e4, -1e4 - 1.0, -1e4 - 3.0], [0.0, 1.0, 2.0]], dtype=torch.float64
    ).requires_grad_()
    y = lse.logsumexp(x)
    expected = torch.logsumexp(x.detach(), dim=-1)
    assert torch.isfinite(y).all() and torch.allclose(y, expected, rtol=1e-12), (
        f"rows around 1e4, -1e4 and 0 gave {y.detach().tolist()}, expected {expected.tolist()}: "
        "shift each row by its own maximum, not by the maximum of the whole tensor"
    )
    y.sum().backward()
    softmax = torch.softmax(x.detach(), dim=-1)
    assert torch.allclose(x.grad, softmax, atol=1e-12), (
        f"the gradient for rows of different scales is {x.grad.tolist()}, expected the softmax {softmax.tolist()}"
    )


_ROWS = hnp.arrays(
    "float64",
    st.tuples(st.integers(1, 4), st.integers(1, 6)),
    elements=st.one_of(st.sampled_from([0.0, 1e4, -1e4, 0.5]), st.floats(-1e4, 1e4, allow_subnormal=False)),
)


@kata_settings(max_examples=60)
@given(array=_ROWS)
def test_forward_and_backward_on_generated_inputs(lse, array):
    x = torch.from_numpy(array).requires_grad_()
    y = lse.logsumexp(x)
    expected = torch.logsumexp(x.detach(), dim=-1)
    assert torch.allclose(y.detach(), expected, rtol=1e-10, atol=1e-10), (
        f"logsumexp({array.tolist()}) gave {y.detach().tolist()}, expected {expected.tolist()}"
    )
    upstream = torch.linspace(-2.0, 3.0, y.numel(), dtype=torch.float64).reshape(y.shape)
    y.backward(upstream)
    want = upstream.unsqueeze(-1) * torch.softmax(x.detach(), dim=-1)
    assert torch.allclose(x.grad, want, rtol=1e-8, atol=1e-10), (
        f"the gradient for {array.tolist()} with upstream {upstream.tolist()} is {x.grad.tolist()}, "
        f"expected grad_output[..., None] * softmax(x) = {want.tolist()}"
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_backward_equals_softmax_times_upstream(lse, shape):
    x = _x(shape, 10 + sum(shape)).requires_grad_()
    upstream = _x(shape[:-1], 20 + sum(shape)) if len(shape) > 1 else torch.tensor(1.7, dtype=torch.float64)
    lse.logsumexp(x).backward(upstream)
    expected = upstream.unsqueeze(-1) * torch.softmax(x.detach(), dim=-1)
    assert torch.allclose(x.grad, expected, atol=1e-10), (
        f"backward should be grad_output[..., None] * softmax(x); largest difference "
        f"{(x.grad - expected).abs().max():.3g}"
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_gradcheck(lse, shape):
    x = _x(shape, 30 + sum(shape), scale=1.0).requires_grad_()
    assert torch.autograd.gradcheck(lse.LogSumExp.apply, (x,), eps=1e-6, atol=1e-6), "gradcheck failed"


def test_inside_a_bigger_graph(lse):
    w = _x((4, 6), 40).requires_grad_()
    x = _x((6,), 41)
    loss = (lse.logsumexp(w * x) ** 2).sum()
    loss.backward()
    w_ref = w.detach().clone().requires_grad_()
    (torch.logsumexp(w_ref * x, dim=-1) ** 2).sum().backward()
    assert torch.allclose(w.grad, w_ref.grad, atol=1e-10), (
        "gradients through a larger graph differ from autograd's"
    )
