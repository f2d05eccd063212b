"""Near miss: flattens with the roadmap's x.view(-1, 784), which raises on a non-contiguous batch."""

from __future__ import annotations

import torch
from torch import nn


class Net(nn.Module):
    """784 -> 128 (ReLU) -> 10 logits, with layers named fc1 and fc2."""

    def __init__(self) -> None:
        super().__init__()  # sets up the registries that make self.fc1's parameters visible to .parameters()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Keep the batch axis, flatten the rest: (N, 1, 28, 28) and (N, 784) both become (N, 784).
        x = x.view(-1, 784)
        x = torch.relu(self.fc1(x))
        return self.fc2(x)  # logits: CrossEntropyLoss applies log_softmax itself
