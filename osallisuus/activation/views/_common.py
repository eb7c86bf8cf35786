"""What the activation pages share: the way back to a plan and the choice of organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from osallisuus.accounts import selectors as accounts
from osallisuus.core.errors import Refusal, refusal_to_form

from ..forms import OrganisationChoiceForm

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
    from osallisuus.accounts.permissions import Decision

    from ..models import Plan


def require(decision: Decision) -> None:
    """A page for some people only: the others get 403 with the predicate's reason."""
    if not decision:
        raise PermissionDenied(str(decision.reason))


def plan_url(user: User, plan: Plan) -> str:
    """The participant's own plan is "My plan"; everyone else opens it by its number."""
    if plan.participant_id == user.pk:
        return reverse("activation:my_plan")
    return reverse("activation:plan", kwargs={"pk": plan.pk})


@dataclass
class OrganisationChoice:
    """The organisation a person acts for on a page (``accounts.selectors.acting_organisation``).

    ``organisation`` is ``None`` until it is known; ``form`` is the choice to show when several
    fit (with the refusal beside it when the choice was not one of them)."""

    organisation: Organisation | None
    form: OrganisationChoiceForm | None
    refused: bool


def choose_organisation(*, user: User, permission: str, chosen: Any, label: Any) -> OrganisationChoice:
    options = list(accounts.organisations_acting_for(user=user, permission=permission))
    form = None
    if len(options) > 1:
        data = {"organisation": chosen} if chosen not in (None, "") else None
        form = OrganisationChoiceForm(data, organisations=options, label=label)
    try:
        organisation = accounts.acting_organisation(user=user, permission=permission, chosen=chosen)
    except Refusal as refusal:
        refused = chosen not in (None, "")
        if form is not None and refused:
            form.is_valid()
            refusal_to_form(form, refusal)
        return OrganisationChoice(None, form, refused)
    return OrganisationChoice(organisation, form, False)
