"""The catalog item's edit form: a definition shown as fields people fill in (name,
departments, the item's fields with their label, type, required and public flags, the
publicity rule…) and read back as the data :func:`~xinyong.catalog.services
.catalog_item_edit` validates. Reading only: no rule is decided here — a value the form
cannot read is passed on as written, and the definition's one rule names what is wrong.

Settings the form does not show (field prefix, aliases, date order) are kept from the
current version."""

import re

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.choices import Category, Disclosure, FieldType, Polarity, PublicityMode
from xinyong.catalog.definitions import ItemDefinition
from xinyong.core.forms import Form, text_field
from xinyong.core.params import whole_number
from xinyong.subjects.choices import SubjectKind

MAX_ROWS = 200  # an item has at most a few dozen fields
BLANK_ROWS = 3  # empty rows offered for new fields
FIELD_ATTRS = ("code", "name", "type", "required", "disclosure", "max_length", "choices",
               "multiple", "description")  # fmt: skip
# The settings that name one of the item's own fields, chosen from them in the form.
REFERENCES = ("source_id_field", "decision_date_field", "valid_to_field")
_SPLIT = re.compile(r"[、,，;；\n]+")


def initial(item: ItemDefinition) -> dict:
    """The form's values for the current definition, with blank rows to add fields."""
    rows = [
        {"code": f.code, "name": f.name, "type": f.type, "required": f.required,
         "disclosure": f.disclosure, "max_length": f.max_length or "",
         "choices": "、".join(f.choices or ()), "multiple": f.multiple,
         "description": f.description}
        for f in item.fields
    ]  # fmt: skip
    rows += [_blank() for _ in range(BLANK_ROWS)]
    return {
        "name": item.name, "category": item.category, "polarity": item.polarity,
        "disclosure": item.disclosure, "legal_basis": item.legal_basis,
        "providers": list(item.providers), "subject_kinds": list(item.subject_kinds),
        "publicity_mode": item.publicity.mode, "publicity_basis": item.publicity.basis,
        "retention_years": item.retention_years, "description": item.description,
        "rows": rows, "note": "",
        **{attr: getattr(item, attr) or "" for attr in REFERENCES},
    }  # fmt: skip


def _blank() -> dict:
    return {"code": "", "name": "", "type": FieldType.STRING, "required": False,
            "disclosure": Disclosure.PUBLIC, "max_length": "", "choices": "",
            "multiple": False, "description": "", "blank": True}  # fmt: skip


def read(post, current: ItemDefinition) -> tuple[dict, dict, list[int]]:
    """From a submitted form: (the form's values to show again, the definition data for the
    service, the form row of each field of that data)."""
    count = min(whole_number(post.get("rows")) or 0, MAX_ROWS)
    rows, fields, row_of = [], [], []
    kept = {f.code: f for f in current.fields}
    for r in range(count):
        row = {a: post.get(f"f{r}_{a}", "") for a in FIELD_ATTRS}
        row["required"] = bool(post.get(f"f{r}_required"))
        row["multiple"] = bool(post.get(f"f{r}_multiple"))
        row["remove"] = bool(post.get(f"f{r}_remove"))
        rows.append(row)
        if row["remove"] or not (row["code"].strip() or row["name"].strip()):
            continue  # removed, or a blank row left blank
        field = {
            "code": row["code"].strip(), "name": row["name"], "type": row["type"],
            "required": row["required"], "disclosure": row["disclosure"],
            "multiple": row["multiple"], "description": row["description"].strip(),
        }  # fmt: skip
        if row["max_length"].strip():
            field["max_length"] = row["max_length"].strip()
        choices = [c.strip() for c in _SPLIT.split(row["choices"]) if c.strip()]
        if choices:
            field["choices"] = choices
        if field["code"] in kept and kept[field["code"]].aliases:
            field["aliases"] = list(kept[field["code"]].aliases)
        fields.append(field)
        row_of.append(r)
    shown = {
        "name": post.get("name", ""), "category": post.get("category", ""),
        "polarity": post.get("polarity", ""), "disclosure": post.get("disclosure", ""),
        "legal_basis": post.get("legal_basis", ""), "providers": post.getlist("providers"),
        "subject_kinds": post.getlist("subject_kinds"),
        "publicity_mode": post.get("publicity_mode", ""),
        "publicity_basis": post.get("publicity_basis", ""),
        "retention_years": post.get("retention_years", ""),
        "description": post.get("description", ""), "rows": rows, "note": post.get("note", ""),
        **{attr: post.get(attr, "") for attr in REFERENCES},
    }  # fmt: skip
    kept_settings = {"field_prefix", "date_order"}
    data = {
        **current.model_dump(mode="json", include=kept_settings),
        "name": shown["name"], "category": shown["category"], "polarity": shown["polarity"],
        "disclosure": shown["disclosure"], "legal_basis": shown["legal_basis"],
        "providers": shown["providers"], "subject_kinds": shown["subject_kinds"],
        "publicity": {"mode": shown["publicity_mode"], "basis": shown["publicity_basis"]},
        "retention_years": shown["retention_years"],
        "description": shown["description"].strip(), "fields": fields,
        **{attr: shown[attr].strip() or None for attr in REFERENCES},
    }  # fmt: skip
    return shown, data, row_of


def place(errors, row_of: list[int]) -> dict[str, str]:
    """Each error's form control (``name``, ``f3_code``…), for showing it next to it; an
    error about the whole item or a field row as a whole goes to ``""`` / ``f3``."""
    placed: dict[str, str] = {}
    for e in errors:
        parts = e.field.split(".")
        if parts[0] == "note":
            key = "note"
        elif parts[:2] == ["definition", "fields"] and len(parts) > 2 and parts[2].isdecimal():
            n = int(parts[2])
            row = row_of[n] if n < len(row_of) else None
            key = "" if row is None else f"f{row}_{parts[3]}" if len(parts) > 3 else f"f{row}"
        elif parts[:1] == ["definition"] and len(parts) > 1:
            key = {"publicity": f"publicity_{parts[2]}" if len(parts) > 2 else ""}.get(
                parts[1], parts[1]
            )
        else:
            key = ""
        placed[key] = f"{placed[key]}；{e.message}" if key in placed else e.message
    return placed


CHOICES = {
    "categories": Category.choices,
    "polarities": Polarity.choices,
    "disclosures": Disclosure.choices,
    "types": FieldType.choices,
    "modes": PublicityMode.choices,
    "kinds": SubjectKind.choices,
}


class RevisionForm(Form):
    """The advanced view's revision: the definition as YAML and the note (the service's
    rules, each error beside its field: ``definition.fields.2.code`` on the definition)."""

    definition = text_field(_("目录项定义（YAML）"), widget=django_forms.Textarea, rows=24,
                            cols=100, spellcheck="false")  # fmt: skip
    note = text_field(_("修订说明"), required=True, max_length=500)
