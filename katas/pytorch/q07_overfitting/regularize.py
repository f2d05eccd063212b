"""Kata pytorch/q07: inverted dropout, decoupled weight decay, early stopping. Edit this file."""

from __future__ import annotations

import torch
from torch import nn

FILE = "katas/pytorch/q07_overfitting/regularize.py"


def dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """Inverted dropout: zero each element with probability p and scale the survivors by 1 / (1 - p)."""
    raise NotImplementedError(f"dropout: write it in {FILE}")


def make_optimizer(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW that decays the weight matrices only: biases and normalisation parameters are not decayed."""
    raise NotImplementedError(f"make_optimizer: write it in {FILE}")


class EarlyStopping:
    """Stop when the monitored value has not improved by more than min_delta for `patience` calls."""

    def __init__(self, patience: int, min_delta: float = 0.0) -> None:
        raise NotImplementedError(f"EarlyStopping.__init__: write it in {FILE}")

    def step(self, value: float) -> bool:
        """Record one epoch's validation loss; return True when training should stop."""
        raise NotImplementedError(f"EarlyStopping.step: write it in {FILE}")
