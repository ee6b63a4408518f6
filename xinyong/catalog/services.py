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
    try:
        return ItemDefinition.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed(
            [
                FieldError(
                    ".".join([source, *map(str, e["loc"])]),
                    f"catalog.{e['type']}",
                    f"{'.'.join(map(str, e['loc'])) or gettext('定义')}：{e['msg']}",
                )
                for e in exc.errors(include_url=False)
            ]
        ) from None


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
        errors.append(FieldError(code, "catalog.duplicate_item", f"目录项 {code} 在多个文件中定义"))
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
                    f"目录项 {d.code} 的内容变了但版本号仍为 {d.version}：修改须提高版本号",
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
    """The platform operator's revision of an item: stored as the next version (the number
    in the text is ignored), effective for batches received from now on."""
    access.require(
        actor, Action.ADMINISTER, message=gettext("只有平台运营人员（信用办）可以修订目录")
    )
    item = CatalogItem.objects.filter(code=code).select_related("current_version").first()
    if item is None:
        raise NotFound(gettext("没有目录项 %(code)s") % {"code": code})
    if not note.strip():
        raise ValidationFailed([FieldError("note", "required", gettext("修订说明必填"))])
    draft = parse_definition(text, source="definition")
    if draft.code != code:
        raise ValidationFailed(
            [FieldError("definition.code", "catalog.code_changed", gettext("目录项编码不可修改"))]
        )
    definition = draft.model_copy(update={"version": item.current_version.version + 1})
    definition = ItemDefinition.model_validate(definition.model_dump())
    if digest_of(definition.model_copy(update={"version": item.current_version.version})) == (
        item.current_version.digest
    ):
        raise ValidationFailed(
            [FieldError("definition", "catalog.unchanged", gettext("定义没有变化"))]
        )
    with transaction.atomic():
        _store(definition, source=VersionSource.OPERATOR, actor=actor, note=note.strip())
        audit_event_append(
            actor=actor,
            action=AuditAction.CATALOG_ITEM_REVISE,
            object_type="catalog_item",
            object_id=code,
            detail={"version": definition.version, "note": note.strip()},
        )
    return CatalogItemVersion.objects.get(item_code=code, version=definition.version)
