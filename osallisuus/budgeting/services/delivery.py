"""From winner to delivery: the budget used, purchases, delivery and its feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallisuus.core import events, formatting
from osallisuus.core.errors import Conflict
from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement

from .. import permissions
from ..models import (
    Process,
    Proposal,
    Purchase,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
from ._base import (
    FEEDBACK_INSTRUMENT,
    FEEDBACK_MODULE,
    BudgetingError,
    BudgetingForbidden,
    _lock,
    _require_staff,
    tell_voters,
)
from .results import winner_ids


# -- from winner to delivery ---------------------------------------------------------------------------
def budget_use(process: Process) -> dict[str, Decimal]:
    """What the budget holds now: committed (agreed, not yet carried out), delivered, left."""
    rows = dict(Purchase.objects.filter(process=process).values_list("status").annotate(total=Sum("amount")).order_by())
    committed = rows.get(Purchase.Status.AGREED) or Decimal("0.00")
    delivered = rows.get(Purchase.Status.DELIVERED) or Decimal("0.00")
    return {
        "budget": process.budget,
        "committed": committed,
        "delivered": delivered,
        "left": process.budget - committed - delivered,
    }


@transaction.atomic
def purchase_record(
    *,
    actor: User,
    proposal: Proposal,
    kind: str,
    amount: Decimal,
    agreed_on: dt.date,
    provider: Organisation | None = None,
    provider_name: str = "",
) -> Purchase:
    """A winning proposal bought from, or granted to, its provider (a third-sector actor). Until the
    funding module offers a record of its own, the purchase is kept here; this function is the one place
    to switch."""
    process = _lock(proposal.process)
    _require_staff(actor, process)
    if process.results_published_at is None:
        raise BudgetingError(_("Purchases are recorded after the results have been published."))
    if proposal.pk not in winner_ids(process):
        raise BudgetingError(_("Only a winning proposal becomes a purchase or a grant."))
    if Purchase.objects.filter(proposal=proposal).exists():
        raise Conflict(_("This proposal already has a purchase or a grant."), code="already_recorded")
    if kind not in Purchase.Kind.values:
        raise BudgetingError(_("Choose a purchase or a small grant."), field="kind")
    if amount is None or amount <= 0:
        raise BudgetingError(_("The amount must be more than 0 €."), field="amount")
    if provider is None and not provider_name.strip():
        raise BudgetingError(_("Say who carries it out."), field="provider")
    if agreed_on > timezone.localdate():
        raise BudgetingError(_("The agreement date cannot be in the future."), field="agreed_on")
    left = budget_use(process)["left"]
    if amount > left:
        raise BudgetingError(
            _("This would go over the budget: %(left)s is left and the amount is %(amount)s.")
            % {"left": formatting.money(left), "amount": formatting.money(amount)},
            field="amount",
            code="over_budget",
        )
    purchase = Purchase(
        process=process,
        proposal=proposal,
        kind=kind,
        provider=provider,
        provider_name="" if provider is not None else provider_name.strip(),
        amount=amount,
        agreed_on=agreed_on,
    )
    purchase.full_clean()
    purchase.save()
    events.record(
        actor=actor, verb="budgeting.purchase.recorded", target=purchase, data={"kind": kind, "amount": str(amount)}
    )
    return purchase


@transaction.atomic
def purchase_deliver(*, actor: User, purchase: Purchase, delivered_on: dt.date, note: str) -> Purchase:
    """The winner has been carried out. The voters are asked for their feedback (measurement engine)."""
    purchase = Purchase.objects.select_for_update().select_related("process", "proposal").get(pk=purchase.pk)
    decision = permissions.can_record_delivery(actor, purchase)
    if not decision:
        raise BudgetingForbidden(decision.reason)
    if purchase.status == Purchase.Status.DELIVERED:
        raise Conflict(_("The delivery has already been recorded."), code="already_delivered")
    if delivered_on is None:
        raise BudgetingError(_("Give the date it was carried out."), field="delivered_on")
    if delivered_on > timezone.localdate():
        raise BudgetingError(_("The date cannot be in the future."), field="delivered_on")
    if delivered_on < purchase.agreed_on:
        raise BudgetingError(
            _("The date cannot be before the agreement date (%(date)s).")
            % {"date": formatting.date(purchase.agreed_on)},
            field="delivered_on",
        )
    if not (note or "").strip():
        raise BudgetingError(_("Write in a few words what was done."), field="delivery_note")
    purchase.status = Purchase.Status.DELIVERED
    purchase.delivered_on = delivered_on
    purchase.delivery_note = note.strip()
    purchase.save()
    events.record(actor=actor, verb="budgeting.purchase.delivered", target=purchase)
    process = purchase.process
    tell_voters(
        process,
        kind="budgeting.delivered",
        subject=gettext_lazy("Carried out: %(process)s"),
        message=gettext_lazy(
            "A winning proposal of %(process)s has been carried out. Tell us how it went: it takes a couple of minutes."
        ),
        url=reverse("budgeting:process", args=[process.pk]),
    )
    return purchase


def feedback_ref(purchase: Purchase) -> str:
    return f"purchase:{purchase.pk}"


def feedback_given(*, actor: User, purchase: Purchase) -> bool:
    return any(
        r.status == "submitted"
        for r in measurement_selectors.responses_for_context(
            respondent=actor, context_module=FEEDBACK_MODULE, context_ref=feedback_ref(purchase)
        )
    )


def feedback_start(*, actor: User, purchase: Purchase) -> Any:
    """Start (or continue) the actor's feedback on a delivered winner, through the measurement engine.
    Only the people of the group, only after the delivery, once."""
    if not permissions.is_eligible(actor, purchase.process):
        raise BudgetingForbidden(_("Only the people of this group give feedback."))
    if purchase.status != Purchase.Status.DELIVERED:
        raise BudgetingError(_("Feedback can be given after it has been carried out."))
    if feedback_given(actor=actor, purchase=purchase):
        raise BudgetingError(_("You have already given feedback on this."))
    try:
        return measurement.response_start(
            instrument_code=FEEDBACK_INSTRUMENT,
            respondent=actor,
            context_module=FEEDBACK_MODULE,
            context_ref=feedback_ref(purchase),
            organisation=purchase.process.organisation,
        )
    except measurement.MeasurementError as exc:
        raise BudgetingError(exc.message) from exc
