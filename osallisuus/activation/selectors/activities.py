"""Reads of activities: the catalogue, one activity, and the provider's lists and roster."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from osallisuus.accounts.permissions import Decision
from osallisuus.core.collation import finnish, finnish_sorted, search_filter

from .. import permissions
from ..models import (
    Activity,
    ActivityPerson,
    Basket,
    SignUp,
)
from ._log import log_rows as _log_rows

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    from osallisuus.accounts.models import User

    class Places(TypedDict):
        taken: int
        free: int

    ActivityWithPlaces = WithAnnotations[Activity, Places]
    """An activity with the places taken and free (``_with_places``)."""


def managed_activity_get(*, actor: User, pk: int) -> Activity:
    """An activity of the actor's own organisations (no personal data; others get 404)."""
    return get_object_or_404(permissions.activities_managed_by(actor).select_related("provider"), pk=pk)


def _with_places(queryset: QuerySet[Activity]) -> QuerySet[ActivityWithPlaces]:
    return queryset.annotate(
        taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)),
    ).annotate(
        free=ExpressionWrapper(F("capacity") - F("taken"), output_field=IntegerField()),
    )


def activity_get(*, pk: int) -> ActivityWithPlaces:
    """A published activity (the catalogue is open to everyone who is logged in)."""
    return get_object_or_404(_with_places(Activity.objects.published().select_related("provider")), pk=pk)


def proposed_activity_get(*, pk: int) -> Activity:
    """An idea a participant proposed (without who proposed it), for a provider to take on."""
    return get_object_or_404(proposed_activities(), pk=pk)


# -- catalogue -------------------------------------------------------------------------------
CATALOGUE_SORTS: dict[str, tuple[Any, ...]] = {
    "name": (finnish("title"), "pk"),
    "free": ("-free", finnish("title"), "pk"),
    "starts": ("starts_on", finnish("title"), "pk"),
}
YES = ("1", "on")
"""What a ticked box sends (``1``; ``on`` from older links)."""


def catalogue_filters() -> dict[str, list[str]]:
    """The filters the catalogue offers and the values each accepts (for ``core.paging``)."""
    return {
        "basket": list(Basket.values),
        "area": catalogue_areas(),
        "language": ["fi", "sv", "en"],
        "accessible": list(YES),
        "free_places": list(YES),
    }


@dataclass(frozen=True)
class CatalogueFilter:
    basket: str = ""
    area: str = ""
    language: str = ""
    accessible: bool = False
    free_places: bool = False
    query: str = ""

    @classmethod
    def from_query(cls, *, q: str, filters: dict[str, str]) -> CatalogueFilter:
        return cls(
            basket=filters.get("basket", ""),
            area=filters.get("area", ""),
            language=filters.get("language", ""),
            accessible=filters.get("accessible", "") in YES,
            free_places=filters.get("free_places", "") in YES,
            query=q,
        )


def catalogue(*, filters: CatalogueFilter) -> QuerySet[ActivityWithPlaces]:
    """Published activities with their free places, in Finnish order of their names."""
    qs = _with_places(Activity.objects.published().select_related("provider"))
    if filters.basket:
        qs = qs.filter(baskets__contains=f",{filters.basket},")
    if filters.area:
        qs = qs.filter(area=filters.area)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.accessible:
        qs = qs.filter(accessible=True)
    if filters.query:
        qs = qs.filter(search_filter(filters.query, ["title", "summary"]))
    if filters.free_places:
        qs = qs.filter(free__gt=0)
    return qs.order_by(finnish("title"), "pk")


def catalogue_areas() -> list[str]:
    return finnish_sorted(Activity.objects.published().order_by().values_list("area", flat=True).distinct())


def own_signup_for(*, activity: Activity, participant: User) -> SignUp | None:
    return (
        SignUp.objects.filter(activity=activity, participant=participant)
        .exclude(status=SignUp.Status.CANCELLED)
        .first()
    )


def offers_help(*, activity: Activity, participant: User) -> bool:
    return ActivityPerson.objects.filter(
        activity=activity, person=participant, part=ActivityPerson.Part.CO_RUNNER
    ).exists()


# -- providers -------------------------------------------------------------------------------
def provider_activities(*, actor: User) -> QuerySet[Activity]:
    return (
        permissions.activities_managed_by(actor)
        .select_related("provider")
        .annotate(
            taken=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)),
            waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
        )
        .order_by("status", finnish("title"), "pk")
    )


def proposed_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(status=Activity.Status.PROPOSED).order_by("-created_at", "-pk")


def places_taken(*, activity: Activity) -> list[SignUp]:
    """The sign-ups with a place (the people whose attendance can be marked)."""
    return list(activity.signups.filter(status=SignUp.Status.SIGNED_UP))


@dataclass
class RosterRow:
    signup: SignUp
    name: str
    present: bool | None
    can_mark: Decision


def activity_roster(
    *, actor: User, activity: Activity, on: Any, route: str = ""
) -> tuple[list[RosterRow], list[ActivityPerson]]:
    """Who has signed up, with only what the provider needs: the name and the status; and who
    offered to help run it. Each person shown is logged once."""
    signups = list(
        permissions.signups_visible_to(actor)
        .filter(activity=activity)
        .exclude(status=SignUp.Status.CANCELLED)
        .select_related("participant", "activity")
        .prefetch_related(Prefetch("attendances", to_attr="marks"))
        .order_by("status", "created_at", "pk")
    )
    helpers = list(
        activity.people.filter(part=ActivityPerson.Part.CO_RUNNER).select_related("person").order_by("created_at")
    )
    _log_rows(
        actor=actor,
        rows=[(s.participant_id, s) for s in signups] + [(h.person_id, h) for h in helpers],
        purpose="activity roster",
        route=route,
    )
    rows = []
    for signup in signups:
        mark = next((a for a in signup.marks if a.on == on), None)
        rows.append(
            RosterRow(
                signup=signup,
                name=signup.participant.full_name,
                present=None if mark is None else mark.present,
                can_mark=permissions.can_mark_attendance(actor, signup),
            )
        )
    return rows, helpers


def participant_ids_signed_up(*, activity_id: int) -> set[int]:
    """The participants now signed up to the activity (not those on the waiting list). Ids only."""
    return set(
        SignUp.objects.filter(activity_id=activity_id, status=SignUp.Status.SIGNED_UP).values_list(
            "participant_id", flat=True
        )
    )


def activity_ids_signed_up(*, participant_id: int) -> set[int]:
    """The activities the participant is now signed up to. Ids only."""
    return set(
        SignUp.objects.filter(participant_id=participant_id, status=SignUp.Status.SIGNED_UP).values_list(
            "activity_id", flat=True
        )
    )
