"""Malformed input, end to end: what `tagctl lint` says of every file of tests/data/malformed/.

Each tag file of the corpus is linted in a fresh copy of the sample catalog, each bad
config replaces its tagctl.yaml; tests/data/malformed/MANIFEST.yaml says what each must
produce. Inputs that cannot be committed (10 MB and 16 MiB files, symbolic links, a FIFO,
an unreadable file, folders, an empty catalog) are built here at run time. Every run is a
real `tagctl` process: no traceback, the documented exit code, the file and a line:col, the
expected rule.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from clihelpers import Finding, describe, no_traceback, tag_yaml, text_findings

MALFORMED = Path(__file__).parent / "data" / "malformed"
MANIFEST: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(
    (MALFORMED / "MANIFEST.yaml").read_text(encoding="utf-8")
)
CATEGORY = "behavior"
MiB = 1024 * 1024

Run = Callable[..., subprocess.CompletedProcess[str]]


# --- the manifest itself


def test_manifest_covers_the_corpus_exactly() -> None:
    for kind in ("tags", "configs"):
        on_disk = {path.name for path in (MALFORMED / kind).iterdir()}
        assert on_disk == set(MANIFEST[kind]), f"{kind}/ and MANIFEST.yaml disagree"
    assert len(MANIFEST["tags"]) >= 32
    assert len(MANIFEST["configs"]) >= 8


def test_every_top_level_field_of_the_schema_has_a_wrong_type_case() -> None:
    schema_file = Path(__file__).parent.parent / "schemas" / "tag.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    fields = set(schema["properties"])
    covered = {
        name.removeprefix("wrong_type_").removesuffix(".yaml")
        for name in MANIFEST["tags"]
        if name.startswith("wrong_type_")
    }
    assert fields <= covered, f"no wrong_type_<field>.yaml for {sorted(fields - covered)}"


# --- checking one lint run


def expect_finding(
    result: subprocess.CompletedProcess[str], rel: str, expect: dict[str, Any]
) -> list[Finding]:
    """Assert what the manifest says of one linted file; returns the file's findings."""
    no_traceback(result)
    assert result.returncode == expect.get("exit", 1), describe(result)
    assert result.stderr == "", describe(result)
    findings = text_findings(result.stdout)
    assert rel in findings, f"{rel} is not named in the output" + describe(result)
    mine = findings[rel]
    with_code = [f for f in mine if f.code == expect["code"]]
    assert with_code, f"{expect['code']} not reported for {rel}" + describe(result)
    if "at" in expect:
        wanted = str(expect["at"])
        positions = [f.at if ":" in wanted else str(f.line) for f in with_code]
        assert wanted in positions, (
            f"{expect['code']} expected at {wanted}, reported at {positions}" + describe(result)
        )
    allowed = {expect["code"], *expect.get("also", ())}
    unexpected = sorted({f.code for f in mine if f.severity == "error"} - allowed)
    assert not unexpected, f"unexpected errors {unexpected} in {rel}" + describe(result)
    return mine


def lint_one(
    run_tagctl: Run, catalog: Path, name: str, **kwargs: Any
) -> tuple[str, subprocess.CompletedProcess[str]]:
    """`tagctl lint tags/behavior/<name>` in `catalog`: (the path as printed, the run)."""
    rel = f"tags/{CATEGORY}/{name}"
    return rel, run_tagctl("lint", rel, cwd=catalog, **kwargs)


# --- the committed corpus


@pytest.mark.parametrize("name", sorted(MANIFEST["tags"]))
def test_malformed_tag_file(name: str, sample_catalog: Path, run_tagctl: Run) -> None:
    shutil.copyfile(MALFORMED / "tags" / name, sample_catalog / "tags" / CATEGORY / name)
    rel, result = lint_one(run_tagctl, sample_catalog, name)
    expect_finding(result, rel, MANIFEST["tags"][name])


_CONFIG_ERROR = re.compile(
    r"tagctl: error: (?P<file>.*tagctl\.yaml):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)"
)


