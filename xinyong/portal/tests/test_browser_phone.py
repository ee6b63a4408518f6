"""A real Chromium at a phone's width (390×844) and a desktop's (1280×900) visits every page
of the portal, of a company's account and of the back office (as a department clerk and as
the credit office): no page is wider than the screen (the elements sticking out are named),
no table squeezes a column to a character a line, and on a phone the header's menu is
folded behind a button that opens it — without inline script, under the CSP. And each page
is accessible: axe-core (core/tests/axe.py) finds no serious or critical violation on it at
the desktop's width, nor at the phone's on the pages in AXE_PHONE (the folded menu, cards).

The pages come from the URLconf, so a page added later is visited too: a page with path
arguments needs its objects (ARGS), a URL that is not a page to look at says why (NOT_PAGES);
a URL in neither fails the test. The data is the demo city (the README's demo logins) plus an
objection, a credit check, a public report and a report batch. A full-page screenshot of each
page at each size is kept under $XINYONG_VAR_DIR/artifacts/phone/ for a person to look at
(core/tests/shots.py: not on scripts/test's runs)."""

import importlib
import io
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from xinyong.conftest import REPORT_CSP
from xinyong.core.tests import axe, shots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                                                         databases=["default", "hot"])]  # fmt: skip
ART = Path(os.environ.get("XINYONG_VAR_DIR", "var")) / "artifacts" / "phone"
PHONE, DESKTOP = (390, 844), (1280, 900)
PASSWORD = "Xinyong-demo-2026"  # the demo city's (xinyong.demo.city.DEMO_PASSWORD)
# A transactional test may follow another one, whose flush removed the seeded rows.
SEEDS = (
    "xinyong.disclosure.migrations.0002_default_rules",
    "xinyong.lists.migrations.0002_default_list_types",
    "xinyong.lists.migrations.0003_court_list",
    "xinyong.lists.migrations.0004_repair_after",
    "xinyong.sanctions.migrations.0002_default_measures",
    "xinyong.reports.migrations.0002_default_domains",
    "xinyong.commitments.migrations.0002_default_templates",
    "xinyong.evaluation.migrations.0002_default_model",
    "xinyong.alerts.migrations.0002_default_rules",
)

# URLs of the portal and the back office that are not pages to lay out, and why.
NOT_PAGES = {
    "backoffice:association_authorisation_end": "POST only",
    "backoffice:association_member_leave": "POST only",
    "backoffice:association_sanction_notice": "a PDF file",
    "portal:account_association_sanction_notice": "a PDF file",
    "backoffice:association_sanction_document": "a PDF file",
    "portal:account_association_sanction_document": "a PDF file",
    # An association's own case and campaign: only its people open them (no role of this
    # walk is an association); xinyong/associations/tests/test_browser.py lays them out.
    "backoffice:association_campaign": "the association's own (see its browser test)",
    "backoffice:association_sanction": "the association's own (see its browser test)",
    "portal:account_logout": "POST only",
    "portal:subject_report": "POST only: issues a report",
    "portal:report_pdf": "a PDF file",
    "portal:report_json": "a JSON file",
    "backoffice:logout": "POST only",
    "backoffice:batch_report": "a CSV file",
    "backoffice:batch_retry": "POST only",
    "backoffice:record_withdraw": "POST only",
    "backoffice:repair_material": "an uploaded file",
    "backoffice:binding_evidence": "an uploaded file",
    "backoffice:objection_evidence": "an uploaded file",
    "backoffice:check_feedback": "POST only (the form is on the check page)",
    "backoffice:list_follow_up": "POST only (the forms are on the case page)",
    "backoffice:report_pdf": "a PDF file",
    "backoffice:report_batch_zip": "a ZIP file",
    "backoffice:api_client_revoke": "POST only (the buttons are on the clients page)",
    "portal:correction_pdf": "a PDF file",
    "portal:account_entry_prior_notice": "a PDF file",
    "portal:account_entry_decision": "a PDF file",
    "portal:account_rectification_pdf": "a PDF file",
    "backoffice:list_prior_notice": "a PDF file",
    "backoffice:list_decision": "a PDF file",
    "backoffice:list_statement_file": "an uploaded file",
    "backoffice:rectification_pdf": "a PDF file",
    "backoffice:declaration_evidence": "an uploaded file",
    "backoffice:commitment_scan": "an uploaded file",
    "backoffice:commitment_evidence": "an uploaded file",
    "backoffice:inspection_plan_candidates": "a text file (a plan's frozen list)",
    "backoffice:inspection_plan_pool": "a text file (a plan's frozen pool)",
    "backoffice:monthly_report_pdf": "a PDF file",
    "backoffice:monthly_report_xlsx": "an XLSX file",
    "backoffice:stats_download": "an XLSX file (the links are on the statistics page)",
    "backoffice:alert_notice_pdf": "a PDF file",
    "portal:account_warning_pdf": "a PDF file",
    "backoffice:tip_evidence": "an uploaded file",
    "backoffice:agency_file": "an uploaded file (a filing's material)",
    "portal:account_agency_removal_notice": "a PDF file",
    "portal:account_agency_removal_decision": "a PDF file",
    "backoffice:agency_removal_notice": "a PDF file",
    "backoffice:agency_removal_decision": "a PDF file",
    "backoffice:agency_removal_statement_file": "an uploaded file (a statement's attachment)",
}
# Who looks at a page: the back office's as a clerk and as the credit office; the account's
# as the company's agent; the rest as anybody.
PUBLIC_TOO = {"backoffice:login", "portal:account_login", "portal:account_register"}


