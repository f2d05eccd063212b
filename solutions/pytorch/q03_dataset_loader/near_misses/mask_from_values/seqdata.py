"""Near miss: builds the mask from the padded values (values != 0), so a real 0.0 counts as padding."""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset


class CsvSequences(Dataset):
    """Rows `label,v1 v2 v3 ...` of a CSV file with a header, read one row at a time when asked for."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        # One pass to remember where each row starts (byte offsets): memory grows with the number of rows,
        # not with the data, and nothing is parsed until __getitem__ asks for it.
        self.offsets: list[int] = []
        with open(self.path, "rb") as handle:
            handle.readline()  # the header
            while True:
                offset = handle.tell()
                line = handle.readline()
                if not line:
                    break
                if line.strip():
                    self.offsets.append(offset)

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        if not 0 <= index < len(self.offsets):
            raise IndexError(f"index {index} out of range for {len(self.offsets)} rows")
        # Open per item: no file handle is kept, so the dataset pickles cleanly into DataLoader workers.
        with open(self.path, "rb") as handle:
            handle.seek(self.offsets[index])
            line = handle.readline().decode("utf-8").strip()
        label, _, values = line.partition(",")
        sequence = torch.tensor([float(v) for v in values.split()], dtype=torch.float32)
        return sequence, int(label)


def pad_collate(batch: list[tuple[torch.Tensor, int]]) -> dict[str, torch.Tensor]:
    """Stack variable-length sequences into a zero-padded (B, T) tensor with lengths and a mask."""
    sequences = [sequence for sequence, _ in batch]
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    longest = int(lengths.max()) if len(batch) else 0
    values = torch.zeros(len(batch), longest, dtype=torch.float32)
    for row, sequence in enumerate(sequences):
        values[row, : len(sequence)] = sequence
    # True where there is real data: broadcasting (1, T) positions against (B, 1) lengths.
    mask = values != 0
    labels = torch.tensor([label for _, label in batch], dtype=torch.int64)
    return {"values": values, "lengths": lengths, "mask": mask, "labels": labels}


def make_loader(dataset: Dataset, batch_size: int, seed: int, num_workers: int = 0) -> DataLoader:
    """A shuffling DataLoader whose order depends only on `seed`, batching with pad_collate."""
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),  # its own generator: reproducible, independent order
        collate_fn=pad_collate,
        num_workers=num_workers,
    )
