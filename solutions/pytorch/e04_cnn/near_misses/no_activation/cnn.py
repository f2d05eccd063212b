"""Near miss: forgets the ReLU between the convolution and the pooling."""

from __future__ import annotations

import torch
from torch import nn


class CNN(nn.Module):
    """Conv2d(1, 16, 3) -> ReLU -> MaxPool2d(2) -> flatten -> Linear(16*13*13, 10)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 16, kernel_size=3)  # no padding: 28 -> 26
        self.pool = nn.MaxPool2d(2)  # 26 -> 13
        self.fc = nn.Linear(16 * 13 * 13, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.conv(x))  # (N, 16, 13, 13)
        # flatten(1) keeps the batch axis; the roadmap's view(-1, 16*13*13) hides shape bugs.
        return self.fc(x.flatten(start_dim=1))
