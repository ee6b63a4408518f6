"""The public sees the public, and everybody reads names: every main page of the portal,
the company's account and the back office, rendered over the demo city with objections,
a repair, a joint action, a credit check and reports, shows no internal code (catalog item
codes, department codes, enum values, "批次 #5") in its visible text, and shows the names
instead; the public and the company see a record's department and date, not its batch."""

import io
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from xinyong.core.tests.shared import apply_files, module_transaction
from xinyong.core.tests.visible import (
    assert_no_codes,
    catalog_codes,
    codes_in,
    enum_values,
    visible_text,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
MARKET = "信安市市场监督管理局"


@pytest.fixture(scope="module")
def _city_built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The city, built once for the module's tests (seconds each time otherwise), which only
    read it (xinyong/core/tests/shared.py)."""
    with module_transaction(django_db_blocker, tmp_path_factory.mktemp("city")) as files:
        yield _build_city(), files


@pytest.fixture
def city(_city_built, db, settings):
    world, files = _city_built
    apply_files(settings, files)
    return world


def _build_city() -> dict:
    """The demo city (300 subjects: records of every catalog item, lists, the roll) and, on
    the portal account's company: an objection under way on a record and one just filed on
    its list entry, a repair application, a joint action with its tasks, a rectification
    order, a credit check, and its own and public reports."""
    from xinyong.accounts.actors import ANONYMOUS, Actor
    from xinyong.accounts.models import User
    from xinyong.disclosure.models import Publication
    from xinyong.lists.models import ListEntry
    from xinyong.records.models import Record
    from xinyong.remedies import services as remedies
    from xinyong.remedies.models import SubjectBinding
    from xinyong.reports.services.issue import report_issue
    from xinyong.sanctions.models import Matter
    from xinyong.sanctions.services import actions, checks

    call_command("demo_city", "--seed", "3", "--subjects", "300", "--quiet", stdout=io.StringIO())
    actor = {u: Actor.for_user(User.objects.get(username=u))
             for u in ("qiye_demo", "xyb_admin", "scjg_clerk")}  # fmt: skip
    subject = SubjectBinding.objects.get(status="approved").subject
    record = Record.objects.filter(subject=subject, status="active").first()
    entry = ListEntry.objects.get(subject=subject, list_type__code="serious_dishonesty")
    ListEntry.objects.filter(pk=entry.pk).update(
        decided_on=timezone.localdate() - relativedelta(years=1, days=1)
    )  # listed a year ago: repairable
    actions.joint_action_initiate(actor=actor["scjg_clerk"], entry_id=entry.pk, note="联合惩戒")
    actions.rectification_order_issue(actor=actor["scjg_clerk"], entry_id=entry.pk,
                                      content="停止虚假宣传", legal_basis="《反不正当竞争法》",
                                      workdays_given=5)  # fmt: skip
    checks.credit_check(actor=actor["scjg_clerk"], matter=Matter.objects.first().code,
                        uscc=subject.uscc)  # fmt: skip
    objection = remedies.objection_file(actor=actor["qiye_demo"], reasons="处罚决定已撤销",
                                        record_id=record.pk)  # fmt: skip
    remedies.objection_mark(actor=actor["xyb_admin"], objection_id=objection.pk)
    remedies.objection_forward(actor=actor["xyb_admin"], objection_id=objection.pk)
    remedies.repair_apply(
        actor=actor["qiye_demo"], subject_id=subject.pk, entry_ids=[entry.pk],
        statement="已整改完毕",
        materials={"commitment": SimpleUploadedFile("承诺书.pdf", PDF, "application/pdf")},
    )  # fmt: skip
    remedies.objection_file(actor=actor["qiye_demo"], reasons="认定有误", entry_id=entry.pk)
    # Another company's designation revoked on an objection: the correction notice.
    wrong = ListEntry.objects.filter(
        list_type__code="serious_dishonesty", status="published", department__code="SCJG"
    )
    wrong = wrong.exclude(subject=subject).first()
    revoked = remedies.objection_file(actor=actor["xyb_admin"], reasons="认定对象有误",
                                      entry_id=wrong.pk)  # fmt: skip
    remedies.objection_mark(actor=actor["xyb_admin"], objection_id=revoked.pk)
    remedies.objection_forward(actor=actor["xyb_admin"], objection_id=revoked.pk)
    remedies.objection_decide(actor=actor["scjg_clerk"], objection_id=revoked.pk,
                              decision="revoked", reason="经核实认定对象有误")  # fmt: skip
    own = report_issue(actor=actor["qiye_demo"], kind="own", subject=subject).report
    issued = report_issue(actor=ANONYMOUS, kind="public", subject=subject)
    public = issued.report
    published = Publication.objects.filter(status="public", record__provider__code="SCJG")
    from xinyong.practitioners.models import Practitioner

    return {
        "constructor": Practitioner.objects.filter(profession__code="constructor").first(),
        "subject": subject,
        "record": record,
        "entry": entry,
        "revoked": wrong,
        "external": ListEntry.objects.filter(external=True).first(),
        "publication": published.select_related("record").first(),
        "reports": (own, public),
        "verify": f"/verify/?n={public.number}&c={issued.code}",
    }


def _client(username=None) -> Client:
    from xinyong.accounts.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _visit(client, pages, **kw) -> dict[str, str]:
    """Each page's visible text, after the check; a page that fails to render fails."""
    texts = {}
    for url, names in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = assert_no_codes(response.content.decode(), names=names, where=url, **kw)
    return texts


def test_the_checker_reads_what_people_read():
    html = (
        '<a href="/backoffice/catalog/administrative_penalty/" data-item="administrative_penalty"'
        ' title="SCJG">行政处罚信息</a><input type="hidden" name="channel" value="cli">'
        "<option value=\"SCJG\">信安市市场监督管理局</option><script>var s='public';</script>"
        "<p>统一社会信用代码 91339902MASWZJ0000 · 报告编号 XYB2026</p>"
    )
    assert visible_text(html).startswith("行政处罚信息 信安市市场监督管理局")
    assert_no_codes(html, names=["行政处罚信息"], departments={"SCJG", "SW", "ZJ", "XYB"})
    assert (
        visible_text('<input placeholder="搜索" title="x>y"><img alt="标志" src="a">')
        == "搜索 标志"
    )
    for shown in ('<input name="q" placeholder="如 SCJG">', '<a aria-label="cli">x</a>',
                  "<td>administrative_penalty</td>", "<td>SCJG · 罚款</td>",
                  "<dd>渠道：cli</dd>", "<b>public</b>", "<p>批次 #5 第 1 行</p>"):  # fmt: skip
        with pytest.raises(AssertionError):
            assert_no_codes(shown, departments={"SCJG"})
    with pytest.raises(AssertionError, match="staff provenance"):
        assert_no_codes("<p>来源：市场监管局 · 命令导入 · 第 5 批 第 1 行</p>", public=True,
                        departments=())  # fmt: skip
    with pytest.raises(AssertionError, match="names not shown"):
        assert_no_codes("<p>行政处罚</p>", names=["行政处罚信息"], departments=())
    assert len(catalog_codes()) == 26 and {"cli", "public", "forwarded"} <= enum_values()
    assert codes_in("SW SWA 信安SW市 XSW /SW/x", {"SW"}) == ["SW"]


def test_public_pages_show_names_and_the_department_and_date_of_a_record(city):
    from xinyong.lists.models import ListType

    pub, subject = city["publication"], city["subject"]
    listed = ListType.objects.get(code="serious_dishonesty").name
    texts = _visit(
        _client(),
        [
            ("/", []),
            ("/search/?q=信安", ["法人和非法人组织", "存续"]),
            (f"/subjects/{pub.record.subject_id}/", ["行政处罚信息", "信息来源", MARKET]),
            (f"/subjects/{subject.pk}/", [listed, MARKET]),
            ("/publicity/", [MARKET]),
            ("/publicity/?kind=licence", ["信安市住房和城乡建设局"]),
            (f"/publicity/{pub.pk}/", [MARKET]),
            ("/roll/", [ListType.objects.get(code="honor").name]),
            ("/corrections/", [city["revoked"].subject.name, listed, MARKET]),
            ("/verify/", []),
            ("/verify/keys/", []),
            ("/account/login/", []),
            ("/account/register/", []),
            ("/account/password-reset/", []),
            ("/backoffice/login/", []),
            (city["verify"], ["公共信用信息报告", subject.name]),
            ("/practitioners/", ["一级注册建造师", "信安市住房和城乡建设局"]),
            (
                f"/practitioners/{city['constructor'].pk}/",
                ["一级注册建造师", "信安市住房和城乡建设局", city["constructor"].licence_no],
            ),
        ],
        public=True,
    )
    # A record's provenance for the public: the department and the day it was provided.
    assert re.search(rf"信息来源：{MARKET} · \d{{4}}-\d\d-\d\d",
                     texts[f"/subjects/{pub.record.subject_id}/"])  # fmt: skip


def test_the_company_account_shows_names_and_no_batch(city):
    subject, record, entry = city["subject"], city["record"], city["entry"]
    own, _public = city["reports"]
    base = f"/account/subjects/{subject.pk}/"
    texts = _visit(
        _client("qiye_demo"),
        [
            ("/account/", [subject.name]),
            (base, ["行政处罚信息", f"行政处罚信息 {record.source_id}", "信息来源", MARKET,
                    "严重失信主体名单", "异议中"]),
            (f"{base}objections/new/?record={record.pk}", []),
            (f"{base}objections/new/?entry={entry.pk}", []),
            (f"{base}repairs/new/", ["严重失信主体名单"]),
            (f"{base}reports/", ["公共信用信息报告（自查版）"]),
            (f"/reports/{own.number}/", []),
        ],
        public=True,
    )  # fmt: skip
    assert f"{MARKET} · 命令导入" not in texts[base]


def test_back_office_pages_show_names(city):
    from xinyong.ingest.models import Batch
    from xinyong.sanctions.models import Matter

    subject, entry, external = city["subject"], city["entry"], city["external"]
    penalties = Batch.objects.get(item_code="administrative_penalty")
    disputed = f"行政处罚信息 {city['record'].source_id}"
    from xinyong.tips.models import TipTransfer

    moved = TipTransfer.objects.get().tip_id  # the demo's tip sent on to the housing bureau
    housing = "信安市住房和城乡建设局"
    operator_pages = [
        ("/backoffice/", []),
        (f"/backoffice/subjects/{subject.pk}/",
         ["行政处罚信息", "命令导入", "严重失信主体名单", f"异议 · {disputed}"]),
        ("/backoffice/batches/", ["行政处罚信息", "行政许可信息", MARKET, "命令导入",
                                  f"第 {penalties.pk} 批"]),
        (f"/backoffice/batches/{penalties.pk}/", ["行政处罚信息", MARKET, "命令导入",
                                                   f"第 {penalties.pk} 批"]),
        ("/backoffice/batches/upload/", ["行政处罚信息"]),
        ("/backoffice/quality/", []),
        ("/backoffice/quality/?provider=SCJG&item=administrative_penalty",
         [MARKET, "行政处罚信息", "行政处罚决定书文号"]),
        ("/backoffice/publicity/timeliness/", ["行政处罚信息", MARKET]),
        ("/backoffice/publicity/rules/", []),
        ("/backoffice/publicity/withdrawals/", []),
        ("/backoffice/lists/", ["严重失信主体名单"]),
        ("/backoffice/lists/new/", []),
        (f"/backoffice/lists/new/?subject={subject.pk}", ["行政处罚信息", MARKET]),
        (f"/backoffice/lists/{entry.pk}/", ["严重失信主体名单", MARKET]),
        (f"/backoffice/lists/{external.pk}/", ["平台（自动）"]),
        ("/backoffice/roll/", []),
        ("/backoffice/bindings/", []),
        ("/backoffice/objections/", [disputed]),
        ("/backoffice/repairs/", []),
        ("/backoffice/checks/", []),
        ("/backoffice/checks/batch/", []),
        ("/backoffice/checks/log/", [MARKET]),
        ("/backoffice/tasks/", []),
        ("/backoffice/effectiveness/", []),
        ("/backoffice/catalog/", ["行政处罚信息", "各部门", "信安市中级人民法院"]),
        ("/backoffice/reports/", []),
        ("/backoffice/reports/batches/new/", []),
        ("/backoffice/code-defects/", []),
        ("/backoffice/audit/", ["从业人员"]),  # the demo's last act: its practitioners
        ("/backoffice/audit/?object_type=list_entry", ["名单条目"]),
        ("/backoffice/audit/?action=list_entry.import",
         ["平台（自动）", "外部名单来源 失信被执行人信息"]),
        ("/backoffice/commitments/", []),
        ("/backoffice/tips/", [housing, "待受理", "待分派", MARKET]),
        (f"/backoffice/tips/{moved}/", [housing, MARKET, "承办部门移送", "转办记录"]),
        ("/backoffice/commitments/settings/", ["行政许可"]),
        ("/backoffice/commitments/settings/administrative_licensing/",
         ["证明事项告知承诺", "网络核查", "平台（自动）"]),
    ]  # fmt: skip
    # Not here: the catalog item page as the credit office sees it, with the definition's
    # text to revise (below, as a department's clerk reads it).
    texts = _visit(_client("xyb_admin"), operator_pages)
    # Staff read a record's batch and row in words.
    assert re.search(
        r"命令导入 · 第 \d+ 批 第 \d+ 行", texts[f"/backoffice/subjects/{subject.pk}/"]
    )
    clerk = _client("scjg_clerk")
    matter = Matter.objects.first().code
    answer = clerk.post("/backoffice/checks/", {"matter": matter, "subject": subject.uscc})
    # The measures' category and implementing department by name (the API answers codes).
    assert_no_codes(
        answer.content.decode(),
        names=["严重失信主体名单", MARKET, "社会性", "信安市发展和改革委员会（市信用办）"],
        where="credit check",
    )
    _visit(
        clerk,
        [
            ("/backoffice/", []),
            ("/backoffice/lists/", []),
            (f"/backoffice/lists/{entry.pk}/", ["严重失信主体名单"]),
            ("/backoffice/quality/", [MARKET, "行政处罚信息"]),
            ("/backoffice/tasks/", ["严重失信主体名单"]),
            ("/backoffice/batches/", ["行政处罚信息"]),
            ("/backoffice/objections/", [disputed]),  # to decide, as the provider
            ("/backoffice/commitments/", []),
            (f"/backoffice/commitments/new/?subject={subject.pk}", ["证明事项告知承诺"]),
            # The demo's public institution: its notices sent, outstanding.
            ("/backoffice/notice-receipts/", ["信安市市政工程管理处", "信安市审计局"]),
            ("/backoffice/staff-misconduct/", ["信安市市政工程管理处"]),
            ("/backoffice/public-bodies/", ["信安市市政工程管理处"]),
        ],
    )
    # ... and its superior, the housing bureau, has the notice to acknowledge.
    _visit(_client("zj_clerk"), [("/backoffice/notice-receipts/", ["信安市市政工程管理处"]),
                                 ("/backoffice/", ["签收通报"])])  # fmt: skip
    # The item's page names its code once, labelled, for the departments' systems.
    item = clerk.get("/backoffice/catalog/administrative_penalty/").content.decode()
    text = assert_no_codes(item, allow={"administrative_penalty"}, names=["行政处罚信息", "各部门"])
    assert text.count("administrative_penalty") == 1 and "报送编码 administrative_penalty" in text
    _visit(_client("scjg_reviewer"), [("/backoffice/repairs/", ["严重失信主体名单", subject.name])])


def test_reports_print_names(city):
    """What a credit report prints (its content, the PDF's source) names items,
    departments and kinds; only the machine keys of its JSON twin hold codes."""
    machine = {"format", "kind", "key", "number", "pdf_sha256", "verify_url"}

    def printed(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from printed(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from printed(v, key)
        elif isinstance(value, str) and key not in machine:
            yield value

    for report in city["reports"]:
        text = " ".join(printed(report.twin))
        assert_no_codes(text, names=["严重失信主体名单"], where=report.number)
