"""What the services of the module share: who the coordinators are, locking an agreement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.selectors import members_with_permission

from ..errors import ExpertsForbidden
from ..models import Agreement
from ..permissions import P, agreements_visible_to

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def coordinators_of(organisation_id: int) -> list[User]:
    """The people who broker the organisation's experts now (by permission, never by role)."""
    return list(members_with_permission(organisation=organisation_id, permission=P.BROKER))


def lock_agreement(actor: User, agreement: Agreement) -> Agreement:
    """The agreement's row locked for the change, with what the rules read."""
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("request", "expert__user", "request__created_by", "request__partner_worker")
        .get(pk=agreement.pk)
    )
    if not agreements_visible_to(actor).filter(pk=locked.pk).exists():
        raise ExpertsForbidden(_("You cannot change this agreement."))
    return locked
