"""`tagctl kpi` speed and memory on a demo warehouse of 1M users and ~200 tags.

    python benchmarks/kpi_bench.py [--users 1000000] [--tags 200] [--runs 3]
                                   [--postgres URL] [--keep DIR]

Builds a catalog of N tags (the sample catalog plus copies of its measured
tags under new names), a demo warehouse for it with `tagctl demo`'s
generator, then measures in the same run:

- reference: `SELECT tag_name, tag_value, count(*) FROM tag_values GROUP BY
  tag_name, tag_value`, fetched in full, by a whole Python process of its
  own (interpreter, driver import, connection: what a user would run);
- kpi: the whole `tagctl kpi --format json` process (interpreter start,
  imports, every pass, statistics, output), and its peak resident memory;
- the ratio kpi / reference, the figure the target is set on (at most 4);
- the same kpi process with `kpi.redundancy.enabled: false`, and the
  redundancy pass's cost (kpi minus that) in references: at most one.

With `--postgres URL` (default: $TAGCTL_TEST_POSTGRES_URL) the same tables
are copied into schema `tagctl_bench` of that database and measured there
too. Reference and the two kpi runs take turns, --runs triples of them;
the figures are medians over the triples, the ratio the median of each
triple's own kpi / reference (paired, so that a slow spell of a shared
machine falls on both), with its range, and the redundancy pass's cost the
median over the triples of (kpi - kpi without it) in references.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from processes import ROOT, timed, timed_tagctl

sys.path.insert(0, str(ROOT))

from tagctl.catalog.config import load_config
from tagctl.catalog.tags import load_tags
from tagctl.kpi.settings import TABLES

REFERENCE = "SELECT tag_name, tag_value, count(*) FROM {table} GROUP BY tag_name, tag_value"
AS_OF = dt.datetime(2026, 11, 23)


def make_catalog(folder: Path, count: int) -> Path:
    """The sample catalog plus renamed copies of its measured tags, `count` tags in all."""
    shutil.copytree(ROOT / "tag-catalog", folder, ignore=shutil.ignore_patterns(".tagctl"))
    files = sorted((folder / "tags").rglob("*.yaml"))
    measured = [
        f for f in files if not re.search(r"^status: (draft|retired)$", f.read_text(), re.M)
    ]
    copy = 0
    while len(files) + copy < count:
        source = measured[copy % len(measured)]
        name = f"{source.stem}_c{copy // len(measured) + 1}"
        text = re.sub(r"^name: .*$", f"name: {name}", source.read_text(), count=1, flags=re.M)
        text = text.replace("\ntier: core\n", "\ntier: standard\n")  # copies are ordinary tags
        (source.parent / f"{name}.yaml").write_text(text, encoding="utf-8")
        copy += 1
    return folder


def measure(
    engine: str,
    runs: int,
    reference: Callable[[], float],
    kpi: Callable[[], tuple[float, int]],
    without: Callable[[], tuple[float, int]],
) -> None:
    """Alternate reference, kpi and kpi without redundancy; print the medians.

    Taking them in turn puts each triple under the same load, so a slow spell
    of a shared machine cannot fall on one side only; each ratio is taken
    within its triple.
    """
    triples = [(reference(), *kpi(), without()[0]) for _ in range(runs)]
    base = statistics.median(t[0] for t in triples)
    elapsed = statistics.median(t[1] for t in triples)
    peak = max(t[2] for t in triples)
    ratios = sorted(t[1] / t[0] for t in triples)
    passes = statistics.median((t[1] - t[3]) / t[0] for t in triples)
    print(
        f"{engine:<12}{base:>11.2f}s{elapsed:>11.2f}s{statistics.median(ratios):>8.2f}"
        f"{peak / 1024:>10.0f}   {ratios[0]:.2f}-{ratios[-1]:.2f}"
        f"   {statistics.median(t[3] for t in triples):>8.2f}s {passes:>8.2f}"
    )


def tagctl_process(catalog: Path, *extra: str) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one whole `tagctl kpi` process."""
    args = ["kpi", "-C", str(catalog), "--as-of", AS_OF.isoformat(), "--format", "json", *extra]
    run = timed_tagctl(*args)
    return run.seconds, run.peak_kib


def warehouse_rows(path: Path) -> int:
    return _scalar(path, "SELECT count(*) FROM tag_values")


def warehouse_users(path: Path) -> int:
    return _scalar(path, "SELECT count(*) FROM users")


def _scalar(path: Path, sql: str) -> int:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0


def reference_process(script: str, *args: str) -> float:
    """Wall time of one whole Python process running the reference GROUP BY."""
    run = timed([sys.executable, "-c", script, *args])
    if run.code != 0:
        raise SystemExit(f"the reference query failed: {run.stderr.strip()}")
    return run.seconds


DUCKDB_REFERENCE = (
    "import sys, duckdb\n"
    "with duckdb.connect(sys.argv[1], read_only=True) as con:\n"
    f"    con.execute({REFERENCE.format(table='tag_values')!r}).fetchall()\n"
)


def duckdb_reference(path: Path) -> float:
    return reference_process(DUCKDB_REFERENCE, str(path))


