from django.contrib.auth import views as auth_views
from django.urls import include, path

from xinyong.agencies import views as agency_views
from xinyong.alerts import views as alert_views
from xinyong.backoffice import calendar, clients, views
from xinyong.bodies import views as body_views
from xinyong.catalog import views as catalog_views
from xinyong.commitments import office_views as commitment_views
from xinyong.declarations import views as declaration_views
from xinyong.demonstration import views as demonstration_views
from xinyong.disclosure import views as disclosure_views
from xinyong.evaluation import office_views as evaluation_views
from xinyong.exchange import views as exchange_views
from xinyong.exchange.webhooks import views as webhook_views
from xinyong.ingest import views as ingest_views
from xinyong.lists import document_views as list_documents
from xinyong.lists import views as list_views
from xinyong.practitioners import views as practitioner_views
from xinyong.remedies import views as remedy_views
from xinyong.reports.views import backoffice as report_views
from xinyong.sanctions import views as check_views
from xinyong.stats import scorecard_views
from xinyong.stats import views as stats_views
from xinyong.supervision import office_views as supervision_views
from xinyong.tips import views as tip_views

app_name = "backoffice"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="backoffice/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("code-defects/", views.code_defects, name="code_defects"),
    path("subjects/", views.subject_search, name="subject_search"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("audit/", views.audit_events, name="audit"),
    path("exchange/digests/", exchange_views.digests, name="exchange_digests"),
    path("api-clients/", clients.client_list, name="api_clients"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook"),
    path("api-clients/<int:pk>/revoke/", clients.client_revoke, name="api_client_revoke"),
    path("calendar/", calendar.calendar_month, name="calendar"),
    path("calendar/import/", calendar.calendar_import, name="calendar_import"),
    path("batches/", ingest_views.batch_list, name="batches"),
    path("batches/upload/", ingest_views.batch_upload, name="batch_upload"),
    path("batches/<int:pk>/", ingest_views.batch_detail, name="batch"),
    path("batches/<int:pk>/report.csv", ingest_views.batch_report, name="batch_report"),
    path("batches/<int:pk>/retry/", ingest_views.batch_retry, name="batch_retry"),
    path("quality/", ingest_views.quality, name="quality"),
    path("records/<int:pk>/withdraw/", ingest_views.record_withdraw, name="record_withdraw"),
    path("publicity/timeliness/", disclosure_views.timeliness, name="publicity_timeliness"),
    path("publicity/rules/", disclosure_views.rules, name="publicity_rules"),
    path("publicity/withdrawals/", disclosure_views.withdrawals, name="publicity_withdrawals"),
    path("lists/", list_views.case_list, name="list_cases"),
    path("lists/new/", list_views.case_new, name="list_case_new"),
    path("lists/<int:pk>/", list_views.case_detail, name="list_case"),
    path(
        "lists/<int:pk>/prior-notice.pdf",
        list_documents.entry_document,
        {"kind": "prior_notice"},
        name="list_prior_notice",
    ),
    path(
        "lists/<int:pk>/decision.pdf",
        list_documents.entry_document,
        {"kind": "decision"},
        name="list_decision",
    ),
    path(
        "lists/statement-files/<int:pk>/",
        list_documents.statement_file,
        name="list_statement_file",
    ),
    path(
        "rectifications/<int:pk>/order.pdf",
        list_documents.rectification_pdf,
        name="rectification_pdf",
    ),
    path("roll/", list_views.roll_admin, name="roll"),
    path("bindings/", remedy_views.binding_queue, name="bindings"),
    path("objections/", remedy_views.objection_queue, name="objections"),
    path("repairs/", remedy_views.repair_queue, name="repairs"),
    path("repairs/materials/<int:pk>/", remedy_views.repair_material, name="repair_material"),
    path("bindings/<int:pk>/evidence/", remedy_views.binding_evidence, name="binding_evidence"),
    path(
        "objections/<int:pk>/evidence/",
        remedy_views.objection_evidence,
        name="objection_evidence",
    ),
    path("inspections/items/", supervision_views.items, name="inspection_items"),
    path("inspections/inspectors/", supervision_views.inspectors, name="inspectors"),
    path("inspections/plans/", supervision_views.plans, name="inspection_plans"),
    path("inspections/plans/<int:pk>/", supervision_views.plan, name="inspection_plan"),
    path(
        "inspections/plans/<int:pk>/candidates.txt",
        supervision_views.frozen_file,
        {"kind": "candidates"},
        name="inspection_plan_candidates",
    ),
    path(
        "inspections/plans/<int:pk>/pool.txt",
        supervision_views.frozen_file,
        {"kind": "pool"},
        name="inspection_plan_pool",
    ),
    path("checks/", check_views.check_page, name="checks"),
    path("checks/batch/", check_views.batch_check, name="checks_batch"),
    path("checks/log/", check_views.check_log, name="check_log"),
    path("checks/<int:pk>/feedback/", check_views.check_feedback, name="check_feedback"),
    path("lists/<int:pk>/follow-up/", check_views.entry_follow_up, name="list_follow_up"),
    path("tasks/", check_views.task_queue, name="tasks"),
    path("effectiveness/", check_views.effectiveness, name="effectiveness"),
    path("catalog/", catalog_views.item_list, name="catalog"),
    path("catalog/<str:code>/", catalog_views.item_detail, name="catalog_item"),
    path("catalog/<str:code>/edit/", catalog_views.item_edit, name="catalog_item_edit"),
    path("reports/", report_views.report_page, name="reports"),
    path("reports/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("reports/batches/new/", report_views.batch_new, name="report_batch_new"),
    path("reports/batches/<int:pk>/", report_views.batch_detail, name="report_batch"),
    path("reports/batches/<int:pk>/zip/", report_views.batch_zip, name="report_batch_zip"),
    # Early warning (失信预警, issue #18): the departments' queue, an alert, the credit
    # office's rules and every rule's precision.
    path("alerts/", alert_views.queue, name="alerts"),
    path("alerts/<int:pk>/", alert_views.detail, name="alert"),
    path("alerts/notices/<int:pk>.pdf", alert_views.notice_pdf, name="alert_notice_pdf"),
    path("alerts/precision/", alert_views.precision, name="alert_precision"),
    path("alerts/rules/", alert_views.rules, name="alert_rules"),
    path("alerts/rules/<int:pk>/", alert_views.rule, name="alert_rule"),
    # Credit service agencies (issue #18): filings to review, agencies, misconduct, removal
    # (its notice and decision as PDFs, the agency's statement attachment).
    path("agencies/", agency_views.office_queue, name="agencies"),
    path("agencies/<int:pk>/", agency_views.office_agency, name="agency"),
    path("agencies/files/<int:pk>/", agency_views.office_file, name="agency_file"),
    path("agencies/verify/", agency_views.office_verify, name="agency_verify"),
    path(
        "agencies/removals/<int:pk>/notice.pdf",
        agency_views.office_removal_document,
        {"which": "notice"},
        name="agency_removal_notice",
    ),
    path(
        "agencies/removals/<int:pk>/decision.pdf",
        agency_views.office_removal_document,
        {"which": "decision"},
        name="agency_removal_decision",
    ),
    path(
        "agencies/removals/<int:pk>/statement-file/",
        agency_views.office_statement_file,
        name="agency_removal_statement_file",
    ),
    path("declarations/", declaration_views.queue, name="declarations"),
    path("declarations/<int:pk>/", declaration_views.detail, name="declaration"),
    path(
        "declarations/evidence/<int:pk>/",
        declaration_views.evidence,
        name="declaration_evidence",
    ),
    # Credit commitments (issue #15): the credit office's settings, the departments' pages.
    path("commitments/", commitment_views.queue, name="commitments"),
    path("commitments/new/", commitment_views.record, name="commitment_new"),
    path("commitments/<int:pk>/", commitment_views.detail, name="commitment"),
    path(
        "commitments/<int:pk>/scan/",
        commitment_views.commitment_file,
        {"which": "scan"},
        name="commitment_scan",
    ),
    path(
        "commitments/<int:pk>/evidence/",
        commitment_views.commitment_file,
        {"which": "evidence"},
        name="commitment_evidence",
    ),
    path("commitments/settings/", commitment_views.settings_list, name="commitment_settings"),
    path(
        "commitments/settings/<str:code>/",
        commitment_views.matter_settings,
        name="commitment_matter",
    ),
    # Public credit evaluation (issue #16): the overview and runs, the models, publication.
    path("evaluation/", evaluation_views.overview, name="evaluation"),
    path("evaluation/runs/", evaluation_views.run_new, name="evaluation_run"),
    path("evaluation/models/", evaluation_views.models, name="evaluation_models"),
    path("evaluation/models/<int:pk>/", evaluation_views.model, name="evaluation_model"),
    path("evaluation/publication/", evaluation_views.publication, name="evaluation_publication"),
    # Effectiveness tracking (issue #17): scorecards per department and month, monthly reports.
    path("scorecards/", scorecard_views.month, name="scorecards"),
    path("scorecards/reports/", scorecard_views.reports, name="monthly_reports"),
    path(
        "scorecards/reports/<str:month>/report.pdf",
        scorecard_views.report_file,
        {"kind": "pdf"},
        name="monthly_report_pdf",
    ),
    path(
        "scorecards/reports/<str:month>/report.xlsx",
        scorecard_views.report_file,
        {"kind": "xlsx"},
        name="monthly_report_xlsx",
    ),
    path(
        "scorecards/departments/<str:code>/",
        scorecard_views.department,
        name="scorecard_department",
    ),
    # Public bodies (issue #18, item 6): notices to acknowledge, staff misconduct, files.
    path("notice-receipts/", body_views.receipts, name="notice_receipts"),
    path("notice-receipts/<int:pk>/", body_views.receipt, name="notice_receipt"),
    path("staff-misconduct/", body_views.misconduct_page, name="staff_misconduct"),
    path("public-bodies/", body_views.bodies, name="public_bodies"),
    path("public-bodies/<int:pk>/", body_views.body, name="public_body"),
    # Practitioner credit files (issue #18, item 7).
    path("professions/", practitioner_views.professions, name="professions"),
    path("practitioners/", practitioner_views.practitioners, name="practitioners"),
    path("practitioners/<int:pk>/", practitioner_views.practitioner, name="practitioner"),
    path("statistics/", stats_views.dashboard, name="stats"),
    path("statistics/<str:key>.xlsx", stats_views.chart_download, name="stats_download"),
    # Integrity demonstration units (issue #18): campaigns, applications, assessment.
    path("demonstration/", demonstration_views.campaigns, name="demonstration"),
    path(
        "demonstration/<int:pk>/",
        demonstration_views.campaign,
        name="demonstration_campaign",
    ),
    path("demonstration/units/<int:pk>/", demonstration_views.unit, name="demonstration_unit"),
    # Rewarded tips (issue #18 item 3): queue, a tip's page, evidence, routing and periods.
    path("tips/", tip_views.queue, name="tips"),
    path("tips/settings/", tip_views.settings_page, name="tip_settings"),
    path("tips/<int:pk>/", tip_views.detail, name="tip"),
    path("tips/evidence/<int:pk>/", tip_views.evidence, name="tip_evidence"),
    # Industry associations (issue #18 item 2): authorisations, the association's pages.
    path("associations/", include("xinyong.associations.office_urls")),
]