def role_of(name: str) -> str:
    if name in PUBLIC_TOO:
        return "public"
    if name.startswith("backoffice:"):
        return "staff"
    if name == "portal:account" or name.startswith("portal:account_"):
        return "company"
    return "public"


def url_names() -> list[str]:
    """Every named URL of the portal and the back office, in URLconf order."""
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in ("portal", "backoffice"):
                found.append(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return found


# The path arguments (and a query showing the page with content) of the pages that take them.
def _args(w: dict) -> dict[str, tuple[dict, str]]:
    subject = w["subject"].pk
    uid = urlsafe_base64_encode(force_bytes(w["agent"].pk))
    token = default_token_generator.make_token(w["agent"])
    return {
        "portal:search": ({}, "?q=信安"),
        "portal:subject": ({"pk": subject}, ""),
        "portal:list": ({"code": "serious_dishonesty"}, ""),
        "portal:policy": ({"slug": "jiangsu-2015-88"}, ""),
        "portal:publicity": ({}, f"?kind={w['published'][0]}"),
        "portal:publicity_detail": ({"pk": w["published"][1].id}, ""),
        "portal:report": ({"number": w["report"].number}, f"?c={w['code']}"),
        "portal:verify": ({}, f"?n={w['report'].number}&c={w['code']}"),
        "portal:password_reset_confirm": ({"uidb64": uid, "token": token}, ""),
        "portal:account_subject": ({"pk": subject}, ""),
        "portal:account_objection_new": ({"pk": subject}, ""),
        "portal:account_repair_new": ({"pk": subject}, ""),
        "portal:account_reports": ({"pk": subject}, ""),
        "portal:account_entry_statement": ({"pk": w["own_entry"].pk}, ""),
        "portal:account_commitment_new": (
            {"pk": subject},
            "?matter=government_procurement&kind=scene",
        ),
        "portal:account_commitment": ({"pk": w["commitment"].pk}, ""),
        "backoffice:subject": ({"pk": subject}, ""),
        "backoffice:subject_search": ({}, "?by=name&q=信安"),
        "backoffice:batch": ({"pk": w["batch"].pk}, ""),
        "backoffice:list_case": ({"pk": w["entry"].pk}, ""),
        "backoffice:catalog_item": ({"code": "administrative_penalty"}, ""),
        "backoffice:catalog_item_edit": ({"code": "administrative_penalty"}, ""),
        "backoffice:roll": ({}, f"?period={w['roll_period']}"),
        "backoffice:report_batch": ({"pk": w["report_batch"].pk}, ""),
        "portal:account_declarations": ({"pk": subject}, ""),
        "backoffice:declaration": ({"pk": w["declaration"].pk}, ""),
        "backoffice:commitment": ({"pk": w["commitment"].pk}, ""),
        "backoffice:commitment_new": ({}, f"?subject={subject}"),
        "backoffice:commitment_matter": ({"code": "administrative_licensing"}, ""),
        "portal:account_evaluation": ({"pk": subject}, ""),
        "backoffice:evaluation_model": ({"pk": w["model_version"].pk}, ""),
        "portal:inspection_plan": ({"number": w["plan"].number}, "?rerun=1"),
        "backoffice:inspection_plan": ({"pk": w["plan"].pk}, ""),
        "backoffice:scorecard_department": ({"code": "SCJG"}, ""),
        "backoffice:webhook": ({"pk": w["webhook"].pk}, ""),
        "portal:demonstration_campaign": ({"pk": w["demo_unit"].campaign_id}, ""),
        "backoffice:demonstration_campaign": ({"pk": w["demo_unit"].campaign_id}, ""),
        "backoffice:demonstration_unit": ({"pk": w["demo_unit"].pk}, ""),
        "portal:account_demonstration": ({"pk": subject}, ""),
        "backoffice:notice_receipt": ({"pk": w["notice_receipt"]}, ""),
        "backoffice:public_body": ({"pk": w["public_body"]}, ""),
        "backoffice:practitioner": ({"pk": w["practitioner"]}, ""),
        "portal:account_practitioner": ({"pk": subject}, ""),
        # The demo's constructors are published: the column's search finds one by number.
        "portal:practitioners": ({}, f"?profession=constructor&q={w['constructor'].licence_no}"),
        "portal:practitioner": ({"pk": w["constructor"].pk}, ""),
        "backoffice:alert": ({"pk": w["alert"].pk}, ""),
        "backoffice:alert_rule": ({"pk": w["alert"].rule_id}, ""),
        "portal:account_warnings": ({"pk": subject}, ""),
        "portal:tips": ({}, "?q=信安"),
        "portal:tip_new": ({"pk": subject}, ""),
        "backoffice:tip": ({"pk": w["tip"].pk}, ""),
        "portal:account_associations": ({"pk": subject}, ""),
        "portal:account_association_sanction": ({"pk": w["association_sanction"].pk}, ""),
        "portal:agency": ({"pk": w["agency"].pk}, ""),
        "portal:account_agency": ({"pk": subject}, ""),
        "portal:account_authorisations": ({"pk": subject}, ""),
        "backoffice:agency": ({"pk": w["agency"].pk}, ""),
    }


@pytest.fixture
def world(transactional_db, settings, live_server):
    """The demo city at 50 subjects, with what the queues and the report pages show."""
    from xinyong.accounts.actors import Actor
    from xinyong.accounts.models import User
    from xinyong.commitments.selectors import rules_forget
    from xinyong.disclosure.selectors import column_query, column_search
    from xinyong.ingest.models import Batch
    from xinyong.lists.models import ListEntry
    from xinyong.remedies.models import SubjectBinding
    from xinyong.remedies.services import objection_file
    from xinyong.reports.services.batch import report_batch_submit
    from xinyong.reports.services.issue import report_issue
    from xinyong.reports.tasks import enqueue_batch
    from xinyong.sanctions.services.checks import credit_check

    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)
    rules_forget()  # the templates seeded again have new ids
    settings.XINYONG_PUBLIC_URL = live_server.url
    call_command("demo_city", "--seed", "2026", "--subjects", "50", "--quiet",
                 stdout=io.StringIO())  # fmt: skip
    agent = User.objects.get(username="qiye_demo")
    subject = SubjectBinding.objects.get(user=agent).subject
    record = subject.records.filter(status="active").order_by("pk").first()
    objection_file(actor=Actor.for_user(agent), record_id=record.pk,
                   reasons="处罚决定已被复议机关撤销，请更正")  # fmt: skip
    clerk = Actor.for_user(User.objects.get(username="scjg_clerk"))
    credit_check(actor=clerk, matter="government_procurement", uscc=subject.uscc)
    issued = report_issue(actor=clerk, kind="public", subject=subject)
    report_batch = report_batch_submit(actor=clerk, kind="review", purpose="政府采购",
                                       codes=[subject.uscc], enqueue=enqueue_batch)  # fmt: skip
    commitment = _commitment(agent, subject, clerk)
    from xinyong.bodies.tests.conftest import matrix_public_body
    from xinyong.demonstration.models import Unit

    reviewer = Actor.for_user(User.objects.get(username="scjg_reviewer"))
    public_body, notice_receipt = matrix_public_body({"market_clerk": clerk,
                                                      "market_reviewer": reviewer})  # fmt: skip
    from xinyong.practitioners.tests.conftest import matrix_practitioner

    office = Actor.for_user(User.objects.get(username="xyb_admin"))
    practitioner = matrix_practitioner({"market_clerk": clerk, "operator": office})
    from xinyong.alerts.models import Alert
    from xinyong.evaluation.models import ModelVersion
    from xinyong.practitioners.models import Practitioner
    from xinyong.supervision.models import InspectionPlan

    return {
        "demo_unit": Unit.objects.filter(status="awarded").order_by("pk").first(),
        "public_body": public_body,
        "notice_receipt": notice_receipt,
        "practitioner": practitioner,
        "constructor": Practitioner.objects.filter(profession__code="constructor")
        .order_by("pk")
        .first(),
        "alert": Alert.objects.filter(subject=subject, department__code="SCJG").first(),
        "tip": _tip(subject),
        "association_sanction": _association(clerk, subject),
        "agency": _agency(agent, subject),
        "webhook": _webhook(clerk, subject, settings),
        "model_version": ModelVersion.objects.get(active=True),
        "plan": InspectionPlan.objects.order_by("pk").first(),
        "commitment": commitment,
        "agent": agent,
        "subject": subject,
        "published": next(
            (kind, row)
            for kind in ("penalty", "licence")  # a small city may have published only one
            for row in column_search(column_query({"kind": kind}))[0]
        ),
        "report": issued.report,
        "code": issued.code,
        "batch": Batch.objects.filter(provider__code="SCJG").order_by("-pk").first(),
        "entry": ListEntry.objects.filter(external=False).order_by("pk").first(),
        "own_entry": ListEntry.objects.filter(subject=subject).order_by("external", "pk").first(),
        "report_batch": report_batch,
        # The demo company's first self-declaration (the market regulator verified it).
        "declaration": subject.declarations.order_by("pk").first(),
        # A month whose roll preview has entries (the credit office's view of the roll page).
        "roll_period": (
            ListEntry.objects.filter(list_type__on_roll=True, decided_on__isnull=False)
            .order_by("-decided_on")
            .values_list("decided_on", flat=True)
            .first()
            or timezone.localdate()
        ).strftime("%Y-%m"),
    }


