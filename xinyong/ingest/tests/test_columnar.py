"""The columnar fast path and the row check agree: for every row, the fast path either
takes it exactly as the row check would store it, or hands it to the row check. Checked on
canonical rows and on rows mutated in every way a feed writes a value differently."""

import pytest

from xinyong.catalog import selectors as catalog
from xinyong.catalog.rowschema import compiled
from xinyong.ingest.parsers import record_dict
from xinyong.ingest.pipeline import STAGE_COLUMNS, RowPreparer
from xinyong.ingest.tests.conftest import AGENCY, penalty

pytestmark = pytest.mark.django_db
# Columns of a staged row whose values are random by design (AES-GCM nonces).
RANDOM = {STAGE_COLUMNS.index("id_encrypted"), STAGE_COLUMNS.index("sealed")}
RID = "11010519491231002X"

MUTATIONS = [
    ("XDR_MC", " 华为技术有限公司"), ("XDR_MC", "华为技术有限公司\u3000"), ("XDR_MC", "\x1c华为"),
    ("XDR_MC", "华" * 201), ("XDR_MC", ""),
    ("XDR_SHXYM", "914403001922038216".lower()), ("XDR_SHXYM", "9144 03001922038216"),
    ("XDR_SHXYM", "914403001922038217"), ("XDR_SHXYM", "９１４４０３００１９２２０３８２１６"),
    ("XDR_SHXYM", ""), ("XDR_LB", "自然人"), ("XDR_LB", "个体工商户"), ("XDR_LB", "公司"),
    ("XDR_ZZJG", "19220382-1"), ("FRDB_ZJLX", "身份证"), ("FRDB_ZJHM", RID),
    ("CF_JDRQ", "2026/3/5"), ("CF_JDRQ", "20260305"), ("CF_JDRQ", "2026年3月5日"),
    ("CF_JDRQ", "2026-02-30"), ("CF_JDRQ", "2026-13-01"), ("CF_JDRQ", "2026-3-5"),
    ("CF_JDRQ", "2026-03-05 00:00:00"), ("CF_JDRQ", "0000-01-01"), ("CF_JDRQ", "0999-01-01"),
    ("CF_YXQ", ""), ("CF_JDRQ", "2099-01-01"), ("CF_YXQ", "2020-01-01"), ("CF_GSJZQ", "2026-11-01"),
    ("CF_GSJZQ", "2027-05-02"),
    ("CF_NR_FK", "50.0"), ("CF_NR_FK", "050"), ("CF_NR_FK", "1e3"), ("CF_NR_FK", "-5"),
    ("CF_NR_FK", "0.1234567"), ("CF_NR_FK", "12.50"), ("CF_NR_FK", "1234567890123"),
    ("CF_NR_FK", "0"), ("CF_NR_FK", "0.000001"), ("CF_NR_FK", "100000000000"),
    ("CF_CFLB", "罚款;没收违法所得"), ("CF_CFLB", "没收违法所得，罚款"), ("CF_CFLB", "拘留"),
    ("CF_CFLB", "警告"), ("CF_WSH", "=1+1"), ("CF_SY", "+x"), ("CF_SY", "-3"), ("CF_SY", "@a"),
    ("CF_YJ", ""), ("op", "撤销"), ("op", "withdraw"), ("op", "bogus"), ("op", "新增或更新"),
    ("source_id", "S-1"), ("source_id", "S-1"), ("source_id", "x" * 129),
    ("XDR_MC", "华为\x00技术"), ("CF_SY", "a\x07b"), ("CF_NR", "x\x85"), ("source_id", "S\x00-2"),
    ("CF_SY", "第一行\n第二行"), ("CF_SY", "制\t表"), ("reason", "r" * 501),
    ("CF_CFJGDM", "11339900MA34EDC47J"), ("CF_CFJGDM", "11339900mb0123457q"),
]  # fmt: skip


def _records(rows: list[dict], extra_cell_at: int | None = None):
    codes = sorted({k for r in rows for k in r})
    records = [(n, [r.get(c, "") for c in codes]) for n, r in enumerate(rows, 2)]
    if extra_cell_at is not None:
        records[extra_cell_at][1].append("多出的单元格")
    return codes, records


def _both(item_code: str, codes, records, mine=frozenset({AGENCY})):
    """``mine``: the authorities the submitting department reports for (None: unchecked)."""
    schema = compiled(catalog.item_current(item_code)[1])
    fast = RowPreparer(schema=schema, authorities=mine)
    slow = RowPreparer(schema=schema, authorities=mine)
    a = fast.prepare_records(codes, records)
    b = slow.prepare([(n, record_dict(codes, list(v))) for n, v in records])
    return fast, slow, a, b


def _comparable(prepared):
    staged = sorted(
        tuple(v for i, v in enumerate(row) if i not in RANDOM) for row in prepared.staged
    )
    return staged, sorted(prepared.rejected, key=lambda r: r[0])


def test_paths_agree_on_mutated_rows(org_with_rep):
    rows = [penalty(n) for n in range(1, 6)]
    for n, (field, value) in enumerate(MUTATIONS, 100):
        row = penalty(n)
        row[field] = value
        rows.append(row)
    codes, records = _records(rows, extra_cell_at=3)
    fast, slow, a, b = _both("administrative_penalty", codes, records)
    assert _comparable(a) == _comparable(b)
    assert fast.quality.as_dict() == slow.quality.as_dict()
    # The fast path did take the canonical rows (and not only hand everything over).
    accepted = fast.columnar.check(codes, [v for _, v in records]).accepted
    assert accepted[:5].tolist() == [True, True, True, False, True]  # the 4th has an extra cell
    assert 10 < accepted.sum() < len(rows) - 30


def test_paths_agree_on_demo_rows_of_every_organisation_item(org_with_rep):
    from xinyong.ingest import demo
    from xinyong.subjects import demo as subjects_demo

    orgs = list(subjects_demo.organizations(7, 0, 40))
    for item in demo.ORG_ITEMS:
        rows = list(demo.org_rows(item, 7, orgs))
        rows[0] = {**rows[0], next(iter(rows[0])): ""}  # one row missing its first value
        codes, records = _records(rows)
        fast, slow, a, b = _both(item, codes, records, mine=None)
        assert _comparable(a) == _comparable(b), item
        assert fast.quality.as_dict() == slow.quality.as_dict(), item
