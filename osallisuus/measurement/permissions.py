"""Who may do what in measurement: the only answers to "may X?" and "which ones may X see?".

Permissions are data (migration 0002), held per organisation:

* ``measurement.view_reports``: group reports of the rounds of one's organisation (never
  individual answers or scores).
* ``measurement.manage_rounds``: create rounds, invite people one may see, send the invitations
  and reminders, print answer sheets.
* ``measurement.manage_instruments``: import instruments from their owners' files.
* ``measurement.record_external``: record that an external instrument (Kykyviisari,
  AVAIN) was done for a client, and where its result lives.

A response is read by its own respondent, logged in as themself, and by nobody else, except a
worker the respondent chose to share it with (only for an instrument that allows sharing and is
not group-only; that read goes through a gate and the access log). A personal link is a key to
answering, never to reading sent answers: once its answers are sent it shows only the thank-you
and the way to take them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import ALLOW, Decision
from osallisuus.accounts.selectors import client_ids_of

from .models import ExternalAssessment, Instrument, Invitation, Response, Round

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from osallisuus.accounts.models import User


class P:
    """The measurement module's permission codes (migration ``0002_permissions``)."""

    VIEW_REPORTS = "measurement.view_reports"
    MANAGE_ROUNDS = "measurement.manage_rounds"
    MANAGE_INSTRUMENTS = "measurement.manage_instruments"
    RECORD_EXTERNAL = "measurement.record_external"


NOT_YOURS = _("These answers are not yours.")


# -- instruments ------------------------------------------------------------------------------
def can_manage_instruments(user: User) -> Decision:
    if user.permissions.has(P.MANAGE_INSTRUMENTS) or user.is_superuser:
        return ALLOW
    return Decision(False, _("Only administrators import instruments."))


def individual_score_allowed(instrument: Instrument) -> bool:
    """Whether a person's score of this instrument may be shown to anyone at all. Never for a
    group-only instrument (THL's inclusion indicator): its owner forbids individual use."""
    return not instrument.group_reporting_only


# -- rounds -----------------------------------------------------------------------------------
def round_organisations(user: User) -> set[int]:
    return user.permissions.organisations_with(P.MANAGE_ROUNDS)


def report_organisations(user: User) -> set[int]:
    return user.permissions.organisations_with(P.VIEW_REPORTS)


def can_manage_rounds(user: User) -> Decision:
    if round_organisations(user):
        return ALLOW
    return Decision(False, _("You do not have the right to manage measurement rounds."))


def rounds_visible_to(user: User) -> QuerySet[Round]:
    """The rounds the user manages: those of the organisations where they may manage rounds."""
    return Round.objects.filter(organisation_id__in=round_organisations(user))


def can_view_reports(user: User) -> Decision:
    if report_organisations(user):
        return ALLOW
    return Decision(False, _("You do not have the right to see reports."))


def round_reports_visible_to(user: User) -> QuerySet[Round]:
    """The rounds whose group reports the user may see (never a person's answers)."""
    return Round.objects.filter(organisation_id__in=report_organisations(user))


def can_send_round_links(user: User, round_: Round) -> Decision:
    """Sending invitations and reminders by e-mail, and printing answer sheets, need an open round."""
    if round_.organisation_id not in round_organisations(user):
        return Decision(False, _("You do not have the right to manage measurement rounds."))
    if not round_.is_open:
        return Decision(False, _("The round is not open, so no links can be sent."))
    return ALLOW


# -- answering and reading responses ----------------------------------------------------------
def responses_visible_to(user: User) -> QuerySet[Response]:
    """The responses the user may read: their own, and nothing else. (A worker reads a client's
    shared answers only through ``shared_responses_visible_to`` and its gate.)"""
    return Response.objects.filter(respondent=user)


def can_answer_response(user: User, response: Response) -> Decision:
    if response.respondent_id != user.pk:
        return Decision(False, NOT_YOURS)
    if response.status != Response.Status.IN_PROGRESS:
        return Decision(False, _("These answers have already been sent or withdrawn."))
    if response.round is not None and not response.round.is_open:
        return Decision(False, _("This questionnaire is not open now."))
    return ALLOW


def can_withdraw_response(user: User | AnonymousUser | None, response: Response) -> Decision:
    """The respondent themself may take the answers back (a personal link checks its own token)."""
    if user is None or not user.is_authenticated or response.respondent_id != user.pk:
        return Decision(False, NOT_YOURS)
    if response.status == Response.Status.WITHDRAWN:
        return Decision(False, _("These answers have already been taken back."))
    return ALLOW


def can_share_response(user: User | AnonymousUser | None, response: Response) -> Decision:
    """Sharing one's own sent answers with one's own worker: only where the instrument allows it."""
    if user is None or not user.is_authenticated or response.respondent_id != user.pk:
        return Decision(False, _("Only the person who answered can share the answers."))
    if response.status != Response.Status.SUBMITTED:
        return Decision(False, _("Only sent answers can be shared."))
    if not individual_score_allowed(response.instrument) or not response.instrument.allow_sharing_with_worker:
        return Decision(False, _("The answers to this questionnaire cannot be shared with a worker."))
    return ALLOW


def shared_responses_visible_to(worker: User) -> QuerySet[Response]:
    """Sent responses that the worker's current clients chose to share with them. Never a
    group-only instrument, never one that does not allow sharing."""
    return Response.objects.submitted().filter(
        shared_with=worker,
        respondent__in=client_ids_of(worker=worker),
        instrument__group_reporting_only=False,
        instrument__allow_sharing_with_worker=True,
    )


def can_use_link(user: User | AnonymousUser | None, invitation: Invitation) -> Decision:
    """A personal link opens for whoever holds it, except that a person logged in as someone else
    than the invitee gets nothing from it: a worker who opens a client's link in their own
    browser cannot answer, or read, in her name."""
    if user is None or not user.is_authenticated or user.pk == invitation.person_id:
        return ALLOW
    return Decision(
        False,
        _(
            "This personal link was sent to someone else. It opens only for the person it was sent to. "
            "If it is yours, log out of this account first."
        ),
    )


# -- external instruments ---------------------------------------------------------------------
def external_organisations(user: User) -> set[int]:
    return user.permissions.organisations_with(P.RECORD_EXTERNAL)


def can_record_external_assessment(user: User) -> Decision:
    if external_organisations(user):
        return ALLOW
    return Decision(False, _("You do not have the right to record external instruments."))


def external_assessments_visible_to(user: User) -> QuerySet[ExternalAssessment]:
    """Records about the user, and the records of the organisations where the user records them,
    about the people the user may see."""
    condition = Q(person=user)
    orgs = external_organisations(user)
    if orgs:
        condition |= Q(organisation_id__in=orgs, person__in=user.permissions.people_visible())
    return ExternalAssessment.objects.filter(condition)
