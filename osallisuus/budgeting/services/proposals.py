"""Writes of proposals: proposing, revising, withdrawing, co-proposing and the staff decision with costing."""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from osallisuus.accounts import selectors as accounts
from osallisuus.core import events, formatting
from osallisuus.core.notifications import notify

from .. import permissions
from ..models import (
    Process,
    Proposal,
    ProposalAuthor,
    ProposalEvent,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
from ._base import IMAGE_MAX_SIDE, BudgetingError, BudgetingForbidden, _lock, _require


# -- proposals -----------------------------------------------------------------------------------------
def clean_image(upload: Any) -> ContentFile:
    """The picture re-encoded as JPEG: at most 1600 px a side, without the camera's data (EXIF can hold
    the place and time a photo was taken)."""
    try:
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise BudgetingError(
            _("The picture could not be opened. Use a JPEG, PNG or WebP image."), field="image"
        ) from exc
    image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg")


def _history(proposal: Proposal, *, kind: str, actor: User, by_staff: bool = False) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        version=proposal.version,
        title=proposal.title,
        for_whom=proposal.for_whom,
        why=proposal.why,
        status=proposal.status,
        cost=proposal.cost,
        provider_label=proposal.provider_label,
        reason=proposal.decision_reason if kind == ProposalEvent.Kind.CHECKED else "",
        by_staff=by_staff,
        changed_by=actor,
    )


def _texts(data: Mapping[str, Any]) -> dict[str, str]:
    texts = {k: str(data.get(k) or "").strip() for k in ("title", "for_whom", "why", "image_alt")}
    labels = {
        "title": _("Write what you would like to do."),
        "for_whom": _("Write who it is for."),
        "why": _("Write why it is important."),
    }
    for key, message in labels.items():
        if not texts[key]:
            raise BudgetingError(message, field=key)
    return texts


@transaction.atomic
def proposal_create(*, actor: User, process: Process, data: Mapping[str, Any], image: Any = None) -> Proposal:
    """A proposal of the actor (who becomes its first proposer) during the proposal phase."""
    process = _lock(process)
    _require(permissions.can_propose(actor, process))
    texts = _texts(data)
    if image is not None and not texts["image_alt"]:
        raise BudgetingError(_("Tell in a few words what the picture shows."), field="image_alt")
    number = (process.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
    proposal = Proposal(process=process, number=number, **texts)
    if image is not None:
        proposal.image = clean_image(image)
    proposal.full_clean(exclude=["image"])
    proposal.save()
    ProposalAuthor.objects.create(proposal=proposal, person=actor)
    _history(proposal, kind=ProposalEvent.Kind.WRITTEN, actor=actor)
    events.record(actor=actor, verb="budgeting.proposal.created", target=proposal, subject=actor)
    return proposal


def _lock_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)


@transaction.atomic
def proposal_revise(
    *, actor: User, proposal: Proposal, data: Mapping[str, Any], image: Any = None, remove_image: bool = False
) -> Proposal:
    """A new version by one of the proposers. The earlier versions stay in the history; a proposal
    that was already checked waits for a new check."""
    proposal = _lock_proposal(proposal)
    _require(permissions.can_revise(actor, proposal))
    texts = _texts(data)
    if image is not None and not texts["image_alt"]:
        raise BudgetingError(_("Tell in a few words what the picture shows."), field="image_alt")
    for key, value in texts.items():
        setattr(proposal, key, value)
    if remove_image:
        proposal.image = ""
        proposal.image_alt = ""
    if image is not None:
        proposal.image = clean_image(image)
    if proposal.image and not proposal.image_alt:
        raise BudgetingError(_("Tell in a few words what the picture shows."), field="image_alt")
    proposal.version += 1
    if proposal.status != Proposal.Status.SUBMITTED:
        proposal.status = Proposal.Status.SUBMITTED
        proposal.cost = None
        proposal.decided_at = None
    proposal.save()
    _history(proposal, kind=ProposalEvent.Kind.REVISED, actor=actor)
    events.record(actor=actor, verb="budgeting.proposal.revised", target=proposal, subject=actor)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _lock_proposal(proposal)
    _require(permissions.can_revise(actor, proposal))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    _history(proposal, kind=ProposalEvent.Kind.WITHDRAWN, actor=actor)
    events.record(actor=actor, verb="budgeting.proposal.withdrawn", target=proposal, subject=actor)
    return proposal


