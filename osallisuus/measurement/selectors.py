"""Reads of the measurement module. Gates answer the same 404 for missing and forbidden."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from osallisuus.core.access import gate

from .models import ExternalAssessment, Instrument, Invitation, Response, Round
from .permissions import external_organisations, report_organisations, round_organisations
from .reports import Report, breakdown_report, report_rows

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


# Group reports for other modules (experts' task feedback): reach them through here.
__all__ = ["Report", "breakdown_report", "report_rows"]


def instruments_all() -> QuerySet[Instrument]:
    return Instrument.objects.order_by("code", "-created_at")


def instrument_get(*, pk: object) -> Instrument:
    try:
        return Instrument.objects.get(pk=int(str(pk)))
    except (Instrument.DoesNotExist, ValueError):
        raise Http404 from None


def questionnaires_in_use() -> QuerySet[Instrument]:
    return Instrument.objects.filter(kind=Instrument.Kind.QUESTIONNAIRE, is_active=True).order_by("code", "-created_at")


def external_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(kind=Instrument.Kind.EXTERNAL, is_active=True).order_by("code")


# -- rounds -------------------------------------------------------------------------------
def rounds_managed(*, actor: User) -> QuerySet[Round]:
    return (
        Round.objects.filter(organisation_id__in=round_organisations(actor))
        .select_related("instrument", "organisation")
        .order_by("-opens_at", "name")
    )


def round_get_for_manager(*, actor: User, pk: object) -> Round:
    try:
        return rounds_managed(actor=actor).get(pk=int(str(pk)))
    except (Round.DoesNotExist, ValueError):
        raise Http404 from None


def rounds_reportable(*, actor: User) -> QuerySet[Round]:
    return (
        Round.objects.filter(organisation_id__in=report_organisations(actor))
        .select_related("instrument", "organisation")
        .order_by("group_key", "phase", "-opens_at")
    )


def round_get_for_report(*, actor: User, pk: object) -> Round:
    try:
        return rounds_reportable(actor=actor).get(pk=int(str(pk)))
    except (Round.DoesNotExist, ValueError):
        raise Http404 from None


def invitations_of_round(*, round: Round) -> QuerySet[Invitation]:
    return Invitation.objects.filter(round=round).select_related("person", "response").order_by("person__full_name")


# -- the respondent's own ---------------------------------------------------------------------
def my_invitations(*, person: User) -> QuerySet[Invitation]:
    """Invitations to open rounds that the person has not yet sent or withdrawn."""
    return (
        Invitation.objects.filter(person=person, round__in=Round.objects.open())
        .exclude(response__status__in=[Response.Status.SUBMITTED, Response.Status.WITHDRAWN])
        .select_related("round__instrument")
        .order_by("round__closes_at")
    )


def my_responses(*, person: User) -> QuerySet[Response]:
    return (
        Response.objects.filter(respondent=person)
        .exclude(status=Response.Status.WITHDRAWN)
        .select_related("instrument", "round")
        .order_by("-created_at")
    )


def response_get_for_respondent(*, person: User | None, link_ids: list[int], pk: object) -> Response:
    """The respondent's own response: logged in as the respondent, or opened with their personal link
    in this browser session. Never logged: it is the person's own data."""
    condition = Q(pk__in=link_ids)
    if person is not None and person.is_authenticated:
        condition |= Q(respondent=person)
    try:
        return Response.objects.select_related("instrument", "round").get(condition, pk=int(str(pk)))
    except (Response.DoesNotExist, ValueError):
        raise Http404 from None


def responses_for_context(*, respondent: User, context_module: str, context_ref: str) -> QuerySet[Response]:
    """A person's own responses started by another module for one of its objects (e.g. a task),
    newest first, so the module can show "feedback given" or a link to continue. Status, dates and
    whom the person shared them with; never a score or an answer."""
    return (
        Response.objects.filter(respondent=respondent, context_module=context_module, context_ref=context_ref)
        .exclude(status=Response.Status.WITHDRAWN)
        .only("pk", "status", "created_at", "submitted_at", "instrument_id", "shared_with_id")
        .order_by("-created_at")
    )


# -- what a worker may see --------------------------------------------------------------------
def responses_shared_with(*, worker: User) -> QuerySet[Response]:
    """Sent responses a client chose to share with this worker. Never a group-only instrument."""
    from osallisuus.accounts.models import Relationship

    clients = Relationship.objects.current().filter(worker=worker).values("person_id")
    return (
        Response.objects.submitted()
        .filter(
            shared_with=worker,
            respondent__in=clients,
            instrument__group_reporting_only=False,
            instrument__allow_sharing_with_worker=True,
        )
        .select_related("instrument", "respondent")
        .order_by("-submitted_at")
    )


def response_get_for_worker(*, worker: User, pk: object, route: str = "") -> Response:
    return gate(
        responses_shared_with(worker=worker),
        pk=pk,
        actor=worker,
        purpose="questionnaire answers shared by the client",
        subject_of=lambda r: int(r.respondent_id or 0),
        route=route,
    )


# -- external instruments ---------------------------------------------------------------------
def external_assessments_visible(*, actor: User) -> QuerySet[ExternalAssessment]:
    """Records about the actor, and records of the organisations where the actor records them
    about the people the actor may see."""
    condition = Q(person=actor)
    orgs = external_organisations(actor)
    if orgs:
        condition |= Q(organisation_id__in=orgs, person__in=actor.permissions.people_visible())
    return ExternalAssessment.objects.filter(condition).select_related("instrument", "person").order_by("-done_on")
