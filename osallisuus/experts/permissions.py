"""Who may see and do what in the experts module: the only answers to "may X?".

Permissions are data (migration 0002): a person holds ``P.ORDER``, ``P.BROKER`` or ``P.ACT``
in an organisation through a role. Two kinds of answer:

* ``<entities>_visible_to(user)``: the rows a person may see (the gates build on them);
* ``can_<verb>_<entity>(user, obj) -> Decision``: may the person do this now, with the reason
  a page shows. A refusal because the person may not act on the object at all is a
  ``NotYours`` decision (the API answers 403); a refusal because of the object's state (a
  task already cancelled) is a plain one (400). Pages pass the decisions to the templates,
  which show them and compute nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import ALLOW, Decision
from osallisuus.accounts.selectors import organisations_by_ids

from .models import Agreement, ExpenseReport, Expert, Offer, PeerEvent, TaskRequest

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from osallisuus.accounts.models import Relationship, User


class P:
    """Permission codes of the module (seeded by migration ``0002_seed_reference_data``)."""

    ORDER = "experts.order"
    BROKER = "experts.broker"
    ACT = "experts.act"


@dataclass(frozen=True)
class NotYours(Decision):
    """Refused because the person may not act on this object (403), not because of its state."""


def _not_yours(reason: str | _StrPromise) -> NotYours:
    return NotYours(False, reason)


def _no(reason: str | _StrPromise) -> Decision:
    return Decision(False, reason)


# -- where a person acts ----------------------------------------------------------------------------


def broker_orgs(user: User) -> set[int]:
    """The organisations whose experts the person brokers (the coordinator's)."""
    return user.permissions.organisations_with(P.BROKER)


def order_orgs(user: User) -> set[int]:
    """The organisations the person may order experts for: holding ``P.ORDER`` there, in an
    organisation that may order experts by experience."""
    ids = user.permissions.organisations_with(P.ORDER)
    if not ids:
        return set()
    return set(organisations_by_ids(ids=ids).filter(may_order_experts=True).values_list("pk", flat=True))


def is_coordinator(user: User) -> bool:
    return bool(broker_orgs(user))


# -- what a person may see ---------------------------------------------------------------------------


def experts_visible_to(user: User) -> QuerySet[Expert]:
    """Coordinators see the experts of their organisations; an expert sees their own profiles."""
    return Expert.objects.filter(Q(organisation_id__in=broker_orgs(user)) | Q(user=user))


def requests_visible_to(user: User) -> QuerySet[TaskRequest]:
    """The brokering organisation's coordinators, the ordering organisation's orderers, the
    professional partner named in the request and the experts who agreed to it."""
    condition = Q(broker_id__in=broker_orgs(user)) | Q(organisation_id__in=order_orgs(user))
    condition |= Q(partner_worker=user)
    condition |= Q(pk__in=Agreement.objects.filter(expert__user=user).values("request_id"))
    return TaskRequest.objects.filter(condition)


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    condition = Q(request__broker_id__in=broker_orgs(user)) | Q(request__organisation_id__in=order_orgs(user))
    condition |= Q(expert__user=user) | Q(request__partner_worker=user)
    return Agreement.objects.filter(condition)


def offers_visible_to(user: User) -> QuerySet[Offer]:
    """An offer is seen (and answered) by the expert it was made to."""
    return Offer.objects.filter(expert__user=user)


def peer_events_visible_to(user: User, *, expert: Expert | None) -> QuerySet[PeerEvent]:
    """The events of the organisations the person brokers for or is an expert of."""
    orgs = set(broker_orgs(user))
    if expert is not None:
        orgs.add(expert.organisation_id)
    return PeerEvent.objects.filter(organisation_id__in=orgs)


# -- pages ------------------------------------------------------------------------------------------


def can_order(user: User) -> Decision:
    if order_orgs(user):
        return ALLOW
    return _not_yours(_("Only staff of an organisation that may order experts by experience can file requests."))


def can_order_for(user: User, organisation_id: int) -> Decision:
    if organisation_id in order_orgs(user):
        return ALLOW
    return _not_yours(_("You cannot order experts by experience for this organisation."))


def can_broker(user: User, organisation_id: int) -> Decision:
    if organisation_id in broker_orgs(user):
        return ALLOW
    return _not_yours(_("Only the coordinator of the brokering organisation can do this."))


def can_coordinate(user: User) -> Decision:
    """The coordinator's pages (the registry, wellbeing, payments, reports)."""
    if is_coordinator(user):
        return ALLOW
    return _not_yours(_("Only coordinators of a brokering organisation can open this page."))


def can_list_requests(user: User) -> Decision:
    if is_coordinator(user) or order_orgs(user):
        return ALLOW
    return _not_yours(_("Only orderers and coordinators see task requests."))


# -- the registry ----------------------------------------------------------------------------------


def can_edit_profile(user: User, expert: Expert) -> Decision:
    if user.pk == expert.user_id:
        return ALLOW
    return _not_yours(_("Only the expert can change their own profile."))


def can_check_in(user: User, expert: Expert) -> Decision:
    if user.pk == expert.user_id:
        return ALLOW
    return _not_yours(_("Only the expert can check in."))


def can_record_training(user: User, expert: Expert) -> Decision:
    return can_broker(user, expert.organisation_id)


def can_change_expert_status(user: User, expert: Expert) -> Decision:
    return can_broker(user, expert.organisation_id)


def can_resend_invitation(user: User, expert: Expert) -> Decision:
    """A new link to choose a password, while the expert has not chosen one."""
    decision = can_broker(user, expert.organisation_id)
    if not decision:
        return decision
    if expert.status == Expert.Status.ENDED:
        return _no(_("%(name)s has left the registry.") % {"name": expert.user.full_name})
    if expert.user.has_usable_password():
        return _no(_("%(name)s has already chosen a password and can log in.") % {"name": expert.user.full_name})
    return ALLOW


def can_record_limits(user: User, expert: Expert) -> Decision:
    """Earnings limits: the expert themself, or the coordinator of the expert's organisation
    together with them. Never the orderer."""
    if user.pk == expert.user_id or expert.organisation_id in broker_orgs(user):
        return ALLOW
    return _not_yours(_("Only the expert, or the coordinator together with them, records limits."))


def can_record_support_session(user: User, organisation_id: int) -> Decision:
    return can_broker(user, organisation_id)


def can_sign_up_for_event(user: User, event: PeerEvent, *, expert: Expert | None, taken: int) -> Decision:
    """An expert of the organisation, before the event, once, while there is room."""
    if expert is None or expert.organisation_id != event.organisation_id:
        return _not_yours(_("Only the organisation's experts can sign up."))
    if event.starts_at <= timezone.now():
        return _no(_("The event has already started."))
    if event.participants.filter(pk=expert.pk).exists():
        return _no(_("You have already signed up."))
    if taken >= event.capacity:
        return _no(_("The event is full."))
    return ALLOW


# -- requests and offers -----------------------------------------------------------------------------


def can_review_request(user: User, request: TaskRequest) -> Decision:
    decision = can_broker(user, request.broker_id)
    if not decision:
        return decision
    if request.status not in (TaskRequest.Status.SUBMITTED, TaskRequest.Status.NEEDS_DETAILS, TaskRequest.Status.OPEN):
        return _no(_("This request is no longer open."))
    return ALLOW


def request_awaits_review(request: TaskRequest) -> bool:
    """A new request, or one with the details the coordinator asked for."""
    return request.status in (TaskRequest.Status.SUBMITTED, TaskRequest.Status.NEEDS_DETAILS)


def can_add_request_details(user: User, request: TaskRequest) -> Decision:
    if request.organisation_id not in order_orgs(user):
        return _not_yours(_("You cannot change this request."))
    if request.status != TaskRequest.Status.NEEDS_DETAILS:
        return _no(_("The coordinator has not asked for more details."))
    return ALLOW


def can_change_partner(user: User, request: TaskRequest) -> Decision:
    """The orderer names another professional partner while the task is still ahead."""
    if request.organisation_id not in order_orgs(user):
        return _not_yours(_("Only the orderer names the professional partner."))
    if request.status in (TaskRequest.Status.DONE, TaskRequest.Status.CANCELLED):
        return _no(_("The task is over: the professional partner can no longer be changed."))
    return ALLOW


def can_offer_request(user: User, request: TaskRequest) -> Decision:
    decision = can_broker(user, request.broker_id)
    if not decision:
        return decision
    if request.status != TaskRequest.Status.OPEN:
        return _no(_("Approve the request before offering it."))
    return ALLOW


def can_answer_offer(user: User, offer: Offer) -> Decision:
    if offer.expert.user_id != user.pk:
        return _not_yours(_("Only the expert can answer this offer."))
    if offer.status == Offer.Status.TAKEN:
        return _no(_("Another expert already took this task. Thank you for your interest."))
    if offer.status != Offer.Status.OFFERED:
        return _no(_("This offer has already been answered."))
    return ALLOW


# -- agreements ------------------------------------------------------------------------------------


def is_party(user: User, agreement: Agreement) -> bool:
    """The expert, the brokering organisation's coordinator or the ordering organisation's orderer."""
    request = agreement.request
    return (
        agreement.expert.user_id == user.pk
        or request.broker_id in broker_orgs(user)
        or request.organisation_id in order_orgs(user)
    )


def can_cancel_agreement(user: User, agreement: Agreement, *, now: dt.datetime | None = None) -> Decision:
    """The expert, the orderer and the coordinator cancel an agreed task (the lähityöntekijä
    does not) before it starts; after the start the orderer confirms what happened instead."""
    if not is_party(user, agreement):
        return _not_yours(_("You cannot cancel this agreement."))
    if agreement.status != Agreement.Status.ACTIVE:
        return _no(_("Only an agreed task can be cancelled."))
    if agreement.starts_at <= (now or timezone.now()):
        return _no(_("The task has started: the orderer confirms whether it took place."))
    return ALLOW


SOON = dt.timedelta(hours=24)


def starts_soon(starts_at: dt.datetime, *, now: dt.datetime | None = None) -> bool:
    """A task that starts within a day: the orderer is warned before sending the request,
    since there may be too little time to find an expert."""
    return starts_at - (now or timezone.now()) < SOON


def can_reschedule_agreement(user: User, agreement: Agreement) -> Decision:
    if agreement.request.broker_id not in broker_orgs(user):
        return _not_yours(_("The coordinator moves tasks after agreeing with both sides."))
    if agreement.status != Agreement.Status.ACTIVE:
        return _no(_("Only an agreed task can be moved."))
    return ALLOW


def can_confirm_agreement(user: User, agreement: Agreement, *, now: dt.datetime | None = None) -> Decision:
    if agreement.request.organisation_id not in order_orgs(user):
        return _not_yours(_("The orderer confirms whether the task took place."))
    if agreement.status != Agreement.Status.ACTIVE:
        return _no(_("This task has already been confirmed or cancelled."))
    if agreement.starts_at > (now or timezone.now()):
        return _no(_("You can confirm the task when it has started."))
    return ALLOW


def is_after_task(agreement: Agreement) -> bool:
    return agreement.status in (Agreement.Status.DONE, Agreement.Status.NO_SHOW)


def can_view_expenses(user: User, agreement: Agreement) -> Decision:
    """The expert's own expenses, and the brokering organisation's coordinator (who approves)."""
    if agreement.expert.user_id != user.pk and agreement.request.broker_id not in broker_orgs(user):
        return _not_yours(_("Only the expert and the coordinator see the expenses of a task."))
    if not is_after_task(agreement):
        return _no(_("Expenses can be reported after the orderer has confirmed the task."))
    return ALLOW


def can_report_expenses(user: User, agreement: Agreement, report: ExpenseReport | None) -> Decision:
    if agreement.expert.user_id != user.pk:
        return _not_yours(_("Only the expert reports their own expenses."))
    if not is_after_task(agreement):
        return _no(_("Expenses can be reported after the orderer has confirmed the task."))
    if report is not None and report.status != ExpenseReport.Status.RETURNED:
        return _no(_("The expenses of this task have already been reported."))
    return ALLOW


def can_handle_expenses(user: User, report: ExpenseReport) -> Decision:
    decision = can_broker(user, report.agreement.request.broker_id)
    if not decision:
        return decision
    if report.status != ExpenseReport.Status.SUBMITTED:
        return _no(_("These expenses have already been handled."))
    return ALLOW


def feedback_side(user: User, agreement: Agreement) -> str | None:
    """The side the person gives feedback for on a task: "expert" (the agreement's expert),
    "orderer" (of the ordering organisation), or None (nobody else gives feedback)."""
    if agreement.expert.user_id == user.pk:
        return "expert"
    if agreement.request.organisation_id in order_orgs(user):
        return "orderer"
    return None


def can_give_feedback(user: User, agreement: Agreement) -> Decision:
    """Only the expert and the orderer, and only after the task (once each: the service checks
    the measurement engine)."""
    if feedback_side(user, agreement) is None:
        return _not_yours(_("Only the expert and the orderer give feedback on a task."))
    if not is_after_task(agreement):
        return _no(_("Feedback can be given after the task."))
    return ALLOW


# -- field-level visibility ------------------------------------------------------------------------


def shares_contact(expert: Expert) -> bool:
    """The expert has recorded consent to show their contact details to the people they work for."""
    return expert.consent_recorded_at is not None and expert.share_contact


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
    show_contact = own or coordinator or shares_contact(expert)
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


# -- the person page of the expert, for the lähityöntekijä ------------------------------------------

PLACEMENT_PARTNER = "placement_partner"
"""``accounts``' ``Relationship.Kind.PLACEMENT_PARTNER``: the kind of relationship an agreement makes."""

AGREEMENT_SOURCE = "experts.agreement:"
"""``Relationship.source_ref`` of the placement relationship an agreement makes: ``experts.agreement:<pk>``."""

NAME_ONLY = frozenset({"name"})
NAME_AND_CONTACT = frozenset({"name", "email", "phone"})


def agreement_source_ref(agreement: Agreement | int) -> str:
    pk = agreement if isinstance(agreement, int) else agreement.pk
    return f"{AGREEMENT_SOURCE}{pk}"


def placement_partner_fields(viewer: User, person: User, relationship: Relationship) -> frozenset[str]:
    """What the lähityöntekijä sees of the expert on the person page (``accounts.permissions
    .person_view``): the name always; the e-mail and the phone only when the expert has
    recorded consent to share their contact details (the same rule as the agreement page);
    never the municipality or the organisations."""
    ref = relationship.source_ref
    if not ref.startswith(AGREEMENT_SOURCE) or not ref[len(AGREEMENT_SOURCE) :].isdigit():
        return NAME_ONLY
    expert = (
        Expert.objects.filter(agreements__pk=int(ref[len(AGREEMENT_SOURCE) :]), user_id=person.pk)
        .only("consent_recorded_at", "share_contact")
        .first()
    )
    return NAME_AND_CONTACT if expert is not None and shares_contact(expert) else NAME_ONLY
