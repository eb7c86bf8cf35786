"""The internal-call model: a main implementer (a city or an NGO) holds funding granted to it in a
parent programme and re-grants it to small NGOs in its own internal calls, deciding together with
the regional funder.

The calls, applications, reviews and decisions are the same steps as in a partnership programme
(``services.applications``, ``review``, ``decisions``). What is specific is kept here:

* the main implementer's own envelope caps its re-grants, and its envelopes together never hold
  more than was granted to it in the parent programme (``envelope_set``, ``regrant_room``);
* a re-grant stands only when both the main implementer and the regional funder have granted it
  (``joint_decision``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from osallisuus.core import events, formatting

from ..models import ZERO, Application, Decision, Envelope, Funder, Programme
from ..permissions import P
from .payments import MoneyError, MoneyForbidden

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def held(programme: Programme) -> Decimal:
    """What the main implementer was granted in the parent programme (all funders, all years)."""
    if programme.model != Programme.Model.INTERNAL or programme.parent_id is None:
        return ZERO
    return (
        Decision.objects.filter(
            application__call__programme_id=programme.parent_id,
            application__applicant_id=programme.organisation_id,
            outcome=Decision.Outcome.GRANTED,
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )


def main_implementer(programme: Programme) -> Funder | None:
    return programme.funders.filter(share=Funder.Share.MAIN_IMPLEMENTER).first()


def regrant_room(programme: Programme) -> Decimal:
    """How much the main implementer may still re-grant: what it holds less what it has decided."""
    funder = main_implementer(programme)
    if funder is None:
        return ZERO
    decided = Envelope.objects.filter(funder=funder).aggregate(s=Sum("decided"))["s"] or ZERO
    return held(programme) - decided


@transaction.atomic
def envelope_set(*, actor: User, funder: Funder, year: int, cap: Decimal, source: str) -> Envelope:
    """The main implementer's yearly envelope for re-grants; all its envelopes together stay within
    what it holds from the parent programme."""
    programme = Programme.objects.select_for_update().get(pk=funder.programme_id)
    if not actor.permissions.has(P.MANAGE, organisation_id=programme.organisation_id):
        raise MoneyForbidden(_("Only the main implementer's programme managers set its envelopes."))
    if programme.model != Programme.Model.INTERNAL or funder.share != Funder.Share.MAIN_IMPLEMENTER:
        raise MoneyError(_("This envelope is not a main implementer's re-grant envelope."), field="funder")
    if cap is None or cap <= 0:
        raise MoneyError(_("Give an amount greater than zero."), field="cap")
    if not source.strip():
        raise MoneyError(
            _("Give the source of the cap, for example the decision that granted the funding."), field="source"
        )
    holding = held(programme)
    others = Envelope.objects.filter(funder=funder).exclude(year=year).aggregate(s=Sum("cap"))["s"] or ZERO
    if others + cap > holding:
        raise MoneyError(
            _(
                "The main implementer holds %(held)s from the parent programme and %(others)s of it is in "
                "other years' envelopes, so this year's envelope can be at most %(most)s."
            )
            % {
                "held": formatting.money(holding),
                "others": formatting.money(others),
                "most": formatting.money(max(holding - others, ZERO)),
            },
            field="cap",
        )
    envelope = Envelope.objects.select_for_update().filter(funder=funder, year=year).first()
    if envelope is not None and cap < envelope.decided:
        raise MoneyError(
            _("%(decided)s is already decided from this envelope.") % {"decided": formatting.money(envelope.decided)},
            field="cap",
        )
    if envelope is None:
        envelope = Envelope(funder=funder, year=year, cap=cap, source=source.strip())
    else:
        envelope.cap, envelope.source = cap, source.strip()
    envelope.full_clean(validate_constraints=False)
    envelope.save()
    events.record(actor=actor, verb="funding.internal.envelope", target=envelope)
    return envelope


@dataclass
class JointDecision:
    """The two decisions on a re-grant: the main implementer's and the regional funder's."""

    main: Decision | None
    regional: Decision | None

    @property
    def state(self) -> str:
        decisions = [d for d in (self.main, self.regional) if d is not None]
        if any(d.outcome == Decision.Outcome.REFUSED for d in decisions):
            return "refused"
        if len(decisions) < 2:
            return "waiting"
        return "granted"

    @property
    def label(self) -> str:
        return {
            "refused": _("Not granted: a funder refused"),
            "waiting": _("Waiting for both decisions"),
            "granted": _("Granted by the main implementer and the regional funder"),
        }[self.state]

    @property
    def total(self) -> Decimal:
        if self.state != "granted":
            return ZERO
        return sum((d.amount for d in (self.main, self.regional) if d is not None), ZERO)


def joint_decision(application: Application) -> JointDecision:
    by_share = {d.funder.share: d for d in Decision.objects.filter(application=application).select_related("funder")}
    regional = next((d for share, d in by_share.items() if share != Funder.Share.MAIN_IMPLEMENTER), None)
    return JointDecision(main=by_share.get(Funder.Share.MAIN_IMPLEMENTER), regional=regional)
