"""Near miss: the habitual default eps=1e-8 instead of 1e-12, so a row of norm 1e-9 is not scaled to norm 1."""

from __future__ import annotations

import torch


def center_columns(x: torch.Tensor) -> torch.Tensor:
    """Subtract each column's mean from that column: (n, d) -> (n, d)."""
    # keepdim=True keeps a (1, d) row of means that broadcasts against the (n, d) input.
    return x - x.mean(dim=0, keepdim=True)


def batched_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(B, n, k) @ (B, k, m) -> (B, n, m), one matrix product per batch entry."""
    # matmul treats every leading dimension as a batch dimension (torch.bmm does the same for 3-D only).
    return a @ b


def pairwise_distances(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Euclidean distances between the rows of x (n, d) and the rows of y (m, d): (n, m)."""
    # (n, 1, d) - (1, m, d) broadcasts to (n, m, d); the norm over the last axis leaves (n, m).
    # Exact, even for a point and itself, and far from the origin. (torch.cdist switches to the
    # |x|^2 + |y|^2 - 2 x.y shortcut above 25 rows, which cancels catastrophically there.)
    diff = x[:, None, :] - y[None, :, :]
    return torch.linalg.vector_norm(diff, dim=-1)


def normalize_rows(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """Divide each row by max(its L2 norm, eps): (n, d) -> (n, d); zero rows stay zero."""
    norms = torch.linalg.vector_norm(x, dim=1, keepdim=True)  # (n, 1)
    return x / norms.clamp_min(eps)
