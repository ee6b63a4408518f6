# ruff: noqa: E501 - the matrix is a table, one line per URL
"""The authorization matrix: every page of the URL configuration and every endpoint of the
OpenAPI description, asked by each kind of actor, with the answer each must get.

Columns (actors), in this order:

    anon     nobody signed in
    unbound  a portal account bound to no subject
    bound    the portal account bound to 华为 (the subject every object below is about)
    clerk    a clerk of the owning department (市场监管; API: its business system's token)
    review   a reviewer of the owning department (session)
    other    a clerk of another department (税务; API: its business system's token)
    audit    the auditor (session)
    office   the credit office's platform operator (session)

Cells: ``200`` ``302`` ``400`` ``401`` ``403`` ``404`` ``422`` exactly; ``login`` a
redirect to a sign-in page; ``denied`` a back-office step refused by the access rules and
told as a message on the page it returns to (``backoffice.access.refused``); ``ok``
passed the gate (any answer below 500 that is not 401, 403, 404 or a redirect to sign in
— e.g. 422 for a body the gate let through). Unsafe requests send a body the gate lets
through to the rule behind it: a refusal is then the rule's, not the form's.

Every object a URL names (a batch, a record, an entry, an objection, a repair material, a
binding, a check…) belongs to the owning department and to 华为. Adding a page or an
endpoint: add one line to ``PAGES`` or ``ENDPOINTS``; a URL without a line fails
:func:`test_every_page_and_endpoint_has_a_row`, naming it."""

import datetime
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.conftest import HUAWEI, RID

ACTORS = ("anon", "unbound", "bound", "clerk", "review", "other", "audit", "office")
UNKNOWN_USCC = "91339900MA1X2Y3B1X"  # valid, registered by nobody


def row(method: str, route: str, expect: str, body: str | None = None, **params: str):
    """One line of the matrix: ``route`` as written in the URLconf (pages) or the OpenAPI
    description (endpoints); ``params``: which object of the world fills each parameter;
    ``body``: the name of a request body in :data:`BODIES`."""
    cells = expect.split()
    assert len(cells) == len(ACTORS), f"{method} {route}: {len(cells)} cells, not {len(ACTORS)}"
    return (method, route), (dict(zip(ACTORS, cells, strict=True)), params, body)


