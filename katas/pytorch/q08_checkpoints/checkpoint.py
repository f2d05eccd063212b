"""Kata pytorch/q08: checkpoint a training run and resume it exactly; export a whole model. Edit this file."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

FILE = "katas/pytorch/q08_checkpoints/checkpoint.py"


def save_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int) -> None:
    """Save everything a resumed run needs; `epoch` is the number of epochs completed."""
    raise NotImplementedError(f"save_checkpoint: write it in {FILE}")


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """Restore model, optimizer and random state from `path`; return the number of epochs completed."""
    raise NotImplementedError(f"load_checkpoint: write it in {FILE}")


def resume_or_start(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """The epoch to start from: the checkpoint's if `path` exists (everything restored), else 0."""
    raise NotImplementedError(f"resume_or_start: write it in {FILE}")


def export_model(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """Save the whole model (graph and weights) as a torch.export program at `path`, batch dimension dynamic."""
    raise NotImplementedError(f"export_model: write it in {FILE}")


def load_exported(path: str | Path) -> nn.Module:
    """Load a program saved by export_model and return a callable module (no model class needed)."""
    raise NotImplementedError(f"load_exported: write it in {FILE}")
