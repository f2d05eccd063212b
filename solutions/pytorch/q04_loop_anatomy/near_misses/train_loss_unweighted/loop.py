"""Near miss: returns the mean of the batch losses, not weighted by batch size."""

from __future__ import annotations

import torch
from torch import nn


def train_one_epoch(model: nn.Module, loader, optimizer: torch.optim.Optimizer, loss_fn) -> float:
    """One pass over `loader` in train mode; returns the mean loss over the samples."""
    model.train()  # dropout and batch norm in training behaviour (evaluate may have switched them off)
    total, count = 0.0, 0
    for inputs, targets in loader:
        optimizer.zero_grad()  # 1. clear the gradients of the previous batch
        loss = loss_fn(model(inputs), targets)  # 2-3. forward pass and loss
        loss.backward()  # 4. gradients
        optimizer.step()  # 5. update, using the gradients just computed
        total += loss.item()
        count += 1
    return total / count


def evaluate(model: nn.Module, loader, loss_fn) -> dict[str, float]:
    """Mean loss and accuracy over `loader`, in eval mode and without building a graph."""
    model.eval()  # dropout off: the same input always gives the same output
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():  # no graph is recorded: less memory, faster, and no accidental backward
        for inputs, targets in loader:
            outputs = model(inputs)
            total += loss_fn(outputs, targets).item() * len(targets)
            correct += (outputs.argmax(dim=1) == targets).sum().item()
            count += len(targets)
    return {"loss": total / count, "accuracy": correct / count}
