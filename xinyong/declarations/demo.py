"""The demo city's self-declarations: the demo company's agent (``qiye_demo``) declared an
honour the market regulator verified (so the credit file and the reports show a
self-declared, verified record), a contract the housing bureau has yet to verify, and a
donation left to the credit office. Idempotent: made once."""

from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.declarations import services
from xinyong.declarations.models import Declaration
from xinyong.remedies.models import SubjectBinding

# A minimal PDF: the evidence of a demo declaration (its content is checked, not read).
_PDF = b"%PDF-1.4\n% xinyong demo evidence\n" + b"0" * 64
DECLARATIONS = (
    ("honor", "信安市守合同重信用企业（2025年度）",
     "2025年度经市市场监管局公示的守合同重信用企业。", "SCJG", "scjg_reviewer"),
    ("contract", "信安市第一中学教学楼施工合同", "合同金额 3,860 万元，2026 年 8 月按期竣工验收。",
     "ZJ", None),
    ("charity", "向信安市慈善总会捐赠", "2026 年 5 月捐赠 50 万元用于乡村学校建设，有捐赠票据。",
     "", None),
)  # fmt: skip


def build_declarations(*, portal_user: str = "qiye_demo") -> int:
    """The demo company's declarations (once); how many were made."""
    user = User.objects.filter(username=portal_user).first()
    binding = SubjectBinding.objects.filter(user=user, status="approved").first() if user else None
    if binding is None or Declaration.objects.filter(subject_id=binding.subject_id).exists():
        return 0
    agent = Actor.for_user(user)
    made = 0
    for kind, title, content, department, verifier in DECLARATIONS:
        evidence = SimpleUploadedFile(f"{title}.pdf", _PDF, content_type="application/pdf")
        d = services.declaration_submit(
            actor=agent, subject_id=binding.subject_id, kind=kind, title=title,
            content=content, pledge=True, evidence=[evidence], department_code=department,
        )  # fmt: skip
        staff = User.objects.filter(username=verifier).first() if verifier else None
        if staff is not None:
            services.declaration_verify(actor=Actor.for_user(staff), declaration_id=d.pk,
                                        note="与公示名单一致")  # fmt: skip
        made += 1
    return made