# fmt: off
PAGES = dict([
    #    method URL pattern                              anon  unbound bound clerk review other audit office
    row("GET", "",                                       "200   200   200   200   200   200   200   200"),
    row("GET", "search/?q=华为",                          "200   200   200   200   200   200   200   200"),
    row("GET", "subjects/<int:pk>/",                     "200   200   200   200   200   200   200   200", pk="subject"),
    row("GET", "publicity/",                             "200   200   200   200   200   200   200   200"),
    row("GET", "publicity/<int:pk>/",                    "200   200   200   200   200   200   200   200", pk="publication"),
    row("GET", "roll/",                                  "200   200   200   200   200   200   200   200"),
    row("GET", "corrections/",                           "200   200   200   200   200   200   200   200"),
    row("GET", "lists/",                                 "200   200   200   200   200   200   200   200"),
    row("GET", "lists/<str:code>/",                      "200   200   200   200   200   200   200   200", code="list_code"),
    row("GET", "lists/<str:code>/?q=91440300MA5X",       "400   400   400   400   400   400   400   400", code="list_code"),
    row("GET", "policies/",                              "200   200   200   200   200   200   200   200"),
    row("GET", "policies/<str:slug>/",                   "200   200   200   200   200   200   200   200", slug="policy"),
    row("GET", "services/",                              "200   200   200   200   200   200   200   200"),
    row("GET", "healthz",                                "200   200   200   200   200   200   200   200"),
    row("GET", "corrections/<int:pk>/notice.pdf",        "200   200   200   200   200   200   200   200", pk="correction"),
    row("GET", "account/register/",                      "200   200   200   200   200   200   200   200"),
    row("GET", "account/login/",                         "200   200   200   200   200   200   200   200"),
    row("POST", "account/logout/",                       "302   302   302   302   302   302   302   302"),
    row("GET", "account/",                               "login 200   200   200   200   200   200   200"),
    row("POST", "account/",                              "login 400   400   403   403   403   403   403", body="bind"),
    row("POST", "account/subjects/<int:pk>/objections/new/", "login 404 400 404   404   404   404   404", body="portal_objection", pk="subject"),
    row("GET", "account/subjects/<int:pk>/",             "login 404   200   404   404   404   404   404", pk="subject"),
    row("GET", "account/subjects/<int:pk>/objections/new/", "login 404 200  404   404   404   404   404", pk="subject"),
    row("GET", "account/password-reset/",                "200   200   200   200   200   200   200   200"),
    row("GET", "account/password-reset/sent/",           "200   200   200   200   200   200   200   200"),
    row("GET", "account/password-reset/<uidb64>/<token>/", "200 200   200   200   200   200   200   200", uidb64="uidb64", token="reset_token"),
    row("GET", "account/password-reset/complete/",       "200   200   200   200   200   200   200   200"),
    row("GET", "account/subjects/<int:pk>/repairs/new/", "login 404   200   404   404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/repairs/new/", "login 404 400 404   404   404   404   404", pk="subject"),
    # Documents of a list case addressed to the subject, and its statement (the world's entry
    # is published: the statement period is over, so the bound account's filing is refused).
    row("GET", "account/entries/<int:pk>/prior-notice.pdf", "login 404 200 404  404   404   404   404", pk="entry"),
    row("GET", "account/entries/<int:pk>/decision.pdf",  "login 404   200   404   404   404   404   404", pk="entry"),
    row("GET", "account/entries/<int:pk>/statement/",    "login 404   200   404   404   404   404   404", pk="entry"),
    row("POST", "account/entries/<int:pk>/statement/",   "login 404   400   404   404   404   404   404", body="statement", pk="entry"),
    row("GET", "account/rectifications/<int:pk>/order.pdf", "login 404 200 404  404   404   404   404", pk="order"),
    row("POST", "i18n/setlang/",                         "302   302   302   302   302   302   302   302"),
    row("GET", "admin/",                                 "login login login 200   200   200   200   200"),
    row("GET", "api/v1/",                                "404   404   404   404   404   404   404   404"),
    row("GET", "api/v1/openapi.json",                    "200   200   200   200   200   200   200   200"),
    row("GET", "api/v1/docs",                            "200   200   200   200   200   200   200   200"),
    row("GET", "backoffice/login/",                      "200   200   200   200   200   200   200   200"),
    row("POST", "backoffice/logout/",                    "302   302   302   302   302   302   302   302"),
    row("GET", "backoffice/",                            "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/code-defects/",               "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/code-defects/",              "login 403   403   denied denied denied denied 302"),
    row("GET", "backoffice/subjects/",                   "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/subjects/?by=name&q=华为",     "login 403   403   200   200   200   200   200"),
    row("GET", f"backoffice/subjects/?by=person_id&q={RID}", "login 403 403 200  200   200   400   200"),
    row("GET", "backoffice/subjects/<int:pk>/",          "login 403   403   200   200   200   200   200", pk="subject"),
    row("GET", "backoffice/audit/",                      "login 403   403   403   403   403   200   200"),
    row("GET", "backoffice/audit/?date_from=x",          "login 403   403   403   403   403   400   400"),
    # File exchange (issue #17 item 4): the daily digests and packages received, an oversight read (the credit office and the auditor)
    row("GET", "backoffice/exchange/digests/",           "login 403   403   403   403   403   200   200"),
    row("GET", "backoffice/api-clients/",                "login 403   403   403   403   403   403   200"),
    row("POST", "backoffice/api-clients/",               "login 403   403   403   403   403   403   ok"),
    row("POST", "backoffice/api-clients/<int:pk>/revoke/", "login 403 403  denied denied denied denied 302", pk="spare_client"),
    row("GET", "backoffice/calendar/?year=2027&month=1", "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/calendar/import/",            "login 403   403   403   403   403   403   200"),
    row("POST", "backoffice/calendar/import/",           "login 403   403   403   403   403   403   ok", body="notice"),
    row("GET", "backoffice/batches/",                    "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/batches/upload/",             "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/batches/upload/",            "login 403   403   302   403   302   403   302", body="upload"),
    row("GET", "backoffice/batches/<int:pk>/",           "login 403   403   200   200   404   200   200", pk="batch"),
    row("POST", "backoffice/batches/<int:pk>/retry/",    "login 403   403   302   403   404   403   302", pk="batch"),
    row("GET", "backoffice/batches/<int:pk>/report.csv", "login 403   403   200   200   404   200   200", pk="batch"),
    row("GET", "backoffice/quality/",                    "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/records/<int:pk>/withdraw/", "login 403   403   302   403   403   403   302", body="withdraw", pk="spare_record"),
    row("GET", "backoffice/publicity/timeliness/",       "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/publicity/rules/",            "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/publicity/rules/",           "login 403   403   denied denied denied denied 400", body="rule"),
    row("GET", "backoffice/publicity/withdrawals/",      "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/lists/",                      "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/lists/new/",                  "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/lists/new/",                 "login 403   403   400   403   400   403   400", body="case"),
    row("GET", "backoffice/lists/<int:pk>/",             "login 403   403   200   200   200   200   200", pk="entry"),
    # review: the step passes the gate and the procedure refuses it (published already): the case page again, 400, the refusal shown with the step's form (each step's errors beside its fields)
    row("POST", "backoffice/lists/<int:pk>/",            "login 403   403   denied 400  denied denied denied", body="step", pk="entry"),
    row("POST", "backoffice/lists/<int:pk>/follow-up/",  "login 403   403   302   302   302   302   302", pk="entry"),
    row("GET", "backoffice/lists/<int:pk>/prior-notice.pdf", "login 403 403 200 200   200   200   200", pk="entry"),
    row("GET", "backoffice/lists/<int:pk>/decision.pdf", "login 403   403   200   200   200   200   200", pk="entry"),
    row("GET", "backoffice/lists/statement-files/<int:pk>/", "login 403 403 200 200   404   200   200", pk="statement_file"),
    row("GET", "backoffice/rectifications/<int:pk>/order.pdf", "login 403 403 200 200  404   200   200", pk="order"),
    row("GET", "backoffice/roll/",                       "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/roll/?period=2026-11",        "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/roll/",                      "login 403   403   denied denied denied denied 302", body="roll"),
    row("GET", "backoffice/bindings/",                   "login 403   403   200   200   200   403   200"),
    row("POST", "backoffice/bindings/",                  "login 403   403   ok    ok    denied denied ok", body="review_binding"),
    row("GET", "backoffice/bindings/<int:pk>/evidence/", "login 403   403   200   200   404   404   200", pk="binding"),
    row("GET", "backoffice/objections/",                 "login 403   403   200   200   200   403   200"),
    row("POST", "backoffice/objections/",                "login 403   403   denied denied denied denied 302", body="mark"),
    row("GET", "backoffice/objections/<int:pk>/evidence/", "login 403 403 200   200   404   404   200", pk="objection"),
    row("GET", "backoffice/repairs/",                    "login 403   403   200   200   200   403   200"),
    row("POST", "backoffice/repairs/",                   "login 403   403   denied ok   denied denied denied", body="repair_decision"),
    row("GET", "backoffice/repairs/materials/<int:pk>/", "login 403   403   200   200   404   404   200", pk="material"),
    row("GET", "backoffice/checks/",                     "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/checks/",                    "login 403   403   200   200   200   403   200", body="page_check"),
    row("GET", "backoffice/checks/log/",                 "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/checks/batch/",               "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/checks/<int:pk>/feedback/",  "login 403   403   400   400   302   302   302", pk="check"),  # no answer: the check shown again, saying so
    row("GET", "backoffice/tasks/",                      "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/effectiveness/",              "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/catalog/",                    "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/catalog/<str:code>/",         "login 403   403   200   200   200   200   200", code="item"),
    row("POST", "backoffice/catalog/<str:code>/",        "login 403   403   denied denied denied denied 400", code="item"),
    row("GET", "backoffice/catalog/<str:code>/edit/",    "login 403   403   403   403   403   403   200", code="item"),
    row("POST", "backoffice/catalog/<str:code>/edit/",   "login 403   403   403   403   403   403   400", code="item"),
    # Credit reports: where to get them (a public report by number+code; the others by who asked)
    row("POST", "subjects/<int:pk>/report/",             "302   302   302   302   302   302   302   302", pk="subject"),
    row("GET", "reports/<str:number>/?c=MATRIX",          "200   200   200   200   200   200   200   200", number="public_report"),
    row("GET", "reports/<str:number>/",                  "404   404   404   200   200   404   404   200", number="dept_report"),
    row("GET", "reports/<str:number>/report.pdf?c=MATRIX", "200 200   200   200   200   200   200   200", number="public_report"),
    row("GET", "reports/<str:number>/report.pdf",        "404   404   200   404   404   404   404   404", number="own_report"),
    row("GET", "reports/<str:number>/report.json?c=MATRIX", "404 404  200   404   404   404   404   404", number="own_report"),
    row("GET", "reports/<str:number>/report.json",       "404   404   404   200   200   404   404   200", number="dept_report"),
    row("GET", "account/subjects/<int:pk>/reports/",     "login 404   200   404   404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/reports/",    "login 404   400   404   404   404   404   404", body="report_form", pk="subject"),
    row("GET", "verify/",                                "200   200   200   200   200   200   200   200"),
    row("GET", "verify/?n={n}&c={c}",                    "200   200   200   200   200   200   200   200", n="report", c="report_code"),
    row("POST", "verify/",                               "200   200   200   200   200   200   200   200", body="verify"),
    row("GET", "verify/keys/",                           "200   200   200   200   200   200   200   200"),
    row("GET", "backoffice/reports/",                    "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/reports/",                   "login 403   403   200   200   200   403   200", body="report_page"),
    row("GET", "backoffice/reports/<int:pk>/pdf/",       "login 403   403   200   200   404   403   200", pk="report_pk"),
    row("GET", "backoffice/reports/batches/new/",        "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/reports/batches/new/",       "login 403   403   302   302   302   403   302", body="report_batch_page"),
    row("GET", "backoffice/reports/batches/<int:pk>/",   "login 403   403   200   200   404   200   200", pk="report_batch"),
    row("GET", "backoffice/reports/batches/<int:pk>/zip/", "login 403 403   200   200   404   403   200", pk="report_batch"),
    # Self-declaration: the bound account declares (no evidence: refused after the gate); the routed department (市场监管) or the credit office verifies (no reason to a refusal: refused after the gate)
    row("GET", "account/subjects/<int:pk>/declarations/", "login 404 200   404   404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/declarations/", "login 404 400  404   404   404   404   404", body="declaration", pk="subject"),
    # Early warning (issue #18): a department's alerts (another department's not found; the auditor reads, never acts); the credit office's rules; the subject's warning notices
    row("GET", "backoffice/alerts/",                     "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/alerts/<int:pk>/",            "login 403   403   200   200   404   200   200", pk="alert"),
    row("POST", "backoffice/alerts/<int:pk>/",           "login 403   403   400   400   404   denied 400", body="alert_close", pk="alert"),
    row("GET", "backoffice/alerts/notices/<int:pk>.pdf", "login 403   403   200   200   404   200   200", pk="warning_notice"),
    row("GET", "backoffice/alerts/precision/",           "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/alerts/rules/",               "login 403   403   403   403   403   403   200"),
    row("POST", "backoffice/alerts/rules/",              "login 403   403   403   403   403   403   400", body="alert_rule"),
    row("GET", "backoffice/alerts/rules/<int:pk>/",      "login 403   403   403   403   403   403   200", pk="alert_rule"),
    row("POST", "backoffice/alerts/rules/<int:pk>/",     "login 403   403   403   403   403   403   400", body="alert_rule", pk="alert_rule"),
    row("GET", "account/subjects/<int:pk>/warnings/",    "login 404   200   404   404   404   404   404", pk="subject"),
    row("GET", "account/warnings/<int:pk>/notice.pdf",   "login 404   200   200   200   404   200   200", pk="warning_notice"),
    row("GET", "backoffice/declarations/",               "login 403   403   200   200   200   403   200"),
    row("GET", "backoffice/declarations/<int:pk>/",      "login 403   403   200   200   404   404   200", pk="declaration"),
    row("POST", "backoffice/declarations/<int:pk>/",     "login 403   403   400   400   404   404   400", body="declaration_refusal", pk="declaration"),
    row("GET", "backoffice/declarations/evidence/<int:pk>/", "login 403 403 200  200   404   404   200", pk="declaration_evidence"),
    # Rewarded tips (issue #18 item 3): anyone files (an empty text: refused after the gate) and follows by receipt code (a malformed code: 400); the department handles its own (the auditor and the credit office see, never handle: declining is refused to them); the department or the credit office transfers (an unknown department: refused after the gate); evidence to the department only; routing table and periods: the credit office
    row("GET", "tips/",                                  "200   200   200   200   200   200   200   200"),
    row("GET", "tips/?q=华为",                            "200   200   200   200   200   200   200   200"),
    row("GET", "tips/new/<int:pk>/",                     "200   200   200   200   200   200   200   200", pk="subject"),
    row("POST", "tips/new/<int:pk>/",                    "400   400   400   400   400   400   400   400", body="tip_empty", pk="subject"),
    row("GET", "tips/follow/",                           "200   200   200   200   200   200   200   200"),
    row("POST", "tips/follow/",                          "400   400   400   400   400   400   400   400", body="tip_receipt_bad"),
    row("GET", "backoffice/tips/",                       "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/tips/?overdue=1",             "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/tips/<int:pk>/",              "login 403   403   200   200   404   200   200", pk="tip"),
    row("POST", "backoffice/tips/<int:pk>/",             "login 403   403   400   400   404   denied denied", body="tip_decline", pk="tip"),
    row("POST", "backoffice/tips/<int:pk>/?transfer",    "login 403   403   400   400   404   denied 400", body="tip_transfer", pk="tip"),
    row("GET", "backoffice/tips/evidence/<int:pk>/",     "login 403   403   200   200   404   404   404", pk="tip_evidence"),
    row("GET", "backoffice/tips/settings/",              "login 403   403   403   403   403   403   200"),
    row("POST", "backoffice/tips/settings/",             "login 403   403   403   403   403   403   400", body="tip_policy"),
    # Credit commitments in the back office (issue #15): the world's commitment was found false and awaits the subject's statement, so a decision is refused after the gate (400 for its reviewer) and nothing changes.
    row("GET", "backoffice/commitments/",                "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/commitments/new/",            "login 403   403   200   200   200   403   200"),
    row("POST", "backoffice/commitments/new/",           "login 403   403   400   400   400   403   400", body="commitment_record"),
    row("GET", "backoffice/commitments/<int:pk>/",       "login 403   403   200   200   404   200   200", pk="office_commitment"),
    row("POST", "backoffice/commitments/<int:pk>/",      "login 403   403   403   400   404   403   403", body="commitment_decide", pk="office_commitment"),
    row("GET", "backoffice/commitments/<int:pk>/scan/",  "login 403   403   200   200   404   200   200", pk="office_commitment"),
    row("GET", "backoffice/commitments/<int:pk>/evidence/", "login 403 403  200   200   404   200   200", pk="office_commitment"),
    row("GET", "backoffice/commitments/settings/",       "login 403   403   403   403   403   403   200"),
    # Public credit evaluation (issue #16): every staff member reads the overview and the models; the operator requests a run (no kind: incremental), loads a model (a file not a model: refused after the gate) and sets what the public sees
    row("GET", "backoffice/evaluation/",                 "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/evaluation/runs/",           "login 403   403   403   403   403   403   302"),
    row("GET", "backoffice/evaluation/models/",          "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/evaluation/models/",         "login 403   403   403   403   403   403   400", body="evaluation_model"),
    row("GET", "backoffice/evaluation/models/<int:pk>/", "login 403   403   200   200   200   200   200", pk="evaluation_model"),
    row("GET", "backoffice/evaluation/publication/",     "login 403   403   403   403   403   403   200"),
    row("POST", "backoffice/evaluation/publication/",    "login 403   403   403   403   403   403   302", body="evaluation_publication"),
    row("GET", "backoffice/commitments/settings/<str:code>/", "login 403 403 403  403   403   403   200", code="commitment_matter"),
    row("POST", "backoffice/commitments/settings/<str:code>/", "login 403 403 403 403   403   403   400", body="commitment_rule", code="commitment_matter"),
    # Credit commitments on the portal (issue #15): the public column; the bound account signs
    # (no pledge: refused after the gate), follows its own and answers a proposed breach (the
    # world's commitment, on paper, has no breach proposed: the statement is refused after
    # the gate).
    row("GET", "commitments/",                           "200   200   200   200   200   200   200   200"),
    row("GET", "commitments/?page=0",                    "400   400   400   400   400   400   400   400"),
    row("GET", "subjects/<int:pk>/?tab=commitments",     "200   200   200   200   200   200   200   200", pk="subject"),
    row("GET", "subjects/<int:pk>/?tab=inspections",     "200   200   200   200   200   200   200   200", pk="subject"),
    row("GET", "account/subjects/<int:pk>/commitments/new/", "login 404 200 404  404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/commitments/new/", "login 404 400 404 404   404   404   404", body="commitment_sign", pk="subject"),
    # Public credit evaluation on the portal (issue #16): the public tab (what the office publishes); the company's own full explanation, its bound account only
    row("GET", "subjects/<int:pk>/?tab=evaluation",      "200   200   200   200   200   200   200   200", pk="subject"),
    row("GET", "account/subjects/<int:pk>/evaluation/",  "login 404   200   404   404   404   404   404", pk="subject"),
    row("GET", "account/commitments/",                   "login 200   200   200   200   200   200   200"),
    row("GET", "account/commitments/<int:pk>/",          "login 404   200   404   404   404   404   404", pk="commitment_pk"),
    row("POST", "account/commitments/<int:pk>/",         "login 404   400   404   404   404   404   404", body="commitment_statement", pk="commitment_pk"),
    # Double-random inspections (issue #16): the public results column and a plan's
    # verification page; the back office's items, inspectors and plans (the world's plan of
    # the market regulator is drawn; another department's is not found; a step the auditor
    # may not take is refused after the gate).
    row("GET", "inspections/",                           "200   200   200   200   200   200   200   200"),
    row("GET", "inspections/?page=0",                    "400   400   400   400   400   400   400   400"),
    row("GET", "inspections/plans/<str:number>/",        "200   200   200   200   200   200   200   200", number="plan_number"),
    row("GET", "backoffice/inspections/items/",          "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/inspections/items/",         "login 403   403   400   400   400   400   400", body="inspection_item"),
    row("GET", "backoffice/inspections/inspectors/",     "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/inspections/inspectors/",    "login 403   403   400   400   400   denied 400", body="inspector"),
    row("GET", "backoffice/inspections/plans/",          "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/inspections/plans/",         "login 403   403   400   400   400   denied 400", body="inspection_plan"),
    row("GET", "backoffice/inspections/plans/<int:pk>/", "login 403   403   200   200   404   200   200", pk="plan"),
    row("POST", "backoffice/inspections/plans/<int:pk>/", "login 403  403   400   400   404   denied 400", body="plan_step", pk="plan"),
    row("GET", "backoffice/inspections/plans/<int:pk>/candidates.txt", "login 403 403 200 200 404 200  200", pk="plan"),
    row("GET", "backoffice/inspections/plans/<int:pk>/pool.txt", "login 403 403  200   200   404   200   200", pk="plan"),
    # Effectiveness tracking (issue #17): every staff member sees scorecards (a department its own; another's is refused), the reports and their files (a department's file holds its own row); only the credit office generates a month (the world's last month exists already: said so, nothing written)
    row("GET", "backoffice/scorecards/",                 "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/scorecards/?month=2026-13",   "login 403   403   400   400   400   400   400"),
    row("GET", "backoffice/scorecards/departments/<str:code>/", "login 403 403 200 200  403   200   200", code="department_code"),
    row("GET", "backoffice/scorecards/reports/",         "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/scorecards/reports/",        "login 403   403   denied denied denied denied 302", body="monthly_report"),
    row("GET", "backoffice/scorecards/reports/<str:month>/report.pdf", "login 403 403 200 200 200  200   200", month="report_month"),
    row("GET", "backoffice/scorecards/reports/<str:month>/report.xlsx", "login 403 403 200 200 200 200   200", month="report_month"),
    # Change subscriptions (webhooks, issue #17): the department's own (another's is not found); the auditor reads, never acts; a registration without a kind is refused after the gate
    row("GET", "backoffice/webhooks/",                   "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/webhooks/",                  "login 403   403   400   400   400   denied 400", body="webhook_page"),
    row("GET", "backoffice/webhooks/<int:pk>/",          "login 403   403   200   200   404   200   200", pk="webhook"),
    row("POST", "backoffice/webhooks/<int:pk>/",         "login 403   403   302   302   404   denied 302", body="webhook_step", pk="webhook"),
    # Statistics (issue #17): every staff member sees the dashboard (a department its own
    # figures: another department's filter is refused, 400); the public page is for everyone
    row("GET", "statistics/",                            "200   200   200   200   200   200   200   200"),
    row("GET", "backoffice/statistics/",                 "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/statistics/?department=SW",   "login 403   403   400   400   200   200   200"),
    row("GET", "backoffice/statistics/?date_from=x",     "login 403   403   400   400   400   400   400"),
    # Public bodies (issue #18, item 6): the world's public institution (市第一人民医院) was designated by 市场监管, whose notice's receipts (named bodies, not on the platform) it follows; a paper receipt without its proof and a profile with an unknown department are refused after the gate; a staff misconduct notice without facts too.
    row("GET", "backoffice/notice-receipts/",            "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/notice-receipts/<int:pk>/",   "login 403   403   200   200   404   200   200", pk="notice_receipt"),
    row("POST", "backoffice/notice-receipts/<int:pk>/",  "login 403   403   400   400   404   denied 400", body="paper_receipt", pk="notice_receipt"),
    row("GET", "backoffice/staff-misconduct/",           "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/staff-misconduct/",          "login 403   403   400   400   400   403   400", body="misconduct"),
    row("GET", "backoffice/public-bodies/",              "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/public-bodies/<int:pk>/",     "login 403   403   200   200   200   200   200", pk="public_body"),
    row("POST", "backoffice/public-bodies/<int:pk>/",    "login 403   403   400   400   denied denied 400", body="public_body_profile", pk="public_body"),
    # Practitioner credit files (issue #18, item 7): the world's profession (执业药师) is 市场监管's; its clerk registers (bad input: 400), nobody else; a file is read by its department and the operator (never the auditor); the person's own page: its bound account (华为's account has none: an empty page).
    row("GET", "backoffice/professions/",                "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/professions/",               "login 403   403   403   403   403   403   400", body="profession"),
    row("GET", "backoffice/practitioners/",              "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/practitioners/",             "login 403   403   400   403   403   403   403", body="practitioner"),
    row("GET", "backoffice/practitioners/<int:pk>/",     "login 403   403   200   200   404   404   200", pk="practitioner"),
    row("GET", "account/subjects/<int:pk>/practitioner/", "login 404  200   404   404   404   404   404", pk="subject"),
    # The public column of practitioners (PRACTITIONER_PUBLIC_READ): open to everyone; the world's profession publishes nothing, so its search is refused and its practitioner's public page is not found, for every actor alike.
    row("GET", "practitioners/",                         "200   200   200   200   200   200   200   200"),
    row("GET", "practitioners/?profession=pharmacist&q=张三", "400 400 400   400   400   400   400   400"),
    row("GET", "practitioners/<int:pk>/",                "404   404   404   404   404   404   404   404", pk="practitioner"),
    row("GET", "backoffice/statistics/<str:key>.xlsx",   "login 403   403   200   200   200   200   200", key="stats_chart"),
    # Integrity demonstration units (issue #18): the public sees published campaigns; staff
    # see their department's campaigns (another's is not found); a clerk records, a reviewer
    # decides; the auditor reads, never acts. Bodies refused by the service after the gate.
    row("GET", "demonstration/",                         "200   200   200   200   200   200   200   200"),
    row("GET", "demonstration/<int:pk>/",                "200   200   200   200   200   200   200   200", pk="demo_campaign"),
    row("GET", "backoffice/demonstration/",              "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/demonstration/",             "login 403   403   400   400   400   denied 400", body="demo_campaign"),
    row("GET", "backoffice/demonstration/<int:pk>/",     "login 403   403   200   200   404   200   200", pk="demo_campaign"),
    row("POST", "backoffice/demonstration/<int:pk>/",    "login 403   403   400   400   404   denied 400", body="demo_unit", pk="demo_campaign"),
    row("GET", "backoffice/demonstration/units/<int:pk>/", "login 403 403   200   200   404   200   200", pk="demo_unit"),
    row("POST", "backoffice/demonstration/units/<int:pk>/", "login 403 403  denied 400   404   denied 400", body="demo_revoke", pk="demo_unit"),
    row("GET", "account/subjects/<int:pk>/demonstration/", "login 404 200 404  404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/demonstration/", "login 404 400 404 404   404   404   404", body="demo_online", pk="subject"),
    # Industry associations (issue #18 item 2): departments grant (an empty basis is refused after the gate), the association's own pages are its people's only (none of these actors), the member's bound account signs (the campaign is closed: refused after the gate) and answers (an empty statement: refused after the gate).
    row("GET", "backoffice/associations/",               "login 403   403   403   403   403   403   403"),
    row("GET", "backoffice/associations/authorisations/", "login 403 403   200   200   200   200   200"),
    row("POST", "backoffice/associations/authorisations/", "login 403 403  400   400   400   denied 400", body="association_grant"),
    row("POST", "backoffice/associations/authorisations/<int:pk>/end/", "login 403 403 400 400 denied denied 400", body="association_end", pk="authorisation"),
    row("GET", "backoffice/associations/members/",       "login 403   403   403   403   403   403   403"),
    row("POST", "backoffice/associations/members/",      "login 403   403   403   403   403   403   403", body="association_member"),
    row("POST", "backoffice/associations/members/<int:pk>/leave/", "login 403 403 denied denied denied denied denied", body="association_leave", pk="membership"),
    row("GET", "backoffice/associations/campaigns/",     "login 403   403   403   403   403   403   403"),
    row("POST", "backoffice/associations/campaigns/",    "login 403   403   403   403   403   403   403", body="association_campaign"),
    row("GET", "backoffice/associations/campaigns/<int:pk>/", "login 403 403 404   404   404   404   404", pk="campaign"),
    row("POST", "backoffice/associations/campaigns/<int:pk>/", "login 403 403 404  404   404   404   404", pk="campaign"),
    row("GET", "backoffice/associations/sanctions/",     "login 403   403   403   403   403   403   403"),
    row("POST", "backoffice/associations/sanctions/",    "login 403   403   403   403   403   403   403", body="association_sanction"),
    # a sanction case: the credit office and the auditor read it (oversight), only the association acts
    row("GET", "backoffice/associations/sanctions/<int:pk>/", "login 403 403 404   404   404   200   200", pk="association_sanction"),
    row("POST", "backoffice/associations/sanctions/<int:pk>/", "login 403 403 404  404   404   denied denied", body="association_step", pk="association_sanction"),
    row("GET", "backoffice/associations/sanctions/<int:pk>/notice.pdf", "login 403 403 404 404 404 200  200", pk="association_sanction"),
    row("GET", "backoffice/associations/sanctions/<int:pk>/<str:which>.pdf", "login 403 403 404 404 404 200 200", pk="association_sanction", which="sanction_document"),
    row("GET", "account/subjects/<int:pk>/associations/", "login 404 200  404   404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/associations/", "login 404 400 404   404   404   404   404", body="association_sign", pk="subject"),
    row("GET", "account/association-sanctions/<int:pk>/", "login 404 200  404   404   404   404   404", pk="association_sanction"),
    row("POST", "account/association-sanctions/<int:pk>/", "login 404 400 404   404   404   404   404", body="association_statement", pk="association_sanction"),
    row("GET", "account/association-sanctions/<int:pk>/notice.pdf", "login 404 200 404 404 404 404  404", pk="association_sanction"),
    row("GET", "account/association-sanctions/<int:pk>/<str:which>.pdf", "login 404 200 404 404 404 404 404", pk="association_sanction", which="sanction_document"),
    # Credit service agencies (issue #18): the directory, an entry and verification are public; the bound account's agency page and its subject's authorisations (a filing without materials, an authorisation without coverage: refused after the gate); the back office reads (a misconduct without facts: 400 after the gate, the auditor refused)
    row("GET", "agencies/",                              "200   200   200   200   200   200   200   200"),
    row("GET", "agencies/<int:pk>/",                     "200   200   200   200   200   200   200   200", pk="agency"),
    row("GET", "agencies/verify/",                       "200   200   200   200   200   200   200   200"),
    row("POST", "agencies/verify/",                      "200   200   200   200   200   200   200   200", body="agency_verify"),
    row("GET", "account/subjects/<int:pk>/agency/",      "login 404   200   404   404   404   404   404", pk="subject"),
    # a removal case's documents: the agency's own bound account only (none of these actors: the agency is another organisation)
    row("GET", "account/subjects/<int:pk>/agency/removals/<int:removal>/notice.pdf", "login 404 404 404 404 404 404 404", pk="agency_subject", removal="agency_removal"),
    row("GET", "account/subjects/<int:pk>/agency/removals/<int:removal>/decision.pdf", "login 404 404 404 404 404 404 404", pk="agency_subject", removal="agency_removal"),
    row("POST", "account/subjects/<int:pk>/agency/",     "login 404   400   404   404   404   404   404", body="agency_filing", pk="subject"),
    row("GET", "account/subjects/<int:pk>/authorisations/", "login 404 200  404   404   404   404   404", pk="subject"),
    row("POST", "account/subjects/<int:pk>/authorisations/", "login 404 400 404   404   404   404   404", body="agency_authorise", pk="subject"),
    row("GET", "backoffice/agencies/",                   "login 403   403   200   200   200   200   200"),
    row("GET", "backoffice/agencies/<int:pk>/",          "login 403   403   200   200   200   200   200", pk="agency"),
    row("POST", "backoffice/agencies/<int:pk>/",         "login 403   403   400   400   400   denied 400", body="agency_misconduct", pk="agency"),
    row("GET", "backoffice/agencies/files/<int:pk>/",    "login 403   403   200   200   200   200   200", pk="agency_file"),
    row("GET", "backoffice/agencies/verify/",            "login 403   403   200   200   200   200   200"),
    row("POST", "backoffice/agencies/verify/",           "login 403   403   200   200   200   200   200", body="agency_verify"),
    # a decided (dropped) removal case: its documents and the agency's statement attachment, read by staff (audited)
    row("GET", "backoffice/agencies/removals/<int:pk>/notice.pdf", "login 403 403 200 200 200  200   200", pk="agency_removal"),
    row("GET", "backoffice/agencies/removals/<int:pk>/decision.pdf", "login 403 403 200 200 200 200   200", pk="agency_removal"),
    row("GET", "backoffice/agencies/removals/<int:pk>/statement-file/", "login 403 403 200 200 200 200 200", pk="agency_removal"),
])

