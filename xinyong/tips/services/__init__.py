"""Writes of rewarded tips: filing and routing (:mod:`.filing`), the department's handling —
acceptance, decision, the record, the reward (:mod:`.handling`), the transfer to the
competent department (:mod:`.transfer`), the credit office's settings (:mod:`.settings`).
Each write is one transaction and one audit event."""

from xinyong.tips.services.filing import receipt_normalize, tip_file, tip_route
from xinyong.tips.services.handling import (
    tip_acknowledge,
    tip_claim,
    tip_decide,
    tip_record,
    tip_reward,
    tip_reward_paid,
    tips_record_pending,
)
from xinyong.tips.services.settings import tip_domain_save, tip_policy, tip_policy_save
from xinyong.tips.services.transfer import tip_transfer

__all__ = [
    "receipt_normalize", "tip_acknowledge", "tip_claim", "tip_decide", "tip_domain_save",
    "tip_file", "tip_policy", "tip_policy_save", "tip_record", "tip_reward",
    "tip_reward_paid", "tip_route", "tip_transfer", "tips_record_pending",
]  # fmt: skip
