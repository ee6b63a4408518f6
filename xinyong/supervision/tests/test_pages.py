"""The pages, as a department's clerk and the public use them: an item, a pool, a plan
created, frozen, drawn, its seed published and its draw re-run on the portal; a result
recorded and published, then in the results column and on the subject's page."""

import datetime

from django.test import Client
from django.utils import timezone

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.core.tests.visible import assert_no_codes
from xinyong.supervision.models import InspectionItem, InspectionPlan, InspectionTask


def _ok(resp, status=302):
    assert resp.status_code == status, resp.content.decode()[:2000]
    return resp


def test_a_clerk_runs_a_plan_and_the_public_checks_it(city, users):
    c = Client()
    c.force_login(users["market_clerk"])
    _ok(
        c.post(
            "/backoffice/inspections/items/",
            {
                "name": "广告发布情况检查",
                "legal_basis": "《中华人民共和国广告法》",
                "target_kinds": ["organization"],
                "method": "online",
            },
        )
    )
    page = _ok(c.get("/backoffice/inspections/items/"), 200).content.decode()
    assert_no_codes(page, names=["广告发布情况检查", "网络监测", "A 0%–5%"], where="items")
    _ok(
        c.post(
            "/backoffice/inspections/inspectors/",
            {"form": "inspector", "name": "赵六", "badge": "SJ9999"},
        )
    )
    page = _ok(c.get("/backoffice/inspections/inspectors/"), 200).content.decode()
    assert_no_codes(page, names=["赵六", "SJ9999"], where="inspectors")
    item = InspectionItem.objects.get(name="广告发布情况检查")
    today = timezone.localdate()
    # a ratio beyond the item's range is said beside its field, nothing created
    form = {
        "name": "广告专项抽查",
        "items": [item.pk],
        "ratio_a": "9",
        "ratio_b": "20",
        "ratio_c": "60",
        "ratio_d": "100",
        "inspectors_per_department": "2",
        "period_start": today.isoformat(),
        "period_end": (today + datetime.timedelta(days=30)).isoformat(),
    }
    bad = _ok(c.post("/backoffice/inspections/plans/", form), 400).content.decode()
    assert "不在抽查事项" in bad and not InspectionPlan.objects.exists()
    _ok(c.post("/backoffice/inspections/plans/", form | {"ratio_a": "5"}))
    plan = InspectionPlan.objects.get()
    url = f"/backoffice/inspections/plans/{plan.pk}/"
    for step in ("freeze", "draw", "seed"):
        _ok(c.post(url, {"step": step}))
    plan.refresh_from_db()
    assert plan.status == "published" and plan.task_count > 0
    page = _ok(c.get(url), 200).content.decode()
    assert_no_codes(page, names=[plan.seed, "已公布随机种子"], where="plan")
    task = InspectionTask.objects.filter(plan=plan).select_related("subject").first()
    _ok(
        c.post(
            url,
            {
                "task": task.pk,
                "outcome": "not_found",
                "inspected_on": today.isoformat(),
                "findings": "住所无人",
            },
        )
    )
    _ok(c.post(url, {"task": task.pk, "publish": "1"}))
    task.refresh_from_db()
    assert task.status == "published" and task.record_id

    public = Client()
    page = _ok(public.get(f"/inspections/plans/{plan.number}/?rerun=1"), 200).content.decode()
    assert "核对一致" in page and plan.seed_hash in page and plan.candidates_digest in page
    assert_no_codes(page, public=True, names=[task.subject.name], where="portal plan")
    page = _ok(public.get("/inspections/"), 200).content.decode()
    assert_no_codes(
        page, public=True, names=[task.subject.name, "通过登记的住所无法联系"], where="results"
    )
    page = _ok(public.get(f"/subjects/{task.subject_id}/?tab=inspections"), 200)
    assert "通过登记的住所无法联系" in page.content.decode()
    # another department's clerk does not see the plan
    other = Client()
    other.force_login(users["tax_clerk"])
    assert other.get(url).status_code == 404


def test_hostile_queries_on_the_public_pages_are_told(city, actors):
    c = Client()
    for q in ("page=0", "page=abc", "page=99999999999999999999", "page=%00"):
        assert c.get(f"/inspections/?{q}").status_code == 400, q
    assert c.get("/inspections/?q=%E4%BF%A1%E5%AE%89" + "x" * 300).status_code == 200
    for number in ("CCJH0", "x" * 40):
        assert c.get(f"/inspections/plans/{number}/").status_code == 404, number
    assert c.get("/inspections/plans/CCJH%00/").status_code == 400  # the request guard
    # a plan still in draft is not public
    from xinyong.supervision.tests.conftest import plan

    p = plan(actors["market_clerk"], [city["item"]])
    assert c.get(f"/inspections/plans/{p.number}/").status_code == 404


def test_the_set_rule_agrees_with_the_access_rule(city, actors):
    from xinyong.supervision.tests.conftest import plan

    plan(actors["market_clerk"], [city["item"]])
    plan(actors["tax_clerk"], [city["tax_item"], city["item"]], name="联合抽查")
    qs = InspectionPlan.objects.all()
    for who in actors.values():
        acting = set(qs.filter(access.acting_q(who, Action.SUPERVISION_MANAGE))
                     .values_list("pk", flat=True))  # fmt: skip
        allowed = {p.pk for p in qs if access.allowed(who, Action.SUPERVISION_MANAGE, p)}
        assert acting == allowed, who.label


def test_a_department_sets_its_sector_grade_map_on_the_items_page(city, users):
    from xinyong.supervision.models import SectorGradeMap

    c = Client()
    c.force_login(users["tax_clerk"])
    r = c.post("/backoffice/inspections/items/",
               {"form": "sector", "domain": "纳税信用", "grades": "A=A, B=B, M=X"})  # fmt: skip
    assert r.status_code == 400 and "监管类别只有" in r.content.decode()
    assert not SectorGradeMap.objects.exists()
    _ok(c.post("/backoffice/inspections/items/",
               {"form": "sector", "domain": "纳税信用", "grades": "A=A，B=b, M=B"}))  # fmt: skip
    assert dict(SectorGradeMap.objects.values_list("grade", "klass")) == {
        "A": "A", "B": "B", "M": "B"}  # fmt: skip
    page = c.get("/backoffice/inspections/items/").content.decode()
    assert_no_codes(page, names=["纳税信用", "市税务局"], where="items")


def test_staff_download_the_frozen_lists_whose_digests_were_published(city, users, actors):
    import hashlib

    from xinyong.audit.models import AuditEvent
    from xinyong.supervision.tests.conftest import drawn

    p = drawn(actors["market_clerk"], [city["item"]])
    c = Client()
    c.force_login(users["market_clerk"])
    for kind, digest in (("candidates", p.candidates_digest), ("pool", p.pool_digest)):
        r = c.get(f"/backoffice/inspections/plans/{p.pk}/{kind}.txt")
        body = b"".join(r.streaming_content)
        assert r.status_code == 200 and hashlib.sha256(body).hexdigest() == digest, kind
    assert AuditEvent.objects.filter(action="plan.list_read").count() == 2
    other = Client()
    other.force_login(users["tax_clerk"])
    assert other.get(f"/backoffice/inspections/plans/{p.pk}/candidates.txt").status_code == 404
