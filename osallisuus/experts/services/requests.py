"""Task requests: the orderer files one, the coordinator reviews it, the orderer adds the
details asked or names another professional partner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events
from osallisuus.core.notifications import notify

from .. import fees, notices, selectors
from ..errors import ExpertsError, refuse_unless, validation_message
from ..models import Agreement, TaskRequest
from ..permissions import can_add_request_details, can_change_partner, can_order_for, can_review_request
from ._common import coordinators_of
from .placements import placement_end, placement_start

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


def _check_partner(*, organisation: Organisation, partner: User | None) -> None:
    if partner is None:
        raise ExpertsError(
            _("Name the professional partner (lähityöntekijä) who walks beside the expert at your workplace."),
            field="partner_worker",
        )
    if not selectors.partner_candidates(organisation_ids=[organisation.pk]).filter(pk=partner.pk).exists():
        raise ExpertsError(
            _("The professional partner must be a member of staff of your own organisation."), field="partner_worker"
        )


@transaction.atomic
def request_file(
    *, actor: User, organisation: Organisation, now: dt.datetime | None = None, **fields: Any
) -> TaskRequest:
    now = now or timezone.now()
    refuse_unless(can_order_for(actor, organisation.pk), field="organisation")
    if fields["starts_at"] <= now:
        raise ExpertsError(_("The task must start in the future."), field="starts_at")
    if not fields.get("remote") and not fields.get("address"):
        raise ExpertsError(_("Give the address, or mark the task as remote."), field="address")
    _check_partner(organisation=organisation, partner=fields.get("partner_worker"))
    request = TaskRequest(organisation=organisation, created_by=actor, **fields)
    try:
        request.full_clean()
    except ValidationError as exc:
        raise ExpertsError(validation_message(exc)) from exc
    request.save()
    events.record(actor=actor, verb="experts.request.filed", target=request)
    for coordinator in coordinators_of(request.broker_id):
        notify(
            user=coordinator,
            kind=notices.NEW_REQUEST,
            subject=_("New task request: %(title)s"),
            message=_("New task request: %(title)s"),
            params={"title": request.title},
            url=reverse("experts:request_detail", args=[request.pk]),
        )
    return request


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
    refuse_unless(can_review_request(actor, request))
    if approve:
        if request.compensation == TaskRequest.Compensation.FEE:
            schedule = fees.schedule_in_force(
                organisation_id=request.broker_id, on=timezone.localtime(request.starts_at).date()
            )
            item = schedule.items.filter(code=fee_item_code).first()
            if item is None:
                raise ExpertsError(
                    _("Choose a fee from the schedule in force on the task date."), field="fee_item_code"
                )
            try:
                request.fee_amount = fees.unit_amount(item=item, chosen=fee_amount)
            except ValueError as exc:
                raise ExpertsError(str(exc), field="fee_amount") from exc
        else:
            request.fee_amount = None
        request.fee_item_code = fee_item_code
        request.status = TaskRequest.Status.OPEN
        request.coordinator_note = note
    else:
        if not note.strip():
            raise ExpertsError(_("Write what you would like to know."), field="note")
        request.status = TaskRequest.Status.NEEDS_DETAILS
        request.coordinator_note = note
        notify(
            user=request.created_by,
            kind=notices.DETAILS_ASKED,
            message=_("The coordinator asks for more details: %(title)s"),
            params={"title": request.title},
            url=reverse("experts:request_detail", args=[request.pk]),
        )
    request.save()
    events.record(actor=actor, verb="experts.request.reviewed", target=request, data={"approved": approve})
    return request


@transaction.atomic
def request_add_details(*, actor: User, request: TaskRequest, description: str) -> TaskRequest:
    request = TaskRequest.objects.select_for_update().get(pk=request.pk)
    refuse_unless(can_add_request_details(actor, request))
    if not description.strip():
        raise ExpertsError(_("Write the details."), field="description")
    request.description = description
    request.status = TaskRequest.Status.SUBMITTED
    request.save()
    events.record(actor=actor, verb="experts.request.details_added", target=request)
    return request


@transaction.atomic
def request_partner_change(*, actor: User, request: TaskRequest, partner: User | None) -> TaskRequest:
    """The orderer names another professional partner (say, the first one is on leave). The
    placement relationships of the agreed tasks move to the new partner at once: the former
    one no longer sees the experts' person pages."""
    request = TaskRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)
    refuse_unless(can_change_partner(actor, request))
    _check_partner(organisation=request.organisation, partner=partner)
    assert partner is not None  # _check_partner refuses None
    if partner.pk == request.partner_worker_id:
        return request
    before = request.partner_worker_id
    request.partner_worker = partner
    request.save(update_fields=["partner_worker", "updated_at"])
    agreements = list(
        request.agreements.filter(status=Agreement.Status.ACTIVE).select_related(
            "expert__user", "request__organisation"
        )
    )
    for agreement in agreements:
        placement_end(agreement=agreement, actor=actor)
        placement_start(agreement=agreement, actor=actor)
    events.record(
        actor=actor,
        verb="experts.request.partner_changed",
        target=request,
        data={"partner_before": before, "partner": partner.pk, "agreements": len(agreements)},
    )
    if agreements:
        notify(
            user=partner,
            kind=notices.YOU_ARE_PARTNER,
            message=_("You are the professional partner for: %(title)s"),
            params={"title": request.title},
            url=reverse("experts:agreement_detail", args=[agreements[0].pk]),
        )
    return request
