"""Writes of the identity module: from a verified provider login to an account, the sessions it
starts and ends, invitation links, administrators' confirmations and login rules.

The rules:

* a login is matched by the provider's stable subject identifier (issuer + ``sub``), never by e-mail;
* a subject is linked to an account only through a verified path: the person's invitation link,
  or an administrator's confirmation of a login that waits (``PendingLink``);
* the account must be active and a member of an organisation the provider serves;
* name and e-mail come from the claims (an e-mail only when the provider says it verified it);
  nothing else of the claims is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osallisuus.accounts import selectors as accounts_selectors
from osallisuus.accounts import services as accounts_services
from osallisuus.core import events, mail
from osallisuus.core.errors import Forbidden
from osallisuus.core.notifications import notify

from . import selectors
from .errors import IdentityError
from .models import Invitation, LoginRule, LoginSession, PendingLink, ProviderLink
from .oidc import VerifiedLogin
from .providers import Provider, provider_get

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

logger = logging.getLogger("osallisuus.identity")


class LoginRefused(IdentityError):
    """A verified login that does not lead to an account; ``code`` names the page's text."""


@dataclass(frozen=True)
class Resolved:
    user: User
    link: ProviderLink


@dataclass(frozen=True)
class Pending:
    pending: PendingLink


# -- from a login to an account ------------------------------------------------------------------
def login_resolve(*, provider: Provider, login: VerifiedLogin, invitation_id: int | None = None) -> Resolved | Pending:
    """The account a verified login belongs to, or a login that waits for an administrator."""
    try:
        return _login_resolve(provider=provider, login=login, invitation_id=invitation_id)
    except _Unknown:
        return Pending(pending=pending_link_record(provider=provider, login=login))


class _Unknown(Exception):
    pass


@transaction.atomic
def _login_resolve(*, provider: Provider, login: VerifiedLogin, invitation_id: int | None) -> Resolved:
    link = ProviderLink.objects.select_for_update().filter(issuer=login.issuer, subject=login.subject).first()
    invitation = None
    if invitation_id is not None:
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None or selectors.invitation_usable(pk=invitation.pk) is None:
            raise LoginRefused(_("The invitation link has expired."), code="invitation_invalid")
        if invitation.provider != provider.key:
            raise LoginRefused(_("The invitation link is for another login service."), code="invitation_invalid")
    if link is not None:
        if invitation is not None and invitation.user_id != link.user_id:
            raise LoginRefused(_("This login is connected to another account."), code="linked_elsewhere")
    elif invitation is not None:
        if ProviderLink.objects.filter(user_id=invitation.user_id, issuer=login.issuer).exists():
            raise LoginRefused(_("The account is connected to another login here."), code="already_linked")
        link = _link_create(
            user=invitation.user, provider=provider, subject=login.subject, made_by=ProviderLink.MadeBy.INVITATION
        )
        events.record(
            actor=invitation.user,
            verb="identity.link.created",
            target=link,
            subject=invitation.user,
            data={"provider": provider.key, "through": "invitation"},
        )
    else:
        raise _Unknown
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        PendingLink.objects.filter(issuer=login.issuer, subject=login.subject).delete()
    user = link.user
    if not user.is_active:
        raise LoginRefused(_("The account is not in use."), code="inactive")
    if not selectors.provider_serves(provider=provider, user=user):
        raise LoginRefused(_("The login service does not serve the account's organisation."), code="not_served")
    accounts_services.user_details_update(
        user=user,
        full_name=login.name or None,
        email=login.email if (login.email and login.email_verified) else None,
        actor=user,
    )
    link.last_login_at = timezone.now()
    link.name = provider.label(settings.LANGUAGE_CODE)[:64]
    link.save(update_fields=["last_login_at", "name"])
    return Resolved(user=user, link=link)


def _link_create(*, user: User, provider: Provider, subject: str, made_by: str) -> ProviderLink:
    link = ProviderLink(
        user=user,
        name=provider.label(settings.LANGUAGE_CODE)[:64],
        confirmed=True,
        provider=provider.key,
        issuer=provider.issuer,
        subject=subject,
        made_by=made_by,
    )
    # The two unique constraints are checked by the database, so two logins at the same moment
    # cannot both make a link.
    link.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise LoginRefused(_("This login is connected to another account."), code="linked_elsewhere") from None
    return link


