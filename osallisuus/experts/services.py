"""Writes of the experts module. Every function checks the actor's right itself, validates,
writes in one transaction, records a change event and notifies after commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallisuus.core import events
from osallisuus.core.errors import Refusal

from . import fees, matching, selectors
from .models import (
    Agreement,
    CheckIn,
    EarningsLimit,
    ExpenseItem,
    ExpenseReport,
    Expert,
    FeeItem,
    FeeSchedule,
    Offer,
    PeerEvent,
    SupportSession,
    TaskRequest,
    TrainingCourse,
)
from .permissions import agreements_visible, broker_orgs, can_broker, order_orgs

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User

logger = logging.getLogger(__name__)

RECEIPT_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
RESCHEDULE_HORIZON = dt.timedelta(days=731)


class ExpertsError(Refusal):
    """A refusal the user can understand; the message is shown as it is. ``field`` names the
    form field the refusal is about, when there is one (the page shows it beside the field)."""


# -- notifications --------------------------------------------------------------------------------


def notify(*, user: User, message: str, url: str = "") -> None:
    """An in-app notification and an e-mail, both after the transaction commits."""
    from .models import Notification

    Notification.objects.create(user=user, message=message[:300], url=url)

    def send() -> None:
        try:
            send_mail(
                subject="Osallisuus",
                message=f"{message}\n\n{url}",
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        except Exception:  # pragma: no cover - a broken mail server never breaks the task
            logger.exception("notification e-mail failed")

    transaction.on_commit(send)


# -- profile and training -------------------------------------------------------------------------


CONSENT_FIELDS = ("share_diagnoses", "share_story", "share_contact")


@transaction.atomic
def expert_profile_update(*, actor: User, expert: Expert, changes: dict[str, Any]) -> Expert:
    if actor.pk != expert.user_id:
        raise ExpertsError(_("Only the expert can change their own profile."))
    areas = changes.pop("experience_areas", None)
    task_types = changes.pop("task_types", None)
    consent_changed = any(k in changes and changes[k] != getattr(expert, k) for k in CONSENT_FIELDS)
    for name, value in changes.items():
        setattr(expert, name, value)
    if consent_changed:
        expert.consent_recorded_at = timezone.now()
    expert.full_clean()
    expert.save()
    if areas is not None:
        expert.experience_areas.set(areas)
    if task_types is not None:
        expert.task_types.set(task_types)
    events.record(
        actor=actor,
        verb="expert.profile_updated",
        target=expert,
        subject=expert.user,
        data={"fields": sorted(changes), "consent_changed": consent_changed},
    )
    return expert


def training_totals_refresh(*, expert: Expert) -> None:
    courses = expert.courses.filter(kind=TrainingCourse.Kind.BASIC)
    totals = courses.aggregate(h=Sum("hours"), m=Sum("months"), d=Sum("contact_days"))
    expert.training_hours = totals["h"] or Decimal("0")
    expert.training_months = totals["m"] or 0
    expert.training_contact_days = totals["d"] or 0
    expert.save(update_fields=["training_hours", "training_months", "training_contact_days", "updated_at"])


@transaction.atomic
def training_record(*, actor: User, expert: Expert, **fields: Any) -> TrainingCourse:
    if not can_broker(actor, expert.organisation_id):
        raise ExpertsError(str(can_broker(actor, expert.organisation_id).reason))
    course = TrainingCourse(expert=expert, **fields)
    course.full_clean()
    course.save()
    training_totals_refresh(expert=expert)
    events.record(actor=actor, verb="expert.training_recorded", target=course, subject=expert.user)
    return course


# -- the registry: the coordinator adds experts and changes their status ---------------------------


def _site_url(site_url: str) -> str:
    return (site_url or getattr(settings, "SITE_URL", "")).rstrip("/")


def _send_mail_after_commit(*, to: str, subject: str, body: str) -> None:
    def send() -> None:
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[to], fail_silently=True)
        except Exception:  # pragma: no cover - a broken mail server never breaks the registry
            logger.exception("registry e-mail failed")

    transaction.on_commit(send)


def _send_welcome(*, expert: Expert, site_url: str, notify_in_app: bool = True) -> bool:
    """Tell the person they are in the registry, in their own language. Someone who has no
    password yet gets a link to choose one; the link goes only into the e-mail, never into
    the database. Returns whether a password link was sent."""
    from osallisuus.accounts import services as accounts_services

    from .models import Notification

    user = expert.user
    base = _site_url(site_url)
    with translation.override(user.preferred_language or "fi"):
        organisation = expert.organisation.name
        if notify_in_app:
            Notification.objects.create(
                user=user,
                message=_(
                    "Welcome to the experts by experience of %(organisation)s. "
                    "Fill in the rest of your profile when it suits you."
                )
                % {"organisation": organisation},
                url=reverse("experts:profile"),
            )
        needs_password = not user.has_usable_password()
        if needs_password:
            body = _(
                "Hello %(name)s,\n\n%(organisation)s has added you to its registry of experts by experience "
                "in the Osallisuus service.\n\nChoose your password with this link. It works for %(days)d days "
                "and only once:\n\n%(link)s\n\nThen log in and fill in the rest of your profile: your "
                "experience, the tasks you would like and when you are available. Your experience story is "
                "yours: nobody else sees it unless you decide so.\n\nIf you did not expect this message, "
                "contact the coordinator of %(organisation)s."
            ) % {
                "name": user.full_name,
                "organisation": organisation,
                "days": accounts_services.password_set_link_days(),
                "link": base + accounts_services.password_set_path(user=user),
            }
        else:
            body = _(
                "Hello %(name)s,\n\n%(organisation)s has added you to its registry of experts by experience "
                "in the Osallisuus service. Log in with your own password and fill in the rest of your "
                "profile:\n\n%(link)s"
            ) % {"name": user.full_name, "organisation": organisation, "link": base + reverse("experts:profile")}
        subject = _("Osallisuus: welcome to the experts by experience")
    _send_mail_after_commit(to=user.email, subject=str(subject), body=str(body))
    return needs_password


@dataclass(frozen=True)
class Registered:
    expert: Expert
    new_account: bool
    password_link_sent: bool


@transaction.atomic
def expert_register(
    *,
    actor: User,
    organisation_id: int,
    email: str,
    full_name: str,
    preferred_language: str = "fi",
    status: str = Expert.Status.ACTIVE,
    site_url: str = "",
    **profile: Any,
) -> Registered:
    """Add a person to the organisation's registry of experts by experience (the coordinator).

    Only the least data: the rest of the profile the expert fills in themself. A person who
    has no account gets one without a password and an e-mail link to choose it; a person who
    has one keeps it. Either way they get the expert role in the organisation.
    """
    from osallisuus.accounts import services as accounts_services

    decision = can_broker(actor, organisation_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if status not in (Expert.Status.ACTIVE, Expert.Status.IN_TRAINING):
        raise ExpertsError(_("A new expert starts as active or in training."), field="status")
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ExpertsError(_("Write the person's name."), field="full_name")
    areas = profile.pop("experience_areas", None) or []
    try:
        user, created = accounts_services.user_get_or_create(
            email=email, full_name=full_name, actor=actor, preferred_language=preferred_language
        )
    except ValidationError as exc:
        raise ExpertsError(validation_message(exc), field="email") from exc
    if not user.is_active:
        raise ExpertsError(
            _("The account with this e-mail address has been closed. Ask the administrator."), field="email"
        )
    if Expert.objects.filter(user=user, organisation_id=organisation_id).exists():
        raise ExpertsError(
            _("%(email)s is already in your organisation's registry of experts by experience.") % {"email": user.email},
            field="email",
        )
    expert = Expert(user=user, organisation_id=organisation_id, status=status, **profile)
    try:
        expert.full_clean()
        with transaction.atomic():
            expert.save()
    except ValidationError as exc:
        raise ExpertsError(validation_message(exc)) from exc
    except IntegrityError as exc:  # the same person added twice at the same moment
        raise ExpertsError(
            _("%(email)s is already in your organisation's registry of experts by experience.") % {"email": user.email},
            field="email",
        ) from exc
    expert.experience_areas.set(areas)
    accounts_services.membership_grant(user=user, organisation=expert.organisation, roles=["expert"], actor=actor)
    events.record(
        actor=actor, verb="experts.expert_registered", target=expert, subject=user, data={"new_account": created}
    )
    sent = _send_welcome(expert=expert, site_url=site_url)
    return Registered(expert=expert, new_account=created, password_link_sent=sent)


@transaction.atomic
def expert_invitation_resend(*, actor: User, expert: Expert, site_url: str = "") -> Expert:
    """Send a new link to choose a password (the earlier one expires after a few days)."""
    decision = can_broker(actor, expert.organisation_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if expert.status == Expert.Status.ENDED:
        raise ExpertsError(_("%(name)s has left the registry.") % {"name": expert.user.full_name})
    if expert.user.has_usable_password():
        raise ExpertsError(
            _("%(name)s has already chosen a password and can log in.") % {"name": expert.user.full_name}
        )
    _send_welcome(expert=expert, site_url=site_url, notify_in_app=False)
    events.record(actor=actor, verb="experts.expert_invitation_sent", target=expert, subject=expert.user)
    return expert


@dataclass(frozen=True)
class StatusChanged:
    expert: Expert
    withdrawn_offers: int


@transaction.atomic
def expert_status_change(
    *,
    actor: User,
    expert: Expert,
    status: str,
    paused_until: dt.date | None = None,
    pause_reason: str = "",
    today: dt.date | None = None,
) -> StatusChanged:
    """The coordinator changes an expert's place in the registry: active, on a pause until a
    date (with a reason only the expert and coordinators see), in training, not active, or
    left the registry. Nothing is deleted: agreements, fees and training stay.

    Matching offers tasks only to active experts who are not on a pause on the task date, so
    open offers the expert could no longer take are withdrawn here.
    """
    today = today or timezone.localdate()
    expert = Expert.objects.select_for_update().select_related("user", "organisation").get(pk=expert.pk)
    decision = can_broker(actor, expert.organisation_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if status not in Expert.Status.values:
        raise ExpertsError(_("Choose the status."), field="status")
    pause_reason = pause_reason.strip()
    if status != Expert.Status.ACTIVE or paused_until is None:
        paused_until, pause_reason = None, ""
    elif paused_until < today:
        raise ExpertsError(
            _("The pause cannot end in the past. Give today's date or a later one."), field="paused_until"
        )
    name = expert.user.full_name
    if status == Expert.Status.ENDED and expert.status != Expert.Status.ENDED:
        ahead = Agreement.objects.filter(expert=expert, status=Agreement.Status.ACTIVE, starts_at__gt=timezone.now())
        count = ahead.count()
        if count:
            raise ExpertsError(
                ngettext(
                    "%(name)s still has %(count)d agreed task ahead. Cancel it or agree on it with the orderer "
                    "before the expert leaves the registry.",
                    "%(name)s still has %(count)d agreed tasks ahead. Cancel them or agree on them with the "
                    "orderer before the expert leaves the registry.",
                    count,
                )
                % {"name": name, "count": count},
                field="status",
            )
    before = {"status": expert.status, "paused_until": expert.paused_until}
    expert.status = status
    expert.paused_until = paused_until
    expert.pause_reason = pause_reason
    if status == Expert.Status.ENDED:
        expert.ended_on = expert.ended_on if before["status"] == Expert.Status.ENDED else today
    else:
        expert.ended_on = None
    expert.full_clean()
    expert.save()
    open_offers = Offer.objects.filter(expert=expert, status=Offer.Status.OFFERED)
    if status == Expert.Status.ACTIVE and paused_until is None:
        open_offers = open_offers.none()
    elif status == Expert.Status.ACTIVE and paused_until is not None:
        end = timezone.make_aware(dt.datetime.combine(paused_until + dt.timedelta(days=1), dt.time.min))
        open_offers = open_offers.filter(request__starts_at__lt=end)
    withdrawn = open_offers.update(status=Offer.Status.WITHDRAWN, answered_at=timezone.now())
    events.record(
        actor=actor,
        verb="experts.expert_status_changed",
        target=expert,
        subject=expert.user,
        data={
            "status": status,
            "paused_until": paused_until.isoformat() if paused_until else None,
            "status_before": before["status"],
            "withdrawn_offers": withdrawn,
        },
    )
    with translation.override(expert.user.preferred_language or "fi"):
        if status == Expert.Status.ENDED:
            message = _(
                "You have left the registry of experts by experience of %(organisation)s. Your tasks and fee "
                "statements stay here for you."
            ) % {"organisation": expert.organisation.name}
        elif paused_until is not None:
            message = _("You are on a pause until %(date)s. You will not be offered tasks before that.") % {
                "date": paused_until.strftime("%d.%m.%Y")
            }
        else:
            message = _("Your status in the registry of experts by experience: %(status)s.") % {
                "status": expert.get_status_display()
            }
        notify(user=expert.user, message=str(message), url=reverse("experts:profile"))
    return StatusChanged(expert=expert, withdrawn_offers=withdrawn)


# -- requests -------------------------------------------------------------------------------------


def brokering_organisations() -> Any:
    from osallisuus.accounts.models import Organisation

    return Organisation.objects.filter(is_active=True, experts__isnull=False).distinct().order_by("name")


@transaction.atomic
def request_file(
    *, actor: User, organisation: Organisation, now: dt.datetime | None = None, **fields: Any
) -> TaskRequest:
    now = now or timezone.now()
    if organisation.pk not in order_orgs(actor):
        raise ExpertsError(_("You cannot order experts by experience for this organisation."))
    if fields["starts_at"] <= now:
        raise ExpertsError(_("The task must start in the future."))
    if not fields.get("remote") and not fields.get("address"):
        raise ExpertsError(_("Give the address, or mark the task as remote."))
    partner = fields.get("partner_worker")
    if partner is None:
        raise ExpertsError(
            _("Name the professional partner (lähityöntekijä) who walks beside the expert at your workplace.")
        )
    if not selectors.partner_candidates(organisation_ids=[organisation.pk]).filter(pk=partner.pk).exists():
        raise ExpertsError(_("The professional partner must be a member of staff of your own organisation."))
    request = TaskRequest(organisation=organisation, created_by=actor, **fields)
    request.full_clean()
    request.save()
    events.record(actor=actor, verb="experts.request_filed", target=request)
    for coordinator in _coordinators_of(request.broker_id):
        notify(
            user=coordinator,
            message=_("New task request: %(title)s") % {"title": request.title},
            url=reverse("experts:request_detail", args=[request.pk]),
        )
    return request


def _coordinators_of(organisation_id: int) -> list[User]:
    from osallisuus.accounts.models import Membership

    memberships = Membership.objects.current().filter(organisation_id=organisation_id, roles__code="coordinator")
    return [m.user for m in memberships.select_related("user")]


@transaction.atomic
def request_review(
    *,
    actor: User,
    request: TaskRequest,
    approve: bool,
    note: str = "",
    fee_item_code: str = "",
    fee_amount: Decimal | None = None,
) -> TaskRequest:
    request = TaskRequest.objects.select_for_update().get(pk=request.pk)
    decision = can_broker(actor, request.broker_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if request.status not in (TaskRequest.Status.SUBMITTED, TaskRequest.Status.NEEDS_DETAILS, TaskRequest.Status.OPEN):
        raise ExpertsError(_("This request is no longer open."))
    if approve:
        if request.compensation == TaskRequest.Compensation.FEE:
            schedule = fees.schedule_in_force(
                organisation_id=request.broker_id, on=timezone.localtime(request.starts_at).date()
            )
            item = schedule.items.filter(code=fee_item_code).first()
            if item is None:
                raise ExpertsError(_("Choose a fee from the schedule in force on the task date."))
            try:
                request.fee_amount = fees.unit_amount(item=item, chosen=fee_amount)
            except ValueError as exc:
                raise ExpertsError(str(exc)) from exc
        else:
            request.fee_amount = None
        request.fee_item_code = fee_item_code
        request.status = TaskRequest.Status.OPEN
        request.coordinator_note = note
    else:
        if not note.strip():
            raise ExpertsError(_("Write what you would like to know."))
        request.status = TaskRequest.Status.NEEDS_DETAILS
        request.coordinator_note = note
        notify(
            user=request.created_by,
            message=_("The coordinator asks for more details: %(title)s") % {"title": request.title},
            url=reverse("experts:request_detail", args=[request.pk]),
        )
    request.save()
    events.record(actor=actor, verb="experts.request_reviewed", target=request, data={"approved": approve})
    return request


@transaction.atomic
def request_add_details(*, actor: User, request: TaskRequest, description: str) -> TaskRequest:
    request = TaskRequest.objects.select_for_update().get(pk=request.pk)
    if request.organisation_id not in order_orgs(actor):
        raise ExpertsError(_("You cannot change this request."))
    if request.status != TaskRequest.Status.NEEDS_DETAILS:
        raise ExpertsError(_("The coordinator has not asked for more details."))
    if not description.strip():
        raise ExpertsError(_("Write the details."))
    request.description = description
    request.status = TaskRequest.Status.SUBMITTED
    request.save()
    events.record(actor=actor, verb="experts.request_details_added", target=request)
    return request


# -- offers ---------------------------------------------------------------------------------------


def _occurrences(start: dt.datetime, minutes: int, sessions: int) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(start + dt.timedelta(weeks=i), start + dt.timedelta(weeks=i, minutes=minutes)) for i in range(sessions)]


def overlapping_agreement(*, user_id: int, request: TaskRequest) -> Agreement | None:
    """A binding agreement of the same person whose time overlaps any session of the request."""
    wanted = _occurrences(request.starts_at, request.duration_minutes, request.sessions)
    first, last_end = wanted[0][0], wanted[-1][1]
    nearby = (
        Agreement.objects.binding()
        .filter(expert__user_id=user_id, starts_at__lt=last_end, starts_at__gte=first - dt.timedelta(weeks=53))
        .exclude(request_id=request.pk)
        .select_related("request")
    )
    for agreement in nearby:
        length = int((agreement.ends_at - agreement.starts_at).total_seconds() // 60)
        for s1, e1 in _occurrences(agreement.starts_at, length, agreement.request.sessions):
            if any(s1 < e2 and s2 < e1 for s2, e2 in wanted):
                return agreement
    return None


@transaction.atomic
def offer_make(*, actor: User, request: TaskRequest, experts: Iterable[Expert]) -> list[Offer]:
    request = TaskRequest.objects.select_for_update().get(pk=request.pk)
    decision = can_broker(actor, request.broker_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if request.status != TaskRequest.Status.OPEN:
        raise ExpertsError(_("Approve the request before offering it."))
    rec = matching.matching_recommendation()
    day = timezone.localtime(request.starts_at).date()
    made = []
    experts = list(experts)
    if not experts:
        raise ExpertsError(_("Choose at least one expert."))
    for expert in experts:
        name = expert.user.full_name
        if expert.organisation_id != request.broker_id or expert.status != Expert.Status.ACTIVE:
            raise ExpertsError(_("%(name)s is not an active expert of the brokering organisation.") % {"name": name})
        if expert.paused_until and expert.paused_until >= day:
            raise ExpertsError(
                _("%(name)s has paused until %(date)s.")
                % {"name": name, "date": expert.paused_until.strftime("%d.%m.%Y")}
            )
        if not matching.is_trained(expert, rec):
            raise ExpertsError(_("%(name)s's training does not yet meet the recommendation.") % {"name": name})
        if overlapping_agreement(user_id=expert.user_id, request=request):
            raise ExpertsError(_("%(name)s already has a task at that time.") % {"name": name})
        if Offer.objects.filter(request=request, expert=expert).exists():
            raise ExpertsError(_("%(name)s has already been offered this task.") % {"name": name})
        offer = Offer(request=request, expert=expert, offered_by=actor)
        offer.full_clean()
        offer.save()
        Expert.objects.filter(pk=expert.pk).update(last_offered_at=timezone.now())
        events.record(actor=actor, verb="experts.offer_made", target=offer, subject=expert.user)
        notify(
            user=expert.user,
            message=_("You have a new task offer: %(title)s") % {"title": request.title},
            url=reverse("experts:offer_detail", args=[offer.pk]),
        )
        made.append(offer)
    return made


@transaction.atomic
def offer_decline(*, actor: User, offer: Offer, reason: str = "") -> Offer:
    offer = Offer.objects.select_for_update().select_related("request", "expert").get(pk=offer.pk)
    if offer.expert.user_id != actor.pk:
        raise ExpertsError(_("Only the expert can answer this offer."))
    if offer.status != Offer.Status.OFFERED:
        raise ExpertsError(_("This offer has already been answered."))
    offer.status = Offer.Status.DECLINED
    offer.decline_reason = reason.strip()[:300]
    offer.answered_at = timezone.now()
    offer.save()
    events.record(actor=actor, verb="experts.offer_declined", target=offer, subject=actor)
    for coordinator in _coordinators_of(offer.request.broker_id):
        notify(
            user=coordinator,
            message=_("An expert declined: %(title)s") % {"title": offer.request.title},
            url=reverse("experts:request_detail", args=[offer.request_id]),
        )
    return offer


@dataclass(frozen=True)
class Terms:
    schedule: Any
    item: FeeItem | None
    fee: Decimal
    fee_due: bool
    text: str


def terms_for(*, request: TaskRequest, volunteer: bool) -> Terms:
    """The fee and terms from the schedule in force on the task date (raises FeeScheduleGap)."""
    day = timezone.localtime(request.starts_at).date()
    schedule = fees.schedule_in_force(organisation_id=request.broker_id, on=day)
    item = None
    fee = Decimal("0.00")
    paid = request.compensation == TaskRequest.Compensation.FEE and not volunteer
    if request.compensation == TaskRequest.Compensation.FEE:
        item = schedule.items.filter(code=request.fee_item_code).first()
        if item is None:
            raise fees.FeeScheduleGap(
                _("The fee schedule in force on %(date)s has no fee for this task. Ask the coordinator.")
                % {"date": day.strftime("%d.%m.%Y")}
            )
        try:
            amount = fees.unit_amount(item=item, chosen=request.fee_amount)
        except ValueError as exc:
            raise fees.FeeScheduleGap(
                _("The agreed fee does not fit the schedule in force on %(date)s (%(reason)s) Ask the coordinator.")
                % {"date": day.strftime("%d.%m.%Y"), "reason": exc}
            ) from exc
        if paid:
            fee = fees.fee_for(
                unit=item.unit, amount=amount, duration_minutes=request.duration_minutes, sessions=request.sessions
            )
    lines = [
        _("Fee: %(fee)s €.") % {"fee": fee} if paid else _("No fee: costs are paid."),
        _("Travel: %(rate)s € per kilometre; tickets, meals and lodging against receipts.")
        % {"rate": schedule.travel_per_km},
        _("Free cancellation until %(hours)d hours before the start. After that the fee is due.")
        % {"hours": schedule.free_cancellation_hours},
    ]
    if schedule.fee_due_on_no_show:
        lines.append(_("The fee is also due when the client does not turn up."))
    lines.append(_("A task can be moved to another time by agreement."))
    if item is not None and item.included_hours:
        lines.append(
            _("The fee includes %(hours)s hours of preparation with the professional.") % {"hours": item.included_hours}
        )
    return Terms(schedule=schedule, item=item, fee=fee, fee_due=paid, text="\n".join(lines))


@transaction.atomic
def offer_accept(*, actor: User, offer: Offer, volunteer: bool = False) -> Agreement:
    """Accept an offer. The request row is locked, then the person's expert rows, so parallel
    acceptances fill the places one at a time and nobody is booked twice for the same time."""
    base = Offer.objects.select_related("expert").get(pk=offer.pk)
    if base.expert.user_id != actor.pk:
        raise ExpertsError(_("Only the expert can answer this offer."))
    request = TaskRequest.objects.select_for_update().get(pk=base.request_id)
    list(Expert.objects.select_for_update().filter(user_id=actor.pk).order_by("pk").values_list("pk", flat=True))
    offer = Offer.objects.select_related("expert__user").get(pk=offer.pk)
    if offer.status == Offer.Status.TAKEN or request.status == TaskRequest.Status.FILLED:
        raise ExpertsError(_("Another expert already took this task. Thank you for your interest."))
    if offer.status != Offer.Status.OFFERED:
        raise ExpertsError(_("This offer has already been answered."))
    if request.status != TaskRequest.Status.OPEN:
        raise ExpertsError(_("This request is no longer open."))
    if request.starts_at <= timezone.now():
        raise ExpertsError(_("The task has already started."))
    taken = Agreement.objects.binding().filter(request=request).count()
    if taken >= request.places:
        raise ExpertsError(_("Another expert already took this task. Thank you for your interest."))
    clash = overlapping_agreement(user_id=actor.pk, request=request)
    if clash is not None:
        raise ExpertsError(_("You already have a task at that time: %(title)s.") % {"title": clash.request.title})
    try:
        terms = terms_for(request=request, volunteer=volunteer)
    except fees.FeeScheduleGap as exc:
        raise ExpertsError(str(exc)) from exc
    agreement = Agreement(
        request=request,
        offer=offer,
        expert=offer.expert,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        volunteer=volunteer,
        schedule=terms.schedule,
        fee_item=terms.item,
        fee=terms.fee,
        fee_due=terms.fee_due,
        travel_per_km=terms.schedule.travel_per_km,
        free_cancellation_hours=terms.schedule.free_cancellation_hours,
        fee_due_on_no_show=terms.schedule.fee_due_on_no_show,
        terms=terms.text,
    )
    agreement.full_clean()
    agreement.save()
    offer.status = Offer.Status.ACCEPTED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at", "updated_at"])
    events.record(
        actor=actor, verb="experts.agreement_created", target=agreement, subject=actor, data={"volunteer": volunteer}
    )
    if taken + 1 >= request.places:
        request.status = TaskRequest.Status.FILLED
        request.save(update_fields=["status", "updated_at"])
        others = list(request.offers.filter(status=Offer.Status.OFFERED).select_related("expert__user"))
        Offer.objects.filter(pk__in=[o.pk for o in others]).update(
            status=Offer.Status.TAKEN, answered_at=timezone.now()
        )
        for other in others:
            notify(
                user=other.expert.user,
                message=_("The task has been taken: %(title)s. Thank you.") % {"title": request.title},
                url=reverse("experts:offers"),
            )
    url = reverse("experts:agreement_detail", args=[agreement.pk])
    for person in [request.created_by, *_coordinators_of(request.broker_id)]:
        notify(user=person, message=_("An expert accepted: %(title)s") % {"title": request.title}, url=url)
    if request.partner_worker_id:
        notify(
            user=request.partner_worker,  # type: ignore[arg-type]
            message=_("You are the professional partner for: %(title)s") % {"title": request.title},
            url=url,
        )
    return agreement


# -- agreements ----------------------------------------------------------------------------------


def _lock_agreement(actor: User, agreement: Agreement) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreements_visible(actor).filter(pk=agreement.pk).exists():
        raise ExpertsError(_("You cannot change this agreement."))
    return agreement


def cancellation_fee_due(*, agreement: Agreement, at: dt.datetime) -> bool:
    """Late cancellation keeps the fee due; in good time it is not."""
    if not agreement.fee or agreement.volunteer:
        return False
    return at > agreement.starts_at - dt.timedelta(hours=agreement.free_cancellation_hours)


@transaction.atomic
def agreement_cancel(
    *, actor: User, agreement: Agreement, reason: str = "", now: dt.datetime | None = None
) -> Agreement:
    now = now or timezone.now()
    agreement = _lock_agreement(actor, agreement)
    request = agreement.request
    allowed = (
        agreement.expert.user_id == actor.pk
        or request.broker_id in broker_orgs(actor)
        or request.organisation_id in order_orgs(actor)
    )
    if not allowed:
        raise ExpertsError(_("You cannot cancel this agreement."))
    if agreement.status != Agreement.Status.ACTIVE:
        raise ExpertsError(_("Only an agreed task can be cancelled."))
    agreement.fee_due = cancellation_fee_due(agreement=agreement, at=now) and agreement.expert.user_id != actor.pk
    agreement.status = Agreement.Status.CANCELLED
    agreement.cancelled_at = now
    agreement.cancel_reason = reason.strip()[:300]
    agreement.save()
    if request.status == TaskRequest.Status.FILLED and request.starts_at > now and actor.pk == agreement.expert.user_id:
        # The expert withdrew in time: the place is open again for the coordinator to offer.
        TaskRequest.objects.filter(pk=request.pk).update(status=TaskRequest.Status.OPEN)
    elif (
        request.organisation_id in order_orgs(actor)
        and not request.agreements.filter(status=Agreement.Status.ACTIVE).exists()
    ):
        # The orderer called the task off.
        TaskRequest.objects.filter(pk=request.pk).update(status=TaskRequest.Status.CANCELLED)
    events.record(
        actor=actor,
        verb="experts.agreement_cancelled",
        target=agreement,
        subject=agreement.expert.user,
        data={"fee_due": agreement.fee_due},
    )
    url = reverse("experts:agreement_detail", args=[agreement.pk])
    for person in {agreement.expert.user, request.created_by, *_coordinators_of(request.broker_id)} - {actor}:
        notify(user=person, message=_("A task was cancelled: %(title)s") % {"title": request.title}, url=url)
    return agreement


@transaction.atomic
def agreement_reschedule(*, actor: User, agreement: Agreement, starts_at: dt.datetime) -> Agreement:
    """Move a task by agreement: same terms, new time, and still nobody double-booked."""
    agreement = _lock_agreement(actor, agreement)
    request = TaskRequest.objects.select_for_update().get(pk=agreement.request_id)
    if request.broker_id not in broker_orgs(actor):
        raise ExpertsError(_("The coordinator moves tasks after agreeing with both sides."))
    if agreement.status != Agreement.Status.ACTIVE:
        raise ExpertsError(_("Only an agreed task can be moved."))
    if starts_at <= timezone.now():
        raise ExpertsError(_("The task must start in the future."))
    if starts_at > timezone.now() + RESCHEDULE_HORIZON:
        raise ExpertsError(_("A task can be moved at most two years ahead."))
    list(Expert.objects.select_for_update().filter(user_id=agreement.expert.user_id).values_list("pk", flat=True))
    request.starts_at = starts_at
    clash = overlapping_agreement(user_id=agreement.expert.user_id, request=request)
    if clash is not None and clash.pk != agreement.pk:
        raise ExpertsError(_("The expert already has a task at that time: %(title)s.") % {"title": clash.request.title})
    request.save(update_fields=["starts_at", "updated_at"])
    length = agreement.ends_at - agreement.starts_at
    agreement.starts_at = starts_at
    agreement.ends_at = starts_at + length
    agreement.reminder_sent_at = None
    agreement.save()
    events.record(actor=actor, verb="experts.agreement_rescheduled", target=agreement, subject=agreement.expert.user)
    notify(
        user=agreement.expert.user,
        message=_("A task was moved: %(title)s") % {"title": request.title},
        url=reverse("experts:agreement_detail", args=[agreement.pk]),
    )
    return agreement


@transaction.atomic
def agreement_confirm(*, actor: User, agreement: Agreement, took_place: bool) -> Agreement:
    agreement = _lock_agreement(actor, agreement)
    if agreement.request.organisation_id not in order_orgs(actor):
        raise ExpertsError(_("The orderer confirms whether the task took place."))
    if agreement.status != Agreement.Status.ACTIVE:
        raise ExpertsError(_("This task has already been confirmed or cancelled."))
    if agreement.starts_at > timezone.now():
        raise ExpertsError(_("You can confirm the task when it has started."))
    agreement.status = Agreement.Status.DONE if took_place else Agreement.Status.NO_SHOW
    agreement.fee_due = bool(agreement.fee) and not agreement.volunteer and (took_place or agreement.fee_due_on_no_show)
    agreement.confirmed_at = timezone.now()
    agreement.save()
    request = agreement.request
    if not request.agreements.filter(status=Agreement.Status.ACTIVE).exists():
        request.status = TaskRequest.Status.DONE
        request.save(update_fields=["status", "updated_at"])
    events.record(
        actor=actor,
        verb="experts.agreement_confirmed",
        target=agreement,
        subject=agreement.expert.user,
        data={"took_place": took_place},
    )
    notify(
        user=agreement.expert.user,
        message=_("The task was confirmed. You can now report your expenses."),
        url=reverse("experts:expenses", args=[agreement.pk]),
    )
    return agreement


# -- expenses -------------------------------------------------------------------------------------


@dataclass
class ExpenseInput:
    kind: str
    amount: Decimal | None = None
    kilometres: Decimal | None = None
    receipt: Any = None
    description: str = ""


def receipt_check(upload: Any) -> None:
    if upload is None:
        return
    if upload.size > RECEIPT_MAX_BYTES:
        raise ExpertsError(_("The receipt is too large. The largest allowed size is 5 MB."))
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_TYPES.values()):
        raise ExpertsError(_("The receipt must be a PDF, JPEG or PNG file."))


@transaction.atomic
def expenses_submit(*, actor: User, agreement: Agreement, lines: list[ExpenseInput]) -> ExpenseReport:
    agreement = _lock_agreement(actor, agreement)
    if agreement.expert.user_id != actor.pk:
        raise ExpertsError(_("Only the expert reports their own expenses."))
    if agreement.status not in (Agreement.Status.DONE, Agreement.Status.NO_SHOW):
        raise ExpertsError(_("Expenses can be reported after the orderer has confirmed the task."))
    existing = ExpenseReport.objects.filter(agreement=agreement).first()
    if existing and existing.status != ExpenseReport.Status.RETURNED:
        raise ExpertsError(_("The expenses of this task have already been reported."))
    if not lines:
        raise ExpertsError(_("Add at least one expense."))
    items = []
    for line in lines:
        receipt_check(line.receipt)
        if line.kind == ExpenseItem.Kind.KILOMETRES:
            if line.kilometres is None:
                raise ExpertsError(_("Give the kilometres."))
            try:
                amount = fees.km_amount(kilometres=line.kilometres, per_km=agreement.travel_per_km)
            except ValueError as exc:
                raise ExpertsError(str(exc)) from exc
            if agreement.schedule and line.kilometres > agreement.schedule.max_km_per_task:
                raise ExpertsError(
                    _("%(km)s km is more than the %(max)s km allowed for one task. Check the number.")
                    % {"km": line.kilometres, "max": agreement.schedule.max_km_per_task}
                )
        else:
            if line.amount is None or line.amount < 0 or line.amount > Decimal("5000"):
                raise ExpertsError(_("Give an amount between 0 and 5000 €."))
            if (
                line.kind in (ExpenseItem.Kind.TICKET, ExpenseItem.Kind.LODGING, ExpenseItem.Kind.MEAL)
                and line.receipt is None
            ):
                raise ExpertsError(_("Attach the receipt for tickets, meals and lodging."))
            amount = fees.money(line.amount)
        items.append((line, amount))
    totals = fees.expense_totals(
        [fees.ExpenseLine(kind=line.kind, amount=amount) for line, amount in items],
        fee_paid=bool(agreement.fee) and not agreement.volunteer,
    )
    report = existing or ExpenseReport(agreement=agreement)
    report.status = ExpenseReport.Status.SUBMITTED
    report.save()
    report.items.all().delete()
    fee_paid = bool(agreement.fee) and not agreement.volunteer
    for line, amount in items:
        taxable = fee_paid and line.kind in (ExpenseItem.Kind.KILOMETRES, ExpenseItem.Kind.DAILY_ALLOWANCE)
        item = ExpenseItem(
            report=report,
            kind=line.kind,
            kilometres=line.kilometres,
            amount=amount,
            taxable=taxable,
            description=line.description[:200],
        )
        if line.receipt is not None:
            item.receipt.save(line.receipt.name[-80:], line.receipt, save=False)
        item.full_clean()
        item.save()
    events.record(
        actor=actor, verb="experts.expenses_submitted", target=report, subject=actor, data={"total": str(totals.total)}
    )
    for coordinator in _coordinators_of(agreement.request.broker_id):
        notify(
            user=coordinator,
            message=_("Expenses to approve: %(title)s") % {"title": agreement.request.title},
            url=reverse("experts:payments"),
        )
    return report


@transaction.atomic
def expenses_approve(*, actor: User, report: ExpenseReport, approve: bool = True, note: str = "") -> ExpenseReport:
    report = ExpenseReport.objects.select_for_update().select_related("agreement__request").get(pk=report.pk)
    decision = can_broker(actor, report.agreement.request.broker_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if report.status != ExpenseReport.Status.SUBMITTED:
        raise ExpertsError(_("These expenses have already been handled."))
    report.status = ExpenseReport.Status.APPROVED if approve else ExpenseReport.Status.RETURNED
    report.note = note[:300]
    report.approved_by = actor if approve else None
    report.approved_at = timezone.now() if approve else None
    report.save()
    events.record(
        actor=actor,
        verb="experts.expenses_approved" if approve else "experts.expenses_returned",
        target=report,
        subject=report.agreement.expert.user,
    )
    notify(
        user=report.agreement.expert.user,
        message=_("Your expenses were approved.") if approve else _("Your expenses were returned for correction."),
        url=reverse("experts:expenses", args=[report.agreement_id]),
    )
    return report


# -- feedback, limits, wellbeing, peer events ------------------------------------------------------


FEEDBACK_MODULE = "experts"
FEEDBACK_INSTRUMENTS = {"expert": "expert-task-feedback", "orderer": "orderer-task-feedback"}
"""The measurement engine's questionnaires for each side of a task (docs/measurement.md)."""


