"""Reads of the evaluation's back-office and portal pages: the overview (grades, the model
in use, the last runs with their progress), the model versions, the publication settings,
and a subject's full explanation with the records and entries behind each indicator named
and linked. Plain dicts with names, never codes, for the templates."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from xinyong.accounts.actors import Actor
from xinyong.catalog.selectors import item_names
from xinyong.core.errors import NotFound
from xinyong.evaluation import selectors
from xinyong.evaluation.models import EvaluationResult, ModelVersion
from xinyong.evaluation.scoring import grade_label
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record


def _run_row(run) -> dict:
    return {
        "run": run,
        "progress": selectors.run_progress(run),
        "kind_label": run.get_kind_display(),
        "status_label": run.get_status_display(),
    }


def overview() -> dict:
    """The overview page: subjects per grade (named), the model in use, the last runs."""
    mv = selectors.active_model()
    c = selectors.compiled(mv) if mv else None
    dist = selectors.grade_distribution()
    total = sum(n for _g, n in dist)
    grades = [{"grade": g, "label": grade_label(c, g) if c else g, "count": n,
               "percent": round(n * 100 / total, 1) if total else 0} for g, n in dist]  # fmt: skip
    return {"model": mv, "grades": grades, "graded": total,
            "runs": [_run_row(r) for r in selectors.runs(limit=10)],
            "busy": selectors.run_busy()}  # fmt: skip


def model_versions() -> list[dict]:
    """Every version, with whether it has produced results (then it can never change)."""
    used = EvaluationResult.objects.filter(model_version_id=OuterRef("pk"))
    rows = ModelVersion.objects.annotate(used=Exists(used))
    return [{"mv": mv, "used": mv.used, "indicators": sum(len(d["indicators"])
             for d in mv.definition["dimensions"])} for mv in rows]  # fmt: skip


def model_version(pk: int) -> dict:
    mv = ModelVersion.objects.filter(pk=pk).first()
    if mv is None:
        raise NotFound("model version")
    c = selectors.compiled(mv)
    grades = [{"grade": g.grade, "min": g.min, "name": g.name} for g in c.model.grades]
    return {"mv": mv, "model": c.model, "grades": grades}


def _evidence(actor: Actor, detail: dict, *, office: bool) -> None:
    """Name each record and entry an indicator rests on (what the reader may see of it:
    its item or list and its document number), linked to the record in the subject's file
    (the back office's, or the company's own) and, in the back office, to the list case."""
    rids = {i for d in detail["dimensions"] for row in d["indicators"] for i in row["records"]}
    eids = {i for d in detail["dimensions"] for row in d["indicators"] for i in row["entries"]}
    names = item_names() if rids else {}
    records = {}
    for r in (
        Record.objects.visible_to(actor)
        .filter(pk__in=rids)
        .values("id", "item_code", "source_id", "decision_date")
    ):
        records[r["id"]] = r | {"label": names.get(r["item_code"], r["item_code"])}
    entries = {
        e["id"]: e
        for e in ListEntry.objects.visible_to(actor).filter(pk__in=eids)
        .values("id", "list_type__name", "decision_no", "decided_on")
    }  # fmt: skip
    where = "backoffice:subject" if office else "portal:account_subject"
    subject_url = reverse(where, args=[detail["subject_id"]])
    for d in detail["dimensions"]:
        for row in d["indicators"]:
            row["record_rows"] = [
                {"id": i, "label": records[i]["label"] if i in records else None,
                 "number": records[i]["source_id"] if i in records else "",
                 "date": records[i]["decision_date"] if i in records else None,
                 "url": f"{subject_url}#record-{i}" if i in records else ""}
                for i in row["records"]
            ]  # fmt: skip
            row["entry_rows"] = [
                {"id": i, "label": entries[i]["list_type__name"] if i in entries else None,
                 "number": entries[i]["decision_no"] if i in entries else "",
                 "date": entries[i]["decided_on"] if i in entries else None,
                 "url": reverse("backoffice:list_case", args=[i])
                 if office and i in entries else ""}
                for i in row["entries"]
            ]  # fmt: skip


def subject_evaluation(actor: Actor, subject, *, office: bool) -> dict | None:
    """The subject's full evaluation as :func:`selectors.evaluation_detail` gives it (access
    checked and the reading audited there), its evidence named; None when not evaluated."""
    detail = selectors.evaluation_detail(actor, subject)
    if detail is None:
        return None
    detail["subject_id"] = subject.pk
    _evidence(actor, detail, office=office)
    return detail


def model_grade_choices() -> list[tuple[str, str]]:
    """The grades of the model in use, named (the publication form's boxes)."""
    mv = selectors.active_model()
    if mv is None:
        return []
    c = selectors.compiled(mv)
    return [(g, grade_label(c, g)) for g in c.grades]