def _tip(subject):
    """An anonymous tip about the company, routed to the market regulator (the clerk's queue
    and the tip's page show it)."""
    from xinyong.accounts.actors import ANONYMOUS, SYSTEM
    from xinyong.tips.services import tip_domain_save, tip_file

    tip_domain_save(actor=SYSTEM, code="market", name="市场监管", department_code="SCJG")
    tip, _code = tip_file(
        actor=ANONYMOUS, subject_id=subject.pk, content="门店销售过期食品",
        occurred_on="2025-11-20", place="文三路 100 号", domain_code="market",
    )  # fmt: skip
    return tip


def _association(clerk, subject):
    """An industry association authorised by the market regulator, the company a member,
    a campaign open and a sanction case told to the company (its portal pages)."""
    import datetime

    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.associations import services
    from xinyong.associations.tests.conftest import ASSOC_USCC
    from xinyong.subjects.services import organization_register

    dept = accounts.department_save(actor=SYSTEM, code="SPXH", name="信安市食品行业协会",
                                    kind="association", uscc=ASSOC_USCC)  # fmt: skip
    organization_register(actor=clerk, uscc=ASSOC_USCC, name="信安市食品行业协会")
    user = accounts.user_create(actor=SYSTEM, username="xh_demo", password=PASSWORD,
                                role="association_clerk", department=dept)  # fmt: skip
    services.authorisation_grant(
        actor=clerk, association_code="SPXH", items=["honor"], basis="授权决定",
        valid_from=datetime.date(2025, 1, 1),
    )  # fmt: skip
    a = Actor.for_user(user)
    services.member_add(actor=a, uscc=subject.uscc, joined_on=datetime.date(2025, 1, 1))
    services.campaign_open(actor=a, title="食品安全诚信自律承诺", text="本单位承诺守法诚信经营。")
    case = services.sanction_propose(
        actor=a, subject_id=subject.pk, kind="criticism", facts="虚假宣传",
        basis="自律公约第八条", reasons="违反公约",
    )  # fmt: skip
    return services.sanction_notify(actor=a, sanction_id=case.pk)


