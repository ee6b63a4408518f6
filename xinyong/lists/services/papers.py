"""The designation procedure's documents handed out as PDF (prior notice, decision), in
the platform's layout (``reports.render``). They are addressed to the subject and not
public: each download — by the subject's bound account or by staff — is audited, as a
report's download is."""

from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.lists import printing, selectors
from xinyong.lists.choices import NoticeKind
from xinyong.reports.render import render_document

BUILDERS = {
    NoticeKind.PRIOR_NOTICE: printing.prior_notice_doc,
    NoticeKind.DECISION: printing.decision_doc,
}
FILE_NAMES = {NoticeKind.PRIOR_NOTICE: "事先告知书", NoticeKind.DECISION: "认定决定书"}


def entry_document_read(
    *, actor: Actor, entry_id: int, kind: str, own: bool = False
) -> tuple[str, bytes]:
    """The PDF of one document of the case and its file name, for a reader of the case's
    documents (``selectors.document_entry``; ``own``: from the subject's account pages); a
    document not (yet) issued is not found. One audit event per download."""
    entry = selectors.document_entry(actor=actor, entry_id=entry_id, own=own)
    if kind not in BUILDERS or kind not in selectors.documents_available(entry):
        raise NotFound(gettext("该案件尚未制作此文书"))
    pdf = render_document(BUILDERS[kind](entry))
    number = entry.notice_no if kind == NoticeKind.PRIOR_NOTICE else entry.decision_no
    with transaction.atomic(durable=True):
        audit_event_append(
            actor=actor, action=AuditAction.DOCUMENT_READ, object_type="list_entry",
            object_id=entry.pk,
            detail={"document": kind, "number": number, "subject": entry.subject_id},
        )  # fmt: skip
    return f"{FILE_NAMES[kind]}-{entry.pk}.pdf", pdf
