"""Reads of the experts module. Gates return the object or the same 404 and log reads of
another person's data; list reads log each person shown once per request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from osallisuus.core.access import gate

from . import fees, matching
from .models import (
    Agreement,
    CheckIn,
    EarningsLimit,
    ExpenseReport,
    Expert,
    Offer,
    SupportSession,
    TaskRequest,
    TaskType,
)
from .permissions import agreements_visible, broker_orgs, experts_visible, requests_visible

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

ZERO = Decimal("0")


def my_expert_profile(*, user: User) -> Expert | None:
    return Expert.objects.filter(user=user).select_related("organisation").order_by("pk").first()


def expert_get(*, actor: User, pk: object, purpose: str, route: str = "") -> Expert:
    qs = experts_visible(actor).select_related("user", "organisation").prefetch_related("experience_areas")
    return gate(qs, pk=pk, actor=actor, purpose=purpose, subject_of=lambda e: e.user_id, route=route)


def coordinated_expert_get(*, actor: User, pk: object, purpose: str, route: str = "") -> Expert:
    """The gate for the coordinator's pages about one expert: only experts of the organisations
    the actor brokers for. Missing, another organisation's, or the actor's own profile
    elsewhere: the same 404."""
    qs = Expert.objects.filter(organisation_id__in=broker_orgs(actor)).select_related("user", "organisation")
    return gate(qs, pk=pk, actor=actor, purpose=purpose, subject_of=lambda e: e.user_id, route=route)


def expert_limits_get(*, actor: User, pk: object, route: str = "") -> Expert:
    """The gate for reading an expert's earnings limits as their coordinator ("recorded together
    with the expert"). Logged with a purpose of its own, so the expert and auditors can tell a
    look at the limits from a look at the profile. Orderers never pass."""
    return coordinated_expert_get(actor=actor, pk=pk, purpose="earnings limits (coordinator)", route=route)


def earnings_limits_of(*, expert: Expert) -> QuerySet[EarningsLimit]:
    """The expert's limits with who recorded each. Read only after a gate (or by the expert)."""
    return EarningsLimit.objects.filter(expert=expert).select_related("recorded_by").order_by("-valid_from", "pk")


def request_get(*, actor: User, pk: object) -> TaskRequest:
    qs = requests_visible(actor).select_related(
        "organisation", "broker", "created_by", "partner_worker", "task_type", "experience_area"
    )
    # A request is a work order between organisations; the people named in it are logged by the page.
    return gate(qs, pk=pk, actor=actor, purpose="task request", subject_of=lambda r: actor.pk)


def offer_get_for_expert(*, actor: User, pk: object) -> Offer:
    qs = Offer.objects.filter(expert__user=actor).select_related(
        "request__task_type",
        "request__organisation",
        "request__broker",
        "request__experience_area",
        "expert__user",
        "request__partner_worker",
    )
    return gate(qs, pk=pk, actor=actor, purpose="task offer", subject_of=lambda o: o.expert.user_id)


def agreement_get(*, actor: User, pk: object, purpose: str = "agreement", route: str = "") -> Agreement:
    qs = (
        agreements_visible(actor)
        .select_related(
            "request__organisation",
            "request__broker",
            "request__created_by",
            "request__partner_worker",
            "request__task_type",
            "expert__user",
            "expert__organisation",
            "fee_item",
            "schedule",
        )
        .prefetch_related("expert__experience_areas")
    )
    return gate(qs, pk=pk, actor=actor, purpose=purpose, subject_of=lambda a: a.expert.user_id, route=route)


def requests_for(*, actor: User) -> QuerySet[TaskRequest]:
    return (
        requests_visible(actor)
        .select_related("organisation", "broker", "task_type")
        .annotate(
            agreed=Count(
                "agreements", filter=Q(agreements__status__in=[Agreement.Status.ACTIVE, Agreement.Status.DONE])
            )
        )
        .order_by("-starts_at")
    )


