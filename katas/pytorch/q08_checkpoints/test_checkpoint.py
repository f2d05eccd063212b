"""Hidden-test style checks for pytorch/q08: checkpoint contents, an exact resume after a crash, torch.export."""

import copy
import os

import pytest
import torch
import torch.serialization
from torch import nn

EPOCHS, CRASH_AFTER = 4, 2
FLAG = "KATAS_Q08_PICKLE_RAN"


@pytest.fixture
def ckpt(kata):
    return kata.module("checkpoint")


def _model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 4))


def _data():
    gen = torch.Generator().manual_seed(42)
    return torch.randn(96, 10, generator=gen), torch.randint(0, 4, (96,), generator=gen)


def _epoch(model, optimizer, x, y):
    """One epoch that draws from the global generator: a shuffle and dropout masks."""
    model.train()
    order = torch.randperm(len(y))
    for start in range(0, len(y), 16):
        idx = order[start : start + 16]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        optimizer.step()


def _adam(model):
    return torch.optim.Adam(model.parameters(), lr=1e-2)


def test_file_contents(ckpt, tmp_path):
    model = _model(0)
    optimizer = _adam(model)
    _epoch(model, optimizer, *_data())
    path = tmp_path / "run.ckpt"
    ckpt.save_checkpoint(path, model, optimizer, 1)
    try:
        saved = torch.load(path, weights_only=True)
    except Exception as exc:
        pytest.fail(f"the checkpoint must load with torch.load(path, weights_only=True): {exc!r:.300}")
    assert isinstance(saved, dict) and set(saved) == {"model", "optimizer", "epoch", "rng"}, (
        f"the checkpoint should be a dict with keys model, optimizer, epoch, rng; got {type(saved).__name__} "
        f"{sorted(saved) if isinstance(saved, dict) else ''}"
    )
    assert saved["epoch"] == 1, f"epoch {saved['epoch']!r}, expected 1"
    assert saved["optimizer"]["state"], "the optimizer's state_dict (Adam's moments) is missing or empty"
    for key, tensor in model.state_dict().items():
        assert torch.equal(saved["model"][key], tensor), f"model weight {key} differs in the checkpoint"


def test_load_restores_and_returns_the_epoch(ckpt, tmp_path):
    model = _model(0)
    optimizer = _adam(model)
    _epoch(model, optimizer, *_data())
    path = tmp_path / "run.ckpt"
    ckpt.save_checkpoint(path, model, optimizer, 3)
    expected_draw = torch.rand(5)  # what the generator gives right after saving
    other = _model(1)
    other_opt = _adam(other)
    assert ckpt.load_checkpoint(path, other, other_opt) == 3, "load_checkpoint should return the stored epoch"
    for (key, a), b in zip(model.state_dict().items(), other.state_dict().values(), strict=True):
        assert torch.equal(a, b), f"model weight {key} was not restored"
    assert other_opt.state_dict()["state"], "the optimizer state was not restored"
    assert torch.equal(torch.rand(5), expected_draw), "the global random state was not restored"


def test_checkpoint_saved_on_a_gpu_loads_on_the_cpu(ckpt, tmp_path, monkeypatch):
    model = _model(0)
    optimizer = _adam(model)
    _epoch(model, optimizer, *_data())
    path = tmp_path / "gpu.ckpt"
    with monkeypatch.context() as patch:
        # torch.save records each tensor's device as a location tag: this file claims its tensors are on
        # cuda:0, exactly like one saved from a GPU. Loading it unmapped needs CUDA.
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        ckpt.save_checkpoint(path, model, optimizer, 2)
    other = _model(1)
    try:
        epoch = ckpt.load_checkpoint(path, other, _adam(other))
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        if torch.cuda.is_available():
            raise
        pytest.fail(
            f'a checkpoint saved on a GPU must load on a CPU-only machine: map_location="cpu" ({exc!r:.200})'
        )
    assert epoch == 2, f"load_checkpoint returned {epoch!r}, expected 2"
    for (key, a), b in zip(model.state_dict().items(), other.state_dict().values(), strict=True):
        assert torch.equal(a, b), f"model weight {key} was not restored from the GPU checkpoint"


