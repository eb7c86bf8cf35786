"""The registry: the coordinator adds experts, records training and changes their status; the
expert keeps their own profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osallisuus.accounts import services as accounts_services
from osallisuus.core import events, formatting, mail
from osallisuus.core.notifications import notify

from .. import notices
from ..errors import ExpertsError, refuse_unless, validation_message
from ..models import Agreement, Expert, Offer, TrainingCourse
from ..permissions import can_broker as can_register_in
from ..permissions import can_change_expert_status, can_edit_profile, can_record_training, can_resend_invitation

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

CONSENT_FIELDS = ("share_diagnoses", "share_story", "share_contact")


# -- the expert's own profile ---------------------------------------------------------------------


@transaction.atomic
def expert_profile_update(*, actor: User, expert: Expert, changes: dict[str, Any]) -> Expert:
    refuse_unless(can_edit_profile(actor, expert))
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
        verb="experts.expert.profile_updated",
        target=expert,
        subject=expert.user,
        data={"fields": sorted(changes), "consent_changed": consent_changed},
    )
    return expert


# -- training -----------------------------------------------------------------------------------


def training_totals_refresh(*, expert: Expert) -> None:
    """The basic-training totals matching and the pages read (``training.meets``)."""
    courses = expert.courses.filter(kind=TrainingCourse.Kind.BASIC)
    totals = courses.aggregate(h=Sum("hours"), m=Sum("months"), d=Sum("contact_days"))
    expert.training_hours = totals["h"] or Decimal("0")
    expert.training_months = totals["m"] or 0
    expert.training_contact_days = totals["d"] or 0
    expert.save(update_fields=["training_hours", "training_months", "training_contact_days", "updated_at"])


@transaction.atomic
def training_record(*, actor: User, expert: Expert, **fields: Any) -> TrainingCourse:
    refuse_unless(can_record_training(actor, expert))
    course = TrainingCourse(expert=expert, **fields)
    course.full_clean()
    course.save()
    training_totals_refresh(expert=expert)
    events.record(actor=actor, verb="experts.expert.training_recorded", target=course, subject=expert.user)
    return course


# -- the coordinator adds experts ----------------------------------------------------------------------


def _send_welcome(*, expert: Expert, notify_in_app: bool = True) -> bool:
    """Tell the person they are in the registry, in their own language. Someone who has no
    password yet gets a link to choose one; the link goes only into the e-mail, never into
    the database. Returns whether a password link was sent."""
    user = expert.user
    organisation = expert.organisation.name
    if notify_in_app:
        notify(
            user=user,
            kind=notices.REGISTRY,
            message=_(
                "Welcome to the experts by experience of %(organisation)s. "
                "Fill in the rest of your profile when it suits you."
            ),
            params={"organisation": organisation},
            url=reverse("experts:profile"),
            email=False,
        )
    needs_password = not user.has_usable_password()
    if needs_password:
        link = mail.absolute_url(accounts_services.password_set_path(user=user))
    else:
        link = mail.absolute_url(reverse("experts:profile"))
    with translation.override(mail.language_of(user)):
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
                "link": link,
            }
        else:
            body = _(
                "Hello %(name)s,\n\n%(organisation)s has added you to its registry of experts by experience "
                "in the Osallisuus service. Log in with your own password and fill in the rest of your "
                "profile:\n\n%(link)s"
            ) % {
                "name": user.full_name,
                "organisation": organisation,
                "link": link,
            }
    subject = _("Osallisuus: welcome to the experts by experience")
    paragraphs = [p for p in str(body).split("\n\n") if p.strip()]
    transaction.on_commit(
        lambda: mail.send(
            to=user,
            subject=subject,
            template="experts/email/welcome",
            context={"subject": subject, "body": body, "paragraphs": paragraphs, "link": link},
            fail_silently=True,
        )
    )
    return needs_password


@dataclass(frozen=True)
class Registered:
    expert: Expert
    new_account: bool
    password_link_sent: bool


def _already_in_registry(email: str) -> ExpertsError:
    return ExpertsError(
        _("%(email)s is already in your organisation's registry of experts by experience.") % {"email": email},
        field="email",
    )


@transaction.atomic
def expert_register(
    *,
    actor: User,
    organisation_id: int,
    email: str,
    full_name: str,
    preferred_language: str = "fi",
    status: str = Expert.Status.ACTIVE,
    **profile: Any,
) -> Registered:
    """Add a person to the organisation's registry of experts by experience (the coordinator).

    Only the least data: the rest of the profile the expert fills in themself. A person who
    has no account gets one without a password and an e-mail link to choose it; a person who
    has one keeps it. Either way they get the expert role in the organisation.
    """
    refuse_unless(can_register_in(actor, organisation_id))
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
        raise _already_in_registry(user.email)
    expert = Expert(user=user, organisation_id=organisation_id, status=status, **profile)
    try:
        expert.full_clean()
        with transaction.atomic():
            expert.save()
    except ValidationError as exc:
        raise ExpertsError(validation_message(exc)) from exc
    except IntegrityError as exc:  # the same person added twice at the same moment
        raise _already_in_registry(user.email) from exc
    expert.experience_areas.set(areas)
    accounts_services.membership_grant(user=user, organisation=expert.organisation, roles=["expert"], actor=actor)
    events.record(
        actor=actor, verb="experts.expert.registered", target=expert, subject=user, data={"new_account": created}
    )
    sent = _send_welcome(expert=expert)
    return Registered(expert=expert, new_account=created, password_link_sent=sent)


@transaction.atomic
def expert_invitation_resend(*, actor: User, expert: Expert) -> Expert:
    """Send a new link to choose a password (the earlier one expires after a few days)."""
    refuse_unless(can_resend_invitation(actor, expert))
    _send_welcome(expert=expert, notify_in_app=False)
    events.record(actor=actor, verb="experts.expert.invitation_sent", target=expert, subject=expert.user)
    return expert


# -- status --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChanged:
    expert: Expert
    withdrawn_offers: int


def _refuse_leaving_with_tasks_ahead(expert: Expert) -> None:
    count = Agreement.objects.filter(
        expert=expert, status=Agreement.Status.ACTIVE, starts_at__gt=timezone.now()
    ).count()
    if count:
        raise ExpertsError(
            ngettext(
                "%(name)s still has %(count)d agreed task ahead. Cancel it or agree on it with the orderer "
                "before the expert leaves the registry.",
                "%(name)s still has %(count)d agreed tasks ahead. Cancel them or agree on them with the "
                "orderer before the expert leaves the registry.",
                count,
            )
            % {"name": expert.user.full_name, "count": count},
            field="status",
        )


def _tell_status(expert: Expert, status: str, paused_until: dt.date | None) -> None:
    if status == Expert.Status.ENDED:
        message = _(
            "You have left the registry of experts by experience of %(organisation)s. Your tasks and fee "
            "statements stay here for you."
        )
    elif paused_until is not None:
        message = _("You are on a pause until %(date)s. You will not be offered tasks before that.")
    else:
        message = _("Your status in the registry of experts by experience: %(status)s.")
    notify(
        user=expert.user,
        kind=notices.REGISTRY,
        message=message,
        params={
            "organisation": expert.organisation.name,
            "date": lambda: formatting.date(paused_until),
            "status": lambda: str(Expert.Status(status).label),
        },
        url=reverse("experts:profile"),
    )


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
    refuse_unless(can_change_expert_status(actor, expert))
    if status not in Expert.Status.values:
        raise ExpertsError(_("Choose the status."), field="status")
    pause_reason = pause_reason.strip()
    if status != Expert.Status.ACTIVE or paused_until is None:
        paused_until, pause_reason = None, ""
    elif paused_until < today:
        raise ExpertsError(
            _("The pause cannot end in the past. Give today's date or a later one."), field="paused_until"
        )
    if status == Expert.Status.ENDED and expert.status != Expert.Status.ENDED:
        _refuse_leaving_with_tasks_ahead(expert)
    status_before = expert.status
    expert.status = status
    expert.paused_until = paused_until
    expert.pause_reason = pause_reason
    if status == Expert.Status.ENDED:
        expert.ended_on = expert.ended_on if status_before == Expert.Status.ENDED else today
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
        verb="experts.expert.status_changed",
        target=expert,
        subject=expert.user,
        data={
            "status": status,
            "paused_until": paused_until.isoformat() if paused_until else None,
            "status_before": status_before,
            "withdrawn_offers": withdrawn,
        },
    )
    _tell_status(expert, status, paused_until)
    return StatusChanged(expert=expert, withdrawn_offers=withdrawn)
