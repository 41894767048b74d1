from django.urls import path

from assessments.views import accounts, answering, assessments, evidence, imports, organisations, reports, results

urlpatterns = [
    path("accounts/signup/", accounts.signup, name="signup"),
    path("organisations/switch/", accounts.switch_organisation, name="switch-organisation"),
    path("dashboard/", organisations.dashboard, name="dashboard"),
    path("members/", organisations.members, name="members"),
    path("members/invite/", organisations.invite, name="invite"),
    path("members/<uuid:member>/role/", organisations.member_role, name="member-role"),
    path("members/<uuid:member>/remove/", organisations.member_remove, name="member-remove"),
    path("invitations/<uuid:code>/", organisations.invitation, name="invitation"),
    path("assessments/new/", assessments.create, name="assessment-create"),
    path("assessments/import/", imports.start, name="import"),
    path("assessments/import/confirm/", imports.confirm, name="import-confirm"),
    path("assessments/<uuid:code>/", assessments.detail, name="assessment"),
    path("assessments/<uuid:code>/submit/", assessments.submit, name="assessment-submit"),
    path("assessments/<uuid:code>/reopen/", assessments.reopen, name="assessment-reopen"),
    path("assessments/<uuid:code>/copy/", assessments.copy, name="assessment-copy"),
    path("assessments/<uuid:code>/delete/", assessments.delete, name="assessment-delete"),
    path("assessments/<uuid:code>/upgrade/", assessments.upgrade, name="assessment-upgrade"),
    path("assessments/<uuid:code>/sections/<str:theme>/", answering.section, name="section"),
    path("assessments/<uuid:code>/items/<str:item>/history/", answering.history, name="answer-history"),
    path("assessments/<uuid:code>/results/", results.results, name="results"),
    path("assessments/<uuid:code>/results/<str:instrument>/", results.results_instrument, name="results-instrument"),
    path("assessments/<uuid:code>/export.json", results.export_json_view, name="export-json"),
    path("assessments/<uuid:code>/export.csv", results.export_csv_view, name="export-csv"),
    path("assessments/<uuid:code>/report.pdf", reports.report_pdf, name="report-pdf"),
    path("assessments/<uuid:code>/report/", reports.report_status, name="report-status"),
    path("evidence/<uuid:code>/", evidence.download, name="evidence"),
    path("verify/", reports.verify, name="verify"),
]
