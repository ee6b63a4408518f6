"""Writes of the reports app: issuing (issue.py); verification, downloads and batches in
modules of their own as they come."""

from xinyong.reports.services.batch import (  # noqa: F401 - batches
    Coded,
    batch_code,
    batch_code_of,
    report_batch_run,
    report_batch_submit,
)
from xinyong.reports.services.issue import (  # noqa: F401 - the public services
    Issued,
    code_hash,
    pdf_path,
    policy,
    report_issue,
    report_request_check,
    verify_link,
)
from xinyong.reports.services.office import (  # noqa: F401 - downloads
    report_batch_zip,
    report_pdf_read,
)
from xinyong.reports.services.verify import (  # noqa: F401 - verification
    NOT_GENUINE,
    Verification,
    report_pdf_digest,
    report_verify,
    verify_input_check,
)