@transaction.atomic
def pending_link_record(*, provider: Provider, login: VerifiedLogin) -> PendingLink:
    """Keep a first login whose subject is unknown, for an administrator to confirm. The
    administrators of the provider's organisations are told once, when it first arrives."""
    pending, created = PendingLink.objects.select_for_update().get_or_create(
        issuer=login.issuer, subject=login.subject, defaults={"provider": provider.key}
    )
    pending.provider = provider.key
    pending.claimed_name = login.name
    pending.claimed_email = login.email
    pending.email_verified = login.email_verified
    pending.last_seen_at = timezone.now()
    if not created:
        pending.attempts += 1
    if pending.account_id is None and login.email and login.email_verified:
        # Only a suggestion for the administrator, who confirms it or chooses another account.
        suggested = accounts_selectors.user_by_email(email=login.email)
        if suggested is not None and suggested.is_active:
            pending.account = suggested
    pending.full_clean()
    pending.save()
    if created:
        url = reverse("admin:identity_pendinglink_change", args=[pending.pk])
        for administrator in selectors.administrators_for(provider=provider):
            notify(
                user=administrator,
                kind="identity.link_requested",
                subject=_("A login waits for your confirmation"),
                message=_(
                    "Someone logged in with “%(provider)s” for the first time. Check which account is theirs "
                    "and confirm it in the admin site."
                ),
                params={"provider": provider.label(administrator.preferred_language)},
                url=url,
            )
    return pending


@transaction.atomic
def pending_link_confirm(*, pending: PendingLink, account: User | None, actor: User) -> ProviderLink:
    """An administrator confirms that a waiting login belongs to ``account``: the link is made
    and the person is told."""
    if not actor.permissions.is_administrator:
        raise Forbidden(_("Only an administrator may confirm a login."))
    pending = PendingLink.objects.select_for_update().get(pk=pending.pk)
    provider = provider_get(pending.provider)
    if provider is None or provider.issuer != pending.issuer:
        raise IdentityError(_("This login service is no longer in use here."), code="provider_gone")
    if account is None:
        raise IdentityError(_("Choose the account this login belongs to."), field="account", code="no_account")
    if not account.is_active:
        raise IdentityError(_("The account is not in use."), field="account", code="inactive")
    if ProviderLink.objects.filter(user=account, issuer=pending.issuer).exists():
        raise IdentityError(
            _("The account is already connected to another login at this service. Remove that one first."),
            field="account",
            code="already_linked",
        )
    if not selectors.provider_serves(provider=provider, user=account):
        raise IdentityError(
            _("This login service does not serve the organisations the account is a member of."),
            field="account",
            code="not_served",
        )
    link = _link_create(
        user=account, provider=provider, subject=pending.subject, made_by=ProviderLink.MadeBy.ADMINISTRATOR
    )
    pending.delete()
    events.record(
        actor=actor,
        verb="identity.link.confirmed",
        target=link,
        subject=account,
        data={"provider": provider.key, "through": "administrator"},
    )
    notify(
        user=account,
        kind="identity.linked",
        subject=_("You can now log in with %(provider)s"),
        message=_("Your login with “%(provider)s” is now connected to your account. Next time, log in with it."),
        params={"provider": provider.label(account.preferred_language)},
        url=reverse("accounts:login"),
    )
    return link


@transaction.atomic
def pending_link_refuse(*, pending: PendingLink, actor: User) -> None:
    """An administrator refuses a waiting login (it is not anyone's here): it is removed."""
    if not actor.permissions.is_administrator:
        raise Forbidden(_("Only an administrator may refuse a login."))
    events.record(actor=actor, verb="identity.pending.refused", target=pending, subject=pending.account, data={})
    pending.delete()


@transaction.atomic
def link_remove(*, link: ProviderLink, actor: User) -> None:
    """Disconnect a login from an account (e.g. the person has a new one); its sessions end."""
    if not actor.permissions.is_administrator:
        raise Forbidden(_("Only an administrator may remove a connected login."))
    _sessions_end(LoginSession.objects.filter(link=link, ended_at__isnull=True), LoginSession.EndReason.LOGOUT)
    events.record(
        actor=actor, verb="identity.link.removed", target=link, subject=link.user, data={"provider": link.provider}
    )
    link.delete()


# -- invitations ---------------------------------------------------------------------------------
def invitation_days() -> int:
    return max(1, int(getattr(settings, "IDENTITY_INVITATION_DAYS", 7)))


@transaction.atomic
def invitation_send(*, user: User, provider_key: str, actor: User) -> Invitation:
    """E-mail the person a link that connects their login at the provider to their account.
    Earlier unused links of the same person and provider stop working."""
    if not actor.permissions.is_administrator:
        raise Forbidden(_("Only an administrator may send an invitation."))
    provider = provider_get(provider_key)
    if provider is None:
        raise IdentityError(_("Choose a login service that is in use."), field="provider", code="no_provider")
    if not user.is_active:
        raise IdentityError(_("The account is not in use."), field="user", code="inactive")
    if not user.email:
        raise IdentityError(_("The person has no e-mail address."), field="user", code="no_email")
    if ProviderLink.objects.filter(user=user, issuer=provider.issuer).exists():
        raise IdentityError(_("The person already logs in with this service."), field="user", code="already_linked")
    if not selectors.provider_serves(provider=provider, user=user):
        raise IdentityError(
            _("This login service does not serve the organisations the person is a member of."),
            field="provider",
            code="not_served",
        )
    now = timezone.now()
    Invitation.objects.filter(user=user, provider=provider.key, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        user=user,
        provider=provider.key,
        token_hash=selectors.token_hash(token),
        created_by=actor,
        expires_at=now + dt.timedelta(days=invitation_days()),
    )
    invitation.full_clean()
    invitation.save()
    events.record(
        actor=actor, verb="identity.invitation.sent", target=invitation, subject=user, data={"provider": provider.key}
    )
    url = mail.absolute_url(reverse("identity:invitation_open", kwargs={"token": token}))
    transaction.on_commit(lambda: _invitation_mail(user=user, provider=provider, url=url))
    return invitation


