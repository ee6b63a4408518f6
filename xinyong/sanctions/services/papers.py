"""A rectification order handed out as PDF in the platform's layout (``reports.render``):
to staff who see the order and to the bound portal account of the subject it is
addressed to (:attr:`Action.ENTRY_DOCUMENT` on its entry). Not public: each download is
audited."""

from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.reports.render import render_document
from xinyong.sanctions.models import RectificationOrder
from xinyong.sanctions.printing import order_number, rectification_order_doc


def rectification_order_read(
    *, actor: Actor, order_id: int, own: bool = False
) -> tuple[str, bytes]:
    """The order's PDF and file name (``own``: asked from the subject's account pages,
    where only its bound account reads); one audit event per download."""
    if own and not actor.is_portal_account:
        raise NotFound(gettext("没有整改通知 %(id)s") % {"id": order_id})
    qs = RectificationOrder.objects.select_related(
        "entry__list_type", "entry__department", "subject", "department"
    )
    if actor.is_staff:
        qs = qs.visible_to(actor)
    order = qs.filter(pk=order_id).first()
    message = gettext("没有整改通知 %(id)s") % {"id": order_id}
    if order is None:
        raise NotFound(message)
    access.require(actor, Action.ENTRY_DOCUMENT, order.entry, hide=True, message=message)
    pdf = render_document(rectification_order_doc(order))
    with transaction.atomic(durable=True):
        audit_event_append(
            actor=actor, action=AuditAction.DOCUMENT_READ, object_type="rectification",
            object_id=order.pk,
            detail={"document": "rectification_order", "number": order_number(order),
                    "entry": order.entry_id, "subject": order.subject_id},
        )  # fmt: skip
    return f"整改通知书-{order.pk}.pdf", pdf
