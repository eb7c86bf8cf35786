"""The funding pages under /funding/: applying (programmes, ideas, calls, applications, review,
decisions) and the money after a decision (payments, loans, reports, groups, portfolio)."""

from osallisuus.funding.urls_apply import urlpatterns as apply_patterns
from osallisuus.funding.urls_money import urlpatterns as money_patterns

app_name = "funding"

urlpatterns = [*apply_patterns, *money_patterns]
