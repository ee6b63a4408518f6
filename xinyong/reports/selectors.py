"""Reads of the reports app."""

# -- verification (anyone with a report's number and code) ------------------------------

from django.db.models import F, OuterRef, Subquery
from django.db.models.fields.json import KT

from xinyong.reports.models import Report, SigningKey
from xinyong.reports.schemas import SignatureOut, SigningKeyOut
from xinyong.reports.signing import ALG, current_public


def report_for_verification(number: str) -> dict | None:
    """What verification reads of a report, in one query by its unique number: the
    fields the answer publishes (the subject's name and code as the report states them,
    from the signed twin), the code's hash, and the public key that signed it. The
    twin's other content is not read (a large report costs the same to verify)."""
    key = SigningKey.objects.filter(key_id=OuterRef("key_id")).values("public_key")[:1]
    return (
        Report.objects.filter(number=number)
        .values(
            "id",
            "number",
            "code_hash",
            "kind",
            "issued_at",
            "valid_until",
            "content_sha256",
            "pdf_sha256",
            "key_id",
            "signature",
            subject_kind=F("subject__kind"),
            department_name=F("department__name"),
            subject_name=KT("twin__subject__name"),
            subject_code=KT("twin__subject__code"),
            issuer=KT("twin__issuer"),
            public_key=Subquery(key),
        )
        .first()
    )


def report_twin_signed(report: Report) -> dict:
    """The JSON twin as downloaded (``SignedReportOut``): the report exactly as signed and
    the platform's signature over its canonical form, with the public key that made it
    (which the reader checks against the published keys — never trusts on its own)."""
    public = (
        SigningKey.objects.filter(key_id=report.key_id).values_list("public_key", flat=True).first()
    )
    signature = SignatureOut(
        alg=ALG, key_id=report.key_id, public_key=public or "", value=report.signature
    )
    return {"report": report.twin, "signature": signature.model_dump()}


def signing_keys() -> list[SigningKeyOut]:
    """Every key that signed reports, newest first, the one signing now marked — listed
    even before its first report, so it can be published ahead of a rotation."""
    current, public = current_public()
    keys = [
        SigningKeyOut(
            key_id=k.key_id,
            public_key=k.public_key,
            first_used_at=k.first_used_at,
            last_used_at=k.last_used_at,
            current=k.key_id == current,
        )
        for k in SigningKey.objects.order_by("-first_used_at", "key_id")
    ]
    if not any(k.current for k in keys):
        keys.insert(0, SigningKeyOut(key_id=current, public_key=public, current=True))
    return keys
