"""Set-based loading of many subjects at once (demo city, benchmarks, bulk imports).

Subjects go straight into their table (PostgreSQL: ``COPY`` of the rows not already present,
with their search keys; SQLite: ``executemany`` of ``INSERT … ON CONFLICT DO NOTHING``).
Related persons and registration reports go to temporary staging tables, then one
``INSERT … SELECT`` joins them to subject ids. No Python loop over ORM objects; re-running the
same rows inserts nothing; each call is one transaction with one audit event, so a crash
leaves the whole chunk or none of it.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto
from xinyong.core.bulkcopy import copy_line
from xinyong.core.pipelining import ahead
from xinyong.subjects import search
from xinyong.subjects.choices import IdType


@dataclass(frozen=True)
class OrgLoad:
    kind: str
    uscc: str  # already validated
    name: str
    legal_form: str
    established_on: datetime.date | None
    address: str
    status: str
    department_id: int  # the registering department (source of the basic information)


@dataclass(frozen=True)
class PersonLoad:
    resident_id: str  # already validated; hashed and encrypted here, never stored in clear
    name: str


@dataclass(frozen=True)
class RelatedLoad:
    org_uscc: str
    resident_id: str
    role: str
    valid_from: datetime.date
    provider_id: int


@dataclass(frozen=True)
class RegistrationLoad:
    department_id: int
    code: str  # as reported, possibly invalid
    name: str
    error_rule: str  # "" when the code is valid


@dataclass(frozen=True)
class LoadResult:
    subjects_inserted: int
    related_inserted: int
    registrations_inserted: int


_SUBJECT_COLUMNS = (
    "kind, name, uscc, id_type, id_hash, id_encrypted, id_masked, status, legal_form, "
    "established_on, address, source_department_id, created_at, updated_at"
)
_STAGES = {
    "xy_stage_related": (
        "org_uscc varchar(18), person_hash varchar(64), role varchar(24), valid_from date, "
        "provider_id bigint"
    ),
    "xy_stage_registration": (
        "department_id bigint, code varchar(64), name varchar(200), error_rule varchar(64)"
    ),
}


def _stage(cur, table: str, rows: list[tuple]) -> None:
    _drop(cur, table)  # left over when the caller's transaction is still open (nested loads)
    if connection.vendor == "postgresql":
        cur.execute(f"CREATE TEMP TABLE {table} ({_STAGES[table]}) ON COMMIT DROP")
        with cur.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cur.execute(f"CREATE TEMP TABLE {table} ({_STAGES[table]})")
        marks = ",".join(["%s"] * (_STAGES[table].count(",") + 1))
        cur.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _drop(cur, table: str) -> None:
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    cur.execute(f"DROP TABLE IF EXISTS {schema}.{table}")


def _insert_subjects(cur, rows: list[tuple], copy_lines: list[str]) -> int:
    """Insert the subject rows that are new. PostgreSQL: drop the ones already present,
    then ``COPY`` straight into the table with the search keys computed here (the trigger
    leaves supplied keys alone); a concurrent load of the same codes makes the transaction
    fail on the unique constraint, never duplicates. SQLite: ``INSERT … ON CONFLICT``."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        marks = ",".join(["%s"] * 14)
        cur.execute("SELECT coalesce(max(id), 0) FROM subjects_subject")
        last_id = cur.fetchone()[0]
        cur.executemany(
            f"INSERT INTO subjects_subject ({_SUBJECT_COLUMNS}) VALUES ({marks}) "
            "ON CONFLICT DO NOTHING",
            rows,
        )
        cur.execute("SELECT count(*) FROM subjects_subject WHERE id > %s", [last_id])
        return cur.fetchone()[0]
    codes = [r[2] for r in rows if r[2] is not None]
    hashes = [r[4] for r in rows if r[4] is not None]
    cur.execute(
        "SELECT uscc FROM subjects_subject WHERE uscc = ANY(%s) UNION ALL "
        "SELECT id_hash FROM subjects_subject WHERE id_type = %s AND id_hash = ANY(%s)",
        [codes, IdType.RESIDENT_ID.value, hashes],
    )
    present = {r[0] for r in cur.fetchall()}
    fresh = [
        line for r, line in zip(rows, copy_lines, strict=True) if (r[2] or r[4]) not in present
    ]
    with cur.cursor.copy(
        f"COPY subjects_subject ({_SUBJECT_COLUMNS}, name_bigrams) FROM STDIN"
    ) as copy:
        copy.write("".join(fresh))
    return len(fresh)


@dataclass
class PreparedLoad:
    """Everything a load needs that can be computed without the database: rows, search
    keys, COPY text, keyed hashes and encryptions of identifiers. Built by
    :func:`subjects_bulk_prepare`, possibly in another thread while the previous chunk is
    being written (:func:`subjects_bulk_load_many`)."""

    now: datetime.datetime
    subject_rows: list[tuple]
    copy_lines: list[str]  # PostgreSQL only: one COPY line per subject row
    related_rows: list[tuple]
    registration_rows: list[tuple]
    detail: dict


