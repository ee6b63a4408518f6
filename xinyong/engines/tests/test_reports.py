"""Bulk reports' data on the batch engines: the public reports' data of every organisation
of the parity test's city, computed on DuckDB and on Spark (local) from one export and
written back, gives the very reports the database path gives — every section, entry,
count and flag, and the twins of a batch of public reports issued from it — and a subject
changed since the export (a record withdrawn, a publication ended, another day, another
catalog) is read from the database, never shown stale."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.core.context import request_context
from xinyong.engines import export
from xinyong.engines.services import report_data_build
from xinyong.reports.content import FileReader
from xinyong.reports.models import Report, ReportData, ReportDataRun

pytestmark = pytest.mark.django_db
CHAIN_LICENCES = 26  # more than a section shows: the newest 20 must be the same 20


@pytest.fixture
def published(city):
    """The city with its licences and penalties published by the sweep, and a chain store
    holding more licences than a section shows, some undated, some decided the same day."""
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.records.models import Record

    licence = Record.objects.filter(item_code="administrative_licence", status="active",
                                    disclosure="public").order_by("id").first()  # fmt: skip
    chain = licence.subject_id
    day = timezone.localdate() - datetime.timedelta(days=30)
    for n in range(CHAIN_LICENCES):
        licence.pk, licence.source_id = None, f"chain-{n}"
        licence.decision_date = None if n % 5 == 0 else day - datetime.timedelta(days=n // 3)
        licence.created_at = licence.updated_at = timezone.now()
        licence.save(force_insert=True)
    with request_context(channel="cli"):
        publication_sweep(actor=SYSTEM)
    return chain


def _orgs() -> list[int]:
    from xinyong.subjects.models import Subject

    return sorted(Subject.objects.exclude(kind="person").values_list("pk", flat=True))


def _sections(ids: list[int], *, precomputed: bool, today=None) -> tuple[dict, set[int]]:
    reader = FileReader("public", SYSTEM, ids, today or timezone.localdate(),
                        precomputed=precomputed)  # fmt: skip
    return {sid: reader.sections(sid) for sid in ids}, reader.precomputed


def test_public_reports_from_each_engine_are_the_databases(published, engine, tmp_path):
    from xinyong.accounts.models import User
    from xinyong.disclosure.sweep import publications_end
    from xinyong.records.models import Record, RecordVersion
    from xinyong.reports import services
    from xinyong.subjects.models import Subject

    orgs = _orgs()
    expected, _none = _sections(orgs, precomputed=False)
    # the spread the comparison rests on: a section cut at 20, every kind of section
    chain = {s.key: s for s in expected[published]}
    assert chain["licences"].total > 20 and len(chain["licences"].entries) == 20
    shown = {s.key for sections in expected.values() for s in sections if s.total}
    assert {"licences", "penalties", "honors", "commitments", "lists"} <= shown, shown
    flags = {f for ss in expected.values() for s in ss for e in s.entries for f in e.flags}
    assert "异议中" in flags, flags

    manifest = export.export(tmp_path / "city")
    for _twice in range(2):  # built again: the new run replaces the one in force whole
        run = report_data_build(actor=SYSTEM, engine=engine, data=manifest.path)
        assert (run.engine, run.subjects, run.data_time) == (engine, len(orgs),
                                                             manifest.data_time)  # fmt: skip
        got, precomputed = _sections(orgs, precomputed=True)
        assert precomputed == set(orgs)  # every subject read from the engine's data
        assert got == expected
    assert ReportDataRun.objects.count() == 1  # the run in force, replaced whole

    # a batch of public reports issued from it: its twins say what the database path says
    clerk = Actor.for_user(User.objects.get(username="scjg_clerk"))
    few = [published, *orgs[:3]]
    codes = list(Subject.objects.filter(pk__in=few).values_list("uscc", flat=True))
    with request_context(channel="web"):
        batch = services.report_batch_submit(actor=clerk, kind="public", purpose="招标投标审查",
                                             codes=codes)  # fmt: skip
        services.report_batch_run(batch_id=batch.pk)
    for report in Report.objects.filter(batch_id=batch.pk):
        assert report.twin["sections"] == [
            s.model_dump(mode="json") for s in expected[report.subject_id]
        ]

    # changed since the export: read from the database, the change shown
    withdrawn = Record.objects.filter(subject_id=published, item_code="administrative_licence",
                                      source_id="chain-25").get()  # fmt: skip
    withdrawn.status, withdrawn.updated_at = "withdrawn", timezone.now()
    withdrawn.save(update_fields=["status", "updated_at"])
    penalty = (Record.objects.filter(item_code="administrative_penalty",
                                     publication__status="public")
               .exclude(subject_id=published).order_by("id").first())  # fmt: skip
    publications_end([penalty], now=timezone.now())  # the change log tells; the record stays
    honour = (
        Record.objects.filter(item_code="honor", status="active", disclosure="public")
        .exclude(subject_id__in=(published, penalty.subject_id))
        .order_by("id")
        .first()
    )
    left = honour.subject_id  # corrected to another subject, as an update by ingestion does
    to = next(s for s in orgs if s not in (published, penalty.subject_id, left))
    RecordVersion.objects.create(
        record=honour,
        version=honour.version,
        status=honour.status,
        channel=honour.channel,
        item_version_id=honour.item_version_id,
        subject_id=left,
        data=honour.data,
        decision_date=honour.decision_date,
        received_at=honour.received_at,
        content_hash=honour.content_hash,
        superseded_at=timezone.now(),
    )
    honour.subject_id, honour.version, honour.updated_at = to, honour.version + 1, timezone.now()
    honour.save(update_fields=["subject", "version", "updated_at"])
    now, precomputed = _sections(orgs, precomputed=True)
    assert precomputed == set(orgs) - {published, penalty.subject_id, left, to}
    assert now == _sections(orgs, precomputed=False)[0]
    assert now[published] != expected[published]  # 25 licences now
    assert now[penalty.subject_id] != expected[penalty.subject_id]  # the penalty gone
    assert now[left] != expected[left] and now[to] != expected[to]  # the honour moved
    # another day (a period may end at midnight), or another catalog: none taken
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _sections(orgs, precomputed=True, today=tomorrow)[1] == set()
    ReportDataRun.objects.update(catalog={"always": [], "swept": []})
    assert _sections(orgs, precomputed=True)[1] == set()
    assert ReportData.objects.count() == len(orgs)


def _review(actor, ids: list[int], *, precomputed: bool, today=None) -> tuple[dict, set[int]]:
    reader = FileReader("review", actor, ids, today or timezone.localdate(),
                        precomputed=precomputed)  # fmt: skip
    return {sid: reader.sections(sid) for sid in ids}, reader.precomputed


def _grow(template, subject_id: int, n: int, disclosures: tuple[str, ...], tag: str) -> None:
    """``n`` copies of ``template`` on the subject, of the disclosures in turn, some undated
    and some of one day (as the chain store's licences)."""
    day = timezone.localdate() - datetime.timedelta(days=20)
    for k in range(n):
        template.pk, template.source_id, template.subject_id = None, f"{tag}-{k}", subject_id
        template.disclosure = disclosures[k % len(disclosures)]
        template.decision_date = None if k % 7 == 0 else day - datetime.timedelta(days=k // 2)
        template.created_at = template.updated_at = timezone.now()
        template.save(force_insert=True)


def test_review_reports_from_each_engine_are_each_departments_database_path(published, engine,
                                                                           tmp_path):  # fmt: skip
    """One run serves every department: what each sees (its own records in full, a sharing
    provider's shared ones, others' public ones) is decided on the groups' ids by the read
    rule when the report is issued — a sharing rule ended since the export applies at once.
    The data is of the large files (an item cut at 20); the small ones are read from the
    database, as without it."""
    from django.db.models import Count

    from xinyong.accounts.models import SharingRule, User
    from xinyong.records.models import Record
    from xinyong.reports import services
    from xinyong.reports.content import LIST_ITEMS, SECTION_MAX, SKIP_ITEMS
    from xinyong.subjects.models import Subject

    market, tax, housing = (
        Actor.for_user(User.objects.get(username=u)) for u in ("scjg_clerk", "sw_clerk", "zj_clerk")
    )
    active = Record.objects.filter(status="active")
    ours = [a.department_id for a in (market, tax, housing)]
    shared = active.filter(disclosure="shared").exclude(provider_id__in=ours)
    given = shared.order_by("provider_id", "id").first()  # the rule's provider's record
    rule = SharingRule.objects.create(
        provider_id=given.provider_id,
        consumer_id=market.department_id,
        purpose="联合监管",
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
    )
    orgs = _orgs()
    chain, other = published, next(s for s in orgs[5:] if s != published)
    # Large files of every group: the chain store's inspections by the market regulator,
    # restricted (its own eyes only), shared (the tax bureau's too, by the demo's sharing
    # rule) and public; the rule's provider's shared records; another organisation's
    # shared inspections.
    inspection = active.filter(item_code="administrative_inspection").order_by("id").first()
    _grow(inspection, chain, 24, ("restricted", "shared", "public"), "mix")
    _grow(given, chain, 22, ("shared",), "given")
    _grow(inspection, other, 21, ("shared",), "shared")
    large = set(
        active.filter(subject_id__in=orgs).exclude(item_code__in=SKIP_ITEMS + LIST_ITEMS)
        .values("subject_id", "item_code").annotate(n=Count("id")).filter(n__gt=SECTION_MAX)
        .values_list("subject_id", flat=True)
    )  # fmt: skip
    assert {chain, other} <= large < set(orgs)
    readers = {"market": market, "tax": tax, "housing": housing, "operator": SYSTEM}
    expected = {name: _review(a, orgs, precomputed=False)[0] for name, a in readers.items()}
    # the spread the comparison rests on: each department sees another file of the chain
    # store's, the market regulator the provider's shared records and its own restricted
    seen = {name: frozenset(Record.objects.visible_to(a).filter(subject_id=chain)
                            .values_list("source_id", flat=True))
            for name, a in readers.items()}  # fmt: skip
    assert len(set(seen.values())) == len(seen)
    assert {"mix-0", "mix-1", "mix-2", "given-0"} <= seen["market"]
    assert "mix-1" in seen["tax"] and not {"mix-0", "given-0"} & seen["tax"]
    assert "mix-2" in seen["housing"] and not {"mix-0", "mix-1"} & seen["housing"]
    assert len({str(e[chain]) for e in expected.values()}) == len(readers)

    manifest = export.export(tmp_path / "city")
    run = report_data_build(actor=SYSTEM, engine=engine, data=manifest.path)
    assert run.subjects == len(orgs)
    for name, actor in readers.items():
        got, precomputed = _review(actor, orgs, precomputed=True)
        assert precomputed == large, name  # the large files read from the engine's data
        assert got == expected[name], name

    # a batch of review reports issued from it: its twins say what the database path says
    few = [chain, other, *orgs[:3]]
    codes = list(Subject.objects.filter(pk__in=few).values_list("uscc", flat=True))
    with request_context(channel="web"):
        batch = services.report_batch_submit(actor=market, kind="review", purpose="招标投标审查",
                                             codes=codes)  # fmt: skip
        services.report_batch_run(batch_id=batch.pk)
    reports = Report.objects.filter(batch_id=batch.pk)
    assert reports.count() == len(few)
    for report in reports:
        assert report.twin["sections"] == [
            s.model_dump(mode="json") for s in expected["market"][report.subject_id]
        ]

    # the sharing rule ended since the export: the same data, the provider's shared
    # records gone from the market regulator's reports at once
    SharingRule.objects.filter(pk=rule.pk).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    now, precomputed = _review(market, orgs, precomputed=True)
    assert precomputed == large
    assert now == _review(market, orgs, precomputed=False)[0]
    assert now != expected["market"]
    # a record withdrawn since: its subject read from the database, the change shown
    withdrawn = Record.objects.filter(subject_id=chain, item_code="administrative_licence",
                                      source_id="chain-25").get()  # fmt: skip
    withdrawn.status, withdrawn.updated_at = "withdrawn", timezone.now()
    withdrawn.save(update_fields=["status", "updated_at"])
    now, precomputed = _review(housing, orgs, precomputed=True)
    assert precomputed == large - {chain}
    assert now == _review(housing, orgs, precomputed=False)[0] != expected["housing"]
    # another day, another catalog: the whole file's data is still taken (no period ends
    # by day in it, and the records keep their disclosure)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ReportDataRun.objects.update(catalog={"always": [], "swept": []})
    assert _review(housing, orgs, precomputed=True, today=tomorrow)[1] == large - {chain}
