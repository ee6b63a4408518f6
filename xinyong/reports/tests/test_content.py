"""What reports say about repaired, disputed and no-longer-published information, and what
the subject's own report holds that the public one does not."""

import pytest

from xinyong.remedies import services as remedies
from xinyong.remedies.tests.test_repairs import bound, pdf  # noqa: F401 - shared fixture
from xinyong.reports import services
from xinyong.reports.tests.conftest import pdf_text
from xinyong.reports.tests.test_issue import ANON

pytestmark = pytest.mark.django_db


def _sections(report) -> dict:
    return {s["key"]: s for s in report.twin["sections"]}


def test_repaired_entry_is_labelled_in_the_special_report_and_gone_from_the_public(
    bound,  # noqa: F811 - the shared fixture
    actors,
):
    actor, entry, record = bound
    app = remedies.repair_apply(
        actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
        statement="已缴清罚款并完成整改", materials={"commitment": pdf()},
    )  # fmt: skip
    public_before = services.report_issue(actor=ANON, kind="public", subject=record.subject)
    assert len(_sections(public_before.report)["lists"]["entries"]) == 1
    remedies.repair_decide(actor=actors["market_reviewer"], application_id=app.pk,
                           approve=True, reason="已履行义务，同意修复")  # fmt: skip

    public = services.report_issue(actor=ANON, kind="public", subject=record.subject)
    assert _sections(public.report)["lists"]["entries"] == []  # repair takes it off at once
    special = services.report_issue(
        actor=actor, kind="special", subject=record.subject, domains=["market"]
    )
    market = _sections(special.report)["market"]
    assert market["found"] is True
    listed = [e for e in market["entries"] if e["title"] == entry.list_type.name]
    assert listed and "已修复" in listed[0]["flags"]
    assert "已修复" in pdf_text(special.pdf)
    # the subject's own report: only through its bound account
    own = services.report_issue(actor=actor, kind="own", subject=record.subject)
    assert own.report.user_id == actor.user_id
    assert "自查版" in pdf_text(own.pdf)


def test_a_record_under_objection_is_marked(bound, actors):  # noqa: F811 - the shared fixture
    actor, _entry, record = bound
    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep

    publication_sweep(actor=SYSTEM)
    objection = remedies.objection_file(
        actor=actor, record_id=record.pk, reasons="处罚决定已被行政复议撤销"
    )
    remedies.objection_mark(actor=actors["operator"], objection_id=objection.pk)  # marked: shown
    issued = services.report_issue(actor=ANON, kind="public", subject=record.subject)
    (penalty,) = _sections(issued.report)["penalties"]["entries"]
    assert penalty["flags"] == ["异议中"]
    assert "异议中" in pdf_text(issued.pdf)


def test_a_section_lists_its_newest_and_says_how_many_in_all(
    client, market_token, org_with_rep, monkeypatch
):
    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.ingest.tests.conftest import penalty, push
    from xinyong.reports import content

    monkeypatch.setattr(content, "SECTION_MAX", 2)
    rows = [penalty(n, CF_JDRQ=f"2026-11-0{n}") for n in (1, 2, 3)]
    assert push(client, market_token, "administrative_penalty", rows).json()["created"] == 3
    publication_sweep(actor=SYSTEM)
    issued = services.report_issue(actor=ANON, kind="public", subject=org_with_rep)
    penalties = _sections(issued.report)["penalties"]
    assert penalties["total"] == 3
    assert [e["title"][-8:] for e in penalties["entries"]] == ["〔2026〕3号", "〔2026〕2号"]
    overview = {o["name"]: o["value"] for o in issued.report.twin["overview"]}
    assert overview["行政处罚信息"] == "3 条"
    assert "共3条，本报告列示最近的2条" in pdf_text(issued.pdf)


def test_a_batch_chunk_reads_each_file_as_the_single_report_does(
    client, market_token, org_with_rep, monkeypatch, actors, departments
):
    """A batch reads its subjects' files together (content.FileReader over a chunk): each
    report must say exactly what the subject's single report says — the newest of each
    section, the totals, the marks — and nothing of its neighbours' files."""
    from django.utils import timezone

    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.ingest.tests.conftest import penalty, push
    from xinyong.reports import content
    from xinyong.reports.tests.conftest import orgs_load
    from xinyong.subjects.models import Subject

    monkeypatch.setattr(content, "SECTION_MAX", 2)
    rows = [penalty(n, CF_JDRQ=f"2026-11-0{n}") for n in (1, 2, 3)]
    assert push(client, market_token, "administrative_penalty", rows).json()["created"] == 3
    publication_sweep(actor=SYSTEM)
    others = list(Subject.objects.filter(uscc__in=orgs_load(departments, 3)))
    ids = [others[0].pk, org_with_rep.pk, *(s.pk for s in others[1:])]
    today = timezone.localdate()
    for kind, actor in (("public", ANON), ("review", actors["market_clerk"]),
                        ("review", actors["tax_clerk"])):  # fmt: skip
        chunk = content.FileReader(kind, actor, ids, today)
        for sid in ids:
            alone = content.FileReader(kind, actor, [sid], today).sections(sid)
            assert chunk.sections(sid) == alone, (kind, sid)
        penalties = {s.key: s for s in chunk.sections(org_with_rep.pk)}["penalties"]
        assert penalties.total == 3 and len(penalties.entries) == 2, kind
        assert [e.title[-8:] for e in penalties.entries] == ["〔2026〕3号", "〔2026〕2号"]
        assert all(s.total == 0 for s in chunk.sections(others[0].pk))


def test_a_batch_reads_files_per_chunk_not_per_report(actors, departments):
    """Each further report of a batch costs only its own writes (its row, its audit event,
    the batch's progress): the files are read once per chunk of subjects."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinyong.reports.services.batch import report_batch_submit
    from xinyong.reports.tests.conftest import orgs_load

    codes = orgs_load(departments, 10)
    counts = []
    for n in (2, 10):
        batch = report_batch_submit(actor=actors["market_clerk"], kind="review",
                                    purpose="招标投标：资格审查", codes=codes[:n])  # fmt: skip
        with CaptureQueriesContext(connection) as q:
            services.report_batch_run(batch_id=batch.pk)
        batch.refresh_from_db()
        assert (batch.status, batch.done) == ("done", n)
        counts.append(len(q.captured_queries))
    per_report = (counts[1] - counts[0]) / 8
    assert per_report <= 8, counts  # 16 when each report read its own file
