"""Kata pytorch/q03: a lazy CSV Dataset, a padding collate_fn and a seeded DataLoader. Edit this file."""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset

FILE = "katas/pytorch/q03_dataset_loader/seqdata.py"


class CsvSequences(Dataset):
    """Rows `label,v1 v2 v3 ...` of a CSV file with a header, read one row at a time when asked for."""

    def __init__(self, path: str | Path) -> None:
        raise NotImplementedError(f"CsvSequences.__init__: write it in {FILE}")

    def __len__(self) -> int:
        raise NotImplementedError(f"CsvSequences.__len__: write it in {FILE}")

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        raise NotImplementedError(f"CsvSequences.__getitem__: write it in {FILE}")


def pad_collate(batch: list[tuple[torch.Tensor, int]]) -> dict[str, torch.Tensor]:
    """Stack variable-length sequences into a zero-padded (B, T) tensor with lengths and a mask."""
    raise NotImplementedError(f"pad_collate: write it in {FILE}")


def make_loader(dataset: Dataset, batch_size: int, seed: int, num_workers: int = 0) -> DataLoader:
    """A shuffling DataLoader whose order depends only on `seed`, batching with pad_collate."""
    raise NotImplementedError(f"make_loader: write it in {FILE}")
