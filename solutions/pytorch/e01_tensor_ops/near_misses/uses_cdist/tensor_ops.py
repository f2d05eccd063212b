"""Near miss: calls torch.cdist, which switches to the |x|^2 + |y|^2 - 2 x.y shortcut above 25 rows."""

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
    # The library call: Euclidean distances between every pair of rows.
    return torch.cdist(x, y)


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """Divide each row by max(its L2 norm, eps): (n, d) -> (n, d); zero rows stay zero."""
    norms = torch.linalg.vector_norm(x, dim=1, keepdim=True)  # (n, 1)
    return x / norms.clamp_min(eps)
