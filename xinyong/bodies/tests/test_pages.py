"""The back-office pages of public bodies: the queue 待签收通报, a notice with its online
or paper acknowledgement, staff misconduct notices, the public bodies' files — and what
each role is offered there. Hostile input answers without 5xx and writes nothing."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.audit.models import AuditEvent
from xinyong.bodies.models import NoticeReceipt, PublicBodyProfile, StaffMisconduct
from xinyong.bodies.tests.conftest import HOSPITAL
from xinyong.commitments.tests.test_backoffice_hostile import SETTINGS, _post, values
from xinyong.conftest import RID
from xinyong.core.tests import fuzzstats

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_addressee_acknowledges_from_its_queue(staff, decided):
    health = _client(staff["users"]["health_clerk"])
    page = health.get(reverse("backoffice:notice_receipts")).content.decode()
    superior = NoticeReceipt.objects.get(role="superior")
    assert "市第一人民医院被列入严重失信主体名单" in page and f"receipt-{superior.pk}" in page
    url = reverse("backoffice:notice_receipt", args=[superior.pk])
    detail = health.get(url).content.decode()
    assert "确认签收" in detail and "登记纸质签收" not in detail
    assert "采购中提供虚假材料" in detail  # the notice's text, as issued
    assert health.post(url, {"step": "acknowledge"}).status_code == 302
    assert not NoticeReceipt.objects.get(pk=superior.pk).outstanding
    page = health.get(reverse("backoffice:notice_receipts")).content.decode()
    assert "暂无送达本部门待签收的通报" in page and "线上签收" in page


def test_the_issuer_records_a_paper_receipt_and_bad_input_is_named(staff, decided, users):
    clerk = _client(users["market_clerk"])
    audit = NoticeReceipt.objects.get(role="audit")
    url = reverse("backoffice:notice_receipt", args=[audit.pk])
    page = clerk.get(url).content.decode()
    assert "登记纸质签收" in page and "确认签收" not in page
    r = clerk.post(url, {"step": "paper", "signer": "市审计局", "received_on": "2026-02-30",
                         "proof": "回证"})  # fmt: skip
    assert r.status_code == 400 and 'id="id_received_on_error"' in r.content.decode()
    today = timezone.localdate().isoformat()
    r = clerk.post(url, {"step": "paper", "signer": "", "received_on": today, "proof": ""})
    assert r.status_code == 400
    html = r.content.decode()
    for field in ("signer", "proof"):
        assert f'id="id_{field}_error"' in html, field
    assert NoticeReceipt.objects.get(pk=audit.pk).outstanding
    r = clerk.post(url, {"step": "paper", "signer": "市审计局 钱某", "received_on": today,
                         "proof": "送达回证 9"})  # fmt: skip
    assert r.status_code == 302
    assert NoticeReceipt.objects.get(pk=audit.pk).ack_method == "paper"


def test_another_department_does_not_see_a_notice(staff, decided, users):
    receipt = NoticeReceipt.objects.get(role="superior")
    url = reverse("backoffice:notice_receipt", args=[receipt.pk])
    assert _client(users["tax_clerk"]).get(url).status_code == 404
    assert _client(users["auditor"]).get(url).status_code == 200  # reads, offered nothing
    assert "确认签收" not in _client(users["auditor"]).get(url).content.decode()


def test_the_misconduct_page_records_and_never_shows_the_identifier(staff, hospital, doctor,
                                                                     users):  # fmt: skip
    clerk = _client(users["market_clerk"])
    url = reverse("backoffice:staff_misconduct")
    data = {"id_type": "resident_id", "id_number": RID, "unit_uscc": HOSPITAL,
            "number": "信市监通〔2026〕5号", "basis": "《医疗机构从业人员行为规范》",
            "facts": "收受财物", "act_date": "2026-10-08", "discipline_code": "JW"}  # fmt: skip
    bad = clerk.post(url, {**data, "unit_uscc": "914403001922038216", "facts": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_unit_uscc_error"' in html and 'id="id_facts_error"' in html
    assert RID not in html and not StaffMisconduct.objects.exists()
    assert clerk.post(url, data).status_code == 302
    page = clerk.get(url).content.decode()
    assert "信市监通〔2026〕5号" in page and "李医生" in page and RID not in page
    assert "录入通报" not in _client(users["auditor"]).get(url).content.decode()


def test_the_public_bodies_files(staff, decided, users):
    office = _client(users["operator"])
    listing = office.get(reverse("backoffice:public_bodies"), {"q": "人民医院"}).content.decode()
    assert "市第一人民医院" in listing and "严重失信" not in listing
    url = reverse("backoffice:public_body", args=[decided.subject_id])
    page = office.get(url).content.decode()
    assert "严重失信主体名单" in page and "市卫生健康委员会" in page and "未签收" in page
    assert AuditEvent.objects.filter(action="credit_file.read", object_type="public_body").exists()
    assert (
        office.get(
            reverse("backoffice:public_body", args=[users["operator"].pk + 10**6])
        ).status_code
        == 404
    )
    # Its registrar sets who its notices go to; bad input is named next to the field.
    clerk = _client(users["market_clerk"])
    r = clerk.post(url, {"superior_code": "NOPE", "audit_name": "审" * 201})
    assert r.status_code == 400
    assert PublicBodyProfile.objects.get().superior_department.code == "WJW"
    assert clerk.post(url, {"superior_name": "省卫健委", "audit_code": "SJ"}).status_code == 302
    assert PublicBodyProfile.objects.get().superior_name == "省卫健委"
    tax = _client(users["tax_clerk"])
    assert "保存通报对象" not in tax.get(url).content.decode()
    tax.post(url, {"superior_name": "别的单位"})
    assert PublicBodyProfile.objects.get().superior_name == "省卫健委"


PAPER = ["step", "signer", "received_on", "proof"]
MISCONDUCT = ["id_type", "id_number", "unit_uscc", "number", "basis", "facts", "act_date",
              "discipline_code", "discipline_name"]  # fmt: skip
PROFILE = ["superior_code", "superior_name", "audit_code", "audit_name"]


def test_hostile_forms_answer_without_5xx_and_write_nothing(staff, decided, doctor, users):
    clerk = _client(users["market_clerk"])
    receipt = NoticeReceipt.objects.get(role="audit")
    counts = lambda: (  # noqa: E731
        NoticeReceipt.objects.filter(acknowledged_at__isnull=False).count(),
        StaffMisconduct.objects.count(),
        PublicBodyProfile.objects.values_list("superior_name", "audit_name").first(),
    )
    state = [counts()]
    targets = [(reverse("backoffice:notice_receipt", args=[receipt.pk]), PAPER),
               (reverse("backoffice:staff_misconduct"), MISCONDUCT),
               (reverse("backoffice:public_body", args=[decided.subject_id]), PROFILE)]  # fmt: skip

    @settings(max_examples=EXAMPLES * 2, **SETTINGS)
    @given(st.sampled_from(targets), st.data())
    def check(target, data):
        url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        if "step" in fields:
            fields["step"] = data.draw(st.sampled_from(["paper", "acknowledge", fields["step"]]))
        with fuzzstats.timed("public bodies forms (hostile)"):
            r = _post(clerk, url, fields)
        fuzzstats.record("public bodies forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:  # a step some random text was enough for
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()
