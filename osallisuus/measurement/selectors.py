"""Reads of the measurement module. Gates answer the same 404 for missing and forbidden.

Other modules read through here: ``responses_for_context`` (has the person answered?),
``responses_shared_with`` (what a client shared with a worker), ``instrument_get`` and the group
reports (``breakdown_report``, ``report_rows``, ``Report``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from osallisuus.accounts.selectors import workers_of
from osallisuus.core.access import gate, log_listing

from .models import ExternalAssessment, Instrument, Invitation, Item, Response, Round, in_language
from .permissions import (
    external_assessments_visible_to,
    individual_score_allowed,
    responses_visible_to,
    round_reports_visible_to,
    rounds_visible_to,
    shared_responses_visible_to,
)
from .reports import Change, Report, breakdown_report, change_report, report_rows, round_report

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


# Group reports for other modules (experts' task feedback): reach them through here.
# Rounds another module created for its own things (networks' evaluations): ``rounds_for_context``
# with the suppressed ``round_report`` and ``change_report``.
__all__ = ["Change", "Report", "breakdown_report", "change_report", "report_rows", "round_report"]


# -- instruments ------------------------------------------------------------------------------
def instruments_all() -> QuerySet[Instrument]:
    return Instrument.objects.order_by("code", "-created_at", "-pk")


def instrument_get(*, pk: object) -> Instrument:
    try:
        return Instrument.objects.get(pk=int(str(pk)))
    except (Instrument.DoesNotExist, ValueError):
        raise Http404 from None


def items_of(instrument: Instrument | int) -> list[Item]:
    """The instrument's items in their order."""
    instrument_id = instrument if isinstance(instrument, int) else instrument.pk
    return list(Item.objects.filter(instrument_id=instrument_id).order_by("order"))


def questionnaires_in_use() -> QuerySet[Instrument]:
    return Instrument.objects.filter(kind=Instrument.Kind.QUESTIONNAIRE, is_active=True).order_by("code", "-created_at")


def scored_questionnaires() -> QuerySet[Instrument]:
    """The questionnaires a group report can be made of (they have a score)."""
    return Instrument.objects.filter(kind=Instrument.Kind.QUESTIONNAIRE).exclude(scoring=Instrument.Scoring.NONE)


def external_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(kind=Instrument.Kind.EXTERNAL, is_active=True).order_by("code")


# -- rounds -------------------------------------------------------------------------------
def rounds_managed(*, actor: User) -> QuerySet[Round]:
    return rounds_visible_to(actor).select_related("instrument", "organisation")


def round_get_for_manager(*, actor: User, pk: object) -> Round:
    try:
        return rounds_managed(actor=actor).get(pk=int(str(pk)))
    except (Round.DoesNotExist, ValueError):
        raise Http404 from None


def rounds_reportable(*, actor: User) -> QuerySet[Round]:
    return (
        round_reports_visible_to(actor)
        .select_related("instrument", "organisation")
        .order_by("group_key", "phase", "-opens_at", "pk")
    )


def rounds_for_context(*, context_module: str, context_ref: str) -> QuerySet[Round]:
    """The rounds a module created for one of its own things (``context_module`` and
    ``context_ref`` given to ``round_create``). The module decides who may see their group
    results (``round_report``, ``change_report``: small groups hidden); answers never leave here."""
    return (
        Round.objects.filter(context_module=context_module, context_ref=context_ref)
        .select_related("instrument")
        .order_by("phase", "pk")
    )


