"""The operator's options of a batch command (``evaluate --engine``, ``stats_rebuild``,
``records_reconcile``), parsed alike; no engine is imported here (a command's ``--help``
stays fast)."""

from pathlib import Path

from django.core.management.base import CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.core.context import request_context
from xinyong.core.errors import ValidationFailed

BATCH_ENGINES = ("duckdb", "spark")
BATCH_ENGINE_HELP = "计算引擎：duckdb（嵌入式）或 spark（集群）"


def run_on_engine(service, *, engine: str, data: str | None, master: str | None,
                  spark_conf: list[str], **extra):  # fmt: skip
    """Call an engine ``service`` as the command's options say (the system as actor, on the
    command line's channel; ``extra``: the command's own options, e.g. ``batch``); a
    refusal becomes the command's error, the option named."""
    conf = parse_spark_conf(spark_conf)
    try:
        with request_context(channel="cli"):
            return service(actor=SYSTEM, engine=engine, data=Path(data) if data else None,
                           master=master, conf=conf, **extra)  # fmt: skip
    except ValidationFailed as e:  # the option named: --data, --engine
        raise CommandError("；".join(f"--{x.field}：{x.message}" for x in e.errors)) from None


def add_engine_options(parser, *, engines: tuple[str, ...], help: str) -> None:
    """``--engine`` (required), ``--data``, ``--master``, ``--spark-conf`` on ``parser``."""
    parser.add_argument("--engine", choices=engines, required=True, help=help)
    parser.add_argument("--data", metavar="DIR",
                        help="批处理引擎读取的数据导出目录（默认现在导出）")  # fmt: skip
    parser.add_argument("--master", help="Spark master 地址（spark://…、yarn、local[*]）")
    parser.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                        help="Spark 配置项，可重复")  # fmt: skip


def parse_spark_conf(pairs: list[str]) -> dict[str, str]:
    """``--spark-conf KEY=VALUE`` pairs as a dict (a pair without ``=`` or key refused)."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--spark-conf 应为 KEY=VALUE：{pair!r}")
        out[key.strip()] = value.strip()
    return out
