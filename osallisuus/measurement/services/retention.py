"""Retention: rounds past their date lose their answers or their link to people; responses that
other modules started are anonymised after ``MEASUREMENT_RETENTION_DAYS``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from osallisuus.core import events

from ..models import Answer, Invitation, Item, Response, Round

RETENTION_DAYS_DEFAULT = 3 * 365
"""How long responses started by other modules (outside rounds) are kept before anonymisation;
``settings.MEASUREMENT_RETENTION_DAYS`` overrides it."""


def retention_apply(*, today: date | None = None) -> dict[str, int]:
    """Rounds past their retention date: delete the answers, or cut the link to people.
    Responses outside rounds: anonymised (sent) or deleted (unfinished) after the retention days."""
    today = today or timezone.localdate()
    done = {"deleted": 0, "anonymised": 0}
    for round_ in Round.objects.filter(retention_until__lt=today, retention_done_at__isnull=True):
        with transaction.atomic():
            responses = Response.objects.filter(round=round_)
            if round_.retention_action == Round.RetentionAction.DELETE:
                Answer.objects.filter(response__round=round_).delete()
                done["deleted"] += responses.count()
                responses.delete()
            else:
                Answer.objects.filter(response__round=round_, item__kind=Item.Kind.TEXT).delete()
                done["anonymised"] += responses.update(
                    respondent=None, invitation=None, shared_with=None, context_ref="", anonymised_at=timezone.now()
                )
            Invitation.objects.filter(round=round_).delete()
            round_.retention_done_at = timezone.now()
            round_.save(update_fields=["retention_done_at", "updated_at"])
            events.record(actor=None, verb="measurement.round.retention_applied", target=round_, data=done)
    # Responses started by other modules (no round): anonymised after MEASUREMENT_RETENTION_DAYS;
    # unfinished ones are deleted after the same time.
    days = getattr(settings, "MEASUREMENT_RETENTION_DAYS", RETENTION_DAYS_DEFAULT)
    cutoff = timezone.make_aware(datetime.combine(today, datetime.min.time())) - timedelta(days=days)
    with transaction.atomic():
        stale = Response.objects.filter(round__isnull=True, created_at__lt=cutoff)
        unfinished = stale.exclude(status=Response.Status.SUBMITTED)
        done["deleted"] += unfinished.count()
        Answer.objects.filter(response__in=unfinished).delete()
        unfinished.delete()
        sent = stale.filter(status=Response.Status.SUBMITTED, anonymised_at__isnull=True)
        Answer.objects.filter(response__in=sent, item__kind=Item.Kind.TEXT).delete()
        done["anonymised"] += sent.update(
            respondent=None, shared_with=None, context_ref="", anonymised_at=timezone.now()
        )
    return done
