"""Where to get a report: the public report from an organisation's page (free, no
sign-in, limited per address), the page of an issued report and its two files, and the
subject's own reports on its account page (public, own, special; who verified them)."""

import datetime
import hashlib
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.core.tests.formerrors import field_error
from xinyong.reports import signing
from xinyong.reports.models import Report, ReportVerification
from xinyong.reports.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


def bind(user_name: str, subject) -> Client:
    """A portal account bound to ``subject`` (approved), signed in."""
    from xinyong.accounts.models import User
    from xinyong.remedies.models import SubjectBinding

    user = User.objects.create_user(username=user_name, password="x", role="public")
    SubjectBinding.objects.create(
        user=user, subject=subject, status="approved", applicant="李经办", phone="13800000000",
        evidence_path="e.pdf", evidence_name="授权书.pdf", evidence_sha256="0" * 64,
        requested_at=timezone.now(), via="operator", reviewed_by="operator",
        reviewed_at=timezone.now(),
    )  # fmt: skip
    c = Client()
    c.force_login(user)
    return c


def signed_in(user_name: str) -> Client:
    from xinyong.accounts.models import User

    c = Client()
    c.force_login(User.objects.create_user(username=user_name, password="x", role="public"))
    return c


def issue_public(client, subject) -> tuple[str, str]:
    r = client.post(f"/subjects/{subject.pk}/report/")
    assert r.status_code == 302, r.content
    path, query = r["Location"].split("?c=")
    number = path.rstrip("/").rsplit("/", 1)[1]
    return number, query


