"""Fixtures shared by the sklearn katas only."""

from pathlib import Path

import pytest

from graders.plugin import kata_files


@pytest.fixture(scope="module")
def kata_shared(request):
    """The `kata` fixture at module scope: for expensive fits shared by several tests of one file."""
    return kata_files(request.config, Path(request.path))
