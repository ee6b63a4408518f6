"""Subject services: what a clerk registers, what is refused, and that refusals write nothing."""

import datetime

import pytest
from django.db import connection

from xinyong.audit.models import AuditEvent
from xinyong.core.errors import Conflict, PermissionDenied, ValidationFailed
from xinyong.subjects import selectors, services
from xinyong.subjects.models import NameHistory, Registration, RelatedPerson, Subject

HUAWEI = "914403001922038216"
RID = "11010519491231002X"


def _counts():
    return (
        Subject.objects.count(),
        RelatedPerson.objects.count(),
        Registration.objects.count(),
        AuditEvent.objects.count(),
    )


def _rule(exc_info) -> tuple[str, str]:
    err = exc_info.value.errors[0] if hasattr(exc_info.value, "errors") else exc_info.value.error
    return err.field, err.rule


def test_register_organization_records_registrar_and_audit(actors, departments):
    s = services.organization_register(
        actor=actors["market_clerk"], uscc=" 914403001922038216 ", name="华为技术有限公司"
    )
    assert (s.kind, s.uscc, s.source_department) == ("organization", HUAWEI, departments["market"])
    ev = AuditEvent.objects.get(action="subject.create")
    assert (ev.object_id, ev.actor_label, ev.department_id) == (
        str(s.pk),
        "market_clerk",
        departments["market"].pk,
    )


def test_individual_business_is_recognised_by_its_code(actors):
    ib = services.organization_register(
        actor=actors["market_clerk"],
        uscc=_ib_code(),
        name="南山区王记便利店",
    )
    assert ib.kind == "individual_business"


