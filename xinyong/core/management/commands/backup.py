"""`xinyong backup`: base backups and point-in-time recovery by PostgreSQL's own tools
(xinyong/core/backups.py; docs/architecture.md, "Backups and point-in-time recovery")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.core import backups


class Command(BaseCommand):
    help = (
        "备份与按时间点恢复。base --to 目录：pg_basebackup 基础备份（tar、压缩、含 WAL、带校验"
        "清单）及审计链头；verify 备份目录：pg_verifybackup 校验；restore 备份目录 --target-time "
        "时间 --pgdata 新数据目录 --wal-archive WAL归档目录：准备恢复到该时刻的新数据目录（不启动、"
        "不替换生产库）；check 备份目录 [--target-time]：DATABASE_URL 指向恢复出的库，校验审计链"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="operation", required=True, metavar="base|verify|restore|check"
        )
        base = sub.add_parser("base", help="基础备份到 --to 目录下的新子目录")
        base.add_argument(
            "--to", required=True, type=Path, metavar="DIR", help="备份存放目录（已存在）"
        )
        verify = sub.add_parser("verify", help="pg_verifybackup 校验一份备份")
        verify.add_argument("directory", type=Path, metavar="DIR")
        restore = sub.add_parser("restore", help="准备按时间点恢复的新数据目录")
        restore.add_argument("directory", type=Path, metavar="DIR")
        restore.add_argument("--target-time", required=True, help="YYYY-MM-DD HH:MM:SS+00")
        restore.add_argument("--pgdata", required=True, type=Path, metavar="NEWDIR")
        restore.add_argument("--wal-archive", required=True, type=Path, metavar="WALDIR")
        restore.add_argument("--port", type=int, default=None, help="恢复出的服务器监听的端口")
        check = sub.add_parser("check", help="校验恢复出的库（DATABASE_URL 指向它）的审计链")
        check.add_argument("directory", type=Path, metavar="DIR")
        check.add_argument("--target-time", default=None, help="恢复目标时间")
        check.add_argument("--checkpoints", type=Path, default=None, help="签名检查点文件")

    def handle(self, *args, operation, **opts):
        try:
            getattr(self, f"_{operation}")(**opts)
        except backups.Refused as e:
            raise CommandError(f"拒绝：{e}（未写入任何文件）") from None
        except backups.Failed as e:
            raise CommandError(str(e)) from None

    def _base(self, to, **_):
        taken = backups.base(to)
        for warning in taken.warnings:
            self.stderr.write(self.style.WARNING(warning))
        head = taken.manifest["audit_head"]
        self.stdout.write(self.style.SUCCESS(f"备份完成：{taken.directory}"))
        for name, size in taken.files.items():
            self.stdout.write(f"  {name}  {size / 1e6:.1f} MB")
        self.stdout.write(f"  审计链头：事件 #{head['seq']} {head['hash'][:16]}…")
        self.stdout.write(f"  结束于 {taken.manifest['finished_at']}：可恢复到此后任一时刻")

    def _verify(self, directory, **_):
        report = backups.verify(directory)
        self.stdout.write(report)
        self.stdout.write(self.style.SUCCESS(f"备份完好：{Path(directory).resolve()}"))

    def _restore(self, directory, target_time, pgdata, wal_archive, port, **_):
        done = backups.restore(
            directory, target=target_time, pgdata=pgdata, wal_archive=wal_archive, port=port
        )
        self.stdout.write(done.verified)
        self.stdout.write(self.style.SUCCESS(
            f"已准备新数据目录 {done.pgdata}：启动后回放 WAL 到 {done.target.isoformat(sep=' ')}"
            f"，然后提升为可写（生产服务器未被触动）"
        ))  # fmt: skip
        for note in done.notes:
            self.stderr.write(self.style.WARNING(note))
        self.stdout.write(f"启动：{done.start_command}")
        self.stdout.write(
            "核对：DATABASE_URL 指向恢复出的服务器，运行 "
            f'xinyong backup check {Path(directory).resolve()} --target-time "{target_time}"'
        )

    def _check(self, directory, target_time, checkpoints, **_):
        checked = backups.check(directory, target=target_time, checkpoints=checkpoints)
        summary = {
            "head": checked.head,
            "last_event_at": checked.last_event_at,
            "events_checked": checked.checked,
            "checkpoints": checked.checkpoints,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not checked.ok:
            for problem in checked.problems:
                self.stderr.write(problem)
            raise CommandError(f"恢复出的库未通过核对：{len(checked.problems)} 处问题")
        self.stdout.write(self.style.SUCCESS(
            f"恢复出的库与备份相符：审计链完整（{checked.checked} 个事件，"
            f"对照 {checked.checkpoints} 个签名检查点），链头 #{checked.head['seq']}"
        ))  # fmt: skip
