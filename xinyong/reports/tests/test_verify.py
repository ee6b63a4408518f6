"""Verifying a report: the service, the /verify/ page and the API answer genuine, expired,
altered or not genuine (an unknown number and a wrong code alike), and log who checked."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.core.errors import ValidationFailed
from xinyong.core.tests.formerrors import field_error
from xinyong.reports import selectors, services
from xinyong.reports.models import Report, ReportVerification
from xinyong.reports.services.verify import PUBLIC_VERIFIER, Verification
from xinyong.reports.tests.test_issue import ANON

NOT_GENUINE = "未能核验：不是本平台出具的报告，或编号、验证码有误"
UNKNOWN = "XY20260101ABCDEFGH"  # well-formed, issued by nobody


@pytest.fixture
def issued(published):
    """华为's public report, issued from the portal (anonymous)."""
    return services.report_issue(actor=ANON, kind="public", subject=published.subject)


def _wrong(code: str) -> str:
    return ("A" if code[0] != "A" else "B") + code[1:]


# -- the service ------------------------------------------------------------------------


def test_genuine_report_is_confirmed_and_logged_without_an_audit_event(issued):
    report, events = issued.report, AuditEvent.objects.count()
    result = services.report_verify(
        actor=ANON, number=report.number, code=issued.code, channel="page"
    )
    assert result.status == "genuine"
    out = result.out()
    assert out.genuine and out.status_label == "真实有效"
    assert (out.number, out.kind_label, out.subject_name) == (
        report.number, "公共信用信息报告", "华为技术有限公司",
    )  # fmt: skip
    assert out.subject_code == report.twin["subject"]["code"]
    assert out.requested_for == "社会公众"
    assert (out.content_sha256, out.pdf_sha256) == (report.content_sha256, report.pdf_sha256)
    assert out.key_id == report.key_id and out.public_key
    row = ReportVerification.objects.get()
    assert (row.report_id, row.outcome, row.channel, row.verifier) == (
        report.pk, "genuine", "page", PUBLIC_VERIFIER,
    )  # fmt: skip
    assert AuditEvent.objects.count() == events  # a public act, logged in its own table


def test_code_is_read_as_typed_lower_case_and_spaces(issued):
    number = f"  {issued.report.number.lower()} "
    result = services.report_verify(
        actor=ANON, number=number, code=f" {issued.code.lower()} ", channel="page"
    )
    assert result.status == "genuine"


def test_unknown_number_and_wrong_code_get_the_same_answer_and_write_nothing(issued):
    wrong = services.report_verify(
        actor=ANON, number=issued.report.number, code=_wrong(issued.code), channel="api"
    )
    unknown = services.report_verify(actor=ANON, number=UNKNOWN, code=issued.code, channel="api")
    assert wrong == unknown == Verification(services.NOT_GENUINE)
    assert wrong.out() is None
    assert not ReportVerification.objects.exists()


