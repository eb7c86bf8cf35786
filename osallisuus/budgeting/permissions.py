"""Who may see and do what in participatory budgeting. Permissions are data (migration 0002).

* The staff who run a process hold ``budgeting.run_process`` in the process's organisation
  (activity providers, the civic activation unit); ``budgeting.assist_voting`` lets them record
  a ballot for a person who asks for help.
* The eligible voters see the process, propose and vote: the participants of its activation
  activity, the people on its list, or everyone of its organisation who holds ``budgeting.take_part``.
  A person outside the group gets the same 404 as for a process that does not exist.
* A third-sector actor's staff (``budgeting.deliver``) see the processes in which their organisation
  carries out a winner, and record the delivery.
* Analysts (``budgeting.view_aggregates``) see figures of the processes, never a person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts.permissions import ALLOW, Decision
from osallisuus.activation import selectors as activation

from .models import EligibleVoter, Process, Proposal, Purchase

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class P:
    """Permission codes seeded by ``migrations/0002_permissions``."""

    RUN = "budgeting.run_process"
    TAKE_PART = "budgeting.take_part"
    ASSIST = "budgeting.assist_voting"
    DELIVER = "budgeting.deliver"
    VIEW_AGGREGATES = "budgeting.view_aggregates"


def staff_orgs(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return user.permissions.organisations_with(P.RUN)


def deliver_orgs(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return user.permissions.organisations_with(P.DELIVER)


def processes_run_by(user: User) -> QuerySet[Process]:
    return Process.objects.filter(organisation_id__in=staff_orgs(user))


def _eligible_condition(user: User) -> Q:
    condition = Q(electorate=Process.Electorate.LIST, eligible__person=user)
    orgs = user.permissions.organisations_with(P.TAKE_PART)
    if orgs:
        condition |= Q(electorate=Process.Electorate.ORGANISATION, electorate_organisation_id__in=orgs)
    activities = activation.activity_ids_signed_up(participant_id=user.pk)
    if activities:
        condition |= Q(electorate=Process.Electorate.ACTIVITY, activity_id__in=activities)
    return condition


def processes_as_voter(user: User) -> QuerySet[Process]:
    """The processes the user may take part in (not those still being prepared)."""
    if not user.is_authenticated:
        return Process.objects.none()
    return Process.objects.filter(_eligible_condition(user)).exclude(phase=Process.Phase.DRAFT).distinct()


def processes_visible_to(user: User) -> QuerySet[Process]:
    """The staff's own processes, the ones the user may take part in, and those in which the user's
    organisation carries out a winner."""
    if not user.is_authenticated:
        return Process.objects.none()
    condition = Q(organisation_id__in=staff_orgs(user))
    condition |= Q(pk__in=processes_as_voter(user).values("pk"))
    delivering = deliver_orgs(user)
    if delivering:
        condition |= Q(purchases__provider_id__in=delivering)
    return Process.objects.filter(condition).distinct()


def is_staff_of(user: User, process: Process) -> bool:
    return process.organisation_id in staff_orgs(user)


def is_eligible(user: User, process: Process) -> bool:
    """May the user vote and propose in this process (as one of its group)?"""
    if not user.is_authenticated or process.phase == Process.Phase.DRAFT:
        return False
    if process.electorate == Process.Electorate.LIST:
        return EligibleVoter.objects.filter(process=process, person=user).exists()
    if process.electorate == Process.Electorate.ORGANISATION:
        return bool(
            process.electorate_organisation_id
            and user.permissions.has(P.TAKE_PART, organisation_id=process.electorate_organisation_id)
        )
    return bool(
        process.activity_id and process.activity_id in activation.activity_ids_signed_up(participant_id=user.pk)
    )


def eligible_ids(process: Process) -> set[int]:
    """The ids of every account holder who may vote in the process (for notices and counts)."""
    if process.electorate == Process.Electorate.LIST:
        return set(EligibleVoter.objects.filter(process=process).values_list("person_id", flat=True))
    if process.electorate == Process.Electorate.ORGANISATION:
        if not process.electorate_organisation_id:
            return set()
        return set(
            accounts.members_with_permission(
                organisation=process.electorate_organisation_id, permission=P.TAKE_PART
            ).values_list("pk", flat=True)
        )
    if not process.activity_id:
        return set()
    return activation.participant_ids_signed_up(activity_id=process.activity_id)


def voting_is_open(process: Process) -> bool:
    return process.phase == Process.Phase.VOTING and timezone.localdate() <= process.voting_until


# -- decisions ---------------------------------------------------------------------------------------
def can_run(user: User, process: Process) -> Decision:
    if is_staff_of(user, process):
        return ALLOW
    return Decision(False, _("Only the staff who run this process can do this."))


def can_start_process(user: User) -> Decision:
    if staff_orgs(user):
        return ALLOW
    return Decision(False, _("Only the staff of an organisation that runs participatory budgeting can start one."))


def can_propose(user: User, process: Process) -> Decision:
    if not is_eligible(user, process):
        return Decision(False, _("Only the people of this group can make proposals."))
    if process.phase != Process.Phase.PROPOSALS:
        return Decision(False, _("Proposals can be made only while the proposal phase is on."))
    return ALLOW


def can_vote(user: User, process: Process) -> Decision:
    if not is_eligible(user, process):
        return Decision(False, _("Only the people of this group can vote."))
    if not voting_is_open(process):
        return Decision(False, _("Voting is not open now."))
    return ALLOW


def can_assist(user: User, process: Process) -> Decision:
    if user.permissions.has(P.ASSIST, organisation_id=process.organisation_id):
        return ALLOW
    return Decision(False, _("Only the staff of this process can help someone vote."))


def is_author(user: User, proposal: Proposal) -> bool:
    return proposal.authors.filter(person=user).exists()


def can_revise(user: User, proposal: Proposal) -> Decision:
    if not is_author(user, proposal):
        return Decision(False, _("Only the people who made the proposal can change it."))
    if proposal.status == Proposal.Status.WITHDRAWN:
        return Decision(False, _("A withdrawn proposal cannot be changed."))
    if proposal.process.phase not in (Process.Phase.PROPOSALS, Process.Phase.COSTING):
        return Decision(False, _("Proposals can be changed only until voting starts."))
    return ALLOW


def can_review(user: User, proposal: Proposal) -> Decision:
    if not is_staff_of(user, proposal.process):
        return Decision(False, _("Only the staff who run this process check and cost proposals."))
    if proposal.status == Proposal.Status.WITHDRAWN:
        return Decision(False, _("The proposers have withdrawn this proposal."))
    if proposal.process.phase not in (Process.Phase.PROPOSALS, Process.Phase.COSTING):
        return Decision(False, _("Proposals can be checked only until voting starts."))
    return ALLOW


def results_visible(user: User, process: Process) -> Decision:
    """The published results, for everyone who sees the process; the staff also before publishing."""
    if process.results_published_at is not None:
        return ALLOW
    if is_staff_of(user, process) and process.is_at_least(Process.Phase.RESULTS):
        return ALLOW
    return Decision(False, _("The results have not been published yet."))


def results_published(process: Process) -> Decision:
    if process.results_published_at is not None:
        return ALLOW
    return Decision(False, _("The results have not been published yet, so there is nothing to export."))


def can_vote_now(process: Process) -> Decision:
    if voting_is_open(process):
        return ALLOW
    return Decision(False, _("Voting is not open now."))


def processes_exportable_by(user: User) -> QuerySet[Process]:
    """The staff's own processes; for people who follow the figures, every process past its preparation."""
    if not user.is_authenticated:
        return Process.objects.none()
    if user.permissions.has(P.VIEW_AGGREGATES):
        return Process.objects.filter(Q(organisation_id__in=staff_orgs(user)) | ~Q(phase=Process.Phase.DRAFT))
    return processes_run_by(user)


def can_view_figures(user: User) -> Decision:
    if user.is_authenticated and user.permissions.has(P.VIEW_AGGREGATES):
        return ALLOW
    return Decision(False, _("Only people who follow the figures see this page."))


def purchases_visible_to(user: User) -> QuerySet[Purchase]:
    """The purchases of the staff's processes and those their organisation carries out."""
    if not user.is_authenticated:
        return Purchase.objects.none()
    return Purchase.objects.filter(
        Q(process__organisation_id__in=staff_orgs(user)) | Q(provider_id__in=deliver_orgs(user))
    )


def can_record_delivery(user: User, purchase: Purchase) -> Decision:
    if purchase.process.organisation_id in staff_orgs(user) or (
        purchase.provider_id and purchase.provider_id in deliver_orgs(user)
    ):
        return ALLOW
    return Decision(False, _("Only the staff of the process or of the provider record the delivery."))
