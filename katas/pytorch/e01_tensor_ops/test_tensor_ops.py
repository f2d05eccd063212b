"""Hidden-test style checks for pytorch/e01: broadcasting, batched matmul, distances, row norms vs NumPy."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.kit.strategies import kata_settings

DTYPES = [torch.float32, torch.float64]
TOL = {torch.float32: 1e-4, torch.float64: 1e-10}


@pytest.fixture
def ops(kata):
    return kata.module("tensor_ops")


def _rand(gen: torch.Generator, *shape, dtype=torch.float64):
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)


def _check(got, expected: np.ndarray, dtype, where: str):
    assert isinstance(got, torch.Tensor), f"{where}: expected a torch.Tensor, got {type(got).__name__}"
    assert tuple(got.shape) == expected.shape, f"{where}: shape {tuple(got.shape)}, expected {expected.shape}"
    assert got.dtype == dtype, f"{where}: dtype {got.dtype}, expected {dtype} (the input's dtype is kept)"
    diff = np.abs(got.detach().numpy().astype(np.float64) - expected)
    assert not np.isnan(got.detach().numpy()).any(), f"{where}: the result holds nan"
    worst = np.unravel_index(diff.argmax(), diff.shape) if diff.size else None
    assert diff.size == 0 or diff.max() <= TOL[dtype] * max(1.0, np.abs(expected).max()), (
        f"{where}: differs from NumPy by {diff.max():.3g} at index {worst}"
    )


def test_readme_examples(ops):
    assert torch.equal(
        ops.center_columns(torch.tensor([[1.0, 10.0], [3.0, 30.0]])),
        torch.tensor([[-1.0, -10.0], [1.0, 10.0]]),
    )
    got = ops.pairwise_distances(torch.tensor([[0.0, 0.0], [3.0, 4.0]]), torch.tensor([[0.0, 0.0]]))
    assert torch.allclose(got, torch.tensor([[0.0], [5.0]])), f"pairwise_distances README example gave {got}"
    got = ops.normalize_rows(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
    assert torch.allclose(got, torch.tensor([[0.6, 0.8], [0.0, 0.0]])), (
        f"normalize_rows README example gave {got}"
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("n", "d"), [(1, 1), (5, 3), (64, 17)])
def test_center_columns(ops, dtype, n, d):
    x = _rand(torch.Generator().manual_seed(n * 100 + d), n, d, dtype=dtype)
    ref = x.double().numpy()
    _check(ops.center_columns(x), ref - ref.mean(axis=0, keepdims=True), dtype, f"center_columns({n}x{d})")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("b", "n", "k", "m"), [(1, 1, 1, 1), (4, 3, 5, 2), (16, 8, 8, 8)])
def test_batched_matmul(ops, dtype, b, n, k, m):
    gen = torch.Generator().manual_seed(b + n + k + m)
    a, c = _rand(gen, b, n, k, dtype=dtype), _rand(gen, b, k, m, dtype=dtype)
    expected = np.einsum("bnk,bkm->bnm", a.double().numpy(), c.double().numpy())
    _check(ops.batched_matmul(a, c), expected, dtype, f"batched_matmul({b}x{n}x{k} @ {b}x{k}x{m})")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("n", "m", "d"), [(1, 1, 1), (4, 7, 3), (50, 30, 10)])
def test_pairwise_distances(ops, dtype, n, m, d):
    gen = torch.Generator().manual_seed(n * m + d)
    x, y = _rand(gen, n, d, dtype=dtype), _rand(gen, m, d, dtype=dtype)
    xs, ys = x.double().numpy(), y.double().numpy()
    expected = np.sqrt(((xs[:, None, :] - ys[None, :, :]) ** 2).sum(axis=-1))
    _check(ops.pairwise_distances(x, y), expected, dtype, f"pairwise_distances({n}x{d}, {m}x{d})")


def test_distance_to_itself_is_zero(ops):
    x = _rand(torch.Generator().manual_seed(3), 20, 4)
    got = ops.pairwise_distances(x, x)
    assert torch.allclose(torch.diagonal(got), torch.zeros(20, dtype=x.dtype), atol=1e-6), (
        f"the diagonal of pairwise_distances(x, x) should be 0, got {torch.diagonal(got)[:5]}"
    )
    assert torch.allclose(got, got.T, atol=1e-9), "pairwise_distances(x, x) should be symmetric"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("n", "d"), [(1, 2), (6, 3), (40, 25)])
def test_normalize_rows(ops, dtype, n, d):
    x = _rand(torch.Generator().manual_seed(n + d), n, d, dtype=dtype) * 5
    ref = x.double().numpy()
    expected = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    _check(ops.normalize_rows(x), expected, dtype, f"normalize_rows({n}x{d})")


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_rows_stay_zero(ops, dtype):
    x = _rand(torch.Generator().manual_seed(9), 5, 4, dtype=dtype)
    x[1] = 0
    x[3] = 0
    ref = x.double().numpy()
    norms = np.linalg.norm(ref, axis=1, keepdims=True)
    expected = np.divide(ref, norms, out=np.zeros_like(ref), where=norms > 0)
    _check(ops.normalize_rows(x), expected, dtype, "normalize_rows with zero rows 1 and 3")


@pytest.mark.parametrize("dtype", DTYPES)
def test_default_eps_normalises_tiny_rows(ops, dtype):
    # The default eps is 1e-12: rows with norms 1e-3, 1e-6 and 1e-9 are all far above it and get norm 1.
    x = torch.tensor([[6e-4, 8e-4], [6e-7, -8e-7], [-6e-10, 8e-10]], dtype=dtype)
    ref = x.double().numpy()
    expected = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    _check(
        ops.normalize_rows(x),
        expected,
        dtype,
        "normalize_rows with the default eps, row norms 1e-3/1e-6/1e-9",
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_normalize_rows_honours_eps(ops, dtype):
    # Row norms 0.25 (below eps), 0.5 (exactly eps), 5 (above) and 0.
    x = torch.tensor([[0.15, 0.2], [0.3, 0.4], [3.0, 4.0], [0.0, 0.0]], dtype=dtype)
    ref = x.double().numpy()
    for eps in (0.5, 2.0):
        norms = np.linalg.norm(ref, axis=1, keepdims=True)
        expected = ref / np.maximum(norms, eps)
        _check(
            ops.normalize_rows(x, eps=eps),
            expected,
            dtype,
            f"normalize_rows(eps={eps}), row norms 0.25/0.5/5/0",
        )


@pytest.mark.parametrize("dtype", DTYPES)
def test_pairwise_distances_far_from_the_origin(ops, dtype):
    gen = torch.Generator().manual_seed(11)
    # Points around 1000 (float32 holds them exactly from here on): 40 and 30 rows, more than torch.cdist's 25.
    x = (torch.randn(40, 3, generator=gen, dtype=torch.float64) + 1000.0).to(dtype)
    y = (torch.randn(30, 3, generator=gen, dtype=torch.float64) + 1000.0).to(dtype)
    xs, ys = x.double().numpy(), y.double().numpy()
    expected = np.sqrt(((xs[:, None, :] - ys[None, :, :]) ** 2).sum(axis=-1))
    _check(ops.pairwise_distances(x, y), expected, dtype, "pairwise_distances of points around 1000")
    itself = ops.pairwise_distances(x, x)
    diagonal = torch.diagonal(itself)
    assert torch.all(diagonal == 0), (
        f"a point's distance to itself must be exactly 0; around 1000 the diagonal holds {diagonal.abs().max():.3g}: "
        "compute from the differences, not from |x|^2 + |y|^2 - 2 x.y"
    )


def _matrices(dtype):
    """(n, d) arrays with zero rows, ties, tiny and huge entries, sometimes all shifted far from the origin."""
    width = 32 if dtype == np.float32 else 64
    element = st.one_of(
        st.sampled_from([0.0, 0.0, 1.0, -1.0, 1e-20, 3.0]),
        st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False, width=width),
    )
    shape = st.tuples(st.integers(1, 6), st.integers(1, 5))
    return st.tuples(hnp.arrays(dtype, shape, elements=element), st.sampled_from([0.0, 0.0, 1000.0]))


@kata_settings(max_examples=60)
@given(case=_matrices(np.float64), eps=st.sampled_from([1e-12, 1e-6, 0.5]))
def test_normalize_rows_on_generated_matrices(ops, case, eps):
    array, offset = case
    x = torch.from_numpy(array + offset)
    ref = x.numpy()
    expected = ref / np.maximum(np.linalg.norm(ref, axis=1, keepdims=True), eps)
    _check(
        ops.normalize_rows(x, eps=eps), expected, torch.float64, f"normalize_rows({ref.tolist()}, eps={eps})"
    )


@kata_settings(max_examples=60)
@given(a=_matrices(np.float32), b=_matrices(np.float32))
def test_pairwise_distances_on_generated_points(ops, a, b):
    (xa, offset), (ya, _) = a, b
    d = min(xa.shape[1], ya.shape[1])
    x = torch.from_numpy((xa[:, :d] + offset).astype(np.float32))
    y = torch.from_numpy((ya[:, :d] + offset).astype(np.float32))
    xs, ys = x.double().numpy(), y.double().numpy()
    expected = np.sqrt(((xs[:, None, :] - ys[None, :, :]) ** 2).sum(axis=-1))
    _check(
        ops.pairwise_distances(x, y),
        expected,
        torch.float32,
        f"pairwise_distances({xs.tolist()}, {ys.tolist()})",
    )
    assert torch.all(torch.diagonal(ops.pairwise_distances(x, x)) == 0), (
        "a point's distance to itself must be 0"
    )


def test_inputs_are_not_modified(ops):
    x = _rand(torch.Generator().manual_seed(5), 6, 3)
    before = x.clone()
    ops.center_columns(x)
    ops.normalize_rows(x)
    ops.pairwise_distances(x, x)
    assert torch.equal(x, before), "the functions must return new tensors and leave their input unchanged"
