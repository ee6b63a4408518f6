"""`xinyong webhooks_run`: fan out the change log and send due webhook deliveries, once
(until caught up) or ``--loop`` (for platforms whose task backend cannot defer: a service
or cron instead of the worker's pump)."""

import time

from django.core.management.base import BaseCommand

from xinyong.core.context import request_context
from xinyong.exchange.webhooks.tasks import POLL_SECONDS, pump


class Command(BaseCommand):
    help = "分发变动日志并投递到期的变动订阅消息"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行")
        parser.add_argument("--seconds", type=float, default=600, help="每轮最长运行秒数")

    def handle(self, *args, loop=False, seconds=600, **options):
        while True:
            with request_context(channel="command"):
                changes, queued, sent = pump(seconds=seconds)
            self.stdout.write(f"changes={changes} queued={queued} attempts={sent}")
            if not loop:
                return
            time.sleep(POLL_SECONDS)
