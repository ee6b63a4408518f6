"""Output schemas of objections and repair that the portal renders."""

import datetime

from ninja import Schema

from xinyong.core import crypto
from xinyong.subjects.choices import SubjectKind


class CorrectionNoticeOut(Schema):
    """更正公告 of an entry revoked after a successful objection (a person's name masked)."""

    id: int = 0  # the objection's: its notice's anchor on the corrections page and its PDF
    subject: str
    list: str
    department: str
    decision_no: str
    revoked_at: datetime.datetime
    reason: str

    @classmethod
    def of(cls, o) -> "CorrectionNoticeOut":
        name = o.subject.name
        return cls(
            id=o.pk,
            subject=crypto.mask_name(name) if o.subject.kind == SubjectKind.PERSON else name,
            list=o.entry.list_type.name,
            department=o.entry.department.name,
            decision_no=o.entry.decision_no,
            revoked_at=o.decided_at,
            reason=o.decision_reason,
        )
