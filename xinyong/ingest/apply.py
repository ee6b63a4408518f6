"""Applying a batch: set-based SQL from the staged rows to the credit files, in the caller's
transaction (one per batch). The rows of a chunk are staged in a per-session temporary table
(``xy_stage``), applied, and the table emptied for the next chunk; a chunk sees the subjects
and records the earlier chunks of the batch wrote.

Subjects are matched by USCC, persons by identifier hash, and rows without a USCC by exact
name (current or former) together with the organisation code; more than one candidate is
ambiguous and rejected, never guessed. Unknown organisations with a valid USCC and unknown
persons with a valid identifier become new subjects.

The same statements run on PostgreSQL and SQLite (3.33+: ``UPDATE … FROM``)."""

import json

from django.db import connection

from xinyong.catalog.definitions import ItemDefinition
from xinyong.catalog.rowschema import REASON
from xinyong.records.withdrawal import TABLE as WITHDRAW
from xinyong.records.withdrawal import withdraw_stage, withdraw_staged

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


_RES = "xy_resolution"
STAGE = "xy_stage"
STAGE_DDL = (
    "row_no integer PRIMARY KEY, source_id varchar(128), op varchar(8), kind varchar(24), "
    "uscc varchar(18), name varchar(200), org_code varchar(9), id_type varchar(16), "
    "id_hash varchar(64), id_encrypted text, id_masked varchar(32), data text, sealed text, "
    "content_hash varchar(64), decision_date date, valid_to date"
)


def _temp(name: str) -> str:
    return f"{'pg_temp' if connection.vendor == 'postgresql' else 'temp'}.{name}"


def stage_open(cur, *, provider_id: int, item_code: str) -> None:
    """Start applying a batch: the staging table, and (PostgreSQL) the lock that keeps two
    batches of one provider and item from racing on the same records; batches of other
    providers or items run side by side."""
    if connection.vendor == "postgresql":
        cur.execute(
            "SELECT pg_advisory_xact_lock(727001, hashtext(%s))", [f"{provider_id}:{item_code}"]
        )
        # A chunk is small beside the registry: probing the key indexes beats scanning the
        # registry, which the default cost settings (for spinning disks) would choose; and
        # compiling these short statements (JIT) costs more than it saves.
        cur.execute("SET LOCAL random_page_cost = 1.1")
        cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL work_mem = '64MB'")  # a chunk's joins in memory, not on disk
    stage_close(cur)
    cur.execute(f"CREATE TEMP TABLE {STAGE} ({STAGE_DDL})")
    cur.execute(
        f"CREATE TEMP TABLE {_RES} (row_no integer PRIMARY KEY, op varchar(8), "
        "source_id varchar(128), subject_id bigint, record_id bigint, outcome varchar(16), "
        "error_rule varchar(64))"
    )


def stage_close(cur) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {_temp(STAGE)}")
    cur.execute(f"DROP TABLE IF EXISTS {_temp(_RES)}")


_RECORD_BY_SOURCE = {
    # PostgreSQL: one index probe per row (LIMIT 1 keeps the planner from reading all of
    # the provider's records into a hash join, a cost that grows with every batch).
    "pg": "LEFT JOIN LATERAL (SELECT r.id, r.status, r.content_hash FROM records_record r "
    "WHERE r.provider_id = %s AND r.item_code = %s AND r.source_id = g.source_id LIMIT 1) r "
    "ON true",
    # Records partitioned by subject (core/partitions): the source key's own table holds
    # the record's id, status and content hash — one probe of one table (the key alone
    # would probe every partition's index, and re-plan the partitions at every row).
    "partitioned": "LEFT JOIN records_record__unique r ON r.provider_id = %s "
    "AND r.item_code = %s AND r.source_id = g.source_id",
    "sqlite": "LEFT JOIN records_record r ON r.provider_id = %s AND r.item_code = %s "
    "AND r.source_id = g.source_id",
}