def _agency(agent, subject):
    """The demo company filed as a credit service agency and approved by the credit office,
    then notified of an intended removal (its account's agency page then shows persons,
    tokens, reports and the case with its statement form; the directory it, marked)."""
    from xinyong.accounts.actors import Actor
    from xinyong.accounts.models import User
    from xinyong.agencies import services
    from xinyong.agencies.tests.conftest import file_agency

    filing = file_agency(Actor.for_user(agent), subject)
    office = Actor.for_user(User.objects.get(username="xyb_admin"))
    services.filing_review(actor=office, filing_id=filing.pk, decision="approve")
    services.agency_removal_notify(actor=office, agency_id=filing.agency_id,
                                   facts="出具的信用报告引用了已撤销的处罚记录",
                                   basis="信用服务机构备案管理办法第二十条",
                                   reasons="出具虚假信用报告")  # fmt: skip
    return filing.agency


def _webhook(clerk, subject, settings):
    """The market regulator's change subscription about the company, a test message queued
    (its page shows the delivery log)."""
    from xinyong.exchange.webhooks.services import SubscriptionIn, webhook_create, webhook_ping

    settings.XINYONG_WEBHOOK_ALLOWED_HOSTS = ["*.example.gov.cn"]
    sub, _secret = webhook_create(actor=clerk, data=SubscriptionIn(
        name="市场监管业务系统", url="https://scjg.example.gov.cn/xinyong/webhook",
        kinds=["publicity", "lists"], codes=[subject.uscc], signing="ed25519"))  # fmt: skip
    webhook_ping(actor=clerk, subscription_id=sub.pk)
    return sub