ENDPOINTS = dict([
    #    method OpenAPI path                               anon unbound bound clerk review other audit office
    row("GET", "/api/v1/health",                           "200  200   200   200   200   200   200   200"),
    row("GET", "/api/v1/subjects?q=华为",                   "401  401   401   200   200   200   200   200"),
    row("POST", "/api/v1/subjects",                        "401  401   401   ok    ok    ok    403   ok", body="subject"),
    row("GET", "/api/v1/subjects/{code}",                  "401  401   401   200   200   200   200   200", code="uscc"),
    row("POST", "/api/v1/subjects/{code}/rename",          "401  401   401   ok    ok    403   403   ok", body="rename", code="uscc"),
    row("GET", "/api/v1/subjects/{code}/related-persons",  "401  401   401   200   200   200   403   200", code="uscc"),
    row("POST", "/api/v1/subjects/{code}/related-persons", "401  401   401   ok    ok    403   403   ok", body="person", code="uscc"),
    row("POST", "/api/v1/records/batches",                 "401  401   401   ok    403   ok    403   ok", body="batch"),
    row("GET", "/api/v1/records/batches",                  "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/records/batches/{batch_id}",       "401  401   401   200   200   404   200   200", batch_id="batch"),
    row("GET", "/api/v1/publicity/changes",                "401  401   401   200   200   200   200   200"),
    row("POST", "/api/v1/objections",                      "401  401   401   ok    403   403   403   ok", body="objection"),
    row("GET", "/api/v1/objections/{objection_id}",        "401  401   401   200   200   404   404   200", objection_id="objection"),
    row("POST", "/api/v1/objections/{objection_id}/decision", "401 401 401   ok    ok    404   404   403", body="decision", objection_id="objection"),
    row("POST", "/api/v1/checks",                          "401  401   401   ok    ok    ok    403   ok", body="check"),
    row("POST", "/api/v1/checks/{check_id}/feedback",      "401  401   401   ok    ok    404   404   404", body="feedback", check_id="check"),
    row("GET", "/api/v1/audit/checkpoints",                "401  401   401   200   403   200   200   200"),
    row("GET", "/api/v1/audit/checkpoints/latest",         "401  401   401   200   403   200   200   200"),
    row("GET", "/api/v1/repairs/changes",                  "401  401   401   200   200   200   200   200"),
    row("POST", "/api/v1/reports",                         "401  401   401   ok    ok    ok    403   ok", body="report"),
    row("GET", "/api/v1/reports/{number}/pdf",             "401  401   401   200   200   404   404   200", number="dept_report"),
    row("GET", "/api/v1/reports/{number}/json",            "401  401   401   200   200   404   404   200", number="dept_report"),
    row("GET", "/api/v1/reports/keys",                     "200  200   200   200   200   200   200   200"),
    row("GET", "/api/v1/reports/{number}?code={c}",        "200  200   200   200   200   200   200   200", number="report", c="report_code"),
    row("POST", "/api/v1/reports/batches",                 "401  401   401   ok    ok    ok    403   ok", body="report_batch"),
    row("GET", "/api/v1/reports/batches/{batch_id}",       "401  401   401   200   200   404   200   200", batch_id="report_batch"),
    row("GET", "/api/v1/reports/batches/{batch_id}/zip",   "401  401   401   200   200   404   403   200", batch_id="report_batch"),
    # Credit commitments: the department's own (another's is not found, even published); deciding is a reviewer's
    row("GET", "/api/v1/commitment-matters",               "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/commitments",                      "401  401   401   200   200   200   200   200"),
    row("POST", "/api/v1/commitments",                     "401  401   401   ok    ok    ok    403   ok", body="commitment"),
    row("GET", "/api/v1/commitments/{number}",             "401  401   401   200   200   404   200   200", number="commitment"),
    row("POST", "/api/v1/commitments/{number}/keep",       "401  401   401   200   ok    404   403   403", body="keep", number="commitment"),
    row("POST", "/api/v1/commitments/{number}/breach",     "401  401   401   ok    ok    404   403   403", body="breach", number="commitment"),
    row("POST", "/api/v1/commitments/{number}/decision",   "401  401   401   403   ok    404   403   403", body="commitment_decision", number="commitment"),
    row("GET", "/api/v1/feeds/commitments",                "401  401   401   200   200   200   200   200"),
    # The one change log's feeds (issue #17): each with its scope (grades: evaluation:read)
    row("GET", "/api/v1/feeds/publicity",                  "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/feeds/lists",                      "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/feeds/repairs",                    "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/feeds/evaluations",                "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/feeds/{feed}/digest?day=2026-12-01", "401 401  401   200   200   200   200   200", feed="feed_name"),
    row("GET", "/api/v1/declarations",                     "401  401   401   200   200   200   200   200"),
    row("POST", "/api/v1/declarations/{declaration_id}/decision", "401 401 401 ok  ok    404   404   ok", body="declaration_api_refusal", declaration_id="declaration"),
    row("POST", "/api/v1/practitioners",                   "401  401   401   422   403   403   403   403", body="practitioner_api"),
    row("GET", "/api/v1/practitioners/{practitioner_id}",  "401  401   401   200   200   404   404   200", practitioner_id="practitioner"),
    # Public bodies' notices (scope notices): a department's addressed ones (the world's are named bodies: every list is empty); the issuer, the credit office and the auditor read a notice but only its addressee acknowledges it
    row("GET", "/api/v1/bodies/notices",                   "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/bodies/notices/{receipt_id}",      "401  401   401   200   200   404   200   200", receipt_id="notice_receipt"),
    row("POST", "/api/v1/bodies/notices/{receipt_id}/acknowledge", "401 401 401 403 403 404   403   403", receipt_id="notice_receipt"),
    # Rewarded tips (issue #18 item 3): the department's business system and staff; never the tipster's identity; a transfer by the department or the credit office (never the auditor)
    row("GET", "/api/v1/tips",                             "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/tips/{tip_id}",                    "401  401   401   200   200   404   200   200", tip_id="tip"),
    row("POST", "/api/v1/tips/{tip_id}/acknowledgement",   "401  401   401   ok    ok    404   403   403", body="tip_api_decline", tip_id="tip"),
    row("POST", "/api/v1/tips/{tip_id}/transfer",          "401  401   401   ok    ok    404   403   ok", body="tip_api_transfer", tip_id="tip"),
    row("POST", "/api/v1/tips/{tip_id}/decision",          "401  401   401   ok    ok    404   403   403", body="tip_api_decision", tip_id="tip"),
    row("POST", "/api/v1/tips/{tip_id}/reward",            "401  401   401   ok    ok    404   403   403", body="tip_api_reward", tip_id="tip"),
    row("POST", "/api/v1/tips/{tip_id}/reward/paid",       "401  401   401   ok    ok    404   403   403", body="tip_api_paid", tip_id="tip"),
    # Public credit evaluation (issue #16): staff read the full explanation (audited), the models and the runs; only the operator requests a run
    row("GET", "/api/v1/subjects/{code}/evaluation",       "401  401   401   200   200   200   200   200", code="uscc"),
    row("GET", "/api/v1/evaluation/models",                "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/evaluation/runs",                  "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/evaluation/runs/{run_id}",         "401  401   401   200   200   200   200   200", run_id="evaluation_run"),
    row("POST", "/api/v1/evaluation/runs",                 "401  401   401   403   403   403   403   ok", body="evaluation_run"),
    row("GET", "/api/v1/supervision/items",                "200  200   200   200   200   200   200   200"),
    row("GET", "/api/v1/supervision/results",              "200  200   200   200   200   200   200   200"),
    row("GET", "/api/v1/supervision/plans/{number}/verification", "200 200 200 200  200   200   200   200", number="plan_number"),
    row("POST", "/api/v1/supervision/plans",               "401  401   401   ok    ok    ok    403   ok", body="plan_api"),
    row("POST", "/api/v1/supervision/plans/{plan_id}/freeze", "401 401 401   ok    ok    404   403   ok", plan_id="plan"),
    row("POST", "/api/v1/supervision/plans/{plan_id}/draw", "401 401  401   ok    ok    404   403   ok", plan_id="plan"),
    row("POST", "/api/v1/supervision/plans/{plan_id}/seed", "401 401  401   ok    ok    404   403   ok", plan_id="plan"),
    row("POST", "/api/v1/supervision/tasks/{task_id}/result", "401 401 401   ok    ok    404   403   ok", body="result_api", task_id="task"),
    row("POST", "/api/v1/supervision/tasks/{task_id}/publish", "401 401 401  ok    ok    404   403   ok", task_id="task"),
    # Change subscriptions (webhooks, issue #17): the department's own; the auditor reads, never acts; the public key is public
    row("GET", "/api/v1/webhooks/keys",                    "200  200   200   200   200   200   200   200"),
    row("POST", "/api/v1/webhooks",                        "401  401   401   422   422   422   403   422", body="webhook"),
    row("GET", "/api/v1/webhooks",                         "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/webhooks/{subscription_id}",       "401  401   401   200   200   404   200   200", subscription_id="webhook"),
    row("POST", "/api/v1/webhooks/{subscription_id}",      "401  401   401   422   422   404   403   422", body="webhook", subscription_id="webhook"),
    row("POST", "/api/v1/webhooks/{subscription_id}/rotate-secret", "401 401 401 200 200  404   403   200", subscription_id="webhook"),
    row("POST", "/api/v1/webhooks/{subscription_id}/disable", "401 401 401   200   200   404   403   200", subscription_id="webhook"),
    row("POST", "/api/v1/webhooks/{subscription_id}/enable", "401 401  401   200   200   404   403   200", subscription_id="webhook"),
    # Early warning (issue #18): a department's system pulls, acknowledges and closes its alerts (scope alerts); the auditor reads only
    row("GET", "/api/v1/alerts",                           "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/alerts/{alert_id}",                "401  401   401   200   200   404   200   200", alert_id="alert"),
    row("POST", "/api/v1/alerts/{alert_id}/acknowledge",   "401  401   401   ok    ok    404   403   ok", alert_id="alert"),
    row("POST", "/api/v1/alerts/{alert_id}/close",         "401  401   401   ok    ok    404   403   ok", body="alert_api_close", alert_id="alert"),
    row("GET", "/api/v1/webhooks/{subscription_id}/deliveries", "401 401 401 200   200   404   200   200", subscription_id="webhook"),
    row("POST", "/api/v1/webhooks/{subscription_id}/replay", "401 401  401   200   200   404   403   200", body="replay", subscription_id="webhook"),
    row("POST", "/api/v1/webhooks/{subscription_id}/ping", "401 401    401   202   202   404   403   202", subscription_id="webhook"),
    # Industry associations (issue #18 item 2): the association's own system only (none of these actors); the authorisations to the departments and the office.
    row("GET", "/api/v1/associations/authorisations",      "401  401   401   200   200   200   200   200"),
    row("GET", "/api/v1/associations/members",             "401  401   401   403   403   403   403   403"),
    row("POST", "/api/v1/associations/members",            "401  401   401   403   403   403   403   403", body="association_member_api"),
    row("POST", "/api/v1/associations/members/{membership_id}/leave", "401 401 401 404 404 404   403   403", body="association_leave", membership_id="membership"),
    row("GET", "/api/v1/associations/sanctions",           "401  401   401   403   403   403   403   403"),
    row("POST", "/api/v1/associations/sanctions",          "401  401   401   403   403   403   403   403", body="association_sanction_api"),
    row("POST", "/api/v1/associations/sanctions/{sanction_id}/notify", "401 401 401 404 404 404   403   403", sanction_id="association_sanction"),
    row("POST", "/api/v1/associations/sanctions/{sanction_id}/decision", "401 401 401 404 404 404 403   403", body="association_decision", sanction_id="association_sanction"),
    row("POST", "/api/v1/associations/sanctions/{sanction_id}/revocation", "401 401 401 404 404 404 403 403", body="association_revocation", sanction_id="association_sanction"),
    # its campaigns: the association's own system only; another's campaign is not found (404) to a department, the office and the auditor see it exists but may not act (403)
    row("GET", "/api/v1/associations/campaigns",           "401  401   401   403   403   403   403   403"),
    row("POST", "/api/v1/associations/campaigns",          "401  401   401   403   403   403   403   403", body="association_campaign"),
    row("GET", "/api/v1/associations/campaigns/{campaign_id}", "401 401 401  403   403   403   403   403", campaign_id="campaign"),
    row("GET", "/api/v1/associations/campaigns/{campaign_id}/signatures", "401 401 401 403 403 403 403 403", campaign_id="campaign"),
    row("POST", "/api/v1/associations/campaigns/{campaign_id}/close", "401 401 401 404 404 404 403  403", campaign_id="campaign"),
    # Credit service agencies: only an agency's own token (xya_…) opens /agency; departments' tokens and sessions are not agencies. Verification is open to anyone.
    row("GET", "/api/v1/agency/authorisations",            "401  401   401   401   401   401   401   401"),
    row("GET", "/api/v1/agency/authorisations/{authorisation_id}/report", "401 401 401 401 401 401 401 401", authorisation_id="agency"),
    row("GET", "/api/v1/agency/authorisations/{authorisation_id}/records", "401 401 401 401 401 401 401 401", authorisation_id="agency"),
    row("POST", "/api/v1/agency/reports",                  "401  401   401   401   401   401   401   401", body="agency_report"),
    row("GET", "/api/v1/agency/removals",                  "401  401   401   401   401   401   401   401"),
    row("POST", "/api/v1/agency/removals/{removal_id}/statement", "401 401 401 401 401 401 401 401", removal_id="agency_open_removal"),
    row("GET", "/api/v1/agency-reports/verify?number=XAZX-0001&sha256=0000000000000000000000000000000000000000000000000000000000000000", "200 200 200 200 200 200 200 200"),
])
# fmt: on