class FeedbackNotYours(ExpertsError):
    """The person may see the agreement but is not one of the two sides who give feedback."""


def feedback_ref(agreement: Agreement) -> str:
    """The agreement's reference in the measurement engine: its number only, no personal data."""
    return f"agreement:{agreement.pk}"


def feedback_side(*, actor: User, agreement: Agreement) -> str | None:
    """The side the actor gives feedback for: "expert" (the agreement's expert), "orderer" (of the ordering
    organisation), or None."""
    if agreement.expert.user_id == actor.pk:
        return "expert"
    if agreement.request.organisation_id in order_orgs(actor):
        return "orderer"
    return None


@transaction.atomic
def feedback_start(*, actor: User, agreement: Agreement) -> Any:
    """Start (or continue) the actor's feedback on a task through the measurement engine.

    Only the expert and the orderer give feedback, and only after the task. The answers are
    the respondent's own; the brokering organisation sees them only as group figures with
    small groups hidden. Returns the measurement response to send the person to."""
    from osallisuus.measurement import selectors as measurement_selectors
    from osallisuus.measurement import services as measurement

    agreement = _lock_agreement(actor, agreement)
    side = feedback_side(actor=actor, agreement=agreement)
    if side is None:
        raise FeedbackNotYours(_("Only the expert and the orderer give feedback on a task."))
    if agreement.status not in (Agreement.Status.DONE, Agreement.Status.NO_SHOW):
        raise ExpertsError(_("Feedback can be given after the task."))
    given = measurement_selectors.responses_for_context(
        respondent=actor, context_module=FEEDBACK_MODULE, context_ref=feedback_ref(agreement)
    )
    if any(r.status == "submitted" for r in given):
        raise ExpertsError(_("You have already given feedback on this task."))
    try:
        return measurement.response_start(
            instrument_code=FEEDBACK_INSTRUMENTS[side],
            respondent=actor,
            context_module=FEEDBACK_MODULE,
            context_ref=feedback_ref(agreement),
            organisation=agreement.request.broker,
        )
    except measurement.MeasurementError as exc:
        raise ExpertsError(exc.message) from exc


