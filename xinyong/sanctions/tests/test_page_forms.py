"""The counter's forms say what is wrong beside the field it is about and write nothing:
the check (code, matter), the feedback per measure (a reason for one not applied, beside
that measure, the check's measures shown again), the file of codes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.conftest import HUAWEI
from xinyong.core.tests.formerrors import field_error
from xinyong.sanctions.models import CheckFeedback, CreditCheck
from xinyong.sanctions.tests.test_pages import clerk  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_malformed_code_is_named_beside_the_code(clerk):  # noqa: F811
    r = clerk.post("/backoffice/checks/", {"subject": "9144030019220382", "matter": "honors"})
    html = r.content.decode()
    assert r.status_code == 422 and "18" in field_error(html, "subject")
    assert 'value="9144030019220382"' in html  # what was typed, to correct it
    assert not CreditCheck.objects.exists()


def test_feedback_without_a_reason_is_named_beside_that_measure(clerk):  # noqa: F811
    clerk.post("/backoffice/checks/", {"subject": HUAWEI, "matter": "government_procurement"})
    check = CreditCheck.objects.get()
    r = clerk.post(f"/backoffice/checks/{check.pk}/feedback/", {
        "applied_restrict_procurement": "1", "applied_public_exposure": "0",
        "reason_public_exposure": " ",
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    assert field_error(html, "reason_public_exposure") == "未实施的须说明原因"
    assert field_error(html, "reason_restrict_procurement") == ""
    # The check's measures again, the answers given kept.
    assert "依法限制参加政府采购活动" in html and f"核查编号 {check.pk}" in html
    assert 'name="applied_restrict_procurement" value="1" id=' in html
    assert html.count("checked") == 2
    assert not CheckFeedback.objects.exists()


def test_a_batch_without_file_or_matter_is_named_beside_them(clerk):  # noqa: F811
    r = clerk.post("/backoffice/checks/batch/", {"matter": "no_such_matter"})
    html = r.content.decode()
    assert r.status_code == 422
    assert field_error(html, "file") == "请选择包含统一社会信用代码的 CSV 文件"
    assert field_error(html, "matter") == "请选择办理事项"
    many = "\n".join([HUAWEI] * 2001).encode()
    r = clerk.post("/backoffice/checks/batch/", {
        "matter": "honors", "file": SimpleUploadedFile("codes.csv", many, "text/csv"),
    })  # fmt: skip
    assert field_error(r.content.decode(), "file") == "一次最多核查 2000 个代码"
    assert not CreditCheck.objects.exists()
