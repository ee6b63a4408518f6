"""`xinyong catalog sync|list|show CODE`: the credit information catalog."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.actors import SYSTEM
from xinyong.catalog import selectors, services
from xinyong.core.context import request_context
from xinyong.core.errors import NotFound, ValidationFailed, describe


class Command(BaseCommand):
    help = "信用信息资源目录：sync 按目录文件同步（新增版本，不改历史）；list 列出；show 查看定义"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync", "list", "show"])
        parser.add_argument("code", nargs="?")

    def handle(self, *args, action, code=None, **opts):
        if action == "sync":
            try:
                with request_context(channel="cli"):
                    report = services.catalog_sync(actor=SYSTEM)
            except ValidationFailed as e:
                raise CommandError(describe(e.errors)) from None
            for label, names in vars(report).items():
                if names:
                    self.stdout.write(f"{label}: {', '.join(names)}")
            return
        if action == "list":
            for _item, d in selectors.catalog_items():
                self.stdout.write(
                    f"{d.code:28} v{d.version:<3} {d.polarity:9} {d.disclosure:10} {d.name}"
                )
            return
        if not code:
            raise CommandError("show 需要目录项编码")
        try:
            _version, d = selectors.item_current(code)
        except NotFound as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"{d.name}（{d.code}）v{d.version}  {d.legal_basis}")
        for f in d.all_fields:
            req = "必填" if f.required else ""
            self.stdout.write(f"  {f.code:12} {f.name:24} {f.type:10} {f.disclosure:10} {req}")
