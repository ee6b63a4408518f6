"""A real Chromium: a company found on the portal downloads its public credit report, scans
the QR code printed on it and sees the report confirmed genuine; a byte changed in the PDF
makes it "not genuine", on the page and in the offline script with the published key. The
company's bound account obtains its special report (one domain with a record, one without),
and a department clerk obtains a review report in the back office.

Every page of each PDF is rendered to PNG and kept, with screenshots of the pages, under
$XINYONG_VAR_DIR/artifacts/reports/, for a person to look at."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.apps import apps
from django.conf import settings as django_settings
from django.utils import timezone

from xinyong.accounts.services import portal_account_register
from xinyong.core.tests import shots
from xinyong.lists.tests.conftest import designate
from xinyong.remedies.models import SubjectBinding
from xinyong.reports.tests.conftest import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
PASSWORD = "Credit-Office-2026!"
NAME = "华为技术有限公司"
ART = Path(os.environ.get("XINYONG_VAR_DIR", "var")) / "artifacts" / "reports"
SCRIPT = Path(django_settings.BASE_DIR) / "scripts" / "verify_report.py"
# A transactional test may follow another one, whose flush removed the seeded rows.
SEEDS = (
    "xinyong.disclosure.migrations.0002_default_rules",
    "xinyong.lists.migrations.0002_default_list_types",
    "xinyong.lists.migrations.0004_repair_after",
    "xinyong.sanctions.migrations.0002_default_measures",
    "xinyong.reports.migrations.0002_default_domains",
)


@pytest.fixture
def seeded(transactional_db, settings, live_server):
    """The default rules and the domain table; the QR codes point at this live server."""
    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)
    settings.XINYONG_PUBLIC_URL = live_server.url
    ART.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def company(seeded, actors, published):
    """华为技术有限公司 with a penalty in publicity (market regulation) and a
    serious-dishonesty entry; nothing from the tax department."""
    designate(actors, published)
    return published.subject


# The elements sticking out beyond the right edge of the screen (named in a failure).
WIDE = """[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > 390)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def shot(page, name: str) -> None:
    shots.keep(page, str(ART / f"{name}.png"), full_page=True)


