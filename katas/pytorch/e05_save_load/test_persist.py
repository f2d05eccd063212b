"""Hidden-test style checks for pytorch/e05: state_dict files, eval mode, and refusing malicious pickles."""

import os
import pickle

import pytest
import torch
import torch.serialization
from torch import nn

FLAG = "KATAS_E05_PICKLE_RAN"


@pytest.fixture
def persist(kata):
    return kata.module("persist")


def _model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(12, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))


def _trained(seed: int = 0) -> nn.Module:
    """A model whose BatchNorm running statistics have moved away from their defaults."""
    model = _model(seed)
    model.train()
    with torch.no_grad():
        for _ in range(5):
            model(torch.randn(64, 12) * 3 + 1)
    return model


def test_file_holds_a_plain_state_dict(persist, tmp_path):
    model = _trained()
    path = tmp_path / "weights.pt"
    persist.save_weights(model, path)
    try:
        state = torch.load(path, weights_only=True)
    except Exception as exc:
        pytest.fail(f"the file must load with torch.load(path, weights_only=True): {exc!r:.300}")
    assert isinstance(state, dict), (
        f"the file should hold the state_dict (a dict), got {type(state).__name__}"
    )
    expected = model.state_dict()
    assert list(state) == list(expected), f"keys {list(state)}, expected {list(expected)}"
    for key, tensor in expected.items():
        assert torch.equal(state[key], tensor), f"{key} differs from the model's state_dict"


def test_round_trip_gives_the_same_outputs_in_eval_mode(persist, tmp_path):
    model = _trained(0)
    path = tmp_path / "weights.pt"
    persist.save_weights(model, path)
    fresh = _model(1)  # different initial weights and default BatchNorm statistics
    returned = persist.load_weights(fresh, path)
    assert returned is fresh, "load_weights should load into the model it is given and return that model"
    assert not fresh.training, "load_weights must return the model in eval mode (model.eval())"
    still_training = [name or "(the model)" for name, m in fresh.named_modules() if m.training]
    assert not still_training, (
        f"sub-modules {still_training} are still in train mode: model.eval() switches every sub-module, "
        "model.training = False only the top one"
    )
    x = torch.randn(20, 12, generator=torch.Generator().manual_seed(3))
    model.eval()
    with torch.no_grad():
        expected = model(x)
        first, second = fresh(x), fresh(x)
    assert torch.equal(first, second), "two predictions on the same input differ: dropout is still on"
    assert torch.allclose(first, expected, atol=1e-6), (
        "the reloaded model predicts differently from the saved one"
    )


def test_file_saved_on_a_gpu_loads_on_the_cpu(persist, tmp_path, monkeypatch):
    model = _trained(0)
    path = tmp_path / "gpu_weights.pt"
    with monkeypatch.context() as patch:
        # torch.save records each tensor's device as a location tag: this file claims its tensors are on
        # cuda:0, exactly like one saved from a GPU. Loading it unmapped needs CUDA.
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        persist.save_weights(model, path)
    fresh = _model(1)
    try:
        persist.load_weights(fresh, path)
    except NotImplementedError:
        raise
    except RuntimeError as exc:
        if torch.cuda.is_available():
            raise
        pytest.fail(
            f'a file saved on a GPU must load on a CPU-only machine: map_location="cpu" ({exc!r:.200})'
        )
    assert all(p.device.type == "cpu" for p in fresh.parameters()), "the loaded model should stay on the CPU"
    x = torch.randn(8, 12, generator=torch.Generator().manual_seed(4))
    model.eval()
    with torch.no_grad():
        assert torch.allclose(fresh(x), model(x), atol=1e-6), (
            "the model loaded from the GPU file predicts differently"
        )


def test_wrong_architecture_is_an_error(persist, tmp_path):
    path = tmp_path / "weights.pt"
    persist.save_weights(_trained(), path)
    other = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 3))
    try:
        persist.load_weights(other, path)
    except RuntimeError:
        return
    pytest.fail(
        "weights of another architecture (missing and unexpected keys) loaded without a RuntimeError: "
        "load_state_dict must be strict"
    )


class _Exploit:
    """Unpickling this object runs code: exactly what weights_only=True forbids."""

    def __reduce__(self):
        return (exec, (f"import os; os.environ[{FLAG!r}] = '1'",))


@pytest.mark.parametrize(
    "force_no_weights_only", ["", "1"], ids=["default", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"]
)
def test_malicious_file_is_refused(persist, tmp_path, monkeypatch, force_no_weights_only):
    monkeypatch.delenv(FLAG, raising=False)
    if force_no_weights_only:
        # As on PyTorch 2.5: torch.load's default is weights_only=False; only an explicit True protects.
        monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    path = tmp_path / "evil.pt"
    with open(path, "wb") as handle:
        pickle.dump({"fc.weight": _Exploit()}, handle)
    torch.save({"fc.weight": _Exploit()}, tmp_path / "evil_zip.pt")
    for file in (path, tmp_path / "evil_zip.pt"):
        try:
            persist.load_weights(nn.Sequential(), file)
        except NotImplementedError:
            raise
        except Exception:  # any refusal will do: torch raises pickle.UnpicklingError
            pass
        else:
            pytest.fail(f"load_weights accepted {file.name}, a pickle that is not weights: it must raise")
        assert os.environ.get(FLAG) is None, (
            f"loading {file.name} ran the code hidden in the pickle: load with weights_only=True"
        )
