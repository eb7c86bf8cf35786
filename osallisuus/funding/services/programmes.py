"""The programme frame: programmes, funders, yearly envelopes, frame documents, info events,
project ideas with their advice log, and calls with weighted criteria."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osallisuus.core import events
from osallisuus.core.notifications import notify

from .. import permissions
from ..models import Advice, Call, Criterion, Envelope, FrameDocument, Funder, Idea, InfoEvent, Programme
from ._base import FundingError, FundingForbidden, money

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


def _require(decision: permissions.Decision, *, field: str | None = None) -> None:
    if not decision:
        raise FundingForbidden(decision.reason, field=field)


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise FundingError(messages[0], field=None if field == "__all__" else field) from exc


@transaction.atomic
def programme_create(*, actor: User, organisation: Organisation, data: dict[str, Any]) -> Programme:
    if organisation.pk not in permissions.orgs_with(actor, permissions.P.MANAGE):
        raise FundingForbidden(_("Only a unit that runs funding programmes can start one."), field="organisation")
    programme = Programme(organisation=organisation, **data)
    _clean(programme)
    programme.save()
    events.record(actor=actor, verb="funding.programme.create", target=programme)
    return programme


@transaction.atomic
def funder_add(
    *, actor: User, programme: Programme, organisation: Organisation, share: str, is_convener: bool = False
) -> Funder:
    _require(permissions.can_manage_programme(actor, programme))
    if programme.funders.filter(share=share).exists():
        raise FundingError(_("The programme already has a funder for this share."), field="share")
    if programme.funders.filter(organisation=organisation).exists():
        raise FundingError(_("This organisation is already a funder of the programme."), field="organisation")
    funder = Funder(programme=programme, organisation=organisation, share=share, is_convener=is_convener)
    _clean(funder)
    funder.save()
    events.record(actor=actor, verb="funding.funder.add", target=funder)
    return funder


@transaction.atomic
def envelope_set(*, actor: User, funder: Funder, year: int, cap: Any, source: str) -> Envelope:
    """Create or change a funder's yearly cap; a cap below what is already decided is refused."""
    _require(permissions.can_manage_programme(actor, funder.programme))
    amount = money(cap, field="cap", allow_zero=False)
    if not (source or "").strip():
        raise FundingError(_("Name the source of the cap (a decision, a budget)."), field="source")
    envelope = Envelope.objects.select_for_update().filter(funder=funder, year=year).first()
    if envelope is None:
        envelope = Envelope(funder=funder, year=year, cap=amount, source=source.strip())
    else:
        if amount < envelope.decided:
            raise FundingError(
                _("The cap cannot be less than what is already decided (%(decided)s).")
                % {"decided": f"{envelope.decided}"},
                field="cap",
            )
        envelope.cap, envelope.source = amount, source.strip()
    envelope.save()
    events.record(actor=actor, verb="funding.envelope.set", target=envelope, data={"year": year})
    return envelope


@transaction.atomic
def frame_document_add(*, actor: User, programme: Programme, data: dict[str, Any], file: Any = None) -> FrameDocument:
    _require(permissions.can_manage_programme(actor, programme))
    document = FrameDocument(programme=programme, **data)
    if file is not None:
        document.file = file
    if not document.url and not document.file:
        raise FundingError(_("Give the document's address or attach the file."), field="url")
    _clean(document)
    document.save()
    events.record(actor=actor, verb="funding.frame_document.add", target=document)
    return document


@transaction.atomic
def info_event_create(
    *, actor: User, programme: Programme, data: dict[str, Any], organisations: Iterable[Organisation] = ()
) -> InfoEvent:
    _require(permissions.can_manage_programme(actor, programme))
    event = InfoEvent(programme=programme, **data)
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise FundingError(_("The event must end after it starts."), field="ends_at")
    _clean(event)
    event.save()
    event.organisations.set(list(organisations))
    events.record(actor=actor, verb="funding.info_event.create", target=event)
    return event


@transaction.atomic
def idea_present(*, actor: User, programme: Programme, organisation: Organisation, title: str, summary: str) -> Idea:
    if organisation.pk not in permissions.orgs_with(actor, permissions.P.APPLY):
        raise FundingForbidden(
            _("Only an applicant organisation's staff can present a project idea."), field="organisation"
        )
    idea = Idea(
        programme=programme, organisation=organisation, title=title.strip(), summary=summary.strip(), presented_by=actor
    )
    _clean(idea)
    idea.save()
    events.record(actor=actor, verb="funding.idea.present", target=idea)
    return idea


@transaction.atomic
def advice_add(*, actor: User, idea: Idea, text: str, funder: Funder | None = None) -> Advice:
    _require(permissions.can_advise(actor, idea))
    mine = permissions.funders_of(actor, idea.programme_id, permissions.P.ADVISE)
    if funder is None:
        funder = mine.first()
    elif not mine.filter(pk=funder.pk).exists():
        raise FundingForbidden(_("You cannot give advice for that funder."), field="funder")
    if not (text or "").strip():
        raise FundingError(_("Write the advice."), field="text")
    assert funder is not None
    advice = Advice.objects.create(idea=idea, funder=funder, author=actor, text=text.strip())
    events.record(actor=actor, verb="funding.advice.add", target=advice)
    return advice


@transaction.atomic
def idea_invite(*, actor: User, idea: Idea, call: Call | None, invite: bool = True) -> Idea:
    """Invite the idea to apply in a call, or record that it is not taken forward."""
    _require(permissions.can_invite(actor, idea))
    if invite:
        if call is None or call.programme_id != idea.programme_id:
            raise FundingError(_("Choose a call of the same programme."), field="call")
        idea.status, idea.invited_to = Idea.Status.INVITED, call
    else:
        idea.status, idea.invited_to = Idea.Status.NOT_TAKEN, None
    idea.save(update_fields=["status", "invited_to", "updated_at"])
    events.record(actor=actor, verb="funding.idea.invite", target=idea, data={"invited": invite})
    presenter = idea.presented_by
    if invite and call is not None and presenter is not None:
        url = reverse("funding:idea", args=[idea.pk])
        transaction.on_commit(
            lambda: notify(
                user=presenter,
                kind="funding.invited",
                message=_("Your idea “%(title)s” is invited to apply in the call %(call)s."),
                params={"title": idea.title, "call": call.name},
                url=url,
            )
        )
    return idea


@transaction.atomic
def call_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    year: int,
    funders: Sequence[Funder],
    criteria: Sequence[tuple[str, int]],
    description: str = "",
) -> Call:
    """A call with its funders and weighted criteria; the weights add up to 100 %."""
    _require(permissions.can_manage_programme(actor, programme))
    if closes_at <= opens_at:
        raise FundingError(_("The call must close after it opens."), field="closes_at")
    if not funders or any(f.programme_id != programme.pk for f in funders):
        raise FundingError(_("Choose at least one funder of the programme."), field="funders")
    if not criteria:
        raise FundingError(_("Give the criteria and their weights."), field="criteria")
    if sum(weight for _name, weight in criteria) != 100:
        raise FundingError(_("The weights of the criteria must add up to 100 %."), field="criteria")
    call = Call(
        programme=programme, name=name, opens_at=opens_at, closes_at=closes_at, year=year, description=description
    )
    _clean(call)
    call.save()
    call.funders.set(funders)
    for order, (criterion, weight) in enumerate(criteria):
        Criterion.objects.create(call=call, name=criterion, weight=weight, order=order)
    events.record(actor=actor, verb="funding.call.create", target=call)
    return call


def envelope_remaining(envelope: Envelope) -> Decimal:
    return envelope.cap - envelope.decided
