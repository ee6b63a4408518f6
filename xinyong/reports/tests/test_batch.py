"""Batches of reports: checked whole before anything is written, issued by the worker with
progress, resumable without a second report for a subject, downloaded as one ZIP."""

import csv
import io
import json
import zipfile

import pytest

from xinyong.audit.models import AuditEvent
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from xinyong.reports import selectors, services, signing
from xinyong.reports.models import Report, ReportBatch
from xinyong.reports.tasks import enqueue_batch
from xinyong.reports.tests.conftest import orgs_load, pdf_text

BAD = "91339900MA1X2Y3B1Y"  # check character wrong
UNKNOWN = "91339900MA1X2Y3B1X"  # valid, registered by nobody


def _submit(actor, codes, kind="review", purpose="政府采购：某项目投标人审查", **kw):
    return services.report_batch_submit(actor=actor, kind=kind, purpose=purpose, codes=codes, **kw)


def _nothing_written():
    assert not ReportBatch.objects.exists() and not Report.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_a_batch_issues_every_report_and_zips_them(
    actors, departments, django_capture_on_commit_callbacks
):
    codes = orgs_load(departments, 3)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _submit(actors["tax_clerk"], [codes[0], codes[1], codes[0].lower(), codes[2]],
                        enqueue=enqueue_batch)  # fmt: skip
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done) == ("done", 3, 3)  # duplicate collapsed
    reports = selectors.batch_reports(batch)
    assert [r.subject.uscc for r in reports] == codes
    assert {r.kind for r in reports} == {"review"} and {r.department_id for r in reports} == {
        departments["tax"].pk
    }
    assert AuditEvent.objects.filter(action="report.batch_submit").count() == 1
    assert AuditEvent.objects.filter(action="report.issue").count() == 3

    _batch, f = services.report_batch_zip(actor=actors["tax_clerk"], batch_id=batch.pk)
    z = zipfile.ZipFile(f)
    names = z.namelist()
    assert len(names) == 7 and "index.csv" in names
    index = list(csv.reader(io.StringIO(z.read("index.csv").decode("utf-8-sig"))))
    assert index[0] == ["统一社会信用代码", "名称", "报告编号", "验证码", "文件摘要（SHA-256）"]
    for (uscc, name, number, code, digest), r in zip(index[1:], reports, strict=True):
        assert (uscc, name, number, digest) == (r.subject.uscc, r.subject.name, r.number,
                                                r.pdf_sha256)  # fmt: skip
        assert services.code_hash(number, code) == r.code_hash  # the code verifies
        pdf = z.read(f"{uscc}_{number}.pdf")
        assert code in pdf_text(pdf) and "信用审查报告" in pdf_text(pdf)
        envelope = json.loads(z.read(f"{uscc}_{number}.json"))
        sig = envelope["signature"]
        assert sig["alg"] == "Ed25519" and sig["key_id"] == r.key_id
        assert signing.verify(envelope["report"], sig["value"], sig["public_key"])
        assert envelope["report"]["pdf_sha256"] == signing.sha256_hex(pdf)
    read = AuditEvent.objects.get(action="report.read", object_type="report_batch")
    assert read.detail["numbers"] == [r.number for r in reports]


@pytest.mark.parametrize(
    ("kind", "purpose", "codes", "field", "rule", "says"),
    [
        ("review", "招标投标", [BAD], "codes", "uscc.check_character", "第1行"),
        ("review", "招标投标", ["", "1234"], "codes", "uscc.length", "第2行"),
        ("review", "招标投标", [UNKNOWN], "codes", "subject.unknown", UNKNOWN),
        ("review", "招标投标", [], "codes", "required", "至少一个"),
        ("special", "招标投标", [UNKNOWN], "kind", "kind.not_batchable", "public"),
        ("own", "招标投标", [UNKNOWN], "kind", "kind.not_batchable", "review"),
        ("review", "  ", [UNKNOWN], "purpose", "required", "用途"),
        ("public", "", [UNKNOWN], "purpose", "required", "用途"),
        ("review", "x" * 201, [UNKNOWN], "purpose", "too_long", "200"),
    ],
)
def test_a_refused_batch_names_field_and_rule_and_writes_nothing(
    actors, kind, purpose, codes, field, rule, says
):
    with pytest.raises(ValidationFailed) as e:
        _submit(actors["market_clerk"], codes, kind=kind, purpose=purpose)
    err = e.value.errors[0]
    assert (err.field, err.rule) == (field, rule) and says in err.message
    _nothing_written()


def test_more_than_the_policy_allows_is_refused(actors, departments):
    from xinyong.reports.services import policy

    codes = orgs_load(departments, 4)
    p = policy()
    p.batch_max = 3
    p.save()
    with pytest.raises(ValidationFailed) as e:
        _submit(actors["market_clerk"], codes)
    assert e.value.errors[0].rule == "too_many" and "最多 3 个" in e.value.errors[0].message
    _nothing_written()
    p.batch_max = 1000
    p.save()
    with pytest.raises(ValidationFailed) as e:  # 1,001 codes, each valid
        _submit(actors["market_clerk"], [_code(n) for n in range(1001)])
    assert e.value.errors[0].rule == "too_many"
    _nothing_written()


