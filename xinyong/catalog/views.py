"""Back-office pages of the catalog: what each item holds and who provides it, its version
history, and (platform operator) revising an item as a new version."""

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.selectors import department_names
from xinyong.backoffice.access import staff_actor, take_step
from xinyong.catalog import forms, selectors, services
from xinyong.catalog.definitions import REFERENCE_LABELS
from xinyong.core.errors import ValidationFailed


@login_required
def item_list(request: HttpRequest):
    staff_actor(request)
    names = department_names(key="code")
    items = [
        (d, selectors.provider_names(d, names))
        for _, d in selectors.catalog_items(active_only=False)
    ]
    return render(request, "catalog/item_list.html", {"items": items})


@login_required
def item_detail(request: HttpRequest, code: str):
    actor = staff_actor(request)
    item = selectors.item_current(code)[1]
    text = yaml.safe_dump(item.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    post = request.method == "POST"
    form = forms.RevisionForm(request.POST if post else None, initial={"definition": text})
    ctx = {
        "item": item,
        "providers": selectors.provider_names(item),
        "versions": selectors.item_versions(code),
        "can_edit": access.allowed(actor, Action.ADMINISTER),
        "form": form,
    }
    if post:
        revise = lambda d: services.catalog_item_revise(  # noqa: E731
            actor=actor, code=code, text=d["definition"], note=d["note"]
        )
        if take_step(request, form, revise, _saved):
            return redirect("backoffice:catalog_item", code=code)
        return render(request, "catalog/item_detail.html", ctx, status=400)
    return render(request, "catalog/item_detail.html", ctx)


@login_required
def item_edit(request: HttpRequest, code: str):
    """编辑目录项: the definition as a form, each fault shown next to its field (the credit
    office only; the YAML on the item's page is the advanced view of the same revision)."""
    actor = staff_actor(request)
    access.require(actor, Action.ADMINISTER, message=_("只有平台运营人员（信用办）可以修订目录"))
    item = selectors.item_current(code)[1]
    ctx = {"item": item, "departments": department_names(key="code"), **forms.CHOICES,
           "references": [(a, REFERENCE_LABELS[a]) for a in forms.REFERENCES]}  # fmt: skip
    if request.method != "POST":
        return render(request, "catalog/item_edit.html", {**ctx, "form": forms.initial(item)})
    shown, data, row_of = forms.read(request.POST, item)
    try:
        revised = services.catalog_item_edit(actor=actor, code=code, data=data, note=shown["note"])
    except ValidationFailed as e:
        placed = forms.place(e.errors, row_of)
        for r, row in enumerate(shown["rows"]):  # a row's faults next to it
            row["errors"] = [m for k, m in placed.items() if k.split("_")[0] == f"f{r}"]
        ctx |= {"form": shown, "placed": placed, "errors": e.errors}
        return render(request, "catalog/item_edit.html", ctx, status=400)
    messages.success(request, _saved(revised))
    return redirect("backoffice:catalog_item", code=code)


def _saved(revised) -> str:
    return _("已保存为第 %(v)d 版，此后接收的批次按新版本校验") % {"v": revised.version}