def _invitation_mail(*, user: User, provider: Provider, url: str) -> None:
    """The invitation in the person's language (the link is in this e-mail only)."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        label = provider.label(user.preferred_language)
        days = invitation_days()
        paragraphs = [
            _("You can now log in to Osallisuus with “%(provider)s”.") % {"provider": label},
            ngettext(
                "Open the link below and log in there. That connects the login to your account. "
                "The link works once, for %(days)d day.",
                "Open the link below and log in there. That connects the login to your account. "
                "The link works once, for %(days)d days.",
                days,
            )
            % {"days": days},
            str(_("If you did not expect this message, you can ignore it. Nothing changes.")),
        ]
        subject = _("Log in to Osallisuus with %(provider)s") % {"provider": label}
        link_label = str(_("Connect my login"))
    context = {"paragraphs": paragraphs, "message": "\n\n".join(paragraphs), "link": url, "link_label": link_label}
    mail.send(to=user, subject=subject, template="core/email/notice", context=context)


# -- sessions ------------------------------------------------------------------------------------
def login_session_start(*, link: ProviderLink, session_key: str, login: VerifiedLogin) -> LoginSession:
    """Record the session a provider login started, with its level of assurance."""
    record = LoginSession(
        link=link,
        session_key=session_key,
        sid=login.sid,
        acr=login.assurance.acr,
        amr=list(login.assurance.amr),
        multi_factor=login.assurance.multi_factor,
        strong=login.assurance.strong,
    )
    record.full_clean()
    record.save()
    return record


def login_session_end(*, session_key: str, reason: str = LoginSession.EndReason.LOGOUT) -> int:
    return LoginSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )


def sessions_end_from_provider(*, provider: Provider, subject: str = "", sid: str = "") -> int:
    """Back-channel logout: end the sessions the provider names (its session ``sid``, or every
    session of the subject). Returns how many ended."""
    records = LoginSession.objects.filter(link__issuer=provider.issuer, ended_at__isnull=True)
    if sid:
        records = records.filter(sid=sid)
    if subject:
        records = records.filter(link__subject=subject)
    if not (sid or subject):
        return 0
    return _sessions_end(records, LoginSession.EndReason.PROVIDER)


def _sessions_end(records: QuerySet[LoginSession], reason: str) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for record in list(records):
        store(session_key=record.session_key).delete()
        record.ended_at = timezone.now()
        record.end_reason = reason
        record.save(update_fields=["ended_at", "end_reason"])
        ended += 1
    return ended


# -- login rules ---------------------------------------------------------------------------------
@transaction.atomic
def login_rule_save(*, rule: LoginRule, actor: User) -> LoginRule:
    if not actor.permissions.is_administrator:
        raise Forbidden(_("Only an administrator may change how staff log in."))
    rule.full_clean()
    rule.save()
    events.record(
        actor=actor,
        verb="identity.login_rule.changed",
        target=rule,
        data={"staff_password_login": rule.staff_password_login},
    )
    return rule


# -- retention -----------------------------------------------------------------------------------
def cleanup(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove what is no longer needed: waiting logins after ``IDENTITY_PENDING_DAYS``,
    invitations 30 days after use or expiry, session records after ``IDENTITY_SESSION_RECORD_DAYS``
    from their end (a session that expired here is marked ended first)."""
    now = now or timezone.now()
    pending_days = int(getattr(settings, "IDENTITY_PENDING_DAYS", 30))
    record_days = int(getattr(settings, "IDENTITY_SESSION_RECORD_DAYS", 90))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    expired = 0
    day_ago = now - dt.timedelta(days=1)
    for record in LoginSession.objects.filter(ended_at__isnull=True, started_at__lt=day_ago).iterator():
        if not store().exists(record.session_key):
            record.ended_at, record.end_reason = now, LoginSession.EndReason.EXPIRED
            record.save(update_fields=["ended_at", "end_reason"])
            expired += 1
    removed_pending, _n = PendingLink.objects.filter(last_seen_at__lt=now - dt.timedelta(days=pending_days)).delete()
    old = now - dt.timedelta(days=30)
    removed_invitations, _n = Invitation.objects.filter(expires_at__lt=old).delete()
    used, _n = Invitation.objects.filter(used_at__lt=old).delete()
    removed_sessions, _n = LoginSession.objects.filter(ended_at__lt=now - dt.timedelta(days=record_days)).delete()
    return {
        "sessions_expired": expired,
        "pending_removed": removed_pending,
        "invitations_removed": removed_invitations + used,
        "sessions_removed": removed_sessions,
    }