def _create_resolution(cur, key: list) -> None:
    """One narrow row per staged row: subject and existing record found by their keys, and
    what the row does to that record. Later steps update this table, never the wide staged
    rows (rewriting their content at each step was most of the cost)."""
    pg = connection.vendor == "postgresql"
    new_id, by_source = "NULL", "sqlite"
    if pg:
        cur.execute("SELECT to_regclass('records_record__unique') IS NOT NULL")
        by_source = "partitioned" if cur.fetchone()[0] else "pg"
        # A new record's id is taken here, in the same pass (rows rejected later leave a
        # gap in the sequence, nothing else); SQLite numbers them in _assign_record_ids.
        cur.execute("SELECT pg_get_serial_sequence('records_record', 'id')")
        new_id = f"nextval('{cur.fetchone()[0]}'::regclass)"
    cur.execute(
        f"INSERT INTO {_RES} SELECT g.row_no, g.op, g.source_id, "
        "CASE WHEN g.op = 'upsert' THEN coalesce(s.id, p.id) END, "
        f"coalesce(r.id, CASE WHEN g.op = 'upsert' THEN {new_id} END), CASE "
        " WHEN r.id IS NULL THEN CASE WHEN g.op = 'withdraw' THEN 'rejected' ELSE 'created' END"
        " WHEN g.op = 'withdraw' THEN CASE WHEN r.status = 'withdrawn' THEN 'unchanged'"
        "  ELSE 'withdrawn' END"
        " WHEN r.content_hash = g.content_hash AND r.status = 'active' THEN 'unchanged'"
        " ELSE 'updated' END, "
        "CASE WHEN r.id IS NULL AND g.op = 'withdraw' THEN 'record.not_found' END "
        f"FROM {STAGE} g "
        "LEFT JOIN subjects_subject s ON s.uscc = g.uscc "
        "LEFT JOIN subjects_subject p ON p.id_type = g.id_type AND p.id_hash = g.id_hash "
        + _RECORD_BY_SOURCE[by_source]
        # New ids in the file's order (PostgreSQL evaluates nextval() after the sort): a
        # hash join's order gave row 4 a smaller id than row 1, and feeds ordered by id
        # then listed them out of the file's order.
        + " ORDER BY g.row_no",
        key,
    )


def _match_new_keys(cur) -> None:
    """After new subjects were created: resolve the rows still without one."""
    for condition in ("s.uscc = g.uscc", "s.id_type = g.id_type AND s.id_hash = g.id_hash"):
        cur.execute(
            f"UPDATE {_RES} SET subject_id = s.id FROM {STAGE} g, subjects_subject s "
            f"WHERE {_RES}.subject_id IS NULL AND {_RES}.op = 'upsert' "
            f"AND g.row_no = {_RES}.row_no AND {condition}"
        )


def _match_by_name(cur) -> None:
    """Rows without a USCC: the subject whose current or former name is exactly the row's
    and whose USCC embeds the row's organisation code; exactly one, or the row is rejected."""
    rows = (
        f"FROM {STAGE} g JOIN {_RES} x ON x.row_no = g.row_no {{join}} "
        "WHERE x.op = 'upsert' AND x.subject_id IS NULL "
        "AND g.uscc IS NULL AND g.org_code IS NOT NULL "
        "AND s.uscc IS NOT NULL AND substr(s.uscc, 9, 9) = g.org_code"
    )
    current = rows.format(join="JOIN subjects_subject s ON s.name = g.name")
    former = rows.format(
        join="JOIN subjects_namehistory h ON h.name = g.name "
        "JOIN subjects_subject s ON s.id = h.subject_id"
    )
    cur.execute(
        f"WITH cand AS (SELECT g.row_no, s.id AS sid {current} "
        f"UNION SELECT g.row_no, s.id {former}), "
        "counted AS (SELECT row_no, min(sid) AS sid, count(DISTINCT sid) AS n "
        "FROM cand GROUP BY row_no) "
        f"UPDATE {_RES} SET subject_id = CASE WHEN c.n = 1 THEN c.sid END, "
        "error_rule = CASE WHEN c.n > 1 THEN 'subject.ambiguous' END "
        f"FROM counted c WHERE {_RES}.row_no = c.row_no"
    )


def _create_subjects(cur, provider_id: int, now) -> int:
    """New subjects for valid keys not yet in the registry (first row of each key wins the
    name). Returns how many were created. Inserted in key order: two batches creating the
    same new subjects at once then wait on each other in one order, not in a cycle."""
    created = 0
    # An organisation known only from this record has no registration behind it yet.
    # Nor a registrar: the department whose penalty named it first does not keep its
    # registry (it would then rename it, review bindings to it); the registration record,
    # or the department registering it, becomes its registrar (credit office until then).
    for key, columns, status, registrar in (
        ("uscc", "g.uscc, NULL, NULL, NULL, ''", "unconfirmed", None),
        ("id_hash", "NULL, g.id_type, g.id_hash, g.id_encrypted, g.id_masked", "active",
         provider_id),
    ):  # fmt: skip
        cur.execute(
            "INSERT INTO subjects_subject (kind, name, uscc, id_type, id_hash, id_encrypted, "
            "id_masked, status, legal_form, established_on, address, source_department_id, "
            f"created_at, updated_at) SELECT g.kind, g.name, {columns}, '{status}', '', NULL, '', "
            f"%s, %s, %s FROM {STAGE} g WHERE g.row_no IN ("
            f" SELECT min(g2.row_no) FROM {STAGE} g2 JOIN {_RES} x"
            " ON x.row_no = g2.row_no AND x.subject_id IS NULL AND x.op = 'upsert'"
            f" AND x.error_rule IS NULL WHERE g2.{key} IS NOT NULL"
            f" GROUP BY g2.{key}) ORDER BY g.{key} ON CONFLICT DO NOTHING",
            [registrar, now, now],
        )
        created += cur.rowcount
    return created