def round_get_for_report(*, actor: User, pk: object) -> Round:
    try:
        return rounds_reportable(actor=actor).get(pk=int(str(pk)))
    except (Round.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class RoundPair:
    group: str
    first: Round
    second: Round


def round_changes(rounds: list[Round]) -> list[RoundPair]:
    """Consecutive rounds of the same group and instrument, for "change between rounds"."""
    groups: dict[str, list[Round]] = {}
    for round_ in rounds:
        groups.setdefault(round_.group_key, []).append(round_)
    pairs = []
    for key, members in groups.items():
        members = sorted(members, key=lambda r: (r.phase, r.pk))
        for first, second in itertools.pairwise(members):
            if first.instrument_id == second.instrument_id and first.phase != second.phase:
                pairs.append(RoundPair(key, first, second))
    return pairs


def invitations_of_round(*, round: Round) -> QuerySet[Invitation]:
    return Invitation.objects.filter(round=round).select_related("person", "response")


def invitations_unanswered(*, round: Round) -> QuerySet[Invitation]:
    """Invited people who have not sent (or taken back) their answers."""
    done = [Response.Status.SUBMITTED, Response.Status.WITHDRAWN]
    return invitations_of_round(round=round).exclude(response__status__in=done)


def log_invitees(*, actor: User, invitations: list[Invitation], purpose: str, route: str = "") -> int:
    """Log that the actor was shown these invitees (and whether each has answered)."""
    return log_listing(
        actor=actor,
        rows=invitations,
        subject_of=lambda i: i.person_id,
        object_of=lambda i: ("measurement.invitation", i.pk),
        purpose=purpose,
        route=route,
    )


# -- the respondent's own ---------------------------------------------------------------------
def my_invitations(*, person: User) -> QuerySet[Invitation]:
    """Invitations to open rounds that the person has not yet sent or withdrawn."""
    return (
        Invitation.objects.filter(person=person, round__in=Round.objects.open())
        .exclude(response__status__in=[Response.Status.SUBMITTED, Response.Status.WITHDRAWN])
        .select_related("round__instrument")
        .order_by("round__closes_at", "pk")
    )


def my_responses(*, person: User) -> QuerySet[Response]:
    return (
        responses_visible_to(person)
        .exclude(status=Response.Status.WITHDRAWN)
        .select_related("instrument", "round")
        .order_by("-created_at", "-pk")
    )


def response_get_for_respondent(*, person: User, pk: object) -> Response:
    """The person's own response, read by themself (logged in): never logged, it is their own
    data. Anyone else, whatever they opened before in the same browser, gets the same 404."""
    try:
        return responses_visible_to(person).select_related("instrument", "round").get(pk=int(str(pk)))
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
        .order_by("-created_at", "-pk")
    )


def own_workers_of(*, person: User) -> list[User]:
    """The person's current own workers: whom they may share their own answers with."""
    return list(workers_of(person_id=person.pk))


@dataclass(frozen=True)
class AnswerRow:
    code: str
    question: str
    value: int | None
    text: str
    shown: str
    """The answer as the page shows it: the label of the chosen option, or the text."""


def answers_of(response: Response) -> dict[str, Any]:
    """The saved answers by item code (value for choices, text for free text)."""
    found: dict[str, Any] = {}
    for code, kind, value, text in response.answers.values_list("item__code", "item__kind", "value", "text"):
        found[code] = text if kind == Item.Kind.TEXT else value
    return found


def answer_rows(response: Response) -> list[AnswerRow]:
    """The response's questions and answers in order, for the pages and the API. No score."""
    saved = answers_of(response)
    rows = []
    for item in items_of(response.instrument_id):
        value = saved.get(item.code)
        if item.kind == Item.Kind.CHOICE:
            labels = {p["value"]: p["label"] for p in response.instrument.scale(item.scale)["points"]}
            shown = in_language(labels.get(value)) if value is not None else ""
            rows.append(AnswerRow(item.code, item.display_text, value, "", shown))
        else:
            rows.append(AnswerRow(item.code, item.display_text, None, value or "", value or ""))
    return rows


# -- what a worker may see --------------------------------------------------------------------
def responses_shared_with(*, worker: User) -> QuerySet[Response]:
    """Sent responses a client chose to share with this worker. Never a group-only instrument."""
    return shared_responses_visible_to(worker).select_related("instrument", "respondent").order_by("-submitted_at")


def response_get_for_worker(*, worker: User, pk: object, route: str = "") -> Response:
    """The gate for a worker's read of a client's shared answers: one access-log row, the same 404
    for anything else (a group-only instrument included)."""
    response = gate(
        responses_shared_with(worker=worker),
        pk=pk,
        actor=worker,
        purpose="questionnaire answers shared by the client",
        subject_of=lambda r: r.respondent_id,
        route=route,
    )
    if not individual_score_allowed(response.instrument):  # the queryset already excludes these
        raise Http404
    return response


# -- external instruments ---------------------------------------------------------------------
def external_assessments_visible(*, actor: User) -> QuerySet[ExternalAssessment]:
    return external_assessments_visible_to(actor).select_related("instrument", "person").order_by("-done_on", "-pk")
