"""Lists of the module: requests, offers, agreements, experts (searched, filtered and sorted in
the address), the people who may be named as the professional partner, and the module's
reference data. Pages log the people they show (``core.access.log_listing``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import P as PeopleP
from osallisuus.accounts.selectors import (
    acting_organisation,
    members_with_permission_in,
    organisations_acting_for,
    organisations_by_ids,
)
from osallisuus.core.collation import finnish, search_filter
from osallisuus.core.notifications import notifications_of

from ..errors import ExpertsForbidden
from ..models import (
    Agreement,
    EarningsLimit,
    ExpenseReport,
    ExperienceArea,
    Expert,
    FeeSchedule,
    Offer,
    PeerEvent,
    ReferenceFigure,
    SupportSession,
    TaskRequest,
    TaskType,
    TrainingCourse,
    TrainingRecommendation,
)
from ..permissions import P, broker_orgs, order_orgs, peer_events_visible_to, requests_visible_to

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
    from osallisuus.core.models import Notification

# -- requests, offers, agreements ---------------------------------------------------------------------


REQUEST_PERIODS = ("upcoming", "past")


def requests_for(*, actor: User, status: str = "", period: str = "") -> QuerySet[TaskRequest]:
    qs = (
        requests_visible_to(actor)
        .select_related("organisation", "broker", "task_type")
        # A correlated count, not a join with GROUP BY: the database then sorts and pages the
        # requests first and counts agreements only for the rows shown (flat as requests grow).
        .annotate(
            agreed=Coalesce(
                Subquery(
                    Agreement.objects.filter(
                        request=OuterRef("pk"), status__in=[Agreement.Status.ACTIVE, Agreement.Status.DONE]
                    )
                    .order_by()
                    .values("request")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("-starts_at", "-pk")
    )
    if status in TaskRequest.Status.values:
        qs = qs.filter(status=status)
    if period == "upcoming":
        qs = qs.filter(starts_at__gte=timezone.now())
    elif period == "past":
        qs = qs.filter(starts_at__lt=timezone.now())
    return qs


def request_search_condition(query: str) -> Q:
    """Every word of ``query`` in the request's title or the ordering organisation's name."""
    return search_filter(query, ["title", "organisation__name"])


def offers_for(*, user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(expert__user=user).select_related("request__task_type", "request__organisation")


def open_offers_for(*, user: User) -> QuerySet[Offer]:
    return offers_for(user=user).filter(status=Offer.Status.OFFERED)


def answered_offers_for(*, user: User) -> QuerySet[Offer]:
    return offers_for(user=user).exclude(status=Offer.Status.OFFERED)


def agreements_of_expert(*, user: User) -> QuerySet[Agreement]:
    return Agreement.objects.filter(expert__user=user).select_related("request__task_type", "request__organisation")


def offers_of_request(*, request: TaskRequest) -> list[Offer]:
    return list(request.offers.select_related("expert__user").order_by("created_at", "pk"))


def agreements_of_request(*, request: TaskRequest) -> list[Agreement]:
    return list(
        request.agreements.select_related("expert__user", "expert__organisation")
        .prefetch_related("expert__experience_areas")
        .order_by("starts_at", "pk")
    )


def partnered_agreements(*, user: User) -> QuerySet[Agreement]:
    """The agreed tasks ahead where the person is the professional partner (lähityöntekijä)."""
    return (
        Agreement.objects.filter(request__partner_worker=user, status=Agreement.Status.ACTIVE)
        .select_related("expert__user", "request")
        .order_by("starts_at", "pk")
    )


def is_partner_of_any(*, user: User) -> bool:
    return Agreement.objects.filter(request__partner_worker=user).exists()


def expense_report_of(*, agreement: Agreement) -> ExpenseReport | None:
    return ExpenseReport.objects.filter(agreement=agreement).first()


def expense_items_of(*, report: ExpenseReport | None) -> list[Any]:
    return list(report.items.all()) if report is not None else []


# -- experts ----------------------------------------------------------------------------------------

EXPERT_SORTS: dict[str, Any] = {
    "name": (finnish("user__full_name"), "pk"),
    "region": (finnish("region"), finnish("user__full_name"), "pk"),
    "training": ("-training_hours", finnish("user__full_name"), "pk"),
}
EXPERT_STATUSES = tuple(Expert.Status.values)


def experts_of(*, actor: User) -> QuerySet[Expert]:
    """The experts of the organisations the actor brokers for, in Finnish order of names."""
    return (
        Expert.objects.filter(organisation_id__in=broker_orgs(actor))
        .select_related("user")
        .prefetch_related("experience_areas")
        .order_by(finnish("user__full_name"), "pk")
    )


def active_experts_of(*, actor: User) -> list[Expert]:
    return list(experts_of(actor=actor).filter(status=Expert.Status.ACTIVE))


def expert_area_codes() -> list[str]:
    return list(ExperienceArea.objects.filter(is_active=True).values_list("code", flat=True))


def experience_areas_in_use() -> QuerySet[ExperienceArea]:
    return ExperienceArea.objects.filter(is_active=True)


def expert_search(*, actor: User, query: str = "", status: str = "", area: str = "") -> QuerySet[Expert]:
    """The coordinator's list of experts: every word of ``query`` in the name, e-mail or region
    (ä and Ä alike on both databases), the status and the experience area as filters."""
    qs = experts_of(actor=actor)
    if query:
        qs = qs.filter(search_filter(query, ["user__full_name", "user__email", "region"]))
    if status in EXPERT_STATUSES:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(experience_areas__code=area)
    return qs


def experts_of_broker(*, broker_id: int, ids: Iterable[object]) -> list[Expert]:
    """The experts with these ids among the brokering organisation's (others are left out)."""
    wanted = [int(str(i)) for i in ids if str(i).isdigit()]
    return list(Expert.objects.filter(pk__in=wanted, organisation_id=broker_id).select_related("user"))


