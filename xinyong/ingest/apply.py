"""Applying a batch: set-based SQL from the staged rows to the credit files, in the caller's
transaction (one per batch). Subjects are matched by USCC, persons by identifier hash, and
rows without a USCC by exact name (current or former) together with the organisation code;
more than one candidate is ambiguous and rejected, never guessed. Unknown organisations with
a valid USCC and unknown persons with a valid identifier become new subjects.

The same statements run on PostgreSQL and SQLite (3.33+: ``UPDATE … FROM``)."""

import json

from django.db import connection

from xinyong.catalog.definitions import ItemDefinition

# Errors of rows rejected here, by the rule the SQL records.
APPLY_ERRORS = {
    "subject.not_found": {
        "field": "XDR_MC",
        "rule": "subject.not_found",
        "message": "按名称与组织机构代码/税务登记号未找到该主体：请填写统一社会信用代码",
    },
    "subject.ambiguous": {
        "field": "XDR_MC",
        "rule": "subject.ambiguous",
        "message": "按名称与代码匹配到多个主体，无法确定：请填写统一社会信用代码",
    },
    "record.not_found": {
        "field": "source_id",
        "rule": "record.not_found",
        "message": "要撤销的记录不存在：本部门未报送过该来源记录编号",
    },
}


def _j() -> str:
    return "::jsonb" if connection.vendor == "postgresql" else ""


def _match_by_keys(cur, batch_id: int) -> None:
    cur.execute(
        "UPDATE ingest_stagedrow AS g SET subject_id = s.id FROM subjects_subject s "
        "WHERE g.batch_id = %s AND g.subject_id IS NULL AND g.uscc IS NOT NULL "
        "AND s.uscc = g.uscc",
        [batch_id],
    )
    cur.execute(
        "UPDATE ingest_stagedrow AS g SET subject_id = s.id FROM subjects_subject s "
        "WHERE g.batch_id = %s AND g.subject_id IS NULL AND g.id_hash IS NOT NULL "
        "AND s.id_type = g.id_type AND s.id_hash = g.id_hash",
        [batch_id],
    )


def _match_by_name(cur, batch_id: int) -> None:
    """Rows without a USCC: the subject whose current or former name is exactly the row's
    and whose USCC embeds the row's organisation code; exactly one, or the row is rejected."""
    cur.execute(
        "WITH cand AS ("
        " SELECT g.row_no, s.id AS sid FROM ingest_stagedrow g"
        " JOIN subjects_subject s ON s.name = g.name"
        " WHERE g.batch_id = %s AND g.op = 'upsert' AND g.uscc IS NULL AND g.org_code IS NOT NULL"
        " AND s.uscc IS NOT NULL AND substr(s.uscc, 9, 9) = g.org_code"
        " UNION"
        " SELECT g.row_no, s.id FROM ingest_stagedrow g"
        " JOIN subjects_namehistory h ON h.name = g.name"
        " JOIN subjects_subject s ON s.id = h.subject_id"
        " WHERE g.batch_id = %s AND g.op = 'upsert' AND g.uscc IS NULL AND g.org_code IS NOT NULL"
        " AND s.uscc IS NOT NULL AND substr(s.uscc, 9, 9) = g.org_code"
        "), counted AS (SELECT row_no, min(sid) AS sid, count(DISTINCT sid) AS n"
        " FROM cand GROUP BY row_no) "
        "UPDATE ingest_stagedrow AS g SET "
        "subject_id = CASE WHEN c.n = 1 THEN c.sid END, "
        "error_rule = CASE WHEN c.n > 1 THEN 'subject.ambiguous' END "
        "FROM counted c WHERE g.batch_id = %s AND g.row_no = c.row_no",
        [batch_id, batch_id, batch_id],
    )


def _create_subjects(cur, batch_id: int, provider_id: int, now) -> int:
    """New subjects for valid keys not yet in the registry (first row of each key wins the
    name). Returns how many were created."""
    created = 0
    for key, columns in (
        ("uscc", "g.uscc, NULL, NULL, NULL, ''"),
        ("id_hash", "NULL, g.id_type, g.id_hash, g.id_encrypted, g.id_masked"),
    ):
        cur.execute(
            "INSERT INTO subjects_subject (kind, name, uscc, id_type, id_hash, id_encrypted, "
            "id_masked, status, legal_form, established_on, address, source_department_id, "
            f"created_at, updated_at) SELECT g.kind, g.name, {columns}, 'active', '', NULL, '', "
            "%s, %s, %s FROM ingest_stagedrow g WHERE g.row_no IN ("
            f" SELECT min(row_no) FROM ingest_stagedrow WHERE batch_id = %s AND {key} IS NOT NULL"
            f" AND subject_id IS NULL AND op = 'upsert' GROUP BY {key})"
            " AND g.batch_id = %s ON CONFLICT DO NOTHING",
            [provider_id, now, now, batch_id, batch_id],
        )
        created += cur.rowcount
    return created


