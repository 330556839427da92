"""The reference tables on Spark's Thrift Server, loaded from Parquet files DuckDB writes.

The server reads the files from the test's temporary folder, so it must run
on this machine (`.ci/run` starts one from the pyspark wheel). DuckDB's
TIMESTAMP is written without a time zone and Spark reads it as
TIMESTAMP_NTZ: the same naive times the other engines hold.
"""

from __future__ import annotations

from pathlib import Path

from enginematrix import TABLES, Reference


def write_parquet(reference: Reference, folder: Path) -> dict[str, Path]:
    """Each reference table as a folder holding one Parquet file."""
    import duckdb

    folders = {}
    with duckdb.connect(str(reference.database), read_only=True) as connection:
        for table in TABLES:
            target = folder / table
            target.mkdir(parents=True)
            file = str(target / "part-0.parquet").replace("'", "''")
            connection.execute(f"COPY (SELECT * FROM {table}) TO '{file}' (FORMAT parquet)")
            folders[table] = target
    return folders


def load_spark(url: str, schema: str, reference: Reference, folder: Path) -> None:
    """Create the reference's eight tables in database `schema` of the server at `url`."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    folders = write_parquet(reference, folder)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            for table, location in folders.items():
                path = str(location.resolve()).replace("\\", "\\\\").replace("'", "\\'")
                connection.exec_driver_sql(
                    f"CREATE TABLE `{schema}`.`{table}` USING parquet LOCATION '{path}'"
                )
    finally:
        engine.dispose()
