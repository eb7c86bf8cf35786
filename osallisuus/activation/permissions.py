"""Who may see and change what in the activation module.

Only the participant, their current own worker (``accounts.Relationship`` of kind
``own_worker``, with ``activation.view_caseload`` in the relationship's organisation) and
the people the participant has chosen to share the plan with may see a plan. Activity
providers never see plans: they see the sign-ups to their own organisation's activities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import ALLOW, Decision

from .models import Activity, Plan, SignUp

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class P:
    """Permission codes seeded by ``migrations/0002_activation_permissions``."""

    HAVE_PLAN = "activation.have_plan"
    VIEW_CASELOAD = "activation.view_caseload"
    MANAGE_ACTIVITIES = "activation.manage_activities"
    VIEW_REPORTS = "activation.view_reports"


def client_ids_of(user: User) -> QuerySet:
    """The people this user is currently own worker for (in organisations where they may see caseloads)."""
    from osallisuus.accounts.models import Relationship

    orgs = user.permissions.organisations_with(P.VIEW_CASELOAD)
    return (
        Relationship.objects.current()
        .filter(worker=user, kind=Relationship.Kind.OWN_WORKER, organisation_id__in=orgs)
        .values("person_id")
    )


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Plans this user may read: their own, their clients', and those shared with them."""
    if not user.is_authenticated:
        return Plan.objects.none()
    condition = Q(participant=user)
    if user.permissions.has(P.VIEW_CASELOAD):
        condition |= Q(participant_id__in=client_ids_of(user))
    shared = Plan.objects.filter(shares__person=user, shares__revoked_at__isnull=True).values("pk")
    condition |= Q(pk__in=shared)
    return Plan.objects.filter(condition)


def plans_editable_by(user: User) -> QuerySet[Plan]:
    """Plans this user may change: their own and their clients' (people shared with only read)."""
    if not user.is_authenticated:
        return Plan.objects.none()
    condition = Q(participant=user)
    if user.permissions.has(P.VIEW_CASELOAD):
        condition |= Q(participant_id__in=client_ids_of(user))
    return Plan.objects.filter(condition)


def can_have_plan(user: User) -> Decision:
    if user.is_authenticated and user.permissions.has(P.HAVE_PLAN):
        return ALLOW
    return Decision(False, _("The plan is for participants."))


def is_own_worker_of(user: User, plan: Plan) -> bool:
    return plan.participant_id != user.pk and plans_editable_by(user).filter(pk=plan.pk).exists()


def activities_managed_by(user: User) -> QuerySet[Activity]:
    orgs = user.permissions.organisations_with(P.MANAGE_ACTIVITIES)
    return Activity.objects.filter(provider_id__in=orgs)


def signups_visible_to_provider(user: User) -> QuerySet[SignUp]:
    orgs = user.permissions.organisations_with(P.MANAGE_ACTIVITIES)
    return SignUp.objects.filter(activity__provider_id__in=orgs)


def can_view_reports(user: User) -> Decision:
    if user.permissions.has(P.VIEW_REPORTS):
        return ALLOW
    return Decision(False, _("Only people who follow the figures of the municipality see these reports."))