def postgres_copy(duck: Path, url: str, schema: str) -> None:
    """Copy every demo table into `schema` through CSV and COPY, then ANALYZE."""
    import duckdb
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with duckdb.connect(str(duck), read_only=True) as source, psycopg.connect(dsn) as target:
        target.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        target.execute(f"CREATE SCHEMA {schema}")
        for table in TABLES:
            columns = source.execute(f"DESCRIBE {table}").fetchall()
            ddl = ", ".join(f'"{name}" {_pg_type(kind)}' for name, kind, *_ in columns)
            target.execute(f"CREATE TABLE {schema}.{table} ({ddl})")
            with tempfile.NamedTemporaryFile(suffix=".csv") as csv:
                source.execute(f"COPY {table} TO '{csv.name}' (HEADER false)")
                statement = f"COPY {schema}.{table} FROM STDIN (FORMAT csv)"
                with target.cursor().copy(statement) as copy, open(csv.name, "rb") as stream:
                    while chunk := stream.read(1 << 20):
                        copy.write(chunk)
            target.execute(f"ANALYZE {schema}.{table}")
        target.commit()


def _pg_type(kind: str) -> str:
    kind = kind.upper()
    if kind.startswith(("VARCHAR", "STRING")):
        return "TEXT"
    return {"DOUBLE": "DOUBLE PRECISION", "HUGEINT": "NUMERIC", "UBIGINT": "NUMERIC"}.get(
        kind, kind
    )


def postgres_rows(url: str, schema: str) -> int | None:
    """Rows of `schema`.tag_values, or None when there is no such table."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        found = con.execute("SELECT to_regclass(%s)", (f"{schema}.tag_values",)).fetchone()
        if not found or found[0] is None:
            return None
        row = con.execute(f"SELECT count(*) FROM {schema}.tag_values").fetchone()
        return int(row[0]) if row else None


POSTGRES_REFERENCE = (
    "import sys, psycopg\n"
    "with psycopg.connect(sys.argv[1]) as con:\n"
    "    con.execute(sys.argv[2]).fetchall()\n"
)


def postgres_reference(url: str, schema: str) -> float:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    query = REFERENCE.format(table=f"{schema}.tag_values")
    return reference_process(POSTGRES_REFERENCE, dsn, query)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--tags", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("TAGCTL_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--keep",
        type=Path,
        help="Build here and keep it; a later run with the same DIR reuses what is there.",
    )
    args = parser.parse_args()

    from tagctl.demo import build_demo

    work = args.keep or Path(tempfile.mkdtemp(prefix="tagctl-kpi-bench-"))
    catalog = work / "catalog"
    warehouse = catalog / ".tagctl" / "demo.duckdb"
    reuse = warehouse.exists()
    if not reuse:
        shutil.rmtree(catalog, ignore_errors=True)
        make_catalog(catalog, args.tags)
    tags, _ = load_tags(load_config(catalog / "tagctl.yaml"))
    start = time.perf_counter()
    if reuse:
        rows = warehouse_rows(warehouse)
    else:
        warehouse.parent.mkdir(exist_ok=True)
        rows = build_demo(tags, warehouse, users=args.users, as_of=AS_OF).rows["tag_values"]
    built = time.perf_counter() - start
    made = "reused" if reuse else f"{built:.1f} s"
    print(
        f"catalog: {len(tags)} tags; demo: {warehouse_users(warehouse):,} users,"
        f" {rows:,} tag rows, {made}"
    )
    print(
        f"{'engine':<12}{'reference':>12}{'tagctl kpi':>12}{'ratio':>8}{'peak MB':>10}"
        "   ratio range   without redundancy, its pass in references (medians)"
    )
    off = work / "no-redundancy.yaml"
    off.write_text("kpi:\n  redundancy:\n    enabled: false\n", encoding="utf-8")
    measure(
        "duckdb",
        args.runs,
        lambda: duckdb_reference(warehouse),
        lambda: tagctl_process(catalog),
        lambda: tagctl_process(catalog, "--config", str(off)),
    )
    if args.postgres:
        schema = "tagctl_bench"
        start = time.perf_counter()
        if reuse and postgres_rows(args.postgres, schema) == rows:
            print("(PostgreSQL copy reused)")
        else:
            postgres_copy(warehouse, args.postgres, schema)
            print(f"(copied to PostgreSQL in {time.perf_counter() - start:.0f} s)")
        extra = work / "postgres.yaml"
        extra.write_text(f"warehouse:\n  schema: {schema}\n", encoding="utf-8")
        both = work / "postgres-no-redundancy.yaml"
        both.write_text(
            f"warehouse:\n  schema: {schema}\nkpi:\n  redundancy:\n    enabled: false\n",
            encoding="utf-8",
        )
        url = args.postgres
        measure(
            "postgresql",
            args.runs,
            lambda: postgres_reference(url, schema),
            lambda: tagctl_process(catalog, "--config", str(extra), "--warehouse", url),
            lambda: tagctl_process(catalog, "--config", str(both), "--warehouse", url),
        )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
