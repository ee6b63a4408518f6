"""Menus and buttons offer only what the role may do (issue #14: a clerk was shown the audit
log and then refused; shown 同意修复 and then told only a reviewer decides). What is shown
comes from the access rules; the endpoints still refuse on their own."""

import re

import pytest
from django.urls import reverse

from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
from xinyong.remedies import services
from xinyong.remedies.models import RepairApplication
from xinyong.remedies.tests.test_repairs import bound, pdf  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

# Every page the back office's menu can offer.
PAGES = [
    "dashboard", "subject_search", "batches", "quality", "publicity_timeliness",
    "publicity_withdrawals", "publicity_rules", "calendar", "list_cases", "roll", "bindings",
    "objections", "repairs", "checks", "reports", "tasks", "effectiveness", "catalog",
    "code_defects", "audit", "api_clients", "declarations", "commitments",
    "commitment_settings", "evaluation", "inspection_plans", "inspection_items",
    "inspectors", "scorecards", "monthly_reports", "webhooks", "exchange_digests",
    "stats", "demonstration", "notice_receipts", "staff_misconduct", "public_bodies",
    "practitioners", "professions", "alerts", "alert_precision", "alert_rules", "tips",
    "tip_settings", "association_authorisations", "agencies",
]  # fmt: skip


def _menu(html: str) -> set[str]:
    nav = re.search(r'<nav id="site-nav".*?</nav>', html, re.S).group(0)
    return set(re.findall(r'href="(/backoffice/[^"]*)"', nav))


@pytest.mark.parametrize(
    ("who", "hidden"),
    [
        (
            "market_clerk",
            {
                "audit",
                "api_clients",
                "commitment_settings",
                "exchange_digests",
                "alert_rules",
                "tip_settings",
            },
        ),
        (
            "market_reviewer",
            {
                "audit",
                "api_clients",
                "commitment_settings",
                "exchange_digests",
                "alert_rules",
                "tip_settings",
            },
        ),
        ("operator", set()),
        (
            "auditor",
            {
                "bindings",
                "objections",
                "repairs",
                "api_clients",
                "declarations",
                "commitment_settings",
                "alert_rules",
                "tip_settings",
            },
        ),
    ],
)
def test_the_menu_shows_exactly_the_pages_the_role_may_open(client, users, who, hidden):
    client.force_login(users[who])
    menu = _menu(client.get(reverse("backoffice:dashboard")).content.decode())
    urls = {name: reverse(f"backoffice:{name}") for name in PAGES}
    assert menu == {url for name, url in urls.items() if name not in hidden}
    for name, url in urls.items():  # each shown link opens; each hidden one is refused
        assert client.get(url).status_code == (403 if name in hidden else 200), (who, name)


def test_only_the_deciding_reviewer_is_offered_the_repair_decision(client, users, bound):  # noqa: F811
    actor, entry, record = bound
    app = services.repair_apply(actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
                                statement="已整改", materials={"commitment": pdf()})  # fmt: skip
    url = reverse("backoffice:repairs")
    client.force_login(users["market_reviewer"])
    page = client.get(url).content.decode()
    assert "同意修复" in page and "华为技术有限公司" in page
    client.force_login(users["market_clerk"])
    page = client.get(url).content.decode()
    assert "华为技术有限公司" in page  # the clerk sees the application…
    assert "同意修复" not in page and "由本部门审核人决定" in page  # …not the decision
    # The endpoint still refuses the clerk, whatever the page showed.
    post = {"application": app.pk, "decision": "approve", "reason": "符合条件"}
    client.post(url, post)
    assert RepairApplication.objects.get(pk=app.pk).status == "submitted"
