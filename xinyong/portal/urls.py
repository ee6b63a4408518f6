from django.contrib.auth.views import LogoutView
from django.urls import include, path

from xinyong.accounts import views as account_views
from xinyong.agencies import views as agency_views
from xinyong.alerts import views as alert_views
from xinyong.commitments import portal_views as commitment_views
from xinyong.declarations import views as declaration_views
from xinyong.demonstration import views as demonstration_views
from xinyong.evaluation import portal_views as evaluation_portal
from xinyong.lists import document_views as list_documents
from xinyong.portal import columns, views
from xinyong.practitioners import portal_views as practitioner_portal
from xinyong.practitioners import views as practitioner_views
from xinyong.remedies import views as remedy_views
from xinyong.reports.views import account as report_account_views
from xinyong.reports.views import portal as report_views
from xinyong.reports.views import verify as verify_views
from xinyong.stats import views as stats_views
from xinyong.supervision import portal_views as inspection_views
from xinyong.tips import views as tip_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<int:pk>/", views.publicity_detail, name="publicity_detail"),
    path("roll/", views.roll, name="roll"),
    path("corrections/", views.corrections, name="corrections"),
    path("lists/", columns.lists_index, name="lists"),
    path("lists/<str:code>/", columns.list_detail, name="list"),
    path("policies/", columns.policies, name="policies"),
    path("policies/<str:slug>/", columns.policy_detail, name="policy"),
    path("services/", columns.services, name="services"),
    path("corrections/<int:pk>/notice.pdf", remedy_views.correction_pdf, name="correction_pdf"),
    path("account/register/", remedy_views.register, name="account_register"),
    path("account/login/", remedy_views.PortalLoginView.as_view(), name="account_login"),
    path("account/logout/", LogoutView.as_view(next_page="/"), name="account_logout"),
    path("account/", remedy_views.account, name="account"),
    # Password reset by e-mail, portal accounts only (staff: the credit office resets).
    path(
        "account/password-reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/subjects/<int:pk>/", remedy_views.subject_file, name="account_subject"),
    path(
        "account/subjects/<int:pk>/objections/new/",
        remedy_views.objection_new,
        name="account_objection_new",
    ),
    path(
        "account/subjects/<int:pk>/repairs/new/",
        remedy_views.repair_new,
        name="account_repair_new",
    ),
    # The documents of a list case addressed to the bound subject, and its statement.
    path(
        "account/entries/<int:pk>/prior-notice.pdf",
        list_documents.account_document,
        {"kind": "prior_notice"},
        name="account_entry_prior_notice",
    ),
    path(
        "account/entries/<int:pk>/decision.pdf",
        list_documents.account_document,
        {"kind": "decision"},
        name="account_entry_decision",
    ),
    path(
        "account/entries/<int:pk>/statement/",
        list_documents.account_statement,
        name="account_entry_statement",
    ),
    path(
        "account/rectifications/<int:pk>/order.pdf",
        list_documents.account_rectification_pdf,
        name="account_rectification_pdf",
    ),
    # Credit reports: where to get them (the public report from a subject's page, the
    # subject's own reports on its account page), an issued report's page and files.
    path("subjects/<int:pk>/report/", report_views.subject_report, name="subject_report"),
    path("reports/<str:number>/", report_views.report_page, name="report"),
    path("reports/<str:number>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("reports/<str:number>/report.json", report_views.report_json, name="report_json"),
    path(
        "account/subjects/<int:pk>/reports/",
        report_account_views.account_reports,
        name="account_reports",
    ),
    path("verify/", verify_views.verify, name="verify"),
    # Practitioner credit files (issue #18, item 7): the person's own, bound account only.
    path(
        "account/subjects/<int:pk>/practitioner/",
        practitioner_views.own_file,
        name="account_practitioner",
    ),
    # ... and what a profession's rule publishes, to anyone: the column and one's page.
    path("practitioners/", practitioner_portal.column, name="practitioners"),
    path("practitioners/<int:pk>/", practitioner_portal.practitioner, name="practitioner"),
    # Early warning (失信预警): the warning notices the bound subject received.
    path(
        "account/subjects/<int:pk>/warnings/",
        alert_views.account_warnings,
        name="account_warnings",
    ),
    path(
        "account/warnings/<int:pk>/notice.pdf",
        alert_views.account_notice_pdf,
        name="account_warning_pdf",
    ),
    # Self-declaration (自主申报): the bound account declares and follows its declarations.
    path(
        "account/subjects/<int:pk>/declarations/",
        declaration_views.account_declarations,
        name="account_declarations",
    ),
    path("verify/keys/", verify_views.keys, name="verify_keys"),
    # Credit commitments (issue #15): the public column; a bound account signs online,
    # follows its commitments and answers a proposed breach.
    # Credit service agencies (issue #18): the directory, verification of an agency's
    # report, the agency's own page (filing, practitioners, tokens, reports, its statement
    # on a removal notice; the notice and the decision as PDFs) and a subject's
    # authorisations of agencies.
    path("agencies/", agency_views.directory, name="agencies"),
    path("agencies/<int:pk>/", agency_views.entry, name="agency"),
    path("agencies/verify/", agency_views.verify, name="agency_verify"),
    path("account/subjects/<int:pk>/agency/", agency_views.account_agency, name="account_agency"),
    path(
        "account/subjects/<int:pk>/agency/removals/<int:removal>/notice.pdf",
        agency_views.account_removal_document,
        {"which": "notice"},
        name="account_agency_removal_notice",
    ),
    path(
        "account/subjects/<int:pk>/agency/removals/<int:removal>/decision.pdf",
        agency_views.account_removal_document,
        {"which": "decision"},
        name="account_agency_removal_decision",
    ),
    path(
        "account/subjects/<int:pk>/authorisations/",
        agency_views.account_authorisations,
        name="account_authorisations",
    ),
    path("commitments/", commitment_views.column, name="commitments"),
    path("inspections/", inspection_views.results, name="inspections"),
    path("inspections/plans/<str:number>/", inspection_views.plan, name="inspection_plan"),
    path(
        "account/subjects/<int:pk>/commitments/new/",
        commitment_views.sign,
        name="account_commitment_new",
    ),
    path("account/commitments/", commitment_views.mine, name="account_commitments"),
    # Public credit evaluation (issue #16): the company's own full explanation.
    path(
        "account/subjects/<int:pk>/evaluation/",
        evaluation_portal.account_evaluation,
        name="account_evaluation",
    ),
    path("account/commitments/<int:pk>/", commitment_views.detail, name="account_commitment"),
    # Public statistics (issue #17): platform-wide counts only.
    path("statistics/", stats_views.public_statistics, name="statistics"),
    # Integrity demonstration units (issue #18): the published campaigns and their units.
    path("demonstration/", demonstration_views.public_list, name="demonstration"),
    path(
        "demonstration/<int:pk>/",
        demonstration_views.public_campaign,
        name="demonstration_campaign",
    ),
    path(
        "account/subjects/<int:pk>/demonstration/",
        demonstration_views.account_units,
        name="account_demonstration",
    ),
    # Rewarded tips (issue #18 item 3): anyone files a tip and follows it by receipt code.
    path("tips/", tip_views.home, name="tips"),
    path("tips/new/<int:pk>/", tip_views.new, name="tip_new"),
    path("tips/follow/", tip_views.follow, name="tip_follow"),
    # Industry associations (issue #18 item 2): a member's campaigns and sanction cases.
    path("", include("xinyong.associations.portal_urls")),
]
