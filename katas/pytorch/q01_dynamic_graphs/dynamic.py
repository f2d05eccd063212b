"""Kata pytorch/q01: data-dependent control flow in eager mode, tracing, scripting and export. Edit this file."""

from __future__ import annotations

import torch
from torch import nn

FILE = "katas/pytorch/q01_dynamic_graphs/dynamic.py"


class RepeatNet(nn.Module):
    """Applies the same cell `steps` times: h <- tanh(cell(h)). The loop length is chosen per call."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        raise NotImplementedError(f"RepeatNet.__init__: write it in {FILE}")

    def forward(self, x: torch.Tensor, steps: int) -> torch.Tensor:
        raise NotImplementedError(f"RepeatNet.forward: write it in {FILE}")


class Gate(nn.Module):
    """Routes the input through `pos` when its sum is positive, through `neg` otherwise."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        raise NotImplementedError(f"Gate.__init__: write it in {FILE}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError(f"Gate.forward: write it in {FILE}")


class CondGate(Gate):
    """The same gate written with torch.cond, so torch.export can keep both branches in one graph."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError(f"CondGate.forward: write it in {FILE}")


def trace(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """torch.jit.trace: records the operations run on `example` (branches taken are frozen)."""
    raise NotImplementedError(f"trace: write it in {FILE}")


def script(model: nn.Module) -> torch.jit.ScriptModule:
    """torch.jit.script: compiles the Python source, control flow included."""
    raise NotImplementedError(f"script: write it in {FILE}")


def export(model: nn.Module, example: torch.Tensor) -> torch.export.ExportedProgram:
    """torch.export.export: today's whole-graph capture; data-dependent branches must use torch.cond."""
    raise NotImplementedError(f"export: write it in {FILE}")
