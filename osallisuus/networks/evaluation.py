"""Evaluation of a network, through the measurement engine.

The coordinator sends an evaluation round to the network's current members who have an account
(our own instrument ``network-evaluation``, in fi, sv and en: goal, results, effects and side
effects, benefit, coordination, leadership and roles, trust, value and the four levels of shared
leadership). Measurement keeps the answers; this module keeps only which round evaluates which
network (``Evaluation``). The members and coordinators see the group results with the engine's
small-cell suppression, and the change from one round to the next. A project network is closed only
after its closing evaluation has been sent (``services.network_close``).

Measurement is reached only through its ``services`` and ``selectors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import events
from osallisuus.core.errors import Refusal
from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement

from . import permissions, services
from .models import Evaluation, Lifecycle, Network, NetworkMembership

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

INSTRUMENT_CODE = "network-evaluation"
CONTEXT_MODULE = "networks"
LONGEST_ROUND_DAYS = 90
RETENTION_DAYS = 3 * 365 + 1
"""The answers are kept about three years after the round, then anonymised (the figures stay)."""
HELSINKI = ZoneInfo("Europe/Helsinki")


class EvaluationRefusal(Refusal):
    pass


def context_ref(network: Network) -> str:
    return f"network:{network.pk}"


def _check_open_dates(closes_on: dt.date | None, today: dt.date) -> dt.date:
    if closes_on is None:
        raise EvaluationRefusal(_("Give the last day for answering."), field="closes_on", code="required")
    if closes_on <= today:
        raise EvaluationRefusal(
            _("The last day for answering must be after today."), field="closes_on", code="not_future"
        )
    if closes_on > today + dt.timedelta(days=LONGEST_ROUND_DAYS):
        raise EvaluationRefusal(
            _("An evaluation round is open for at most %(days)d days.") % {"days": LONGEST_ROUND_DAYS},
            field="closes_on",
            code="too_long",
        )
    return closes_on


@transaction.atomic
def evaluation_start(*, actor: User, network: Network, closes_on: dt.date | None, closing: bool = False) -> Evaluation:
    """Send an evaluation round to the network's current members with an account (they see it
    under Questionnaires and get a notice). ``closing``: the closing evaluation of a project
    network, once."""
    services._coordinate(actor, network)
    today = timezone.localdate()
    closes_on = _check_open_dates(closes_on, today)
    if closing and network.lifecycle != Lifecycle.PROJECT:
        raise EvaluationRefusal(
            _("Only a project network has a closing evaluation."), field="closing", code="not_project"
        )
    if closing and network.evaluations.filter(closing=True).exists():
        raise EvaluationRefusal(
            _("The closing evaluation of this network has already been sent."), field="closing", code="closing_sent"
        )
    people = [
        m.user
        for m in NetworkMembership.objects.current()
        .filter(network=network, user__isnull=False, user__is_active=True)
        .select_related("user")
        if m.user is not None
    ]
    if not people:
        raise EvaluationRefusal(_("No current member has an account to answer with."), field="closes_on", code="nobody")
    instrument = measurement.instrument_newest(code=INSTRUMENT_CODE)
    organisation = network.owners.order_by("pk").first()
    if organisation is None:  # a network always has an owner; be plain if not
        raise EvaluationRefusal(_("The network has no owner organisation."), code="no_owner")
    phase = network.evaluations.count()
    if closing:
        name = _("%(network)s: closing evaluation") % {"network": network.name}
    else:
        name = _("%(network)s: evaluation %(number)d") % {"network": network.name, "number": phase + 1}
    closes_at = dt.datetime.combine(closes_on, dt.time(23, 59), tzinfo=HELSINKI)
    round_ = measurement.round_create(
        actor=actor,
        instrument=instrument,
        organisation=organisation,
        name=name[:200],
        group_key=f"network-{network.pk}",
        purpose=_(
            "The network %(network)s looks at what it achieved and how its work went. The results are "
            "shown to the members only as a group; small groups are hidden."
        )
        % {"network": network.name},
        opens_at=timezone.now(),
        closes_at=closes_at,
        retention_until=closes_on + dt.timedelta(days=RETENTION_DAYS),
        phase=phase,
        context_module=CONTEXT_MODULE,
        context_ref=context_ref(network),
    )
    measurement.round_invite(actor=actor, round=round_, people=people)
    evaluation = Evaluation.objects.create(network=network, round_id=round_.pk, phase=phase, closing=closing)
    events.record(
        actor=actor,
        verb="networks.evaluation.start",
        target=network,
        data={"round": round_.pk, "closing": closing, "invited": len(people)},
    )
    return evaluation


def closing_evaluation_sent(network: Network) -> bool:
    return any(e.closing for e in network.evaluations.all())


# -- reads -------------------------------------------------------------------------------------------
@dataclass
class RoundResult:
    evaluation: Evaluation
    round: Any
    report: Any
    """measurement's ``Report``: the count, mean and tables, small groups hidden."""
    change: Any = None
    """measurement's ``Change`` from the round before (same group), or None for the first."""
    waiting_for_me: bool = False


def can_see_results(user: User, network: Network) -> bool:
    """Group results go to the network's members and coordinators (the past ones too: the
    history stays); never anyone's own answers."""
    return permissions.is_member(user, network)


def results(*, actor: User, network: Network) -> list[RoundResult]:
    """Every evaluation round of the network with its suppressed group results and the change
    from the round before, newest last."""
    evaluations = {e.round_id: e for e in network.evaluations.all()}
    rounds = [
        r
        for r in measurement_selectors.rounds_for_context(
            context_module=CONTEXT_MODULE, context_ref=context_ref(network)
        )
        if r.pk in evaluations
    ]
    waiting = {i.round_id for i in measurement_selectors.my_invitations(person=actor)}
    out: list[RoundResult] = []
    previous = None
    for round_ in rounds:
        change = measurement_selectors.change_report(first=previous, second=round_) if previous is not None else None
        out.append(
            RoundResult(
                evaluation=evaluations[round_.pk],
                round=round_,
                report=measurement_selectors.round_report(round=round_, with_items=True),
                change=change,
                waiting_for_me=round_.pk in waiting,
            )
        )
        previous = round_
    return out
