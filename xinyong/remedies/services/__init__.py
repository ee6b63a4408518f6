"""Writes of objections and credit repair: who may act for a subject (:mod:`.bindings`),
objections (:mod:`.objections`), repair (:mod:`.repairs`)."""

from xinyong.remedies.services.bindings import (
    binding_request,
    binding_review,
    material_check,
    notify,
)
from xinyong.remedies.services.objections import (
    objection_decide,
    objection_file,
    objection_forward,
    objection_mark,
)
from xinyong.remedies.services.repairs import repair_apply, repair_decide, repair_targets

__all__ = [
    "binding_request", "binding_review", "material_check", "notify", "objection_decide",
    "objection_file", "objection_forward", "objection_mark", "repair_apply", "repair_decide",
    "repair_targets",
]  # fmt: skip
