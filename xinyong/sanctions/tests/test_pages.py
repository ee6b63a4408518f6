"""The counter's pages: one check with its measures and the feedback form; a file of codes
checked at once, answered as a formula-safe CSV; bad files refused with the reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.conftest import HUAWEI
from xinyong.core.tests.formerrors import field_error
from xinyong.lists.tests.conftest import designate
from xinyong.sanctions.models import CheckFeedback, CreditCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(users, actors, penalty_record):
    designate(actors, penalty_record)
    c = Client()
    c.force_login(users["tax_clerk"])
    return c


def test_check_page_shows_measures_and_takes_feedback(clerk):
    r = clerk.post("/backoffice/checks/", {"subject": HUAWEI, "matter": "government_procurement"})
    page = r.content.decode()
    assert r.status_code == 200 and "严重失信主体名单" in page
    assert "依法限制参加政府采购活动" in page and "政府采购法" in page
    check = CreditCheck.objects.get()
    r = clerk.post(f"/backoffice/checks/{check.pk}/feedback/", {
        "measure": ["restrict_procurement", "public_exposure"],
        "applied_restrict_procurement": "1", "applied_public_exposure": "0",
        "reason_public_exposure": "",
    }, follow=True)  # fmt: skip
    assert "未实施的须说明原因" in r.content.decode() and not CheckFeedback.objects.exists()
    clerk.post(f"/backoffice/checks/{check.pk}/feedback/", {
        "measure": ["restrict_procurement"], "applied_restrict_procurement": "1",
    })  # fmt: skip
    assert CheckFeedback.objects.get().applied is True
    r = clerk.post("/backoffice/checks/", {"subject": "12345", "matter": "government_procurement"})
    html = r.content.decode()
    assert r.status_code == 422 and field_error(html, "subject") and "uscc.length" not in html


def test_batch_check_answers_every_code(clerk):
    data = f"统一社会信用代码\n{HUAWEI}\n=1+1\n91339900MA1X2Y3B1X\n".encode("gbk")
    r = clerk.post("/backoffice/checks/batch/", {
        "matter": "government_procurement",
        "file": SimpleUploadedFile("codes.csv", data, content_type="text/csv"),
    })  # fmt: skip
    assert r.status_code == 200
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 4
    assert lines[1].startswith(HUAWEI) and "命中名单" in lines[1] and "政府采购" in lines[1]
    assert lines[2].startswith("'=1+1") and "代码有误" in lines[2]  # neutralised, explained
    assert "无记录" in lines[3]
    assert CreditCheck.objects.count() == 2  # the malformed code was not a check


def test_batch_check_refuses_bad_files(clerk):
    empty = SimpleUploadedFile("codes.csv", b"\n\n", content_type="text/csv")
    r = clerk.post("/backoffice/checks/batch/", {"matter": "honors", "file": empty})
    assert r.status_code == 422 and field_error(r.content.decode(), "file") == "文件中没有代码"
    binary = SimpleUploadedFile("codes.csv", b"\x81\xff\xfe\x00" * 100, content_type="text/csv")
    r = clerk.post("/backoffice/checks/batch/", {"matter": "honors", "file": binary})
    html = r.content.decode()
    assert r.status_code == 422 and field_error(html, "file") and "file.encoding" not in html
    assert not CreditCheck.objects.exists()
