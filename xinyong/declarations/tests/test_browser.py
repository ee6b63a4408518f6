"""A real Chromium, in the demo city: the demo company's agent (portal login ``qiye_demo``),
on a desktop, declares an honour under the pledge with its evidence and sees it waiting;
the market regulator's clerk, on a phone, finds it on the dashboard's to-do list, opens it,
tries to refuse it without reasons (told so beside the field), then verifies it; the agent
sees it entered in the credit file, marked self-declared and verified. Each state is
checked by axe-core."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from xinyong.declarations.models import Declaration
from xinyong.declarations.tests.conftest import PDF
from xinyong.records.models import Record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Xinyong-demo-2026"  # the demo city's (xinyong.demo.city.DEMO_PASSWORD)
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
SEEDS = (  # a transactional test may follow another one, whose flush removed them
    "xinyong.disclosure.migrations.0002_default_rules",
    "xinyong.lists.migrations.0002_default_list_types",
    "xinyong.lists.migrations.0003_court_list",
    "xinyong.lists.migrations.0004_repair_after",
    "xinyong.sanctions.migrations.0002_default_measures",
    "xinyong.reports.migrations.0002_default_domains",
    "xinyong.commitments.migrations.0002_default_templates",
)
TITLE = "信安市诚信示范企业（2026年度）"


@pytest.fixture
def city(transactional_db, live_server, tmp_path):
    from xinyong.commitments.selectors import rules_forget

    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)
    rules_forget()  # the templates seeded again have new ids
    call_command("demo_city", "--seed", "2026", "--subjects", "50", "--quiet",
                 stdout=io.StringIO())  # fmt: skip
    from xinyong.remedies.models import SubjectBinding

    evidence = tmp_path / "示范企业证书.pdf"
    evidence.write_bytes(PDF)
    return SubjectBinding.objects.get(user__username="qiye_demo").subject, evidence


def _sign_in(page, base: str, login: str, username: str) -> None:
    page.goto(base + login)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: login not in u)


def test_the_company_declares_and_the_department_verifies(live_server, browser, city, a11y):
    subject, evidence = city
    base = live_server.url
    agent = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    agent.set_default_timeout(15_000)
    _sign_in(agent, base, "/account/login/", "qiye_demo")
    agent.goto(f"{base}/account/subjects/{subject.pk}/")
    agent.click("text=自主申报信用信息")
    agent.wait_for_url(f"**/account/subjects/{subject.pk}/declarations/")
    agent.click("button[type=submit]:has-text('签署承诺并提交申报')")  # empty: the browser asks
    assert not Declaration.objects.filter(title=TITLE).exists()
    agent.select_option("select[name=kind]", "honor")
    agent.fill("input[name=title]", TITLE)
    agent.fill("textarea[name=content]", "2026年3月经市市场监管局评定并公示，证书编号 XA2026-018。")
    agent.select_option("select[name=department]", "SCJG")
    agent.set_input_files("input[name=evidence]", str(evidence))
    agent.check("input[name=pledge]")
    a11y(agent, "the declaration, filled (desktop)")
    agent.click("button[type=submit]:has-text('签署承诺并提交申报')")
    agent.wait_for_selector("text=自主申报已提交")
    row = agent.locator("table.declarations tr", has_text=TITLE)
    assert row.locator("td.declaration-status").inner_text() == "待核实"
    a11y(agent, "the declaration submitted (desktop)")
    d = Declaration.objects.get(title=TITLE)

    clerk = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    clerk.set_default_timeout(15_000)
    _sign_in(clerk, base, "/backoffice/login/", "scjg_clerk")
    clerk.goto(f"{base}/backoffice/")
    clerk.click(f"a[href='/backoffice/declarations/{d.pk}/']")
    clerk.wait_for_url(f"**/backoffice/declarations/{d.pk}/")
    assert "示范企业证书.pdf" in clerk.inner_text("main")
    a11y(clerk, "the declaration to verify (phone)")
    width = clerk.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a phone"
    clerk.click("button[value=refuse]")  # no reasons: told beside the field
    assert "请写明理由" in clerk.inner_text("#id_reason_error")
    a11y(clerk, "a refusal without reasons (phone)")
    clerk.click("button[value=verify]")
    clerk.wait_for_selector("text=已办理")
    d.refresh_from_db()
    assert d.status == "verified" and Record.objects.get(pk=d.record_id).source_id == d.number

    agent.reload()
    row = agent.locator("table.declarations tr", has_text=TITLE)
    assert "已记入信用档案" in row.locator("td.declaration-status").inner_text()
    agent.goto(f"{base}/account/subjects/{subject.pk}/?category=voluntary#records")
    assert "自主申报信息（已核实）" in agent.inner_text("#records")
    assert TITLE in agent.inner_text("#records")
    a11y(agent, "the credit file with the verified declaration (desktop)")
    assert a11y.found == []
