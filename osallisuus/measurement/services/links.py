"""Personal links: a key to answering one invitation without logging in, never to reading answers.

Only the SHA-256 of a link's token is kept, nowhere else: not in the invitation, not in a notice.
A link reaches its person only by e-mail (``invitations_email``, ``reminders_send``: the e-mail is
built and sent here, in the person's language, with the full address) or on a printed answer
sheet (``sheets_issue``, for people who do not use e-mail). A new link replaces the old one.

What a link opens (``link_find``): before its answers are sent, the questionnaire, continuing
where the person stopped; after, only the thank-you and the way to take the answers back; after
that, only a note that they were taken back. A browser that once opened a link keeps nothing from
it: every request needs the link again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osallisuus.core import events, formatting, mail
from osallisuus.core.notifications import wants_email

from ..models import Invitation, Response, Round
from .answering import response_for_invitation, response_withdraw
from .errors import LinkInvalid, MeasurementError
from .rounds import INVITATION_KIND, REMINDER_KIND

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

REMINDER_INTERVAL = timedelta(days=3)
"""At most one e-mail about a round every three days per person."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return reverse("measurement:link", kwargs={"token": token})


def _new_token(invitation: Invitation, now: datetime) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires = min(now + timedelta(days=invitation.round.link_valid_days), invitation.round.closes_at)
    return token, expires


def _store_token(invitation: Invitation, token: str, expires: datetime, now: datetime, **changes: object) -> None:
    invitation.token_hash = _hash(token)
    invitation.token_expires_at = expires
    invitation.token_used_at = None
    invitation.sent_at = invitation.sent_at or now
    for name, value in changes.items():
        setattr(invitation, name, value)
    fields = ["token_hash", "token_expires_at", "token_used_at", "sent_at", *changes, "updated_at"]
    invitation.save(update_fields=fields)


def invitation_issue_link(*, invitation: Invitation) -> str:
    """A new personal link token (only its hash is kept). Replaces an earlier link. For the
    e-mails and the printed sheets of this module; the token goes to nobody but the invitee."""
    now = timezone.now()
    token, expires = _new_token(invitation, now)
    _store_token(invitation, token, expires, now)
    return token


# -- what a link opens ------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkTarget:
    invitation: Invitation
    response: Response | None

    @property
    def round(self) -> Round:
        return self.invitation.round

    @property
    def sent(self) -> bool:
        return self.response is not None and self.response.status == Response.Status.SUBMITTED

    @property
    def withdrawn(self) -> bool:
        return self.response is not None and self.response.status == Response.Status.WITHDRAWN


def _invitation_for(token: str, *, lock: bool = False) -> Invitation:
    if not token or len(token) > 100:
        raise LinkInvalid(_("This link is not valid. Check that you copied the whole address."), code="unknown")
    found = Invitation.objects.select_related("round__instrument", "round__organisation", "person")
    if lock:
        found = found.select_for_update(of=("self",))
    invitation = found.filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise LinkInvalid(_("This link is not valid. Check that you copied the whole address."), code="unknown")
    now = timezone.now()
    if invitation.token_expires_at is None or invitation.token_expires_at < now or invitation.round.closes_at < now:
        raise LinkInvalid(_("This link has expired. Ask the person who invited you for a new one."), code="expired")
    if invitation.round.opens_at > now:
        raise LinkInvalid(_("This questionnaire has not opened yet. Try again later."), code="not_open")
    return invitation


def link_find(*, token: str) -> LinkTarget:
    """What the link leads to now (nothing is written). ``LinkInvalid`` for an unknown or expired
    link, or a round that has not opened."""
    invitation = _invitation_for(token)
    response = Response.objects.select_related("instrument", "round").filter(invitation=invitation).first()
    return LinkTarget(invitation, response)


@transaction.atomic
def link_open(*, token: str) -> Response:
    """The unfinished response a personal link answers (made on first use). A link whose answers
    have been sent or taken back opens no answers: ``LinkInvalid`` with the code ``used``."""
    invitation = _invitation_for(token, lock=True)
    response = Response.objects.filter(invitation=invitation).first()
    if invitation.token_used_at is not None or (
        response is not None and response.status != Response.Status.IN_PROGRESS
    ):
        raise LinkInvalid(_("This link has already been used to send answers. Thank you!"), code="used")
    return response_for_invitation(invitation)


@transaction.atomic
def link_withdraw(*, token: str) -> Response:
    """Take back the answers of a personal link (sent or not): they are deleted and leave every report."""
    target = link_find(token=token)
    if target.response is None or target.withdrawn:
        raise LinkInvalid(_("There are no answers to take back."), code="nothing")
    return response_withdraw(response=target.response, actor=None)


# -- e-mail: invitations and reminders ----------------------------------------------------------
def _unanswered(round: Round) -> QuerySet[Invitation]:
    done = [Response.Status.SUBMITTED, Response.Status.WITHDRAWN]
    return (
        Invitation.objects.filter(round=round)
        .exclude(response__status__in=done)
        .select_related("person", "round__instrument", "round__organisation")
        .order_by("pk")
    )


def invitations_to_email(*, round: Round) -> QuerySet[Invitation]:
    """The invited who have not answered and have not yet been sent a link (by e-mail or on a sheet)."""
    return _unanswered(round).filter(sent_at__isnull=True, sheet_printed_at__isnull=True)


