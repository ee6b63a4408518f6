import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope

AGENCY = "11339900MB0123457Q"  # the penalising department's own USCC
NEW_ORG = "91339900MA1X2Y3B1X"


def penalty(n: int = 1, **over) -> dict:
    """A valid administrative-penalty row against 华为技术有限公司 (see xinyong/conftest.py)."""
    row = {
        "XDR_MC": "华为技术有限公司",
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": "914403001922038216",
        "FRDB": "张三",
        "CF_WSH": f"信市监罚〔2026〕{n}号",
        "CF_WFXW": "虚假宣传",
        "CF_SY": "在商品包装上作虚假宣传",
        "CF_YJ": "《中华人民共和国反不正当竞争法》第二十条",
        "CF_CFLB": "罚款",
        "CF_NR": "罚款人民币五万元",
        "CF_NR_FK": "5",
        "CF_JDRQ": "2026-11-02",
        "CF_YXQ": "2027-11-02",
        "CF_CFJG": "信安市市场监督管理局",
        "CF_CFJGDM": AGENCY,
        "CF_SJLY": "信安市市场监督管理局",
        "CF_SJLYDM": AGENCY,
    }
    row.update(over)
    return {k: v for k, v in row.items() if v is not None}


@pytest.fixture
def tax_token(departments):
    _client, token = accounts.api_client_issue(
        actor=SYSTEM,
        name="税务征管系统",
        department=departments["tax"],
        scopes=[ApiScope.RECORDS_WRITE],
    )
    return token


def push(client, token, item, rows, **extra):
    return client.post(
        "/api/v1/records/batches",
        {"item": item, "rows": rows, **extra},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def fetch(client, token, batch_id, **params):
    return client.get(
        f"/api/v1/records/batches/{batch_id}",
        params,
        headers={"Authorization": f"Bearer {token}"},
    )


def submit_file(actor, content: bytes, file_format: str = "csv"):
    """Upload ``content`` as a penalty file and process it here; the batch as it ended."""
    from xinyong.ingest import services

    batch = services.batch_submit(
        actor=actor,
        item_code="administrative_penalty",
        channel="upload",
        file_format=file_format,
        payload=content,
        file_name=f"x.{file_format}",
    )
    return services.batch_process(batch_id=batch.pk)


def csv_bytes(rows: list[dict]) -> bytes:
    """A UTF-8 CSV with the first row's keys as header."""
    codes = list(rows[0])
    lines = [",".join(codes)] + [",".join(str(r.get(c, "")) for c in codes) for r in rows]
    return ("\n".join(lines) + "\n").encode()
