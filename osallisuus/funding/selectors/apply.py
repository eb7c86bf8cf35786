"""Gates and page models of applying: programmes with their envelopes, calls and deadlines, ideas,
applications with their totals, reviews (others' only after one's own), the recommendation summary,
the two decisions and the combined financing table, and the front-page work of each role."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from osallisuus.core.access import gate

from .. import permissions
from ..models import (
    Application,
    Call,
    Decision,
    Envelope,
    FinancingLine,
    Funder,
    Idea,
    Programme,
    Recommendation,
    Review,
)
from ..permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

ZERO = Decimal("0.00")
SHARE_SOURCE: dict[str, str] = {
    Funder.Share.ESF_STATE: FinancingLine.Source.ESF_STATE,
    Funder.Share.CITY: FinancingLine.Source.CITY,
    Funder.Share.MAIN_IMPLEMENTER: FinancingLine.Source.MAIN_IMPLEMENTER,
}


def _none(_obj: Any) -> None:
    return None


# -- gates ---------------------------------------------------------------------------------------
def programme_get(*, actor: User, pk: object, route: str = "") -> Programme:
    return gate(
        permissions.programmes_visible_to(actor).select_related("organisation", "parent"),
        pk=pk,
        actor=actor,
        purpose="funding programme",
        subject_of=_none,
        route=route,
    )


def programme_get_for_manager(*, actor: User, pk: object, route: str = "") -> Programme:
    return gate(
        permissions.programmes_managed_by(actor).select_related("organisation"),
        pk=pk,
        actor=actor,
        purpose="funding programme",
        subject_of=_none,
        route=route,
    )


def call_get(*, actor: User, pk: object, route: str = "") -> Call:
    return gate(
        Call.objects.filter(programme__in=permissions.programmes_visible_to(actor)).select_related(
            "programme", "programme__organisation"
        ),
        pk=pk,
        actor=actor,
        purpose="funding call",
        subject_of=_none,
        route=route,
    )


def idea_get(*, actor: User, pk: object, route: str = "") -> Idea:
    return gate(
        permissions.ideas_visible_to(actor).select_related("programme", "organisation", "invited_to"),
        pk=pk,
        actor=actor,
        purpose="funding idea",
        subject_of=_none,
        route=route,
    )


def application_get(*, actor: User, pk: object, route: str = "") -> Application:
    """An application the actor may open; another applicant's draft is the same 404 as a missing one."""
    return gate(
        permissions.application_visible_to(actor).select_related(
            "call", "call__programme", "applicant", "resubmission_of"
        ),
        pk=pk,
        actor=actor,
        purpose="funding application",
        subject_of=_none,
        route=route,
    )


def application_get_for_applicant(*, actor: User, pk: object, route: str = "") -> Application:
    return gate(
        permissions.applications_of_applicant(actor).select_related("call", "call__programme", "applicant"),
        pk=pk,
        actor=actor,
        purpose="funding application",
        subject_of=_none,
        route=route,
    )


def application_get_as_funder(*, actor: User, pk: object, route: str = "") -> Application:
    return gate(
        permissions.applications_as_funder(actor).select_related("call", "call__programme", "applicant"),
        pk=pk,
        actor=actor,
        purpose="funding application",
        subject_of=_none,
        route=route,
    )


# -- programmes and envelopes ---------------------------------------------------------------------
@dataclass
class EnvelopeRow:
    funder: Funder
    envelope: Envelope

    @property
    def cap(self) -> Decimal:
        return self.envelope.cap

    @property
    def decided(self) -> Decimal:
        return self.envelope.decided

    @property
    def paid(self) -> Decimal:
        return self.envelope.paid

    @property
    def remaining(self) -> Decimal:
        return self.envelope.cap - self.envelope.decided


def programmes_list(actor: User) -> QuerySet[Programme]:
    return permissions.programmes_visible_to(actor).select_related("organisation").order_by("-year_from", "name")


def envelope_rows(programme: Programme) -> list[EnvelopeRow]:
    """Every funder's yearly envelopes: cap, decided, paid, remaining (one query)."""
    envelopes = Envelope.objects.filter(funder__programme=programme).select_related("funder", "funder__organisation")
    return [EnvelopeRow(e.funder, e) for e in envelopes.order_by("-year", "funder__share")]