def test_anyone_downloads_an_organisations_public_report(client, published):
    subject = published.subject
    page = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert "下载公共信用信息报告" in page
    number, code = issue_public(client, subject)
    report = Report.objects.get(number=number)
    assert report.kind == "public" and report.user_id is None and report.department_id is None
    result = client.get(f"/reports/{number}/?c={code}").content.decode()
    assert number in result and code in result
    assert report.valid_until.strftime("%Y-%m-%d") in result
    pdf = client.get(f"/reports/{number}/report.pdf?c={code}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert hashlib.sha256(body).hexdigest() == report.pdf_sha256
    assert "信市监罚〔2026〕1号" in pdf_text(body)
    twin = json.loads(client.get(f"/reports/{number}/report.json?c={code}").content)
    sig = twin["signature"]
    assert sig["alg"] == "Ed25519" and sig["key_id"] == report.key_id
    assert signing.verify(twin["report"], sig["value"], sig["public_key"])
    assert twin["report"]["pdf_sha256"] == report.pdf_sha256
    # the code is the capability: without it, or with another, nothing is found
    for url in (
        f"/reports/{number}/",
        f"/reports/{number}/report.pdf?c=ABCDEF",
        f"/reports/{number}/report.json",
        f"/reports/XY0000/report.pdf?c={code}",
        f"/reports/{number}{'0' * 20}/report.pdf?c={code}",  # longer than any number
        f"/reports/{number}/report.pdf?c={code}{'0' * 20}",
    ):
        assert client.get(url).status_code == 404, url
    # a lower-case code typed by hand works
    assert client.get(f"/reports/{number}/report.pdf?c={code.lower()}").status_code == 200


def test_a_person_has_no_public_report_page(client, org_with_rep):
    from xinyong.subjects.models import Subject

    person = Subject.objects.get(kind="person")
    assert client.post(f"/subjects/{person.pk}/report/").status_code == 404
    assert client.get(f"/subjects/{org_with_rep.pk}/report/").status_code == 405
    assert not Report.objects.exists()


def test_issuing_from_one_address_is_limited(client, org_with_rep, settings):
    settings.XINYONG_REPORT_ISSUE_LIMIT = 2
    issue_public(client, org_with_rep)
    issue_public(client, org_with_rep)
    r = client.post(f"/subjects/{org_with_rep.pk}/report/")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "请求过于频繁" in r.content.decode()
    assert Report.objects.count() == 2
    # another address still gets its report
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(f"/subjects/{org_with_rep.pk}/report/").status_code == 302


def test_all_anonymous_visitors_together_are_limited(client, org_with_rep, settings):
    settings.XINYONG_REPORT_ISSUE_ANON_LIMIT = 1
    issue_public(client, org_with_rep)
    r = Client(REMOTE_ADDR="10.9.9.9").post(f"/subjects/{org_with_rep.pk}/report/")
    assert r.status_code == 429
    # a signed-in account is counted by its address only
    assert signed_in("visitor").post(f"/subjects/{org_with_rep.pk}/report/").status_code == 302


def test_the_account_gets_its_own_and_special_reports(published, users):
    subject = published.subject
    agent = bind("huawei_agent", subject)
    page = agent.get(f"/account/subjects/{subject.pk}/").content.decode()
    assert "信用报告" in page and "获取自查版信用报告" in page
    # a domain with the certificate it replaces
    assert "市场监管" in page and "市场监管领域无违法违规证明" in page
    url = f"/account/subjects/{subject.pk}/reports/"
    r = agent.post(url, {"kind": "own"})
    assert r.status_code == 302 and "?c=" in r["Location"]
    own = Report.objects.get(kind="own")
    assert str(own.user_id) == agent.session["_auth_user_id"]
    r = agent.post(url, {"kind": "special", "domains": ["market", "tax"]})
    assert r.status_code == 302
    special = Report.objects.get(kind="special")
    start = timezone.localdate() - relativedelta(years=3)
    assert special.period_from == start and special.domains == ["market", "tax"]
    # downloads by the account that asked: no code needed, each audited
    before = AuditEvent.objects.filter(action="report.read").count()
    for rep in (own, special):
        assert agent.get(f"/reports/{rep.number}/report.pdf").status_code == 200
        assert agent.get(f"/reports/{rep.number}/report.json").status_code == 200
    assert AuditEvent.objects.filter(action="report.read").count() == before + 4
    # nobody else: another account, anyone with the code, the operator
    code = r["Location"].split("?c=")[1]
    stranger = signed_in("stranger")
    operator = Client()
    operator.force_login(users["operator"])
    for c in (stranger, Client(), operator):
        assert c.get(f"/reports/{special.number}/report.pdf?c={code}").status_code == 404
        assert c.get(f"/reports/{special.number}/?c={code}").status_code == 404
    assert stranger.get(url).status_code == 404
    # the list shows both, with download links, and who verified them
    ReportVerification.objects.create(
        report=special, at=timezone.now(), channel="page", outcome="genuine", verifier="某银行"
    )
    page = agent.get(url).content.decode()
    assert own.number in page and special.number in page
    assert "专项信用报告" in page and "公共信用信息报告（自查版）" in page
    assert "某银行" in page and "核验页面" in page and "真实有效" in page
    assert f"/reports/{special.number}/report.pdf" in page


def test_a_department_report_is_listed_but_not_the_accounts_to_download(published, actors):
    from xinyong.reports import services

    subject = published.subject
    issued = services.report_issue(
        actor=actors["tax_clerk"], kind="review", subject=subject, purpose="政府采购资格审查"
    )
    agent = bind("huawei_agent", subject)
    page = agent.get(f"/account/subjects/{subject.pk}/reports/").content.decode()
    assert issued.report.number in page and "市税务局" in page and "信用审查报告" in page
    assert f"/reports/{issued.report.number}/report.pdf" not in page
    assert agent.get(f"/reports/{issued.report.number}/report.pdf").status_code == 404


HOSTILE = [
    ({"period_from": "2026-02-30"}, "period_from", "日期格式"),
    ({"period_to": "not a date"}, "period_to", "日期格式"),
    ({"period_from": "1999-01-01"}, "period_from", "查询期最长为近 3 年"),
    ({"period_to": "2999-01-01"}, "period_to", "不能晚于今天"),
    ({"domains": ["nowhere<script>"]}, "domains", "不在本平台专项信用报告的领域表中"),
    ({"domains": []}, "domains", "请至少选择一个领域"),
    ({"purpose": "用" * 201}, "purpose", "用途最多 200 个字符"),
]


@pytest.mark.parametrize(("over", "field", "message"), HOSTILE)
def test_the_special_form_refuses_bad_input_next_to_the_field(org_with_rep, over, field, message):
    agent = bind("huawei_agent", org_with_rep)
    form = {"kind": "special", "domains": ["market"], **over}
    r = agent.post(f"/account/subjects/{org_with_rep.pk}/reports/", form)
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    # next to its field: inside the field's label (dates, purpose) or its fieldset (domains)
    start = html.index(f'name="{field}"')
    end = html.index("</fieldset>" if field == "domains" else "</label>", start)
    assert 'class="field-error"' in html[start:end] and message in html[start:end]
    assert message in field_error(html, field, control=field != "domains")
    assert "nowhere<script>" not in html  # shown escaped
    assert not Report.objects.exists()


def test_the_form_keeps_what_was_chosen(org_with_rep):
    agent = bind("huawei_agent", org_with_rep)
    form = {"kind": "special", "domains": ["market"], "period_from": "1999-01-01"}
    r = agent.post(f"/account/subjects/{org_with_rep.pk}/reports/", form)
    html = r.content.decode()
    assert 'value="market" checked' in html and 'value="1999-01-01"' in html


def test_unknown_kind_is_refused(org_with_rep):
    agent = bind("huawei_agent", org_with_rep)
    r = agent.post(f"/account/subjects/{org_with_rep.pk}/reports/", {"kind": "review"})
    assert r.status_code == 400
    assert field_error(r.content.decode(), "kind", control=False) == "请选择要获取的报告"
    assert not Report.objects.exists()


def test_a_persons_reports_go_to_its_bound_account_only(org_with_rep, users):
    from xinyong.subjects.models import Subject

    person = Subject.objects.get(kind="person")
    own_account = bind("zhangsan", person)
    url = f"/account/subjects/{person.pk}/reports/"
    page = own_account.get(url).content.decode()
    assert "获取自查版信用报告" in page and "获取公共信用信息报告（公开版）" not in page
    r = own_account.post(url, {"kind": "public"})
    assert r.status_code == 400 and "自然人不出具公开版报告" in field_error(
        r.content.decode(), "kind", control=False
    )
    r = own_account.post(url, {"kind": "own"})
    assert r.status_code == 302
    number = Report.objects.get().number
    assert own_account.get(f"/reports/{number}/report.pdf").status_code == 200
    # the organisation's account is not the person's
    org_account = bind("huawei_agent", org_with_rep)
    assert org_account.get(url).status_code == 404
    assert org_account.post(url, {"kind": "own"}).status_code == 404
    assert org_account.get(f"/reports/{number}/report.pdf").status_code == 404
    assert Report.objects.count() == 1


def test_an_account_no_longer_bound_loses_its_own_reports(org_with_rep):
    from xinyong.remedies.models import SubjectBinding

    agent = bind("huawei_agent", org_with_rep)
    agent.post(f"/account/subjects/{org_with_rep.pk}/reports/", {"kind": "own"})
    number = Report.objects.get().number
    SubjectBinding.objects.update(status="rejected")
    assert agent.get(f"/reports/{number}/report.pdf").status_code == 404


def test_an_expired_report_says_so(client, org_with_rep):
    number, code = issue_public(client, org_with_rep)
    Report.objects.filter(number=number).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "已过有效期" in client.get(f"/reports/{number}/?c={code}").content.decode()
