# ruff: noqa: E501 - tables of forms and answers, one case a line
"""The back office's 信用报告 page, the batch form and progress page, the API of batches,
and the admin of the reports' settings: what a department's clerk, the auditor and the
credit office see and get; every refusal beside its field, nothing written."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.core.tests.formerrors import field_error
from xinyong.reports.models import Report, ReportBatch, ReportDomain, ReportPolicy
from xinyong.reports.tests.conftest import orgs_load, pdf_text

BAD = "91339900MA1X2Y3B1Y"
UNKNOWN = "91339900MA1X2Y3B1X"
NO_COLUMN = "文件中没有“统一社会信用代码”列（表头须为该名称或 USCC）"
ENCODING = "文件编码无法识别：请使用 UTF-8 或 GBK 编码"
NOT_XLSX = "不是有效的 XLSX 文件"
NO_ROWS = "文件中没有代码"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _written() -> tuple[int, int, int]:
    return (
        Report.objects.count(),
        ReportBatch.objects.count(),
        AuditEvent.objects.filter(action__startswith="report.").count(),
    )


def test_a_clerk_obtains_a_review_report_and_downloads_it(users, listed):
    c = _client(users["tax_clerk"])
    page = c.get(f"/backoffice/reports/?uscc={HUAWEI}").content.decode()
    assert "信用报告" in page and f'value="{HUAWEI}"' in page and "政府采购" in page
    r = c.post("/backoffice/reports/", {"uscc": HUAWEI, "kind": "review",
               "purpose_choice": "政府采购", "purpose_text": "信安市政务云采购项目"})  # fmt: skip
    assert r.status_code == 200, r.content.decode()[:500]
    report = Report.objects.get()
    html = r.content.decode()
    assert report.number in html and "/verify/?n=" in html
    assert report.purpose == "政府采购：信安市政务云采购项目"
    assert (report.kind, report.department_id) == ("review", users["tax_clerk"].department_id)
    pdf = c.get(f"/backoffice/reports/{report.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "信安市政务云采购项目" in pdf_text(pdf.content)
    assert AuditEvent.objects.filter(action="report.read", object_id=report.number).count() == 1
    # listed for the department, the operator and the auditor; downloadable by the first two
    for who, listed_, link in (("tax_clerk", True, True), ("operator", True, True),
                               ("auditor", True, False), ("market_clerk", False, False)):  # fmt: skip
        html = _client(users[who]).get("/backoffice/reports/").content.decode()
        assert (report.number in html, f"/backoffice/reports/{report.pk}/pdf/" in html) == (
            listed_,
            link,
        ), who
    assert (
        _client(users["market_clerk"]).get(f"/backoffice/reports/{report.pk}/pdf/").status_code
        == 404
    )
    assert _client(users["auditor"]).get(f"/backoffice/reports/{report.pk}/pdf/").status_code == 403
    assert AuditEvent.objects.filter(action="report.read").count() == 1


def test_the_auditor_sees_no_form_and_cannot_issue(users, org_with_rep):
    c = _client(users["auditor"])
    assert 'name="uscc"' not in c.get("/backoffice/reports/").content.decode()
    r = c.post("/backoffice/reports/", {"uscc": HUAWEI, "kind": "review",
                                        "purpose_choice": "评优评先"})  # fmt: skip
    assert r.status_code == 403 and _written() == (0, 0, 0)
    assert "信用审查报告仅限部门工作人员和业务系统获取" in r.content.decode()  # above the form


def test_the_subject_page_links_to_the_report_form(users, org_with_rep):
    html = _client(users["tax_clerk"]).get(f"/backoffice/subjects/{org_with_rep.pk}/").content
    assert f"/backoffice/reports/?uscc={HUAWEI}" in html.decode()


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"uscc": BAD, "kind": "review", "purpose_choice": "政府采购"}, "uscc", "第18位校验码"),
        ({"uscc": UNKNOWN, "kind": "review", "purpose_choice": "政府采购"}, "uscc", "没有"),
        ({"uscc": HUAWEI, "kind": "review"}, "purpose_text", "请写明用途"),
        (
            {"uscc": HUAWEI, "kind": "review", "purpose_choice": "其他"},
            "purpose_text",
            "请写明用途",
        ),
        (
            {"uscc": HUAWEI, "kind": "review", "purpose_choice": "<b>x</b>"},
            "purpose_choice",
            "列出",
        ),
        (
            {
                "uscc": HUAWEI,
                "kind": "review",
                "purpose_choice": "政府采购",
                "purpose_text": "长" * 200,
            },
            "purpose_text",
            "200",
        ),
        ({"uscc": HUAWEI, "kind": "own", "purpose_choice": "政府采购"}, "kind", "报告类型"),
        ({"uscc": HUAWEI, "kind": "special"}, "domains", "至少选择一个领域"),
        ({"uscc": HUAWEI, "kind": "special", "domains": ["nowhere"]}, "domains", "nowhere"),
        (
            {"uscc": HUAWEI, "kind": "special", "domains": ["market"], "period_from": "2026-13-01"},
            "period_from",
            "YYYY-MM-DD",
        ),
        (
            {"uscc": HUAWEI, "kind": "special", "domains": ["market"], "period_from": "2001-01-01"},
            "period_from",
            "年",
        ),
        ({"uscc": "x" * 5000, "kind": "public"}, "uscc", "18位"),
    ],
)
def test_a_refused_report_says_why_beside_the_field(users, org_with_rep, form, field, says):
    r = _client(users["market_clerk"]).post("/backoffice/reports/", form)
    assert r.status_code == 422
    html = r.content.decode()
    boxes = field not in ("kind", "domains")  # a group laid out by hand points at it
    assert says in field_error(html, field, control=boxes), html[:3000]
    assert "<b>x</b>" not in html  # shown escaped
    assert _written() == (0, 0, 0)


def test_a_special_and_a_public_report_from_the_page(users, listed):
    c = _client(users["housing_clerk"])
    r = c.post("/backoffice/reports/", {"uscc": HUAWEI, "kind": "special",
                                        "domains": ["market", "tax"]})  # fmt: skip
    assert r.status_code == 422 and "请写明用途" in r.content.decode()  # staff: state why
    r = c.post("/backoffice/reports/", {"uscc": HUAWEI, "kind": "special", "purpose_choice": "行政许可审批",
                                        "domains": ["market", "tax"]})  # fmt: skip
    assert r.status_code == 200
    r = c.post("/backoffice/reports/", {"uscc": HUAWEI, "kind": "public"})
    assert r.status_code == 200
    assert sorted(Report.objects.values_list("kind", flat=True)) == ["public", "special"]


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_batch_from_the_form_with_a_file(users, departments, django_capture_on_commit_callbacks):
    codes = orgs_load(departments, 3)
    c = _client(users["market_clerk"])
    assert "统一社会信用代码" in c.get("/backoffice/reports/batches/new/").content.decode()
    upload = SimpleUploadedFile("投标人.xlsx", _xlsx([["序号", "投标人", "统一社会信用代码"],
                                [1, "甲", codes[1]], [2, "乙", codes[2]], [3, "甲", codes[1]]]))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/backoffice/reports/batches/new/", {"codes": f"{codes[0]}\n\n{codes[1]}\n",
                   "file": upload, "kind": "review", "purpose_choice": "招标投标",
                   "purpose_text": "信安市第一中学改扩建工程"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:800]
    batch = ReportBatch.objects.get()
    assert r["Location"] == f"/backoffice/reports/batches/{batch.pk}/"
    assert (batch.total, batch.done, batch.status) == (3, 3, "done")
    page = c.get(r["Location"]).content.decode()
    assert (
        "批量任务已提交" in page
        and "已出具 3 / 3 份" in page
        and f"/backoffice/reports/batches/{batch.pk}/zip/" in page
    )
    z = c.get(f"/backoffice/reports/batches/{batch.pk}/zip/")
    assert z.status_code == 200 and z["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(z.streaming_content))).namelist()) == 7
    # another department: the batch is not there at all
    other = _client(users["tax_clerk"])
    assert other.get(f"/backoffice/reports/batches/{batch.pk}/").status_code == 404
    assert other.get(f"/backoffice/reports/batches/{batch.pk}/zip/").status_code == 404
    audit = _client(users["auditor"])
    assert (
        "已出具 3 / 3 份" in audit.get(f"/backoffice/reports/batches/{batch.pk}/").content.decode()
    )
    assert audit.get(f"/backoffice/reports/batches/{batch.pk}/zip/").status_code == 403


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        (
            {"codes": f"{HUAWEI}\n{BAD}", "kind": "review", "purpose_choice": "招标投标"},
            "codes",
            "第2行",
        ),
        (
            {"codes": f"{HUAWEI}\n{UNKNOWN}", "kind": "review", "purpose_choice": "招标投标"},
            "codes",
            UNKNOWN,
        ),
        ({"codes": HUAWEI, "kind": "special", "purpose_choice": "招标投标"}, "kind", "review"),
        ({"codes": HUAWEI, "kind": "", "purpose_choice": "招标投标"}, "kind", "review"),
        ({"codes": HUAWEI, "kind": "review"}, "purpose_text", "请写明用途"),
        ({"codes": "", "kind": "review", "purpose_choice": "招标投标"}, "codes", "至少"),
        (
            {"codes": "\n".join(["ABC"] * 20_001), "kind": "review", "purpose_choice": "招标投标"},
            "codes",
            "行数过多",
        ),
    ],
)
def test_a_refused_batch_form_writes_nothing(users, org_with_rep, form, field, says):
    r = _client(users["market_clerk"]).post("/backoffice/reports/batches/new/", form)
    assert r.status_code == 422
    assert says in field_error(r.content.decode(), field, control=field != "kind")
    assert _written() == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("codes.csv", "名称,地址\n甲,乙\n".encode(), NO_COLUMN),
        ("codes.csv", b"\xff\xfe\x00\x00garbage\x81\x82", ENCODING),
        ("codes.xlsx", b"PK not a workbook", NOT_XLSX),
        ("codes.pdf", b"%PDF-1.4", "请上传 CSV 或 XLSX 文件"),
        ("codes.csv", b"", NO_ROWS),
    ],
)
def test_a_bad_file_is_refused_naming_the_rule(users, org_with_rep, name, data, says):
    r = _client(users["market_clerk"]).post(
        "/backoffice/reports/batches/new/",
        {"file": SimpleUploadedFile(name, data), "kind": "review", "purpose_choice": "招标投标"},
    )
    assert r.status_code == 422 and says in field_error(r.content.decode(), "file")
    assert _written() == (0, 0, 0)


def test_a_csv_in_gbk_without_header(users, departments):
    codes = orgs_load(departments, 2)
    data = "\n".join(codes).encode("gbk")
    r = _client(users["market_clerk"]).post(
        "/backoffice/reports/batches/new/",
        {"file": SimpleUploadedFile("c.csv", data), "kind": "public", "purpose_choice": "其他",
         "purpose_text": "投标人资格预审"},
    )  # fmt: skip
    assert r.status_code == 302
    assert ReportBatch.objects.get().purpose == "投标人资格预审"


def test_the_auditor_cannot_submit_a_batch(users, org_with_rep):
    r = _client(users["auditor"]).post("/backoffice/reports/batches/new/",
                                       {"codes": HUAWEI, "kind": "review",
                                        "purpose_choice": "招标投标"})  # fmt: skip
    assert r.status_code == 403 and _written() == (0, 0, 0)
    assert "批量信用报告仅限部门工作人员和业务系统获取" in r.content.decode()


def test_a_refused_batch_tells_the_purpose_and_the_file_at_once(users, org_with_rep):
    r = _client(users["market_clerk"]).post("/backoffice/reports/batches/new/", {
        "codes": f"{HUAWEI}\n", "kind": "public", "purpose_choice": "其他",
        "file": SimpleUploadedFile("codes.pdf", b"%PDF-1.4"),
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 422
    assert "请写明用途" in field_error(html, "purpose_text")
    assert field_error(html, "file") == "请上传 CSV 或 XLSX 文件"
    assert field_error(html, "codes") == "" and f"{HUAWEI}\n</textarea>" in html  # kept
    assert 'value="public" id="id_kind_1" checked' in html
    assert _written() == (0, 0, 0)


# -- the API ------------------------------------------------------------------------------


def _api(token):
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_the_api_submits_a_batch_and_reports_progress(
    market_token, departments, django_capture_on_commit_callbacks
):
    codes = orgs_load(departments, 2)
    api = _api(market_token)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/v1/reports/batches", {"kind": "review", "purpose": "招标投标",
                     "codes": [*codes, codes[0]]}, content_type="application/json")  # fmt: skip
    assert r.status_code == 202, r.content
    body = r.json()
    assert (body["total"], body["kind"]) == (2, "review")
    got = api.get(f"/api/v1/reports/batches/{body['id']}").json()
    assert (got["status"], got["done"]) == ("done", 2)
    assert got["zip_url"] == f"/api/v1/reports/batches/{body['id']}/zip"
    z = api.get(got["zip_url"])
    assert z.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(z.streaming_content))).namelist()
    assert "index.csv" in names and len(names) == 5


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (
            {"kind": "review", "purpose": "招标投标", "codes": [BAD]},
            "codes",
            "uscc.check_character",
        ),
        (
            {"kind": "special", "purpose": "招标投标", "codes": [HUAWEI]},
            "kind",
            "kind.not_batchable",
        ),
        ({"kind": "review", "purpose": "", "codes": [HUAWEI]}, "purpose", "required"),
        ({"kind": "review", "codes": [HUAWEI]}, "purpose", "missing"),
        ({"kind": "review", "purpose": "招标投标", "codes": "x"}, "codes", "list_type"),
        ({"kind": "review", "purpose": "招标投标", "codes": [HUAWEI] * 5001}, "codes", "too_long"),
    ],
)
def test_the_api_refuses_naming_field_and_rule(market_token, org_with_rep, body, field, rule):
    r = _api(market_token).post("/api/v1/reports/batches", body, content_type="application/json")
    assert r.status_code == 422, r.content
    assert (r.json()["detail"][0]["field"], r.json()["detail"][0]["rule"]) == (field, rule)
    assert _written() == (0, 0, 0)


def test_the_api_refuses_1001_codes(market_token, departments):
    from xinyong.subjects.demo import make_uscc

    codes = [make_uscc("91", "339900", 7_000_000 + n) for n in range(1001)]
    r = _api(market_token).post("/api/v1/reports/batches",
                                {"kind": "review", "purpose": "招标投标", "codes": codes},
                                content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"][0]["rule"] == "too_many"
    assert _written() == (0, 0, 0)


def test_the_api_hides_another_departments_batch(market_token, actors, departments, org_with_rep):
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.reports import services

    batch = services.report_batch_submit(actor=actors["market_clerk"], kind="review",
                                         purpose="招标投标", codes=[HUAWEI])  # fmt: skip
    services.report_batch_run(batch_id=batch.pk)
    _c, tax = accounts.api_client_issue(actor=SYSTEM, name="税务业务系统",
                                        department=departments["tax"], scopes=["reports"])  # fmt: skip
    for url in (f"/api/v1/reports/batches/{batch.pk}", f"/api/v1/reports/batches/{batch.pk}/zip"):
        assert _api(tax).get(url).status_code == 404
    assert _api(market_token).get(f"/api/v1/reports/batches/{batch.pk}/zip").status_code == 200
    _c, no_scope = accounts.api_client_issue(actor=SYSTEM, name="无报告权限的系统",
                                             department=batch.department, scopes=["checks"])  # fmt: skip
    assert _api(no_scope).get(f"/api/v1/reports/batches/{batch.pk}").status_code == 403


# -- the admin ----------------------------------------------------------------------------


def test_the_credit_office_edits_settings_and_domains_audited(users):
    c = _client(users["operator"])
    policy = ReportPolicy.objects.get_or_create(pk=1)[0]
    url = f"/admin/reports/reportpolicy/{policy.pk}/change/"
    r = c.post(url, {"validity_days": "0", "special_max_years": "3", "batch_max": "1000"})
    assert r.status_code == 200 and "应在 1 至 366 之间" in r.content.decode()
    r = c.post(url, {"validity_days": "60", "special_max_years": "3", "batch_max": "500"})
    assert r.status_code == 302
    assert (ReportPolicy.objects.get().validity_days, ReportPolicy.objects.get().batch_max) == (
        60,
        500,
    )
    domain = ReportDomain.objects.get(code="market")
    durl = f"/admin/reports/reportdomain/{domain.pk}/change/"
    form = {"code": "market", "name": "市场监管", "replaces": domain.replaces,
            "departments": '"SCJG"', "items": "[]", "lists": "on", "order": "1", "active": "on"}  # fmt: skip
    r = c.post(durl, form)
    assert r.status_code == 200 and "应为编码的列表" in r.content.decode()
    form["departments"] = '["SCJG", "ZJ"]'
    r = c.post(durl, form)  # searching no penalties, it could not state "none found"
    assert r.status_code == 200 and "必须包含行政处罚信息" in r.content.decode()
    form["items"] = '["administrative_penalty", "administrative_enforcement"]'
    assert c.post(durl, form).status_code == 302
    assert ReportDomain.objects.get(code="market").departments == ["SCJG", "ZJ"]
    saved = AuditEvent.objects.filter(action="config.save", object_type__startswith="reports.")
    assert sorted(saved.values_list("object_type", flat=True)) == [
        "reports.reportdomain", "reports.reportpolicy",
    ]  # fmt: skip
    assert c.get("/admin/reports/reportpolicy/add/").status_code == 403  # one row only
    assert _client(users["market_clerk"]).get(url).status_code in (302, 403)
