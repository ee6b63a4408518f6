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
