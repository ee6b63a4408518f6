"""Writes of credit commitments: the credit office's rules and templates (:mod:`.templates`),
signing online and recording paper ones (:mod:`.signing`), fulfilment — kept, breach
proposed, heard, decided, the daily sweep, bars lifted (:mod:`.fulfilment`) — and what
they put in the credit file (:mod:`.filing`)."""

from xinyong.commitments.services.fulfilment import (
    bars_lift,
    commitment_breach_propose,
    commitment_decide,
    commitment_keep,
    commitment_statement,
    commitments_sweep,
)
from xinyong.commitments.services.signing import commitment_record, commitment_sign
from xinyong.commitments.services.templates import matter_rule_set, template_save

__all__ = [
    "bars_lift",
    "commitment_breach_propose",
    "commitment_decide",
    "commitment_keep",
    "commitment_record",
    "commitment_sign",
    "commitment_statement",
    "commitments_sweep",
    "matter_rule_set",
    "template_save",
]
