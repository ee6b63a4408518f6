"""`xinyong workdays`: the working-day calendar behind every deadline of the platform."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.core import services, workdays
from xinyong.core.context import request_context
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed, describe


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”无效：应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "工作日历：show 年份（节假日与调休）；set 日期 holiday|workday --name --basis；"
        "unset 日期；confirm 年份 --basis（确认该年已全部录入）；deadline 日期 N（第N个工作日）"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "set", "unset", "confirm", "deadline"])
        parser.add_argument("params", nargs="*", metavar="ARG")
        parser.add_argument("--name", default="")
        parser.add_argument("--basis", default="")

    def handle(self, *args, action, name, basis, **opts):
        args = opts["params"]
        try:
            with request_context(channel="cli"):
                self._run(action, args, name, basis)
        except ValidationFailed as e:
            raise CommandError(describe(e.errors)) from None
        except (NotFound, PermissionDenied, workdays.CalendarNotCovered) as e:
            raise CommandError(str(e)) from None

    def _run(self, action, args, name, basis):
        need = {"show": 1, "set": 2, "unset": 1, "confirm": 1, "deadline": 2}[action]
        if len(args) != need:
            raise CommandError(f"{action} 需要 {need} 个参数，收到 {len(args)} 个")
        if action == "show":
            year = self._year(args[0])
            missing = workdays.uncovered_years([year])
            state = "未覆盖（无法计算期限）" if missing else "已覆盖"
            self.stdout.write(f"{year} 年工作日历：{state}")
            for o in workdays.overrides_of(year):
                kind = "上班" if o.is_workday else "放假"
                self.stdout.write(f"  {o.day} {kind} {o.name}（{o.basis}，{o.created_by}）")
        elif action == "set":
            if args[1] not in ("holiday", "workday"):
                raise CommandError("第二个参数应为 holiday（放假）或 workday（调休上班）")
            services.workday_override_save(
                actor=SYSTEM, day=_date(args[0]), is_workday=args[1] == "workday",
                name=name, basis=basis,
            )  # fmt: skip
            self.stdout.write(
                f"{args[0]} 已设为{'调休上班日' if args[1] == 'workday' else '放假日'}"
            )
        elif action == "unset":
            services.workday_override_delete(actor=SYSTEM, day=_date(args[0]))
            self.stdout.write(f"{args[0]} 的调整已撤销")
        elif action == "confirm":
            year = self._year(args[0])
            services.calendar_year_confirm(actor=SYSTEM, year=year, basis=basis)
            self.stdout.write(f"{year} 年工作日历已确认")
        else:
            try:
                n = int(args[1])
            except ValueError:
                raise CommandError("N 应为正整数") from None
            if n < 1:
                raise CommandError("N 应为正整数")
            self.stdout.write(workdays.add_workdays(_date(args[0]), n).isoformat())

    @staticmethod
    def _year(value: str) -> int:
        if not value.isdigit():
            raise CommandError(f"年份“{value}”无效")
        return int(value)
