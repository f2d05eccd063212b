"""Hidden-test style checks for tensorflow/q09: MirroredStrategy over two logical CPUs, run in a subprocess.

Logical devices can only be configured before TensorFlow initialises, and the test process has long since
initialised it: a fresh Python runs a probe script that imports the learner's module by its path.
"""

import json
import os
import subprocess
import sys

import pytest

PROBE = r"""
import importlib.util, json, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras

spec = importlib.util.spec_from_file_location("learner_distributed", sys.argv[1])
learner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(learner)

tf.config.threading.set_intra_op_parallelism_threads(1)
learner.configure_cpus(2)
keras.utils.set_random_seed(0)
strategy = learner.make_strategy()
report = {
    "replicas": int(strategy.num_replicas_in_sync),
    "devices": list(strategy.extended.worker_devices),
}
rng = np.random.default_rng(0)
x = rng.normal(size=(512, 8)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int64")
report["batch_sizes"] = [int(n) for n in learner.replica_batch_sizes(strategy, x, 32)]
report["odd_batch_sizes"] = [int(n) for n in learner.replica_batch_sizes(strategy, x, 31)]
model = learner.build_model(strategy)
report["variables"] = [
    {"path": v.path, "kind": type(getattr(v, "value", v)).__name__,
     "distributed": isinstance(getattr(v, "value", v), tf.distribute.DistributedValues)}
    for v in model.weights
]
report["output_shape"] = [d for d in model.output_shape]
report["params"] = int(model.count_params())
report["optimizer"] = type(model.optimizer).__name__
report["learning_rate"] = float(np.asarray(model.optimizer.learning_rate))
probe_loss = model.evaluate(x[:64], y[:64], batch_size=32, verbose=0, return_dict=True)["loss"]
report["loss_before"] = [float(probe_loss), float(np.mean(keras.losses.sparse_categorical_crossentropy(
    y[:64], model.predict(x[:64], verbose=0), from_logits=True)))]
history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
report["loss"] = [float(v) for v in history.history["loss"]]
report["accuracy"] = float(history.history["accuracy"][-1])
in_sync = []
for v in model.weights:
    copies = strategy.experimental_local_results(getattr(v, "value", v))
    arrays = [np.asarray(c) for c in copies]
    in_sync.append({"path": v.path, "copies": len(arrays), "equal": all(np.array_equal(arrays[0], a) for a in arrays)})
report["in_sync"] = in_sync
print("REPORT " + json.dumps(report))
"""


@pytest.fixture(scope="module")
def report(kata_shared):
    learner = kata_shared
    path = learner.path("distributed.py")
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "KERAS_BACKEND": "tensorflow",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, timeout=240, env=env
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the probe running {learner.display('distributed.py')} took over 240 s")
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    if done.returncode != 0 or not lines:
        raise AssertionError(
            f"the probe script importing {learner.display('distributed.py')} failed "
            f"(exit {done.returncode}):\n{done.stderr[-3000:]}"
        )
    return json.loads(lines[-1][len("REPORT ") :])


def test_two_replicas_on_two_logical_cpus(report):
    assert report["replicas"] == 2, (
        f"{report['replicas']} replica(s) in sync on {report['devices']}: configure 2 logical CPUs and give "
        "MirroredStrategy both"
    )
    devices = sorted(d.lower() for d in report["devices"])
    assert len(devices) == 2 and devices[0].endswith("cpu:0") and devices[1].endswith("cpu:1"), (
        f"devices {devices}"
    )


def test_global_batch_is_split_between_replicas(report):
    assert report["batch_sizes"] == [16, 16], (
        f"a global batch of 32 should reach each of the 2 replicas as 16 rows, got {report['batch_sizes']}: "
        "batch the dataset by the global batch size; the strategy splits it"
    )
    assert report["odd_batch_sizes"] == [16, 15], (
        f"a global batch of 31 rows should reach the 2 replicas as 16 + 15, got {report['odd_batch_sizes']}: "
        "report the rows each replica actually received, in replica order"
    )


def test_model_and_its_compilation(report):
    assert report["output_shape"] == [None, 2], (
        f"output shape {report['output_shape']}, expected (None, 2): two logits from Dense(2)"
    )
    assert report["params"] == 8 * 16 + 16 + 16 * 2 + 2, (
        f"{report['params']} parameters, expected 178: Input (8,) -> Dense(16, relu) -> Dense(2)"
    )
    assert report["optimizer"] == "Adam", (
        f"compile with keras.optimizers.Adam(0.01), got {report['optimizer']}"
    )
    assert report["learning_rate"] == pytest.approx(0.01, rel=1e-6), (
        f"the learning rate is {report['learning_rate']:.6g}: Adam(0.01)"
    )
    got, expected = report["loss_before"]
    assert got == pytest.approx(expected, rel=1e-4), (
        f"the compiled loss gives {got:.5f} where the cross-entropy of the logits is {expected:.5f}: "
        "SparseCategoricalCrossentropy(from_logits=True)"
    )


def test_variables_are_mirrored(report):
    plain = [v["path"] + f" ({v['kind']})" for v in report["variables"] if not v["distributed"]]
    assert report["variables"] and not plain, (
        f"not mirrored: {plain}: create the model inside `with strategy.scope():`"
    )


def test_training_runs_with_replicas_in_sync(report):
    loss = report["loss"]
    assert len(loss) == 3 and loss[-1] < loss[0], f"training loss per epoch {loss}"
    assert report["accuracy"] > 0.8, f"final training accuracy {report['accuracy']:.3f} on a linear task"
    apart = [v["path"] for v in report["in_sync"] if v["copies"] != 2 or not v["equal"]]
    assert not apart, f"each variable should have 2 identical copies after training; not so for {apart}"
