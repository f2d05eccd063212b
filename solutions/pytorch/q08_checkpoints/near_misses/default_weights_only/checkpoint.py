"""Near miss: relies on torch.load's default instead of weights_only=True; where the default is False
(PyTorch 2.5, TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1) a malicious checkpoint runs its code."""

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
    checkpoint = torch.load(path, map_location="cpu")  # plain data only: safe to load
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
    # The program records the operations as they run now: dropout and batch norm are frozen in the mode of
    # the export, and the loaded module cannot be switched afterwards. Serve eval-mode behaviour.
    model.eval()
    # Without dynamic_shapes every dimension is fixed to the example's size; Dim("batch") keeps dim 0 free
    # (the example needs at least 2 rows: a size of 1 would be specialised).
    program = torch.export.export(model, (example,), dynamic_shapes=({0: torch.export.Dim("batch")},))
    # One file with the graph (ATen operators, no Python code) and the weights: loadable without the class.
    torch.export.save(program, path)


def load_exported(path: str | Path) -> nn.Module:
    """Load a program saved by export_model and return a callable module (no model class needed)."""
    # An ExportedProgram is not callable itself; .module() wraps its graph in a torch.fx.GraphModule.
    return torch.export.load(path).module()
