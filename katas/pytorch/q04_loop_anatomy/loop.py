"""Kata pytorch/q04: the anatomy of train_one_epoch and evaluate. Edit this file."""

from __future__ import annotations

import torch
from torch import nn

FILE = "katas/pytorch/q04_loop_anatomy/loop.py"


def train_one_epoch(model: nn.Module, loader, optimizer: torch.optim.Optimizer, loss_fn) -> float:
    """One pass over `loader` in train mode; returns the mean loss over the samples."""
    raise NotImplementedError(f"train_one_epoch: write it in {FILE}")


def evaluate(model: nn.Module, loader, loss_fn) -> dict[str, float]:
    """Mean loss and accuracy over `loader`, in eval mode and without building a graph."""
    raise NotImplementedError(f"evaluate: write it in {FILE}")
