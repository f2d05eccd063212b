"""Near miss: calls loss_fn(targets, model(inputs)), arguments swapped: wrong for any loss that is not symmetric."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn


def grad_norm(parameters: Iterable[torch.Tensor]) -> float:
    """The L2 norm of all gradients taken together, as if concatenated into one vector (None grads skipped)."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return 0.0
    # sqrt(sum of squares of every element) = the norm of the per-tensor norms.
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])).item()


def clipped_step(
    model: nn.Module,
    loss_fn,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    max_norm: float,
) -> float:
    """One training step whose gradients are rescaled to a total norm of at most max_norm before the update.

    Returns the total gradient norm measured *before* clipping (worth logging: it shows when training explodes).
    """
    optimizer.zero_grad()
    loss = loss_fn(targets, model(inputs))
    loss.backward()
    # Between backward (which computes the gradients) and step (which uses them). Scales every gradient by
    # the same factor min(1, max_norm / total_norm): the direction is kept, only the length is capped.
    total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return float(total)
