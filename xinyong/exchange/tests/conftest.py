import pytest

from xinyong.conftest import HUAWEI
from xinyong.exchange.tests.webhook_receiver import Receiver


@pytest.fixture(autouse=True)
def _webhook_targets(settings):
    """The tests' receiver runs on 127.0.0.1 over plain http: allowed here only."""
    settings.XINYONG_WEBHOOK_ALLOW_HTTP = True
    settings.XINYONG_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.XINYONG_WEBHOOK_ALLOWED_HOSTS = ["*.example.gov.cn"]


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def huawei(actors):
    from xinyong.subjects import services

    return services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )


@pytest.fixture
def fake_feed(monkeypatch):
    """Feed entries made from the change alone (object id and the subject's USCC), for the
    tests of delivery itself; what a feed publishes is the feeds' tests' business."""
    from xinyong.exchange.models import Change
    from xinyong.exchange.webhooks import dispatch
    from xinyong.subjects.models import Subject

    def feed_read(feed, *, after, limit, actor=None):
        rows = list(Change.objects.filter(feed=feed, seq__gt=after).order_by("seq")[:limit])
        codes = dict(Subject.objects.filter(pk__in={r.subject_id for r in rows})
                     .values_list("pk", "uscc"))  # fmt: skip
        entries = [{"seq": r.seq, "action": r.action, "at": r.at, "id": r.object_id,
                    "uscc": codes.get(r.subject_id)} for r in rows]  # fmt: skip
        return entries, (rows[-1].seq if rows else None)

    monkeypatch.setattr(dispatch, "feed_read", feed_read)
