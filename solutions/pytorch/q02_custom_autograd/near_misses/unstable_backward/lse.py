"""Near miss: computes the softmax in backward as exp(x) / sum(exp(x)), which is inf / inf = nan for large x."""

from __future__ import annotations

import torch


class LogSumExp(torch.autograd.Function):
    """y = log(sum(exp(x), dim=-1)), with a hand-written backward: dy/dx = softmax(x)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        # Subtract the row maximum first: exp(1000) overflows, exp(1000 - 1000) does not.
        m = x.amax(dim=-1, keepdim=True)
        y = m.squeeze(-1) + torch.log(torch.exp(x - m).sum(dim=-1))
        ctx.save_for_backward(x, y)  # what backward needs; save tensors this way, not as ctx attributes
        return y

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        x, y = ctx.saved_tensors
        softmax = torch.exp(x) / torch.exp(x).sum(dim=-1, keepdim=True)  # the textbook softmax
        # Chain rule: the upstream gradient (one number per row) scales that row's local gradient.
        return grad_output.unsqueeze(-1) * softmax


def logsumexp(x: torch.Tensor) -> torch.Tensor:
    """log-sum-exp over the last dimension, differentiable through LogSumExp.backward."""
    return LogSumExp.apply(x)
