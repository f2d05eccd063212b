"""Hidden-test style checks for pytorch/q05: device choice (CUDA patched in), nested moves, the real CUDA path."""

from collections import namedtuple

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from graders.kit.strategies import kata_settings

Batch = namedtuple("Batch", ["features", "labels", "ids"])
Pair = namedtuple("Pair", ["left", "right"])


@pytest.fixture
def devices(kata):
    return kata.module("devices")


@pytest.fixture
def fake_hardware(monkeypatch):
    def set_hardware(cuda: bool, mps: bool):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)

    return set_hardware


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(True, True, "cuda"), (True, False, "cuda"), (False, True, "mps"), (False, False, "cpu")],
)
def test_pick_device_best_available(devices, fake_hardware, cuda, mps, expected):
    fake_hardware(cuda, mps)
    got = devices.pick_device()
    assert isinstance(got, torch.device), f"pick_device must return a torch.device, got {type(got).__name__}"
    assert got == torch.device(expected), f"with cuda={cuda}, mps={mps}: got {got}, expected {expected}"


def test_pick_device_prefer(devices, fake_hardware):
    fake_hardware(True, False)
    assert devices.pick_device("cpu") == torch.device("cpu"), "prefer='cpu' must give cpu even with a GPU"
    assert devices.pick_device("cuda:1") == torch.device("cuda:1"), "prefer='cuda:1' must give cuda:1"
    with pytest.raises(RuntimeError):
        devices.pick_device("mps")
    fake_hardware(False, False)
    with pytest.raises(RuntimeError):
        devices.pick_device("cuda")


def test_pick_device_prefer_without_cuda(devices, fake_hardware):
    fake_hardware(False, True)
    assert devices.pick_device("mps") == torch.device("mps"), "prefer='mps' with MPS available must give mps"
    assert devices.pick_device("cpu") == torch.device("cpu"), "prefer='cpu' must give cpu"
    for name in ("cuda", "cuda:0", "cuda:1"):
        try:
            got = devices.pick_device(name)
        except RuntimeError:
            continue
        pytest.fail(f"pick_device({name!r}) without CUDA returned {got}: it must raise RuntimeError")


def _batch():
    gen = torch.Generator().manual_seed(0)
    return {
        "x": torch.randn(4, 3, generator=gen),
        "mask": torch.tensor([True, False, True, True]),
        "pairs": [(torch.arange(3), "a"), (torch.zeros(2, dtype=torch.float64), None)],
        "batch": Batch(torch.ones(4, 2), torch.tensor([0, 1, 1, 0]), ["u", "v", "w", "z"]),
        "n": 4,
        "name": "train",
    }


def _check_moved(got, original, device: torch.device, where: str = "batch"):
    if isinstance(original, torch.Tensor):
        assert isinstance(got, torch.Tensor), f"{where}: expected a tensor, got {type(got).__name__}"
        assert got.device.type == device.type, f"{where}: on {got.device}, expected {device}"
        assert got.dtype == original.dtype and got.shape == original.shape, f"{where}: dtype or shape changed"
        if device.type != "meta":
            assert torch.equal(got.cpu(), original.cpu()), f"{where}: values changed"
        return
    assert type(got) is type(original), f"{where}: a {type(original).__name__} became a {type(got).__name__}"
    if isinstance(original, dict):
        assert list(got) == list(original), f"{where}: keys {list(got)}, expected {list(original)}"
        for key in original:
            _check_moved(got[key], original[key], device, f"{where}[{key!r}]")
    elif isinstance(original, list | tuple):
        assert len(got) == len(original), f"{where}: length {len(got)}, expected {len(original)}"
        for index, (g, o) in enumerate(zip(got, original, strict=True)):
            _check_moved(g, o, device, f"{where}[{index}]")
    else:
        assert got is original, f"{where}: a non-tensor value should be returned unchanged"


def test_to_device_single_tensor(devices):
    got = devices.to_device(torch.ones(3), "meta")
    assert isinstance(got, torch.Tensor) and got.device.type == "meta", (
        f"to_device(tensor, 'meta') gave {got!r}"
    )


def test_to_device_keeps_the_structure(devices):
    batch = _batch()
    moved = devices.to_device(batch, torch.device("meta"))
    _check_moved(moved, batch, torch.device("meta"))
    assert moved["batch"].features.device.type == "meta", "namedtuple fields must stay reachable by name"
    assert batch["x"].device.type == "cpu", "the original batch must not change"


def test_to_device_leaves_non_tensors(devices):
    for value in ["text", 3, 2.5, None, True]:
        assert devices.to_device(value, "meta") is value, f"to_device({value!r}) should return it unchanged"
    assert devices.to_device([], "meta") == [] and devices.to_device({}, "meta") == {}


_TENSORS = st.builds(
    lambda shape, dtype: torch.ones(shape, dtype=dtype),
    st.lists(st.integers(0, 3), max_size=3),
    st.sampled_from([torch.float32, torch.float64, torch.int64, torch.bool]),
)
_LEAVES = st.one_of(_TENSORS, st.text(max_size=3), st.integers(), st.floats(allow_nan=False), st.none())
# Nested batches of any shape: lists, tuples, dicts and namedtuples inside each other, empty ones included.
_NESTED = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.builds(Pair, inner, inner),
    ),
    max_leaves=10,
)


@kata_settings(max_examples=80)
@given(batch=_NESTED)
def test_to_device_on_generated_batches(devices, batch):
    _check_moved(devices.to_device(batch, "meta"), batch, torch.device("meta"))


def test_to_cpu_is_a_no_op_on_values(devices):
    batch = _batch()
    _check_moved(devices.to_device(batch, "cpu"), batch, torch.device("cpu"))


@pytest.mark.gpu
def test_cuda_batch_round_trip(devices):
    device = devices.pick_device()
    assert device.type == "cuda", f"with a GPU present pick_device() should give cuda, got {device}"
    batch = _batch()
    moved = devices.to_device(batch, device)
    _check_moved(moved, batch, device)
    back = devices.to_device(moved, "cpu")
    _check_moved(back, batch, torch.device("cpu"))


@pytest.mark.gpu
def test_cuda_model_matches_cpu(devices):
    device = devices.pick_device("cuda")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))
    batch = _batch()
    with torch.no_grad():
        expected = model(batch["x"])
        model.to(device)
        moved = devices.to_device(batch, device)
        got = model(moved["x"])
    assert got.device.type == "cuda", f"the output should be on cuda, got {got.device}"
    assert torch.allclose(got.cpu(), expected, atol=1e-4), (
        "the model on cuda predicts differently from the cpu"
    )
