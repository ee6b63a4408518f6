"""The evaluation's back-office pages as their users meet them: staff read the grades, the
model in use and the runs with their progress; the operator requests a run, loads a model
file (a refused one says its line and rule next to the text, and nothing is written) and
sets what the public sees; the subject's page explains its grade, indicator by indicator,
with the records behind each. Names, never codes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.core.tests.visible import assert_no_codes
from xinyong.evaluation.models import EvaluationRun, ModelVersion, PublicationSettings
from xinyong.evaluation.tests.conftest import evaluate, penalties
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db
URL = "/backoffice/evaluation/"


def _as(users, who) -> Client:
    c = Client()
    c.force_login(users[who])
    return c


def _error(html: str, field_id: str) -> str:
    m = re.search(rf'id="{re.escape(field_id)}_error">(.*?)</span>', html, re.S)
    return m.group(1) if m else ""


@pytest.fixture
def graded(actors, org_with_rep):
    penalties(actors["market_clerk"], {"CF_JDRQ": "2026-06-01", "CF_YXQ": "2027-06-01",
                                       "CF_YZCD": "严重"})  # fmt: skip
    evaluate(actors["operator"])
    return org_with_rep


def test_staff_read_grades_and_runs_the_operator_requests_a_run(users, graded):
    clerk = _as(users, "market_clerk")
    r = clerk.get(URL)
    assert r.status_code == 200
    names = ["C级（信用一般）", "全量评价", "已完成", "公共信用综合评价模型"]
    text = assert_no_codes(r.content.decode(), names=names, allow=["operator"])  # user names
    assert "发起评价" not in text  # a clerk does not request runs
    assert clerk.post(URL + "runs/", {"kind": "full"}).status_code == 403
    office = _as(users, "operator")
    assert "发起评价" in office.get(URL).content.decode()
    before = EvaluationRun.objects.count()
    r = office.post(URL + "runs/", {"kind": "weekly"})
    assert r.status_code == 400 and "评价类型应为" in _error(r.content.decode(), "id_kind")
    r = office.post(URL + "runs/", {"kind": "full", "as_of": "2026-02-30"})
    assert r.status_code == 400 and _error(r.content.decode(), "id_as_of")
    assert EvaluationRun.objects.count() == before
    r = office.post(URL + "runs/", {"kind": "incremental", "as_of": "2026-12-02"})
    assert r.status_code == 302
    run = EvaluationRun.objects.first()
    assert (run.kind, run.status, str(run.as_of)) == ("incremental", "queued", "2026-12-02")
    r = office.post(URL + "runs/", {"kind": "full"})  # one at a time
    assert r.status_code == 400 and "正在排队或进行" in r.content.decode()
    page = clerk.get(URL).content.decode()  # a run under way: the page follows its progress
    assert '<meta http-equiv="refresh"' in page and "排队中" in page


def test_a_model_file_refused_with_its_line_and_rule_then_a_new_version(users, graded):
    office = _as(users, "operator")
    default = ModelVersion.objects.get(active=True)
    bad = default.source.replace("version: 1", "version: 2").replace("max: 60", "max: 70")
    r = office.post(URL + "models/", {"text": bad, "activate": "on"})
    assert r.status_code == 400
    said = _error(r.content.decode(), "id_text")
    assert "第 " in said and "model.scale" in said and ModelVersion.objects.count() == 1
    r = office.post(URL + "models/", {"file": SimpleUploadedFile("m.yaml", b"\xff\xfe bad")})
    assert r.status_code == 400 and "UTF-8" in _error(r.content.decode(), "id_file")
    good = default.source.replace("version: 1", "version: 2")
    good = good.replace("name: 公共信用综合评价模型", "name: 公共信用综合评价模型（试行）")
    upload = SimpleUploadedFile("model.yaml", good.encode())
    r = office.post(URL + "models/", {"file": upload, "activate": "on"})
    assert r.status_code == 302, _error(r.content.decode(), "id_text")
    mv = ModelVersion.objects.get(active=True)
    assert mv.version == 2 and r["Location"] == f"{URL}models/{mv.pk}/"
    page = office.get(r["Location"]).content.decode()
    assert "公共信用综合评价模型（试行）" in page and "base: 700" in page
    listing = _as(users, "market_clerk").get(URL + "models/").content.decode()
    assert "已产生评价结果" in listing and "检查并载入" not in listing
    assert_no_codes(listing, names=["公共信用综合评价模型（试行）", "当前使用"],
                    allow=["operator", "system"])  # fmt: skip
    assert _as(users, "market_clerk").post(URL + "models/", {"text": good}).status_code == 403


def test_the_operator_sets_what_the_public_sees(users, graded):
    assert _as(users, "market_clerk").get(URL + "publication/").status_code == 403
    office = _as(users, "operator")
    page = office.get(URL + "publication/")
    assert_no_codes(page.content.decode(), names=["A级（信用优秀）", "D级（信用较差）"])
    r = office.post(URL + "publication/", {"public_grades": ["A", "Z"]})
    assert r.status_code == 400 and "等级应为" in r.content.decode()
    assert PublicationSettings.objects.get().public_grades == ["A"]  # the default, unchanged
    r = office.post(URL + "publication/", {"public_grades": ["A", "B"], "public_score": "on"})
    assert r.status_code == 302
    row = PublicationSettings.objects.get()
    assert (row.public_grades, row.public_score, row.checks_see_grade) == (["A", "B"], True, False)


def test_the_subject_page_explains_the_grade_with_the_records_behind_it(users, graded):
    r = _as(users, "tax_clerk").get(f"/backoffice/subjects/{graded.pk}/")
    html = r.content.decode()
    text = assert_no_codes(html, names=["信用评价", "C级（信用一般）", "行政处罚", "如何提升"])
    assert "得分 550 / 1000" in text
    record = Record.objects.get(subject=graded)
    assert f'href="/backoffice/subjects/{graded.pk}/#record-{record.pk}"' in html
    assert f'id="record-{record.pk}"' in html
    assert "可升至 B级（信用良好）" in text