def subjects_bulk_prepare(
    *,
    organizations: list[OrgLoad] = (),
    persons: list[PersonLoad] = (),
    related: list[RelatedLoad] = (),
    registrations: list[RegistrationLoad] = (),
    vendor: str | None = None,
) -> PreparedLoad:
    """Pure computation, no database access (safe in a worker thread)."""
    now = timezone.now()
    rid = IdType.RESIDENT_ID.value
    stamp = now.isoformat()  # formatted once: every row of the load carries it
    subject_rows = [
        (o.kind, o.name, o.uscc, None, None, None, "", o.status, o.legal_form,
         o.established_on, o.address, o.department_id, stamp, stamp)
        for o in organizations
    ]  # fmt: skip
    hashes: dict[str, str] = {}
    for p in persons:
        stored = crypto.protect_identifier(rid, p.resident_id)
        hashes[p.resident_id] = stored["id_hash"]
        subject_rows.append(
            ("person", p.name, None, rid, stored["id_hash"], stored["id_encrypted"],
             stored["id_masked"], "active", "", None, "", None, stamp, stamp)
        )  # fmt: skip
    copy_lines = []
    if (vendor or connection.vendor) == "postgresql":
        copy_lines = [copy_line((*r, search.bigram_keys(r[1]))) for r in subject_rows]
    related_rows = [
        (r.org_uscc, hashes.get(r.resident_id) or crypto.identifier_hash(rid, r.resident_id),
         r.role, r.valid_from, r.provider_id)
        for r in related
    ]  # fmt: skip
    digest = hashlib.sha256(
        "\n".join(sorted(o.uscc for o in organizations) + sorted(hashes.values())).encode()
    ).hexdigest()
    return PreparedLoad(
        now=now,
        subject_rows=subject_rows,
        copy_lines=copy_lines,
        related_rows=related_rows,
        registration_rows=[(r.department_id, r.code, r.name, r.error_rule) for r in registrations],
        detail={
            "organizations": len(organizations),
            "persons": len(persons),
            "content_digest": digest,
        },
    )


def subjects_bulk_load(
    *,
    actor: Actor,
    organizations: list[OrgLoad] = (),
    persons: list[PersonLoad] = (),
    related: list[RelatedLoad] = (),
    registrations: list[RegistrationLoad] = (),
    prepared: PreparedLoad | None = None,
) -> LoadResult:
    """Insert what is new of the given subjects (each organisation's ``department_id`` is its
    registrar), related persons and other departments' registration reports — or of an
    already ``prepared`` load."""
    if prepared is None:
        prepared = subjects_bulk_prepare(
            organizations=organizations,
            persons=persons,
            related=related,
            registrations=registrations,
        )
    now, rid = prepared.now, IdType.RESIDENT_ID.value
    with transaction.atomic(), connection.cursor() as cur:
        subjects_inserted = _insert_subjects(cur, prepared.subject_rows, prepared.copy_lines)
        _stage(cur, "xy_stage_related", prepared.related_rows)
        # A role held by the same person from the same day is the same fact: skip repeats.
        cur.execute(
            "INSERT INTO subjects_relatedperson (organization_id, person_id, role, valid_from, "
            "valid_to, provider_id, created_at) SELECT o.id, p.id, r.role, r.valid_from, NULL, "
            "r.provider_id, %s FROM xy_stage_related r "
            "JOIN subjects_subject o ON o.uscc = r.org_uscc "
            "JOIN subjects_subject p ON p.id_type = %s AND p.id_hash = r.person_hash "
            "WHERE NOT EXISTS (SELECT 1 FROM subjects_relatedperson x WHERE "
            "x.organization_id = o.id AND x.person_id = p.id AND x.role = r.role "
            "AND x.valid_from = r.valid_from)",
            [now, rid],
        )
        related_inserted = cur.rowcount
        _stage(cur, "xy_stage_registration", prepared.registration_rows)
        cur.execute(
            "INSERT INTO subjects_registration (department_id, code, name, subject_id, "
            "error_rule, received_at) SELECT g.department_id, g.code, g.name, s.id, "
            "g.error_rule, %s FROM xy_stage_registration g "
            "LEFT JOIN subjects_subject s ON s.uscc = g.code AND g.error_rule = '' "
            "WHERE true ON CONFLICT DO NOTHING",
            [now],
        )
        registrations_inserted = cur.rowcount
        for table in _STAGES:
            _drop(cur, table)
        audit_event_append(
            actor=actor,
            action=AuditAction.SUBJECT_BULK_LOAD,
            object_type="subject",
            object_id="",
            detail={
                **prepared.detail,
                "subjects_inserted": subjects_inserted,
                "related_inserted": related_inserted,
                "registrations_inserted": registrations_inserted,
            },
        )
    return LoadResult(subjects_inserted, related_inserted, registrations_inserted)


def subjects_bulk_load_many(
    *, actor: Actor, chunks: Iterable[dict], progress: Callable[[LoadResult], None] | None = None
) -> LoadResult:
    """Load chunk after chunk (each a dict of :func:`subjects_bulk_load` arguments), preparing
    the next chunk in a worker thread while the database writes the current one: the
    preparation holds the GIL, the write mostly waits on the server, so the two overlap.
    Each chunk is its own transaction, as with separate calls."""
    totals = [0, 0, 0]
    vendor = connection.vendor
    with ThreadPoolExecutor(max_workers=1) as pool:
        for prepared in ahead((_prepare_chunk(c, vendor) for c in chunks), pool):
            result = subjects_bulk_load(actor=actor, prepared=prepared)
            totals[0] += result.subjects_inserted
            totals[1] += result.related_inserted
            totals[2] += result.registrations_inserted
            if progress:
                progress(result)
    if vendor == "postgresql" and totals[0] > 10_000:
        # Fresh planner statistics at once: matching records to subjects right after a
        # large load would otherwise be planned for the registry as it was before.
        with connection.cursor() as cur:
            cur.execute("ANALYZE subjects_subject, subjects_namehistory")
    return LoadResult(*totals)


def _prepare_chunk(chunk: dict, vendor: str) -> PreparedLoad:
    return subjects_bulk_prepare(**chunk, vendor=vendor)
