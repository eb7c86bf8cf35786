from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.network_new, name="network_new"),
    path("<int:pk>/", views.network_detail, name="network"),
    path("<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("<int:pk>/close/", views.network_close, name="network_close"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/rotation/", views.rotation, name="rotation"),
    path("<int:pk>/ties/new/", views.tie_new, name="tie_new"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<int:pk>/goals/", views.goals, name="goals"),
    path("<int:pk>/goals/<int:goal_id>/status/", views.goal_status, name="goal_status"),
    path("<int:pk>/resources/", views.resources, name="resources"),
    path("<int:pk>/resources.xlsx", views.resources_xlsx, name="resources_xlsx"),
    path("<int:pk>/picture/", views.picture_page, name="picture"),
    path("<int:pk>/picture/snapshot/", views.snapshot_new, name="snapshot_new"),
    path("<int:pk>/change/", views.change, name="change"),
    path("<int:pk>/export.graphml", views.export_graphml, name="export_graphml"),
    path("<int:pk>/export-<str:what>.csv", views.export_csv, name="export_csv"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("members/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("members/<int:pk>/leave/", views.membership_leave, name="membership_leave"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/notes/", views.meeting_notes, name="meeting_notes"),
    path("meetings/<int:pk>/actions/", views.action_new, name="action_new"),
    path("meetings/<int:pk>/actions/<int:action_id>/", views.action_follow_up, name="action_follow_up"),
    path("meetings/<int:pk>/invite.ics", views.meeting_ics, name="meeting_ics"),
    path("maps/", views.maps, name="maps"),
    path("maps/<int:pk>/", views.map_detail, name="map"),
    path("maps/<int:pk>/people/", views.map_person_new, name="map_person_new"),
    path("maps/people/<int:pk>/remove/", views.map_person_remove, name="map_person_remove"),
    path("maps/<int:pk>/versions/", views.map_version_new, name="map_version_new"),
    path("maps/<int:pk>/share/", views.map_share, name="map_share"),
    path("maps/<int:pk>/map.pdf", views.map_pdf, name="map_pdf"),
]