def pages_png(pdf: bytes, prefix: str) -> list[Path]:
    """Every page of ``pdf`` as a PNG artifact ``<prefix>-p<n>.png`` (scale 1.5)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for i in range(len(doc)):
            path = ART / f"{prefix}-p{i + 1}.png"
            doc[i].render(scale=1.5).to_pil().save(path)
            out.append(path)
    finally:
        doc.close()
    return out


def download(page, selector: str, to: Path) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    info.value.save_as(to)
    return to.read_bytes()


def verify_offline(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this interpreter, the project's own script
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=30
    )


def test_public_report_downloaded_scanned_and_verified(
    live_server, page, company, csp_violations, tmp_path, a11y
):
    page.set_viewport_size({"width": 1280, "height": 900})
    # Found on the portal by its name
    page.goto(live_server.url + "/")
    page.fill("input[name=q]", "华为技术")
    page.click("button[type=submit]")
    page.click(f"table.results >> text={NAME}")
    page.wait_for_url(f"**/subjects/{company.pk}/")
    shot(page, "portal-subject")
    page.click("text=下载公共信用信息报告")
    page.wait_for_url("**/reports/*/?c=*")
    shot(page, "portal-report")
    a11y(page, "the public report's page")
    assert page.locator("h1").inner_text() == "公共信用信息报告"
    number = page.locator("code.report-number").inner_text()
    code = page.locator("code.report-code").inner_text()
    pdf = download(page, "text=下载报告（PDF）", ART / "public.pdf")
    twin_path = ART / "public.json"
    twin = json.loads(download(page, "text=下载带电子签名的数据文件（JSON）", twin_path))
    assert twin["report"]["number"] == number and twin["report"]["subject"]["name"] == NAME

    # What a reader sees in the PDF, page by page
    pngs = pages_png(pdf, "public")
    text = pdf_text(pdf)
    assert NAME in text and company.uscc in text and number in text and code in text
    assert "信市监罚〔2026〕1号" in text and "严重失信主体名单" in text
    assert f"第1页/共{len(pngs)}页" in text and f"第{len(pngs)}页/共{len(pngs)}页" in text
    if len(pngs) > 1:  # the running header of every page after the cover
        assert text.count(f"报告编号：{number}") >= len(pngs) - 1

    # The QR code printed on the first page opens the verification of this very report
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(pngs[0]))
    assert [b.format.name for b in found] == ["QRCode"], found
    link = found[0].text
    assert link == f"{live_server.url}/verify/?n={number}&c={code}"
    page.goto(link)
    assert page.locator(".verdict h2").inner_text() == "真实有效"
    assert NAME in page.locator("dl.facts").inner_text()
    shot(page, "verify-qr")

    # One byte changed in the PDF: not the report that was issued
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(changed))
    page.goto(live_server.url + "/verify/")
    page.fill("input[name=n]", number)
    page.fill("input[name=c]", code)
    page.set_input_files("input[name=pdf]", str(altered))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(".verdict")
    assert page.locator(".verdict h2").inner_text() == "文件与报告不符（文件已被改动）"
    shot(page, "verify-altered")
    a11y(page, "verification: altered file")
    page.set_input_files("input[name=pdf]", str(ART / "public.pdf"))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(".verdict-genuine")
    assert page.locator(".verdict h2").inner_text() == "真实有效"
    assert "所上传的文件与出具的报告一致" in page.locator(".verdict").inner_text()
    shot(page, "verify-uploaded")
    a11y(page, "verification: genuine file")

    # At phone width the verification page fits the screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    shot(page, "verify-phone")
    a11y(page, "verification at 390px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(WIDE)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Offline: the key published on the portal, the script, no platform
    page.goto(live_server.url + "/verify/keys/")
    shot(page, "verify-keys")
    row = page.locator("tr", has=page.locator(f"code:text-is('{twin['signature']['key_id']}')"))
    key = row.locator("td").nth(1).inner_text().strip()
    ok = verify_offline(str(twin_path), "--key", key, "--pdf", str(ART / "public.pdf"))
    assert ok.returncode == 0 and ok.stdout.startswith("GENUINE"), ok.stdout + ok.stderr
    keys = tmp_path / "keys.json"
    keys.write_text(page.request.get(live_server.url + "/api/v1/reports/keys").text())
    bad = verify_offline(str(twin_path), "--keys", str(keys), "--pdf", str(altered))
    assert bad.returncode == 1 and bad.stdout.startswith("NOT GENUINE"), bad.stdout + bad.stderr
    assert csp_violations == []
    assert a11y.found == []


def test_the_bound_account_obtains_its_special_report(
    live_server, page, company, csp_violations, a11y
):
    agent = portal_account_register(username="huawei_agent", password=PASSWORD,
                                    display_name="李经办")  # fmt: skip
    SubjectBinding.objects.create(
        user=agent, subject=company, status="approved", applicant="李经办",
        phone="13800000000", evidence_path="x.pdf", evidence_name="x.pdf", evidence_sha256="0",
        requested_at=timezone.now(), via="operator", reviewed_by="operator",
    )  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/account/login/")
    page.fill("input[name=username]", "huawei_agent")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/account/")
    page.click(f"text={NAME}")
    page.wait_for_url(f"**/account/subjects/{company.pk}/")
    form = page.locator("form.special-report")
    form.locator("input[name=domains][value=market]").check()
    form.locator("input[name=domains][value=tax]").check()
    form.locator("input[name=purpose]").fill("投标")
    shot(page, "account-special-form")
    a11y(page, "the special report's form, filled")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/reports/*/?c=*")
    assert page.locator("h1").inner_text() == "专项信用报告"
    a11y(page, "the special report issued")
    number = page.locator("code.report-number").inner_text()
    pdf = download(page, "text=下载报告（PDF）", ART / "special.pdf")
    pngs = pages_png(pdf, "special")
    text = pdf_text(pdf)
    assert NAME in text and number in text and f"第1页/共{len(pngs)}页" in text
    # the domain with a record lists it; the one without states that none was found
    market, tax = text.split("1.市场监管")[1].split("2.税务")
    assert "信市监罚〔2026〕1号" in market and "信市监认〔2026〕1号" in market
    assert "未发现" not in market
    assert "该主体在税务领域未发现行政处罚" in tax and "信市监" not in tax
    # listed on the account page
    page.goto(f"{live_server.url}/account/subjects/{company.pk}/")
    row = page.locator("table.report-list tr", has=page.locator(f"code:text-is('{number}')"))
    assert "专项信用报告" in row.inner_text()
    shot(page, "account-reports")
    assert csp_violations == []
    assert a11y.found == []


def test_a_clerk_obtains_a_review_report(live_server, page, company, csp_violations, a11y):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("input[name=username]", "market_clerk")
    page.fill("input[name=password]", "Xinyong-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")
    page.click("header >> text=信用报告")
    page.wait_for_url("**/backoffice/reports/")
    page.fill("input[name=uscc]", company.uscc)
    page.check("input[name=kind][value=review]")
    page.select_option("select[name=purpose_choice]", "政府采购")
    page.fill("input[name=purpose_text]", "市政务云采购项目投标人审查")
    page.click("main form.stack button[type=submit]")
    page.wait_for_selector("text=已出具信用审查报告")
    number = page.locator(".check-result code").first.inner_text()
    row = page.locator("tr", has=page.locator(f"code:text-is('{number}')"))
    assert "政府采购：市政务云采购项目投标人审查" in row.inner_text()
    assert NAME in row.inner_text()
    shot(page, "backoffice-reports")
    a11y(page, "the review report issued (message, result)")
    pdf = download(page, ".check-result >> text=下载报告（PDF）", ART / "review.pdf")
    pngs = pages_png(pdf, "review")
    text = pdf_text(pdf)
    assert "信用审查报告" in text and number in text and "市政务云采购项目投标人审查" in text
    assert f"第{len(pngs)}页/共{len(pngs)}页" in text
    assert csp_violations == []
    assert a11y.found == []
