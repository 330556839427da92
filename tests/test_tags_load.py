"""`load_tags` on a catalog large enough to be read in forked processes.

The forked read must give exactly what the one-process read gives: the same
tags, and the same skipped files with the same reasons.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tagctl.catalog import tags as tags_module
from tagctl.catalog.config import load_config
from tagctl.catalog.tags import load_tags
from tests.clihelpers import tag_yaml
from tests.conftest import copy_catalog


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_catalog(tmp_path_factory.mktemp("large") / "catalog")
    folder = root / "tags" / "behavior"
    for i in range(tags_module.PARALLEL_FROM + 20):
        name = f"visit_page{i}_30d"
        (folder / f"{name}.yaml").write_text(tag_yaml(name), encoding="utf-8")
    (folder / "broken_7d.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (folder / "visit_twice_30d.yaml").write_text(tag_yaml("visit_page3_30d"), encoding="utf-8")
    (folder / "a_list_7d.yaml").write_text("- not a mapping\n", encoding="utf-8")
    return root


def test_forked_and_serial_reads_agree(large: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, threshold = load_config(large / "tagctl.yaml"), tags_module.PARALLEL_FROM
    forked, forked_skipped = load_tags(config)
    monkeypatch.setattr(tags_module, "PARALLEL_FROM", 10**9)
    serial, serial_skipped = load_tags(config)
    assert forked == serial
    assert sorted(forked_skipped, key=str) == sorted(serial_skipped, key=str)
    assert len(forked) > threshold
    reasons = {skip.path.name: skip.reason for skip in forked_skipped}
    assert reasons["a_list_7d.yaml"] == "not a mapping"
    assert "second tag named visit_page3_30d" in reasons["visit_twice_30d.yaml"]
    assert "broken_7d.yaml" in reasons
