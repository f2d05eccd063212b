"""Kata pytorch/e02: a 784-128-10 feedforward network. Edit this file."""

from __future__ import annotations

import torch
from torch import nn

FILE = "katas/pytorch/e02_feedforward/net.py"


class Net(nn.Module):
    """784 -> 128 (ReLU) -> 10 logits, with layers named fc1 and fc2."""

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError(f"Net.__init__: write it in {FILE}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError(f"Net.forward: write it in {FILE}")
