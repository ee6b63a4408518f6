"""Writes of tiered supervision and double-random inspections (one user act, one service,
one transaction, one audit event)."""

from xinyong.supervision.services.items import (
    DEFAULT_TIERS,
    conflict_declare,
    inspection_item_save,
    inspector_save,
    sector_map_set,
)
from xinyong.supervision.services.plans import (
    plan_create,
    plan_draw,
    plan_freeze,
    plan_seed_publish,
)
from xinyong.supervision.services.results import task_result_publish, task_result_record

__all__ = [
    "DEFAULT_TIERS",
    "conflict_declare",
    "inspection_item_save",
    "inspector_save",
    "plan_create",
    "plan_draw",
    "plan_freeze",
    "plan_seed_publish",
    "sector_map_set",
    "task_result_publish",
    "task_result_record",
]
