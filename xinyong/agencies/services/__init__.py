"""Writes of the credit service agencies, by concern; every name is re-exported here."""

from xinyong.agencies.services.access import (
    AuthorisationEnded,
    agency_read_records,
    agency_read_report,
    authorisation_grant,
    authorisation_revoke,
    authorisation_usable,
    token_issue,
    token_revoke,
)
from xinyong.agencies.services.filing import (
    agency_file,
    filing_review,
    practitioner_add,
    practitioner_end,
)
from xinyong.agencies.services.oversight import (
    misconduct_record,
    report_register,
    report_verify,
)
from xinyong.agencies.services.removal import (
    agency_removal_drop,
    agency_removal_notify,
    agency_removal_statement,
    agency_remove,
)

__all__ = [
    "AuthorisationEnded", "agency_file", "agency_read_records", "agency_read_report",
    "agency_removal_drop", "agency_removal_notify", "agency_removal_statement",
    "agency_remove", "authorisation_grant", "authorisation_revoke", "authorisation_usable",
    "filing_review", "misconduct_record", "practitioner_add", "practitioner_end",
    "report_register", "report_verify", "token_issue", "token_revoke",
]  # fmt: skip
