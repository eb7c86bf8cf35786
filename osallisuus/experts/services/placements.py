"""The placement relationship: while a task is agreed, its professional partner (lähityöntekijä)
works beside the expert, and the foundation's person page shows the partner what the expert
shares (``permissions.placement_partner_fields``). The agreement makes the relationship and
ends it (done, no-show, cancelled, or another partner named)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osallisuus.accounts import services as accounts_services

from ..permissions import PLACEMENT_PARTNER, agreement_source_ref

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

    from ..models import Agreement


def placement_start(*, agreement: Agreement, actor: User | None = None) -> None:
    """The request's professional partner and the agreement's expert, in the ordering organisation."""
    request = agreement.request
    partner = request.partner_worker
    if partner is None or partner.pk == agreement.expert.user_id:
        return
    accounts_services.relationship_start(
        worker=partner,
        person=agreement.expert.user,
        organisation=request.organisation,
        kind=PLACEMENT_PARTNER,
        source_ref=agreement_source_ref(agreement),
        actor=actor,
    )


def placement_end(*, agreement: Agreement, actor: User | None = None) -> int:
    """End the relationships the agreement made (from today: the person page is closed at once)."""
    return accounts_services.relationships_end_for_source(source_ref=agreement_source_ref(agreement), actor=actor)
