from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("who-has-seen-my-data/", views.my_access_log, name="my_access_log"),
    path("access-log/", views.access_log_search, name="access_log_search"),
    path("record-of-processing/", views.record_of_processing, name="record_of_processing"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:person_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:person_id>/erase/", views.request_erase, name="request_erase"),
    path("requests/<int:person_id>/export/", views.request_export, name="request_export"),
]
