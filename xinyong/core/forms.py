"""The one form approach of the back office's pages: a Django form per page, whose errors
are shown next to their field (``backoffice/_field.html``), whether the form itself found
them or the service did (:meth:`Form.fail` places a service's ``FieldError`` on the field
it names). Views stay thin: read the form, call the service, show what it said."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.core.fieldlabels import field_label
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.params import whole_number


def _field_name(path: str) -> str:
    """``items[2].measure`` → ``items``; ``materials.court`` → ``materials``."""
    return path.split("[", 1)[0].split(".", 1)[0]


class Form(forms.Form):
    """A form whose invalid controls say so to assistive technology (``aria-invalid``,
    ``aria-describedby`` pointing at the message next to them)."""

    # A service's name of a field → the form's field its error is shown next to (when the
    # two differ: the service's ``uscc`` is the page's ``subject``).
    error_fields: dict[str, str] = {}

    def full_clean(self):
        super().full_clean()
        self._mark()

    def fail(self, error: ValidationFailed) -> "Form":
        """Place a service's refusal on the fields it names (the rest above the form)."""
        for e in error.errors:
            path = e.field or ""
            name = self.error_fields.get(path) or self.error_fields.get(_field_name(path))
            if name is None:
                name = path if path in self.fields else _field_name(path)
            if name in self.fields:
                self.add_error(name, e.message)
            else:  # above the form, named as people know the field
                label = field_label(path)
                self.add_error(None, f"{label}：{e.message}" if label else e.message)
        self._mark()
        return self

    def _mark(self) -> None:
        for name in self._errors or ():
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


def text_field(
    label, *, required=False, max_length=None, widget=forms.TextInput, strip=False, **attrs
) -> forms.CharField:
    """A text the service checks (its own messages name the rule): the browser is told
    what is expected (``required``, ``maxlength``), the form lets the text through as
    written, and the service's refusal comes back next to the field (:meth:`Form.fail`).
    ``attrs``: the control's other attributes (``autocomplete``, ``rows``…)."""
    if required:
        attrs["required"] = True
    if max_length:
        attrs["maxlength"] = str(max_length)
    return forms.CharField(label=label, required=False, strip=strip, widget=widget(attrs))


def limited_text_field(label, max_length: int, *, required=False, rows=None) -> forms.CharField:
    """A text the service checks, of at most ``max_length`` characters (what the database
    holds): the form says so beside the field when longer; the rest is the service's."""
    attrs = {"maxlength": str(max_length)}
    if required:
        attrs["required"] = True
    widget = forms.Textarea(attrs | {"rows": rows}) if rows else forms.TextInput(attrs)
    return forms.CharField(label=label, required=False, max_length=max_length, strip=False,
                           widget=widget)  # fmt: skip


class IdsField(forms.Field):
    """The ids of the boxes ticked in a list (a repeated field): values that are no whole
    number are left out; the service says which ids it knows (``core.params.ids_param``)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kw):
        kw.setdefault("required", False)
        super().__init__(**kw)

    def to_python(self, value) -> list[int]:
        return [n for n in map(whole_number, value or ()) if n is not None]

    def prepare_value(self, value) -> list[int]:  # the boxes to show ticked again
        return self.to_python(value if isinstance(value, (list, tuple)) else ())


class ValuesField(forms.Field):
    """The values of the boxes ticked in a list of choices (a repeated field), as sent: the
    service says which it knows, naming an unknown one (``forms.MultipleChoiceField`` would
    refuse it in its own words). Its boxes are laid out by the page or by the widget's
    ``choices``."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kw):
        kw.setdefault("required", False)
        super().__init__(**kw)

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        return [str(v) for v in values if str(v)]


class _Files(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files chosen at once (``<input type=file multiple>``): the list of them, the
    service saying how many and which are accepted."""

    widget = _Files

    def __init__(self, **kw):
        kw.setdefault("required", False)
        kw.setdefault("allow_empty_file", True)
        super().__init__(**kw)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in (super(FilesField, self).clean(d, initial) for d in files) if f]


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


def submit(request, form: Form, call, *, page, done, then, invalid: int = 400, refused: int = 404):
    """A page's form sent to its service, the one way: shown (``page(status)`` renders
    the page, the form in it) while unsent; sent, the service is called with the form's
    data (``call(cleaned_data)``) once the form itself found nothing wrong, then

    - the input refused (the form's or the service's ``ValidationFailed``): the page again
      with each error next to its field (``invalid``: 400, or 422 where a page says so);
    - refused by the access rules or about something not there: a 404 (``refused=404``:
      another's case or subject is not shown to exist), or the page again with the rule's
      words above the form (``refused``: its status, e.g. 403);
    - taken: ``done`` as the success message and a redirect to ``then`` (each a text or
      a function of the service's result)."""
    if not form.is_bound:
        return page(200)
    if not form.is_valid():
        return page(invalid)
    try:
        result = call(form.cleaned_data)
    except ValidationFailed as e:
        form.fail(e)
        return page(invalid)
    except (NotFound, PermissionDenied) as e:
        if refused == 404:
            raise Http404 from None
        form.add_error(None, str(e))
        return page(refused)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)