def _assign_record_ids(cur) -> None:
    """Ids for the new records, taken before inserting them, so that outcomes point at their
    records without joining back. PostgreSQL took them from the table's sequence already;
    SQLite: after the highest id ever used, under the write lock the transaction holds."""
    if connection.vendor == "postgresql":
        return
    cur.execute(
        "SELECT max(coalesce((SELECT max(id) FROM records_record), 0), "
        "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'records_record'), 0))"
    )
    base = cur.fetchone()[0]
    cur.execute(
        f"WITH n AS (SELECT row_no, row_number() OVER (ORDER BY row_no) AS k FROM {_RES} "
        f"WHERE outcome = 'created') UPDATE {_RES} SET record_id = %s + n.k FROM n "
        f"WHERE {_RES}.row_no = n.row_no",
        [base],
    )


REGISTRATION_ITEM = "registration_basic"
# 登记状态 of the registration record → the subject's status.
_REGISTRATION_STATUS = {
    "存续": "active", "在业": "active", "迁出": "active", "注销": "deregistered", "吊销": "revoked",
}  # fmt: skip


def _registration_status(cur, provider_id: int) -> None:
    """A registration record (登记注册基本信息) stands behind its subject: the subject's
    status becomes the registered one (an unconfirmed subject is confirmed)."""
    state = (
        "g.data::jsonb ->> 'DJ_ZT'"
        if connection.vendor == "postgresql"
        else "json_extract(g.data, '$.DJ_ZT')"
    )
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in _REGISTRATION_STATUS.items())
    # An unconfirmed subject (or one without a registrar) takes the registering department
    # as its registrar; a registrar already on file stays.
    cur.execute(
        "UPDATE subjects_subject SET source_department_id = %s FROM "
        f"{_RES} x WHERE x.outcome IN ('created', 'updated') AND subjects_subject.id = "
        "x.subject_id AND (subjects_subject.status = 'unconfirmed' "
        "OR subjects_subject.source_department_id IS NULL)",
        [provider_id],
    )
    cur.execute(
        f"UPDATE subjects_subject SET status = CASE {state} {cases} ELSE subjects_subject.status "
        f"END FROM {_RES} x, {STAGE} g WHERE x.outcome IN ('created', 'updated') "
        "AND g.row_no = x.row_no AND subjects_subject.id = x.subject_id"
    )


