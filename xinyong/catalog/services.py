"""Writes of the catalog: synchronising the shipped YAML files and the operator's revisions.
Both add versions and never edit one, so a record always reads with the definition it was
checked against."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext
from pydantic import ValidationError

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.choices import VersionSource
from xinyong.catalog.definitions import ItemDefinition
from xinyong.catalog.errors import definition_errors
from xinyong.catalog.models import CatalogItem, CatalogItemVersion
from xinyong.core.errors import FieldError, NotFound, ValidationFailed

DEFAULT_DIR = Path(__file__).resolve().parent / "default"


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)  # "code v1"
    upgraded: list[str] = field(default_factory=list)  # "code v2"
    unchanged: list[str] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)  # the operator revised it later


def parse_definition(text: str, *, source: str) -> ItemDefinition:
    """A YAML text as an item definition, or ValidationFailed naming where it is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = gettext("第%(line)s行") % {"line": mark.line + 1} if mark else ""
        message = gettext("%(where)sYAML 语法错误：%(error)s") % {"where": where, "error": e}
        raise ValidationFailed([FieldError(source, "yaml.syntax", message)]) from None
    if not isinstance(raw, dict):
        message = gettext("应为一个目录项的定义")
        raise ValidationFailed([FieldError(source, "yaml.shape", message)])
    return validate_definition(raw, source=source)


def validate_definition(raw: dict, *, source: str) -> ItemDefinition:
    """A definition as data (YAML read, or the form's fields) checked by the one rule of
    what an item may be, or ValidationFailed naming each setting in Chinese."""
    try:
        return ItemDefinition.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed(definition_errors(exc, source=source, data=raw)) from None


def digest_of(definition: ItemDefinition) -> str:
    """What a version declares, as a digest. Defaults are left out, so that a new optional
    setting of the definition format does not make every stored version look edited."""
    declared = definition.model_dump(mode="json", exclude_defaults=True)
    canonical = json.dumps(declared, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _store(definition: ItemDefinition, *, source: str, actor: Actor, note: str = "") -> None:
    version = CatalogItemVersion.objects.create(
        item_code=definition.code,
        version=definition.version,
        definition=definition.model_dump(mode="json"),
        digest=digest_of(definition),
        source=source,
        note=note,
        created_by=actor.label,
    )
    CatalogItem.objects.update_or_create(
        code=definition.code,
        defaults={
            "name": definition.name,
            "category": definition.category,
            "polarity": definition.polarity,
            "disclosure": definition.disclosure,
            "current_version": version,
        },
    )


def catalog_sync(*, actor: Actor, directory: Path = DEFAULT_DIR) -> SyncReport:
    """Bring the catalog up to the YAML files: new items and higher versions are added. A
    file whose content changed under the same version number is refused (history would be
    rewritten), and then nothing is written at all."""
    parsed: list[ItemDefinition] = []
    errors: list[FieldError] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            parsed.append(parse_definition(path.read_text("utf-8"), source=path.name))
        except ValidationFailed as e:
            errors.extend(e.errors)
    codes = [d.code for d in parsed]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(
            FieldError(
                code,
                "catalog.duplicate_item",
                gettext("目录项 %(code)s 在多个文件中定义") % {"code": code},
            )
        )
    latest = {
        v.item_code: v
        for v in CatalogItemVersion.objects.filter(item_code__in=codes).order_by("version")
    }
    report = SyncReport()
    todo: list[ItemDefinition] = []
    for d in parsed:
        have = latest.get(d.code)
        label = f"{d.code} v{d.version}"
        if have is None:
            report.added.append(label)
            todo.append(d)
        elif d.version > have.version:
            report.upgraded.append(label)
            todo.append(d)
        elif d.version == have.version and digest_of(d) != have.digest:
            errors.append(
                FieldError(
                    d.code,
                    "catalog.version_not_bumped",
                    gettext("目录项 %(code)s 的内容变了但版本号仍为 %(version)s：修改须提高版本号")
                    % {"code": d.code, "version": d.version},
                )
            )
        elif d.version < have.version:
            report.behind.append(f"{label} < v{have.version}")
        else:
            report.unchanged.append(label)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        for d in todo:
            _store(d, source=VersionSource.REPOSITORY, actor=actor)
        if todo:
            audit_event_append(
                actor=actor,
                action=AuditAction.CATALOG_SYNC,
                object_type="catalog",
                object_id="",
                detail={"added": report.added, "upgraded": report.upgraded},
            )
    return report


def catalog_item_revise(*, actor: Actor, code: str, text: str, note: str) -> CatalogItemVersion:
    """The platform operator's revision of an item written as YAML (the advanced view):
    stored as the next version (the number in the text is ignored), effective for batches
    received from now on."""
    return _revise(
        actor=actor, code=code, note=note, draft=lambda: parse_definition(text, source="definition")
    )


def catalog_item_edit(*, actor: Actor, code: str, data: dict, note: str) -> CatalogItemVersion:
    """The same revision made in the back office's form: ``data`` is the definition as the
    form's fields give it (code and version are the item's, not the form's). Refused with
    every faulty field named, as the YAML would be; nothing is written on error."""

    def draft():
        item = CatalogItem.objects.select_related("current_version").get(code=code)
        raw = {**data, "code": code, "version": item.current_version.version + 1}
        return validate_definition(raw, source="definition")

    return _revise(actor=actor, code=code, note=note, draft=draft)


def _revise(*, actor: Actor, code: str, note: str, draft) -> CatalogItemVersion:
    """One revision, however written: who may, the note, the one definition rule, a real
    change; then the new version and its audit event in one transaction."""
    access.require(
        actor, Action.ADMINISTER, message=gettext("只有平台运营人员（信用办）可以修订目录")
    )
    item = CatalogItem.objects.filter(code=code).select_related("current_version").first()
    if item is None:
        raise NotFound(gettext("没有目录项 %(code)s") % {"code": code})
    note = (note or "").strip()
    errors = []
    if not note:
        errors.append(FieldError("note", "required", gettext("修订说明必填")))
    elif len(note) > 500:
        errors.append(FieldError("note", "max_length", gettext("修订说明不得超过500个字符")))
    try:
        drafted = draft()
    except ValidationFailed as e:
        raise ValidationFailed(errors + e.errors) from None
    if errors:
        raise ValidationFailed(errors)
    if drafted.code != code:
        raise ValidationFailed(
            [FieldError("definition.code", "catalog.code_changed", gettext("目录项编码不可修改"))]
        )
    definition = drafted.model_copy(update={"version": item.current_version.version + 1})
    definition = ItemDefinition.model_validate(definition.model_dump())
    if digest_of(definition.model_copy(update={"version": item.current_version.version})) == (
        item.current_version.digest
    ):
        raise ValidationFailed(
            [FieldError("definition", "catalog.unchanged", gettext("定义没有变化"))]
        )
    with transaction.atomic():
        _store(definition, source=VersionSource.OPERATOR, actor=actor, note=note)
        audit_event_append(
            actor=actor,
            action=AuditAction.CATALOG_ITEM_REVISE,
            object_type="catalog_item",
            object_id=code,
            detail={"version": definition.version, "note": note},
        )
    return CatalogItemVersion.objects.get(item_code=code, version=definition.version)
