from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    path("manage/feedback/", views.feedback_admin, name="feedback_admin"),
    path("manage/feedback/<int:feedback_id>/handled/", views.feedback_mark_handled, name="feedback_mark_handled"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("jobs/<str:job_id>/", views.job_progress, name="job_progress"),
    path("jobs/<str:job_id>/download/", views.job_download, name="job_download"),
    path("healthz/", views.healthz, name="healthz"),
    path("readyz/", views.readyz, name="readyz"),
    path("ping/", views.ping, name="ping"),
    path("notifications/", views.notifications_list, name="notifications"),
    path("notifications/<int:notification_id>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