def apply_chunk(
    cur, *, batch_id: int, provider_id: int, item: ItemDefinition, item_version_id: int,
    channel: str, now, detail_rows: int = 1_000_000_000,
) -> tuple[int, dict[str, int], dict[str, int]]:  # fmt: skip
    """Apply the rows staged in ``xy_stage`` (opened by :func:`stage_open`); returns the
    number of subjects created, the count of rows rejected here by rule, and how many of
    those were stored without error details (beyond the first ``detail_rows``). Row
    outcomes go to ``ingest_batchrow``; the stage is emptied for the next chunk."""
    key = [provider_id, item.code]
    _create_resolution(cur, key)
    _match_by_name(cur)
    created_subjects = _create_subjects(cur, provider_id, now)
    if created_subjects:
        _match_new_keys(cur)
    cur.execute(
        f"UPDATE {_RES} SET outcome = 'rejected', "
        "error_rule = coalesce(error_rule, 'subject.not_found'), "
        "record_id = CASE WHEN outcome = 'created' THEN NULL ELSE record_id END "
        "WHERE op = 'upsert' AND subject_id IS NULL"
    )
    # History first: the versions being replaced, as they stand.
    cur.execute(
        "INSERT INTO records_recordversion (record_id, version, status, item_version_id, "
        "subject_id, data, sealed, decision_date, valid_to, batch_id, batch_row, channel, "
        "received_at, content_hash, withdraw_reason, superseded_at, superseded_by_batch_id) "
        "SELECT r.id, r.version, r.status, r.item_version_id, r.subject_id, r.data, r.sealed, "
        "r.decision_date, r.valid_to, r.batch_id, r.batch_row, r.channel, r.received_at, "
        "r.content_hash, r.withdraw_reason, %s, %s "
        f"FROM records_record r JOIN {_RES} x ON x.record_id = r.id "
        "WHERE x.outcome = 'updated'",
        [now, batch_id],
    )
    provenance = [batch_id, channel, now, now]
    cur.execute(
        "UPDATE records_record AS r SET version = r.version + 1, status = 'active', "
        f"subject_id = x.subject_id, item_version_id = %s, data = g.data{_j()}, "
        "sealed = g.sealed, content_hash = g.content_hash, decision_date = g.decision_date, "
        "valid_to = g.valid_to, batch_id = %s, batch_row = g.row_no, channel = %s, "
        "received_at = %s, updated_at = %s, withdraw_reason = '' "
        f"FROM {_RES} x, {STAGE} g WHERE x.outcome = 'updated' AND r.id = x.record_id "
        "AND g.row_no = x.row_no",
        [item_version_id, *provenance],
    )
    # Withdrawal rows: the same step as a withdrawal decided on an objection. A withdrawal
    # row's content is its reason ({"reason": …}, or {}).
    reason = (
        f"coalesce(g.data::jsonb ->> '{REASON}', '')"
        if connection.vendor == "postgresql"
        else f"coalesce(json_extract(g.data, '$.{REASON}'), '')"
    )
    cur.execute(f"SELECT 1 FROM {_RES} WHERE outcome = 'withdrawn' LIMIT 1")
    if cur.fetchone():  # most chunks have none: no temp table to create
        withdraw_stage(cur)
        cur.execute(
            f"INSERT INTO {WITHDRAW} (record_id, reason, batch_row) SELECT x.record_id, "
            f"{reason}, x.row_no FROM {_RES} x JOIN {STAGE} g ON g.row_no = x.row_no "
            "WHERE x.outcome = 'withdrawn'"
        )
        withdraw_staged(cur, now=now, channel=channel, batch_id=batch_id, by=f"batch:{batch_id}")
    _assign_record_ids(cur)
    cur.execute(
        "INSERT INTO records_record (id, subject_id, provider_id, item_code, item_version_id, "
        "category, polarity, disclosure, source_id, version, status, data, sealed, "
        "decision_date, valid_to, created_at, updated_at, batch_id, batch_row, channel, "
        "received_at, content_hash, withdraw_reason) "
        "SELECT x.record_id, x.subject_id, %s, %s, %s, %s, %s, %s, g.source_id, 1, 'active', "
        f"g.data{_j()}, g.sealed, g.decision_date, g.valid_to, %s, %s, %s, g.row_no, %s, %s, "
        f"g.content_hash, '' FROM {STAGE} g JOIN {_RES} x ON x.row_no = g.row_no "
        "WHERE x.outcome = 'created'",
        [
            *key, item_version_id, item.category, item.polarity, item.disclosure,
            now, now, batch_id, channel, now,
        ],
    )  # fmt: skip
    if item.code == REGISTRATION_ITEM:
        _registration_status(cur, provider_id)
    errors = {rule: json.dumps([e], ensure_ascii=False) for rule, e in APPLY_ERRORS.items()}
    # Rejected rows numbered in row order: the first ``detail_rows`` keep their details.
    numbered = (
        f"(SELECT x.*, CASE WHEN error_rule IS NOT NULL THEN row_number() OVER "
        f"(PARTITION BY error_rule IS NULL ORDER BY row_no) END AS k FROM {_RES} x) n"
    )
    cur.execute(
        "INSERT INTO ingest_batchrow (batch_id, row_no, source_id, outcome, record_id, errors) "
        "SELECT %s, row_no, source_id, outcome, record_id, CASE WHEN k <= %s THEN "
        "CASE error_rule "
        + " ".join(f"WHEN '{rule}' THEN %s{_j()}" for rule in errors)
        + f" END END FROM {numbered}",
        [batch_id, detail_rows, *errors.values()],
    )
    cur.execute(
        "SELECT error_rule, count(*), sum(CASE WHEN k > %s THEN 1 ELSE 0 END) "
        f"FROM {numbered} WHERE error_rule IS NOT NULL GROUP BY error_rule",
        [detail_rows],
    )
    found = cur.fetchall()
    rejected = {rule: n for rule, n, _ in found}
    omitted = {rule: int(o) for rule, _, o in found if o}
    # Emptied for the next chunk. PostgreSQL: TRUNCATE, since nothing vacuums temp tables.
    empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
    cur.execute(f"{empty} {STAGE}")
    cur.execute(f"{empty} {_RES}")
    return created_subjects, rejected, omitted
