import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope
from xinyong.accounts.models import ApiClient, Department
from xinyong.accounts.services import api_client_issue, api_client_revoke
from xinyong.core.context import request_context
from xinyong.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "接口客户端：issue 签发令牌（只显示一次），revoke 停用，list 列出。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        issue = sub.add_parser("issue", help="签发令牌")
        issue.add_argument("--department", required=True, help="部门编码，如 SCJG")
        issue.add_argument("--name", required=True, help="业务系统名称")
        issue.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=ApiScope.values,
            help="权限范围，可重复",
        )
        issue.add_argument("--days", type=int, default=365, help="有效天数（默认 365）")
        revoke = sub.add_parser("revoke", help="停用令牌")
        revoke.add_argument("prefix", help="令牌前缀（xy_ 之后的 8 位）")
        sub.add_parser("list", help="列出客户端")

    def handle(self, *args, operation, **opts):
        with request_context(channel="cli"):
            if operation == "issue":
                dept = Department.objects.filter(code=opts["department"]).first()
                if dept is None:
                    raise CommandError(f"--department: 部门编码“{opts['department']}”不存在")
                if not 1 <= opts["days"] <= 3650:
                    raise CommandError("--days: 应在 1 到 3650 之间")
                try:
                    client, token = api_client_issue(
                        actor=SYSTEM,
                        name=opts["name"],
                        department=dept,
                        scopes=opts["scope"],
                        expires_at=timezone.now() + datetime.timedelta(days=opts["days"]),
                    )
                except ValidationFailed as e:
                    raise CommandError(str(e)) from None
                self.stdout.write(f"已签发：{client}，有效至 {client.expires_at:%Y-%m-%d}")
                self.stdout.write(f"令牌（只显示这一次，请妥善保存）：{token}")
            elif operation == "revoke":
                client = ApiClient.objects.filter(token_prefix=opts["prefix"]).first()
                if client is None:
                    raise CommandError(f"prefix: 没有前缀为“{opts['prefix']}”的客户端")
                api_client_revoke(actor=SYSTEM, client=client)
                self.stdout.write(f"已停用：{client}")
            else:
                for c in ApiClient.objects.select_related("department").order_by("id"):
                    state = "启用" if c.is_active else "停用"
                    scopes = ",".join(c.scopes)
                    self.stdout.write(
                        f"{c.token_prefix}  {c.name}  {c.department.code}  {scopes}  {state}"
                    )