def programme_page(programme: Programme, actor: User) -> dict[str, Any]:
    funders = list(programme.funders.select_related("organisation"))
    calls = list(programme.calls.prefetch_related("funders__organisation").order_by("-opens_at"))
    now = timezone.now()
    return {
        "programme": programme,
        "funders": funders,
        "documents": list(programme.documents.all()),
        "envelopes": envelope_rows(programme),
        "info_events": list(programme.info_events.all()),
        "calls": [(c, call_state(c, now)) for c in calls],
        "ideas": list(permissions.ideas_visible_to(actor).filter(programme=programme).select_related("organisation")),
        "can_manage": permissions.can_manage_programme(actor, programme),
        "can_present_idea": permissions.can_present_idea(actor),
    }


def call_state(call: Call, now: Any = None) -> str:
    moment = now or timezone.now()
    if moment < call.opens_at:
        return "upcoming"
    if moment < call.closes_at:
        return "open"
    return "closed"


def open_calls(actor: User) -> QuerySet[Call]:
    now = timezone.now()
    return (
        Call.objects.filter(
            programme__in=permissions.programmes_visible_to(actor), opens_at__lte=now, closes_at__gt=now
        )
        .select_related("programme")
        .order_by("closes_at")
    )


def later_open_calls(actor: User, application: Application) -> QuerySet[Call]:
    return open_calls(actor).filter(closes_at__gt=application.call.closes_at).exclude(pk=application.call_id)


@dataclass
class Deadline:
    call: Call
    state: str
    applications: int = 0
    drafts: int = 0


def deadlines(actor: User) -> list[Deadline]:
    """Calls not yet closed, soonest first: for applicants, how many of their drafts and submitted
    applications each has; for officers, how many applications were submitted."""
    now = timezone.now()
    calls = list(
        Call.objects.filter(programme__in=permissions.programmes_visible_to(actor), closes_at__gt=now)
        .select_related("programme")
        .order_by("closes_at")
    )
    mine = permissions.applications_of_applicant(actor).filter(call__in=calls).values_list("call_id", "status")
    funder = permissions.applications_as_funder(actor).filter(call__in=calls).values_list("call_id", flat=True)
    rows = {c.pk: Deadline(c, call_state(c, now)) for c in calls}
    for call_id, status in mine:
        if status == Application.Status.DRAFT:
            rows[call_id].drafts += 1
        else:
            rows[call_id].applications += 1
    for call_id in funder:
        rows[call_id].applications += 1
    return list(rows.values())


def call_applications(call: Call, actor: User) -> QuerySet[Application]:
    """The applications of the call the actor may see (drafts only for the applicant side)."""
    return (
        permissions.application_visible_to(actor)
        .filter(call=call)
        .select_related("applicant")
        .order_by("submitted_at", "pk")
    )


# -- applications ----------------------------------------------------------------------------------
def my_applications(actor: User) -> QuerySet[Application]:
    return (
        permissions.applications_of_applicant(actor)
        .select_related("call", "call__programme", "applicant")
        .order_by("-updated_at")
    )


@dataclass
class FinancingRow:
    source: str
    label: str
    applied: Decimal
    decided: Decimal | None = None
    funder: Funder | None = None

    @property
    def decidable(self) -> bool:
        """A funder's share (decided by that funder), not the applicant's own or other financing."""
        return self.source in SHARE_SOURCE.values()


def combined_financing(application: Application) -> list[FinancingRow]:
    """The financing plan next to what each funder decided: applied and granted, per source."""
    lines = {f.source: f.amount for f in application.financing.all()}
    decisions = {d.funder.share: d for d in application.decisions.select_related("funder", "funder__organisation")}
    rows = []
    for source, label in FinancingLine.Source.choices:
        decision = next((d for share, d in decisions.items() if SHARE_SOURCE.get(share) == source), None)
        applied = lines.get(source, ZERO)
        if applied == 0 and decision is None:
            continue
        rows.append(
            FinancingRow(
                source,
                str(label),
                applied,
                decision.amount if decision else None,
                decision.funder if decision else None,
            )
        )
    return rows


def reviews_for(actor: User, application: Application) -> dict[str, Any]:
    """The actor's own review, and the others' only once she has written hers."""
    reviews = list(
        application.reviews.filter(submitted_at__isnull=False)
        .select_related("reviewer", "funder__organisation")
        .prefetch_related("scores__criterion")
    )
    own = next((r for r in reviews if r.reviewer_id == actor.pk), None)
    others = [r for r in reviews if r.reviewer_id != actor.pk] if own is not None else []
    return {"own": own, "others": others, "others_hidden": own is None and len(reviews) > 0}


