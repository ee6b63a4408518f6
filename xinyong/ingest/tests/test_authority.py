"""Who may report a decision, and what a record alone says about a subject: a penalty or
licence names its submitting department (or an authority registered to it) as the
deciding authority; an organisation known only from such a record is 未经登记确认 until
its registration arrives."""

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.models import Department
from xinyong.core.errors import ValidationFailed
from xinyong.ingest.tests.conftest import AGENCY, NEW_ORG, fetch, penalty, push
from xinyong.records.models import Record
from xinyong.subjects import services as subjects
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
TAX = "11339900MA34EDC47J"  # the tax department's USCC (xinyong/conftest.py)


def _rejected(client, token, batch_id):
    rows = fetch(client, token, batch_id, outcome="rejected").json()["rows"]
    return {r["row"]: [(e["field"], e["rule"]) for e in r["errors"]] for r in rows}


def test_a_penalty_decided_by_another_authority_is_a_row_error(client, market_token, org_with_rep):
    r = push(client, market_token, "administrative_penalty",
             [penalty(1), penalty(2, CF_CFJGDM=TAX, CF_CFJG="市税务局")])  # fmt: skip
    body = r.json()
    assert (body["created"], body["rejected"]) == (1, 1)
    assert _rejected(client, market_token, body["id"]) == {
        2: [("CF_CFJGDM", "authority.not_provider")]
    }
    assert not Record.objects.filter(source_id="信市监罚〔2026〕2号").exists()


def test_an_authority_registered_to_the_department_may_be_named(
    client, market_token, departments, org_with_rep
):
    market = departments["market"]
    same = {"actor": SYSTEM, "code": market.code, "name": market.name, "kind": market.kind,
            "uscc": AGENCY}  # fmt: skip
    with pytest.raises(ValidationFailed) as bad:
        accounts.department_save(**same, authority_usccs=["123"])
    assert bad.value.errors[0].field == "authority_usccs[0]"
    accounts.department_save(**same, authority_usccs=[TAX])
    r = push(client, market_token, "administrative_penalty", [penalty(2, CF_CFJGDM=TAX)])
    assert r.json()["created"] == 1


def test_a_licence_names_its_licensing_authority_too(client, market_token, org_with_rep):
    from xinyong.records.tests.test_credit_file import licence

    r = push(client, market_token, "administrative_licence",
             [licence(1), licence(2, XK_XKJGDM=TAX)])  # fmt: skip
    body = r.json()
    assert (body["created"], body["rejected"]) == (1, 1)
    assert _rejected(client, market_token, body["id"]) == {
        2: [("XK_XKJGDM", "authority.not_provider")]
    }


def test_a_department_without_a_registered_uscc_cannot_report_decisions(
    client, market_token, departments, org_with_rep
):
    Department.objects.filter(pk=departments["market"].pk).update(uscc="")
    body = push(client, market_token, "administrative_penalty", [penalty(1)]).json()
    assert body["created"] == 0
    assert _rejected(client, market_token, body["id"]) == {
        1: [("CF_CFJGDM", "authority.provider_unregistered")]
    }


def test_an_organisation_known_from_a_penalty_is_unconfirmed_until_registered(
    client, market_token, users, actors, org_with_rep
):
    push(client, market_token, "administrative_penalty",
         [penalty(1, XDR_SHXYM=NEW_ORG, XDR_MC="信安恒瑞科技有限公司")])  # fmt: skip
    org = Subject.objects.get(uscc=NEW_ORG)
    assert org.status == "unconfirmed"
    portal = client.get(f"/subjects/{org.pk}/").content.decode()
    assert "未经登记确认" in portal and "存续" not in portal
    client.force_login(users["market_clerk"])
    back = client.get(f"/backoffice/subjects/{org.pk}/").content.decode()
    assert "未经登记确认" in back
    # Subjects the registrar registered are not affected.
    assert Subject.objects.get(uscc="914403001922038216").status == "active"
    # The registration record (登记注册基本信息) stands behind it: 存续.
    registration = {
        "XDR_MC": "信安恒瑞科技有限公司", "XDR_LB": "法人及非法人组织", "XDR_SHXYM": NEW_ORG,
        "source_id": "DJ-1", "DJ_DJJG": "市市场监督管理局", "DJ_ZT": "存续",
        "DJ_HZRQ": "2026-01-05",
    }  # fmt: skip
    assert push(client, market_token, "registration_basic", [registration]).json()["created"] == 1
    org.refresh_from_db()
    assert org.status == "active"
    assert "存续" in client.get(f"/subjects/{org.pk}/").content.decode()


def test_the_registrar_registering_an_unconfirmed_subject_confirms_it(
    client, market_token, actors, org_with_rep
):
    push(client, market_token, "administrative_penalty",
         [penalty(1, XDR_SHXYM=NEW_ORG, XDR_MC="信安恒瑞科技有限公司")])  # fmt: skip
    org = subjects.organization_register(
        actor=actors["market_clerk"], uscc=NEW_ORG, name="信安恒瑞科技有限公司", address="信安路1号"
    )
    assert (org.status, org.address) == ("active", "信安路1号")
    assert Record.objects.get(source_id="信市监罚〔2026〕1号").subject_id == org.pk