class _Exploit:
    """Unpickling this object runs code: exactly what weights_only=True forbids."""

    def __reduce__(self):
        return (exec, (f"import os; os.environ[{FLAG!r}] = '1'",))


@pytest.mark.parametrize(
    "force_no_weights_only", ["", "1"], ids=["default", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"]
)
def test_malicious_checkpoint_is_refused(ckpt, tmp_path, monkeypatch, force_no_weights_only):
    monkeypatch.delenv(FLAG, raising=False)
    if force_no_weights_only:
        # As on PyTorch 2.5: torch.load's default is weights_only=False; only an explicit True protects.
        monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    model = _model(0)
    optimizer = _adam(model)
    path = tmp_path / "evil.ckpt"
    torch.save({"model": _Exploit(), "optimizer": {}, "epoch": 1, "rng": torch.get_rng_state()}, path)
    try:
        ckpt.load_checkpoint(path, model, optimizer)
    except NotImplementedError:
        raise
    except Exception:  # any refusal will do: torch raises pickle.UnpicklingError
        pass
    else:
        pytest.fail("load_checkpoint accepted a checkpoint holding a pickled object: it must raise")
    assert os.environ.get(FLAG) is None, "loading the checkpoint ran the code hidden in it: weights_only=True"


def test_resume_or_start_without_a_file(ckpt, tmp_path):
    model = _model(0)
    before = [p.detach().clone() for p in model.parameters()]
    assert ckpt.resume_or_start(tmp_path / "none.ckpt", model, _adam(model)) == 0, "no checkpoint: start at 0"
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True)), (
        "no file: no change"
    )


def test_interrupted_run_equals_uninterrupted(ckpt, tmp_path):
    x, y = _data()
    # Straight through.
    straight = _model(0)
    straight_opt = _adam(straight)
    torch.manual_seed(7)
    for _ in range(EPOCHS):
        _epoch(straight, straight_opt, x, y)

    # With a crash after CRASH_AFTER epochs.
    path = tmp_path / "run.ckpt"
    model = _model(0)
    optimizer = _adam(model)
    torch.manual_seed(7)
    start = ckpt.resume_or_start(path, model, optimizer)
    assert start == 0
    for epoch in range(start, CRASH_AFTER):
        _epoch(model, optimizer, x, y)
        ckpt.save_checkpoint(path, model, optimizer, epoch + 1)

    torch.manual_seed(12345)  # the new process: other weights, a fresh optimizer, another random state
    model = _model(99)
    optimizer = _adam(model)
    start = ckpt.resume_or_start(path, model, optimizer)
    assert start == CRASH_AFTER, f"resume_or_start returned {start}, expected {CRASH_AFTER} completed epochs"
    for epoch in range(start, EPOCHS):
        _epoch(model, optimizer, x, y)
        ckpt.save_checkpoint(path, model, optimizer, epoch + 1)

    for (key, a), b in zip(straight.state_dict().items(), model.state_dict().values(), strict=True):
        assert torch.equal(a, b), (
            f"after resuming, {key} differs from the uninterrupted run by {(a - b).abs().max():.3g}: "
            "restore the model, the optimizer and the random state"
        )
    for index, (s, r) in enumerate(
        zip(
            straight_opt.state_dict()["state"].values(), optimizer.state_dict()["state"].values(), strict=True
        )
    ):
        assert torch.equal(s["exp_avg"], r["exp_avg"]), f"Adam's state for parameter {index} differs"


# -- the whole model: torch.export ------------------------------------------------------------------------------

FRESH_BATCHES = (5, 17, 1)  # none of them the example's 4 rows


