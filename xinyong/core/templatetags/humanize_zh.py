from django import template

from xinyong.core import labels

register = template.Library()


@register.filter
def thousands(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if hasattr(mapping, "get") else 0


@register.filter
def batch_no(value) -> str:
    """``{{ batch.id|batch_no }}`` → 第 5 批 (:func:`xinyong.core.labels.batch_label`)."""
    return labels.batch_label(value)


@register.filter
def actor_name(value) -> str:
    """``{{ event.actor|actor_name }}``: 平台（自动） for the platform's own acts."""
    return labels.actor_name(value)
