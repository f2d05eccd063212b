"""Fixtures shared by the sklearn katas.

- `mlxtend_decomp`: mlxtend's `bias_variance_decomp`, an independent reference for the bootstrap katas (q01's
  decomposition, q04's prediction spread). Loaded from its file: `import mlxtend.evaluate` costs seconds.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mlxtend_decomp():
    spec = importlib.util.find_spec("mlxtend")
    path = Path(spec.origin).parent / "evaluate" / "bias_variance_decomp.py"
    module_spec = importlib.util.spec_from_file_location("_mlxtend_bias_variance_decomp", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.bias_variance_decomp