def _commitment(agent, subject, clerk):
    """The company's tender commitment, a breach of it proposed: its page shows the
    proposal and the statement form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinyong.accounts.actors import Actor
    from xinyong.commitments import services

    c = services.commitment_sign(
        actor=Actor.for_user(agent), subject_id=subject.pk, matter="government_procurement",
        kind="scene", reason="参加政府采购，承诺近三年无重大违法记录", signatory="企业经办人",
        department="SCJG", pledge=True,
    )  # fmt: skip
    evidence = SimpleUploadedFile("核查记录.pdf", b"%PDF-1.4\n" + b"0" * 200, "application/pdf")
    return services.commitment_breach_propose(
        actor=clerk, commitment_id=c.pk, breach_kind="false",
        reasons="经核查，该企业近三年有行政处罚记录", evidence=evidence,
    )  # fmt: skip


# What makes a page wider than the screen, outermost first: an element sticking out beyond
# its right edge, or one whose content spills out of it (a long line in a <pre>), unless a
# box that scrolls on its own and fits holds it. And the cells, links, labels… squeezed
# narrower than two characters, their text wrapping a character a line.
OVERFLOW = """(width) => {
  const SQUEEZABLE = "th, td, a, button, label, dt, dd, li, h1, h2, h3, p";
  const inBox = (e) => { for (let p = e.parentElement; p && p !== document.body;
      p = p.parentElement) { if (getComputedStyle(p).overflowX !== "visible"
        && p.getBoundingClientRect().right <= width + 0.5) return true; }
    return false; };
  const name = (e) => `${e.tagName.toLowerCase()}${e.className ? "." + e.className : ""}`
    + ` «${(e.textContent || "").trim().slice(0, 24)}»`;
  const wide = [...document.querySelectorAll("body *")].filter((e) => {
    const r = e.getBoundingClientRect();
    if (!r.width || inBox(e)) return false;
    const spills = getComputedStyle(e).overflowX === "visible" && e.scrollWidth > e.clientWidth + 1;
    return r.right > width + 0.5 || (spills && r.left + e.scrollWidth > width + 0.5);
  });
  const outer = wide.filter((e) => !wide.includes(e.parentElement));
  const lines = (c) => { const range = document.createRange(); range.selectNodeContents(c);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; };
  const narrow = [...document.querySelectorAll(SQUEEZABLE)].filter((c) => {
    const s = getComputedStyle(c);
    if ((c.textContent || "").trim().length < 2 || s.display === "none") return false;
    const inner = c.getBoundingClientRect().width - parseFloat(s.paddingLeft)
      - parseFloat(s.paddingRight) - parseFloat(s.borderLeftWidth) - parseFloat(s.borderRightWidth);
    return inner < 1.9 * parseFloat(s.fontSize) && lines(c) > 1;
  });
  return {
    width: document.documentElement.scrollWidth,
    wide: outer.slice(0, 6).map((e) => `${name(e)} ${Math.round(e.getBoundingClientRect().right)}`),
    narrow: narrow.slice(0, 6).map(name),
  };
}"""
# The header's links on a phone: folded behind the menu button, shown once it is pressed.
MENU_PAGES = {"portal:home", "portal:account", "backoffice:dashboard"}
# Pages axe-core also checks at a phone's width (every page is checked at a desktop's): the
# header's folded menu, tables as cards or scrolling in their box, stacked facts and forms.
AXE_PHONE = MENU_PAGES | {
    "portal:search",
    "portal:subject",
    "portal:publicity",
    "portal:commitments",
    "portal:account_subject",
    "portal:account_commitment",
    "backoffice:subject",
    "backoffice:batches",
    "backoffice:scorecards",
}
MENU_LINKS_SHOWN = "[...document.querySelectorAll('#site-nav a')].filter((a) => a.offsetParent)"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def visit_all(page, base: str, role: str, pages: list[tuple[str, str]], problems: list[str],
              a11y: list[str], seen: Counter) -> int:  # fmt: skip
    """Each page at a phone's width then at a desktop's (one load, resized): measured,
    photographed and checked by axe-core. On each role's home page the phone menu is opened
    and photographed too."""
    menus = 0
    for name, url in pages:
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        response = page.goto(base + url)
        # (a page a role may not see answers 403: that page must fit the screen too)
        status = response.status if response else None
        assert status in (200, 403), f"{role} {url}: {status}"
        for w, h in (PHONE, DESKTOP):
            if w != PHONE[0]:
                page.set_viewport_size({"width": w, "height": h})
            got = page.evaluate(OVERFLOW, w)
            if got["width"] > w or got["narrow"]:
                problems.append(f"{role} {url} at {w}px: page {got['width']}px wide "
                                f"{got['wide']}; squeezed {got['narrow']}")  # fmt: skip
            if w == DESKTOP[0] or name in AXE_PHONE:
                a11y.extend(axe.violations(page, f"{role} {url} at {w}px", seen))
            # JPEG: a full-page PNG takes half as long again to encode; as good to look at.
            shot = ART / f"{role}-{_slug(name)}-{w}.jpg"
            shots.keep(page, str(shot), full_page=True, animations="disabled", caret="initial",
                            type="jpeg", quality=80)  # fmt: skip
        if name in MENU_PAGES:
            menu_opens(page, role, problems)
            menus += 1
    return menus


def menu_opens(page, role: str, problems: list[str]) -> None:
    """At a desktop's width the links are in the header; at a phone's they are folded and
    the menu button shows them all (and folds them again)."""
    shown = page.evaluate(f"{MENU_LINKS_SHOWN}.length")
    total = page.locator("#site-nav a").count()
    if not total or shown != total or page.locator(".menu-button").is_visible():
        problems.append(f"{role}: at {DESKTOP[0]}px {shown} of {total} menu links shown")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    folded = page.evaluate(f"{MENU_LINKS_SHOWN}.length")
    page.locator(".menu-button").click()
    opened = page.evaluate(f"{MENU_LINKS_SHOWN}.length")
    shots.keep(page, str(ART / f"{role}-menu-open-{PHONE[0]}.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    page.keyboard.press("Space")  # the switch has the focus: the keyboard folds it again
    again = page.evaluate(f"{MENU_LINKS_SHOWN}.length")
    if (folded, opened, again) != (0, total, 0) or width > PHONE[0]:
        problems.append(f"{role}: phone menu shows {folded}, {opened} once opened, {again} "
                        f"once closed, of {total} links; {width}px wide")  # fmt: skip


def sign_in(page, base: str, login: str, username: str) -> None:
    page.goto(base + login)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda u: login not in u)


def test_every_page_fits_a_phone_and_a_desktop(live_server, browser, world):
    ART.mkdir(parents=True, exist_ok=True)
    args = _args(world)
    names = url_names()
    pages = {"public": [], "company": [], "staff": []}
    lacking = []
    for name in names:
        if name in NOT_PAGES:
            continue
        kwargs, query = args.get(name, ({}, ""))
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # a page with path arguments nobody gave
            lacking.append(name)
            continue
        pages[role_of(name)].append((name, url + query))
    assert not lacking, f"pages without their objects (add them to _args or NOT_PAGES): {lacking}"
    assert set(NOT_PAGES) <= set(names), "NOT_PAGES names a URL that is gone"

    problems: list[str] = []
    a11y: list[str] = []
    seen: Counter = Counter()
    csp: list[str] = []
    started = time.monotonic()
    for role, username, login, which in (
        ("public", None, None, "public"),
        ("company", "qiye_demo", "/account/login/", "company"),
        ("clerk", "scjg_clerk", "/backoffice/login/", "staff"),
        ("credit-office", "xyb_admin", "/backoffice/login/", "staff"),
    ):
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.add_init_script(REPORT_CSP)
        context.add_init_script(axe.source())  # in each page as it loads: not sent after it
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: "CSP violation" in m.text and csp.append(m.text))
        try:
            if username:
                sign_in(page, live_server.url, login, username)
            menus = visit_all(page, live_server.url, role, pages[which], problems, a11y, seen)
            assert menus == 1, f"{role}: the phone menu was not tried (MENU_PAGES)"
        finally:
            context.close()
    print(f"{sum(len(v) for v in pages.values())} URLs in {time.monotonic() - started:.1f} s")
    print(f"axe-core, every violation found (by rule and impact): {axe.tally(seen) or 'none'}")
    assert not problems, "\n".join(problems)
    assert not a11y, "serious or critical accessibility violations:\n" + "\n".join(a11y)
    assert csp == []  # the menu works without script, every page under the CSP
