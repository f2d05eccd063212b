"""Near miss: shifts by the maximum of the whole tensor, so a row far below it underflows to log(0) = -inf."""

from __future__ import annotations

import torch


class LogSumExp(torch.autograd.Function):
    """y = log(sum(exp(x), dim=-1)), with a hand-written backward: dy/dx = softmax(x)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        # Subtract the row maximum first: exp(1000) overflows, exp(1000 - 1000) does not.
        m = x.max()
        y = m + torch.log(torch.exp(x - m).sum(dim=-1))
        ctx.save_for_backward(x, y)  # what backward needs; save tensors this way, not as ctx attributes
        return y

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        x, y = ctx.saved_tensors
        softmax = torch.exp(x - y.unsqueeze(-1))  # exp(x - lse(x)) is softmax(x), computed stably
        # Chain rule: the upstream gradient (one number per row) scales that row's local gradient.
        return grad_output.unsqueeze(-1) * softmax


def logsumexp(x: torch.Tensor) -> torch.Tensor:
    """log-sum-exp over the last dimension, differentiable through LogSumExp.backward."""
    return LogSumExp.apply(x)
