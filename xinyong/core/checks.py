"""System checks run by every management command and at server start."""

import datetime

from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning
from django.db import connections


@register("database")
def postgres_is_utf8(app_configs, databases=None, **kwargs):
    """Name search cuts names into characters: a PostgreSQL database that is not UTF-8
    would cut Chinese names into bytes and find nothing. Refuse to run on one."""
    errors = []
    for alias in databases or []:
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_encoding_to_char(encoding) FROM pg_database "
                "WHERE datname = current_database()"
            )
            encoding = cur.fetchone()[0]
        if encoding != "UTF8":
            errors.append(
                Error(
                    f"PostgreSQL database encoding is {encoding}, not UTF8",
                    hint="createdb -T template0 -E UTF8 --lc-ctype=C.UTF-8 <name>",
                    id="xinyong.E001",
                )
            )
    return errors


@register("database")
def calendar_covered(app_configs, databases=None, **kwargs):
    """Deadlines are counted in working days: warn while this year, or the next one within
    60 days of its start, has neither shipped nor operator-confirmed holidays."""
    if not databases:
        return []
    from django.db.utils import OperationalError, ProgrammingError

    from xinyong.core import workdays

    try:
        missing = workdays.alarm_years(datetime.date.today())
    except (OperationalError, ProgrammingError):
        return []  # tables not migrated yet
    return [
        CheckWarning(
            f"工作日历未覆盖 {year} 年：涉及该年的公示和办理期限将无法计算",
            hint=f"在后台“工作日历”页粘贴国务院办公厅 {year} 年放假安排通知导入（仅信用办），"
            f"或 xinyong workdays set … 然后 xinyong workdays confirm {year} --basis …",
            id="xinyong.W002",
        )
        for year in missing
    ]


@register(deploy=True)
def cache_shared(app_configs, **kwargs):
    """Production serves from several processes: a process-local cache would count the
    report throttle per process and keep a cached page part after another process changed
    what it shows (xinyong/core/cache.py)."""
    from django.conf import settings

    if settings.XINYONG_ENV != "production" or settings.XINYONG_CACHE_URL:
        return []
    return [
        CheckWarning(
            "XINYONG_CACHE_URL is not set in production: each process keeps its own cache",
            hint="Set XINYONG_CACHE_URL=redis://<host>:6379/0 (one Redis for all processes)",
            id="xinyong.W020",
        )
    ]


@register()
def replicas_need_shared_cache(app_configs, **kwargs):
    """Read-your-writes with replicas (xinyong/core/replicas.py) rests on the marks each
    write leaves in the cache for every process's reads: a per-process cache would let
    another process read a replica that has not replayed a write yet (an objection's
    suspension missed by the next check). Replicas are PostgreSQL streaming standbys."""
    from django.conf import settings

    if not settings.XINYONG_REPLICAS:
        return []
    errors = []
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        errors.append(
            Error(
                "DATABASE_REPLICA_URLS is set but the cache is per process",
                hint="Set XINYONG_CACHE_URL=redis://<host>:6379/0 (one Redis for all processes)",
                id="xinyong.E013",
            )
        )
    for alias in settings.XINYONG_REPLICAS:
        engine = settings.DATABASES[alias]["ENGINE"]
        if engine != "django.db.backends.postgresql":
            errors.append(
                Error(
                    f"Replica {alias} is not PostgreSQL ({engine})",
                    hint="DATABASE_REPLICA_URLS lists postgres:// URLs of streaming replicas",
                    id="xinyong.E013",
                )
            )
    return errors


@register()
def partition_settings(app_configs, **kwargs):
    """The partitioning settings are numbers in range: a typo would otherwise surface only
    when the daily upkeep or a conversion runs (core/partitions)."""
    from xinyong.core import partitions

    errors = []
    for name, (low, high) in partitions.SETTINGS.items():
        try:
            partitions.setting(name)
        except ValueError as e:
            errors.append(Error(str(e), hint=f"Set {name} to {low}–{high}", id="xinyong.E014"))
    return errors
