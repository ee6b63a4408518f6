"""The API: a department's system runs a plan; anyone reads the items, the plan's public
view with the re-run of its draw, and the published results."""

import datetime

from django.test import Client
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.supervision.models import InspectionPlan


def test_a_business_system_runs_a_plan_and_anyone_verifies_it(city, market_token):
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    today = timezone.localdate()
    body = {"name": "食品抽查", "items": [city["item"].pk],
            "ratios": {"A": 5, "B": 20, "C": 60, "D": 100}, "inspectors_per_department": 2,
            "period_start": today.isoformat(),
            "period_end": (today + datetime.timedelta(days=9)).isoformat()}  # fmt: skip
    # refused: a ratio outside the item's range, naming the field and the rule
    events = AuditEvent.objects.count()
    too_high = body | {"ratios": {"A": 6, "B": 20, "C": 60, "D": 100}}
    r = api.post("/api/v1/supervision/plans", too_high, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["detail"][0] | {"message": ""} == {
        "field": "ratios.A", "rule": "plan.ratio_range", "message": ""}  # fmt: skip
    assert AuditEvent.objects.count() == events and not InspectionPlan.objects.exists()
    plan = api.post("/api/v1/supervision/plans", body, content_type="application/json").json()
    # the public sees nothing of a draft
    public = Client()
    assert public.get(f"/api/v1/supervision/plans/{plan['number']}/verification").status_code == 404
    assert api.post(f"/api/v1/supervision/plans/{plan['id']}/seed").json()["detail"][0]["rule"] == (
        "plan.not_frozen")  # fmt: skip
    frozen = api.post(f"/api/v1/supervision/plans/{plan['id']}/freeze").json()
    seen = public.get(f"/api/v1/supervision/plans/{plan['number']}/verification").json()
    assert seen["seed_hash"] == frozen["seed_hash"] and seen["seed"] is None and not seen["tasks"]
    assert "class_counts" not in seen  # the classes are not published
    drawn = api.post(f"/api/v1/supervision/plans/{plan['id']}/draw").json()
    assert drawn["task_count"] > 0 and drawn["seed"] == ""
    api.post(f"/api/v1/supervision/plans/{plan['id']}/seed")
    seen = public.get(f"/api/v1/supervision/plans/{plan['number']}/verification").json()
    assert seen["verification"]["ok"] and len(seen["tasks"]) == drawn["task_count"]
    assert all(len(t["inspectors"]) == 2 for t in seen["tasks"])
    task = InspectionPlan.objects.get().tasks.first()
    r = api.post(f"/api/v1/supervision/tasks/{task.pk}/result",
                 {"outcome": "penalty", "inspected_on": today.isoformat(), "findings": "无证经营"},
                 content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["publish_due"]
    assert api.post(f"/api/v1/supervision/tasks/{task.pk}/publish").json()["status"] == "published"
    results = public.get("/api/v1/supervision/results").json()
    assert [x["outcome_label"] for x in results] == ["发现问题待后续处理"]
    assert public.get("/api/v1/supervision/items").json()[0]["tiers"]["A"]["max"] == 5
