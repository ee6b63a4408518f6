"""The engines a batch job runs on, behind one Ibis backend each: DuckDB in this process
(a city: no server, the Parquet files read in place) or Apache Spark (a province or the
nation: a cluster, or ``local[*]`` on one machine). An export's tables are opened the same
way on both, and every job is one Ibis expression over them."""

import enum
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import ibis
from django.conf import settings

from xinyong.engines.export import TABLES


class Engine(enum.StrEnum):
    DUCKDB = "duckdb"  # embedded: a city, on the application's host
    SPARK = "spark"  # a cluster: a province or the nation (local[*] in the tests)


class EngineUnavailable(Exception):
    """The engine cannot start here (e.g. Spark without Java): the message says why."""


@dataclass
class Tables:
    """An export's tables on one engine (Ibis tables: ``subjects``, ``records``…)."""

    backend: object
    engine: Engine
    subjects: ibis.Table
    records: ibis.Table
    objections: ibis.Table
    repairs: ibis.Table
    entries: ibis.Table
    publications: ibis.Table
    checks: ibis.Table
    check_measures: ibis.Table
    check_answers: ibis.Table


_SPARK = None  # the process's session: started once (seconds), reused by every job


def spark_session(master: str | None = None, conf: dict[str, str] | None = None):
    """The Spark session: ``master`` (else ``XINYONG_SPARK_MASTER``, else spark-submit's
    or ``local[*]``) and extra configuration (``spark.executor.memory``…)."""
    global _SPARK
    if _SPARK is not None:
        return _SPARK
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    master = master or settings.XINYONG_SPARK_MASTER or None
    if master is None or master.startswith("local"):
        # the workers run this interpreter (its packages), not whatever python3 is on PATH
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("xinyong")
    if master:
        builder = builder.master(master)
    for key, value in {
        "spark.sql.session.timeZone": "UTC",  # dates are dates everywhere
        "spark.ui.showConsoleProgress": "false",
        **(conf or {}),
    }.items():
        builder = builder.config(key, value)  # fmt: skip
    try:
        _SPARK = builder.getOrCreate()
    except (PySparkException, OSError, RuntimeError) as e:
        raise EngineUnavailable(
            f"Spark 无法启动（需要 Java 17 或更高版本，见 JAVA_HOME 或 PATH）：{e}"
        ) from None
    _SPARK.sparkContext.setLogLevel("ERROR")
    return _SPARK


def connect(engine: str, *, master: str | None = None, conf: dict[str, str] | None = None):
    """An Ibis backend on ``engine``."""
    engine = Engine(engine)
    if engine == Engine.DUCKDB:
        return ibis.duckdb.connect()
    return ibis.pyspark.connect(spark_session(master, conf))


def tables(backend, engine: str, data: Path | str) -> Tables:
    """The export at ``data`` (a directory, or on Spark any URI its executors read:
    hdfs://, s3a://…) as Ibis tables on ``backend``."""
    base = str(data).rstrip("/")
    opened = {
        t.name: backend.read_parquet(f"{base}/{t.name}/*.parquet", table_name=f"xy_{t.name}")
        for t in TABLES
    }
    return Tables(backend=backend, engine=Engine(engine), **opened)
