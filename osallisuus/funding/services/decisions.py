"""Two decisions on one project: each funder decides its own share under its own yearly envelope.

The envelope row of the call's year is locked (``select_for_update``) while the decision is made, so
two officers deciding at once never take it over its cap; ``decided`` is raised in the same
transaction as the decision is written, and the database refuses a total above the cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events, formatting
from osallisuus.core.notifications import notify

from .. import permissions
from ..models import Application, Decision, Envelope, Funder, Output
from ._base import FundingError, FundingForbidden, money

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

NOTICE_KIND = "funding.decision"


def _decider_funder(actor: User, application: Application, funder: Funder | int | None) -> Funder:
    mine = permissions.decide_funders(actor, application)
    if funder is None:
        found = list(mine[:2])
        if len(found) != 1:
            raise FundingError(_("Choose the funder you decide for."), field="funder")
        return found[0]
    funder_id = funder if isinstance(funder, int) else funder.pk
    chosen = mine.filter(pk=funder_id).first()
    if chosen is None:
        raise FundingForbidden(_("You cannot decide for that funder."), field="funder")
    return chosen


def decision_make(
    *,
    actor: User,
    application: Application,
    outcome: str,
    number: str,
    decided_on: dt.date,
    amount: Any = None,
    conditions: str = "",
    refusal_reasons: str = "",
    funder: Funder | int | None = None,
    outputs: Sequence[Output] | None = None,
) -> Decision:
    """One funder's decision on its own share, never more than its envelope has left."""
    allowed = permissions.can_decide(actor, application)
    if not allowed:
        raise FundingForbidden(allowed.reason)
    chosen = _decider_funder(actor, application, funder)
    if outcome not in Decision.Outcome.values:
        raise FundingError(_("Choose whether the support is granted or refused."), field="outcome")
    if not (number or "").strip():
        raise FundingError(_("Give the decision number."), field="number")
    if not decided_on:
        raise FundingError(_("Give the decision date."), field="decided_on")
    if outcome == Decision.Outcome.GRANTED:
        value = money(amount, field="amount", allow_zero=False)
    else:
        value = money("0", field="amount")
        if not (refusal_reasons or "").strip():
            raise FundingError(_("Give the reasons for the refusal."), field="refusal_reasons")
    try:
        with transaction.atomic():
            decision = _decide_locked(
                actor=actor,
                application=application,
                funder=chosen,
                outcome=outcome,
                number=number.strip(),
                decided_on=decided_on,
                amount=value,
                conditions=(conditions or "").strip(),
                refusal_reasons=(refusal_reasons or "").strip() if outcome == Decision.Outcome.REFUSED else "",
                outputs=outputs,
            )
    except IntegrityError as exc:
        # Two deciders of the same funder at once: the unique constraint refuses the second.
        raise FundingError(_("This funder has already decided on this application."), code="already_decided") from exc
    recipients = [au.user for au in application.users.select_related("user")]
    url = reverse("funding:application", args=[application.pk])
    transaction.on_commit(lambda: _notify(decision, recipients, url))
    return decision


def _decide_locked(
    *,
    actor: User,
    application: Application,
    funder: Funder,
    outcome: str,
    number: str,
    decided_on: dt.date,
    amount: Any,
    conditions: str,
    refusal_reasons: str,
    outputs: Sequence[Output] | None,
) -> Decision:
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if Decision.objects.filter(application=application, funder=funder).exists():
        raise FundingError(_("This funder has already decided on this application."), code="already_decided")
    envelope = Envelope.objects.select_for_update().filter(funder=funder, year=application.call.year).first()
    if envelope is None:
        raise FundingError(
            _("The funder has no envelope for %(year)s.") % {"year": application.call.year}, field="amount"
        )
    remaining = envelope.cap - envelope.decided
    if amount > remaining:
        raise FundingError(
            _("The decision (%(amount)s) is more than the funder's remaining envelope for %(year)s (%(remaining)s).")
            % {
                "amount": formatting.money(amount),
                "year": envelope.year,
                "remaining": formatting.money(remaining),
            },
            field="amount",
            code="over_envelope",
        )
    decision = Decision.objects.create(
        application=application,
        funder=funder,
        envelope=envelope,
        outcome=outcome,
        number=number,
        decided_on=decided_on,
        decider=actor,
        amount=amount,
        conditions=conditions,
        refusal_reasons=refusal_reasons,
    )
    if outcome == Decision.Outcome.GRANTED and application.lump_sum:
        decision.outputs.set(outputs if outputs is not None else list(application.outputs.all()))
    envelope.decided = envelope.decided + amount
    envelope.save(update_fields=["decided"])
    funder_ids = set(application.call.funders.values_list("pk", flat=True))
    decided_ids = set(application.decisions.values_list("funder_id", flat=True))
    if funder_ids <= decided_ids and application.status == Application.Status.SUBMITTED:
        application.status = Application.Status.DECIDED
        application.save(update_fields=["status", "updated_at"])
    events.record(actor=actor, verb="funding.decision.make", target=decision, data={"outcome": outcome})
    return decision


def _notify(decision: Decision, recipients: list[User], url: str) -> None:
    for user in recipients:
        notify(
            user=user,
            kind=NOTICE_KIND,
            message=_("%(funder)s has decided on your application “%(title)s”."),
            params={"funder": str(decision.funder.organisation), "title": decision.application.title},
            url=url,
        )
