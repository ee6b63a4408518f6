"""The one form approach of the back office's pages: a Django form per page, whose errors
are shown next to their field (``backoffice/_field.html``), whether the form itself found
them or the service did (:meth:`Form.fail` places a service's ``FieldError`` on the field
it names). Views stay thin: read the form, call the service, show what it said."""

from django import forms

from xinyong.core.errors import ValidationFailed


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
