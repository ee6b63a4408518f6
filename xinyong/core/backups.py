"""Base backups and point-in-time recovery of the platform's database (issue #19 item 7), by
PostgreSQL's own tools: ``pg_basebackup`` takes the base backup (tar format, gzip, the WAL
of the backup streamed into it, a manifest with a SHA-256 checksum of every file),
``pg_verifybackup`` checks one against its manifest, and the server itself replays the WAL
archive up to a chosen moment (``recovery.signal``, ``restore_command``,
``recovery_target_time``). The WAL archive is the database server's own configuration
(``archive_mode``, ``archive_command``: docs/architecture.md). Nothing here copies database
files by itself; it runs those tools, checks the operator's input before writing anything,
and keeps beside each backup a small manifest of ours (``xinyong-backup.json``): when it was
taken, the server's version, the WAL it starts in, and the audit chain's head when it ended
with the signed checkpoints known then — what a restore is checked against (:func:`check`).

SQLite (a laptop's database): ``base`` copies it with SQLite's online backup API and
``verify`` runs its integrity check; it has no WAL archive, so no point-in-time recovery.

``xinyong backup`` (core/management/commands/backup.py) is the operator's command."""

import datetime
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from xinyong.audit import checkpoints as cps

MANIFEST = "xinyong-backup.json"  # ours, beside PostgreSQL's backup_manifest
PG_MANIFEST = "backup_manifest"
BASE_TAR = "base.tar.gz"
WAL_TAR = "pg_wal.tar.gz"
CHECKPOINTS = "audit-checkpoints.jsonl"  # the signed checkpoint file as it was at the end
SQLITE_FILE = "xinyong.sqlite3"
FORMAT = 1
# gzip level 1: on two cores the backup's time is the compression's; level 6 saves little
# more on database pages (bench/RESULTS.md).
COMPRESS = "client-gzip:1"
CHECKSUMS = "SHA256"
TIME_RULE = "应为带时区的时间，如 “2026-12-05 08:30:00+00”（YYYY-MM-DD HH:MM:SS+00）"
SQLITE_NO_PITR = (
    "SQLite 没有 WAL 归档，不能按时间点恢复：停止平台后，用备份目录中的 xinyong.sqlite3 "
    '覆盖数据库文件即可（或 sqlite3 数据库文件 ".backup 目标文件" 自行复制）'
)


class Refused(Exception):
    """The operator's input breaks a rule (the message names the argument and the rule);
    nothing was written."""


class Failed(Exception):
    """A PostgreSQL tool failed (the message holds its output)."""


# -- the tools ------------------------------------------------------------------------------


def pg_bin() -> Path:
    """PostgreSQL's programs: ``XINYONG_PG_BIN``, else the newest /usr/lib/postgresql/N/bin
    (Debian puts pg_verifybackup there only), else the directory of ``pg_basebackup`` on
    the PATH. A client tool must be at least the server's version."""
    if settings.XINYONG_PG_BIN:
        return Path(settings.XINYONG_PG_BIN)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                      if p.parent.name.isdigit() else 0)  # fmt: skip
    if versions:
        return versions[-1]
    found = shutil.which("pg_basebackup")
    return Path(found).parent if found else Path("/usr/bin")


def _tool(name: str, *args, env: dict | None = None, timeout: float | None = None) -> str:
    program = pg_bin() / name
    if not program.exists():
        raise Failed(f"找不到 {program}（设置 XINYONG_PG_BIN 为 PostgreSQL 程序所在目录）")
    done = subprocess.run(  # noqa: S603 - PostgreSQL's programs, arguments checked here
        [str(program), *map(str, args)], capture_output=True, text=True, env=env,
        timeout=timeout,
    )  # fmt: skip
    if done.returncode:
        raise Failed(f"{name} 失败（退出码 {done.returncode}）：\n{done.stderr or done.stdout}")
    return done.stdout


