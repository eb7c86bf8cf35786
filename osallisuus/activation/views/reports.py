"""The municipality's anonymous activation report, for one organisation at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from osallisuus.core.http import AuthedRequest, render

from .. import permissions, reports
from ..permissions import P
from ._common import choose_organisation, require


@login_required
@require_GET
def report(request: AuthedRequest) -> HttpResponse:
    require(permissions.can_view_reports(request.user))
    choice = choose_organisation(
        user=request.user,
        permission=P.VIEW_REPORTS,
        chosen=request.GET.get("organisation"),
        label=_("Whose plans do you want to see?"),
    )
    context = {
        "choose": choice.form,
        "organisation": choice.organisation if choice.form is not None else None,
        "r": reports.report(organisation_ids=[choice.organisation.pk]) if choice.organisation else None,
    }
    return render(request, "activation/reports.html", context, status=400 if choice.refused else 200)
