"""Reads of the catalog. Definitions are parsed once per version and kept in memory: a
version never changes, so the cache never goes stale; only "which version is current" is
asked of the database."""

from django.utils.translation import gettext as _

from xinyong.accounts.selectors import department_names
from xinyong.catalog.definitions import ItemDefinition
from xinyong.catalog.models import CatalogItem, CatalogItemVersion
from xinyong.core.errors import NotFound

_parsed: dict[int, ItemDefinition] = {}


def forget() -> None:
    """Drop the parsed definitions (tests: a rolled-back database reuses version ids)."""
    _parsed.clear()


def definition_of(version: CatalogItemVersion) -> ItemDefinition:
    found = _parsed.get(version.pk)
    if found is None:
        found = _parsed[version.pk] = ItemDefinition.model_validate(version.definition)
    return found


def item_current(code: str) -> tuple[CatalogItemVersion, ItemDefinition]:
    """The current version of an active item, or NotFound (an unknown item takes no records)."""
    item = (
        CatalogItem.objects.filter(code=code, is_active=True)
        .select_related("current_version")
        .first()
    )
    if item is None:
        raise NotFound(_("目录中没有启用的目录项“%(code)s”：目录外的信息不得归集") % {"code": code})
    return item.current_version, definition_of(item.current_version)


def version_definition(version_id: int) -> ItemDefinition:
    found = _parsed.get(version_id)
    if found is None:
        found = definition_of(CatalogItemVersion.objects.get(pk=version_id))
    return found


def catalog_items(*, active_only: bool = True) -> list[tuple[CatalogItem, ItemDefinition]]:
    """Every (active) item with its current definition. Only the items' rows are read: a
    version's definition, once parsed, comes from memory (reading each version's JSON again
    cost about 8 ms a call, twice in every credit report)."""
    qs = CatalogItem.objects.order_by("category", "code")
    if active_only:
        qs = qs.filter(is_active=True)
    return [(item, version_definition(item.current_version_id)) for item in qs]


def item_versions(code: str) -> list[CatalogItemVersion]:
    return list(CatalogItemVersion.objects.filter(item_code=code).order_by("-version"))


def item_names() -> dict[str, str]:
    """Every catalog item's name (current version) by its code, inactive items included: the
    one lookup pages use to name an item they hold only the code of (``administrative_penalty``
    is for machines; people read 行政处罚信息)."""
    return {d.code: d.name for _item, d in catalog_items(active_only=False)}


def provider_names(item: ItemDefinition, names: dict[str, str] | None = None) -> list[str]:
    """The departments that provide an item, by name (``*``: any department). ``names``:
    :func:`~xinyong.accounts.selectors.department_names` by code, when a page lists many
    items."""
    names = department_names(key="code") if names is None else names
    return [_("各部门") if code == "*" else names.get(code, code) for code in item.providers]
