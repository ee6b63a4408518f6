"""The demo city: deterministic, valid, idempotent, and what the back office needs."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.audit.selectors import audit_chain_verify
from xinyong.demo.city import build_city
from xinyong.subjects import demo
from xinyong.subjects.choices import DefectKind, SubjectKind
from xinyong.subjects.identifiers import validate_resident_id, validate_uscc
from xinyong.subjects.models import CodeDefect, RelatedPerson, Subject


def test_generators_are_deterministic_and_prefix_stable():
    first = list(demo.organizations(7, 0, 300))
    again = list(demo.organizations(7, 0, 300))
    assert first == again
    # The i-th subject does not depend on how many are generated.
    assert list(demo.organizations(7, 100, 120)) == first[100:120]
    assert list(demo.organizations(8, 0, 300)) != first


def test_generated_codes_are_valid_and_unique_names_realistic():
    orgs = list(demo.organizations(3, 0, 5000))
    ibs = list(demo.organizations(3, 0, 2000, kind="individual_business"))
    people = list(demo.persons(3, 0, 2000))
    assert all(validate_uscc(o.uscc) == o.uscc for o in orgs + ibs)
    assert all(o.uscc.startswith("92") for o in ibs)
    assert len({o.uscc for o in orgs + ibs}) == len(orgs) + len(ibs)
    assert len({o.name for o in orgs}) == len(orgs)
    assert all(validate_resident_id(p.resident_id) for p in people)
    assert len({p.resident_id for p in people}) == len(people)
    # Names look like Chinese organisation names.
    assert sum(o.name.endswith("公司") for o in orgs) > len(orgs) * 0.7


@pytest.mark.django_db
def test_build_city_is_idempotent_and_consistent():
    first = build_city(seed=11, total=2000, chunk=500)
    counts = {k: Subject.objects.filter(kind=k).count() for k in SubjectKind.values}
    assert sum(counts.values()) == 2000 == first.subjects_inserted
    assert counts == {"organization": 1400, "individual_business": 300, "person": 300}
    assert first.api_token and first.api_token.startswith("xy_")
    # Every organisation has a legal representative (operator for individual businesses).
    assert RelatedPerson.objects.values("organization").distinct().count() == 1700
    # The clear identifier is nowhere in the person rows.
    p = Subject.objects.filter(kind="person").first()
    assert "*" in p.id_masked and p.id_masked[:6] not in (p.id_hash or "")
    second = build_city(seed=11, total=2000, chunk=500)
    assert (second.subjects_inserted, second.related_inserted, second.api_token) == (0, 0, None)
    assert Subject.objects.count() == 2000
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_city_has_code_defects_for_governance():
    build_city(seed=5, total=6000, chunk=3000)
    kinds = set(CodeDefect.objects.values_list("kind", flat=True))
    assert kinds == set(DefectKind.values)
    invalid = CodeDefect.objects.filter(kind=DefectKind.INVALID_USCC).first()
    assert invalid.sources[0]["error_rule"] == "uscc.check_character"


@pytest.mark.django_db
def test_demo_city_command_prints_logins_and_rejects_bad_size():
    out = io.StringIO()
    call_command("demo_city", "--seed", "3", "--subjects", "300", "--quiet", stdout=out)
    text = out.getvalue()
    assert "xyb_admin" in text and "auditor" in text and "Xinyong-demo-2026" in text
    # Every default catalog item has records, all accepted, from the item's demo provider.
    from xinyong.catalog.selectors import catalog_items
    from xinyong.ingest.models import Batch
    from xinyong.records.models import Record

    # Items only a platform workflow files (tested with it): an industry sanction, the
    # association's procedure. (A substantiated tip's record: the demo's tips file one.)
    workflow_only = {"industry_sanction", "industry_censure"}
    items = {d.code for _, d in catalog_items()} - workflow_only
    assert set(Record.objects.values_list("item_code", flat=True).distinct()) == items
    assert not Batch.objects.exclude(status="done").exists()
    assert not Batch.objects.filter(rejected__gt=0).exists()
    # Lists: the imported ones in force, cases through the procedure, last month's roll.
    from xinyong.lists.models import ListEntry, Roll

    assert ListEntry.objects.filter(external=True, list_type__code="court_dishonest_debtor")
    assert ListEntry.objects.filter(list_type__code="honor", status="published").count() == 10
    assert ListEntry.objects.filter(list_type__code="serious_dishonesty", status="published")
    assert ListEntry.objects.filter(status="notified").exists() and Roll.objects.exists()
    # Commitments: kept ones, one found false (its record and watch-list case), one waiting.
    from xinyong.commitments.models import Commitment

    assert Commitment.objects.filter(status="kept").exists()
    false = Commitment.objects.get(status="breached")
    assert false.case.list_type.code == "watch" and false.breach_record_id
    assert Commitment.objects.filter(kind="deficiency", status="in_force").exists()
    # Rewarded tips in every state, one sent on to another department, each followed by
    # its demo receipt code.
    from xinyong.tips.demo import CODES
    from xinyong.tips.models import Tip
    from xinyong.tips.selectors import tip_follow

    assert sorted(Tip.objects.values_list("status", flat=True)) == [
        "accepted", "routing", "submitted", "submitted", "substantiated", "unsubstantiated",
    ]  # fmt: skip
    paid = tip_follow(receipt=CODES["substantiated"])
    assert paid.reward_status == "paid" and paid.outcome
    moved = tip_follow(receipt=CODES["transferred"])
    assert moved.department_name == "信安市住房和城乡建设局"
    assert [t.department_name for t in moved.transfers] == ["信安市住房和城乡建设局"]
    assert f"查证属实 {CODES['substantiated']}" in text
    # Evaluation: every organisation graded by a full run after the rest was loaded.
    from xinyong.evaluation.models import SubjectGrade
    from xinyong.subjects.models import Subject

    assert "公共信用综合评价：评价主体" in text
    organisations = Subject.objects.exclude(kind="person").count()
    assert SubjectGrade.objects.count() == organisations > 0
    # A public institution's notices waiting (its superior on the platform acknowledges
    # online) and a staff misconduct notice; constructors published, engineers not.
    from xinyong.accounts.actors import ANONYMOUS
    from xinyong.bodies.models import NoticeReceipt, StaffMisconduct
    from xinyong.practitioners.selectors import public_professions

    assert NoticeReceipt.objects.filter(department__code="ZJ", acknowledged_at=None).exists()
    assert StaffMisconduct.objects.get().receipts.count() == 2
    assert [p["name"] for p in public_professions(actor=ANONYMOUS)] == ["一级注册建造师"]
    receipts = NoticeReceipt.objects.count()
    again = io.StringIO()
    call_command("demo_city", "--seed", "3", "--subjects", "300", "--quiet", stdout=again)
    assert (
        "新增信用记录 0，名单条目 0，信用承诺 0" in again.getvalue()
    )  # the second run adds nothing
    assert StaffMisconduct.objects.count() == 1 and NoticeReceipt.objects.count() == receipts
    with pytest.raises(CommandError, match="--subjects"):
        call_command("demo_city", "--subjects", "5", "--quiet", stdout=io.StringIO())


@pytest.mark.django_db
def test_search_leaves_very_common_bigrams_out_of_the_lookup():
    from django.db import connection

    from xinyong.subjects import search
    from xinyong.subjects.selectors import subject_search

    build_city(seed=9, total=4000, chunk=4000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE subjects_subject")
    search._common_cache.clear()
    with connection.cursor() as cur:
        common = search._common(cur)
    key = search._KEYS["信安"] if connection.vendor == "postgresql" else "信安"
    assert key in common  # the city's name is in nearly every organisation's name
    for q in ("信安", "信安市华", "安市华"):
        page = subject_search(q=q, page_size=50)
        assert page.results and all(q in s.name for s in page.results)
    expected = Subject.objects.filter(name__contains="信安市华").exclude(kind="person").count()
    got = sum(len(subject_search(q="信安市华", page=p, page_size=50).results) for p in range(1, 5))
    assert got == min(expected, 200)
    search._common_cache.clear()


@pytest.mark.django_db
def test_demo_city_leaves_no_resident_id_in_clear_under_var(settings, tmp_path):
    """Every demo record went through a batch (payloads under the batch directory) and the
    demo's persons have resident IDs: none of them rests in clear in a file (`scripts/demo`
    writes to var/, here the test's own directories; on SQLite a copy of the database file
    is scanned as well)."""
    from django.db import connection

    from xinyong.core.sealed import SealedPath
    from xinyong.ingest.models import Batch
    from xinyong.subjects.idscan import resident_ids_in, resident_ids_under
    from xinyong.subjects.models import Subject

    call_command("demo_city", "--seed", "4", "--subjects", "300", "--quiet", stdout=io.StringIO())
    assert Batch.objects.count() > 10 and Subject.objects.filter(kind="person").exists()
    payloads = list(Path(settings.XINYONG_BATCH_DIR).rglob("*.sealed"))
    assert any(resident_ids_in(SealedPath(p).read_bytes()) for p in payloads)  # once decrypted
    if connection.vendor == "sqlite":  # the demo's database file is under var/ too
        image = connection.connection.serialize()
        person = Subject.objects.filter(kind="person").first()
        assert person.id_masked.encode() in image  # the image holds the demo's data
        (tmp_path / "demo.sqlite3").write_bytes(image)
    assert resident_ids_under(tmp_path) == {}
    assert resident_ids_under(settings.VAR_DIR) == {}
