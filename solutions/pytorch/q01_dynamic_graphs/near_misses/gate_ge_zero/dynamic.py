"""Near miss: routes a sum of exactly 0 through `pos` (>= instead of >)."""

from __future__ import annotations

import warnings

import torch
from torch import nn


class RepeatNet(nn.Module):
    """Applies the same cell `steps` times: h <- tanh(cell(h)). The loop length is chosen per call."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.cell = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, steps: int) -> torch.Tensor:
        h = x
        # An ordinary Python loop: autograd records whatever actually ran, so a 6-step call has a 6-step
        # graph and backward flows through all of it. No graph is fixed in advance.
        for _ in range(steps):
            h = torch.tanh(self.cell(h))
        return h


class Gate(nn.Module):
    """Routes the input through `pos` when its sum is positive, through `neg` otherwise."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.pos = nn.Linear(dim, dim)
        self.neg = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() >= 0:  # a branch on the *data*: fine in eager mode and for torch.jit.script
            return self.pos(x)
        return self.neg(x)


class CondGate(Gate):
    """The same gate written with torch.cond, so torch.export can keep both branches in one graph."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # torch.cond(predicate, true_fn, false_fn, operands): both branches are captured, the choice is made
        # at run time. Both must return tensors of the same shape and dtype.
        return torch.cond(x.sum() > 0, self.pos, self.neg, (x,))


def trace(model: nn.Module, example: torch.Tensor) -> torch.jit.ScriptModule:
    """torch.jit.trace: records the operations run on `example` (branches taken are frozen)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the DeprecationWarning, and the TracerWarning about the branch
        return torch.jit.trace(model, example)


def script(model: nn.Module) -> torch.jit.ScriptModule:
    """torch.jit.script: compiles the Python source, control flow included."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.jit.script(model)


def export(model: nn.Module, example: torch.Tensor) -> torch.export.ExportedProgram:
    """torch.export.export: today's whole-graph capture; data-dependent branches must use torch.cond."""
    return torch.export.export(model, (example,))
