"""Workspace routes for activities, plans, donations and a pair's timeline (issue 4),
included by programs.urls.workspace under the ``workspace`` namespace."""

from django.urls import path

from programs.views.workspace import activities, donations, plans, timeline

urlpatterns = [
    path("activities/", activities.activity_list, name="activity-list"),
    path("activities/new/", activities.activity_new, name="activity-new"),
    path("activities/pending-photos/<str:token>/", activities.activity_pending_photo, name="activity-pending-photo"),
    path("activities/<str:code>/", activities.activity_detail, name="activity-detail"),
    path("activities/<str:code>/edit/", activities.activity_edit, name="activity-edit"),
    path("activities/<str:code>/report/", activities.activity_report, name="activity-report"),
    path("activities/<str:code>/confirm/", activities.activity_confirm, name="activity-confirm"),
    path("activities/<str:code>/return/", activities.activity_return, name="activity-return"),
    path("activities/<str:code>/withdraw/", activities.activity_withdraw, name="activity-withdraw"),
    path("activities/<str:code>/delete/", activities.activity_delete, name="activity-delete"),
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/accept-many/", plans.plan_accept_many, name="plan-accept-many"),
    path("pairs/<str:code>/plans/<str:year>/", plans.plan_detail, name="plan-detail"),
    path("pairs/<str:code>/plans/<str:year>/edit/", plans.plan_edit, name="plan-edit"),
    path("pairs/<str:code>/plans/<str:year>/submit/", plans.plan_submit, name="plan-submit"),
    path("pairs/<str:code>/plans/<str:year>/accept/", plans.plan_accept, name="plan-accept"),
    path("pairs/<str:code>/plans/<str:year>/return/", plans.plan_return, name="plan-return"),
    path("donations/", donations.donation_list, name="donation-list"),
    path("donations/new/", donations.donation_new, name="donation-new"),
    path("donations/<str:code>/", donations.donation_detail, name="donation-detail"),
    path("donations/<str:code>/edit/", donations.donation_edit, name="donation-edit"),
    path("donations/<str:code>/delete/", donations.donation_delete, name="donation-delete"),
    path("donations/<str:code>/receipt/", donations.donation_receipt, name="donation-receipt"),
    path("pairs/<str:code>/timeline/", timeline.pair_timeline, name="pair-timeline"),
]
