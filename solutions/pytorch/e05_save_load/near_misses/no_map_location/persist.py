"""Near miss: torch.load without map_location="cpu", so a file saved on a GPU fails to load on a CPU-only machine."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def save_weights(model: nn.Module, path: str | Path) -> None:
    """Write the model's state_dict (parameters and buffers such as BatchNorm statistics) to `path`."""
    # The state_dict is a plain dict of tensors: no pickled classes, loadable with weights_only=True,
    # and independent of where the model's class lives in your code.
    torch.save(model.state_dict(), path)


def load_weights(model: nn.Module, path: str | Path) -> nn.Module:
    """Load the weights saved at `path` into `model` (safely) and return it in eval mode."""
    # weights_only=True (the default since torch 2.6, spelled out here) refuses to unpickle arbitrary
    # objects, so a malicious file cannot run code. map_location lets a GPU-saved file load on a CPU.
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state)  # strict=True: a missing or unexpected key is an error
    model.eval()  # dropout off, BatchNorm uses its saved running statistics
    return model
