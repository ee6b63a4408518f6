"""``{{ error.field|field_label }}``: the name people know a field by (core.fieldlabels)."""

from django import template

from xinyong.core.fieldlabels import field_label as _field_label

register = template.Library()


@register.filter
def field_label(field) -> str:
    return _field_label(str(field or ""))
