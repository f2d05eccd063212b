"""Near miss: compares `prefer` with the string 'cuda', so 'cuda:1' slips through on a machine without CUDA."""

from __future__ import annotations

from typing import Any

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    """The best available device (cuda, then mps, then cpu), or `prefer` if given and available."""
    if prefer is not None:
        device = torch.device(prefer)
        if prefer == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(f"device {prefer!r} was asked for but CUDA is not available")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise RuntimeError(f"device {prefer!r} was asked for but MPS is not available")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():  # Apple silicon
        return torch.device("mps")
    return torch.device("cpu")


def to_device(obj: Any, device: torch.device | str) -> Any:
    """A copy of `obj` with every tensor moved to `device`; containers keep their type, the rest is unchanged."""
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return type(obj)((key, to_device(value, device)) for key, value in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a namedtuple: its constructor takes fields
        return type(obj)(*(to_device(value, device) for value in obj))
    if isinstance(obj, list | tuple):
        return type(obj)(to_device(value, device) for value in obj)
    return obj  # strings, numbers, None...: nothing to move
