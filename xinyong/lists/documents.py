"""The documents of the designation procedure, rendered from templates and kept as issued
(:class:`~xinyong.lists.models.EntryNotice`): the prior notice, the decision, and for a
public institution or a state-owned enterprise the notice to its superior body and the
audit department."""

from django.template.loader import render_to_string
from django.utils import timezone

from xinyong.lists.models import EntryNotice, ListEntry

# Organisation forms whose designation is reported to the superior body and the auditors.
_PUBLIC_FORMS = ("事业单位", "国有", "全民所有制", "机关")


def is_public_body(subject) -> bool:
    """A public institution (USCC registered by the staffing office, institution type 2:
    事业单位) or a state-owned enterprise (its organisation form says so)."""
    uscc = subject.uscc or ""
    if uscc.startswith("12"):
        return True
    return any(word in (subject.legal_form or "") for word in _PUBLIC_FORMS)


def term_text(e: ListEntry) -> str:
    if e.permanent:
        return "终身"
    if e.term_end is None:
        return "至移出之日"
    start = e.decided_on.strftime("%Y年%-m月%-d日") if e.decided_on else "认定之日"
    return f"{start}至{e.term_end:%Y年%-m月%-d日}"


def notice_issue(entry: ListEntry, kind: str, *, number: str = "", addressee: str = "",
                 term: str = "", persons=(), extra=None) -> EntryNotice:  # fmt: skip
    """Render and keep one document of the entry (inside the caller's transaction);
    ``extra``: further context of its template (the decision's answer and remedies)."""
    now = timezone.now()
    body = render_to_string(
        f"lists/notices/{kind}.txt",
        {"e": entry, "now": now, "term": term, "persons": persons, **(extra or {})},
    )
    return EntryNotice.objects.create(
        entry=entry,
        kind=kind,
        number=number,
        addressee=addressee or entry.subject.name,
        body=body.strip(),
        created_at=now,
    )
