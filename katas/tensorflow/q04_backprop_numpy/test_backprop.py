"""Hidden-test style checks for tensorflow/q04: a numpy MLP's forward and backward pass against TensorFlow."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.strategies import kata_settings

KEYS = ("W1", "b1", "W2", "b2")


@pytest.fixture
def bp(kata):
    return kata.module("backprop")


def _problem(seed: int, n: int = 16, n_in: int = 6, n_hidden: int = 9, n_out: int = 4):
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.normal(0, 0.8, (n_in, n_hidden)),
        "b1": rng.normal(0, 0.5, n_hidden),
        "W2": rng.normal(0, 0.8, (n_hidden, n_out)),
        "b2": rng.normal(0, 0.5, n_out),
    }
    x = rng.normal(size=(n, n_in))
    y = rng.integers(0, n_out, size=n)
    return params, x, y


def _tape(params, x, y):
    """The reference: the same network in TensorFlow (float64), loss and gradients by GradientTape."""
    variables = {k: tf.Variable(v) for k, v in params.items()}
    with tf.GradientTape() as tape:
        hidden = tf.nn.relu(x @ variables["W1"] + variables["b1"])
        logits = hidden @ variables["W2"] + variables["b2"]
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    grads = tape.gradient(loss, variables)
    return tf.nn.softmax(logits).numpy(), float(loss), {k: g.numpy() for k, g in grads.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forward_and_loss_match_tensorflow(bp, seed):
    params, x, y = _problem(seed)
    probs, _ = bp.forward(params, x)
    expected_probs, expected_loss, _ = _tape(params, x, y)
    np.testing.assert_allclose(
        probs, expected_probs, rtol=1e-9, atol=1e-12, err_msg="forward() probabilities"
    )
    loss = bp.cross_entropy(probs, y)
    assert isinstance(loss, float), f"cross_entropy() should return a Python float, got {type(loss).__name__}"
    assert loss == pytest.approx(expected_loss, rel=1e-9), "cross_entropy()"


def test_softmax_is_stable_for_large_logits(bp):
    params, x, y = _problem(3)
    probs, _ = bp.forward(params, x * 1000.0)
    assert np.isfinite(probs).all(), "forward() overflowed: subtract each row's maximum logit before exp()"
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12, err_msg="rows of probabilities sum to 1")


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_gradients_equal_gradient_tape(bp, seed):
    params, x, y = _problem(seed, n=8 + 5 * seed)
    _, cache = bp.forward(params, x)
    grads = bp.backward(params, cache, y)
    assert sorted(grads) == sorted(KEYS), f"backward() keys {sorted(grads)}, expected {sorted(KEYS)}"
    _, _, expected = _tape(params, x, y)
    for key in KEYS:
        got = np.asarray(grads[key])
        assert got.shape == params[key].shape, f"d{key}: shape {got.shape}, expected {params[key].shape}"
        np.testing.assert_allclose(
            got, expected[key], rtol=1e-7, atol=1e-12, err_msg=f"d{key} vs GradientTape"
        )


def test_relu_derivative_is_zero_exactly_at_zero(bp):
    params, x, y = _problem(5, n=10)
    params["b1"][::2] = 0.0  # every other hidden unit without bias...
    x[[1, 4, 7]] = 0.0  # ...and three all-zero rows: z1 == 0 exactly for those rows and units
    _, cache = bp.forward(params, x)
    grads = bp.backward(params, cache, y)
    _, _, expected = _tape(params, x, y)  # TensorFlow's ReLU gradient is 0 at 0 too
    np.testing.assert_allclose(
        np.asarray(grads["b1"]),
        expected["b1"],
        rtol=1e-7,
        atol=1e-12,
        err_msg="db1 where z1 == 0: the ReLU's derivative is 1 only where z1 > 0 (0 at exactly 0)",
    )


@st.composite
def _edgy_problems(draw):
    """Any small shapes (a single row, a single class, a single hidden unit included) and values with ties and
    exact zeros: z1 == 0, equal logits, all-zero rows.

    Values are multiples of 1/4 in [-2, 2]: every sum and product of the forward pass is exact in float64, so
    numpy and TensorFlow agree on the sign of z1 whatever order they add in (no 1e-17 on one side of 0 only).
    """
    n, n_in, n_hidden, n_out = (draw(st.integers(1, top)) for top in (6, 4, 5, 4))

    def array(*shape):
        size = int(np.prod(shape))
        quarters = draw(st.lists(st.integers(-8, 8), min_size=size, max_size=size))
        return np.array(quarters, dtype=np.float64).reshape(shape) / 4.0

    params = {
        "W1": array(n_in, n_hidden),
        "b1": array(n_hidden),
        "W2": array(n_hidden, n_out),
        "b2": array(n_out),
    }
    y = np.array(draw(st.lists(st.integers(0, n_out - 1), min_size=n, max_size=n)), dtype=np.int64)
    return params, array(n, n_in), y


@kata_settings(max_examples=40)
@given(problem=_edgy_problems())
def test_any_shapes_and_ties_match_tensorflow_without_changing_inputs(bp, problem):
    params, x, y = problem
    originals = {"x": x.copy(), **{k: v.copy() for k, v in params.items()}}
    probs, cache = bp.forward(params, x)
    expected_probs, _, expected = _tape(params, x, y)
    np.testing.assert_allclose(
        probs, expected_probs, rtol=1e-9, atol=1e-12, err_msg="forward() probabilities"
    )
    kept_probs = np.array(probs, copy=True)
    grads = bp.backward(params, cache, y)
    for key in KEYS:
        np.testing.assert_allclose(
            np.asarray(grads[key]), expected[key], rtol=1e-7, atol=1e-10, err_msg=f"d{key} vs GradientTape"
        )
    np.testing.assert_array_equal(
        probs, kept_probs, err_msg="backward() changed the probabilities forward() returned: work on a copy"
    )
    for name, before in originals.items():
        after = x if name == "x" else params[name]
        np.testing.assert_array_equal(after, before, err_msg=f"forward()/backward() changed the input {name}")
    again = bp.backward(params, cache, y)
    for key in KEYS:
        np.testing.assert_array_equal(
            np.asarray(again[key]),
            np.asarray(grads[key]),
            err_msg=f"a second backward() on the same cache gives another d{key}: the first call changed the cache",
        )


def test_gradients_equal_finite_differences(bp):
    params, x, y = _problem(7, n=12)
    _, cache = bp.forward(params, x)
    grads = bp.backward(params, cache, y)
    rng = np.random.default_rng(0)
    eps = 1e-6
    for key in KEYS:
        for _ in range(6):
            index = tuple(int(rng.integers(0, size)) for size in params[key].shape)
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[key][index] += eps
            minus[key][index] -= eps
            numeric = (
                bp.cross_entropy(bp.forward(plus, x)[0], y) - bp.cross_entropy(bp.forward(minus, x)[0], y)
            ) / (2 * eps)
            assert np.asarray(grads[key])[index] == pytest.approx(numeric, rel=1e-5, abs=1e-8), (
                f"d{key}{list(index)}: backward() gives {np.asarray(grads[key])[index]:.8g}, "
                f"finite differences {numeric:.8g}"
            )


def test_a_gradient_step_lowers_the_loss(bp):
    params, x, y = _problem(11, n=32)
    probs, cache = bp.forward(params, x)
    before = bp.cross_entropy(probs, y)
    grads = bp.backward(params, cache, y)
    stepped = {k: params[k] - 0.1 * np.asarray(grads[k]) for k in KEYS}
    after = bp.cross_entropy(bp.forward(stepped, x)[0], y)
    assert after < before, f"one gradient-descent step should lower the loss: {before:.5f} -> {after:.5f}"
