"""``user.permissions``: what a user may do, read like a sentence.

Roles map to permissions as data (``Role.permissions``); a user holds roles through
memberships in organisations, so every permission is held *in an organisation*.
Two kinds of question are answered:

* "may this user do X to this object?"  ``user.permissions.can_view_person(aino)``
* "which objects may this user see?"     ``user.permissions.people_visible()``

A refusal can carry a reason the page shows (``Decision``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from .models import User


class P:
    """Permission codes seeded by migration ``0002_roles_and_permissions``."""

    PEOPLE_VIEW_ORGANISATION = "people.view_organisation"
    PEOPLE_VIEW_CLIENTS = "people.view_clients"
    ACCESSLOG_SEARCH = "accesslog.search"
    ORGANISATIONS_MANAGE = "organisations.manage"
    FEEDBACK_HANDLE = "feedback.handle"
    PRIVACY_HANDLE_REQUESTS = "privacy.handle_requests"
    REPORTS_VIEW_AGGREGATES = "reports.view_aggregates"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | _StrPromise = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


class UserPermissions:
    def __init__(self, user: User) -> None:
        self.user = user
        self._loaded = False
        self._perm_orgs: dict[str, set[int]] = defaultdict(set)
        self._role_orgs: dict[str, set[int]] = defaultdict(set)
        self._needs_second_factor = False

    # -- loading ---------------------------------------------------------------------
    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.user.is_authenticated or not self.user.is_active:
            return
        from .models import Membership

        rows = (
            Membership.objects.current()
            .filter(user=self.user)
            .values_list("organisation_id", "roles__code", "roles__requires_second_factor", "roles__permissions__code")
        )
        for org_id, role_code, second_factor, perm_code in rows:
            if role_code:
                self._role_orgs[role_code].add(org_id)
                self._needs_second_factor = self._needs_second_factor or bool(second_factor)
            if perm_code:
                self._perm_orgs[perm_code].add(org_id)

    def reset(self) -> None:
        self._loaded = False
        self._perm_orgs.clear()
        self._role_orgs.clear()
        self._needs_second_factor = False

    # -- roles and permissions -------------------------------------------------------
    @property
    def role_codes(self) -> set[str]:
        self._load()
        return set(self._role_orgs)

    def has_role(self, code: str, *, organisation_id: int | None = None) -> bool:
        self._load()
        orgs = self._role_orgs.get(code, set())
        return bool(orgs) if organisation_id is None else organisation_id in orgs

    def has(self, perm: str, *, organisation_id: int | None = None) -> bool:
        self._load()
        orgs = self._perm_orgs.get(perm, set())
        return bool(orgs) if organisation_id is None else organisation_id in orgs

    def organisations_with(self, perm: str) -> set[int]:
        self._load()
        return set(self._perm_orgs.get(perm, set()))

    def organisations_with_role(self, code: str) -> set[int]:
        self._load()
        return set(self._role_orgs.get(code, set()))

    @property
    def requires_second_factor(self) -> bool:
        """Staff roles that see personal data need a verified TOTP device."""
        self._load()
        return self._needs_second_factor or bool(self.user.is_superuser)

    @property
    def is_administrator(self) -> bool:
        return self.has_role("administrator") or bool(self.user.is_superuser)

    # -- people --------------------------------------------------------------------
    def people_visible(self) -> QuerySet[User]:
        """People whose personal data this user may see: themself, the members of the
        organisations where they hold ``people.view_organisation``, and the people they
        have a current working relationship with where they hold ``people.view_clients``."""
        from .models import Membership, Relationship, User

        self._load()
        condition = Q(pk=self.user.pk)
        org_ids = self.organisations_with(P.PEOPLE_VIEW_ORGANISATION)
        if org_ids:
            member_ids = Membership.objects.current().filter(organisation_id__in=org_ids).values("user_id")
            condition |= Q(pk__in=member_ids)
        client_orgs = self.organisations_with(P.PEOPLE_VIEW_CLIENTS)
        if client_orgs:
            client_ids = (
                Relationship.objects.current()
                .filter(worker=self.user, organisation_id__in=client_orgs)
                .values("person_id")
            )
            condition |= Q(pk__in=client_ids)
        return User.objects.filter(condition, is_active=True)

    def can_view_person(self, person: User) -> Decision:
        if person.pk == self.user.pk:
            return ALLOW
        if self.people_visible().filter(pk=person.pk).exists():
            return ALLOW
        return Decision(False, _("You have no working relationship with this person."))

    def can_search_access_log(self) -> Decision:
        if self.has(P.ACCESSLOG_SEARCH) or self.user.is_superuser:
            return ALLOW
        return Decision(False, _("Only administrators can search the access log."))

    def can_handle_privacy_requests(self) -> Decision:
        if self.has(P.PRIVACY_HANDLE_REQUESTS) or self.user.is_superuser:
            return ALLOW
        return Decision(False, _("Only administrators handle data-subject requests."))

    def can_handle_feedback(self) -> Decision:
        if self.has(P.FEEDBACK_HANDLE) or self.user.is_superuser:
            return ALLOW
        return Decision(False, _("Only administrators read feedback."))
