import pytest

from xinyong.accounts.services import portal_account_register

PASSWORD = "Xinyong-demo-2026"


@pytest.fixture
def portal_user(db):
    return portal_account_register(
        username="qiye_zhang", password=PASSWORD, display_name="张三", email="zhang@example.com"
    )