# -- the URLs there are ------------------------------------------------------------------


def _patterns(resolvers, prefix=""):
    for p in resolvers:
        if isinstance(p, URLResolver):
            if str(p.pattern) == "admin/":  # Django's admin: one row, its own permissions
                yield "admin/"
                continue
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _openapi_operations():
    from xinyong.api.main import api

    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    }


def _api_routes() -> set[str]:
    """URLconf patterns the OpenAPI description already covers (rows in ENDPOINTS)."""
    return {
        re.sub(r"\{(\w+)\}", r"<\1>", path).removeprefix("/") for _, path in _openapi_operations()
    }


def _endpoint_keys(endpoints=None) -> set[tuple[str, str]]:
    return {(m, p.split("?")[0]) for m, p in (ENDPOINTS if endpoints is None else endpoints)}


def _lacking(pages=None, endpoints=None) -> list[str]:
    """URLs of the URLconf and operations of the OpenAPI description without a row."""
    pages = {route.split("?")[0] for _m, route in (PAGES if pages is None else pages)}
    api_routes = _api_routes()
    lacking = sorted(
        f"page {route!r}"
        for route in set(_patterns(get_resolver().url_patterns))
        if route not in pages and route not in api_routes
    )
    ops = _openapi_operations() - _endpoint_keys(endpoints)
    return lacking + sorted(f"endpoint {m} {p}" for m, p in ops)


