"""/workspace/reviews/ and /workspace/commendations/: year-end reviews and the
commendation list (in the ``workspace`` namespace)."""

from django.urls import path

from programs.views.workspace import reviews

urlpatterns = [
    path("reviews/", reviews.review_list, name="review-list"),
    path("reviews/<str:code>/<str:year>/", reviews.review_detail, name="review-detail"),
    path("reviews/<str:code>/<str:year>/write/", reviews.review_edit, name="review-edit"),
    path("reviews/<str:code>/<str:year>/submit/", reviews.review_submit, name="review-submit"),
    path("reviews/<str:code>/<str:year>/reopen/", reviews.review_reopen, name="review-reopen"),
    path("reviews/<str:code>/<str:year>/send-on/", reviews.review_forward, name="review-forward"),
    path("reviews/<str:code>/<str:year>/return/", reviews.review_return, name="review-return"),
    path("reviews/<str:code>/<str:year>/rate/", reviews.review_rate, name="review-rate"),
    path("commendations/", reviews.commendation_list, name="commendation-list"),
    path("commendations.xlsx", reviews.commendation_xlsx, name="commendation-xlsx"),
    path("commendations.csv", reviews.commendation_csv, name="commendation-csv"),
]