def reminders_due(*, round: Round, now: datetime | None = None) -> list[Invitation]:
    """The invited who were e-mailed a link, have not answered, and got no e-mail about the round in
    the last three days. People who were given a printed sheet are reminded in person: an e-mailed
    link would replace the one on their sheet."""
    now = now or timezone.now()
    recent = now - REMINDER_INTERVAL
    return list(
        _unanswered(round)
        .filter(sent_at__isnull=False, sent_at__lte=recent, sheet_printed_at__isnull=True)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=recent))
    )


def _email(invitation: Invitation, *, kind: str, token: str, expires: datetime) -> bool:
    """One e-mail with a personal link, in the person's language. The token is in the e-mail only."""
    person = invitation.person
    round_ = invitation.round
    with translation.override(mail.language_of(person)):
        values = {
            "name": round_.instrument.display_name,
            "organisation": round_.organisation.name,
            "date": formatting.date(expires),
        }
        if kind == INVITATION_KIND:
            subject = _("Questionnaire: %(name)s – please answer by %(date)s") % values
            paragraphs = [
                _('%(organisation)s invites you to answer the questionnaire "%(name)s". Answering is voluntary.')
                % values,
                _(
                    "Your personal link below works until %(date)s. You can save your answers and continue later "
                    "with the same link. After you have sent your answers, the link shows only a thank-you."
                )
                % values,
            ]
        else:
            subject = _("Reminder: questionnaire %(name)s, please answer by %(date)s") % values
            paragraphs = [
                _('You have not yet sent your answers to the questionnaire "%(name)s". Answering is voluntary.')
                % values,
                _(
                    "Here is a new personal link; it works until %(date)s, and earlier links no longer work. "
                    "Answers you have saved are kept."
                )
                % values,
            ]
        paragraphs.append(
            _("The link is for you only: do not forward it. You can also log in and open Questionnaires.")
        )
        return mail.send(
            to=person,
            subject=subject,
            template="core/email/notice",
            context={
                "subject": subject,
                "message": "\n\n".join(paragraphs),
                "paragraphs": paragraphs,
                "link": mail.absolute_url(link_url(token)),
                "link_label": _("Answer the questionnaire"),
                "settings_link": mail.absolute_url(reverse("core:notification_settings")),
            },
            fail_silently=True,
        )


def _send_links(invitations: Iterable[Invitation], *, kind: str, progress: object = None) -> int:
    """E-mail each person a fresh link, if they want e-mail of this kind. A link is replaced only
    after its e-mail went out, so a failed e-mail leaves the earlier link working."""
    sent = 0
    for invitation in invitations:
        if not wants_email(user=invitation.person, kind=kind):
            continue
        now = timezone.now()
        token, expires = _new_token(invitation, now)
        if not _email(invitation, kind=kind, token=token, expires=expires):
            continue
        if kind == REMINDER_KIND:
            _store_token(invitation, token, expires, now, reminded_at=now, reminder_count=invitation.reminder_count + 1)
        else:
            _store_token(invitation, token, expires, now)
        sent += 1
        if callable(progress):
            progress(sent)
    return sent


def invitations_email(*, round: Round, actor: User | None = None, progress: object = None) -> int:
    """E-mail the personal links to everyone invited who has not yet been sent one."""
    if not round.is_open:
        return 0
    sent = _send_links(invitations_to_email(round=round), kind=INVITATION_KIND, progress=progress)
    if sent:
        events.record(actor=actor, verb="measurement.round.invitations_sent", target=round, data={"count": sent})
    return sent


def reminders_send(*, round: Round, actor: User | None = None, progress: object = None) -> int:
    """Remind by e-mail the invited who have not sent their answers (at most every three days),
    with a fresh personal link (the old link stops working; saved answers are kept)."""
    if not round.is_open:
        return 0
    sent = _send_links(reminders_due(round=round), kind=REMINDER_KIND, progress=progress)
    if sent:
        events.record(actor=actor, verb="measurement.round.reminders_sent", target=round, data={"count": sent})
    return sent


# -- printed answer sheets ------------------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    invitation: Invitation
    url: str
    """The full address of the personal link, printed on the sheet (never a clickable list)."""
    expires_at: datetime


@transaction.atomic
def sheets_issue(*, actor: User, round: Round, invitations: Iterable[Invitation]) -> list[Sheet]:
    """Answer sheets for people who do not use e-mail: a new personal link for each (replacing any
    earlier one), to be printed and handed over. A deliberate act, recorded as an event; the caller
    logs whose sheets were printed. People who have answered get no sheet."""
    if not round.is_open:
        raise MeasurementError(_("The round is not open, so no links can be sent."))
    chosen = [i for i in invitations if i.round_id == round.pk]
    answered = set(
        Response.objects.filter(invitation__in=chosen)
        .exclude(status=Response.Status.IN_PROGRESS)
        .values_list("invitation_id", flat=True)
    )
    sheets = []
    now = timezone.now()
    for invitation in chosen:
        if invitation.pk in answered:
            continue
        token, expires = _new_token(invitation, now)
        _store_token(invitation, token, expires, now, sheet_printed_at=now)
        sheets.append(Sheet(invitation, mail.absolute_url(link_url(token)), expires))
    events.record(actor=actor, verb="measurement.round.sheets_printed", target=round, data={"count": len(sheets)})
    return sheets