def apply_batch(
    cur, *, batch_id: int, provider_id: int, item: ItemDefinition, item_version_id: int,
    channel: str, now,
) -> int:  # fmt: skip
    """Apply the staged rows of a batch; returns the number of subjects created. Row
    outcomes go to ``ingest_batchrow``; the staged rows are removed."""
    if connection.vendor == "postgresql":
        # One apply at a time: two batches of one provider touching the same record would
        # otherwise race between reading and writing it.
        cur.execute("SELECT pg_advisory_xact_lock(727001)")
    _match_by_keys(cur, batch_id)
    _match_by_name(cur, batch_id)
    created_subjects = _create_subjects(cur, batch_id, provider_id, now)
    if created_subjects:
        _match_by_keys(cur, batch_id)
    cur.execute(
        "UPDATE ingest_stagedrow SET outcome = 'rejected', "
        "error_rule = coalesce(error_rule, 'subject.not_found') "
        "WHERE batch_id = %s AND op = 'upsert' AND subject_id IS NULL",
        [batch_id],
    )
    key = [provider_id, item.code]
    cur.execute(
        "UPDATE ingest_stagedrow AS g SET record_id = r.id, outcome = CASE "
        " WHEN g.op = 'withdraw' THEN CASE WHEN r.status = 'withdrawn' THEN 'unchanged'"
        "  ELSE 'withdrawn' END"
        " WHEN r.content_hash = g.content_hash AND r.status = 'active' THEN 'unchanged'"
        " ELSE 'updated' END "
        "FROM records_record r WHERE g.batch_id = %s AND g.outcome IS NULL "
        "AND r.provider_id = %s AND r.item_code = %s AND r.source_id = g.source_id",
        [batch_id, *key],
    )
    cur.execute(
        "UPDATE ingest_stagedrow SET "
        "outcome = CASE WHEN op = 'withdraw' THEN 'rejected' ELSE 'created' END, "
        "error_rule = CASE WHEN op = 'withdraw' THEN 'record.not_found' END "
        "WHERE batch_id = %s AND outcome IS NULL",
        [batch_id],
    )
    # History first: the versions being replaced, as they stand.
    cur.execute(
        "INSERT INTO records_recordversion (record_id, version, status, item_version_id, "
        "subject_id, data, sealed, decision_date, valid_to, batch_id, batch_row, channel, "
        "received_at, content_hash, superseded_at, superseded_by_batch_id) "
        "SELECT r.id, r.version, r.status, r.item_version_id, r.subject_id, r.data, r.sealed, "
        "r.decision_date, r.valid_to, r.batch_id, r.batch_row, r.channel, r.received_at, "
        "r.content_hash, %s, %s FROM records_record r "
        "JOIN ingest_stagedrow g ON g.record_id = r.id "
        "WHERE g.batch_id = %s AND g.outcome IN ('updated', 'withdrawn')",
        [now, batch_id, batch_id],
    )
    provenance = [batch_id, channel, now, now]
    cur.execute(
        "UPDATE records_record AS r SET version = r.version + 1, status = 'active', "
        f"subject_id = g.subject_id, item_version_id = %s, data = g.data{_j()}, "
        "sealed = g.sealed, content_hash = g.content_hash, decision_date = g.decision_date, "
        "valid_to = g.valid_to, batch_id = %s, batch_row = g.row_no, channel = %s, "
        "received_at = %s, updated_at = %s "
        "FROM ingest_stagedrow g WHERE g.batch_id = %s AND g.outcome = 'updated' "
        "AND r.id = g.record_id",
        [item_version_id, *provenance, batch_id],
    )
    cur.execute(
        "UPDATE records_record AS r SET version = r.version + 1, status = 'withdrawn', "
        "batch_id = %s, batch_row = g.row_no, channel = %s, received_at = %s, updated_at = %s "
        "FROM ingest_stagedrow g WHERE g.batch_id = %s AND g.outcome = 'withdrawn' "
        "AND r.id = g.record_id",
        [*provenance, batch_id],
    )
    cur.execute(
        "INSERT INTO records_record (subject_id, provider_id, item_code, item_version_id, "
        "category, polarity, disclosure, source_id, version, status, data, sealed, "
        "decision_date, valid_to, created_at, updated_at, batch_id, batch_row, channel, "
        "received_at, content_hash) "
        "SELECT g.subject_id, %s, %s, %s, %s, %s, %s, g.source_id, 1, 'active', "
        f"g.data{_j()}, g.sealed, g.decision_date, g.valid_to, %s, %s, %s, g.row_no, %s, %s, "
        "g.content_hash FROM ingest_stagedrow g WHERE g.batch_id = %s AND g.outcome = 'created'",
        [
            *key, item_version_id, item.category, item.polarity, item.disclosure,
            now, now, batch_id, channel, now, batch_id,
        ],
    )  # fmt: skip
    cur.execute(
        "UPDATE ingest_stagedrow AS g SET record_id = r.id FROM records_record r "
        "WHERE g.batch_id = %s AND g.outcome = 'created' AND r.provider_id = %s "
        "AND r.item_code = %s AND r.source_id = g.source_id",
        [batch_id, *key],
    )
    errors = {rule: json.dumps([e], ensure_ascii=False) for rule, e in APPLY_ERRORS.items()}
    cur.execute(
        "INSERT INTO ingest_batchrow (batch_id, row_no, source_id, outcome, record_id, errors) "
        "SELECT batch_id, row_no, source_id, outcome, record_id, CASE error_rule "
        + " ".join(f"WHEN '{rule}' THEN %s{_j()}" for rule in errors)
        + " END FROM ingest_stagedrow WHERE batch_id = %s",
        [*errors.values(), batch_id],
    )
    cur.execute("DELETE FROM ingest_stagedrow WHERE batch_id = %s", [batch_id])
    return created_subjects