def offers_for(*, user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(expert__user=user).select_related("request__task_type", "request__organisation")


def agreements_of_expert(*, user: User) -> QuerySet[Agreement]:
    return Agreement.objects.filter(expert__user=user).select_related("request__task_type", "request__organisation")


def offers_of_request(*, request: TaskRequest) -> list[Offer]:
    return list(request.offers.select_related("expert__user").order_by("created_at"))


def agreements_of_request(*, request: TaskRequest) -> list[Agreement]:
    return list(
        request.agreements.select_related("expert__user", "expert__organisation")
        .prefetch_related("expert__experience_areas")
        .order_by("starts_at")
    )


def experts_of(*, actor: User) -> QuerySet[Expert]:
    return (
        Expert.objects.filter(organisation_id__in=broker_orgs(actor))
        .select_related("user")
        .prefetch_related("experience_areas")
    )


# -- payments -------------------------------------------------------------------------------------


@dataclass
class PaymentRow:
    agreement: Agreement
    fee: Decimal
    taxable_expenses: Decimal
    tax_free_expenses: Decimal

    @property
    def total(self) -> Decimal:
        return self.fee + self.taxable_expenses + self.tax_free_expenses


def payments(*, actor: User, year: int, status: str | None = None) -> list[PaymentRow]:
    """Fees due and expenses of the actor's brokering organisations, by task, in one year."""
    qs = (
        Agreement.objects.filter(request__broker_id__in=broker_orgs(actor), starts_at__year=year)
        .filter(Q(fee_due=True, fee__gt=0) | Q(expense_report__isnull=False))
        .select_related("expert__user", "request", "expense_report")
        .annotate(
            taxable=Sum("expense_report__items__amount", filter=Q(expense_report__items__taxable=True)),
            tax_free=Sum("expense_report__items__amount", filter=Q(expense_report__items__taxable=False)),
        )
        .order_by("starts_at", "pk")
    )
    if status:
        qs = qs.filter(expense_report__status=status)
    return [
        PaymentRow(
            agreement=a,
            fee=a.fee if a.fee_due and not a.volunteer else ZERO,
            # Sums in cents: SQLite's decimal sums carry float noise into pages and exports.
            taxable_expenses=fees.money(Decimal(getattr(a, "taxable", None) or ZERO)),
            tax_free_expenses=fees.money(Decimal(getattr(a, "tax_free", None) or ZERO)),
        )
        for a in qs
    ]


def reports_waiting(*, actor: User) -> QuerySet[ExpenseReport]:
    return (
        ExpenseReport.objects.filter(
            agreement__request__broker_id__in=broker_orgs(actor), status=ExpenseReport.Status.SUBMITTED
        )
        .select_related("agreement__expert__user", "agreement__request")
        .prefetch_related("items")
        .order_by("created_at", "pk")
    )


def fee_statement(*, user: User, year: int, month: int | None = None) -> list[Agreement]:
    qs = Agreement.objects.earning().filter(expert__user=user, starts_at__year=year)
    if month:
        qs = qs.filter(starts_at__month=month)
    return list(qs.select_related("request", "expert__organisation").order_by("starts_at"))


# -- wellbeing ------------------------------------------------------------------------------------


@dataclass
class Signals:
    expert: Expert
    tasks_month: int = 0
    hours_month: Decimal = ZERO
    story_run: int = 0
    days_since_supervision: int | None = None
    days_since_task: int | None = None
    coping: int | None = None
    wants_contact: bool = False
    prompts: list[str] = field(default_factory=list)


def wellbeing_signals(*, actor: User, today: dt.date | None = None) -> list[Signals]:
    """Gentle prompts to talk, never sanctions. A fixed number of queries for any number of experts."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    month_start = dt.datetime(today.year, today.month, 1, tzinfo=timezone.get_current_timezone())
    experts = list(experts_of(actor=actor).filter(status=Expert.Status.ACTIVE).order_by("user__full_name"))
    ids = [e.pk for e in experts]
    month = dict.fromkeys(ids, (0, 0))
    for row in (
        Agreement.objects.binding()
        .filter(expert_id__in=ids, starts_at__gte=month_start)
        .values("expert_id")
        .annotate(n=Count("pk"), minutes=Sum("request__duration_minutes"))
    ):
        month[row["expert_id"]] = (row["n"], row["minutes"] or 0)
    last_task = dict(
        Agreement.objects.binding()
        .filter(expert_id__in=ids)
        .values("expert_id")
        .annotate(last=Max("starts_at"))
        .values_list("expert_id", "last")
    )
    last_supervision = dict(
        SupportSession.objects.filter(attendees__in=ids, kind=SupportSession.Kind.SUPERVISION)
        .values("attendees")
        .annotate(last=Max("held_on"))
        .values_list("attendees", "last")
    )
    recent: dict[int, list[str]] = {}
    for expert_id, code in (
        Agreement.objects.binding()
        .filter(
            expert_id__in=ids, starts_at__lte=timezone.now(), starts_at__gte=timezone.now() - dt.timedelta(days=365)
        )
        .order_by("expert_id", "-starts_at")
        .values_list("expert_id", "request__task_type__code")
    ):
        recent.setdefault(expert_id, []).append(code)
    checkins: dict[int, CheckIn] = {}
    for checkin in CheckIn.objects.filter(expert_id__in=ids).order_by("expert_id", "-created_at"):
        checkins.setdefault(checkin.expert_id, checkin)
    out = []
    for expert in experts:
        s = Signals(expert=expert)
        s.tasks_month, minutes = month[expert.pk]
        s.hours_month = (Decimal(minutes) / 60).quantize(Decimal("0.1"))
        run = 0
        for code in recent.get(expert.pk, [])[:10]:
            if code != "story":
                break
            run += 1
        s.story_run = run
        if expert.pk in last_supervision:
            s.days_since_supervision = (today - last_supervision[expert.pk]).days
        if expert.pk in last_task:
            s.days_since_task = (timezone.now() - last_task[expert.pk]).days
        if expert.pk in checkins:
            s.coping = checkins[expert.pk].coping
            s.wants_contact = checkins[expert.pk].wants_contact
        if s.tasks_month >= 6:
            s.prompts.append(_("Many tasks this month"))
        if s.story_run >= 3:
            s.prompts.append(_("Several own-story tasks in a row"))
        if s.days_since_supervision is None or s.days_since_supervision > 90:
            s.prompts.append(_("No supervision for a long time"))
        if s.days_since_task is not None and s.days_since_task > 120:
            s.prompts.append(_("A long silence"))
        if s.coping is not None and s.coping <= 2:
            s.prompts.append(_("Said coping is hard"))
        if s.wants_contact:
            s.prompts.append(_("Asked to be contacted"))
        out.append(s)
    out.sort(key=lambda s: (-len(s.prompts), s.expert.user.full_name))
    return out


# -- reports ------------------------------------------------------------------------------------


@dataclass
class Report:
    year: int
    by_month: list[tuple[dt.date, int]]
    by_type: list[tuple[str, int]]
    fees_paid: Decimal
    expenses_paid: Decimal
    active_experts: int
    busiest_tenth_share: Decimal


def coordinator_report(*, actor: User, year: int) -> Report:
    orgs = broker_orgs(actor)
    agreements = Agreement.objects.binding().filter(request__broker_id__in=orgs, starts_at__year=year)
    by_month = [
        (r["m"].date() if hasattr(r["m"], "date") else r["m"], r["n"])
        for r in agreements.annotate(m=TruncMonth("starts_at")).values("m").annotate(n=Count("pk")).order_by("m")
    ]
    types = {t.pk: t.name for t in TaskType.objects.all()}  # in the reader's language
    by_type = [
        (types.get(r["request__task_type_id"], ""), r["n"])
        for r in agreements.values("request__task_type_id").annotate(n=Count("pk")).order_by("-n")
    ]
    fees_paid = (
        Agreement.objects.earning()
        .filter(request__broker_id__in=orgs, starts_at__year=year)
        .aggregate(s=Sum("fee"))["s"]
        or ZERO
    )
    expenses = (
        ExpenseReport.objects.filter(
            agreement__request__broker_id__in=orgs,
            agreement__starts_at__year=year,
            status=ExpenseReport.Status.APPROVED,
        ).aggregate(s=Sum("items__amount"))["s"]
        or ZERO
    )
    counts = sorted(agreements.values("expert_id").annotate(n=Count("pk")).values_list("n", flat=True), reverse=True)
    total = sum(counts)
    tenth = max(1, len(counts) // 10) if counts else 0
    share = (Decimal(sum(counts[:tenth])) / Decimal(total) * 100).quantize(Decimal("0.1")) if total else ZERO
    return Report(
        year=year,
        by_month=by_month,
        by_type=by_type,
        # Sums of decimals come back from SQLite with float noise: money is shown in cents.
        fees_paid=fees.money(Decimal(fees_paid)),
        expenses_paid=fees.money(Decimal(expenses)),
        active_experts=len(counts),
        busiest_tenth_share=share,
    )


# -- task feedback (through the measurement engine) -------------------------------------------------


@dataclass
class FeedbackStatus:
    """The viewer's own feedback on one task: status and date, never a score."""

    side: str
    given_at: dt.datetime | None = None
    answers_id: int | None = None
    """The viewer's own sent answers (measurement's page for the respondent)."""
    in_progress: bool = False


def feedback_status(*, actor: User, agreement: Agreement) -> FeedbackStatus | None:
    """Whether the viewer, the expert or an orderer of the task, has given feedback on it
    (``None`` for everyone else). Read from the measurement engine: the viewer's own responses."""
    from osallisuus.measurement import selectors as measurement

    from .services import FEEDBACK_MODULE, feedback_ref, feedback_side

    side = feedback_side(actor=actor, agreement=agreement)
    if side is None:
        return None
    status = FeedbackStatus(side=side)
    for response in measurement.responses_for_context(
        respondent=actor, context_module=FEEDBACK_MODULE, context_ref=feedback_ref(agreement)
    ):
        if response.status == "submitted" and status.given_at is None:
            status.given_at, status.answers_id = response.submitted_at, response.pk
        elif response.status == "in_progress":
            status.in_progress = True
    return status


@dataclass
class FeedbackReport:
    side: str
    title: str
    report: Any
    """``osallisuus.measurement.reports.Report``: group figures, small groups hidden."""


def feedback_reports(*, actor: User, year: int) -> list[FeedbackReport]:
    """The orderers' and the experts' feedback sent in the year about the tasks the actor's
    organisations brokered, as group figures from the measurement engine: by quarter, the
    distribution of the mean, and each question's answers; every table suppressed on its own
    (``SUPPRESSION_MIN_CELL_SIZE``), never one person's answers."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from osallisuus.measurement import reports
    from osallisuus.measurement import services as measurement

    from .services import FEEDBACK_INSTRUMENTS, FEEDBACK_MODULE

    titles = {"orderer": _("Orderers' feedback"), "expert": _("Experts' feedback")}
    found = []
    for side in ("orderer", "expert"):
        try:
            instrument = measurement.instrument_newest(code=FEEDBACK_INSTRUMENTS[side])
        except measurement.MeasurementError:
            continue
        report = reports.breakdown_report(
            instrument=instrument,
            organisation_ids=broker_orgs(actor),
            dimension="quarter",
            threshold=settings.SUPPRESSION_MIN_CELL_SIZE,
            module=FEEDBACK_MODULE,
            since=dt.date(year, 1, 1),
            until=dt.date(year, 12, 31),
            with_items=True,
        )
        found.append(FeedbackReport(side=side, title=titles[side], report=report))
    return found


def trained(expert: Expert) -> bool:
    return matching.is_trained(expert, matching.matching_recommendation())


def partner_candidates(*, organisation_ids: Iterable[int]) -> QuerySet[User]:
    """Who may be named the professional partner (lähityöntekijä) of a placement: the active
    staff of the ordering organisation with the partner or orderer role."""
    from osallisuus.accounts.models import Membership
    from osallisuus.accounts.models import User as UserModel

    ids = (
        Membership.objects.current()
        .filter(organisation_id__in=list(organisation_ids), roles__code__in=["partner_worker", "orderer"])
        .values("user_id")
    )
    return UserModel.objects.filter(pk__in=ids, is_active=True).order_by("full_name")