def _may_record_limits(actor: User, expert: Expert) -> bool:
    """The expert themself, or the coordinator of the expert's organisation together with them."""
    return actor.pk == expert.user_id or bool(can_broker(actor, expert.organisation_id))


def _tell_expert_about_limits(*, actor: User, expert: Expert) -> None:
    if actor.pk == expert.user_id:
        return
    with translation.override(expert.user.preferred_language or "fi"):
        # The kind of limit stays out of the message: it can tell about the person's health.
        message = _("%(name)s changed your earnings limits together with you. You can see them on your own page.") % {
            "name": actor.full_name
        }
    notify(user=expert.user, message=str(message), url=reverse("experts:limits"))


@transaction.atomic
def earnings_limit_add(*, actor: User, expert: Expert, **fields: Any) -> EarningsLimit:
    if not _may_record_limits(actor, expert):
        raise ExpertsError(_("Only the expert, or the coordinator together with them, records limits."))
    limit = EarningsLimit(expert=expert, recorded_by=actor, **fields)
    limit.full_clean()
    limit.save()
    events.record(actor=actor, verb="experts.earnings_limit_added", target=limit, subject=expert.user)
    _tell_expert_about_limits(actor=actor, expert=expert)
    return limit


@transaction.atomic
def earnings_limit_remove(*, actor: User, limit: EarningsLimit) -> None:
    expert = Expert.objects.select_related("user").get(pk=limit.expert_id)
    if not _may_record_limits(actor, expert):
        raise ExpertsError(_("Only the expert, or the coordinator together with them, removes limits."))
    events.record(actor=actor, verb="experts.earnings_limit_removed", target=limit, subject=expert.user)
    limit.delete()
    _tell_expert_about_limits(actor=actor, expert=expert)


