"""Who may see and do what in the experts module. Permissions are data (migration 0002)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import ALLOW, Decision

from .models import Agreement, Expert, TaskRequest

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class P:
    ORDER = "experts.order"
    BROKER = "experts.broker"
    ACT = "experts.act"


def broker_orgs(user: User) -> set[int]:
    return user.permissions.organisations_with(P.BROKER)


def order_orgs(user: User) -> set[int]:
    from osallisuus.accounts.models import Organisation

    ids = user.permissions.organisations_with(P.ORDER)
    if not ids:
        return set()
    return set(Organisation.objects.filter(pk__in=ids, may_order_experts=True).values_list("pk", flat=True))


def is_coordinator(user: User) -> bool:
    return bool(broker_orgs(user))


def experts_visible(user: User) -> QuerySet[Expert]:
    """Coordinators see the experts of their organisations; an expert sees their own profiles."""
    return Expert.objects.filter(Q(organisation_id__in=broker_orgs(user)) | Q(user=user))


def requests_visible(user: User) -> QuerySet[TaskRequest]:
    condition = Q(broker_id__in=broker_orgs(user)) | Q(organisation_id__in=order_orgs(user))
    condition |= Q(partner_worker=user)
    condition |= Q(pk__in=Agreement.objects.filter(expert__user=user).values("request_id"))
    return TaskRequest.objects.filter(condition)


def agreements_visible(user: User) -> QuerySet[Agreement]:
    condition = Q(request__broker_id__in=broker_orgs(user)) | Q(request__organisation_id__in=order_orgs(user))
    condition |= Q(expert__user=user) | Q(request__partner_worker=user)
    return Agreement.objects.filter(condition)


def can_order(user: User) -> Decision:
    if order_orgs(user):
        return ALLOW
    return Decision(False, _("Only staff of an organisation that may order experts by experience can file requests."))


def can_broker(user: User, organisation_id: int) -> Decision:
    if organisation_id in broker_orgs(user):
        return ALLOW
    return Decision(False, _("Only the coordinator of the brokering organisation can do this."))


# -- field-level visibility ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertCard:
    """What one viewer may see of an expert's profile. ``None`` means hidden."""

    expert_id: int
    name: str
    experience_areas: list[str]
    perspective: str
    languages: list[str]
    region: str
    trained: bool
    diagnoses: str | None
    story: str | None
    email: str | None
    phone: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def expert_card(*, viewer: User, expert: Expert, trained: bool) -> ExpertCard:
    """The expert sees everything; the coordinator sees everything but the story unless
    shared; the orderer and the lähityöntekijä see what the task needs, and the diagnoses,
    the story and the contact details only with the expert's recorded consent."""
    own = viewer.pk == expert.user_id
    coordinator = expert.organisation_id in broker_orgs(viewer)
    consent = expert.consent_recorded_at is not None
    show_diagnoses = own or coordinator or (consent and expert.share_diagnoses)
    show_story = own or (consent and expert.share_story)
    show_contact = own or coordinator or (consent and expert.share_contact)
    return ExpertCard(
        expert_id=expert.pk,
        name=expert.user.full_name,
        experience_areas=[a.name for a in expert.experience_areas.all()],
        perspective=expert.get_perspective_display(),
        languages=expert.language_list,
        region=expert.region,
        trained=trained,
        diagnoses=expert.diagnoses if show_diagnoses else None,
        story=expert.story if show_story else None,
        email=expert.user.email if show_contact else None,
        phone=expert.user.phone if show_contact else None,
    )
