"""Fixtures shared by the pytorch katas: determinism, two CPU threads, the `gpu` marker, MNIST as tensors."""

from __future__ import annotations

import os
import random

# Threads that wait for work sleep instead of spinning: with two OpenMP threads per test process and other
# processes on the same cores (verify runs several), spinning makes training several times slower.
# libgomp reads this once, when torch loads it, so it is set before the import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

# Bit-for-bit reproducible runs on CPU: deterministic kernels and a fixed thread count (the result of a
# parallel reduction can depend on how many threads share it). KATAS_TORCH_THREADS overrides the 2 threads on a
# crowded machine, where two spinning OpenMP threads per process slow everything down.
# On CUDA, deterministic cuBLAS matmuls need a fixed workspace, set before CUDA starts (else they raise).
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
# torch.use_deterministic_algorithms(True) sets this switch and, since torch 2.x, also imports the inductor
# compiler to set its own `deterministic` flag: 2.5 s per test process, for torch.compile, which no kata uses.
# So flip the switch itself where torch exposes it, and fall back to the public call otherwise.
_set_deterministic = getattr(torch._C, "_set_deterministic_algorithms", None)
if _set_deterministic is not None:
    _set_deterministic(True)
else:  # pragma: no cover - older or newer torch without the private switch
    torch.use_deterministic_algorithms(True)
assert torch.are_deterministic_algorithms_enabled()
torch.set_num_threads(int(os.environ.get("KATAS_TORCH_THREADS", "2")))


@pytest.fixture(autouse=True)
def _seed_everything():
    """Every test starts from the same random state, whatever ran before it."""
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)
    yield


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("gpu") is not None and not torch.cuda.is_available():
        pytest.skip("no CUDA device")


@pytest.fixture(scope="session")
def mnist_tensors():
    """The 5,000-image MNIST sample as ((x_train, y_train), (x_test, y_test)) tensors.

    Images are float32 in [0, 1] shaped (N, 1, 28, 28); labels are int64. 4,000 train, 1,000 test.
    """
    from graders.kit.data import mnist_split

    (x_train, y_train), (x_test, y_test) = mnist_split()

    def to_tensors(images: np.ndarray, labels: np.ndarray):
        x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
        return x, torch.from_numpy(labels.astype(np.int64))

    return to_tensors(x_train, y_train), to_tensors(x_test, y_test)
