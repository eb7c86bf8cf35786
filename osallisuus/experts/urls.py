from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/review/", views.request_review, name="request_review"),
    path("requests/<int:pk>/details/", views.request_details, name="request_details"),
    path("requests/<int:pk>/offer/", views.request_offer, name="request_offer"),
    path("offers/", views.offers, name="offers"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm, name="agreement_confirm"),
    path("agreements/<int:pk>/cancel/", views.agreement_cancel, name="agreement_cancel"),
    path("agreements/<int:pk>/reschedule/", views.agreement_reschedule, name="agreement_reschedule"),
    path("agreements/<int:pk>/feedback/", views.agreement_feedback, name="agreement_feedback"),
    path("agreements/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/task.ics", views.agreement_ics, name="agreement_ics"),
    path("agreements/<int:pk>/expenses/", views.expenses, name="expenses"),
    path("payments/", views.payments, name="payments"),
    path("payments/export/", views.payments_export, name="payments_export"),
    path("profile/", views.profile, name="profile"),
    path("profile/check-in/", views.checkin, name="checkin"),
    path("limits/", views.limits, name="limits"),
    path("limits/statement.pdf", views.statement_pdf, name="statement_pdf"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("wellbeing/", views.wellbeing, name="wellbeing"),
    path("wellbeing/sessions/", views.sessions, name="sessions"),
    path("reports/", views.reports, name="reports"),
    path("peer-events/", views.peer_events, name="peer_events"),
    path("reference/", views.reference, name="reference"),
]
