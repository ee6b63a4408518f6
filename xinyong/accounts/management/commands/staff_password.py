import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.models import User
from xinyong.accounts.services import staff_password_set
from xinyong.core.context import request_context
from xinyong.core.errors import PermissionDenied, ValidationFailed


class Command(BaseCommand):
    help = (
        "市信用办为工作人员设置新密码（忘记密码或疑似泄露时；工作人员账号不能通过电子邮件"
        "重置），同时解除该账号的登录锁定。新密码从终端输入两次，或从标准输入读入一行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="工作人员用户名")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"username: 用户“{username}”不存在")
        if sys.stdin.isatty():
            password = getpass.getpass("新密码：")
            if getpass.getpass("再次输入新密码：") != password:
                raise CommandError("password: 两次输入的密码不一致")
        else:
            password = sys.stdin.readline().rstrip("\n")
        with request_context(channel="cli"):
            try:
                staff_password_set(actor=SYSTEM, user=user, password=password)
            except (ValidationFailed, PermissionDenied) as e:
                raise CommandError(str(e)) from None
        self.stdout.write(f"已为 {username} 设置新密码，登录锁定已解除。")
