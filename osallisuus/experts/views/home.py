"""The module's front page: what waits for each of the person's roles here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from osallisuus.core.access import Shown
from osallisuus.core.http import AuthedRequest, render

from .. import selectors
from ..models import TaskRequest
from ..permissions import is_coordinator, order_orgs
from ..selectors import queues


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    expert = selectors.my_expert_profile(user=user)
    roles = {
        "expert": expert is not None,
        "coordinator": is_coordinator(user),
        "orderer": bool(order_orgs(user)),
        "partner": selectors.is_partner_of_any(user=user),
    }
    if not any(roles.values()):
        raise PermissionDenied(_("This part of the service is for experts by experience, coordinators and orderers."))
    open_offers = list(selectors.open_offers_for(user=user)[:10]) if expert else []
    waiting = (
        list(selectors.requests_for(actor=user, status=TaskRequest.Status.SUBMITTED)[:10])
        if roles["coordinator"]
        else []
    )
    to_confirm = queues.tasks_to_confirm(actor=user) if roles["orderer"] else []
    partnered = list(selectors.partnered_agreements(user=user)[:20]) if roles["partner"] else []
    shown = Shown(user, "partner tasks", request.path)
    shown.add(*(a.expert.user for a in partnered), *(a.expert.user for a in to_confirm))
    shown.log()
    return render(
        request,
        "experts/home.html",
        {
            "roles": roles,
            "expert": expert,
            "notifications": selectors.experts_notices(user=user),
            "open_offers": open_offers,
            "waiting": waiting,
            "partnered": partnered,
            "to_confirm": to_confirm,
            "next_task": queues.next_task_of(actor=user) if expert else None,
        },
    )