def courses_of(*, expert: Expert) -> QuerySet[TrainingCourse]:
    return expert.courses.all()


def latest_agreements_of(*, expert: Expert, limit: int = 20) -> list[Agreement]:
    return list(expert.agreements.select_related("request").order_by("-starts_at", "-pk")[:limit])


def earnings_limits_of(*, expert: Expert) -> QuerySet[EarningsLimit]:
    """The expert's limits with who recorded each. Read only after a gate (or by the expert)."""
    return EarningsLimit.objects.filter(expert=expert).select_related("recorded_by").order_by("-valid_from", "pk")


def own_earnings_limits(*, user: User) -> list[EarningsLimit]:
    return list(
        EarningsLimit.objects.filter(expert__user=user).select_related("recorded_by").order_by("-valid_from", "pk")
    )


# -- organisations and people ------------------------------------------------------------------------


def brokering_organisations() -> QuerySet[Organisation]:
    """The organisations that broker experts by experience (they have experts), in Finnish order."""
    ids = set(Expert.objects.order_by().values_list("organisation_id", flat=True).distinct())
    return organisations_by_ids(ids=ids)


def ordering_organisations(*, user: User) -> list[Organisation]:
    """The organisations the person may order experts for, in Finnish order (a choice on the
    page, ``organisation_id`` in the API, when there are several)."""
    may_order = order_orgs(user)
    return [o for o in organisations_acting_for(user=user, permission=P.ORDER) if o.pk in may_order]


def ordering_organisation(*, user: User, chosen: object = None) -> Organisation:
    """The organisation a request is filed for: ``accounts.selectors.acting_organisation`` with
    the order permission, among the organisations that may order experts. One fits: that one;
    several: the person chooses (``chosen``), else a refusal naming the field ``organisation``."""
    fits = ordering_organisations(user=user)
    if chosen in (None, "") and len(fits) == 1:
        chosen = fits[0].pk
    organisation = acting_organisation(user=user, permission=P.ORDER, chosen=chosen)
    if organisation.pk not in {o.pk for o in fits}:
        raise ExpertsForbidden(_("You cannot order experts by experience for this organisation."), field="organisation")
    return organisation


def registering_organisations(*, user: User) -> QuerySet[Organisation]:
    """Where the coordinator may add experts."""
    return organisations_by_ids(ids=broker_orgs(user))


def partner_candidates(*, organisation_ids: Iterable[int]) -> QuerySet[User]:
    """Who may be named the professional partner (lähityöntekijä) of a placement: the active
    staff of the ordering organisation who work beside experts or order them (by permission)."""
    ids = list(organisation_ids)
    partners = members_with_permission_in(organisation_ids=ids, permission=PeopleP.PEOPLE_VIEW_WORK_PARTNERS)
    orderers = members_with_permission_in(organisation_ids=ids, permission=P.ORDER)
    return (partners | orderers).distinct().order_by(finnish("full_name"), "pk")


def task_type_by_code(*, code: str) -> TaskType | None:
    return TaskType.objects.filter(code=code, is_active=True).first()


def experience_area_by_code(*, code: str) -> ExperienceArea | None:
    return ExperienceArea.objects.filter(code=code).first()


def experts_notices(*, user: User, limit: int = 10) -> list[Notification]:
    """The person's unread notices about experts' tasks (from the notification centre)."""
    return list(notifications_of(user=user).filter(kind__startswith="experts.", read_at__isnull=True)[:limit])


# -- wellbeing, peers and reference data -----------------------------------------------------------------


def support_sessions_of(*, actor: User, limit: int = 30) -> list[SupportSession]:
    return list(
        SupportSession.objects.filter(organisation_id__in=broker_orgs(actor))
        .annotate(n=Count("attendees"))
        .order_by("-held_on", "-pk")[:limit]
    )


def upcoming_peer_events(*, actor: User, expert: Expert | None) -> QuerySet[PeerEvent]:
    return (
        peer_events_visible_to(actor, expert=expert)
        .filter(starts_at__gte=timezone.now())
        .annotate(taken=Count("participants"))
        .order_by("starts_at", "pk")
    )


def peer_event_taken(*, event: PeerEvent) -> int:
    return event.participants.count()


def my_peer_event_ids(*, expert: Expert | None) -> set[int]:
    return set(expert.peer_events.values_list("pk", flat=True)) if expert else set()


def recommendations() -> QuerySet[TrainingRecommendation]:
    return TrainingRecommendation.objects.all()


def pension_figures() -> QuerySet[ReferenceFigure]:
    return ReferenceFigure.objects.filter(kind=ReferenceFigure.Kind.DISABILITY_PENSION_MIN)


def reference_figures() -> QuerySet[ReferenceFigure]:
    return ReferenceFigure.objects.all()


def fee_schedules_for(*, actor: User) -> QuerySet[FeeSchedule]:
    """The example tables and the schedules of the organisations the actor brokers for."""
    return (
        FeeSchedule.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=broker_orgs(actor)))
        .select_related("organisation")
        .prefetch_related("items")
    )