@transaction.atomic
def proposal_join(*, actor: User, proposal: Proposal, token: str) -> ProposalAuthor:
    """Join a proposal as one of its proposers, with the link one of them shared."""
    proposal = _lock_proposal(proposal)
    if not secrets.compare_digest(str(token), proposal.join_token):
        raise BudgetingError(_("This link is not valid. Ask the proposer for a new one."))
    _require(permissions.can_propose(actor, proposal.process))
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise BudgetingError(_("A withdrawn proposal cannot be joined."))
    author, created = ProposalAuthor.objects.get_or_create(proposal=proposal, person=actor)
    if not created:
        raise BudgetingError(_("You are already one of the proposers."))
    events.record(actor=actor, verb="budgeting.proposal.joined", target=proposal, subject=actor)
    return author


@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal: Proposal,
    feasible: bool,
    cost: Decimal | None = None,
    provider: Organisation | None = None,
    provider_name: str = "",
    third_sector: bool = False,
    reason: str = "",
) -> Proposal:
    """The staff's check: feasible with a cost and a possible provider, or not feasible with a reason
    the proposers see. The proposers are told."""
    proposal = _lock_proposal(proposal)
    decision = permissions.can_review(actor, proposal)
    if not decision:
        if not permissions.is_staff_of(actor, proposal.process):
            raise BudgetingForbidden(decision.reason)
        raise BudgetingError(decision.reason)
    reason = (reason or "").strip()
    if feasible:
        if cost is None:
            raise BudgetingError(_("Give the cost."), field="cost")
        if cost <= 0:
            raise BudgetingError(_("The cost must be more than 0 €."), field="cost")
        if cost > proposal.process.budget:
            raise BudgetingError(
                _(
                    "The cost is more than the whole budget (%(budget)s): it could never be carried out. Mark it "
                    "as not feasible with a reason instead."
                )
                % {"budget": formatting.money(proposal.process.budget)},
                field="cost",
            )
        proposal.status = Proposal.Status.FEASIBLE
        proposal.cost = cost
        proposal.provider = provider
        proposal.provider_name = "" if provider is not None else provider_name.strip()
        proposal.third_sector = third_sector
    else:
        if not reason:
            raise BudgetingError(_("Write the reason: the proposers will read it."), field="reason")
        proposal.status = Proposal.Status.NOT_FEASIBLE
        proposal.cost = None
        proposal.provider = None
        proposal.provider_name = ""
        proposal.third_sector = False
    proposal.decision_reason = reason
    proposal.decided_at = timezone.now()
    proposal.full_clean(exclude=["image"])
    proposal.save()
    _history(proposal, kind=ProposalEvent.Kind.CHECKED, actor=actor, by_staff=True)
    events.record(actor=actor, verb="budgeting.proposal.checked", target=proposal, data={"status": proposal.status})
    authors = accounts.users_by_ids(ids=set(proposal.authors.values_list("person_id", flat=True)))
    message = (
        gettext_lazy(
            "Your proposal “%(title)s” was checked: it can be carried out. It costs %(cost)s and will be on the ballot."
        )
        if feasible
        else gettext_lazy("Your proposal “%(title)s” was checked: it cannot be carried out. The reason: %(reason)s")
    )
    for person in authors.values():
        notify(
            user=person,
            kind="budgeting.proposal_checked",
            subject=gettext_lazy("Your proposal was checked"),
            message=message,
            params={"title": proposal.title, "cost": lambda: formatting.money(proposal.cost), "reason": reason},
            url=reverse("budgeting:proposal", args=[proposal.pk]),
        )
    return proposal
