from django.urls import path

from . import views

app_name = "measurement"

urlpatterns = [
    path("", views.my_questionnaires, name="my_questionnaires"),
    path("invitations/<int:invitation_id>/start/", views.invitation_start, name="invitation_start"),
    path("a/<str:token>/", views.link, name="link"),
    path("a/<str:token>/withdraw/", views.link_withdraw, name="link_withdraw"),
    path("r/<int:response_id>/", views.respond, name="respond"),
    path("r/<int:response_id>/answers/", views.response_answers, name="response_answers"),
    path("r/<int:response_id>/withdraw/", views.response_withdraw, name="response_withdraw"),
    path("r/<int:response_id>/share/", views.response_share, name="response_share"),
    path("shared/", views.shared_with_me, name="shared_with_me"),
    path("shared/<int:response_id>/", views.shared_detail, name="shared_detail"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/invite/", views.round_invite, name="round_invite"),
    path("rounds/<int:round_id>/send/", views.round_send, name="round_send"),
    path("rounds/<int:round_id>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:round_id>/sheets/", views.round_sheets, name="round_sheets"),
    path("rounds/<int:round_id>/import/", views.round_import, name="round_import"),
    path("reports/", views.reports_index, name="reports"),
    path("reports/breakdown/", views.breakdown, name="breakdown"),
    path("reports/rounds/<int:round_id>/", views.round_report, name="round_report"),
    path("reports/rounds/<int:round_id>/export/<str:fmt>/", views.round_report_export, name="round_report_export"),
    path("reports/change/<int:first_id>/<int:second_id>/", views.change_report, name="change_report"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/import/", views.instrument_upload, name="instrument_upload"),
    path("instruments/<int:instrument_id>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:instrument_id>/export/", views.instrument_export, name="instrument_export"),
    path("instrument-schema.json", views.instrument_schema, name="instrument_schema"),
    path("external/", views.external, name="external"),
]
