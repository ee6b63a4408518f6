"""Set-based bulk loading: idempotent, all-or-nothing, audited."""

import datetime

import pytest
from django.db import connection

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.subjects import bulk, demo
from xinyong.subjects.bulk import OrgLoad, PersonLoad, RegistrationLoad, RelatedLoad
from xinyong.subjects.models import Registration, RelatedPerson, Subject
from xinyong.subjects.search import bigram_keys, bigrams
from xinyong.subjects.selectors import person_find, subject_search


def _orgs(dept_id: int, n: int = 50) -> list[OrgLoad]:
    return [
        OrgLoad(
            o.kind, o.uscc, o.name, o.legal_form, o.established_on, o.address, o.status, dept_id
        )
        for o in demo.organizations(21, 0, n)
    ]


def test_bulk_load_inserts_once_and_is_searchable(departments):
    dept = departments["market"].pk
    orgs = _orgs(dept)
    people = [PersonLoad(p.resident_id, p.name) for p in demo.persons(21, 0, 10)]
    related = [
        RelatedLoad(
            orgs[i].uscc,
            people[i].resident_id,
            "legal_representative",
            datetime.date(2020, 1, 1),
            dept,
        )
        for i in range(10)
    ]
    bad = RegistrationLoad(
        departments["tax"].pk, orgs[0].uscc[:17] + "0", orgs[0].name, "uscc.check_character"
    )
    r1 = bulk.subjects_bulk_load(
        actor=SYSTEM, organizations=orgs, persons=people, related=related, registrations=[bad]
    )
    assert (r1.subjects_inserted, r1.related_inserted, r1.registrations_inserted) == (60, 10, 1)
    r2 = bulk.subjects_bulk_load(
        actor=SYSTEM, organizations=orgs, persons=people, related=related, registrations=[bad]
    )
    assert (r2.subjects_inserted, r2.related_inserted, r2.registrations_inserted) == (0, 0, 0)
    assert Subject.objects.count() == 60 and RelatedPerson.objects.count() == 10
    assert AuditEvent.objects.filter(action="subject.bulk_load").count() == 2
    # Bulk-loaded names are found by the search index, persons by their identifier hash.
    word = orgs[5].name[3:5]
    assert orgs[5].uscc in {s.uscc for s in subject_search(q=word, page_size=100).results}
    assert (
        person_find(id_type="resident_id", id_number=people[3].resident_id).name == people[3].name
    )
    assert Registration.objects.get().error_rule == "uscc.check_character"


def test_crash_mid_load_leaves_nothing(departments, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("simulated crash after the inserts, before commit")

    monkeypatch.setattr(bulk, "audit_event_append", boom)
    with pytest.raises(RuntimeError):
        bulk.subjects_bulk_load(actor=SYSTEM, organizations=_orgs(departments["market"].pk))
    assert Subject.objects.count() == 0
    assert RelatedPerson.objects.count() == 0


def test_index_keys_of_bulk_loads_match_ordinary_inserts(departments):
    """PostgreSQL: the bulk loader computes search keys in Python, the trigger in SQL; the
    two must give the same sets. SQLite: one Python function feeds the FTS table."""
    orgs = _orgs(departments["market"].pk, 200)
    bulk.subjects_bulk_load(actor=SYSTEM, organizations=orgs)
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            for o in orgs[:20]:
                term = " AND ".join(f'"{b}"' for b in bigrams(o.name))
                cur.execute(
                    "SELECT s.uscc FROM subjects_name_fts f JOIN subjects_subject s "
                    "ON s.id = f.rowid WHERE subjects_name_fts MATCH %s",
                    [term],
                )
                assert o.uscc in {r[0] for r in cur.fetchall()}
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT (xy_bigram_keys(name) @> name_bigrams "
            "AND name_bigrams @> xy_bigram_keys(name))) FROM subjects_subject"
        )
        total, differing = cur.fetchone()
        cur.execute("SELECT xy_bigram_keys(%s)", ["信安市（华泰）科技·有限公司 A—B"])
        sql_keys = set(cur.fetchone()[0])
    assert (total, differing) == (200, 0)
    assert sql_keys == set(bigram_keys("信安市（华泰）科技·有限公司 A—B"))


def test_pipelined_load_commits_chunk_by_chunk(departments, monkeypatch):
    dept = departments["market"].pk
    orgs = _orgs(dept, 90)
    chunks = [{"organizations": orgs[i : i + 30]} for i in range(0, 90, 30)]
    seen = []
    total = bulk.subjects_bulk_load_many(actor=SYSTEM, chunks=iter(chunks), progress=seen.append)
    assert total.subjects_inserted == 90 and [r.subjects_inserted for r in seen] == [30, 30, 30]
    # A chunk that fails leaves the chunks before it committed and itself absent.
    real_append, calls = bulk.audit_event_append, []

    def fail_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("simulated crash in the second chunk")
        return real_append(**kwargs)

    monkeypatch.setattr(bulk, "audit_event_append", fail_second)
    more = _orgs(dept, 150)[90:]
    with pytest.raises(RuntimeError):
        bulk.subjects_bulk_load_many(
            actor=SYSTEM, chunks=[{"organizations": more[:30]}, {"organizations": more[30:]}]
        )
    assert Subject.objects.count() == 120
    assert AuditEvent.objects.filter(action="subject.bulk_load").count() == 4
