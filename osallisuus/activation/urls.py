from django.urls import path

from . import views

app_name = "activation"

urlpatterns = [
    path("", views.my_plan, name="my_plan"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("<int:pk>/share/", views.plan_share, name="share"),
    path("<int:pk>/check-in/", views.checkin_start, name="checkin_start"),
    path("<int:pk>/meetings/new/", views.meeting_request, name="meeting_request"),
    path("<int:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/fhir.json", views.plan_fhir, name="plan_fhir"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/accept/", views.goal_accept, name="goal_accept"),
    path("goals/<int:pk>/notes/", views.goal_note, name="goal_note"),
    path("goals/<int:pk>/compare/", views.goal_compare, name="goal_compare"),
    path("shares/<int:pk>/stop/", views.share_revoke, name="share_revoke"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/invite.ics", views.meeting_ics, name="meeting_ics"),
    path("outcomes/<int:pk>/print/", views.outcome_print, name="outcome_print"),
    path("activities/", views.catalogue, name="catalogue"),
    path("activities/propose/", views.activity_propose, name="activity_propose"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/sign-up/", views.activity_signup, name="activity_signup"),
    path("activities/<int:pk>/help/", views.activity_help, name="activity_help"),
    path("sign-ups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("caseload/", views.caseload, name="caseload"),
    path("provider/", views.provider_home, name="provider_home"),
    path("provider/activities/new/", views.provider_activity_new, name="provider_activity_new"),
    path("provider/activities/<int:pk>/", views.provider_activity, name="provider_activity"),
    path("provider/activities/<int:pk>/edit/", views.provider_activity_edit, name="provider_activity_edit"),
    path("provider/proposals/<int:pk>/adopt/", views.provider_adopt, name="provider_adopt"),
    path("reports/", views.report, name="reports"),
]
