"""Reads of the identity module: which provider serves whom, login rules, invitations, landing."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osallisuus.accounts import selectors as accounts_selectors
from osallisuus.accounts.permissions import P
from osallisuus.activation import permissions as activation_permissions

from .assurance import Assurance
from .models import Invitation, LoginRule, PendingLink, ProviderLink
from .providers import Provider, provider_get, providers

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from osallisuus.accounts.models import Organisation, User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _matches(provider: Provider, organisation: Organisation) -> bool:
    return organisation.name in provider.organisations or (
        bool(organisation.business_id) and organisation.business_id in provider.organisations
    )


def provider_serves(*, provider: Provider, user: User) -> bool:
    """Does the provider serve one of the organisations the person is a member of now?"""
    if provider.serves_everyone:
        return True
    return any(_matches(provider, m.organisation) for m in accounts_selectors.memberships_of(user=user))


def provider_organisations(*, provider: Provider) -> QuerySet[Organisation]:
    """The active organisations the provider serves (all of them for ``*``)."""
    organisations = accounts_selectors.organisations_all()
    if provider.serves_everyone:
        return organisations
    names = list(provider.organisations)
    return organisations.filter(Q(name__in=names) | Q(business_id__in=names))


def administrators_for(*, provider: Provider) -> QuerySet[User]:
    """Who confirms first logins with the provider: the administrators of its organisations."""
    ids = set(provider_organisations(provider=provider).values_list("pk", flat=True))
    return accounts_selectors.members_with_permission_in(organisation_ids=ids, permission=P.ORGANISATIONS_MANAGE)


def password_login_refusal(user: User) -> str | _StrPromise | None:
    """Why the person may not log in with a password: they hold a staff role in an organisation
    whose administrator turned password login off for staff. Superusers keep the password (and
    the one-time code) so the service can be reached when a provider is down."""
    if user.is_superuser:
        return None
    staff_orgs = {
        m.organisation
        for m in accounts_selectors.memberships_of(user=user)
        if any(role.is_staff_role for role in m.roles.all())
    }
    if not staff_orgs:
        return None
    closed = set(
        LoginRule.objects.filter(organisation__in=staff_orgs, staff_password_login=False).values_list(
            "organisation_id", flat=True
        )
    )
    if not closed:
        return None
    labels = [p.label() for p in providers().values() if any(_matches(p, o) for o in staff_orgs if o.pk in closed)]
    if labels:
        return ngettext(
            "Staff of your organisation log in with “%(labels)s” above, not with a password.",
            "Staff of your organisation log in with one of these above, not with a password: %(labels)s.",
            len(labels),
        ) % {"labels": ", ".join(labels)}
    return _(
        "Staff of your organisation log in with the organisation's own login, not with a password. "
        "Contact the administrator of your organisation."
    )


def invitation_usable(*, token: str | None = None, pk: object = None) -> Invitation | None:
    """An invitation that still works: not used, not expired, its provider still configured."""
    if token:
        qs = Invitation.objects.filter(token_hash=token_hash(token))
    elif pk:
        qs = Invitation.objects.filter(pk=str(pk))
    else:
        return None
    invitation = qs.filter(used_at__isnull=True, expires_at__gt=timezone.now()).select_related("user").first()
    if invitation is None or provider_get(invitation.provider) is None or not invitation.user.is_active:
        return None
    return invitation


def link_for(*, issuer: str, subject: str) -> ProviderLink | None:
    return ProviderLink.objects.filter(issuer=issuer, subject=subject).select_related("user").first()


def links_of(*, user: User) -> QuerySet[ProviderLink]:
    return ProviderLink.objects.filter(user=user).order_by("provider")


def pending_count() -> int:
    return PendingLink.objects.count()


def landing_for(*, user: User, assurance: Assurance) -> str:
    """Where a provider login goes when no page was asked for: a participant who identified
    herself strongly goes straight to her plan; everyone else to the front page."""
    if assurance.strong and activation_permissions.can_have_plan(user):
        return reverse("activation:my_plan")
    return reverse("core:home")