def _ib_code() -> str:
    from xinyong.subjects.demo import make_uscc

    return make_uscc("92", "440305", 12345)


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"uscc": "914403001922038217", "name": "甲公司"}, "uscc", "uscc.check_character"),
        ({"uscc": "91440300192203821", "name": "甲公司"}, "uscc", "uscc.length"),
        ({"uscc": HUAWEI, "name": "   "}, "name", "name.required"),
        ({"uscc": HUAWEI, "name": "甲" * 201}, "name", "name.max_length"),
        ({"uscc": HUAWEI, "name": "甲\x00公司"}, "name", "name.control_chars"),
        ({"uscc": HUAWEI, "name": "甲公司", "status": "sleeping"}, "status", "status.choice"),
        (
            {"uscc": HUAWEI, "name": "甲公司", "established_on": datetime.date(2999, 1, 1)},
            "established_on",
            "established_on.future",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(actors, kwargs, field, rule):
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        services.organization_register(actor=actors["market_clerk"], **kwargs)
    assert _rule(exc) == (field, rule)
    assert _counts() == before


def test_duplicate_code_is_a_conflict_and_writes_nothing(actors):
    services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    before = _counts()
    with pytest.raises(Conflict) as exc:
        services.organization_register(actor=actors["tax_clerk"], uscc=HUAWEI.lower(), name="华为")
    assert _rule(exc) == ("uscc", "subject.uscc_unique")
    assert _counts() == before


def test_auditor_cannot_register(actors):
    with pytest.raises(PermissionDenied):
        services.organization_register(
            actor=actors["auditor"], uscc=HUAWEI, name="华为技术有限公司"
        )
    assert Subject.objects.count() == 0


def test_person_identifier_never_stored_in_clear(actors):
    p = services.person_register(
        actor=actors["market_clerk"], id_type="resident_id", id_number=RID, name="张三"
    )
    assert p.id_masked == "110105********002X"
    assert RID not in (p.id_hash + p.id_encrypted)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM subjects_subject")
        dump = repr(cur.fetchall())
        cur.execute("SELECT * FROM audit_auditevent")
        dump += repr(cur.fetchall())
    assert RID not in dump and RID[:14] not in dump
    assert selectors.person_find(id_type="resident_id", id_number=RID.lower()) == p
    with pytest.raises(Conflict):
        services.person_register(
            actor=actors["tax_clerk"], id_type="resident_id", id_number=RID, name="张三"
        )


def test_rename_keeps_history_and_search_follows(actors):
    s = services.organization_register(
        actor=actors["market_clerk"],
        uscc=HUAWEI,
        name="深圳华为技术公司",
        established_on=datetime.date(1987, 9, 15),
    )
    services.subject_rename(
        actor=actors["market_clerk"],
        subject=s,
        new_name="华为技术有限公司",
        effective_on=datetime.date(1998, 1, 1),
    )
    h = NameHistory.objects.get(subject=s)
    assert (h.name, h.valid_from, h.valid_to) == (
        "深圳华为技术公司",
        datetime.date(1987, 9, 15),
        datetime.date(1998, 1, 1),
    )
    assert [x.pk for x in selectors.subject_search(q="技术有限").results] == [s.pk]
    assert selectors.subject_search(q="深圳华为").results == []
    with pytest.raises(ValidationFailed) as exc:
        services.subject_rename(
            actor=actors["market_clerk"],
            subject=s,
            new_name="华为技术有限公司",
            effective_on=datetime.date(2000, 1, 1),
        )
    assert _rule(exc) == ("new_name", "name.unchanged")


def test_search_two_and_four_characters_exact_first_and_paged(actors):
    from xinyong.subjects.demo import make_uscc

    clerk = actors["market_clerk"]
    for i in range(25):
        services.organization_register(
            actor=clerk, uscc=make_uscc("91", "440300", 1000 + i), name=f"信安{i:02d}科技有限公司"
        )
    exact = services.organization_register(
        actor=clerk, uscc=make_uscc("91", "440300", 5000), name="科技"
    )
    services.person_register(actor=clerk, id_type="resident_id", id_number=RID, name="科技")
    page1 = selectors.subject_search(q="科技", page_size=10)
    assert page1.results[0] == exact and page1.has_next
    assert all(r.kind != "person" for r in page1.results)
    page3 = selectors.subject_search(q="科技", page=3, page_size=10)
    assert len(page3.results) == 6 and not page3.has_next
    seen = [
        r.pk
        for p in (1, 2, 3)
        for r in selectors.subject_search(q="科技", page=p, page_size=10).results
    ]
    assert len(seen) == len(set(seen)) == 26
    assert len(selectors.subject_search(q="信安07科技").results) == 1
    # Boilerplate-only queries still work (they scan instead of using the index).
    assert selectors.subject_search(q="有限公司", page_size=100).has_next is False
    assert len(selectors.subject_search(q="有限公司", page_size=100).results) == 25


@pytest.mark.parametrize(
    ("q", "page", "rule"),
    [
        ("科", 1, "search.min_length"),
        ("科" * 51, 1, "search.max_length"),
        ("科技", 0, "search.page"),
    ],
)
def test_search_rejects_bad_queries(db, q, page, rule):
    with pytest.raises(ValidationFailed) as exc:
        selectors.subject_search(q=q, page=page)
    assert exc.value.errors[0].rule == rule


def test_search_by_code_finds_exactly_that_subject(actors):
    s = services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    page = selectors.subject_search(q="914403001922038216")
    assert (page.mode, page.results) == ("code", [s])
    # A code with a wrong check character is no "no result": the rule it breaks is named.
    with pytest.raises(ValidationFailed) as e:
        selectors.subject_search(q="914403001922038217")
    assert e.value.errors[0].rule == "uscc.check_character"


def test_related_person_periods_and_rules(actors):
    org = services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    rp = services.related_person_add(
        actor=actors["market_clerk"],
        organization=org,
        role="legal_representative",
        id_type="resident_id",
        id_number=RID,
        name="张三",
        valid_from=datetime.date(2020, 1, 1),
    )
    assert (rp.person.kind, rp.person.id_masked) == ("person", "110105********002X")
    assert rp.provider_id == actors["market_clerk"].department_id
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        services.related_person_add(
            actor=actors["market_clerk"],
            organization=org,
            role="legal_representative",
            id_type="resident_id",
            id_number=RID,
            name="张三",
            valid_from=datetime.date(2020, 1, 1),
            valid_to=datetime.date(2019, 1, 1),
        )
    assert _rule(exc) == ("valid_to", "related_person.period")
    with pytest.raises(ValidationFailed) as exc:
        services.related_person_add(
            actor=actors["market_clerk"],
            organization=org,
            role="legal_representative",
            id_type="resident_id",
            id_number="110105194912310021",
            name="李四",
            valid_from=datetime.date(2020, 1, 1),
        )
    assert _rule(exc) == ("id_number", "resident_id.check_digit")
    assert _counts() == before
    # Another department cannot end what the market regulator provided.
    with pytest.raises(PermissionDenied):
        services.related_person_end(
            actor=actors["tax_clerk"], related=rp, valid_to=datetime.date(2024, 1, 1)
        )
    services.related_person_end(
        actor=actors["market_clerk"], related=rp, valid_to=datetime.date(2024, 1, 1)
    )
    rp.refresh_from_db()
    assert rp.valid_to == datetime.date(2024, 1, 1)


def test_registration_report_keeps_invalid_codes(actors):
    r = services.registration_report(
        actor=actors["tax_clerk"], code="914403001922038217", name="华为"
    )
    assert (r.error_rule, r.subject) == ("uscc.check_character", None)
    org = services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    ok = services.registration_report(
        actor=actors["tax_clerk"], code=HUAWEI, name="华为技术有限公司"
    )
    assert (ok.error_rule, ok.subject) == ("", org)