def _pg_env() -> dict:
    """The libpq environment of the default database (its password never on a command
    line)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if db.get(key):
            env[var] = str(db[key])
    return env


# -- input ----------------------------------------------------------------------------------


def parse_time(value: str, *, argument: str = "--target-time") -> datetime.datetime:
    """An aware moment from ``YYYY-MM-DD HH:MM:SS+00`` (seconds' fractions and ``+08:00``
    accepted); a time without its zone is refused, it would be read in some zone."""
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise Refused(f"{argument} “{value}”无法识别：{TIME_RULE}") from None
    if moment.tzinfo is None:
        raise Refused(f"{argument} “{value}”没有时区：{TIME_RULE}")
    return moment


def _directory(path: Path, argument: str) -> Path:
    if not path.exists():
        raise Refused(f"{argument} {path} 不存在：应为已有的目录")
    if not path.is_dir():
        raise Refused(f"{argument} {path} 不是目录")
    return path.resolve()


def read_manifest(directory: Path, argument: str = "DIR") -> dict:
    """Our manifest of the backup in ``directory``; refused when the directory or the
    manifest is missing or unreadable."""
    directory = _directory(Path(directory), argument)
    path = directory / MANIFEST
    if not path.exists():
        raise Refused(
            f"{argument} {directory} 中没有 {MANIFEST}：不是 xinyong backup base 做的备份"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["finished_at"] = datetime.datetime.fromisoformat(data["finished_at"])
    except (ValueError, KeyError, TypeError) as e:
        raise Refused(f"{argument} {directory} 的 {MANIFEST} 无法读取：{e}") from None
    return data


# -- base -----------------------------------------------------------------------------------


@dataclass
class Taken:
    directory: Path
    manifest: dict
    files: dict[str, int] = field(default_factory=dict)  # name → bytes
    warnings: list[str] = field(default_factory=list)


def _head() -> dict:
    """The audit chain's head row (``audit_auditchainhead``)."""
    from xinyong.audit.models import AuditChainHead

    row = AuditChainHead.objects.filter(pk=1).values("seq", "hash").first()
    return row or {"seq": 0, "hash": "0" * 64}


def _checkpoint_copy(out: Path) -> dict | None:
    """The signed checkpoint file copied beside the backup; its newest valid checkpoint."""
    source = cps.default_path()
    if not source.exists():
        return None
    shutil.copy2(source, out / CHECKPOINTS)
    last = cps.checkpoints_load(out / CHECKPOINTS).last
    return None if last is None else json.loads(last.line())


def _new_directory(store: Path) -> Path:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(100):
        out = store / (stamp if n == 0 else f"{stamp}-{n}")
        try:
            out.mkdir(mode=0o700)
            return out
        except FileExistsError:
            continue
    raise Refused(f"--to {store} 中已有太多同一秒的备份")


def wal_file(timeline: int, lsn: str, segment_size: int) -> str:
    """The WAL segment file holding ``lsn`` (``X/Y``), as the archive names it."""
    high, low = lsn.split("/")
    segment = ((int(high, 16) << 32) + int(low, 16)) // segment_size
    per_id = 0x1_0000_0000 // segment_size
    return f"{timeline:08X}{segment // per_id:08X}{segment % per_id:08X}"


