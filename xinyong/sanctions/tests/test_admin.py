"""The credit office edits measures in the admin: a sanction without a legal basis is
refused with the reason and nothing saved; a saved change is audited."""

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.sanctions.models import Measure

pytestmark = pytest.mark.django_db


def test_sanction_without_basis_cannot_be_saved(users):
    operator = users["operator"]
    operator.is_staff = operator.is_superuser = True
    operator.save()
    c = Client()
    c.force_login(operator)
    m = Measure.objects.get(code="restrict_procurement")
    url = f"/admin/sanctions/measure/{m.pk}/change/"
    form = {
        "memorandum": m.memorandum_id, "code": m.code, "name": m.name, "kind": "sanction",
        "category": m.category, "legal_basis": "", "departments": '["CZ"]', "grades": "[]",
        "term": m.term, "active": "on",
        "list_types": list(m.list_types.values_list("pk", flat=True)),
        "matters": list(m.matters.values_list("pk", flat=True)),
    }  # fmt: skip
    r = c.post(url, form)
    assert r.status_code == 200 and "惩戒措施必须写明法律依据" in r.content.decode()
    assert Measure.objects.get(pk=m.pk).legal_basis  # unchanged
    form["legal_basis"] = "《中华人民共和国政府采购法》第二十二条"
    r = c.post(url, form)
    assert r.status_code == 302
    assert Measure.objects.get(pk=m.pk).legal_basis == "《中华人民共和国政府采购法》第二十二条"
    assert (
        AuditEvent.objects.filter(action="config.save", object_type="sanctions.measure").count()
        == 1
    )
