"""The one form approach of the back office's pages: a Django form per page, whose errors
are shown next to their field (``backoffice/_field.html``), whether the form itself found
them or the service did (:meth:`Form.fail` places a service's ``FieldError`` on the field
it names). Views stay thin: read the form, call the service, show what it said."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.errors import ValidationFailed
from xinyong.core.inputs import DB_INT_MAX


def _field_name(path: str) -> str:
    """``items[2].measure`` → ``items``; ``materials.court`` → ``materials``."""
    return path.split("[", 1)[0].split(".", 1)[0]


class Form(forms.Form):
    """A form whose invalid controls say so to assistive technology (``aria-invalid``,
    ``aria-describedby`` pointing at the message next to them)."""

    def full_clean(self):
        super().full_clean()
        self._mark()

    def fail(self, error: ValidationFailed) -> "Form":
        """Place a service's refusal on the fields it names (the rest above the form)."""
        for e in error.errors:
            name = e.field if e.field in self.fields else _field_name(e.field or "")
            self.add_error(name if name in self.fields else None, e.message)
        self._mark()
        return self

    def _mark(self) -> None:
        for name in self._errors or ():
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class RowIdField(forms.IntegerField):
    """The id of the row a queue's form acts on (a hidden field): a whole number any row
    could have; the service says whether there is such a row."""

    widget = forms.HiddenInput

    def __init__(self, **kw):
        kw.setdefault("min_value", 1)
        kw.setdefault("max_value", DB_INT_MAX)
        kw.setdefault("error_messages", {"required": _("缺少办理对象"),
                                         "invalid": _("办理对象无效")})  # fmt: skip
        super().__init__(**kw)


class RowForm(Form):
    """A form on one row of a queue: :attr:`row_id` tells the page which row's form to show
    again with its errors."""

    row_field = "id"

    def errors_elsewhere(self, row_ids) -> bool:
        """Errors about no row the page lists (a stale page, a typed request): the page
        shows them above its table instead."""
        return bool(self.is_bound and self.errors and self.row_id not in set(row_ids))

    @property
    def row_id(self) -> int | None:
        try:
            return int(self.data.get(self.row_field, ""))
        except ValueError:
            return None