@transaction.atomic
def checkin_record(*, actor: User, expert: Expert, coping: int, wants_contact: bool) -> CheckIn:
    if actor.pk != expert.user_id:
        raise ExpertsError(_("Only the expert can check in."))
    checkin = CheckIn(expert=expert, coping=coping, wants_contact=wants_contact)
    checkin.full_clean()
    checkin.save()
    if wants_contact:
        for coordinator in _coordinators_of(expert.organisation_id):
            notify(
                user=coordinator,
                message=_("An expert would like you to contact them."),
                url=reverse("experts:wellbeing"),
            )
    return checkin


@transaction.atomic
def peer_event_signup(*, actor: User, event: PeerEvent) -> PeerEvent:
    event = PeerEvent.objects.select_for_update().get(pk=event.pk)
    expert = Expert.objects.filter(user=actor, organisation_id=event.organisation_id).first()
    if expert is None:
        raise ExpertsError(_("Only the organisation's experts can sign up."))
    if event.starts_at <= timezone.now():
        raise ExpertsError(_("The event has already started."))
    if event.participants.filter(pk=expert.pk).exists():
        raise ExpertsError(_("You have already signed up."))
    if event.participants.count() >= event.capacity:
        raise ExpertsError(_("The event is full."))
    event.participants.add(expert)
    events.record(actor=actor, verb="experts.peer_event_signup", target=event, subject=actor)
    return event


