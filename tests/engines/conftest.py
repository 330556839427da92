"""Fixtures of the engine matrix: the DuckDB reference of each layout, built once a run."""

from __future__ import annotations

import pytest
from enginematrix import Reference


@pytest.fixture(scope="session")
def long_reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    return Reference.build(tmp_path_factory.mktemp("long"), "long")


@pytest.fixture(scope="session")
def wide_reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    return Reference.build(tmp_path_factory.mktemp("wide"), "wide")


@pytest.fixture(params=["long", "wide"])
def reference(request: pytest.FixtureRequest) -> Reference:
    """Each layout's reference in turn."""
    chosen: Reference = request.getfixturevalue(f"{request.param}_reference")
    return chosen
