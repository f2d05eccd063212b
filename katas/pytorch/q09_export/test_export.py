"""Hidden-test style checks for pytorch/q09: TorchScript and ONNX exports reloaded and compared with eager."""

import warnings
import zipfile

import numpy as np
import onnx
import pytest
import torch
from torch import nn

BATCHES = (1, 5, 17)


@pytest.fixture
def export(kata):
    return kata.module("export")


def _model() -> nn.Module:
    """A model whose train and eval modes differ, left in train mode with non-trivial batch-norm statistics."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(32, 6) * 2 + 1)
    return model.train()


def _expected(model, x):
    model.eval()
    with torch.no_grad():
        return model(x)


def _inputs():
    gen = torch.Generator().manual_seed(3)
    return [torch.randn(n, 6, generator=gen) for n in BATCHES]


@pytest.mark.parametrize("method", ["script", "trace"])
def test_torchscript_round_trip(export, tmp_path, method):
    model = _model()
    path = tmp_path / f"model_{method}.pt"
    export.export_torchscript(model, torch.randn(4, 6), path, method=method)
    assert path.is_file(), f"export_torchscript(method={method!r}) wrote no file at {path}"
    loaded = export.load_torchscript(path)
    assert isinstance(loaded, torch.jit.ScriptModule), f"load_torchscript returned {type(loaded).__name__}"
    for x in _inputs():
        with torch.no_grad():
            got = loaded(x)
        expected = _expected(model, x)
        assert torch.allclose(got, expected, atol=1e-5), (
            f"TorchScript ({method}) on a batch of {len(x)} differs from the eager model in eval mode by "
            f"{(got - expected).abs().max():.3g}: export in eval mode"
        )


class _Branchy(nn.Module):
    """Routes the batch through `pos` when its sum is positive, through `neg` otherwise (a branch on the data)."""

    def __init__(self) -> None:
        super().__init__()
        self.pos = nn.Linear(6, 3)
        self.neg = nn.Linear(6, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() > 0:
            return self.pos(x)
        return self.neg(x)


@pytest.mark.parametrize("method", ["trace", "script"])
def test_trace_freezes_the_branch_script_keeps_it(export, tmp_path, method):
    torch.manual_seed(1)
    model = _Branchy()
    positive, negative = torch.ones(4, 6), -torch.ones(5, 6)
    path = tmp_path / f"branchy_{method}.pt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TracerWarning about converting a tensor to a Python bool
        export.export_torchscript(model, positive, path, method=method)
    loaded = export.load_torchscript(path)
    with torch.no_grad():
        got = loaded(negative)
        expected = model.pos(negative) if method == "trace" else model.neg(negative)
    assert torch.allclose(got, expected, atol=1e-6), (
        "a model traced on a positive example replays its `pos` branch for every input"
        if method == "trace"
        else "a scripted model keeps its `if` and follows the data: a negative input goes through `neg`"
    ) + f" (method={method!r}: torch.jit.trace for 'trace', torch.jit.script for 'script')"


def _as_if_saved_on_a_gpu(src, dst) -> None:
    """Rewrite a TorchScript archive so its tensors claim to live on cuda:0, like a file saved from a GPU."""
    cpu, cuda = b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0"  # the pickled location strings
    with zipfile.ZipFile(src) as archive, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith("/data.pkl"):
                assert cpu in data, "test set-up: no tensor location found in the archive"
                data = data.replace(cpu, cuda)
            out.writestr(info.filename, data)


def test_torchscript_saved_on_a_gpu_loads_on_the_cpu(export, tmp_path):
    model = _model().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.jit.script(model).save(str(tmp_path / "cpu.pt"))
    path = tmp_path / "gpu.pt"
    _as_if_saved_on_a_gpu(tmp_path / "cpu.pt", path)
    try:
        loaded = export.load_torchscript(path)
    except NotImplementedError as exc:
        if "export.py" in str(exc):
            raise
        pytest.fail(
            f'a TorchScript file saved on a GPU must load on the CPU: map_location="cpu" ({exc!s:.150})'
        )
    except RuntimeError as exc:
        pytest.fail(
            f'a TorchScript file saved on a GPU must load on the CPU: map_location="cpu" ({exc!s:.150})'
        )
    devices = {p.device.type for p in loaded.parameters()}
    assert devices == {"cpu"}, f"load_torchscript left parameters on {devices}: load onto the CPU"
    x = _inputs()[1]
    with torch.no_grad():
        assert torch.allclose(loaded(x), _expected(model, x), atol=1e-5), (
            "the loaded model predicts differently"
        )


def test_unknown_method(export, tmp_path):
    with pytest.raises(ValueError):
        export.export_torchscript(_model(), torch.randn(4, 6), tmp_path / "m.pt", method="compile")


class _Affine(nn.Module):
    """Its forward argument is called `features`: the ONNX input is still named "input"."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(1)
        self.linear = nn.Linear(6, 2)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.linear(features)


def test_onnx_names_whatever_the_argument_is_called(export, tmp_path):
    path = tmp_path / "affine.onnx"
    model = _Affine()
    export.export_onnx(model, torch.randn(4, 6), path)
    proto = onnx.load(str(path))
    assert [i.name for i in proto.graph.input] == ["input"], (
        f'graph inputs {[i.name for i in proto.graph.input]}: name the input "input" (input_names)'
    )
    assert [o.name for o in proto.graph.output] == ["output"], (
        f'graph outputs {[o.name for o in proto.graph.output]}: name the output "output" (output_names)'
    )


def test_onnx_round_trip(export, tmp_path):
    model = _model()
    path = tmp_path / "model.onnx"
    export.export_onnx(model, torch.randn(4, 6), path)
    assert path.is_file(), f"export_onnx wrote no file at {path}"
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto)
    assert [i.name for i in proto.graph.input] == ["input"], (
        f"graph inputs {[i.name for i in proto.graph.input]}"
    )
    assert [o.name for o in proto.graph.output] == ["output"], (
        f"graph outputs {[o.name for o in proto.graph.output]}"
    )
    for x in _inputs():
        try:
            got = export.run_onnx(path, x.numpy())
        except NotImplementedError:
            raise
        except Exception as exc:
            pytest.fail(
                f"onnxruntime failed on a batch of {len(x)} (is the batch dimension dynamic?): {exc!s:.300}"
            )
        assert isinstance(got, np.ndarray), f"run_onnx must return a NumPy array, got {type(got).__name__}"
        expected = _expected(model, x).numpy()
        assert got.shape == expected.shape, f"ONNX output shape {got.shape}, expected {expected.shape}"
        assert np.allclose(got, expected, atol=1e-5), (
            f"ONNX output on a batch of {len(x)} differs from eager by {np.abs(got - expected).max():.3g}"
        )
