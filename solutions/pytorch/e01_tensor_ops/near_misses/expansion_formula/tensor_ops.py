"""Near miss: computes distances as sqrt(|x|^2 + |y|^2 - 2 x.y), which cancels catastrophically far from the origin."""

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
    # |x - y|^2 = |x|^2 + |y|^2 - 2 x.y: one matrix product instead of an (n, m, d) tensor.
    squared = (x * x).sum(dim=1)[:, None] + (y * y).sum(dim=1)[None, :] - 2 * x @ y.T
    return squared.clamp_min(0).sqrt()


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """Divide each row by max(its L2 norm, eps): (n, d) -> (n, d); zero rows stay zero."""
    norms = torch.linalg.vector_norm(x, dim=1, keepdim=True)  # (n, 1)
    return x / norms.clamp_min(eps)
