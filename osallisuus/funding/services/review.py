"""Joint review: each funder's officers comment and score against the call's weighted criteria;
one recommendation per funder (agree or disagree, with a note); the applicants' hearing with an
iCalendar invite and minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from osallisuus.core import events, formatting, mail
from osallisuus.core.mail import absolute_url

from .. import permissions
from ..models import Application, Funder, Hearing, Recommendation, Review, Score
from ._base import FundingError, FundingForbidden, money

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def _funder_for(actor: User, application: Application, perm: str, funder: Funder | int | None) -> Funder:
    mine = permissions.call_funders_of(actor, application.call, perm)
    if funder is None:
        found = list(mine[:2])
        if len(found) != 1:
            raise FundingError(_("Choose the funder you act for."), field="funder")
        return found[0]
    funder_id = funder if isinstance(funder, int) else funder.pk
    chosen = mine.filter(pk=funder_id).first()
    if chosen is None:
        raise FundingForbidden(_("You cannot act for that funder here."), field="funder")
    return chosen


def weighted_score(scores: Mapping[int, int], weights: Mapping[int, int]) -> Decimal:
    """The weighted mean on the 0–5 scale (weights are per cent and add up to 100)."""
    total_weight = sum(weights.values()) or 1
    value = sum(Decimal(scores.get(cid, 0)) * weight for cid, weight in weights.items()) / Decimal(total_weight)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def review_write(
    *,
    actor: User,
    application: Application,
    comment: str,
    scores: Mapping[Any, Any],
    funder: Funder | int | None = None,
) -> Review:
    """Write (or rewrite) one's review: a comment and a score 0–5 for every criterion."""
    decision = permissions.can_review(actor, application)
    if not decision:
        raise FundingForbidden(decision.reason)
    chosen = _funder_for(actor, application, permissions.P.REVIEW, funder)
    if not (comment or "").strip():
        raise FundingError(_("Write your comment."), field="comment")
    criteria = list(application.call.criteria.all())
    clean: dict[int, int] = {}
    for criterion in criteria:
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
        text = str(raw if raw is not None else "").strip()
        if not text.isdigit() or not 0 <= int(text) <= 5:
            raise FundingError(
                _("Give “%(criterion)s” a score from 0 to 5.") % {"criterion": criterion.name},
                field=f"score_{criterion.pk}",
            )
        clean[criterion.pk] = int(text)
    review, _created = Review.objects.update_or_create(
        application=application,
        reviewer=actor,
        defaults={"funder": chosen, "comment": comment.strip(), "submitted_at": timezone.now()},
    )
    review.scores.all().delete()
    Score.objects.bulk_create([Score(review=review, criterion_id=cid, score=s) for cid, s in clean.items()])
    events.record(actor=actor, verb="funding.review.write", target=review)
    return review


@transaction.atomic
def recommendation_write(
    *,
    actor: User,
    application: Application,
    agrees: bool,
    note: str = "",
    amount: Any = None,
    funder: Funder | int | None = None,
) -> Recommendation:
    decision = permissions.can_recommend(actor, application)
    if not decision:
        raise FundingForbidden(decision.reason)
    chosen = _funder_for(actor, application, permissions.P.REVIEW, funder)
    value = money(amount, field="amount") if str(amount or "").strip() else None
    if not agrees and not (note or "").strip():
        raise FundingError(_("Say why the funder does not recommend funding."), field="note")
    recommendation, _created = Recommendation.objects.update_or_create(
        application=application,
        funder=chosen,
        defaults={"agrees": agrees, "amount": value, "note": (note or "").strip(), "written_by": actor},
    )
    events.record(actor=actor, verb="funding.recommendation.write", target=recommendation)
    return recommendation


def _hearing_mail(hearing: Hearing, recipients: list[User]) -> None:
    application = hearing.application
    link = absolute_url(reverse("funding:application", args=[application.pk]))
    ics = hearing_ics(hearing)
    for user in recipients:
        with override(user.preferred_language or "fi"):
            subject = gettext("Hearing on your funding application %(number)s") % {
                "number": application.tracking_number
            }
            paragraphs = [
                gettext("The funders invite you to a hearing on the application “%(title)s” on %(when)s, %(place)s.")
                % {
                    "title": application.title,
                    "when": formatting.datetime_range(hearing.starts_at, hearing.ends_at),
                    "place": hearing.place,
                },
                gettext("The calendar invitation is attached."),
            ]
            mail.send(
                to=user,
                subject=subject,
                template="core/email/notice",
                context={
                    "paragraphs": paragraphs,
                    "message": "\n\n".join(paragraphs),
                    "link": link,
                    "link_label": gettext("Open the application"),
                    "recipient": user,
                },
                attachments=[("hearing.ics", ics, "text/calendar")],
                fail_silently=True,
            )


@transaction.atomic
def hearing_schedule(
    *,
    actor: User,
    application: Application,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    hearing: Hearing | None = None,
) -> Hearing:
    """Schedule (or move) the hearing; the applicant's users get an invite with an .ics file."""
    decision = permissions.can_hold_hearing(actor, application)
    if not decision:
        raise FundingForbidden(decision.reason)
    if ends_at <= starts_at:
        raise FundingError(_("The hearing must end after it starts."), field="ends_at")
    if not (place or "").strip():
        raise FundingError(_("Give the place or the video link."), field="place")
    if hearing is None:
        hearing = Hearing.objects.create(application=application, starts_at=starts_at, ends_at=ends_at, place=place)
    else:
        hearing.starts_at, hearing.ends_at, hearing.place = starts_at, ends_at, place
        hearing.sequence += 1
        hearing.save()
    events.record(actor=actor, verb="funding.hearing.schedule", target=hearing)
    recipients = [au.user for au in application.users.select_related("user")]
    transaction.on_commit(lambda: _hearing_mail(hearing, recipients))
    return hearing


@transaction.atomic
def hearing_minutes(*, actor: User, hearing: Hearing, minutes: str) -> Hearing:
    decision = permissions.can_hold_hearing(actor, hearing.application)
    if not decision:
        raise FundingForbidden(decision.reason)
    if not (minutes or "").strip():
        raise FundingError(_("Write the minutes."), field="minutes")
    hearing.minutes = minutes.strip()
    hearing.save(update_fields=["minutes"])
    events.record(actor=actor, verb="funding.hearing.minutes", target=hearing)
    return hearing


def hearing_ics(hearing: Hearing, *, site: str = "osallisuus") -> bytes:
    """An invitation; a moved hearing keeps its UID and raises its SEQUENCE, so calendars update it."""
    application = hearing.application
    cal = Calendar()
    cal.add("prodid", "-//Osallisuus//funding//FI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"funding-hearing-{hearing.uid}@{site}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", hearing.starts_at)
    event.add("dtend", hearing.ends_at)
    event.add("summary", gettext("Hearing: %(title)s") % {"title": application.title})
    event.add("description", f"{application.title} ({application.tracking_number})")
    event.add("location", hearing.place)
    event.add("sequence", hearing.sequence)
    cal.add_component(event)
    return bytes(cal.to_ical())
