"""The portal account's forms say what is wrong beside the field it is about (the field's
control points at the message) and write nothing: registering, asking to bind a subject,
filing an objection, applying for repair."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.models import User
from xinyong.core.tests.formerrors import field_error
from xinyong.remedies.models import Objection, RepairApplication, SubjectBinding
from xinyong.remedies.tests.test_bindings import PDF, _files
from xinyong.remedies.tests.test_objections import bound  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_registration_names_each_fault_beside_its_field(client, departments):
    r = client.post("/account/register/", {"username": "a b", "display_name": "  ",
                                           "password": "Credit-Office-2026!",
                                           "email": "at-nowhere"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    assert "用户名" in field_error(html, "username")
    assert field_error(html, "display_name") == "请填写姓名"
    assert field_error(html, "email") == "电子邮箱格式不正确"
    assert field_error(html, "password") == ""  # a good password: nothing said about it
    assert 'value="at-nowhere"' in html and "Credit-Office-2026!" not in html  # not sent back
    assert not User.objects.filter(role="public").exists()


def test_a_binding_request_names_its_faults_beside_the_fields(client, org_with_rep, settings):
    client.post("/account/register/", {"username": "agent_b", "display_name": "李经办",
                                       "password": "Credit-Office-2026!"})  # fmt: skip
    r = client.post("/account/", {"uscc": "", "id_type": "resident_id",
                                  "id_number": "110105194912310021", "applicant": "",
                                  "phone": "12"})  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "applicant") == "请填写经办人姓名"
    assert field_error(html, "phone") == "联系电话应为 7–20 位数字"
    assert "110105194912310021" not in html  # an ID number is not written back
    r = client.post("/account/", {"uscc": "91339900MA1X2Y3B1X", "applicant": "李经办",
                                  "phone": "13800000000",
                                  "evidence": SimpleUploadedFile("a.pdf", PDF)})  # fmt: skip
    # The subject the code names is unknown: said beside the code.
    assert field_error(r.content.decode(), "uscc") == "平台没有该主体的信用档案"
    assert not SubjectBinding.objects.exists() and _files(settings) == []


def test_an_objection_without_reasons_is_refused_beside_the_reasons(bound):  # noqa: F811
    portal, _entry, record = bound
    url = f"/account/subjects/{record.subject_id}/objections/new/?record={record.pk}"
    r = portal.post(url, {"reasons": "   "})
    html = r.content.decode()
    assert r.status_code == 400 and field_error(html, "reasons") == "请写明异议理由"
    assert f'name="record" value="{record.pk}"' in html  # still about the same record
    assert not Objection.objects.exists()


def test_a_repair_application_names_its_faults_beside_the_fields(bound):  # noqa: F811
    portal, _entry, record = bound
    url = f"/account/subjects/{record.subject_id}/repairs/new/"
    r = portal.post(url, {"statement": "", "report_code": "1234"})
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "record", control=False) == "请选择要修复的处罚信息或名单条目"
    assert field_error(html, "statement") == "请说明纠正失信行为、履行义务的情况"
    assert 'aria-describedby="id_record_error"' in html  # the lists point at it
    assert not RepairApplication.objects.exists()