def test_a_changed_file_is_altered(issued):
    changed = bytearray(issued.pdf)
    changed[len(changed) // 2] ^= 0x01
    digest = hashlib.sha256(bytes(changed)).hexdigest()
    result = services.report_verify(
        actor=ANON, number=issued.report.number, code=issued.code, pdf_sha256=digest,
        channel="page",
    )  # fmt: skip
    assert result.status == "altered" and not result.out().genuine
    same = services.report_verify(
        actor=ANON, number=issued.report.number, code=issued.code,
        pdf_sha256=issued.report.pdf_sha256.upper(), channel="page",
    )  # fmt: skip
    assert same.status == "genuine"
    assert list(ReportVerification.objects.order_by("id").values_list("outcome", flat=True)) == [
        "altered", "genuine",
    ]  # fmt: skip


def test_a_report_past_its_validity_is_expired(issued):
    Report.objects.filter(pk=issued.report.pk).update(
        valid_until=datetime.date.today() - datetime.timedelta(days=2)
    )
    result = services.report_verify(
        actor=ANON, number=issued.report.number, code=issued.code, channel="page"
    )
    assert result.status == "expired" and result.out().status_label == "已过有效期"


@pytest.mark.parametrize(
    ("number", "code", "sha", "fields"),
    [
        ("XY123", "ABCDEF", None, ["number"]),
        (UNKNOWN, "ABC", None, ["code"]),
        (UNKNOWN, "ABCDE0", None, ["code"]),  # 0 is not in the alphabet
        ("", "", None, ["number", "code"]),
        (UNKNOWN + "\x00", "ABCDEF", None, ["number"]),
        (UNKNOWN, "ABCDEF", "xyz", ["sha256"]),
        (UNKNOWN, "ABCDEF", "a" * 63, ["sha256"]),
    ],
)
def test_malformed_input_is_refused_naming_the_field(db, number, code, sha, fields):
    with pytest.raises(ValidationFailed) as e:
        services.report_verify(actor=ANON, number=number, code=code, pdf_sha256=sha, channel="api")
    assert [err.field for err in e.value.errors] == fields
    assert {err.rule for err in e.value.errors} == {"format"}
    assert not ReportVerification.objects.exists()


def _statements(queries) -> list[str]:
    """The statements that read or write (not transaction control or session settings)."""
    control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET LOCAL")
    return [q["sql"].split()[0] for q in queries if not q["sql"].startswith(control)]


def test_verification_is_one_lookup_and_one_insert(issued, monkeypatch):
    """Both statements run as prepared SQL (``core.prepared.fetch``; on PostgreSQL straight
    on the driver); no other query is made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinyong.core import prepared
    from xinyong.reports.services import verify

    calls = []

    def counted(using, sql, params):
        calls.append(sql.split()[0])
        return prepared_fetch(using, sql, params)

    prepared_fetch = prepared.fetch
    monkeypatch.setattr(prepared, "fetch", counted)
    monkeypatch.setattr(verify, "fetch", counted)
    with CaptureQueriesContext(connection) as orm:
        services.report_verify(
            actor=ANON, number=issued.report.number, code=issued.code, channel="api"
        )
        assert calls == ["SELECT", "INSERT"]
        services.report_verify(actor=ANON, number=UNKNOWN, code=issued.code, channel="api")
        assert calls == ["SELECT", "INSERT", "SELECT"]  # not genuine: nothing written
    # SQLite sees the same ones through Django's cursor, PostgreSQL none (the driver's)
    assert len(_statements(orm.captured_queries)) <= len(calls)
    assert ReportVerification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_verification_on_its_own_commits_its_log_and_leaves_later_writes_durable(monkeypatch):
    """Outside any transaction the log row is its own transaction, committed at once (seen
    from another connection); the skipped WAL-flush wait lasts that one commit only. (A
    report row made directly: a transactional test cannot count on the seeded rules.)"""
    from django.db import connection, connections
    from django.utils import timezone

    from xinyong.subjects.models import Subject

    subject = Subject.objects.create(uscc="91440300MA5FXT4K8Q", kind="organization",
                                     name="核验测试有限公司")  # fmt: skip
    number, code, now = UNKNOWN, "ABCDEF", timezone.now()
    report = Report.objects.create(
        number=number, code_hash=services.code_hash(number, code), kind="public",
        subject=subject, issued_at=now, valid_until=now.date() + datetime.timedelta(30),
        twin={}, subject_name=subject.name, subject_code=subject.uscc, issuer="平台",
        content_sha256="0" * 64, pdf_sha256="1" * 64, pdf_size=1, key_id="k", signature="s",
    )  # fmt: skip
    from xinyong.reports.services import verify

    statements = []

    def seen(using, sql, params):
        statements.append(sql)
        return fetch(using, sql, params)

    fetch = verify.fetch
    monkeypatch.setattr(verify, "fetch", seen)
    result = services.report_verify(actor=ANON, number=number, code=code, channel="api")
    assert result.status == "genuine" and result.out().subject_name == "核验测试有限公司"
    if connection.vendor == "postgresql":  # the one-statement, asynchronous-commit INSERT
        assert statements == [verify._LOG_ASYNC_SQL]
    other = connections.create_connection("default")
    try:
        with other.cursor() as c:
            c.execute(
                f"SELECT outcome FROM {ReportVerification._meta.db_table} WHERE report_id = %s",
                [report.pk],
            )
            assert c.fetchall() == [("genuine",)]
    finally:
        other.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT current_setting('synchronous_commit')")
            assert c.fetchone()[0] == "on"


def test_reports_issued_before_the_columns_get_them_from_their_twins(issued):
    """Migration 0004 copies what verification answers out of each report's twin."""
    from importlib import import_module

    from django.apps import apps

    Report.objects.update(subject_name="", subject_code="", issuer="")
    migration = import_module("xinyong.reports.migrations.0004_verification_columns")
    migration.copy_from_twin(apps, None)
    report = Report.objects.get(pk=issued.report.pk)
    twin = report.twin
    assert (report.subject_name, report.subject_code, report.issuer) == (
        twin["subject"]["name"], twin["subject"]["code"], twin["issuer"],
    )  # fmt: skip
    assert report.subject_name == "华为技术有限公司" and report.issuer
    Report.objects.update(twin={"number": report.number}, issuer="")  # a twin without them
    migration.copy_from_twin(apps, None)
    assert Report.objects.filter(pk=report.pk, subject_name="", issuer="").exists()


def test_a_persons_name_is_masked():
    row = {
        "number": UNKNOWN, "kind": "own", "subject_kind": "person", "subject_name": "张三丰",
        "subject_code": "110105********002X", "issued_at": datetime.datetime(2026, 1, 1),
        "valid_until": datetime.date(2026, 1, 31), "department_name": None,
        "content_sha256": "0" * 64, "pdf_sha256": "1" * 64, "key_id": "k", "signature": "s",
        "public_key": "p",
    }  # fmt: skip
    out = Verification("genuine", row).out()
    assert (out.subject_name, out.requested_for) == ("张**", "信用主体本身")


def test_review_report_names_the_department_and_the_verifying_client(
    actors, published, market_token
):
    issued = services.report_issue(
        actor=actors["tax_clerk"], kind="review", subject=published.subject,
        purpose="政府采购资格审查",
    )  # fmt: skip
    r = Client().get(
        f"/api/v1/reports/{issued.report.number}",
        {"code": issued.code},
        headers={"Authorization": f"Bearer {market_token}"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["requested_for"] == "市税务局"
    verifier = ReportVerification.objects.get().verifier
    assert verifier and verifier != PUBLIC_VERIFIER  # the business system's name


# -- the page ---------------------------------------------------------------------------


def test_the_qr_link_shows_genuine_at_once(client, issued):
    link = services.verify_link(issued.report.number, issued.code)
    r = client.get(link.removeprefix("http://127.0.0.1:8000"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "真实有效" in html and "华为技术有限公司" in html and "公共信用信息报告" in html
    assert issued.report.pdf_sha256 in html and issued.report.content_sha256 in html
    assert issued.report.key_id in html and "/verify/keys/" in html
    assert f'value="{issued.report.number}"' in html  # the form is filled in
    assert ReportVerification.objects.get().channel == "page"


def test_the_empty_form_and_a_half_link_only_fill_in(client, db):
    r = client.get("/verify/")
    assert r.status_code == 200 and "报告编号" in r.content.decode()
    r = client.get("/verify/", {"n": UNKNOWN})
    assert r.status_code == 200 and f'value="{UNKNOWN}"' in r.content.decode()
    assert "未能核验" not in r.content.decode()


def test_page_says_not_genuine_for_unknown_and_wrong_alike(client, issued):
    wrong = client.get("/verify/", {"n": issued.report.number, "c": _wrong(issued.code)})
    unknown = client.get("/verify/", {"n": UNKNOWN, "c": issued.code})
    for r in (wrong, unknown):
        assert r.status_code == 200 and NOT_GENUINE in r.content.decode()
        assert "华为" not in r.content.decode()


def _upload(data: bytes, name="报告.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_uploading_the_pdf_compares_it(client, issued):
    data = {"n": issued.report.number, "c": issued.code}
    r = client.post("/verify/", {**data, "pdf": _upload(issued.pdf)})
    assert r.status_code == 200 and "所上传的文件与出具的报告一致" in r.content.decode()
    changed = bytearray(issued.pdf)
    changed[-100] ^= 0x20
    r = client.post("/verify/", {**data, "pdf": _upload(bytes(changed))})
    html = r.content.decode()
    assert "文件与报告不符（文件已被改动）" in html and "真实有效" not in html
    assert [v.outcome for v in ReportVerification.objects.order_by("id")] == ["genuine", "altered"]


def test_expired_on_the_page(client, issued):
    Report.objects.filter(pk=issued.report.pk).update(valid_until=datetime.date(2020, 1, 1))
    r = client.get("/verify/", {"n": issued.report.number, "c": issued.code})
    assert "已过有效期" in r.content.decode() and "2020-01-01" in r.content.decode()


@pytest.mark.parametrize(
    ("pdf", "rule_text"),
    [
        (b"", "上传的文件是空的"),
        (b"PK\x03\x04 not a pdf at all", "上传的文件不是 PDF 文件"),
        (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "文件超过 10 MB"),
    ],
    ids=["empty", "not-pdf", "too-big"],
)
def test_bad_uploads_are_refused_and_nothing_is_logged(client, issued, pdf, rule_text):
    r = client.post(
        "/verify/", {"n": issued.report.number, "c": issued.code, "pdf": _upload(pdf, "x.pdf")}
    )
    html = r.content.decode()
    assert r.status_code == 400 and rule_text in field_error(html, "pdf")
    assert "真实有效" not in html
    assert not ReportVerification.objects.exists()


def test_malformed_number_on_the_page_names_the_field(client, db):
    r = client.get("/verify/", {"n": "XY<script>", "c": "abc"})
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "n").startswith("报告编号应为") and "<script>" not in html
    assert field_error(html, "c") == "验证码应为报告上印制的 6 位字母数字"
    assert 'value="XY&lt;script&gt;"' in html  # kept as typed, escaped
    assert not ReportVerification.objects.exists()
    assert client.get("/verify/", {"n": "XY\x00", "c": "ABCDEF"}).status_code == 400


def test_the_form_needs_csrf(issued):
    c = Client(enforce_csrf_checks=True)
    r = c.post("/verify/", {"n": issued.report.number, "c": issued.code})
    assert r.status_code == 403
    assert not ReportVerification.objects.exists()


def test_a_staff_users_check_is_logged_under_their_department(client, issued, users):
    """The subject sees which department checked its report, not the person's login."""
    client.force_login(users["tax_clerk"])
    client.get("/verify/", {"n": issued.report.number, "c": issued.code})
    assert ReportVerification.objects.get().verifier == users["tax_clerk"].department.name


# -- the API ----------------------------------------------------------------------------


def test_api_answers_anyone_without_a_token(issued):
    r = Client().get(
        f"/api/v1/reports/{issued.report.number}",
        {"code": issued.code, "sha256": issued.report.pdf_sha256},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["genuine"] is True and body["status"] == "genuine"
    assert body["subject_name"] == "华为技术有限公司" and body["kind"] == "public"
    assert body["pdf_sha256"] == issued.report.pdf_sha256
    assert ReportVerification.objects.get().channel == "api"


def test_api_altered_and_not_genuine(issued):
    url = f"/api/v1/reports/{issued.report.number}"
    r = Client().get(url, {"code": issued.code, "sha256": "0" * 64})
    assert r.status_code == 200 and r.json()["status"] == "altered"
    assert r.json()["genuine"] is False
    wrong = Client().get(url, {"code": _wrong(issued.code)})
    unknown = Client().get(f"/api/v1/reports/{UNKNOWN}", {"code": issued.code})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    detail = wrong.json()["detail"][0]
    assert detail["rule"] == "report.not_genuine" and detail["message"] == NOT_GENUINE


@pytest.mark.parametrize(
    ("query", "field"),
    [({"code": "??"}, "code"), ({}, "code"), ({"code": "ABCDEF", "sha256": "zz"}, "sha256")],
)
def test_api_refuses_malformed_input_naming_the_field(db, query, field):
    r = Client().get(f"/api/v1/reports/{UNKNOWN}", query)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["detail"]]
    r = Client().get("/api/v1/reports/not-a-number", {"code": "ABCDEF"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "number"


def test_api_refuses_a_bad_token_rather_than_answer_as_the_public(issued):
    r = Client().get(
        f"/api/v1/reports/{issued.report.number}",
        {"code": issued.code},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert r.status_code == 401
    assert not ReportVerification.objects.exists()


def test_api_documents_the_not_genuine_answer():
    from xinyong.api.main import api

    op = api.get_openapi_schema()["paths"]["/api/v1/reports/{number}"]["get"]
    responses = {str(status): answer for status, answer in op["responses"].items()}
    assert "编号、验证码有误" in responses["404"]["description"]
    assert {"200", "401", "404", "422"} <= set(responses)
    assert {} in op["security"]  # no account needed


# -- the signed twin --------------------------------------------------------------------


def test_twin_envelope_verifies_after_a_round_trip_through_the_database(issued):
    from xinyong.reports import signing

    report = Report.objects.get(pk=issued.report.pk)
    envelope = selectors.report_twin_signed(report)
    sig = envelope["signature"]
    assert sig["alg"] == "Ed25519" and sig["key_id"] == report.key_id
    assert sig["public_key"] == signing.current_public()[1]
    assert signing.verify(envelope["report"], sig["value"], sig["public_key"])


def test_the_page_in_english(client, issued):
    client.cookies["django_language"] = "en"
    r = client.get("/verify/", {"n": issued.report.number, "c": issued.code})
    html = r.content.decode()
    assert "Genuine and valid" in html and "Report file (optional, PDF, at most 10 MB)" in html
    r = client.get("/verify/keys/")
    assert "Report signing keys" in r.content.decode()


def test_hostile_numbers_and_codes_never_fail_the_page_or_the_api(issued):
    """The values the portal's property tests use, in the parameters these two read (the
    generic tests send them under other names)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from xinyong.portal.tests.test_query_properties import _encode, values

    client = Client()
    real = st.sampled_from([issued.report.number, issued.code])

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.one_of(values, real), st.one_of(values, real), values)
    def check(n, c, sha):
        page = client.get(f"/verify/?n={_encode(n)}&c={_encode(c)}")
        assert page.status_code in (200, 400), (n, c)
        api = client.get(
            f"/api/v1/reports/{_encode(n) or 'x'}?code={_encode(c)}&sha256={_encode(sha)}"
        )
        assert api.status_code in (200, 404, 422), (n, c, sha, api.content[:300])
        if api.status_code != 200:
            assert api.json()["detail"][0]["rule"]

    check()