class _Served(nn.Module):
    """A model whose train and eval modes differ: batch norm with moved statistics, and dropout."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 4)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def _served() -> nn.Module:
    """A _Served left in train mode, its batch-norm running statistics away from their defaults."""
    torch.manual_seed(3)
    model = _Served()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(32, 10) * 2 + 1)
    return model.train()


def _fresh_batches():
    gen = torch.Generator().manual_seed(21)
    return [torch.randn(n, 10, generator=gen) * 2 + 1 for n in FRESH_BATCHES]


def _eager_eval(model, batches):
    """What the exported model must compute: the eager model in eval mode (on a copy: the model is untouched)."""
    reference = copy.deepcopy(model).eval()
    with torch.no_grad():
        return [reference(x) for x in batches]


class _ClassCodeCalled(Exception):
    """Raised by the model class's replaced forward: the reloaded model ran the class's current code."""


def _check_served(served, batches, expected, what: str):
    for x, want in zip(batches, expected, strict=True):
        try:
            with torch.no_grad():
                got = served(x)
        except NotImplementedError:
            raise
        except _ClassCodeCalled as exc:
            pytest.fail(str(exc))
        except Exception as exc:
            pytest.fail(
                f"{what} failed on a batch of {len(x)} rows (is the batch dimension dynamic?): {exc!s:.300}"
            )
        assert isinstance(got, torch.Tensor) and got.shape == want.shape, (
            f"{what} on a batch of {len(x)} rows gave {getattr(got, 'shape', got)!r}, expected {tuple(want.shape)}"
        )
        assert torch.allclose(got, want, atol=1e-5), (
            f"{what} on a batch of {len(x)} rows differs from the eager model in eval mode by "
            f"{(got - want).abs().max():.3g}: export in eval mode"
        )


def test_export_writes_an_exported_program(ckpt, tmp_path):
    model = _served()
    weights = {key: value.clone() for key, value in model.state_dict().items()}
    path = tmp_path / "model.pt2"
    ckpt.export_model(model, torch.randn(4, 10), path)
    assert path.is_file(), f"export_model wrote no file at {path}"
    try:
        program = torch.export.load(path)
    except Exception as exc:
        pytest.fail(
            "the file must load with torch.export.load(path): save torch.export.export(...)'s program with "
            f"torch.export.save, not a pickled module: {exc!r:.300}"
        )
    assert isinstance(program, torch.export.ExportedProgram), (
        f"torch.export.load gave {type(program).__name__}, expected an ExportedProgram"
    )
    for key in ("body.0.weight", "body.1.running_mean", "body.1.running_var", "body.4.bias"):
        assert key in program.state_dict and torch.equal(program.state_dict[key], weights[key]), (
            f"the exported program should hold the model's {key} as it was"
        )


def test_exported_model_matches_eager_on_other_batch_sizes(ckpt, tmp_path):
    model = _served()
    batches = _fresh_batches()
    expected = _eager_eval(model, batches)
    path = tmp_path / "model.pt2"
    ckpt.export_model(model, torch.randn(4, 10), path)
    served = ckpt.load_exported(path)
    assert isinstance(served, nn.Module), (
        f"load_exported should return a callable module (program.module()), got {type(served).__name__}"
    )
    _check_served(served, batches, expected, "the reloaded model")


def test_reloading_needs_no_class_code(ckpt, tmp_path, monkeypatch):
    model = _served()
    batches = _fresh_batches()
    expected = _eager_eval(model, batches)
    path = tmp_path / "model.pt2"
    ckpt.export_model(model, torch.randn(4, 10), path)

    def gone(self, x):
        raise _ClassCodeCalled(
            "loading the exported file called the model class's forward: the file must hold the computation "
            "itself (torch.export), not a reference to the class"
        )

    monkeypatch.setattr(_Served, "forward", gone)  # as if the class's code had changed or disappeared
    _check_served(ckpt.load_exported(path), batches, expected, "the model reloaded without its class's code")
