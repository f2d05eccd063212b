"""Kata pytorch/q09: export a model to TorchScript and ONNX, and run the exports. Edit this file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

FILE = "katas/pytorch/q09_export/export.py"


def export_torchscript(
    model: nn.Module, example: torch.Tensor, path: str | Path, method: str = "script"
) -> None:
    """Save `model` as TorchScript at `path`, by scripting (method="script") or tracing (method="trace")."""
    raise NotImplementedError(f"export_torchscript: write it in {FILE}")


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    """Load a TorchScript file (no Python class needed) onto the CPU."""
    raise NotImplementedError(f"load_torchscript: write it in {FILE}")


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """Export `model` to ONNX at `path`, with a dynamic batch dimension."""
    raise NotImplementedError(f"export_onnx: write it in {FILE}")


def run_onnx(path: str | Path, x: np.ndarray) -> np.ndarray:
    """Run the ONNX model at `path` on the float32 array `x` with onnxruntime; return its first output."""
    raise NotImplementedError(f"run_onnx: write it in {FILE}")
