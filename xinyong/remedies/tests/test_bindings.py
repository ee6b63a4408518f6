"""Who may act for a subject: a portal account registers, asks to bind a subject with its
proof, and once the operator (or the registering department) approves, sees that subject's
own file — and no other. Bad materials are refused by their content and leave nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.accounts.models import User
from xinyong.conftest import HUAWEI
from xinyong.core.tests.formerrors import field_error
from xinyong.lists.tests.conftest import designate
from xinyong.remedies.models import SubjectBinding

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% authorisation letter\n" + b"0" * 200


def _portal(client: Client, username="huawei_agent") -> Client:
    r = client.post("/account/register/", {"username": username, "display_name": "李经办",
                                           "password": "Credit-Office-2026!"})  # fmt: skip
    assert r.status_code == 302 and r["Location"].endswith("/account/")
    return client


def _request(client, name="授权委托书.pdf", content=PDF, **over):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    data = {"uscc": HUAWEI, "applicant": "李经办", "phone": "13800000000", "evidence": upload}
    data.update(over)
    return client.post("/account/", data)


def _files(settings) -> list:
    root = settings.XINYONG_REMEDY_DIR
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_register_refuses_weak_passwords_and_taken_names(client, departments):
    r = client.post("/account/register/", {"username": "ab", "display_name": "",
                                           "password": "123"})  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 400 and field_error(body, "username") and field_error(body, "password")
    assert field_error(body, "display_name") == "请填写姓名"  # every rule at once, by field
    assert "username.format" not in body and "password.weak" not in body  # no rule ids
    assert not User.objects.filter(role="public").exists()
    _portal(client)
    r = Client().post("/account/register/", {"username": "huawei_agent", "display_name": "x",
                                             "password": "Credit-Office-2026!"})  # fmt: skip
    assert r.status_code == 400
    assert field_error(r.content.decode(), "username") == "该用户名已被使用"


def test_bound_account_sees_its_own_file_only(client, users, actors, penalty_record, settings):
    designate(actors, penalty_record)
    portal = _portal(client)
    assert _request(portal).status_code == 302
    binding = SubjectBinding.objects.get()
    assert binding.status == "pending" and len(_files(settings)) == 1
    # Not yet approved: no file.
    assert portal.get(f"/account/subjects/{binding.subject_id}/").status_code == 404
    operator = Client()
    operator.force_login(users["operator"])
    queue = operator.get("/backoffice/bindings/").content.decode()
    assert "华为技术有限公司" in queue and "授权委托书.pdf" in queue
    r = operator.get(f"/backoffice/bindings/{binding.pk}/evidence/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    r = operator.post("/backoffice/bindings/", {"binding": binding.pk, "decision": "reject"},
                      follow=True)  # fmt: skip
    assert "不予通过须说明理由" in r.content.decode()
    operator.post("/backoffice/bindings/", {"binding": binding.pk, "decision": "approve"})
    assert SubjectBinding.objects.get().status == "approved"
    page = portal.get(f"/account/subjects/{binding.subject_id}/").content.decode()
    assert "严重失信主体名单" in page and penalty_record.source_id in page
    # Another portal account, or another subject: nothing.
    other = _portal(Client(), "someone_else")
    assert other.get(f"/account/subjects/{binding.subject_id}/").status_code == 404
    assert portal.get(f"/account/subjects/{binding.subject_id + 999}/").status_code == 404


def test_registering_department_may_confirm_others_may_not(client, users, org_with_rep):
    portal = _portal(client)
    _request(portal)
    binding = SubjectBinding.objects.get()
    tax = Client()
    tax.force_login(users["tax_clerk"])
    r = tax.post("/backoffice/bindings/", {"binding": binding.pk, "decision": "approve"},
                 follow=True)  # fmt: skip
    assert "登记部门审核" in r.content.decode() and SubjectBinding.objects.get().status == "pending"
    market = Client()
    market.force_login(users["market_clerk"])  # registered 华为 (source department)
    market.post("/backoffice/bindings/", {"binding": binding.pk, "decision": "approve"})
    done = SubjectBinding.objects.get()
    assert (done.status, done.via) == ("approved", "department")


@pytest.mark.parametrize(
    ("over", "rule", "field"),
    [
        ({"name": "授权书.pdf", "content": b"MZ\x90\x00 not a pdf"}, "file.content", "evidence"),
        ({"name": "授权书.docx", "content": b"PK\x03\x04"}, "file.format", "evidence"),
        (
            {"name": "大文件.pdf", "content": PDF + b"0" * (1024 * 1024)},
            "file.max_size",
            "evidence",
        ),
        ({"uscc": "91339900MA1X2Y3B1X"}, "subject.not_found", "uscc"),
        ({"uscc": "91440300192203821X"}, "uscc.check_character", "uscc"),
        ({"phone": "call me"}, "phone.format", "phone"),
    ],
)
def test_bad_requests_store_nothing(client, org_with_rep, settings, over, rule, field):
    settings.XINYONG_REMEDY_MAX_MB = 1
    portal = _portal(client)
    name, content = over.pop("name", "授权委托书.pdf"), over.pop("content", PDF)
    r = _request(portal, name=name, content=content, **over)
    html = r.content.decode()  # the message next to its field, never the rule id
    assert r.status_code == 400 and field_error(html, field) and rule not in html
    assert not SubjectBinding.objects.exists() and _files(settings) == []


def test_notifications_go_by_email_when_the_account_has_one(
    client, users, org_with_rep, django_capture_on_commit_callbacks
):
    from django.core import mail

    r = client.post("/account/register/", {"username": "with_mail", "display_name": "王经办",
                                           "password": "Credit-Office-2026!",
                                           "email": "agent@example.cn"})  # fmt: skip
    assert r.status_code == 302
    bad = Client().post("/account/register/", {"username": "bad_mail", "display_name": "x",
                                               "password": "Credit-Office-2026!",
                                               "email": "not-an-address"})  # fmt: skip
    assert bad.status_code == 400
    assert field_error(bad.content.decode(), "email") == "电子邮箱格式不正确"
    from xinyong.remedies import services

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(User.objects.get(username="with_mail").pk, "异议已受理")
    assert mail.outbox and mail.outbox[0].to == ["agent@example.cn"]


def test_a_person_binds_for_their_own_file(client, users, org_with_rep):
    """张三 (the legal representative in the registry) asks for his own file with his ID."""
    from xinyong.conftest import RID

    portal = _portal(client, "zhang_san")
    r = portal.post("/account/", {
        "id_type": "resident_id", "id_number": RID, "applicant": "张三", "phone": "13900000000",
        "evidence": SimpleUploadedFile("身份证.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                                       content_type="image/png"),
    })  # fmt: skip
    assert r.status_code == 302
    binding = SubjectBinding.objects.get()
    assert binding.subject.kind == "person" and binding.status == "pending"
    r = portal.post("/account/", {
        "id_type": "resident_id", "id_number": "110105194912310021", "applicant": "张三",
        "phone": "13900000000", "evidence": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n"),
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400 and field_error(html, "id_number") and "resident_id." not in html
