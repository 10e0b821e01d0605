"""/reports/: dashboards, the annual summary workbook, the printable report, and the
rows behind each figure."""

from django.urls import path

from programs.reports import row_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("annual-summary.xlsx", views.annual_summary_xlsx, name="annual-summary-xlsx"),
    path("annual-summary/<slug:sheet>.csv", views.annual_summary_csv, name="annual-summary-csv"),
    path("annual/<slug:slug>/<str:year>/", views.annual_report, name="annual-report"),
    path("pairs/", row_views.pair_rows, name="pairs"),
    path("activities/", row_views.activity_rows, name="activities"),
    path("activities/<str:code>/", row_views.activity_detail, name="activity-detail"),
    path("support/", row_views.donation_rows, name="donations"),
    path("plan-items/", row_views.plan_item_rows, name="plan-items"),
]
