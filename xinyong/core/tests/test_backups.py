"""The rules of ``xinyong backup`` that need no database server (issue #19 item 7): times,
WAL file names, the restore command's quoting, and every refusal of ``restore`` and
``verify`` — each names the argument and the rule, and writes nothing. The real backup and
restore: ``test_backup_restore.py``."""

import datetime
import json
import sqlite3

import pytest

from xinyong.core import backups

pytestmark = pytest.mark.no_database


def test_times_need_their_zone():
    moment = backups.parse_time("2026-12-05 08:30:00+00")
    assert moment == datetime.datetime(2026, 12, 5, 8, 30, tzinfo=datetime.UTC)
    assert backups.parse_time("2026-12-05T16:30:00.5+08:00").utcoffset().seconds == 8 * 3600
    with pytest.raises(backups.Refused, match=r"--target-time .*没有时区"):
        backups.parse_time("2026-12-05 08:30:00")
    with pytest.raises(backups.Refused, match=r"--target-time .*无法识别.*YYYY-MM-DD HH:MM:SS"):
        backups.parse_time("05/12/2026")


def test_wal_file_names_follow_postgresql():
    assert backups.wal_file(1, "0/2000028", 16 * 2**20) == "000000010000000000000002"
    assert backups.wal_file(2, "1/FF000000", 16 * 2**20) == "0000000200000001000000FF"
    assert backups.wal_file(1, "5/0", 64 * 2**20) == "000000010000000500000000"


def test_restore_command_quotes_the_archive():
    command = backups._restore_command(backups.Path("/srv/wal it's 100%"))
    assert command == "cp '/srv/wal it'\\''s 100%%'/%f %p"
    assert backups._conf_string(command) == "'cp ''/srv/wal it''\\''''s 100%%''/%f %p'"


@pytest.fixture
def backup(tmp_path):
    """A backup directory as ``base`` leaves it (the tars are not read before the rules)."""
    directory = tmp_path / "20261201T000000Z"
    directory.mkdir()
    for name in ("base.tar.gz", "pg_wal.tar.gz", "backup_manifest"):
        (directory / name).write_bytes(b"")
    (directory / backups.MANIFEST).write_text(json.dumps({
        "format": 1, "engine": "postgresql", "finished_at": "2026-12-01T00:00:05+00:00",
        "start_wal_file": "000000010000000000000002", "tablespaces": [],
        "audit_head": {"seq": 3, "hash": "ab" * 32},
    }))  # fmt: skip
    archive = tmp_path / "wal"
    archive.mkdir()
    (archive / "000000010000000000000002").write_bytes(b"")
    return directory


def _restore(backup, tmp_path, **over):
    args = {"target": "2026-12-01 00:00:10+00", "pgdata": tmp_path / "new",
            "wal_archive": tmp_path / "wal"} | over  # fmt: skip
    return backups.restore(backup, **args)


@pytest.mark.parametrize(
    ("over", "rule"),
    [
        ({"target": "2026-12-01 00:00:04+00"}, "--target-time .*早于这份备份结束"),
        ({"target": "2999-01-01 00:00:00+00"}, "--target-time .*在将来"),
        ({"target": "2026-12-01 00:00:10"}, "--target-time .*没有时区"),
        ({"wal_archive": "MISSING"}, "--wal-archive .*不存在"),
        ({"pgdata": "NOT_EMPTY"}, "--pgdata .*不是空目录"),
        ({"pgdata": "NO_PARENT"}, "--pgdata 的上级目录 .*不存在"),
        ({"port": 70000}, "--port 70000 无效"),
    ],
)
def test_restore_refuses_and_writes_nothing(backup, tmp_path, over, rule):
    paths = {"MISSING": tmp_path / "missing", "NOT_EMPTY": tmp_path / "used",
             "NO_PARENT": tmp_path / "no" / "new"}  # fmt: skip
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "PG_VERSION").write_text("15")
    over = {k: paths.get(v, v) for k, v in over.items()}
    before = sorted(p for p in tmp_path.rglob("*"))
    with pytest.raises(backups.Refused, match=rule):
        _restore(backup, tmp_path, **over)
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_restore_refuses_an_archive_of_another_server(backup, tmp_path):
    (tmp_path / "wal" / "000000010000000000000002").unlink()
    (tmp_path / "wal" / "000000010000000000000001").write_bytes(b"")
    with pytest.raises(backups.Refused, match=r"--wal-archive .*没有这份备份开始"):
        _restore(backup, tmp_path)
    assert not (tmp_path / "new").exists()


def test_a_directory_that_is_not_a_backup(tmp_path):
    with pytest.raises(backups.Refused, match=r"DIR .*不存在"):
        backups.verify(tmp_path / "nothing")
    with pytest.raises(backups.Refused, match=r"没有 xinyong-backup.json"):
        backups.verify(tmp_path)


def test_an_incomplete_backup(backup):
    (backup / "pg_wal.tar.gz").unlink()
    with pytest.raises(backups.Refused, match=r"缺少 pg_wal.tar.gz"):
        backups.verify(backup)


def test_sqlite_backups_verify_and_have_no_point_in_time_recovery(tmp_path):
    directory = tmp_path / "b"
    directory.mkdir()
    db = sqlite3.connect(directory / backups.SQLITE_FILE)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    (directory / backups.MANIFEST).write_text(
        json.dumps({"engine": "sqlite", "finished_at": "2026-12-01T00:00:00+00:00"})
    )
    assert backups.verify(directory) == "SQLite integrity_check: ok"
    with pytest.raises(backups.Refused, match=r"SQLite 没有 WAL 归档"):
        _restore(directory, tmp_path)


def test_base_refuses_a_missing_store(tmp_path):
    with pytest.raises(backups.Refused, match=r"--to .*不存在：应为已有的目录"):
        backups.base(tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []
