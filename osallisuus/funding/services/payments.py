"""Money after a funding decision: reports, outputs, payments and the city's self-financing loan.

The rules kept here (each a refusal in the user's language, nothing partial saved):

* an **advance** is asked for by the project and is at most the ``advance_max_percent`` share of
  the decided support (the ``FundingRule`` row valid on the day of the request), all advances of
  the decision together;
* an **instalment** or the **final payment** carries a report (interim, or final);
* a **lump sum** (kertakorvaus) is only for a decision whose application chose it; it is paid
  only when every output the decision names is reported as reached and verified by an officer of
  the funder, and only after the project has ended; the final report is attached;
* no decision is paid more than its amount, counting every request that is not rejected;
* the same **idempotency key** pays once: a second request with it answers the first payment, and
  approving a payment that is already paid changes nothing;
* approving a payment raises the envelope's ``paid`` under a row lock (``select_for_update``), so
  ``paid`` never exceeds ``decided`` (the database refuses it too);
* a **loan**'s repayment schedule adds up to its amount; its balance is the amount less the
  repaid instalments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import events, formatting
from osallisuus.core.errors import Forbidden, Refusal

from ..models import (
    ZERO,
    Application,
    ApplicationUser,
    Attachment,
    Decision,
    Envelope,
    FundingRule,
    Loan,
    LoanInstalment,
    Output,
    Payment,
    Report,
)
from ..permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class MoneyError(Refusal):
    """A refusal about payments, reports, outputs or loans, in the user's language."""


class MoneyForbidden(Forbidden):
    pass


# -- who may act ------------------------------------------------------------------------------------


def is_project_writer(user: User, application: Application) -> bool:
    """The applicant's staff with ``funding.apply`` and the application's own users."""
    if user.permissions.has(P.APPLY, organisation_id=application.applicant_id):
        return True
    return ApplicationUser.objects.filter(application=application, user=user).exists()


def is_payer(user: User, organisation_id: int) -> bool:
    return user.permissions.has(P.PAY, organisation_id=organisation_id)


def _require_writer(user: User, application: Application) -> None:
    if not is_project_writer(user, application):
        raise MoneyForbidden(_("Only the project's own people may send its reports and payment requests."))


def _require_payer(user: User, organisation_id: int) -> None:
    if not is_payer(user, organisation_id):
        raise MoneyForbidden(_("Only the funder's own payment officers may do this."))


# -- rules as data ----------------------------------------------------------------------------------