def test_a_url_without_a_row_is_named():
    """The guard itself: drop a page's and an endpoint's rows, and both are named."""
    pages = {k: v for k, v in PAGES.items() if k[1] != "backoffice/batches/<int:pk>/"}
    endpoints = {k: v for k, v in ENDPOINTS.items() if k[1] != "/api/v1/objections"}
    assert _lacking(pages, endpoints) == [
        "page 'backoffice/batches/<int:pk>/'", "endpoint POST /api/v1/objections",
    ]  # fmt: skip


def test_every_page_and_endpoint_has_a_row():
    lacking = _lacking()
    assert not lacking, (
        "URLs without a row in the authorization matrix "
        "(xinyong/accounts/tests/test_authorization_matrix.py, PAGES or ENDPOINTS): "
        + "; ".join(lacking)
    )
    gone = sorted(
        {r.split("?")[0] for _m, r in PAGES} - set(_patterns(get_resolver().url_patterns))
    )
    gone += sorted(f"{m} {p}" for m, p in _endpoint_keys() - _openapi_operations())
    assert not gone, f"rows for URLs that no longer exist: {gone}"


# -- the world every URL is asked about --------------------------------------------------

PDF = b"%PDF-1.4\n% test material\n" + b"0" * 200


@pytest.fixture
def world(client, departments, users, actors, market_token, settings):
    """华为, registered by the market regulator, with its penalty (a batch), a published
    serious-dishonesty entry, a credit check, a bound portal account that filed an
    objection and applied for repair; every object owned by 市场监管."""
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import ApiScope
    from xinyong.accounts.models import User
    from xinyong.audit.selectors import audit_checkpoint_write
    from xinyong.disclosure.models import Publication
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.ingest.models import Batch
    from xinyong.ingest.tests.conftest import penalty, push
    from xinyong.lists.tests.conftest import designate
    from xinyong.records.models import Record
    from xinyong.remedies import services as remedies
    from xinyong.remedies.models import RepairApplication, RepairMaterial, SubjectBinding
    from xinyong.sanctions.models import CreditCheck
    from xinyong.subjects import services as subjects

    org = subjects.organization_register(actor=actors["market_clerk"], uscc=HUAWEI,
                                         name="华为技术有限公司")  # fmt: skip
    subjects.related_person_add(actor=actors["market_clerk"], organization=org,
                                role="legal_representative", id_type="resident_id",
                                id_number=RID, name="张三",
                                valid_from=datetime.date(2020, 1, 1))  # fmt: skip
    pushed = push(client, market_token, "administrative_penalty", [penalty(1), penalty(3)])
    assert pushed.json()["created"] == 2, pushed.content
    record = Record.objects.get(source_id="信市监罚〔2026〕1号")
    spare = Record.objects.get(source_id="信市监罚〔2026〕3号")  # the one withdrawn
    entry = designate(actors, record)
    publication_sweep(actor=SYSTEM)
    _, other_token = accounts.api_client_issue(
        actor=SYSTEM,
        name="税务业务系统",
        department=departments["tax"],
        scopes=[s.value for s in ApiScope],
    )
    check = client.post("/api/v1/checks", {"matter": "government_procurement", "subject": HUAWEI},
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {market_token}"})  # fmt: skip
    assert check.status_code == 200, check.content
    for name in ("huawei_agent", "stranger"):
        User.objects.create_user(username=name, password="x", role="public")
    bound_user = User.objects.get(username="huawei_agent")
    settings.XINYONG_REMEDY_DIR.mkdir(parents=True, exist_ok=True)
    (settings.XINYONG_REMEDY_DIR / "evidence.pdf").write_bytes(PDF)
    binding = SubjectBinding.objects.create(
        user=bound_user, subject=org, status="approved", applicant="李经办",
        phone="13800000000", evidence_path="evidence.pdf", evidence_name="授权书.pdf",
        evidence_sha256=hashlib.sha256(PDF).hexdigest(), requested_at=timezone.now(),
        via="operator", reviewed_by="operator", reviewed_at=timezone.now(),
    )  # fmt: skip
    portal = Actor.for_user(bound_user)
    evidence = SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf")
    objection = remedies.objection_file(actor=portal, reasons="处罚已被复议撤销",
                                        record_id=record.pk, evidence=evidence)  # fmt: skip
    app = RepairApplication.objects.create(
        subject=org, binding=binding, department=departments["market"], statement="已整改",
        status="submitted", filed_at=timezone.now(),
        decide_due=timezone.localdate() + datetime.timedelta(days=14),
    )  # fmt: skip
    app.entries.add(entry)
    (settings.XINYONG_REMEDY_DIR / "material.pdf").write_bytes(PDF)
    material = RepairMaterial.objects.create(application=app, kind="commitment",
                                             path="material.pdf", name="承诺书.pdf",
                                             sha256=hashlib.sha256(PDF).hexdigest())  # fmt: skip
    publication = Publication.objects.get(record=record)
    reports = _reports(actors, org, portal)
    from xinyong.reports import services as report_services

    report_batch = report_services.report_batch_submit(actor=actors["market_clerk"], kind="review",
                                                      purpose="招标投标", codes=[HUAWEI])  # fmt: skip
    report_services.report_batch_run(batch_id=report_batch.pk)
    audit_checkpoint_write()  # what an upper platform polls
    from xinyong.reports.services import report_issue

    report = report_issue(actor=Actor.for_user(bound_user), kind="public", subject=org)
    spare_client, _token = accounts.api_client_issue(
        actor=SYSTEM, name="备用系统", department=departments["market"], scopes=["checks"]
    )
    order, statement_file, correction = _documents(actors, entry, settings)
    from xinyong.commitments.services import commitment_record

    commitment = commitment_record(
        actor=actors["market_clerk"], subject_id=org.pk, matter="government_procurement",
        kind="scene", reason="参加政府采购活动", signatory="张三",
        scan=SimpleUploadedFile("承诺书.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    declaration = _declaration(portal, org)
    declaration = _declaration(portal, org)
    from xinyong.bodies.tests.conftest import matrix_public_body

    public_body, notice_receipt = matrix_public_body(actors)
    from xinyong.practitioners.tests.conftest import matrix_practitioner

    practitioner = matrix_practitioner(actors)
    tip = _tip(org)
    office_commitment = _commitment(departments, org, settings)
    from xinyong.evaluation.tests.conftest import evaluate

    evaluation_run = evaluate(actors["operator"])  # 华为 graded: its evaluation pages show it
    webhook = _webhook(actors, settings, org)
    association = _association(actors)
    return {
        "objects": {
            **association,
            **_agency(actors),
            "evaluation_run": evaluation_run.pk,
            "webhook": webhook,
            "evaluation_model": evaluation_run.model_version_id,
            "office_commitment": office_commitment,
            "commitment_matter": "administrative_licensing",
            **reports,
            "order": order,
            "statement_file": statement_file,
            "correction": correction,
            "spare_client": spare_client.pk,
            "subject": org.pk,
            "uscc": HUAWEI,
            "feed_name": "lists",
            "record": record.pk,
            "entry": entry.pk,
            "spare_record": spare.pk,
            "repair": app.pk,
            "batch": Batch.objects.get(
                provider=departments["market"], item_code="administrative_penalty"
            ).pk,
            "publication": publication.pk,
            "binding": binding.pk,
            "material": material.pk,
            "objection": objection.pk,
            "check": CreditCheck.objects.get().pk,
            "item": "administrative_penalty",
            "list_code": "serious_dishonesty",
            "policy": "jiangsu-2015-88",
            "stats_chart": "records",
            "uidb64": "MQ",  # a reset link that is not valid: the page says so
            "reset_token": "abc-0123456789abcdef",
            "report": report.report.number,
            "report_code": report.code,
            "report_batch": report_batch.pk,
            "report_pk": report_batch.reports.get().pk,
            "commitment": commitment.number,
            "declaration": declaration.pk,
            "public_body": public_body,
            "notice_receipt": notice_receipt,
            "practitioner": practitioner,
            "declaration_evidence": declaration.evidence.get().pk,
            "tip": tip.pk,
            "tip_evidence": tip.evidence.get().pk,
            "commitment_pk": commitment.pk,  # the portal's pages name it by id
            **_inspection_plan(actors),
            **_monthly_report(),
            **_demonstration(actors),
            **_alert(departments, org),
        },
        "record": record,
        "users": {
            "unbound": User.objects.get(username="stranger"),
            "bound": bound_user,
            "clerk": users["market_clerk"],
            "review": users["market_reviewer"],
            "other": users["tax_clerk"],
            "audit": users["auditor"],
            "office": users["operator"],
        },
        "tokens": {"clerk": market_token, "other": other_token},
    }


def _alert(departments, org) -> dict:
    """An open alert to the market regulator about 华为, with the warning notice it sent."""
    from xinyong.alerts.models import Alert, AlertRule, WarningNotice
    from xinyong.alerts.notices import notice_document

    rule = AlertRule.objects.get(code="abnormal_listed")
    now = timezone.now()
    evidence = [{"kind": "entry", "id": 1, "label": "列入经营异常名录", "department": None,
                 "on": ""}]  # fmt: skip
    alert = Alert.objects.create(
        rule=rule, rule_version=1, subject=org, department=departments["market"], status="open",
        summary="新被列入经营异常名录", evidence=evidence, evidence_key="0", raised_at=now,
        updated_at=now,
    )  # fmt: skip
    notice = WarningNotice.objects.create(
        alert=alert, subject=org, department=departments["market"], title=rule.name,
        issued_at=now, document=notice_document(rule, alert, org, departments["market"], now),
    )  # fmt: skip
    return {"alert": alert.pk, "warning_notice": notice.pk, "alert_rule": rule.pk}


def _association(actors) -> dict:
    """市食品行业协会, authorised by 市场监管 for honours, 华为 a member; a closed campaign
    and a sanction case told to 华为 (its statement period open)."""
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.associations import services as associations
    from xinyong.associations.tests.conftest import ASSOC_USCC
    from xinyong.subjects import services as subjects

    dept = accounts.department_save(actor=SYSTEM, code="SPXH", name="市食品行业协会",
                                    kind="association", uscc=ASSOC_USCC)  # fmt: skip
    subjects.organization_register(actor=actors["market_clerk"], uscc=ASSOC_USCC,
                                   name="市食品行业协会")  # fmt: skip
    user = accounts.user_create(actor=SYSTEM, username="xh_clerk", password="x-Matrix-2026",
                                role="association_clerk", department=dept)  # fmt: skip
    grant = associations.authorisation_grant(
        actor=actors["market_clerk"], association_code="SPXH", items=["honor"], basis="授权决定",
        valid_from=datetime.date(2025, 1, 1),
    )  # fmt: skip
    a = Actor.for_user(user)
    member = associations.member_add(actor=a, uscc=HUAWEI, joined_on=datetime.date(2025, 1, 1))
    campaign = associations.campaign_open(actor=a, title="自律承诺", text="守法经营")
    associations.campaign_close(actor=a, campaign_id=campaign.pk)
    case = associations.sanction_propose(actor=a, subject_id=member.subject_id, kind="warning",
                                         facts="f", basis="b", reasons="r")  # fmt: skip
    associations.sanction_notify(actor=a, sanction_id=case.pk)
    return {"authorisation": grant.pk, "membership": member.pk, "campaign": campaign.pk,
            "association_sanction": case.pk, "sanction_document": "notice"}  # fmt: skip


def _agency(actors) -> dict:
    """A filed credit service agency (another organisation, its own bound account): a
    removal case it answered (with an attachment) that the credit office dropped, and a
    second case open now."""
    from xinyong.agencies import services as agencies
    from xinyong.agencies.models import FilingFile
    from xinyong.agencies.tests.conftest import (
        OTHER_USCC,
        approve,
        bind,
        file_agency,
        notify_removal,
        pdf,
    )
    from xinyong.subjects import services as subjects

    org = subjects.organization_register(actor=actors["market_clerk"], uscc=OTHER_USCC,
                                         name="信安征信服务有限公司")  # fmt: skip
    staff = bind("agency_staff", org)
    filing = file_agency(staff, org)
    approve(actors, filing)
    decided = notify_removal(actors, filing.agency)
    agencies.agency_removal_statement(actor=staff, subject_id=org.pk, removal_id=decided.pk,
                                      statement="说明", attachment=pdf("证明.pdf"))  # fmt: skip
    agencies.agency_removal_drop(actor=actors["operator"], agency_id=filing.agency_id,
                                 reasons="已更正", statement_adoption="adopted")  # fmt: skip
    open_case = notify_removal(actors, filing.agency)
    return {"agency": filing.agency_id, "agency_file": FilingFile.objects.get(filing=filing).pk,
            "agency_subject": org.pk, "agency_removal": decided.pk,
            "agency_open_removal": open_case.pk}  # fmt: skip


def _webhook(actors, settings, org) -> int:
    """The market regulator's change subscription about 华为 (its receiver allowed)."""
    from xinyong.exchange.webhooks.services import SubscriptionIn, webhook_create

    settings.XINYONG_WEBHOOK_ALLOWED_HOSTS = ["*.example.gov.cn"]
    sub, _secret = webhook_create(actor=actors["market_clerk"], data=SubscriptionIn(
        name="市场监管业务系统", url="https://scjg.example.gov.cn/hook", kinds=["publicity"],
        codes=[org.uscc]))  # fmt: skip
    return sub.pk


def _documents(actors, entry, settings) -> tuple[int, int, int]:
    """A rectification order on the entry, a statement the subject filed with an
    attachment, and a correction notice (an objection on the entry found valid)."""
    from xinyong.lists.models import EntryStatement, StatementFile
    from xinyong.remedies.models import Objection
    from xinyong.sanctions.services import rectification_order_issue

    order = rectification_order_issue(actor=actors["market_clerk"], entry_id=entry.pk,
                                      content="下架虚假宣传材料", legal_basis="反不正当竞争法",
                                      workdays_given=10)  # fmt: skip
    now = timezone.now()
    said = EntryStatement.objects.create(entry=entry, text="陈述意见", filed_by="huawei_agent",
                                         filed_at=now)  # fmt: skip
    (settings.XINYONG_REMEDY_DIR / "statement.pdf").write_bytes(PDF)
    attachment = StatementFile.objects.create(statement=said, path="statement.pdf",
                                              name="说明.pdf", sha256="0" * 64)  # fmt: skip
    correction = Objection.objects.create(
        subject=entry.subject, entry=entry, provider=entry.department, filed_by="huawei_agent",
        reasons="认定有误", status="decided", filed_at=now, mark_due=now.date(),
        forward_due=now.date(), decision="revoked", decision_reason="认定依据不足", decided_at=now,
    )  # fmt: skip
    return order.pk, attachment.pk, correction.pk


def _inspection_plan(actors) -> dict:
    """A plan of the market regulator over its item (华为 among the candidates), frozen and
    drawn (ratios at the top of the default ranges: 华为, never evaluated, class B, drawn)."""
    from xinyong.supervision import services as supervision

    clerk = actors["market_clerk"]
    item = supervision.inspection_item_save(actor=clerk, name="经营条件检查", legal_basis="食品安全法",
                                            target_kinds=["organization"], method="on_site")  # fmt: skip
    for n in range(2):
        supervision.inspector_save(actor=clerk, name=f"检查员{n}", badge=f"M{n}")
    today = timezone.localdate()
    plan = supervision.plan_create(actor=clerk, name="双随机抽查", item_ids=[item.pk],
                                   ratios={"A": 5, "B": 20, "C": 60, "D": 100},
                                   inspectors_per_department=2, period_start=today,
                                   period_end=today)  # fmt: skip
    supervision.plan_freeze(actor=clerk, plan_id=plan.pk)
    plan = supervision.plan_draw(actor=clerk, plan_id=plan.pk)
    return {"plan": plan.pk, "plan_number": plan.number, "task": plan.tasks.first().pk,
            "inspection_item": item.pk}  # fmt: skip


def _demonstration(actors) -> dict:
    """A published village campaign of the market regulator with 华为 a member of its
    awarded unit (applications closed: a new one is refused after the gate)."""
    from xinyong.demonstration import services as demonstration

    clerk, reviewer = actors["market_clerk"], actors["market_reviewer"]
    campaign = demonstration.campaign_create(
        actor=clerk, title="信用村创建", kind="village", year=2026, criteria=["诚信公约"],
        apply_until=timezone.localdate(), valid_years=3,
    )  # fmt: skip
    unit = demonstration.unit_apply(actor=clerk, campaign_id=campaign.pk, name="青山村",
                                    applicant="青山镇", statement="创建情况", area="青山镇",
                                    members=HUAWEI)  # fmt: skip
    demonstration.unit_assess(actor=reviewer, unit_id=unit.pk, met=[0], award=False,
                              reason="华为在严重失信名单期内")  # fmt: skip
    demonstration.campaign_publish(actor=reviewer, campaign_id=campaign.pk)
    unit.status = "awarded"  # awarded before the entry (the award itself refuses it now)
    unit.valid_until = timezone.localdate() + datetime.timedelta(days=365)
    unit.save(update_fields=["status", "valid_until"])
    return {"demo_campaign": campaign.pk, "demo_unit": unit.pk}


def _monthly_report() -> dict:
    """Last month's effectiveness report (the market regulator's scorecard is the owner's)."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.stats.scorecards import label, last_month
    from xinyong.stats.services import monthly_report_generate

    month = label(last_month(timezone.localdate()))
    monthly_report_generate(actor=SYSTEM, month=month)
    return {"report_month": month, "department_code": "SCJG"}


def _declaration(portal, org):
    """A self-declaration of 华为, routed to the market regulator, with its evidence."""
    from xinyong.declarations.services import declaration_submit

    evidence = SimpleUploadedFile("资质证书.pdf", PDF, content_type="application/pdf")
    return declaration_submit(actor=portal, subject_id=org.pk, kind="qualification",
                              title="资质证书", content="施工总承包一级", pledge=True,
                              evidence=[evidence], department_code="SCJG")  # fmt: skip


def _tip(org):
    """An anonymous tip about 华为, routed to the market regulator by the routing table."""
    from xinyong.accounts.actors import ANONYMOUS, SYSTEM
    from xinyong.tips.services import tip_domain_save, tip_file

    tip_domain_save(actor=SYSTEM, code="market", name="市场监管", department_code="SCJG")
    evidence = SimpleUploadedFile("现场照片.pdf", PDF, content_type="application/pdf")
    return tip_file(actor=ANONYMOUS, subject_id=org.pk, content="销售过期食品",
                    occurred_on="2025-11-20", place="门店", domain_code="market",
                    evidence=[evidence])[0]  # fmt: skip


def _commitment(departments, org, settings) -> int:
    """A paper commitment of 华为 to the market regulator, found false (with evidence) and
    waiting for the subject's statement (made here: 华为's published entry bars signing)."""
    from xinyong.commitments.models import Commitment, CommitmentTemplate

    t = CommitmentTemplate.objects.get(matter__code="administrative_licensing", kind="notify")
    (settings.XINYONG_REMEDY_DIR / "commitment.pdf").write_bytes(PDF)
    now, today = timezone.now(), timezone.localdate()
    return Commitment.objects.create(
        number="CN20261201MATRIX", subject=org, matter=t.matter, kind="notify", template=t,
        template_version=t.versions.get(version=1), department=departments["market"],
        channel="paper", signatory="张三", reason="申请食品经营许可", signed_at=now,
        valid_from=today, valid_to=today + datetime.timedelta(days=365),
        scan_path="commitment.pdf", scan_name="承诺书.pdf", evidence_path="commitment.pdf",
        evidence_name="证据.pdf", check_method="online",
        check_due=today + datetime.timedelta(days=10), status="breach_proposed",
        breach_kind="false", breach_reasons="所承诺的证明并不存在", proposed_at=now,
        statement_due=today + datetime.timedelta(days=5), updated_at=now,
    ).pk  # fmt: skip


def _csv(row: dict) -> bytes:
    return (",".join(row) + "\n" + ",".join(row.values()) + "\n").encode()


def _bodies(world) -> dict:
    from xinyong.ingest.tests.conftest import penalty

    o = world["objects"]
    return {
        "subject": {"uscc": UNKNOWN_USCC, "name": "信安测试有限公司"},
        "rename": {"new_name": "华为终端有限公司", "effective_on": "2026-01-01"},
        "person": {
            "role": "principal",
            "id_number": "11010519491231002X",
            "name": "张三",
            "valid_from": "2021-01-01",
        },
        "batch": {"item": "administrative_penalty", "rows": [penalty(2)]},
        "check": {"matter": "government_procurement", "subject": HUAWEI},
        "evaluation_run": {"kind": "incremental"},
        "evaluation_model": {"text": "code: not_a_model"},
        "evaluation_publication": {"public_grades": "A", "checks_see_grade": "on"},
        "feedback": {"items": [{"measure": "no_such_measure", "applied": True}]},
        "objection": {"record_id": o["record"], "reasons": "处罚对象有误"},
        "decision": {"decision": "maintained", "reason": "核实无误"},
        "withdraw": {"reason": "行政复议决定撤销原处罚决定"},
        "bind": {"uscc": HUAWEI, "applicant": "王经办", "phone": "13900000000"},  # no proof
        "portal_objection": {"record": o["record"], "reasons": "处罚对象有误"},  # one is open
        "roll": {"period": "2026-11"},
        "statement": {"statement_text": "补充陈述意见"},
        "notice": {
            "step": "preview",
            "text": "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）放假，共1天。",
        },
        "upload": {
            "item": "administrative_penalty",
            "file": SimpleUploadedFile("penalties.csv", _csv(penalty(4)), "text/csv"),
        },
        "rule": {
            "form": "rule",
            "penalty_class": "general",
            "min_months": "3",
            "max_months": "12",
            "basis": "",
        },  # no basis: refused after the gate
        "case": {
            "subject": o["subject"],
            "list": "serious_dishonesty",
            "grounds": "情节严重",
            "legal_basis": "",
            "basis_kind": "document",
            "basis_document": "信市监罚〔2026〕1号",
            "national_category": "market_order",
        },  # no legal basis: refused after the gate
        "step": {"action": "publish"},  # published already: refused after the gate
        "page_check": {"matter": "government_procurement", "subject": UNKNOWN_USCC},
        "review_binding": {"binding": o["binding"], "decision": "approve"},  # reviewed already
        "mark": {"objection": o["objection"], "step": "mark"},
        "report": {"kind": "review", "subject": HUAWEI},  # no purpose: refused after the gate
        "report_form": {"kind": "special", "domains": "market", "period_from": "1999-01-01"},
        "repair_decision": {
            "application": o["repair"],
            "decision": "approve",
            "reason": "已履行处罚并完成整改",
        },
        "verify": {"n": o["report"], "c": o["report_code"]},
        "report_page": {"uscc": HUAWEI, "kind": "review", "purpose_choice": "政府采购"},
        "report_batch_page": {"codes": HUAWEI, "kind": "review", "purpose_choice": "招标投标"},
        "report_batch": {"kind": "review", "purpose": "招标投标", "codes": [HUAWEI]},
        "commitment": {"subject": HUAWEI, "matter": "government_procurement"},  # not multipart
        "keep": {"note": "经网络核查属实"},
        "breach": {"breach_kind": "false", "reasons": "不实"},  # not multipart, no evidence
        "commitment_decision": {"breach": True, "reason": "陈述申辩未提供新的证据"},
        "declaration": {
            "kind": "honor",
            "title": "守合同重信用",
            "content": "省级",
            "pledge": "on",
        },
        "declaration_refusal": {"decision": "refuse", "reason": ""},
        # Integrity demonstration units: refused by the service after the gate (an unknown
        # kind; applications closed; a revocation without reasons).
        "demo_campaign": {
            "title": "活动",
            "kind": "castle",
            "year": "2026",
            "criteria": "标准",
            "apply_until": "2099-01-01",
            "valid_years": "3",
        },
        "demo_unit": {
            "name": "白水村",
            "applicant": "白水镇",
            "statement": "情况",
            "area": "白水镇",
            "members": HUAWEI,
        },
        "demo_revoke": {"step": "revoke", "reason": ""},
        "demo_online": {"campaign": "999999", "statement": "情况"},  # no such open campaign
        # Public bodies: a paper receipt without its proof, a misconduct notice without facts.
        "paper_receipt": {
            "step": "paper",
            "signer": "市审计局",
            "received_on": "2026-01-01",
            "proof": "",
        },
        "misconduct": {
            "id_type": "resident_id",
            "id_number": RID,
            "unit_uscc": "12339900450000016J",
            "number": "通〔2026〕1号",
            "basis": "规定",
            "facts": "",
            "act_date": "2026-01-01",
            "discipline_name": "市纪委监委",
        },
        "public_body_profile": {"superior_code": "NOPE"},
        "profession": {"code": "nurse", "name": "护士", "department": "SCJG"},  # no items
        "practitioner": {
            "profession": "pharmacist",
            "id_type": "resident_id",
            "id_number": "110105194912310021",
            "name": "张三",
            "licence_no": "Y2",
            "valid_from": "2020-01-01",
        },
        "practitioner_api": {
            "profession": "pharmacist",
            "id_type": "resident_id",
            "id_number": "110105194912310021",
            "name": "张三",
            "licence_no": "Y2",
            "valid_from": "2020-01-01",
        },
        "alert_close": {"step": "close", "outcome": "confirmed", "note": ""},
        "alert_api_close": {"outcome": "confirmed", "note": ""},
        "alert_rule": {
            "code": "x",
            "name": "规则",
            "evaluator": "grade_fall",
            "params": "{",
            "recipients": "registering",
        },
        "declaration_api_refusal": {"decision": "refused", "reason": ""},
        "tip_empty": {
            "content": "",
            "occurred_on": "2025-11-20",
            "place": "门店",
            "anonymous": "yes",
        },
        "tip_receipt_bad": {"receipt": "not-a-code"},
        "tip_decline": {"step": "acknowledge", "decision": "reject", "reason": ""},
        "tip_transfer": {"step": "transfer", "department": "NOPE", "reason": "不属本部门职责"},
        "tip_policy": {"form": "policy", "ack_workdays": "0", "decide_workdays": "5"},
        "tip_api_decline": {"decision": "rejected", "reason": ""},
        "tip_api_decision": {"decision": "substantiated", "reason": ""},
        "tip_api_transfer": {"department": "SW", "reason": ""},  # no reasons: refused
        "tip_api_reward": {"amount": "100", "basis": "奖励办法"},
        "tip_api_paid": {"paid_on": "2026-01-01"},
        # No scan: refused by the service after the gate (华为 is barred from notify anyway).
        "commitment_record": {
            "subject": o["subject"],
            "matter": "administrative_licensing",
            "kind": "notify",
            "reason": "申请许可",
            "signatory": "张三",
        },
        "commitment_decide": {"step": "decide", "decision": "breach", "reason": "不实"},
        "commitment_rule": {
            "form": "rule",
            "time_limit_workdays": "20",
            "high_risk": "on",
            "block_months": "12",
        },  # high risk without its basis
        "commitment_sign": {
            "matter": "government_procurement",
            "kind": "scene",
            "department": "SCJG",
            "reason": "申请许可",
            "signatory": "李经办",
        },
        "commitment_statement": {"statement": "证明已补办"},
        # Refused by the form or the service after the gate: an unknown subject kind, a
        # badge missing, a ratio beyond the item's range, an unknown step.
        "inspection_item": {
            "name": "检查",
            "legal_basis": "依据",
            "target_kinds": "person",
            "method": "on_site",
        },
        "inspector": {"form": "inspector", "name": "王五", "badge": ""},
        "inspection_plan": {
            "name": "计划",
            "items": str(o["inspection_item"]),
            "ratio_a": "50",
            "ratio_b": "20",
            "ratio_c": "60",
            "ratio_d": "100",
            "inspectors_per_department": "2",
            "period_start": "2026-12-01",
            "period_end": "2026-12-31",
        },
        "plan_step": {"step": "freeze"},
        "plan_api": {
            "name": "计划",
            "items": [o["inspection_item"]],
            "ratios": {"A": 50, "B": 20, "C": 60, "D": 100},
            "inspectors_per_department": 2,
            "period_start": "2026-12-01",
            "period_end": "2026-12-31",
        },
        "result_api": {"outcome": "unknown", "inspected_on": "2026-12-01"},
        "monthly_report": {"month": o["report_month"]},
        # Webhooks: an unknown kind is refused after the gate (nothing registered or changed)
        "webhook": {
            "name": "接收",
            "url": "https://scjg.example.gov.cn/hook",
            "kinds": ["weather"],
            "subjects": [HUAWEI],
        },
        "webhook_page": {
            "name": "接收",
            "url": "https://scjg.example.gov.cn/hook",
            "watch": "codes",
            "codes": HUAWEI,
            "signing": "hmac",
        },
        "webhook_step": {"step": "ping"},
        "agency_verify": {"number": "XAZX-0001", "sha256": "0" * 64},
        "agency_filing": {"step": "file", "scope": "信用报告"},  # no materials, no persons
        "agency_authorise": {"step": "grant", "purpose": "credit_consulting"},  # covers nothing
        "agency_misconduct": {"step": "misconduct", "facts": ""},
        "agency_report": {
            "number": "XAZX-0001",
            "subject": HUAWEI,
            "kind": "credit_report",
            "issued_on": "2026-01-01",
            "sha256": "0" * 64,
        },
        "replay": {"since": "2026-01-01T00:00:00+08:00"},
        # Industry associations
        "association_grant": {
            "association": "SPXH",
            "items": ["honor"],
            "basis": "",
            "valid_from": "2026-01-01",
        },
        "association_end": {"reason": ""},
        "association_member": {"uscc": UNKNOWN_USCC, "joined_on": "2026-01-01"},
        "association_member_api": {"uscc": UNKNOWN_USCC, "joined_on": "2026-01-01"},
        "association_leave": {"left_on": "2026-01-01"},
        "association_campaign": {"title": "承诺", "text": "守法经营"},
        "association_sanction": {
            "subject": o["subject"],
            "kind": "warning",
            "facts": "f",
            "basis": "b",
            "reasons": "r",
        },
        "association_sanction_api": {
            "member_uscc": HUAWEI,
            "kind": "warning",
            "facts": "f",
            "basis": "b",
            "reasons": "r",
        },
        "association_step": {"step": "notify"},
        "association_decision": {"sanction": False, "reasons": "r"},
        "association_revocation": {"ground": "error", "reasons": "r"},
        "association_sign": {"campaign": o["campaign"]},  # closed: refused after the gate
        "association_statement": {"statement": ""},
    }


# -- asking ------------------------------------------------------------------------------


def _client_for(actor: str, world, api: bool) -> Client:
    token = world["tokens"].get(actor) if api else None
    if token:
        return Client(headers={"Authorization": f"Bearer {token}"})
    c = Client()
    if actor != "anon":
        c.force_login(world["users"][actor])
    return c


def _url(route: str, params: dict, world) -> str:
    o = world["objects"]
    url = route.split("?")[0]
    for name, obj in params.items():
        url = re.sub(rf"<(\w+:)?{name}>|\{{{name}\}}", str(o[obj]), url)
    url = url if url.startswith("/") else "/" + url
    query = route.split("?", 1)[1] if "?" in route else ""
    for name, obj in params.items():  # a report's number and code travel in the query
        query = query.replace("{" + name + "}", str(o[obj]))
    return url + ("?" + query if query else "")


def _answer(resp) -> str:
    code = resp.status_code
    queued = getattr(getattr(resp.wsgi_request, "_messages", None), "_queued_messages", [])
    if any("denied" in m.tags for m in queued):
        return "denied"
    if code in (301, 302):
        where = resp.get("Location", "")
        return "login" if "login" in where else "302"
    return str(code)


def _matches(expected: str, got: str, resp) -> bool:
    if expected == "?":
        return False
    if expected == "ok":
        return resp.status_code < 500 and got not in ("401", "403", "404", "login")
    return expected == got


# It answers about the access layer, which no database changes (3,000 requests, the run's
# longest test but the walk): scripts/test runs it on the SQLite run only. What each actor
# sees in the content (the same rule as a query) runs on both, below.
@pytest.mark.one_database
def test_authorization_matrix(world):
    """Every page and endpoint, asked by every actor: the answer its cell says. One world
    for all (built once: fast); actors ask in column order, rows in table order, so what
    an allowed request changes is what later cells see — rows are written so that it
    changes none of their answers (the withdrawal takes a record nothing else names)."""
    bodies = _bodies(world)
    wrong = []
    for actor in ACTORS:
        wrong += _ask_all(actor, world, bodies)
    cells = len(ACTORS) * (len(PAGES) + len(ENDPOINTS))
    assert not wrong, f"{len(wrong)} of {cells} cells wrong:\n" + "\n".join(wrong)


def _ask_all(actor: str, world, bodies) -> list[str]:
    wrong = []
    clients = {api: _client_for(actor, world, api) for api in (False, True)}
    for table, api in ((PAGES, False), (ENDPOINTS, True)):
        for (method, route), (expect, params, body) in table.items():
            c = clients[api]
            url = _url(route, params, world)
            if method == "GET":
                resp = c.get(url)
            elif api:
                resp = c.post(url, bodies.get(body, {}), content_type="application/json")
            else:
                resp = c.post(url, bodies.get(body, {}))
            got = _answer(resp)
            if "logout" in route:  # it signed out: sign in again for the next rows
                clients[api] = _client_for(actor, world, api)
            if not _matches(expect[actor], got, resp):
                wrong.append(
                    f"{method} {route} as {actor}: expected {expect[actor]}, got {got}"
                    f" {resp.content[:200].decode(errors='replace')}"
                )
    return wrong


# -- what the answers hold: one rule, seen in the content --------------------------------

# For each actor: whether it sees the owning department's batch in the API's list, the
# objection and repair in 华为's back-office file, the related person 张三 (masked ID).
SEES = {
    #          batch  objection repair  person
    "clerk": (True, True, True, True),
    "review": (True, True, True, True),
    "other": (False, False, False, False),
    "audit": (True, False, False, False),
    "office": (True, True, True, True),
}


def test_what_each_actor_sees_follows_the_same_rule(world):
    o = world["objects"]
    wrong = []
    for actor, (batch, objection, repair, person) in SEES.items():
        api = _client_for(actor, world, api=True)
        listed = {b["id"] for b in api.get("/api/v1/records/batches").json()}
        page = _client_for(actor, world, api=False).get(f"/backoffice/subjects/{o['subject']}/")
        html = page.content.decode()
        got = (o["batch"] in listed, "异议 ·" in html, "信用修复 ·" in html, "********002X" in html)
        if got != (batch, objection, repair, person):
            wrong.append(f"{actor}: expected {(batch, objection, repair, person)}, got {got}")
    assert not wrong, "\n".join(wrong)
    # The repair queue offers the decision only to those who may take it (its reviewer).
    offered = {a: 'value="approve"' in _client_for(a, world, api=False)
               .get("/backoffice/repairs/").content.decode() for a in ("clerk", "review")}  # fmt: skip
    assert offered == {"clerk": False, "review": True}


def _reports(actors, org, portal) -> dict:
    """Three reports about 华为: a public one anyone asked for (its code set to MATRIX, so
    rows can name it), the bound account's own report, the market regulator's review."""
    from xinyong.accounts.actors import ANONYMOUS
    from xinyong.reports import services as reports
    from xinyong.reports.models import Report

    public = reports.report_issue(actor=ANONYMOUS, kind="public", subject=org).report
    Report.objects.filter(pk=public.pk).update(code_hash=reports.code_hash(public.number, "MATRIX"))
    own = reports.report_issue(actor=portal, kind="own", subject=org).report
    Report.objects.filter(pk=own.pk).update(code_hash=reports.code_hash(own.number, "MATRIX"))
    review = reports.report_issue(
        actor=actors["market_clerk"], kind="review", subject=org, purpose="政府采购资格审查"
    ).report
    return {"public_report": public.number, "own_report": own.number, "dept_report": review.number}
