"""How pages name things that are stored as numbers or internal words: one function per
concept, used by views, templates (through the ``humanize_zh`` filters) and messages alike,
so that a person reads 第 5 批 and 平台（自动）, never ``#5`` or ``system``."""

from django.utils.translation import gettext as _

# Actor labels the platform itself writes (audit events, procedure logs, check logs): the
# label of a signed-in user or API client is already a name (username, client name).
_ACTOR_NAMES = {
    "system": lambda: _("平台（自动）"),
    "anonymous": lambda: _("公众（未登录）"),
}


def batch_label(batch_id) -> str:
    """An ingestion batch as people call it: 第 5 批 (its number; never "批次 #5")."""
    return _("第 %(n)s 批") % {"n": batch_id}


def batch_row_label(batch_id, row) -> str:
    """Where a record came from within its batch: 第 5 批 第 1 行."""
    return _("第 %(b)s 批 第 %(n)s 行") % {"b": batch_id, "n": row}


def actor_name(label: str) -> str:
    """The name to show for an actor's stored label."""
    name = _ACTOR_NAMES.get(label)
    return name() if name else label


def choice_label(choices, value: str | None) -> str:
    """A stored enumeration value by its name (an unknown value as stored, none as "")."""
    return str(choices(value).label) if value in choices.values else (value or "")
