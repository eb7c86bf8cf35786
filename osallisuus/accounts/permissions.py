"""``user.permissions``: what a user may do, read like a sentence.

Roles map to permissions as data (``Role.permissions``); a user holds roles through
memberships in organisations, so every permission is held *in an organisation*.
Two kinds of question are answered:

* "may this user do X to this object?"  ``can_view_person(user, aino) -> Decision``
* "which objects may this user see?"     ``people_visible_to(user)``

Modules ask with permission codes (``has``, ``organisations_with``), never with role codes.
A refusal carries a reason the page shows (``Decision``).

What a person holds is read once per request and kept in the cache across requests
(``PERMISSIONS_CACHE_SECONDS``); any change to a membership, a role or an organisation
invalidates it at once (``invalidate_user`` / ``invalidate_all``), so a revoked right never
outlives the change. When the cache is down, the database answers.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Membership, Relationship, User
from .permission_cache import _generation, _user_key, invalidate_user

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

logger = logging.getLogger(__name__)


class P:
    """Permission codes seeded by migration ``0002_roles_and_permissions``."""

    PEOPLE_VIEW_ORGANISATION = "people.view_organisation"
    PEOPLE_VIEW_CLIENTS = "people.view_clients"
    PEOPLE_VIEW_WORK_PARTNERS = "people.view_work_partners"
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


# -- the cache of what a person holds: accounts/permission_cache.py -----------------------------
@dataclass
class _Held:
    perm_orgs: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    role_orgs: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    second_factor: bool = False

    def dump(self) -> dict[str, Any]:
        return {
            "p": {k: sorted(v) for k, v in self.perm_orgs.items()},
            "r": {k: sorted(v) for k, v in self.role_orgs.items()},
            "s": self.second_factor,
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> _Held:
        held = cls()
        for k, v in data["p"].items():
            held.perm_orgs[k] = set(v)
        for k, v in data["r"].items():
            held.role_orgs[k] = set(v)
        held.second_factor = bool(data["s"])
        return held


def _held_from_database(user: User) -> _Held:
    held = _Held()
    rows = (
        Membership.objects.current()
        .filter(user=user)
        .values_list("organisation_id", "roles__code", "roles__requires_second_factor", "roles__permissions__code")
    )
    for org_id, role_code, second_factor, perm_code in rows:
        if role_code:
            held.role_orgs[role_code].add(org_id)
            held.second_factor = held.second_factor or bool(second_factor)
        if perm_code:
            held.perm_orgs[perm_code].add(org_id)
    return held


def _held(user: User) -> _Held:
    if not user.is_authenticated or not user.is_active:
        return _Held()
    seconds = int(getattr(settings, "PERMISSIONS_CACHE_SECONDS", 300))
    generation = _generation() if seconds > 0 else 0
    key = _user_key(user.pk, generation)
    if generation:
        try:
            cached = cache.get(key)
        except Exception:
            logger.warning("permissions cache unavailable", exc_info=True)
            cached = None
        if cached is not None:
            return _Held.load(cached)
    held = _held_from_database(user)
    if generation:
        try:
            cache.set(key, held.dump(), seconds)
        except Exception:
            logger.warning("permissions cache unavailable", exc_info=True)
    return held


class UserPermissions:
    def __init__(self, user: User) -> None:
        self.user = user
        self._loaded: _Held | None = None

    def _load(self) -> _Held:
        if self._loaded is None:
            self._loaded = _held(self.user)
        return self._loaded

    def reset(self) -> None:
        self._loaded = None
        if self.user.pk:
            invalidate_user(self.user.pk)

    # -- permissions -----------------------------------------------------------------------
    def has(self, perm: str, *, organisation_id: int | None = None) -> bool:
        orgs = self._load().perm_orgs.get(perm, set())
        return bool(orgs) if organisation_id is None else organisation_id in orgs

    def organisations_with(self, perm: str) -> set[int]:
        return set(self._load().perm_orgs.get(perm, set()))

    # -- roles: for the front page's sections and the menu only, never for a rule -----------
    @property
    def role_codes(self) -> set[str]:
        return set(self._load().role_orgs)

    def has_role(self, code: str, *, organisation_id: int | None = None) -> bool:
        orgs = self._load().role_orgs.get(code, set())
        return bool(orgs) if organisation_id is None else organisation_id in orgs

    @property
    def requires_second_factor(self) -> bool:
        """Staff roles that see personal data need a verified TOTP device."""
        return self._load().second_factor or bool(self.user.is_superuser)

    @property
    def is_administrator(self) -> bool:
        return self.has(P.ORGANISATIONS_MANAGE) or bool(self.user.is_superuser)

    # -- people ----------------------------------------------------------------------------
    def people_visible(self) -> QuerySet[User]:
        return people_visible_to(self.user)

    def can_view_person(self, person: User) -> Decision:
        return can_view_person(self.user, person)

    def can_search_access_log(self) -> Decision:
        return can_search_access_log(self.user)

    def can_handle_privacy_requests(self) -> Decision:
        return can_handle_privacy_requests(self.user)

    def can_handle_feedback(self) -> Decision:
        return can_handle_feedback(self.user)


# -- what a working relationship shows of the person ---------------------------------------------
# The person page's fields, each shown only where the viewer's reason to see the person allows it.
PERSON_FIELDS = ("name", "email", "phone", "municipality", "memberships")
ORGANISATION_FIELDS = frozenset(PERSON_FIELDS)
"""What ``people.view_organisation`` shows: the person as a member of the viewer's organisations
(their memberships elsewhere are not shown)."""

RelationshipPolicy = Callable[[User, User, Relationship], frozenset[str]]

_CLIENT_FIELDS = frozenset(PERSON_FIELDS)
_RELATIONSHIP_POLICIES: dict[str, RelationshipPolicy] = {
    Relationship.Kind.OWN_WORKER: lambda viewer, person, rel: _CLIENT_FIELDS,
    # Work beside an expert on an agreed task: the name only, unless the module that made the
    # relationship says the person shares more (experts registers its consent rule).
    Relationship.Kind.PLACEMENT_PARTNER: lambda viewer, person, rel: frozenset({"name"}),
}


def register_relationship_policy(kind: str, policy: RelationshipPolicy) -> None:
    """A module that creates relationships of ``kind`` says what they show of the person
    (e.g. the expert's consent to share contact details), from its ``AppConfig.ready``."""
    _RELATIONSHIP_POLICIES[kind] = policy


@dataclass(frozen=True)
class PersonView:
    """What one viewer may see of one person, and why."""

    fields: frozenset[str]
    organisation_ids: frozenset[int]
    """The organisations whose memberships of the person are shown."""
    relationship_kinds: frozenset[str]

    def shows(self, name: str) -> bool:
        return name in self.fields

    # For templates, which show a decision and never compute one.
    @property
    def shows_email(self) -> bool:
        return "email" in self.fields

    @property
    def shows_phone(self) -> bool:
        return "phone" in self.fields

    @property
    def shows_municipality(self) -> bool:
        return "municipality" in self.fields

    @property
    def shows_memberships(self) -> bool:
        return "memberships" in self.fields


def person_view(viewer: User, person: User) -> PersonView:
    """The fields of the person page this viewer may see: the union of what each of their
    reasons (the organisation they both belong to, each current working relationship) allows."""
    if viewer.pk == person.pk:
        return PersonView(frozenset(PERSON_FIELDS), frozenset(), frozenset())
    fields: set[str] = set()
    orgs: set[int] = set()
    kinds: set[str] = set()
    perms = viewer.permissions
    shared = perms.organisations_with(P.PEOPLE_VIEW_ORGANISATION) & set(
        Membership.objects.current().filter(user=person).values_list("organisation_id", flat=True)
    )
    if shared:
        fields |= ORGANISATION_FIELDS
        orgs |= shared
    if _relationship_condition(viewer) is not None:
        for rel in relationships_usable_by(viewer).filter(person=person):
            policy = _RELATIONSHIP_POLICIES.get(rel.kind)
            allowed = policy(viewer, person, rel) if policy else frozenset()
            if allowed:
                kinds.add(rel.kind)
                fields |= allowed
                if "memberships" in allowed:
                    orgs.add(rel.organisation_id)
    return PersonView(frozenset(fields), frozenset(orgs), frozenset(kinds))


# -- predicates ------------------------------------------------------------------------------
# Which permission lets a worker use a relationship of each kind (in its organisation).
RELATIONSHIP_PERMISSIONS = {
    Relationship.Kind.OWN_WORKER: P.PEOPLE_VIEW_CLIENTS,
    Relationship.Kind.PLACEMENT_PARTNER: P.PEOPLE_VIEW_WORK_PARTNERS,
}


def _relationship_condition(user: User) -> Q | None:
    condition: Q | None = None
    for kind, perm in RELATIONSHIP_PERMISSIONS.items():
        orgs = user.permissions.organisations_with(perm)
        if orgs:
            part = Q(kind=kind, organisation_id__in=orgs)
            condition = part if condition is None else condition | part
    return condition


def relationships_usable_by(user: User) -> QuerySet[Relationship]:
    """The user's current working relationships that their roles let them use."""
    condition = _relationship_condition(user)
    if condition is None:
        return Relationship.objects.none()
    return Relationship.objects.current().filter(condition, worker=user)


def people_visible_to(user: User) -> QuerySet[User]:
    """People whose page this user may open: themself, the members of the organisations where
    they hold ``people.view_organisation``, and the people of their current working
    relationships (each kind with its own permission). What the page shows of each person is
    ``person_view``."""
    condition = Q(pk=user.pk)
    org_ids = user.permissions.organisations_with(P.PEOPLE_VIEW_ORGANISATION)
    if org_ids:
        member_ids = Membership.objects.current().filter(organisation_id__in=org_ids).values("user_id")
        condition |= Q(pk__in=member_ids)
    if _relationship_condition(user) is not None:
        condition |= Q(pk__in=relationships_usable_by(user).values("person_id"))
    return User.objects.filter(condition, is_active=True)


def clients_visible_to(user: User) -> QuerySet[User]:
    """ "My clients": the people the user is the own worker of (not the experts they work beside)."""
    client_orgs = user.permissions.organisations_with(P.PEOPLE_VIEW_CLIENTS)
    ids = (
        Relationship.objects.current()
        .filter(worker=user, organisation_id__in=client_orgs, kind=Relationship.Kind.OWN_WORKER)
        .values("person_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True)


def can_view_person(user: User, person: User) -> Decision:
    if person.pk == user.pk or people_visible_to(user).filter(pk=person.pk).exists():
        return ALLOW
    return Decision(False, _("You have no working relationship with this person."))


def can_search_access_log(user: User) -> Decision:
    if user.permissions.has(P.ACCESSLOG_SEARCH) or user.is_superuser:
        return ALLOW
    return Decision(False, _("Only administrators can search the access log."))


def can_handle_privacy_requests(user: User) -> Decision:
    if user.permissions.has(P.PRIVACY_HANDLE_REQUESTS) or user.is_superuser:
        return ALLOW
    return Decision(False, _("Only administrators handle data-subject requests."))


def can_handle_feedback(user: User) -> Decision:
    if user.permissions.has(P.FEEDBACK_HANDLE) or user.is_superuser:
        return ALLOW
    return Decision(False, _("Only administrators read feedback."))


def can_list_people(user: User) -> Decision:
    """The people list: the organisation's people, or one's own clients."""
    perms = user.permissions
    if perms.has(P.PEOPLE_VIEW_ORGANISATION) or perms.has(P.PEOPLE_VIEW_CLIENTS):
        return ALLOW
    return Decision(False, _("You see people's data only for your own organisation or your own clients."))


def people_listed_for(user: User) -> QuerySet[User]:
    """Who the people list shows: the organisation's people, and one's own clients (never the
    experts one works beside: they are not clients)."""
    condition = Q(pk__in=clients_visible_to(user).values("pk"))
    org_ids = user.permissions.organisations_with(P.PEOPLE_VIEW_ORGANISATION)
    if org_ids:
        condition |= Q(pk__in=Membership.objects.current().filter(organisation_id__in=org_ids).values("user_id"))
    return User.objects.filter(condition, is_active=True).exclude(pk=user.pk)