def base(store: Path) -> Taken:
    """A base backup of the default database's server into a new directory under ``store``
    (named by its UTC time), with our manifest."""
    store = _directory(Path(store), "--to")
    if connection.vendor == "sqlite":
        return _base_sqlite(store)
    if connection.vendor != "postgresql":
        raise Refused(f"数据库类型 {connection.vendor} 不支持备份")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT current_setting('server_version'), current_setting('archive_mode'), "
            "current_setting('archive_command'), "
            "(SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')"
        )
        version, archive_mode, archive_command, segment_size = cur.fetchone()
    warnings = []
    if archive_mode == "off" or not archive_command:
        warnings.append(
            "数据库服务器未开启 WAL 归档（archive_mode / archive_command）：这份备份只能恢复到"
            "它结束的时刻，不能按时间点恢复（docs/architecture.md）"
        )
    started = timezone.now()
    out = _new_directory(store)
    try:
        _tool("pg_basebackup", "-D", out, "--format=tar", f"--compress={COMPRESS}",
              "--wal-method=stream", "--checkpoint=fast", f"--manifest-checksums={CHECKSUMS}",
              f"--label=xinyong {out.name}", "--no-password", env=_pg_env())  # fmt: skip
        head = _head()
        finished = timezone.now()
        extra = sorted(p.name for p in out.glob("*.tar*") if p.name not in (BASE_TAR, WAL_TAR))
        pg_manifest = json.loads((out / PG_MANIFEST).read_text(encoding="utf-8"))
        ranges = pg_manifest.get("WAL-Ranges") or [{}]
        first, last = ranges[0], ranges[-1]
        manifest = {
            "format": FORMAT,
            "engine": "postgresql",
            "started_at": started.isoformat(),
            "finished_at": finished.isoformat(),
            "server_version": version,
            "database": settings.DATABASES["default"]["NAME"],
            "timeline": first.get("Timeline"),
            "start_lsn": first.get("Start-LSN"),
            "end_lsn": last.get("End-LSN"),
            "start_wal_file": wal_file(first["Timeline"], first["Start-LSN"], segment_size)
            if first.get("Start-LSN")
            else None,
            "wal_archiving": {"archive_mode": archive_mode, "archive_command": archive_command},
            "tablespaces": extra,
            "audit_head": head,
            "audit_checkpoint": _checkpoint_copy(out),
            "pg_basebackup": {
                "format": "tar",
                "compress": COMPRESS,
                "wal_method": "stream",
                "manifest_checksums": CHECKSUMS,
            },
        }
        _write_manifest(out, manifest)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return Taken(out, manifest, _sizes(out), warnings)


def _write_manifest(out: Path, manifest: dict) -> None:
    path = out / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _sizes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}


def _base_sqlite(store: Path) -> Taken:
    source = Path(settings.DATABASES["default"]["NAME"])
    started = timezone.now()
    out = _new_directory(store)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(out / SQLITE_FILE)
        try:
            src.backup(dst)  # SQLite's online backup: a consistent copy while writers go on
        finally:
            dst.close()
            src.close()
        head = _head()
        manifest = {
            "format": FORMAT,
            "engine": "sqlite",
            "started_at": started.isoformat(),
            "finished_at": timezone.now().isoformat(),
            "server_version": sqlite3.sqlite_version,
            "database": str(source),
            "audit_head": head,
            "audit_checkpoint": _checkpoint_copy(out),
        }
        _write_manifest(out, manifest)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return Taken(out, manifest, _sizes(out), [SQLITE_NO_PITR])


# -- verify ---------------------------------------------------------------------------------


def _backup_files(directory: Path, manifest: dict) -> None:
    need = [PG_MANIFEST, BASE_TAR, WAL_TAR] if manifest["engine"] == "postgresql" else [SQLITE_FILE]
    lacking = [name for name in need if not (directory / name).exists()]
    if lacking:
        raise Refused(f"DIR {directory} 缺少 {', '.join(lacking)}：备份不完整")


def _extract(directory: Path, data: Path) -> None:
    """The base tar into ``data`` and the streamed WAL into its pg_wal (what PostgreSQL's
    documentation says to do with a tar-format backup)."""
    with tarfile.open(directory / BASE_TAR, "r:gz") as tar:
        tar.extractall(data, filter="data")
    (data / "pg_wal").mkdir(mode=0o700, exist_ok=True)
    with tarfile.open(directory / WAL_TAR, "r:gz") as tar:
        tar.extractall(data / "pg_wal", filter="data")
    data.chmod(0o700)


