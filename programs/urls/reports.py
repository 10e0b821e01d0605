"""/reports/: dashboards, the annual summary workbook, the printable report, and the
rows behind each figure."""

from django.urls import path

from programs.views import report_rows, reports

app_name = "reports"

urlpatterns = [
    path("", reports.dashboard, name="dashboard"),
    path("annual-summary.xlsx", reports.annual_summary_xlsx, name="annual-summary-xlsx"),
    path("annual-summary/<slug:sheet>.csv", reports.annual_summary_csv, name="annual-summary-csv"),
    path("annual/<slug:slug>/<str:year>/", reports.annual_report, name="annual-report"),
    path("pairs/", report_rows.pair_rows, name="pairs"),
    path("activities/", report_rows.activity_rows, name="activities"),
    path("activities/<str:code>/", report_rows.activity_detail, name="activity-detail"),
    path("support/", report_rows.donation_rows, name="donations"),
    path("plan-items/", report_rows.plan_item_rows, name="plan-items"),
]