@pytest.mark.parametrize("name", sorted(MANIFEST["configs"]))
def test_malformed_config(name: str, sample_catalog: Path, run_tagctl: Run) -> None:
    expect = MANIFEST["configs"][name]
    shutil.copyfile(MALFORMED / "configs" / name, sample_catalog / "tagctl.yaml")
    result = run_tagctl("lint", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == expect.get("exit", 2), describe(result)
    assert result.stdout == "", describe(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, "expected one line on stderr" + describe(result)
    match = _CONFIG_ERROR.fullmatch(lines[0])
    assert match, "expected `tagctl: error: <path>/tagctl.yaml:L:C: ...`" + describe(result)
    assert Path(match["file"]).resolve() == (sample_catalog / "tagctl.yaml").resolve()
    if "at" in expect:
        at = f"{match['line']}:{match['column']}"
        assert at == expect["at"], f"expected at {expect['at']}, got {at}" + describe(result)
    for part in ("key", "message"):
        if part in expect:
            assert str(expect[part]) in match["message"], (
                f"the message does not name {expect[part]!r}" + describe(result)
            )


def test_validate_stops_on_a_malformed_config_too(sample_catalog: Path, run_tagctl: Run) -> None:
    shutil.copyfile(
        MALFORMED / "configs" / "unknown_rule_option.yaml", sample_catalog / "tagctl.yaml"
    )
    result = run_tagctl("validate", cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == 2, describe(result)
    assert "lint.rules.TG403.options.grace" in result.stderr


def test_whole_corpus_in_one_catalog(sample_catalog: Path, run_tagctl: Run) -> None:
    """Every bad file at once, cold then from the cache: each reported, good files untouched."""
    folder = sample_catalog / "tags" / CATEGORY
    for name in MANIFEST["tags"]:
        shutil.copyfile(MALFORMED / "tags" / name, folder / name)
    cold = run_tagctl("lint", cwd=sample_catalog)
    no_traceback(cold)
    assert cold.returncode == 1, describe(cold)
    findings = text_findings(cold.stdout)
    for name, expect in MANIFEST["tags"].items():
        codes = {f.code for f in findings.get(f"tags/{CATEGORY}/{name}", [])}
        assert expect["code"] in codes, f"{name}: {expect['code']} missing" + describe(cold)
    corpus = {f"tags/{CATEGORY}/{name}" for name in MANIFEST["tags"]}
    spoiled = {
        path: [f for f in found if f.severity == "error"]
        for path, found in findings.items()
        if path not in corpus
    }
    assert not {path: errors for path, errors in spoiled.items() if errors}, describe(cold)
    warm = run_tagctl("lint", cwd=sample_catalog)
    assert (warm.returncode, warm.stdout, warm.stderr) == (
        cold.returncode,
        cold.stdout,
        cold.stderr,
    )


# --- generated at run time


def generated(key: str) -> dict[str, Any]:
    return MANIFEST["generated"][key]


def test_ten_megabyte_description_is_too_long_not_a_hang(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    name = "ten_megabyte_description"
    text = tag_yaml(name, description='"' + "x" * (10 * MiB) + '"')
    (sample_catalog / "tags" / CATEGORY / f"{name}.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    rel, result = lint_one(run_tagctl, sample_catalog, f"{name}.yaml", timeout=300)
    elapsed = time.monotonic() - started
    expect_finding(result, rel, generated(name))
    print(f"10 MB description linted in {elapsed:.1f} s")


def oversize_tag() -> bytes:
    text = tag_yaml("oversize_file") + "# " + "x" * (16 * MiB) + "\n"
    return text.encode("utf-8")


def test_file_over_16_mib(sample_catalog: Path, run_tagctl: Run) -> None:
    (sample_catalog / "tags" / CATEGORY / "oversize_file.yaml").write_bytes(oversize_tag())
    rel, result = lint_one(run_tagctl, sample_catalog, "oversize_file.yaml")
    expect_finding(result, rel, generated("oversize_file"))


def test_file_over_16_mib_says_how_big_it_is(sample_catalog: Path, run_tagctl: Run) -> None:
    """The message must not read "file is 16 MiB, the limit is 16 MiB"."""
    (sample_catalog / "tags" / CATEGORY / "oversize_file.yaml").write_bytes(oversize_tag())
    rel, result = lint_one(run_tagctl, sample_catalog, "oversize_file.yaml")
    [finding] = [f for f in text_findings(result.stdout).get(rel, []) if f.code == "TG008"]
    sizes = re.findall(r"(\d+(?:\.\d+)?) ?(MiB|MB|bytes)", finding.message)
    assert sizes, finding.message
    assert sizes[0] != sizes[-1] or len(sizes) == 1, finding.message


def test_file_over_16_mib_with_a_warm_cache(sample_catalog: Path, run_tagctl: Run) -> None:
    """The size limit holds on every run, not only the first one of a catalog."""
    warm_up = run_tagctl("lint", cwd=sample_catalog)
    assert warm_up.returncode == 0, describe(warm_up)
    (sample_catalog / "tags" / CATEGORY / "oversize_file.yaml").write_bytes(oversize_tag())
    rel, result = lint_one(run_tagctl, sample_catalog, "oversize_file.yaml")
    expect_finding(result, rel, generated("oversize_file"))


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


@needs_symlinks
@pytest.mark.parametrize("key", ["file_symlink_loop", "two_link_loop", "broken_symlink"])
def test_bad_file_links(key: str, sample_catalog: Path, run_tagctl: Run) -> None:
    folder = sample_catalog / "tags" / CATEGORY
    name = f"{key}.yaml"
    if key == "file_symlink_loop":
        os.symlink(name, folder / name)
    elif key == "two_link_loop":
        os.symlink("two_link_loop_b.yaml", folder / name)
        os.symlink(name, folder / "two_link_loop_b.yaml")
    else:
        os.symlink("no_such_file.yaml", folder / name)
    for _ in ("cold", "warm"):
        rel, result = lint_one(run_tagctl, sample_catalog, name, timeout=60)
        expect_finding(result, rel, generated(key))


def directory_loop(catalog: Path) -> str:
    os.symlink("..", catalog / "tags" / CATEGORY / "loop")
    return f"tags/{CATEGORY}/loop"


@needs_symlinks
def test_directory_symlink_loop_in_the_catalog(sample_catalog: Path, run_tagctl: Run) -> None:
    rel = directory_loop(sample_catalog)
    result = run_tagctl("lint", cwd=sample_catalog, timeout=60)
    expect_finding(result, rel, {**generated("directory_symlink_loop"), "exit": 1})
    walked = [path for path in text_findings(result.stdout) if path.startswith(rel + "/")]
    assert not walked, f"files reached through the loop were linted: {walked[:5]}"


@needs_symlinks
def test_directory_symlink_loop_when_linting_its_folder(
    sample_catalog: Path, run_tagctl: Run
) -> None:
    """`tagctl lint tags/behavior` must treat the loop as the whole-catalog run does."""
    rel = directory_loop(sample_catalog)
    result = run_tagctl("lint", f"tags/{CATEGORY}", cwd=sample_catalog, timeout=60)
    no_traceback(result)
    findings = text_findings(result.stdout)
    walked = sorted(path for path in findings if path.startswith(rel + "/"))
    assert not walked, (
        f"{len(walked)} files reached through {rel} -> .. were linted, e.g. {walked[:3]}"
        + describe(result)
    )
    assert "TG009" in {f.code for f in findings.get(rel, [])}, describe(result)


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")


@needs_fifo
def test_fifo_in_a_fresh_catalog(sample_catalog: Path, run_tagctl: Run) -> None:
    os.mkfifo(sample_catalog / "tags" / CATEGORY / "fifo.yaml")
    rel, result = lint_one(run_tagctl, sample_catalog, "fifo.yaml", timeout=30)
    expect_finding(result, rel, generated("fifo"))


@needs_fifo
def test_fifo_with_a_warm_cache_does_not_hang(sample_catalog: Path, run_tagctl: Run) -> None:
    warm_up = run_tagctl("lint", cwd=sample_catalog)
    assert warm_up.returncode == 0, describe(warm_up)
    os.mkfifo(sample_catalog / "tags" / CATEGORY / "fifo.yaml")
    rel, result = lint_one(run_tagctl, sample_catalog, "fifo.yaml", timeout=30)
    expect_finding(result, rel, generated("fifo"))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads files whatever their mode; broken and looping links cover unreadability",
)
def test_unreadable_file(sample_catalog: Path, run_tagctl: Run) -> None:
    path = sample_catalog / "tags" / CATEGORY / "unreadable.yaml"
    path.write_text(tag_yaml("unreadable"), encoding="utf-8")
    path.chmod(0)
    try:
        rel, result = lint_one(run_tagctl, sample_catalog, "unreadable.yaml")
        expect_finding(result, rel, generated("unreadable"))
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


# --- links out of the catalog, folders where files should be, empty catalogs


SECRET = "outside-catalog-secret-0d5c"


def outside_folder(catalog: Path) -> Path:
    """A folder next to the catalog holding a tag-like file with SECRET in every line."""
    folder = catalog.parent / "outside"
    folder.mkdir(exist_ok=True)
    (folder / "secret.yaml").write_text(f"name: {SECRET}\n{SECRET}: {SECRET}\n", "utf-8")
    return folder


def expect_no_secret(result: subprocess.CompletedProcess[str]) -> None:
    assert SECRET not in result.stdout + result.stderr, describe(result)


@needs_symlinks
@pytest.mark.parametrize("key", ["file_link_outside", "folder_link_outside"])
@pytest.mark.parametrize("given", [False, True], ids=["catalog", "given"])
def test_links_out_of_the_catalog(
    key: str, given: bool, sample_catalog: Path, run_tagctl: Run
) -> None:
    folder = outside_folder(sample_catalog)
    name = "x.yaml" if key == "file_link_outside" else "x"
    target = folder / "secret.yaml" if key == "file_link_outside" else folder
    os.symlink(target, sample_catalog / "tags" / CATEGORY / name)
    rel = f"tags/{CATEGORY}/{name}"
    for _ in ("cold", "warm"):
        result = run_tagctl("lint", *([rel] if given else []), cwd=sample_catalog)
        expect_finding(result, rel, generated(key))
        expect_no_secret(result)


@pytest.mark.parametrize("given", [False, True], ids=["catalog", "given"])
def test_folder_named_like_a_tag_file(given: bool, sample_catalog: Path, run_tagctl: Run) -> None:
    folder = sample_catalog / "tags" / CATEGORY / "folder_named_like_a_tag.yaml"
    folder.mkdir()
    rel = f"tags/{CATEGORY}/{folder.name}"
    for _ in ("cold", "warm"):
        result = run_tagctl("lint", *([rel] if given else []), cwd=sample_catalog)
        expect_finding(result, rel, generated("folder_named_like_a_tag"))
        assert "No problems" not in result.stdout, describe(result)


def test_catastrophic_naming_pattern_does_not_hang(sample_catalog: Path, run_tagctl: Run) -> None:
    config = sample_catalog / "tagctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("naming:\n", "naming:\n  patterns: {fact: '^(a+)+$'}\n"), "utf-8"
    )
    name = "a" * 34 + "b"
    (sample_catalog / "tags" / CATEGORY / f"{name}.yaml").write_text(tag_yaml(name), "utf-8")
    started = time.monotonic()
    rel, result = lint_one(run_tagctl, sample_catalog, f"{name}.yaml", timeout=60)
    assert time.monotonic() - started < 30, describe(result)
    expect_finding(result, rel, generated("catastrophic_name_pattern"))


def test_long_owner_is_checked_in_linear_time(sample_catalog: Path, run_tagctl: Run) -> None:
    """The reference validator explains the failure with Python's re: no backtracking blow-up."""
    owners = '\n  business: "a@' + "b." * 250_000 + ' "\n  data: qa.data@example.com'
    text = tag_yaml("long_owner", owners=owners)
    (sample_catalog / "tags" / CATEGORY / "long_owner.yaml").write_text(text, "utf-8")
    started = time.monotonic()
    rel, result = lint_one(run_tagctl, sample_catalog, "long_owner.yaml", timeout=60)
    assert time.monotonic() - started < 30, describe(result)
    expect_finding(result, rel, generated("long_owner"))


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_catalog_without_tag_files_says_so(
    fmt: str, sample_catalog: Path, run_tagctl: Run
) -> None:
    shutil.rmtree(sample_catalog / "tags")
    (sample_catalog / "tags").mkdir()
    result = run_tagctl("lint", "--format", fmt, cwd=sample_catalog)
    no_traceback(result)
    assert result.returncode == generated("no_tag_files")["exit"], describe(result)
    if fmt == "text":
        [finding] = text_findings(result.stdout)["tagctl.yaml"]
        assert (finding.code, finding.severity) == ("TG012", "warning"), describe(result)
    elif fmt == "json":
        [violation] = json.loads(result.stdout)["violations"]
        assert (violation["code"], violation["path"]) == ("TG012", "tagctl.yaml")
    else:
        assert result.stdout.startswith("::warning file=tagctl.yaml,line="), describe(result)
        assert "TG012" in result.stdout, describe(result)


def expect_config_refused(result: subprocess.CompletedProcess[str], key: str) -> None:
    no_traceback(result)
    expect = generated(key)
    assert result.returncode == expect["exit"], describe(result)
    assert result.stdout == "", describe(result)
    assert expect["message"] in result.stderr, describe(result)
    expect_no_secret(result)


@needs_symlinks
@pytest.mark.parametrize("key", ["tags_dir_link_outside", "tags_dir_through_link"])
def test_tags_dir_leading_out_of_the_catalog(
    key: str, sample_catalog: Path, run_tagctl: Run
) -> None:
    folder = outside_folder(sample_catalog)
    shutil.copytree(sample_catalog / "tags", folder / "tags")
    shutil.rmtree(sample_catalog / "tags")
    if key == "tags_dir_link_outside":
        os.symlink(folder / "tags", sample_catalog / "tags")
    else:
        os.symlink(folder, sample_catalog / "sub")
        config = sample_catalog / "tagctl.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace("catalog:\n", "catalog:\n  tags_dir: sub/tags\n", 1), "utf-8"
        )
    for command in (["lint"], ["list"], ["export"]):
        expect_config_refused(run_tagctl(*command, cwd=sample_catalog), key)


@needs_symlinks
def test_tagctl_yaml_leading_out_of_the_catalog(sample_catalog: Path, run_tagctl: Run) -> None:
    folder = outside_folder(sample_catalog)
    (sample_catalog / "tagctl.yaml").unlink()
    os.symlink(folder / "secret.yaml", sample_catalog / "tagctl.yaml")
    for command in (["lint"], ["list"]):
        expect_config_refused(run_tagctl(*command, cwd=sample_catalog), "config_link_outside")


@needs_symlinks
@pytest.mark.parametrize(
    "command",
    [
        ["lint", "--config", "ci.yaml"],
        ["lint", "--baseline", "ci.yaml"],
        ["deprecate", "--from", "ci.yaml", "--dry-run"],
    ],
    ids=["config", "baseline", "review"],
)
def test_option_files_leading_out_of_the_catalog(
    command: list[str], sample_catalog: Path, run_tagctl: Run
) -> None:
    folder = outside_folder(sample_catalog)
    os.symlink(folder / "secret.yaml", sample_catalog / "ci.yaml")
    for cwd in (sample_catalog, sample_catalog / "tags"):
        args = [
            arg if arg != "ci.yaml" else os.path.relpath(sample_catalog / arg, cwd)
            for arg in command
        ]
        expect_config_refused(run_tagctl(*args, cwd=cwd), "option_file_link_outside")
    absolute = [arg if arg != "ci.yaml" else str(sample_catalog / arg) for arg in command]
    expect_config_refused(run_tagctl(*absolute, cwd=sample_catalog), "option_file_link_outside")


def test_generated_cases_are_all_in_the_manifest() -> None:
    tested = {
        "ten_megabyte_description",
        "oversize_file",
        "file_symlink_loop",
        "two_link_loop",
        "broken_symlink",
        "directory_symlink_loop",
        "fifo",
        "unreadable",
        "file_link_outside",
        "folder_link_outside",
        "folder_named_like_a_tag",
        "catastrophic_name_pattern",
        "long_owner",
        "no_tag_files",
        "tags_dir_link_outside",
        "tags_dir_through_link",
        "config_link_outside",
        "option_file_link_outside",
    }
    assert tested == set(MANIFEST["generated"])
