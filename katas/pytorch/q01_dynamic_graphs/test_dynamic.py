"""Hidden-test style checks for pytorch/q01: gradients through loops, and branches under trace/script/export."""

import pytest
import torch
import torch.nn.functional as F

POS, NEG = torch.ones(2, 4), -torch.ones(2, 4)


@pytest.fixture
def dyn(kata):
    return kata.module("dynamic")


def _unrolled(weight, bias, x, steps):
    h = x
    for _ in range(steps):
        h = torch.tanh(F.linear(h, weight, bias))
    return h


@pytest.mark.parametrize("steps", [0, 1, 3, 7])
def test_gradients_through_a_variable_length_loop(dyn, steps):
    torch.manual_seed(steps)
    net = dyn.RepeatNet(5)
    x = torch.randn(3, 5, generator=torch.Generator().manual_seed(10 + steps), requires_grad=True)
    out = net(x, steps)
    assert out.shape == x.shape, f"RepeatNet output shape {tuple(out.shape)}, expected {tuple(x.shape)}"
    weight = net.cell.weight.detach().clone().requires_grad_()
    bias = net.cell.bias.detach().clone().requires_grad_()
    x_ref = x.detach().clone().requires_grad_()
    expected = _unrolled(weight, bias, x_ref, steps)
    assert torch.allclose(out, expected, atol=1e-6), (
        f"forward with steps={steps} differs from tanh(cell(.)) x{steps}"
    )
    upstream = torch.randn(out.shape, generator=torch.Generator().manual_seed(99))
    (out * upstream).sum().backward()
    (expected * upstream).sum().backward()
    assert torch.allclose(x.grad, x_ref.grad, atol=1e-6), f"the input gradient is wrong after {steps} steps"
    if steps:
        assert torch.allclose(net.cell.weight.grad, weight.grad, atol=1e-6), (
            f"the weight gradient after {steps} steps must sum the contributions of every step"
        )


def test_gate_in_eager_mode(dyn):
    gate = dyn.Gate(4)
    assert torch.equal(gate(POS), gate.pos(POS)), "a positive sum must go through `pos`"
    assert torch.equal(gate(NEG), gate.neg(NEG)), "a non-positive sum must go through `neg`"
    cond = dyn.CondGate(4)
    assert torch.allclose(cond(POS), cond.pos(POS)) and torch.allclose(cond(NEG), cond.neg(NEG)), (
        "CondGate must behave like Gate in eager mode"
    )


ZERO_SUM = torch.tensor([[1.0, -1.0, 2.5, -2.5], [0.5, -0.25, -0.25, 0.0]])  # sums to exactly 0


@pytest.mark.parametrize("name", ["Gate", "CondGate"])
def test_a_zero_sum_is_not_positive(dyn, name):
    gate = getattr(dyn, name)(4)
    assert ZERO_SUM.sum() == 0
    with torch.no_grad():
        got, want = gate(ZERO_SUM), gate.neg(ZERO_SUM)
    assert torch.allclose(got, want), (
        f"{name}: an input whose sum is exactly 0 is not positive: it goes through `neg`"
    )


def test_tracing_freezes_the_branch(dyn):
    gate = dyn.Gate(4)
    traced = dyn.trace(gate, POS)
    assert isinstance(traced, torch.jit.ScriptModule), (
        f"trace should return torch.jit.trace's result, got {type(traced)}"
    )
    with torch.no_grad():
        assert torch.allclose(traced(NEG), gate.pos(NEG)), (
            "a trace recorded on a positive example replays the `pos` branch even for a negative input"
        )


def test_scripting_keeps_the_branch(dyn):
    gate = dyn.Gate(4)
    scripted = dyn.script(gate)
    assert isinstance(scripted, torch.jit.ScriptModule), (
        f"script should return a ScriptModule, got {type(scripted)}"
    )
    with torch.no_grad():
        for x in (POS, NEG, POS * 0):
            assert torch.allclose(scripted(x), gate(x)), (
                f"the scripted gate differs from eager on sum {x.sum():g}"
            )


def test_export_with_cond_keeps_both_branches(dyn):
    gate = dyn.CondGate(4)
    try:
        program = dyn.export(gate, POS)
    except NotImplementedError:
        raise
    except Exception as exc:
        pytest.fail(
            "torch.export could not capture CondGate: a Python `if` on tensor data does not export, write the "
            f"branch with torch.cond(pred, true_fn, false_fn, operands): {type(exc).__name__}: {exc!s:.200}"
        )
    assert isinstance(program, torch.export.ExportedProgram), (
        f"export should return an ExportedProgram, got {type(program)}"
    )
    module = program.module()
    with torch.no_grad():
        for x in (POS, NEG, 3 * POS, -2 * POS):
            assert torch.allclose(module(x), gate(x)), (
                f"the exported gate differs from eager on sum {x.sum():g}"
            )
