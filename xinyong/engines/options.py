"""The operator's options of a batch command (``evaluate --engine``, ``stats_rebuild``),
parsed alike; no engine is imported here (a command's ``--help`` stays fast)."""

from django.core.management.base import CommandError


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
