"""The pages of applying: programmes, ideas, calls, applications, review, hearings and decisions."""

from django.urls import URLPattern, path

from .views import applications, manage, programmes, review

urlpatterns: list[URLPattern] = [
    path("", programmes.home, name="home"),
    path("deadlines/", programmes.deadline_list, name="deadlines"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme"),
    path("programmes/<int:pk>/ideas/new/", programmes.idea_new, name="idea_new"),
    path("programmes/<int:pk>/manage/", manage.manage, name="manage"),
    path("programmes/<int:pk>/envelopes/", manage.envelope_save, name="envelope_save"),
    path("programmes/<int:pk>/documents/", manage.document_add, name="document_add"),
    path("programmes/<int:pk>/events/", manage.event_add, name="event_add"),
    path("programmes/<int:pk>/calls/", manage.call_add, name="call_add"),
    path("ideas/<int:pk>/", programmes.idea_detail, name="idea"),
    path("ideas/<int:pk>/advice/", programmes.idea_advice, name="idea_advice"),
    path("ideas/<int:pk>/invite/", programmes.idea_invite, name="idea_invite"),
    path("calls/<int:pk>/", programmes.call_detail, name="call"),
    path("calls/<int:pk>/apply/", programmes.application_start, name="application_start"),
    path("applications/", applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/submitted/", applications.application_submitted, name="application_submitted"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/resubmit/", applications.application_resubmit, name="application_resubmit"),
    path("applications/<int:pk>/attachments/", applications.attachment_add, name="attachment_add"),
    path("applications/<int:pk>/users/", applications.application_user_add, name="application_user_add"),
    path("applications/<int:pk>/eura/", applications.application_eura, name="application_eura"),
    path("attachments/<int:pk>/", applications.attachment_download, name="attachment"),
    path("applications/<int:pk>/review/", review.review, name="review"),
    path("applications/<int:pk>/recommendation/", review.recommend, name="recommend"),
    path("applications/<int:pk>/summary.pdf", review.summary_pdf, name="summary_pdf"),
    path("applications/<int:pk>/hearing/", review.hearing_new, name="hearing_new"),
    path("hearings/<int:pk>/invite.ics", review.hearing_ics, name="hearing_ics"),
    path("hearings/<int:pk>/minutes/", review.hearing_minutes, name="hearing_minutes"),
    path("applications/<int:pk>/decide/", review.decide, name="decide"),
]