def rule_value(kind: str, on: dt.date) -> Decimal:
    """The value of the rule of this kind in force on the day; a refusal when none is."""
    rule = (
        FundingRule.objects.filter(kind=kind, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise MoneyError(
            _("No rule “%(kind)s” is in force on %(day)s; the programme's administrator adds it first.")
            % {"kind": FundingRule.Kind(kind).label, "day": formatting.date(on)}
        )
    return rule.value


def advance_cap(decision: Decision, on: dt.date) -> Decimal:
    """The largest sum of all advances of the decision: the rule's share of the support, to the cent down."""
    percent = rule_value(FundingRule.Kind.ADVANCE_MAX_PERCENT, on)
    return (decision.amount * percent / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)


def _committed(decision: Decision, *, kind: str | None = None) -> Decimal:
    """What the decision's payments that are not rejected add up to (of one kind, if given)."""
    qs = Payment.objects.filter(decision=decision).exclude(status=Payment.Status.REJECTED)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


def unpaid_outputs(decision: Decision) -> list[Output]:
    """The outputs the decision names that are not yet reported as reached and verified."""
    return [o for o in decision.outputs.all() if o.reported_at is None or o.verified_at is None]


def lump_sum_refusal(decision: Decision, *, today: dt.date) -> MoneyError | None:
    """Why the lump sum of the decision cannot be paid yet, or ``None`` when it can."""
    application = decision.application
    if not application.lump_sum:
        return MoneyError(_("This project was not granted a lump sum; ask for instalments instead."), field="kind")
    if not decision.outputs.exists():
        return MoneyError(_("The decision names no outputs, so no lump sum can be paid on them."), field="kind")
    waiting = unpaid_outputs(decision)
    if waiting:
        return MoneyError(
            _("The lump sum is paid only on verified outputs. Not yet verified: %(outputs)s.")
            % {"outputs": ", ".join(o.description for o in waiting)},
            field="kind",
        )
    if application.ends_on is None or application.ends_on >= today:
        return MoneyError(
            _("The lump sum is paid after the project has ended (it ends on %(day)s).")
            % {"day": formatting.date(application.ends_on) if application.ends_on else "–"},
            field="kind",
        )
    return None


# -- reports and outputs ----------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    actor: User,
    application: Application,
    kind: str,
    text: str,
    attachment: Attachment | None = None,
    reached: Mapping[int, Decimal] | None = None,
) -> Report:
    """An interim or final report of the project. A final report may report the outputs reached
    (``reached``: output id → figure); a figure changed after verification needs verifying again."""
    _require_writer(actor, application)
    if application.status not in (Application.Status.DECIDED, Application.Status.CLOSED):
        raise MoneyError(_("Reports are sent for a project that has a funding decision."))
    if not text.strip():
        raise MoneyError(_("Write the report."), field="text")
    if attachment is not None and attachment.application_id != application.pk:
        raise MoneyError(_("The attachment belongs to another application."), field="attachment")
    if reached and kind != Report.Kind.FINAL:
        raise MoneyError(_("Outputs are reported as reached in the final report."), field="kind")
    report = Report(application=application, kind=kind, text=text.strip(), attachment=attachment, submitted_by=actor)
    report.full_clean()
    report.save()
    if reached:
        outputs = {o.pk: o for o in Output.objects.select_for_update().filter(application=application)}
        now = timezone.now()
        for output_id, figure in reached.items():
            output = outputs.get(int(output_id))
            if output is None:
                raise MoneyError(_("That output is not one of this project's."), field="reached")
            if figure is None or figure < 0:
                raise MoneyError(
                    _("Give the figure reached for “%(output)s” (0 or more).") % {"output": output.description},
                    field=f"reached_{output.pk}",
                )
            if output.reached != figure:
                output.verified_at = None
                output.verified_by = None
            output.reached = figure
            output.reported_at = now
            output.reported_by = actor
            output.save(update_fields=["reached", "reported_at", "reported_by", "verified_at", "verified_by"])
    events.record(actor=actor, verb="funding.report.submit", target=report, data={"kind": kind})
    return report


def _funders_paying(application: Application) -> set[int]:
    return set(
        Decision.objects.filter(application=application, outcome=Decision.Outcome.GRANTED).values_list(
            "funder__organisation_id", flat=True
        )
    )


@transaction.atomic
def output_verify(*, actor: User, output: Output) -> Output:
    """A funder's payment officer confirms an output reported as reached."""
    output = Output.objects.select_for_update().select_related("application").get(pk=output.pk)
    if not any(is_payer(actor, org) for org in _funders_paying(output.application)):
        raise MoneyForbidden(_("Only a payment officer of the project's funders may verify its outputs."))
    if output.reported_at is None or output.reached is None:
        raise MoneyError(_("The project has not reported this output as reached yet."), field="output")
    if output.reached < output.target:
        raise MoneyError(
            _("The figure reached (%(reached)s) is below the target (%(target)s); the output is not reached.")
            % {"reached": formatting.number(output.reached, 2), "target": formatting.number(output.target, 2)},
            field="output",
        )
    if output.verified_at is None:
        output.verified_at = timezone.now()
        output.verified_by = actor
        output.save(update_fields=["verified_at", "verified_by"])
        events.record(actor=actor, verb="funding.output.verify", target=output)
    return output


# -- payments ---------------------------------------------------------------------------------------


def _existing(idempotency_key: str, decision: Decision) -> Payment | None:
    found = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if found is not None and found.decision_id != decision.pk:
        raise MoneyError(_("This request was already sent for another decision."), field="idempotency_key")
    return found


def payment_request(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    amount: Decimal,
    idempotency_key: str,
    report: Report | None = None,
    today: dt.date | None = None,
) -> Payment:
    """The project asks for a payment. The same ``idempotency_key`` answers the first request."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise MoneyError(_("The form was not sent whole; open it again and send it once more."))
    found = _existing(key, decision)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _request(
                actor=actor, decision=decision, kind=kind, amount=amount, key=key, report=report, today=today
            )
    except IntegrityError:
        # The same key committed by a parallel request: answer that one.
        found = _existing(key, decision)
        if found is None:
            raise
        return found


def _request(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    amount: Decimal,
    key: str,
    report: Report | None,
    today: dt.date | None,
) -> Payment:
    # One request of a decision at a time: the sums below stay true until this one is written.
    decision = Decision.objects.select_for_update().select_related("application").get(pk=decision.pk)
    found = Payment.objects.filter(idempotency_key=key).first()
    if found is not None:
        return found
    application = decision.application
    _require_writer(actor, application)
    today = today or timezone.localdate()
    if decision.outcome != Decision.Outcome.GRANTED:
        raise MoneyError(_("A refused application gets no payments."))
    if kind not in Payment.Kind.values:
        raise MoneyError(_("Choose the kind of payment."), field="kind")
    if amount is None or amount <= 0:
        raise MoneyError(_("Give an amount greater than zero."), field="amount")
    if amount != amount.quantize(CENT):
        raise MoneyError(_("Give the amount to the cent at most, for example 650,50."), field="amount")
    left = decision.amount - _committed(decision)
    if amount > left:
        raise MoneyError(
            _("The decision's support is %(support)s and %(left)s of it is not yet asked for.")
            % {"support": formatting.money(decision.amount), "left": formatting.money(left)},
            field="amount",
        )
    if report is not None and report.application_id != application.pk:
        raise MoneyError(_("The report belongs to another project."), field="report")
    if kind == Payment.Kind.ADVANCE:
        cap = advance_cap(decision, today)
        already = _committed(decision, kind=Payment.Kind.ADVANCE)
        if already + amount > cap:
            percent = rule_value(FundingRule.Kind.ADVANCE_MAX_PERCENT, today)
            raise MoneyError(
                _(
                    "An advance may be at most %(percent)s %% of the support, that is %(cap)s; "
                    "%(already)s is already asked for, so at most %(most)s more."
                )
                % {
                    "percent": formatting.number(percent),
                    "cap": formatting.money(cap),
                    "already": formatting.money(already),
                    "most": formatting.money(max(cap - already, ZERO)),
                },
                field="amount",
            )
    elif kind == Payment.Kind.LUMP_SUM:
        refusal = lump_sum_refusal(decision, today=today)
        if refusal is not None:
            raise refusal
        if report is None or report.kind != Report.Kind.FINAL:
            raise MoneyError(_("Attach the project's final report to the lump-sum request."), field="report")
    elif kind == Payment.Kind.INSTALMENT:
        if application.lump_sum:
            raise MoneyError(
                _("A lump-sum project is paid on its outputs, not in instalments; ask for an advance or the lump sum."),
                field="kind",
            )
        if report is None:
            raise MoneyError(_("Attach an interim or final report to the instalment request."), field="report")
    elif kind == Payment.Kind.FINAL:
        if application.lump_sum:
            raise MoneyError(_("A lump-sum project's last payment is the lump sum on its outputs."), field="kind")
        if report is None or report.kind != Report.Kind.FINAL:
            raise MoneyError(_("Attach the project's final report to the final payment request."), field="report")
    payment = Payment(
        decision=decision, kind=kind, amount=amount, report=report, idempotency_key=key, requested_by=actor
    )
    payment.full_clean(exclude=["idempotency_key"])
    payment.save()
    events.record(actor=actor, verb="funding.payment.request", target=payment, data={"kind": kind})
    return payment


@transaction.atomic
def payment_approve(*, actor: User, payment: Payment, today: dt.date | None = None) -> Payment:
    """The funder's payment officer pays a request. Paying a paid request again changes nothing."""
    payment = Payment.objects.select_for_update().select_related("decision__application").get(pk=payment.pk)
    decision = payment.decision
    _require_payer(actor, Decision.objects.values_list("funder__organisation_id", flat=True).get(pk=decision.pk))
    if payment.status == Payment.Status.PAID:
        return payment
    if payment.status != Payment.Status.REQUESTED:
        raise MoneyError(_("A rejected request is not paid; the project sends a new one."))
    today = today or timezone.localdate()
    if payment.kind == Payment.Kind.LUMP_SUM:
        refusal = lump_sum_refusal(decision, today=today)
        if refusal is not None:
            raise refusal
    envelope = Envelope.objects.select_for_update().get(pk=decision.envelope_id)
    if envelope.paid + payment.amount > envelope.decided:
        raise MoneyError(
            _("The envelope has %(decided)s decided and %(paid)s paid; this payment would pay more than was decided.")
            % {"decided": formatting.money(envelope.decided), "paid": formatting.money(envelope.paid)}
        )
    envelope.paid += payment.amount
    envelope.save(update_fields=["paid"])
    payment.status = Payment.Status.PAID
    payment.paid_on = today
    payment.paid_by = actor
    payment.save(update_fields=["status", "paid_on", "paid_by", "updated_at"])
    events.record(actor=actor, verb="funding.payment.pay", target=payment, data={"kind": payment.kind})
    return payment


@transaction.atomic
def payment_reject(*, actor: User, payment: Payment, note: str) -> Payment:
    payment = Payment.objects.select_for_update().select_related("decision__funder").get(pk=payment.pk)
    _require_payer(actor, payment.decision.funder.organisation_id)
    if payment.status != Payment.Status.REQUESTED:
        raise MoneyError(_("Only a request still waiting can be rejected."))
    if not note.strip():
        raise MoneyError(_("Tell the project why the request is rejected."), field="note")
    payment.status = Payment.Status.REJECTED
    payment.note = note.strip()
    payment.save(update_fields=["status", "note", "updated_at"])
    events.record(actor=actor, verb="funding.payment.reject", target=payment)
    return payment


# -- the self-financing loan -----------------------------------------------------------------------


def loan_balance(loan: Loan, instalments: Iterable[LoanInstalment] | None = None) -> Decimal:
    """The amount less the repaid instalments."""
    rows = loan.instalments.all() if instalments is None else instalments
    return loan.amount - sum((i.amount for i in rows if i.repaid_on is not None), ZERO)


@transaction.atomic
def loan_grant(
    *,
    actor: User,
    application: Application,
    lender: Organisation,
    amount: Decimal,
    granted_on: dt.date,
    schedule: list[tuple[dt.date, Decimal]],
    decision_number: str = "",
) -> Loan:
    """The city lends the NGO its self-financing, with a repayment schedule that adds up to the amount."""
    _require_payer(actor, lender.pk)
    if amount is None or amount <= 0:
        raise MoneyError(_("Give an amount greater than zero."), field="amount")
    if amount != amount.quantize(CENT):
        raise MoneyError(_("Give the amount to the cent at most, for example 650,50."), field="amount")
    if not schedule:
        raise MoneyError(_("Give the repayment schedule: at least one instalment."), field="schedule")
    for due_on, part in schedule:
        if part is None or part <= 0:
            raise MoneyError(_("Every instalment is greater than zero."), field="schedule")
        if due_on < granted_on:
            raise MoneyError(_("An instalment falls due after the loan is granted."), field="schedule")
    total = sum((part for _due, part in schedule), ZERO)
    if total != amount:
        raise MoneyError(
            _("The instalments add up to %(total)s but the loan is %(amount)s.")
            % {"total": formatting.money(total), "amount": formatting.money(amount)},
            field="schedule",
        )
    loan = Loan(
        application=application, lender=lender, amount=amount, granted_on=granted_on, decision_number=decision_number
    )
    loan.full_clean()
    loan.save()
    LoanInstalment.objects.bulk_create(
        [LoanInstalment(loan=loan, due_on=due_on, amount=part) for due_on, part in sorted(schedule)]
    )
    events.record(actor=actor, verb="funding.loan.grant", target=loan)
    return loan


@transaction.atomic
def instalment_repaid(*, actor: User, instalment: LoanInstalment, repaid_on: dt.date) -> LoanInstalment:
    """The lender records an instalment as repaid (once)."""
    instalment = LoanInstalment.objects.select_for_update().select_related("loan").get(pk=instalment.pk)
    _require_payer(actor, instalment.loan.lender_id)
    if instalment.repaid_on is not None:
        raise MoneyError(
            _("This instalment was already repaid on %(day)s.") % {"day": formatting.date(instalment.repaid_on)}
        )
    if repaid_on < instalment.loan.granted_on:
        raise MoneyError(_("An instalment is repaid after the loan is granted."), field="repaid_on")
    instalment.repaid_on = repaid_on
    instalment.save(update_fields=["repaid_on"])
    events.record(actor=actor, verb="funding.loan.repaid", target=instalment.loan)
    return instalment
