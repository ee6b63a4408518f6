"""The demo city's credit commitments, made the way a counter makes them: paper
notify-and-commit and procurement commitments recorded by the market regulator's clerk,
most found kept; one found false after the company was heard (a negative record, a
watch-list case, notify-and-commit barred); one deficiency-tolerant acceptance still
waiting for its documents; voluntary public commitments."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.commitments import selectors, services
from xinyong.commitments.models import Commitment
from xinyong.core import workdays
from xinyong.lists.models import ListEntry
from xinyong.subjects.models import Subject

# A one-page PDF standing for a scanned paper (a demo has no scanner).
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
SCENES = [
    ("administrative_licensing", "notify", "申请食品经营许可，以告知承诺代替场所产权证明"),
    ("administrative_licensing", "notify", "申请公共场所卫生许可，以告知承诺代替检测报告"),
    ("government_procurement", "scene", "参加市级政府采购项目（信安采〔2026〕12号）投标"),
    ("public_resource_trading", "scene", "参加城区道路改造工程施工招标"),
    ("voluntary_commitment", "voluntary", "向社会公开承诺守法诚信经营"),
]


def _scan(name: str = "承诺书扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


def build_commitments(*, count: int = 15) -> int:
    """Idempotent: runs once. Returns the commitments made here. Only the kinds the
    city's matters allow (a city may have removed some templates)."""
    if Commitment.objects.exists():
        return 0
    rules = selectors.rules().matters
    scenes = [s for s in SCENES if s[1] in getattr(rules.get(s[0]), "templates", {})]
    if not scenes:
        return 0
    clerk = Actor.for_user(User.objects.get(username="scjg_clerk"))
    reviewer = Actor.for_user(User.objects.get(username="scjg_reviewer"))
    listed = ListEntry.objects.values("subject_id")
    orgs = list(
        Subject.objects.filter(kind="organization").exclude(pk__in=listed).order_by("pk")[:count]
    )
    made = []
    for n, subject in enumerate(orgs):
        matter, kind, reason = scenes[n % len(scenes)]
        made.append(
            services.commitment_record(
                actor=clerk, subject_id=subject.pk, matter=matter, kind=kind, reason=reason,
                signatory="法定代表人", scan=_scan(),
            )
        )  # fmt: skip
    for c in made[: len(made) // 2]:
        if c.check_due is not None:
            services.commitment_keep(
                actor=clerk, commitment_id=c.pk, note="经网络核查，承诺内容与部门共享数据一致"
            )
    false = next((c for c in made[len(made) // 2 :] if c.kind == "notify"), None)
    if len(orgs) < 3 or false is None:
        return len(made)
    services.commitment_breach_propose(
        actor=clerk, commitment_id=false.pk, breach_kind="false",
        reasons="经向产权登记机关核实，承诺取得的经营场所产权证明并不存在",
        evidence=_scan("核查记录.pdf"),
    )  # fmt: skip
    # The company's answer period ran out without a statement.
    Commitment.objects.filter(pk=false.pk).update(
        statement_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    services.commitment_decide(
        actor=reviewer, commitment_id=false.pk, breach=True,
        reason="陈述申辩期内未提出陈述申辩，虚假承诺事实清楚",
    )  # fmt: skip
    gaps = orgs[-1]
    licensing = rules.get("administrative_licensing")
    if licensing is None or "deficiency" not in licensing.templates:
        return len(made)
    due = workdays.add_workdays(timezone.localdate(), 10)
    services.commitment_record(
        actor=clerk, subject_id=gaps.pk, matter="administrative_licensing", kind="deficiency",
        reason="申请食品经营许可（容缺受理）", signatory="法定代表人", scan=_scan(),
        missing=[{"name": "消防安全检查合格证明", "form": "复印件加盖公章"},
                 {"name": "从业人员健康证明", "form": "原件核验"}],
        supply_due=due, late_consequence="逾期未补正的，终止办理，已受理的申请予以退回",
    )  # fmt: skip
    return len(made) + 1
