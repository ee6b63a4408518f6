"""What a page shows or offers the reader — which department's figures, a filter by
department, the department field, a subject's own pages — asked by views and selectors
so that none of them compares roles or capabilities itself."""

from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access.rules import _bound
from xinyong.accounts.actors import Actor
from xinyong.core.errors import FieldError, PermissionDenied, ValidationFailed


def stats_department(actor: Actor, wanted: int | None = None) -> int | None:
    """Which department's figures the statistics dashboards show ``actor`` (None: all). The
    credit office and the auditor read every department's figures (counts, never rows) and
    may narrow them to one; a department's staff read their own department's only, and a
    filter for another department is refused naming the field (a stale or crafted link
    must not silently show something else). The public has no dashboard."""
    if not actor.is_staff:
        raise PermissionDenied(str(_("无权查看统计分析")))
    if actor.reads_all_departments:
        return wanted
    if not actor.is_department_staff:
        raise PermissionDenied(str(_("该账号未归属任何部门，无法查看部门统计")))
    if wanted is not None and wanted != actor.department_id:
        raise ValidationFailed(
            [FieldError("department", "not_own", str(_("只能查看本部门的统计数据")))]
        )
    return actor.department_id


# -- readers of every department, and who names the department it acts for -----------------
def reads_every_department(actor: Actor) -> bool:
    """Reads every department's back-office data (the operator and the auditor): its lists
    offer a filter by department, and what it downloads (a chart, a monthly report) says
    "every department" rather than naming the reader's own."""
    return actor.reads_all_departments


def department_filter(actor: Actor, wanted: int | None) -> int | None:
    """The department a back-office list is narrowed to at the reader's choice: only a
    reader of every department chooses; anyone else's list is its own department's share
    already, and a department in the link is ignored."""
    return wanted if reads_every_department(actor) else None


def names_department(actor: Actor) -> bool:
    """Acts on a department's behalf by naming it (the operator submits a batch for the
    department it picks): the form offers it the department field, the service reads it."""
    return actor.writes_all_departments


def resets_password_by_email(user) -> bool:
    """Whether an account's password may be reset through a link e-mailed to it: a portal
    account only. A staff account never (a mailbox would then be enough to reach non-public
    data): the credit office sets staff passwords."""
    return not user.is_staff and Actor.for_user(user).is_portal_account


def acts_for_subject(actor: Actor, subject_id: int) -> bool:
    """A portal account bound to the subject (approved binding): the portal offers it the
    subject's own pages (its full evaluation, its own report)."""
    return actor.is_portal_account and _bound(actor, subject_id)


def association_menu(actor: Actor) -> bool:
    """An industry association's people get the association's short menu (its members,
    campaigns, sanctions, batches), not the government departments' back office."""
    return actor.is_association
