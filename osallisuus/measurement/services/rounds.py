"""Rounds: an instrument given to a defined group at one point in time, and who is invited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallisuus.core import events, formatting
from osallisuus.core.notifications import notify
from osallisuus.core.suppression import min_cell_size as suppression_floor

from ..models import Instrument, Invitation, Round
from .errors import MeasurementError

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User

INVITATION_KIND = "measurement.invitation"
REMINDER_KIND = "measurement.reminder"


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    instrument: Instrument,
    organisation: Organisation,
    name: str,
    group_key: str,
    purpose: str,
    opens_at: datetime,
    closes_at: datetime,
    retention_until: date,
    group_kind: str = Round.GroupKind.OTHER,
    phase: int = 0,
    context_module: str = "",
    context_ref: str = "",
    area: str = "",
    retention_action: str = Round.RetentionAction.ANONYMISE,
    min_cell_size: int | None = None,
    link_valid_days: int = 14,
) -> Round:
    """A new round. Its smallest group shown in reports is at least the platform's floor
    (``SUPPRESSION_MIN_CELL_SIZE``): a round can ask for more, never for less."""
    if instrument.kind != Instrument.Kind.QUESTIONNAIRE:
        raise MeasurementError(
            _("An external instrument is answered in its owner's service, not in a round here."), field="instrument"
        )
    if closes_at <= opens_at:
        raise MeasurementError(_("The round must close after it opens."), field="closes_on")
    if retention_until < closes_at.date():
        raise MeasurementError(_("The answers must be kept at least until the round closes."), field="retention_until")
    floor = suppression_floor()
    if min_cell_size is not None and min_cell_size < floor:
        raise MeasurementError(
            _("Groups smaller than %(count)d are never shown; give at least %(count)d.") % {"count": floor},
            field="min_cell_size",
        )
    round_ = Round(
        instrument=instrument,
        organisation=organisation,
        name=name,
        group_kind=group_kind,
        group_key=group_key,
        phase=phase,
        context_module=context_module,
        context_ref=context_ref,
        area=area,
        purpose=purpose,
        opens_at=opens_at,
        closes_at=closes_at,
        retention_until=retention_until,
        retention_action=retention_action,
        min_cell_size=min_cell_size or floor,
        link_valid_days=link_valid_days,
    )
    round_.full_clean()
    round_.save()
    events.record(actor=actor, verb="measurement.round.created", target=round_)
    return round_


@transaction.atomic
def round_invite(*, actor: User | None, round: Round, people: Iterable[User]) -> list[Invitation]:
    """Invite people to a round (each once). They see it under Questionnaires in the app and get
    a notice there; the personal links go out by e-mail (``invitations_email``) or on a printed
    sheet (``sheets_issue``), never to the person who invites."""
    existing = set(Invitation.objects.filter(round=round).values_list("person_id", flat=True))
    chosen = {p.pk: p for p in people if p.pk not in existing}
    created = Invitation.objects.bulk_create([Invitation(round=round, person=p) for p in chosen.values()])
    if created:
        events.record(actor=actor, verb="measurement.round.invited", target=round, data={"count": len(created)})
        for person in chosen.values():
            notify(
                user=person,
                kind=INVITATION_KIND,
                subject=gettext_lazy("Questionnaire: %(name)s"),
                message=gettext_lazy(
                    "You have been invited to answer the questionnaire “%(name)s”. Answering is voluntary. "
                    "It is open until %(date)s under Questionnaires."
                ),
                params={
                    "name": lambda: round.instrument.display_name,
                    "date": lambda: formatting.date(round.closes_at),
                },
                url=reverse("measurement:my_questionnaires"),
                email=False,
            )
    return created
