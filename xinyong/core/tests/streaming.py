"""A PostgreSQL primary with a streaming replica of it, and a Redis, started on this machine
for a test or a benchmark of reads off the primary — never the shared server, whose
configuration stays untouched: ``initdb`` in a temporary directory (``wal_level=replica``),
``pg_basebackup -R`` from it for the replica (``hot_standby``), both on free ports through
``pg_ctl``. PostgreSQL refuses to run as root: as root, every PostgreSQL program runs as the
``postgres`` user (``runuser``) in a directory given to it.

``start(replica=False, redis=False, archive=True)`` is the backup test's and benchmark's
primary alone, with WAL archiving (``archive_mode = on``, ``archive_command`` copying each
finished segment to ``Pair.archive``), as docs/architecture.md tells production to set it;
``Pair.start_cluster`` starts a data directory restored from its backup."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("XINYONG_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
DATABASE = "xinyong"
# Both clusters: small, no fsync (a test's data need not survive a crash of the machine).
COMMON_CONF = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{root}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
wal_receiver_status_interval = 1s
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 40
"""


# The primary's WAL archiving (``start(archive=True)``): every finished segment copied to the
# archive, never over a file already there (production's setting, docs/architecture.md).
ARCHIVE_CONF = """
archive_mode = on
archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'
full_page_writes = on
"""


def missing(*, redis: bool = True) -> list[str]:
    """The programs this needs that the machine lacks."""
    programs = ("initdb", "pg_ctl", "pg_basebackup", "pg_verifybackup", "psql")
    need = [PG_BIN / p for p in programs] + ([Path(REDIS)] if redis else [])
    return [str(p) for p in need if not p.exists()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*args) -> list[str]:
    return (
        ["runuser", "-u", "postgres", "--", *map(str, args)]
        if os.geteuid() == 0
        else [*map(str, args)]
    )


def _run(*args, timeout: float = 60) -> str:
    done = subprocess.run(  # noqa: S603 - PostgreSQL's programs, arguments of this module
        _as_postgres(*args), capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Pair:
    """The primary, its replica and a Redis; :meth:`stop` ends them and removes their files."""

    root: Path
    primary_port: int = 0
    replica_port: int = 0
    redis_port: int = 0
    started: list[Path] = field(default_factory=list)  # data directories running
    redis: subprocess.Popen | None = None

    def url(self, port: int, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self) -> dict[str, str]:
        """The environment of a process using the primary, the replica and the Redis (those
        started)."""
        env = {"DATABASE_URL": self.primary_url, "XINYONG_VAR_DIR": str(self.root / "var")}
        if self.replica_port:
            env["DATABASE_REPLICA_URLS"] = self.replica_url
        if self.redis_port:
            env["XINYONG_CACHE_URL"] = self.redis_url
        return env

    @property
    def archive(self) -> Path:
        """Where the primary archives its WAL (``start(archive=True)``)."""
        return self.root / "wal-archive"

    def psql(self, port: int, sql: str, database: str = DATABASE) -> str:
        """One statement's rows, unaligned, ``|``-separated (``psql -tA``)."""
        return _run(PG_BIN / "psql", "-h", self.root, "-p", port, "-U", "postgres", "-d",
                    database, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql).strip()  # fmt: skip

    def start_cluster(self, data: Path, port: int, log: str) -> None:
        """Start a data directory (e.g. one restored from a backup) on ``port``; stopped
        with the others by :meth:`stop`."""
        _run(PG_BIN / "pg_ctl", "-D", data, "-l", self.root / log, "-o", f"-p {port}",
             "-w", "-t", "120", "start", timeout=180)  # fmt: skip
        self.started.append(data)

    def logs(self) -> str:
        out = []
        for name in sorted(p.name for p in self.root.glob("*.log")):
            path = self.root / name
            if path.exists():
                out.append(f"--- {name}\n" + path.read_text(errors="replace")[-3000:])
        return "\n".join(out)

    def stop(self) -> None:
        for data in reversed(self.started):
            stop = _as_postgres(PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
            subprocess.run(stop, capture_output=True, timeout=60)  # noqa: S603
        self.started.clear()
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
            self.redis = None
        shutil.rmtree(self.root, ignore_errors=True)


def start(*, replica: bool = True, redis: bool = True, archive: bool = False) -> Pair:
    """A running primary (database ``xinyong``, UTF-8, empty), its replica and a Redis
    (each of the last two unless told not to), the primary archiving its WAL when
    ``archive``. The caller stops them (:meth:`Pair.stop`), also when this fails half-way:
    the pair is stopped before the error is raised."""
    root = Path(tempfile.mkdtemp(prefix="xy-replicas-" if replica else "xy-primary-"))
    pair = Pair(root=root)
    try:
        _start(pair, replica=replica, redis=redis, archive=archive)
    except BaseException:
        pair.stop()
        raise
    return pair


def _start(pair: Pair, *, replica: bool, redis: bool, archive: bool) -> None:
    root = pair.root
    owners = [root, pair.archive] if archive else [root]
    if archive:
        pair.archive.mkdir()
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        for path in owners:
            os.chown(path, pg.pw_uid, pg.pw_gid)
    primary = root / "primary"
    _run(PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C.UTF-8", "-N")  # fmt: skip
    pair.primary_port = free_port()
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(COMMON_CONF.format(root=root) + f"port = {pair.primary_port}\n")
        if archive:
            conf.write(ARCHIVE_CONF.format(archive=pair.archive))
    _run(PG_BIN / "pg_ctl", "-D", primary, "-l", root / "primary.log", "-w", "-t", "60", "start")
    pair.started.append(primary)
    _run(PG_BIN / "psql", "-h", root, "-p", pair.primary_port, "-U", "postgres", "-d",
         "postgres", "-q", "-c",
         f"CREATE DATABASE {DATABASE} TEMPLATE template0 ENCODING 'UTF8'")  # fmt: skip
    if replica:
        _start_replica(pair)
    if redis:
        _start_redis(pair)


def _start_replica(pair: Pair) -> None:
    root, replica = pair.root, pair.root / "replica"
    pair.replica_port = free_port()
    _run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", pair.primary_port, "-U",
         "postgres", "-D", replica, "-R", "-X", "stream", "-c", "fast", "-N")  # fmt: skip
    with (replica / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {pair.replica_port}\n")
    _run(PG_BIN / "pg_ctl", "-D", replica, "-l", root / "replica.log", "-w", "-t", "60", "start")
    pair.started.append(replica)


def _start_redis(pair: Pair) -> None:
    pair.redis_port = free_port()
    pair.redis = subprocess.Popen(  # noqa: S603 - a fixed program with fixed arguments
        [REDIS, "--port", str(pair.redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", pair.redis_port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or pair.redis.poll() is not None:
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