def _code(n: int) -> str:
    from xinyong.subjects.demo import make_uscc

    return make_uscc("91", "339900", 7_000_000 + n)


def test_every_bad_line_is_named(actors, departments):
    good = orgs_load(departments, 1)[0]
    with pytest.raises(ValidationFailed) as e:
        _submit(actors["market_clerk"], [good, BAD, good, "ABC"])
    assert [(x.rule, x.message[:3]) for x in e.value.errors] == [
        ("uscc.check_character", "第2行"), ("uscc.length", "第4行"),
    ]  # fmt: skip
    _nothing_written()


def test_who_may_submit(actors, departments):
    codes = orgs_load(departments, 1)
    with pytest.raises(PermissionDenied):
        _submit(actors["auditor"], codes)
    _nothing_written()
    assert _submit(actors["operator"], codes, kind="public").department_id == (
        departments["credit"].pk
    )


def test_an_interrupted_batch_resumes_without_a_second_report(actors, departments):
    codes = orgs_load(departments, 4)
    batch = _submit(actors["market_clerk"], codes)  # not queued: run by hand below
    assert batch.status == "queued" and batch.done == 0
    part = services.report_batch_run(batch_id=batch.pk, stop_after=2)
    assert (part.status, part.done) == ("running", 2)
    assert selectors.batches_stalled(minutes=0) == [batch.pk]  # the watch would queue it again
    done = services.report_batch_run(batch_id=batch.pk)
    assert (done.status, done.done, done.total) == ("done", 4, 4)
    subjects = list(Report.objects.filter(batch=batch).values_list("subject_id", flat=True))
    assert sorted(subjects) == sorted(set(subjects)) and len(subjects) == 4
    # A second worker on the same subject (it read the batch before the first committed)
    # is rolled back: still one report per subject, its file removed.
    from xinyong.reports.services.batch import _issue_one

    first = Report.objects.filter(batch=batch).first()
    _issue_one(actors["market_clerk"], batch, first.subject, 30)
    assert Report.objects.filter(batch=batch).count() == 4
    assert ReportBatch.objects.get(pk=batch.pk).done == 4
    assert services.report_batch_run(batch_id=batch.pk).done == 4  # done: nothing more


def test_only_the_requesting_department_downloads(actors, departments):
    codes = orgs_load(departments, 1)
    batch = _submit(actors["market_clerk"], codes)
    with pytest.raises(Conflict):  # not done yet
        services.report_batch_zip(actor=actors["market_clerk"], batch_id=batch.pk)
    services.report_batch_run(batch_id=batch.pk)
    with pytest.raises(NotFound):
        services.report_batch_zip(actor=actors["tax_clerk"], batch_id=batch.pk)
    with pytest.raises(PermissionDenied):
        services.report_batch_zip(actor=actors["auditor"], batch_id=batch.pk)
    report = Report.objects.get(batch=batch)
    with pytest.raises(NotFound):
        services.report_pdf_read(actor=actors["tax_clerk"], report_id=report.pk)
    with pytest.raises(PermissionDenied):
        services.report_pdf_read(actor=actors["auditor"], report_id=report.pk)
    # REPORT_FILE (one rule for every download): the department's report goes to the
    # department and to the operator.
    assert not AuditEvent.objects.filter(action="report.read").exists()
    for who in ("market_reviewer", "operator"):
        _r, pdf = services.report_pdf_read(actor=actors[who], report_id=report.pk)
        assert pdf.startswith(b"%PDF")
        services.report_batch_zip(actor=actors[who], batch_id=batch.pk)
    assert AuditEvent.objects.filter(action="report.read").count() == 4


def test_a_disabled_requester_fails_the_batch(users, actors, departments):
    codes = orgs_load(departments, 1)
    batch = _submit(actors["market_clerk"], codes)
    users["market_clerk"].is_active = False
    users["market_clerk"].save()
    failed = services.report_batch_run(batch_id=batch.pk)
    assert failed.status == "failed" and "停用" in failed.error
    assert not Report.objects.exists()


def test_the_watch_resumes_a_batch_whose_worker_died(actors, departments):
    import datetime

    from django.utils import timezone

    from xinyong.reports.tasks import batches_watch

    codes = orgs_load(departments, 3)
    batch = _submit(actors["market_clerk"], codes)
    services.report_batch_run(batch_id=batch.pk, stop_after=1)  # then the worker died
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    ReportBatch.objects.filter(pk=batch.pk).update(created_at=long_ago)
    Report.objects.filter(batch=batch).update(issued_at=long_ago)
    assert selectors.batches_stalled() == [batch.pk]
    batches_watch.call()  # queues it again; the test backend runs it at once
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("done", 3)
    assert Report.objects.filter(batch=batch).count() == 3
    issued = AuditEvent.objects.filter(action="report.issue")
    assert issued.count() == 3 and {e.detail["batch"] for e in issued} == {batch.pk}