@dataclass
class SummaryRow:
    funder: Funder
    recommendation: Recommendation | None
    reviews: int = 0
    mean_score: Decimal | None = None
    decision: Decision | None = None
    criteria: list[tuple[str, Decimal | None]] = field(default_factory=list)


def recommendation_summary(application: Application) -> list[SummaryRow]:
    """Per funder of the call: the recommendation (agree/disagree, note), the number of reviews and
    their weighted mean score on the 0–5 scale, and the decision if made."""
    criteria = list(application.call.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    recommendations = {r.funder_id: r for r in application.recommendations.select_related("written_by")}
    decisions = {d.funder_id: d for d in application.decisions.all()}
    reviews = list(application.reviews.filter(submitted_at__isnull=False).prefetch_related("scores"))
    rows = []
    for funder in application.call.funders.select_related("organisation").order_by("share"):
        mine = [r for r in reviews if r.funder_id == funder.pk]
        row = SummaryRow(funder, recommendations.get(funder.pk), len(mine), decision=decisions.get(funder.pk))
        if mine:
            total_weight = sum(weights.values()) or 1
            per_review = []
            for review in mine:
                scores = {s.criterion_id: s.score for s in review.scores.all()}
                per_review.append(
                    sum((Decimal(scores.get(cid, 0)) * w for cid, w in weights.items()), ZERO) / Decimal(total_weight)
                )
            row.mean_score = (sum(per_review, ZERO) / len(per_review)).quantize(Decimal("0.01"))
            for criterion in criteria:
                values = [s.score for r in mine for s in r.scores.all() if s.criterion_id == criterion.pk]
                mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
                row.criteria.append((criterion.name, mean))
        rows.append(row)
    return rows


# -- the front page ---------------------------------------------------------------------------------
def to_review(actor: User) -> QuerySet[Application]:
    """Submitted applications of calls the actor's funders take part in, not yet reviewed by her."""
    mine = Review.objects.filter(application=OuterRef("pk"), reviewer_id=actor.pk, submitted_at__isnull=False)
    return (
        permissions.applications_as_funder(actor, P.REVIEW)
        .filter(status=Application.Status.SUBMITTED)
        .exclude(Exists(mine))
        .select_related("call", "applicant")
        .order_by("call__closes_at", "pk")
    )


def to_decide(actor: User) -> QuerySet[Application]:
    """Submitted applications on which a funder the actor decides for has not yet decided."""
    funder_orgs = permissions.orgs_with(actor, P.DECIDE)
    decided_by_mine = Decision.objects.filter(application=OuterRef("pk"), funder__organisation_id__in=funder_orgs)
    return (
        permissions.applications_as_funder(actor, P.DECIDE)
        .filter(status=Application.Status.SUBMITTED)
        .exclude(Exists(decided_by_mine))
        .select_related("call", "applicant")
        .order_by("call__closes_at", "pk")
    )


def ideas_waiting(actor: User) -> QuerySet[Idea]:
    """Presented ideas of programmes the actor advises on that her funders have not yet advised."""
    orgs = permissions.orgs_with(actor, P.ADVISE)
    if not orgs:
        return Idea.objects.none()
    return (
        Idea.objects.filter(programme__funders__organisation_id__in=orgs, status=Idea.Status.PRESENTED)
        .exclude(advice__funder__organisation_id__in=orgs)
        .distinct()
        .select_related("organisation", "programme")
    )


def applicant_decided(actor: User) -> QuerySet[Application]:
    return (
        permissions.applications_of_applicant(actor)
        .filter(Q(status=Application.Status.DECIDED) | Q(decisions__isnull=False))
        .distinct()
        .select_related("call")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("funder__organisation")))
    )


def funded_projects(actor: User) -> QuerySet[Application]:
    """Decided projects of the programmes the actor steers (the steering group's view)."""
    orgs = permissions.orgs_with(actor, P.STEER)
    return (
        Application.objects.filter(
            call__programme__organisation_id__in=orgs,
            status__in=(Application.Status.DECIDED, Application.Status.CLOSED),
        )
        .select_related("call", "applicant")
        .order_by("call__programme", "title")
    )
