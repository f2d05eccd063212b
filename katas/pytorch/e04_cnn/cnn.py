"""Kata pytorch/e04: a small convolutional network for 28x28 digits. Edit this file."""

from __future__ import annotations

import torch
from torch import nn

FILE = "katas/pytorch/e04_cnn/cnn.py"


class CNN(nn.Module):
    """Conv2d(1, 16, 3) -> ReLU -> MaxPool2d(2) -> flatten -> Linear(16*13*13, 10)."""

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError(f"CNN.__init__: write it in {FILE}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError(f"CNN.forward: write it in {FILE}")