def verify(directory: Path) -> str:
    """``pg_verifybackup`` of the backup (PostgreSQL 15 verifies a plain directory only: the
    backup is unpacked beside it, checked against its manifest — every file's size and
    SHA-256, and the WAL from its start to its end parsed — and the copy removed); SQLite:
    its integrity check. Returns the tool's report."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    directory = directory.resolve()
    _backup_files(directory, manifest)
    if manifest["engine"] == "sqlite":
        db = sqlite3.connect(f"file:{directory / SQLITE_FILE}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()
        if result != "ok":
            raise Failed(f"SQLite 完整性检查失败：{result}")
        return "SQLite integrity_check: ok"
    if manifest.get("tablespaces"):
        raise Refused(f"DIR {directory} 含表空间 {manifest['tablespaces']}：本命令只处理默认表空间")
    scratch = Path(tempfile.mkdtemp(prefix=".verify-", dir=directory.parent))
    try:
        _extract(directory, scratch / "data")
        return _tool("pg_verifybackup", "--manifest-path", directory / PG_MANIFEST,
                     scratch / "data").strip()  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# -- restore --------------------------------------------------------------------------------


@dataclass
class Prepared:
    pgdata: Path
    target: datetime.datetime
    verified: str
    start_command: str
    notes: list[str]


def _conf_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _restore_command(archive: Path) -> str:
    """``cp`` from the archive, the directory quoted for the shell (``%`` doubled: the
    server expands ``%f``/``%p``)."""
    quoted = "'" + str(archive).replace("'", "'\\''") + "'"
    return f"cp {quoted.replace('%', '%%')}/%f %p"


def restore(directory: Path, *, target: str, pgdata: Path, wal_archive: Path,
            port: int | None = None) -> Prepared:  # fmt: skip
    """A new data directory ``pgdata`` from the base backup in ``directory``, set to replay
    the WAL archive up to ``target`` and then promote. It does not start it, nor touch the
    running server. Every rule is checked before anything is written; a failure half-way
    removes what it wrote."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    directory = directory.resolve()
    if manifest["engine"] != "postgresql":
        raise Refused(SQLITE_NO_PITR)
    moment = parse_time(target)
    _backup_files(directory, manifest)
    if manifest.get("tablespaces"):
        raise Refused(f"DIR {directory} 含表空间 {manifest['tablespaces']}：本命令只处理默认表空间")
    ended = manifest["finished_at"]
    if moment < ended:
        raise Refused(
            f"--target-time {target} 早于这份备份结束的时刻 {ended.isoformat()}：基础备份只能"
            f"向后恢复，请选更早的备份"
        )
    if moment > timezone.now():
        raise Refused(f"--target-time {target} 在将来：恢复无法到达尚未写出的 WAL")
    pgdata = Path(pgdata).absolute()
    if pgdata.exists() and (not pgdata.is_dir() or any(pgdata.iterdir())):
        raise Refused(f"--pgdata {pgdata} 已存在且不是空目录：应为新的数据目录，绝不覆盖已有数据")
    _directory(pgdata.parent, "--pgdata 的上级目录")
    archive = _directory(Path(wal_archive), "--wal-archive")
    start = manifest.get("start_wal_file") or ""
    timeline = start[:8]
    segments = [p.name for p in archive.iterdir() if len(p.name) == 24 and p.name[:8] == timeline]
    if start and not any(name >= start for name in segments):
        raise Refused(
            f"--wal-archive {archive} 中没有这份备份开始（{start}）之后的 WAL 段：不是这台服务器"
            f"的归档，或归档未开启"
        )
    if port is not None and not 1 <= port <= 65535:
        raise Refused(f"--port {port} 无效：应在 1–65535 之间")
    created = not pgdata.exists()
    try:
        pgdata.mkdir(mode=0o700, exist_ok=True)
        _extract(directory, pgdata)
        verified = _tool("pg_verifybackup", "--manifest-path", directory / PG_MANIFEST,
                         pgdata).strip()  # fmt: skip
        settings_lines = [
            "",
            f"# xinyong backup restore {timezone.now().isoformat()}: base backup {directory}",
            f"restore_command = {_conf_string(_restore_command(archive))}",
            f"recovery_target_time = {_conf_string(moment.isoformat(sep=' '))}",
            "recovery_target_action = 'promote'",
            "# A restored copy does not archive into the production archive until the",
            "# operator switches over to it and turns this back on.",
            "archive_mode = 'off'",
        ]
        if port is not None:
            settings_lines.append(f"port = {port}")
        with (pgdata / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n".join(settings_lines) + "\n")
        (pgdata / "recovery.signal").touch()
        _give_to_postgres(pgdata)
    except BaseException:
        if created:
            shutil.rmtree(pgdata, ignore_errors=True)
        else:
            for child in pgdata.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    notes = []
    if not (pgdata / "postgresql.conf").exists():
        notes.append(
            "数据目录中没有 postgresql.conf / pg_hba.conf（Debian 把它们放在 /etc/postgresql）："
            "启动前复制进来，或用 pg_createcluster 为该目录建配置"
        )
    as_postgres = "runuser -u postgres -- " if os.geteuid() == 0 else ""
    command = f"{as_postgres}{pg_bin() / 'pg_ctl'} -D {pgdata} -l {pgdata}/restore.log start"
    return Prepared(pgdata, moment, verified, command, notes)


def _give_to_postgres(pgdata: Path) -> None:
    """As root, the data directory goes to the ``postgres`` user: the server refuses to run
    as root and to use a directory that is not its own."""
    if os.geteuid() != 0:
        return
    try:
        pg = pwd.getpwnam("postgres")
    except KeyError:
        return
    for root, dirs, files in os.walk(pgdata):
        for name in [*dirs, *files]:
            os.chown(os.path.join(root, name), pg.pw_uid, pg.pw_gid, follow_symlinks=False)
    os.chown(pgdata, pg.pw_uid, pg.pw_gid)


# -- check a restored database --------------------------------------------------------------


@dataclass
class Checked:
    ok: bool
    head: dict
    last_event_at: str | None
    checked: int
    checkpoints: int
    problems: list[str]


def check(
    directory: Path, *, target: str | None = None, checkpoints: Path | None = None
) -> Checked:
    """The restored database (the default one: ``DATABASE_URL`` pointed at the restored
    server) against the backup: the audit chain verifies from its first event to its head,
    against the signed checkpoints of ``checkpoints`` (by default the copy kept with the
    backup) taken at or before ``target``; its head is at or after the head recorded when
    the backup ended, that event's hash unchanged; and no event is later than ``target``."""
    from xinyong.audit.models import AuditEvent
    from xinyong.audit.selectors import audit_chain_verify

    manifest = read_manifest(Path(directory))
    directory = Path(directory).resolve()
    moment = parse_time(target) if target else None
    source = Path(checkpoints) if checkpoints else directory / CHECKPOINTS
    if checkpoints and not source.exists():
        raise Refused(f"--checkpoints {source} 不存在")
    loaded = cps.checkpoints_load(source) if source.exists() else cps.Loaded()
    kept = [
        c for c in loaded.valid if moment is None or datetime.datetime.fromisoformat(c.at) <= moment
    ]
    problems = [f"检查点文件第 {n} 行签名无效或无法读取" for n, _cp, _r in loaded.invalid]
    with tempfile.TemporaryDirectory() as tmp:
        cut = Path(tmp) / "checkpoints.jsonl"
        cut.write_text("".join(c.line() + "\n" for c in kept), encoding="utf-8")
        result = audit_chain_verify(checkpoints_path=cut)
    problems += [f"#{b.seq} [{b.rule}] {b.message}" for b in result.breaks]
    head = _head()
    recorded = manifest.get("audit_head") or {"seq": 0, "hash": ""}
    if head["seq"] < recorded["seq"]:
        problems.append(
            f"恢复后的链头 #{head['seq']} 早于备份结束时的链头 #{recorded['seq']}：恢复不完整"
        )
    elif recorded["seq"]:
        at = AuditEvent.objects.filter(seq=recorded["seq"]).values_list("hash", flat=True).first()
        if at != recorded["hash"]:
            problems.append(f"事件 #{recorded['seq']} 的哈希与备份结束时记录的不同")
    last_at = AuditEvent.objects.order_by("-seq").values_list("occurred_at", flat=True).first()
    if moment is not None and last_at is not None and last_at > moment:
        problems.append(
            f"最后一个事件的时间 {last_at.isoformat()} 晚于恢复目标 {moment.isoformat()}"
        )
    return Checked(
        ok=not problems,
        head=head,
        last_event_at=last_at.isoformat() if last_at else None,
        checked=result.checked,
        checkpoints=len(kept),
        problems=problems,
    )
