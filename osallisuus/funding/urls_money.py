"""The money after a decision: payments, reports and outputs, loans, groups and the portfolio."""

from django.urls import URLPattern, path

from osallisuus.funding.views import groups, money, portfolio

urlpatterns: list[URLPattern] = [
    path("payments/", money.payments, name="payments"),
    path("payments/xlsx/", money.payments_xlsx, name="payments_xlsx"),
    path("decisions/<int:pk>/money/", money.decision_money, name="decision_money"),
    path("decisions/<int:pk>/payments/request/", money.payment_request, name="payment_request"),
    path("decisions/<int:pk>/reports/new/", money.report_submit, name="report_submit"),
    path("decisions/<int:pk>/loan/new/", money.loan_create, name="loan_create"),
    path("outputs/<int:pk>/verify/", money.output_verify, name="output_verify"),
    path("payments/<int:pk>/approve/", money.payment_approve, name="payment_approve"),
    path("payments/<int:pk>/reject/", money.payment_reject, name="payment_reject"),
    path("loans/", money.loans, name="loans"),
    path("loans/<int:pk>/", money.loan, name="loan"),
    path("instalments/<int:pk>/repaid/", money.instalment_repaid, name="instalment_repaid"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/<int:pk>/", groups.group, name="group"),
    path("programmes/<int:pk>/steering-group/", groups.steering_group_create, name="steering_group_create"),
    path("groups/<int:pk>/members/", groups.member_add, name="group_member_add"),
    path("groups/<int:pk>/meetings/", groups.meeting_add, name="group_meeting_add"),
    path("group-meetings/<int:pk>/", groups.meeting, name="group_meeting"),
    path("group-meetings/<int:pk>/invite.ics", groups.meeting_ics, name="group_meeting_ics"),
    path("group-meetings/<int:pk>/minutes/", groups.minutes_save, name="group_minutes"),
    path("group-meetings/<int:pk>/decisions/", groups.decision_add, name="group_decision_add"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("portfolio/xlsx/", portfolio.portfolio_xlsx, name="portfolio_xlsx"),
]
