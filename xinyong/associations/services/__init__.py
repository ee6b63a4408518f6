"""Writes of the associations app: each one transaction and one audit event."""

from xinyong.associations.services.keeping import (
    authorisation_end,
    authorisation_grant,
    campaign_close,
    campaign_open,
    campaign_sign,
    member_add,
    member_leave,
)
from xinyong.associations.services.sanctions import (
    sanction_decide,
    sanction_notify,
    sanction_propose,
    sanction_revoke,
    sanction_statement,
)

__all__ = [
    "authorisation_end",
    "authorisation_grant",
    "campaign_close",
    "campaign_open",
    "campaign_sign",
    "member_add",
    "member_leave",
    "sanction_decide",
    "sanction_notify",
    "sanction_propose",
    "sanction_revoke",
    "sanction_statement",
]
