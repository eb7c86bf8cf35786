"""Who may see and do what in networked work. Permissions are data (migration 0002).

* A network is seen by its current members (coordinators included) and, when its visibility is
  "everyone of the owner organisations", by every logged-in person of an owner organisation.
  Anyone else gets the same 404 as for a network that does not exist.
* Outside the network (an owner organisation's people who are not members) the member list shows
  staff members only, without contact details: residents' and clients' taking part is never shown.
  Contact details are shown to fellow members and coordinators only.
* The picture, its analysis and exports are for the members and coordinators of the network.
* A coordinator (a membership marked as coordinator) runs the network; a closed network is read only.
* A personal network map is read by its owner and by the own worker she shares it with, while he is
  still her own worker. Nobody else, administrators included, gets anything but 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import ALLOW, Decision

from .models import MemberKind, Network, NetworkMembership, NetworkMembershipQuerySet, PersonalMap, Visibility

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class P:
    """Permission codes seeded by ``migrations/0002_permissions``."""

    COORDINATE = "networks.coordinate"
    TAKE_PART = "networks.take_part"


PRIVATE_KINDS = (MemberKind.RESIDENT, MemberKind.CLIENT)


def organisation_ids(user: User) -> set[int]:
    """The organisations the person currently belongs to (any role)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_networks_org_ids", None)
    if cached is None:
        cached = set(accounts.memberships_of(user=user).values_list("organisation_id", flat=True))
        user._networks_org_ids = cached  # type: ignore[attr-defined]
    return set(cached)


def member_network_ids(user: User) -> QuerySet[NetworkMembership, Any]:
    return NetworkMembership.objects.current().filter(user_id=user.pk).values("network_id")


def networks_visible_to(user: User) -> QuerySet[Network]:
    if not user.is_authenticated:
        return Network.objects.none()
    condition = Q(pk__in=member_network_ids(user))
    orgs = organisation_ids(user)
    if orgs:
        condition |= Q(visibility=Visibility.OWNERS, owners__in=orgs)
    return Network.objects.filter(condition).distinct()


def networks_of_member(user: User) -> QuerySet[Network]:
    """The networks the person is now a member of (the picture, analysis and exports are theirs)."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(pk__in=member_network_ids(user))


def networks_coordinated_by(user: User) -> QuerySet[Network]:
    if not user.is_authenticated:
        return Network.objects.none()
    ids = NetworkMembership.objects.current().filter(user_id=user.pk, is_coordinator=True).values("network_id")
    return Network.objects.filter(pk__in=ids)


def membership_of(user: User, network: Network) -> NetworkMembership | None:
    if not user.is_authenticated:
        return None
    cache: dict[int, NetworkMembership | None] = getattr(user, "_networks_memberships", None) or {}
    if network.pk not in cache:
        cache[network.pk] = NetworkMembership.objects.current().filter(network=network, user_id=user.pk).first()
        user._networks_memberships = cache  # type: ignore[attr-defined]
    return cache[network.pk]


def forget(user: User) -> None:
    """Drop what this request remembered about the person's memberships (after a change)."""
    for attr in ("_networks_memberships", "_networks_org_ids"):
        if hasattr(user, attr):
            delattr(user, attr)


def is_member(user: User, network: Network) -> bool:
    return membership_of(user, network) is not None


def is_coordinator(user: User, network: Network) -> bool:
    membership = membership_of(user, network)
    return membership is not None and membership.is_coordinator


def members_visible_to(user: User, network: Network) -> NetworkMembershipQuerySet:
    """Members and coordinators see everyone who has taken part (the past ones too); the owner
    organisations' other people see the current staff members only."""
    qs = NetworkMembership.objects.filter(network=network)
    if is_member(user, network):
        return qs
    return qs.current().exclude(kind__in=[*PRIVATE_KINDS, MemberKind.EXPERT])


def can_see_contacts(user: User, network: Network) -> bool:
    return is_member(user, network)


# -- decisions ---------------------------------------------------------------------------------------
def can_start_network(user: User) -> Decision:
    if user.is_authenticated and user.permissions.organisations_with(P.COORDINATE):
        return ALLOW
    return Decision(False, _("Only network coordinators can start a network."))


def _open(network: Network) -> Decision:
    if network.is_closed:
        return Decision(False, _("The network has been closed. Its history can be read but not changed."))
    return ALLOW


def can_coordinate(user: User, network: Network) -> Decision:
    if not is_coordinator(user, network):
        return Decision(False, _("Only the coordinators of this network can do this."))
    return _open(network)


def can_take_part(user: User, network: Network) -> Decision:
    """Declare collaboration, change one's own role: current members of an open network."""
    if not is_member(user, network):
        return Decision(False, _("Only the members of this network can do this."))
    return _open(network)


def can_see_picture(user: User, network: Network) -> Decision:
    if is_member(user, network):
        return ALLOW
    return Decision(False, _("Only the members of this network see its picture."))


def can_edit_membership(user: User, membership: NetworkMembership) -> Decision:
    """The member herself changes her role and strengths; a coordinator may propose a role."""
    network = membership.network
    opened = _open(network)
    if not opened:
        return opened
    if membership.left_on is not None:
        return Decision(False, _("This person has left the network."))
    if membership.user_id == user.pk or is_coordinator(user, network):
        return ALLOW
    return Decision(False, _("Only the member herself or a coordinator can change this."))


def can_leave(user: User, membership: NetworkMembership) -> Decision:
    """A member leaves herself; a coordinator records someone's leaving."""
    if membership.user_id == user.pk or is_coordinator(user, membership.network):
        return ALLOW
    return Decision(False, _("Only the member herself or a coordinator can record leaving."))


def can_close(user: User, network: Network) -> Decision:
    decision = can_coordinate(user, network)
    if not decision:
        return decision
    return ALLOW


# -- personal network maps -----------------------------------------------------------------------------
def maps_visible_to(user: User) -> QuerySet[PersonalMap]:
    """The person's own maps and the ones her clients share with her as their current own worker."""
    if not user.is_authenticated:
        return PersonalMap.objects.none()
    return PersonalMap.objects.filter(
        Q(owner_id=user.pk) | Q(shared_with_id=user.pk, owner_id__in=accounts.client_ids_of(worker=user))
    )


def can_edit_map(user: User, personal_map: PersonalMap) -> Decision:
    """The owner, and the worker she shares it with (the gate already checked he still is hers)."""
    if personal_map.owner_id == user.pk or personal_map.shared_with_id == user.pk:
        return ALLOW
    return Decision(False, _("Only the person herself and the worker she shares the map with can change it."))


def can_share_map(user: User, personal_map: PersonalMap) -> Decision:
    if personal_map.owner_id == user.pk:
        return ALLOW
    return Decision(False, _("Only the person whose map it is decides whom she shares it with."))
