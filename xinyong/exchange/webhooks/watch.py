"""The subjects a subscription watches, resolved set-based into ``WebhookSubject``: a list
of codes (USCCs, or resident IDs found by their keyed hash), or a saved query — the
subjects the department registered (persons among them only for those who may watch
persons: :func:`access.watches_persons`), or the organisations whose USCC begins with a
prefix. Saved queries are resolved again by the worker (``XINYONG_WEBHOOK_REFRESH_MINUTES``)
so that subjects registered later are watched too."""

import re

from django.db import connection
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.actors import Actor
from xinyong.core import crypto
from xinyong.core.errors import FieldError
from xinyong.exchange.models import WebhookSubject, WebhookSubscription
from xinyong.exchange.webhooks.choices import WatchKind
from xinyong.subjects.choices import IdType
from xinyong.subjects.identifiers import normalize_code
from xinyong.subjects.models import Subject

MAX_CODES = 10_000
SHOWN_ERRORS = 20
PREFIX_MIN = 6
_RID = re.compile(
    r"^\d{17}[\dX]$"
)  # 登记管理部门 + 机构类别 + 4 digits of the region: a county at the widest


def codes_resolve(actor: Actor, codes: list[str]) -> tuple[list[int], list[FieldError]]:
    """Subject ids of ``codes`` (USCCs and resident IDs) the actor may watch, and an error
    per code that is unknown or not the actor's to watch (field ``subjects.<i>``)."""
    if not codes:
        return [], [FieldError("subjects", "subjects.required", _("请填写要关注的主体代码"))]
    if len(codes) > MAX_CODES:
        return [], [
            FieldError(
                "subjects", "subjects.max", _("一次最多关注 %(n)s 个主体") % {"n": MAX_CODES}
            )
        ]
    clean = [normalize_code(str(c)) for c in codes]
    rids = {c: crypto.identifier_hash(IdType.RESIDENT_ID, c) for c in clean if _RID.match(c)}
    fields = ("pk", "kind", "uscc", "id_hash", "source_department_id")
    found = {s.uscc: s for s in Subject.objects.filter(uscc__in=set(clean)).only(*fields)}
    by_hash = {
        s.id_hash: s
        for s in Subject.objects.filter(id_type=IdType.RESIDENT_ID, id_hash__in=rids.values()).only(
            *fields
        )
    }
    ids, errors = [], []
    for i, code in enumerate(clean):
        subject = found.get(code) or by_hash.get(rids.get(code, ""))
        field = f"subjects.{i}"
        if subject is None:
            errors.append(
                FieldError(
                    field,
                    "subject.unknown",
                    _("没有代码为 %(code)s 的信用主体") % {"code": _shown(code)},
                )
            )
        elif not access.allowed(actor, access.Action.WEBHOOK_WATCH, subject):
            errors.append(
                FieldError(
                    field,
                    "subject.not_watchable",
                    _("无权关注该主体的变动（自然人仅限本部门登记且有权查询自然人信息）"),
                )
            )
        else:
            ids.append(subject.pk)
    return sorted(set(ids)), errors[:SHOWN_ERRORS]


def _shown(code: str) -> str:
    """A code as an error names it: a resident ID masked (the answer is not a lookup)."""
    return crypto.mask(code) if _RID.match(code) else code[:40]


def prefix_errors(prefix: str) -> list[FieldError]:
    p = normalize_code(prefix or "")
    if len(p) < PREFIX_MIN or len(p) > 17 or not p.isalnum():
        return [
            FieldError(
                "prefix",
                "watch.prefix",
                _("代码前缀应为 %(n)s 至 17 位字母或数字") % {"n": PREFIX_MIN},
            )
        ]
    return []


def watched_replace(sub: WebhookSubscription, subject_ids: list[int]) -> None:
    """A code-list subscription's subjects, replaced (a step in the caller's transaction)."""
    WebhookSubject.objects.filter(subscription=sub).delete()
    WebhookSubject.objects.bulk_create(
        [WebhookSubject(subscription=sub, subject_id=s) for s in subject_ids], batch_size=2000
    )


def saved_query_resolve(sub: WebhookSubscription) -> int:
    """Insert the subjects a saved query names that are not watched yet (one INSERT …
    SELECT); how many were added. Persons only where ``sub.watch_persons``."""
    if sub.watch == WatchKind.CODES:
        return 0
    ws, subj = WebhookSubject._meta.db_table, Subject._meta.db_table
    where, params = [], [sub.pk]
    if sub.watch == WatchKind.REGISTERED:
        where.append("s.source_department_id = %s")
        params.append(sub.department_id)
        if not sub.watch_persons:
            where.append("s.kind <> 'person'")
    else:
        where.append("s.uscc LIKE %s")
        params.append(normalize_code(sub.watch_prefix) + "%")
    # Table names from the models, conditions from this function; values are parameters.
    sql = (
        f"INSERT INTO {ws} (subscription_id, subject_id) SELECT %s, s.id FROM {subj} s "  # noqa: S608
        f"WHERE {' AND '.join(where)} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def saved_queries_refresh(*, older_than) -> int:
    """Resolve again the saved queries of active subscriptions last resolved before
    ``older_than`` (subjects registered since are watched from now on)."""
    from django.db import transaction
    from django.utils import timezone

    added = 0
    due = WebhookSubscription.objects.filter(status="active").exclude(watch=WatchKind.CODES)
    for sub in due.filter(refreshed_at__lt=older_than):
        with transaction.atomic():
            added += saved_query_resolve(sub)
            WebhookSubscription.objects.filter(pk=sub.pk).update(refreshed_at=timezone.now())
    return added
