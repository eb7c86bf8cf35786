"""The gates: one object the actor may see, or the same 404 for missing and forbidden. A read
of another person's data writes one access-log row (``core.access.gate``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from osallisuus.core.access import gate

from ..models import Agreement, EarningsLimit, ExpenseReport, Expert, Offer, PeerEvent, TaskRequest
from ..permissions import (
    agreements_visible_to,
    broker_orgs,
    experts_visible_to,
    offers_visible_to,
    peer_events_visible_to,
    requests_visible_to,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def my_expert_profile(*, user: User) -> Expert | None:
    """The person's own expert profile (the first, when they are an expert of several organisations)."""
    return Expert.objects.filter(user=user).select_related("organisation", "user").order_by("pk").first()


def expert_get(*, actor: User, pk: object, purpose: str, route: str = "") -> Expert:
    qs = experts_visible_to(actor).select_related("user", "organisation").prefetch_related("experience_areas")
    return gate(qs, pk=pk, actor=actor, purpose=purpose, subject_of=lambda e: e.user_id, route=route)


def coordinated_expert_get(*, actor: User, pk: object, purpose: str, route: str = "") -> Expert:
    """The gate for the coordinator's pages about one expert: only experts of the organisations
    the actor brokers for. Missing, another organisation's, or the actor's own profile
    elsewhere: the same 404."""
    qs = (
        Expert.objects.filter(organisation_id__in=broker_orgs(actor))
        .select_related("user", "organisation")
        .prefetch_related("experience_areas")
    )
    return gate(qs, pk=pk, actor=actor, purpose=purpose, subject_of=lambda e: e.user_id, route=route)


def expert_limits_get(*, actor: User, pk: object, route: str = "") -> Expert:
    """The gate for reading an expert's earnings limits as their coordinator ("recorded together
    with the expert"). Logged with a purpose of its own, so the expert and auditors can tell a
    look at the limits from a look at the profile. Orderers never pass."""
    return coordinated_expert_get(actor=actor, pk=pk, purpose="earnings limits (coordinator)", route=route)


def limit_of_expert(*, expert: Expert, pk: object) -> EarningsLimit:
    """One limit of this expert (after the expert's gate), or 404."""
    limit = EarningsLimit.objects.filter(pk=int(str(pk)) if str(pk).isdigit() else 0, expert=expert).first()
    if limit is None:
        raise Http404
    return limit


def own_limit_get(*, user: User, pk: object) -> EarningsLimit:
    """One of the person's own limits (of any of their expert profiles), or 404."""
    limit = EarningsLimit.objects.filter(pk=int(str(pk)) if str(pk).isdigit() else 0, expert__user=user).first()
    if limit is None:
        raise Http404
    return limit


def request_get(*, actor: User, pk: object) -> TaskRequest:
    qs = requests_visible_to(actor).select_related(
        "organisation", "broker", "created_by", "partner_worker", "task_type", "experience_area"
    )
    # A request is a work order between organisations; the people named in it are logged by the page.
    return gate(qs, pk=pk, actor=actor, purpose="task request", subject_of=lambda r: actor.pk)


def offer_get_for_expert(*, actor: User, pk: object) -> Offer:
    qs = offers_visible_to(actor).select_related(
        "request__task_type",
        "request__organisation",
        "request__broker",
        "request__experience_area",
        "expert__user",
        "request__partner_worker",
    )
    return gate(qs, pk=pk, actor=actor, purpose="task offer", subject_of=lambda o: o.expert.user_id)


def agreement_get(*, actor: User, pk: object, purpose: str = "agreement", route: str = "") -> Agreement:
    qs = (
        agreements_visible_to(actor)
        .select_related(
            "request__organisation",
            "request__broker",
            "request__created_by",
            "request__partner_worker",
            "request__task_type",
            "expert__user",
            "expert__organisation",
            "fee_item",
            "schedule",
        )
        .prefetch_related("expert__experience_areas")
    )
    return gate(qs, pk=pk, actor=actor, purpose=purpose, subject_of=lambda a: a.expert.user_id, route=route)


def waiting_report_get(*, actor: User, pk: object) -> ExpenseReport:
    """An expense report of the actor's brokering organisations, for approving (404 otherwise)."""
    report = (
        ExpenseReport.objects.filter(
            pk=int(str(pk)) if str(pk).isdigit() else 0, agreement__request__broker_id__in=broker_orgs(actor)
        )
        .select_related("agreement__request", "agreement__expert__user")
        .first()
    )
    if report is None:
        raise Http404
    return report


def peer_event_get(*, actor: User, expert: Expert | None, pk: object) -> PeerEvent:
    event = peer_events_visible_to(actor, expert=expert).filter(pk=int(str(pk)) if str(pk).isdigit() else 0).first()
    if event is None:
        raise Http404
    return event
