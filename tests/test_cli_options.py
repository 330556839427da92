"""Helpers shared by the commands."""

from __future__ import annotations

import gc

import pytest

from tagctl.cli.options import collector_paused


def test_the_collector_is_paused_for_the_batch_and_back_after_it_even_on_error() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the batch failed")
    assert gc.isenabled()
