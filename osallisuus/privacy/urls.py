from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("who-has-seen-my-data/", views.my_access_log, name="my_access_log"),
]
