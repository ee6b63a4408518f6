"""What an inspection result puts in the credit file, through the ingestion pipeline like
any department's record (provenance, versions, publicity, the reports): a negative result
(problems found, not at its address…) as an ``administrative_inspection`` record of the
lead department, filed when the result is published, in that step's own transaction — the
publication and its record are one act. The pattern of
:mod:`xinyong.commitments.services.filing`."""

from django.db import transaction

from xinyong.accounts.actors import Actor
from xinyong.ingest.services.single import platform_filer, rows_file
from xinyong.records.models import Record
from xinyong.subjects.choices import SubjectKind
from xinyong.supervision.choices import Outcome
from xinyong.supervision.models import InspectionTask

ITEM = "administrative_inspection"
KIND = "双随机抽查"  # the item's 检查类型


def inspection_row(task: InspectionTask, authority: str) -> dict:
    subject = task.subject
    lb = "个体工商户" if subject.kind == SubjectKind.INDIVIDUAL_BUSINESS else "法人及非法人组织"
    return {
        "XDR_MC": subject.name,
        "XDR_LB": lb,
        "XDR_SHXYM": subject.uscc,
        "JC_BH": task.number,
        "JC_LX": KIND,
        "JC_RQ": task.inspected_on.isoformat(),
        "JC_JG": str(Outcome(task.outcome).label),
        "JC_JCJG": authority[:200],
    }


def task_file(*, actor: Actor, task: InspectionTask, authority: str) -> int:
    """File the task's result in the caller's transaction as a one-row batch of the lead
    department; the record's id."""
    from django.utils import translation

    assert transaction.get_connection().in_atomic_block
    with translation.override("zh-hans"):  # the catalog's enum values are Chinese
        row = inspection_row(task, authority)
    rows_file(
        actor=platform_filer(actor), item_code=ITEM, rows=[row],
        provider_code=task.plan.department.code, file_name=f"抽查结果 {task.number}",
    )  # fmt: skip
    return Record.objects.get(
        provider_id=task.plan.department_id, item_code=ITEM, source_id=task.number
    ).pk
