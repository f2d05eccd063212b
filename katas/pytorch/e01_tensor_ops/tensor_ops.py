"""Kata pytorch/e01: tensor operations with broadcasting and no Python loops. Edit this file."""

from __future__ import annotations

import torch

FILE = "katas/pytorch/e01_tensor_ops/tensor_ops.py"


def center_columns(x: torch.Tensor) -> torch.Tensor:
    """Subtract each column's mean from that column: (n, d) -> (n, d)."""
    raise NotImplementedError(f"center_columns: write it in {FILE}")


def batched_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """(B, n, k) @ (B, k, m) -> (B, n, m), one matrix product per batch entry."""
    raise NotImplementedError(f"batched_matmul: write it in {FILE}")


def pairwise_distances(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Euclidean distances between the rows of x (n, d) and the rows of y (m, d): (n, m)."""
    raise NotImplementedError(f"pairwise_distances: write it in {FILE}")


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """Divide each row by max(its L2 norm, eps): (n, d) -> (n, d); zero rows stay zero."""
    raise NotImplementedError(f"normalize_rows: write it in {FILE}")
