"""Near miss: saves the whole module with torch.save(model) and unpickles it, the pre-torch.export way."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def save_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int) -> None:
    """Save everything a resumed run needs; `epoch` is the number of epochs completed."""
    checkpoint = {
        "model": model.state_dict(),
        # Adam keeps running averages of each gradient (and a step count): without them the resumed
        # run's first updates differ from the uninterrupted run's.
        "optimizer": optimizer.state_dict(),
        "epoch": epoch,
        # Shuffling and dropout draw from the global generator; its state makes the rest of the run identical.
        "rng": torch.get_rng_state(),
    }
    # Write to a temporary file, then rename: a crash while saving never leaves a half-written checkpoint.
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(checkpoint, tmp)
    tmp.replace(path)


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """Restore model, optimizer and random state from `path`; return the number of epochs completed."""
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)  # plain data only: safe to load
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    torch.set_rng_state(checkpoint["rng"])
    return int(checkpoint["epoch"])


def resume_or_start(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """The epoch to start from: the checkpoint's if `path` exists (everything restored), else 0."""
    if Path(path).exists():
        return load_checkpoint(path, model, optimizer)
    return 0


def export_model(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """Save the whole model (graph and weights) as a torch.export program at `path`, batch dimension dynamic."""
    model.eval()
    # The whole module object, pickled: the file refers to the class by its import path instead of holding
    # the computation.
    torch.save(model, path)


def load_exported(path: str | Path) -> nn.Module:
    """Load a program saved by export_model and return a callable module (no model class needed)."""
    return torch.load(path, weights_only=False)
