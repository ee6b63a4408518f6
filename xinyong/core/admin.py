"""An admin for reference data that changes how the platform decides (list types,
measures, memoranda, matters): every save and delete in the admin is one transaction with
an audit event naming the changed fields, and the caches of the credit check are told."""

from django.contrib import admin
from django.db import transaction

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append


class AuditedModelAdmin(admin.ModelAdmin):
    def _audit(self, request, obj, what: str, fields: list[str]) -> None:
        audit_event_append(
            actor=Actor.for_user(request.user),
            action=AuditAction.CONFIG_SAVE,
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            detail={"change": what, "fields": fields, "repr": str(obj)[:200]},
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._audit(request, obj, "change" if change else "add", list(form.changed_data))
        transaction.on_commit(_forget)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, obj, "delete", [])
            super().delete_model(request, obj)
        transaction.on_commit(_forget)


def _forget() -> None:
    from xinyong.sanctions.selectors import config_forget

    config_forget()