def validation_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """The day-before reminder for the expert, the orderer and the lähityöntekijä."""
    now = now or timezone.now()
    due = Agreement.objects.filter(
        status=Agreement.Status.ACTIVE,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=24),
    ).select_related("request__created_by", "request__partner_worker", "expert__user")
    count = 0
    for agreement in due:
        with transaction.atomic():
            # Claim the reminder first: a second run at the same moment finds it taken.
            unsent = Agreement.objects.filter(pk=agreement.pk, reminder_sent_at__isnull=True)
            if not unsent.update(reminder_sent_at=now):
                continue
            url = reverse("experts:agreement_detail", args=[agreement.pk])
            when = timezone.localtime(agreement.starts_at).strftime("%d.%m.%Y %H:%M")
            people = [agreement.expert.user, agreement.request.created_by]
            if agreement.request.partner_worker:
                people.append(agreement.request.partner_worker)
            for person in people:
                notify(
                    user=person,
                    message=_("Reminder: %(title)s on %(when)s") % {"title": agreement.request.title, "when": when},
                    url=url,
                )
            count += 1
    return count


@transaction.atomic
def fee_schedule_copy(
    *, example: FeeSchedule, organisation: Organisation, valid_from: dt.date, actor: User | None = None
) -> FeeSchedule:
    """Copy an example table (Kokoa 2018, KAP Vantaa) for an organisation, from a date on."""
    copy = FeeSchedule(
        organisation=organisation,
        name=example.name,
        valid_from=valid_from,
        source=example.source,
        is_example=False,
        free_cancellation_hours=example.free_cancellation_hours,
        fee_due_on_no_show=example.fee_due_on_no_show,
        travel_per_km=example.travel_per_km,
        max_km_per_task=example.max_km_per_task,
    )
    copy.full_clean()
    copy.save()
    for item in example.items.prefetch_related("task_types"):
        types = list(item.task_types.all())
        item.pk = None
        item.schedule = copy
        item.save()
        item.task_types.set(types)
    events.record(actor=actor, verb="experts.fee_schedule_copied", target=copy)
    return copy


@transaction.atomic
def support_session_record(
    *, actor: User, organisation_id: int, kind: str, held_on: dt.date, experts: list[Expert]
) -> SupportSession:
    """Record a supervision or peer-support session and who took part (the coordinator)."""
    decision = can_broker(actor, organisation_id)
    if not decision:
        raise ExpertsError(str(decision.reason))
    if any(e.organisation_id != organisation_id for e in experts) or not experts:
        raise ExpertsError(_("Choose the organisation's own experts."))
    session = SupportSession(organisation_id=organisation_id, kind=kind, held_on=held_on)
    session.full_clean()
    session.save()
    session.attendees.set(experts)
    events.record(actor=actor, verb="experts.support_session_recorded", target=session, data={"count": len(experts)})
    return session
