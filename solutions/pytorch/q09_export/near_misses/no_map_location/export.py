"""Near miss: torch.jit.load without map_location="cpu", so a file saved on a GPU fails to load on a CPU."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import nn


def export_torchscript(
    model: nn.Module, example: torch.Tensor, path: str | Path, method: str = "script"
) -> None:
    """Save `model` as TorchScript at `path`, by scripting (method="script") or tracing (method="trace")."""
    model.eval()  # export what you serve: dropout off, batch norm frozen
    with warnings.catch_warnings():
        # torch.jit is deprecated in favour of torch.export, but still the way to get a file that C++
        # (libtorch) loads with torch::jit::load.
        warnings.simplefilter("ignore", DeprecationWarning)
        if method == "script":
            exported = torch.jit.script(model)  # compiles the Python code: keeps control flow
        elif method == "trace":
            exported = torch.jit.trace(model, example)  # records the ops run on `example`
        else:
            raise ValueError(f"method must be 'script' or 'trace', got {method!r}")
    exported.save(str(path))


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    """Load a TorchScript file (no Python class needed) onto the CPU."""
    return torch.jit.load(str(path))


def export_onnx(model: nn.Module, example: torch.Tensor, path: str | Path) -> None:
    """Export `model` to ONNX at `path`, with a dynamic batch dimension."""
    model.eval()
    # The torch.export-based exporter (dynamo=True, the default since torch 2.9). Without dynamic_shapes
    # the batch size of `example` would be frozen into the graph.
    batch = torch.export.Dim("batch")
    torch.onnx.export(
        model,
        (example,),
        str(path),
        input_names=["input"],
        output_names=["output"],
        dynamic_shapes=({0: batch},),
        dynamo=True,
        verbose=False,
    )


def run_onnx(path: str | Path, x: np.ndarray) -> np.ndarray:
    """Run the ONNX model at `path` on the float32 array `x` with onnxruntime; return its first output."""
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    return session.run(None, {input_name: np.asarray(x, dtype=np.float32)})[0]
