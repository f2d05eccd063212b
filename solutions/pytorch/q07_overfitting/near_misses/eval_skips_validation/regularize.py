"""Near miss: returns x at evaluation time before checking p, so an invalid p passes silently."""

from __future__ import annotations

import math

import torch
from torch import nn


def dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """Inverted dropout: zero each element with probability p and scale the survivors by 1 / (1 - p)."""
    if not training:
        return x  # at evaluation time dropout is the identity: the scaling already happened in training
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if p == 0.0:
        return x
    if p == 1.0:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape, device=x.device) >= p  # True with probability 1 - p
    # Scaling by 1 / (1 - p) keeps the expected value of every element unchanged, so the next layer sees
    # inputs of the same size in training and in evaluation.
    return x * keep / (1.0 - p)


def make_optimizer(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW that decays the weight matrices only: biases and normalisation parameters are not decayed."""
    decay, no_decay = [], []
    for param in model.parameters():
        if not param.requires_grad:
            continue
        # Matrices and conv kernels (ndim >= 2) are decayed; vectors (biases, LayerNorm/BatchNorm scales)
        # are not: shrinking them towards 0 does not reduce the model's capacity, it only hurts.
        (decay if param.ndim >= 2 else no_decay).append(param)
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=lr
    )


class EarlyStopping:
    """Stop when the monitored value has not improved by more than min_delta for `patience` calls."""

    def __init__(self, patience: int, min_delta: float = 0.0) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.best = math.inf
        self.best_epoch = -1
        self.counter = 0
        self._calls = 0

    def step(self, value: float) -> bool:
        """Record one epoch's validation loss; return True when training should stop."""
        epoch = self._calls
        self._calls += 1
        if value < self.best - self.min_delta:  # a real improvement
            self.best = value
            self.best_epoch = epoch
            self.counter = 0
        else:
            self.counter += 1
        return self.counter >= self.patience
