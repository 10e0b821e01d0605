from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("<int:pk>/", views.notification_open, name="open"),
]
