"""Kata pytorch/e03: a training loop over a DataLoader. Edit this file."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader

FILE = "katas/pytorch/e03_training_loop/train.py"


def make_loader(
    images: torch.Tensor, labels: torch.Tensor, batch_size: int = 64, shuffle: bool = True, seed: int = 0
) -> DataLoader:
    """Batches of (images, labels); with shuffle=True the order comes from a generator seeded with `seed`."""
    raise NotImplementedError(f"make_loader: write it in {FILE}")


def train_step(
    model: nn.Module, images: torch.Tensor, labels: torch.Tensor, optimizer: torch.optim.Optimizer, loss_fn
) -> float:
    """One optimisation step on one batch; returns the batch loss as a float."""
    raise NotImplementedError(f"train_step: write it in {FILE}")


def train(model: nn.Module, loader: DataLoader, epochs: int = 2, lr: float = 1e-3) -> list[float]:
    """Adam + cross-entropy for `epochs` epochs; returns the mean training loss of each epoch."""
    raise NotImplementedError(f"train: write it in {FILE}")


def accuracy(model: nn.Module, loader: DataLoader) -> float:
    """Fraction of correctly classified samples, in eval mode and without building a graph."""
    raise NotImplementedError(f"accuracy: write it in {FILE}")
