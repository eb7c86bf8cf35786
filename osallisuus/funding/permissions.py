"""Who may see and do what in partnership funding. Permissions are data (migration 0002).

* The city's civic-activation unit (``funding.manage_programme``) runs its programmes: funders,
  envelopes, frame documents, info events and calls.
* A funder's officers review, recommend, hear, decide and pay for their own funder only: the
  permission must be held in the funder's organisation (``funding.review``, ``funding.decide``,
  ``funding.pay``, ``funding.advise``).
* An applicant organisation's staff (``funding.apply``) present ideas and write applications; an
  application is seen only by its users, the applicant's and co-applicants' staff with
  ``funding.apply``, and, once submitted, the funders of its call and the programme's runners.
  Anyone else gets the same 404 as for an application that does not exist. A draft is seen by the
  applicant side only.
* Steering-group members (``funding.steer``) see the programme's group, its meetings and the funded
  projects; analysts (``funding.view_aggregates``) see portfolio figures only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import ALLOW, Decision

from .models import Application, Call, Funder, Idea, Programme, Review

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class P:
    """Permission codes seeded by ``migrations/0002_permissions``."""

    MANAGE = "funding.manage_programme"
    ADVISE = "funding.advise"
    APPLY = "funding.apply"
    REVIEW = "funding.review"
    DECIDE = "funding.decide"
    PAY = "funding.pay"
    STEER = "funding.steer"
    VIEW_AGGREGATES = "funding.view_aggregates"


ALL = (P.MANAGE, P.ADVISE, P.APPLY, P.REVIEW, P.DECIDE, P.PAY, P.STEER, P.VIEW_AGGREGATES)
FUNDER_PERMS = (P.ADVISE, P.REVIEW, P.DECIDE, P.PAY)
NOT_DRAFT = (
    Application.Status.SUBMITTED,
    Application.Status.DECIDED,
    Application.Status.CLOSED,
    Application.Status.WITHDRAWN,
)


def orgs_with(user: User, *perms: str) -> set[int]:
    """The organisations in which the user holds any of ``perms``."""
    if not user.is_authenticated:
        return set()
    found: set[int] = set()
    for perm in perms:
        found |= user.permissions.organisations_with(perm)
    return found


# -- programmes ----------------------------------------------------------------------------------
def programmes_visible_to(user: User) -> QuerySet[Programme]:
    """Programmes are public to everyone who takes part in funding in any role."""
    if not orgs_with(user, *ALL):
        return Programme.objects.none()
    return Programme.objects.all()


def programmes_managed_by(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(organisation_id__in=orgs_with(user, P.MANAGE))


def manages(user: User, programme: Programme) -> bool:
    return programme.organisation_id in orgs_with(user, P.MANAGE)


def can_manage_programme(user: User, programme: Programme) -> Decision:
    if manages(user, programme):
        return ALLOW
    return Decision(False, _("Only the unit that runs this programme can do this."))


def can_start_programme(user: User) -> Decision:
    if orgs_with(user, P.MANAGE):
        return ALLOW
    return Decision(False, _("Only a unit that runs funding programmes can start one."))


def funders_of(user: User, programme: Programme | int, perm: str) -> QuerySet[Funder]:
    """The programme's funders in whose organisation the user holds ``perm``."""
    programme_id = programme if isinstance(programme, int) else programme.pk
    return Funder.objects.filter(programme_id=programme_id, organisation_id__in=orgs_with(user, perm))


def call_funders_of(user: User, call: Call, perm: str) -> QuerySet[Funder]:
    """The call's funders in whose organisation the user holds ``perm``."""
    return call.funders.filter(organisation_id__in=orgs_with(user, perm))


# -- ideas ---------------------------------------------------------------------------------------
def ideas_visible_to(user: User) -> QuerySet[Idea]:
    """An idea is seen by its organisation's applicants, the programme's funders' advisers and runners."""
    if not user.is_authenticated:
        return Idea.objects.none()
    condition = Q(organisation_id__in=orgs_with(user, P.APPLY))
    condition |= Q(programme__funders__organisation_id__in=orgs_with(user, P.ADVISE))
    condition |= Q(programme__organisation_id__in=orgs_with(user, P.MANAGE))
    return Idea.objects.filter(pk__in=Idea.objects.filter(condition).values("pk"))


def can_present_idea(user: User) -> Decision:
    if orgs_with(user, P.APPLY):
        return ALLOW
    return Decision(False, _("Only an applicant organisation's staff can present a project idea."))


def can_advise(user: User, idea: Idea) -> Decision:
    if funders_of(user, idea.programme_id, P.ADVISE).exists():
        return ALLOW
    return Decision(False, _("Only the programme's funders can give advice on an idea."))


def can_invite(user: User, idea: Idea) -> Decision:
    if manages(user, idea.programme) or funders_of(user, idea.programme_id, P.ADVISE).exists():
        return ALLOW
    return Decision(False, _("Only the programme's funders can invite an idea to apply."))


# -- applications ----------------------------------------------------------------------------------
def _applicant_condition(user: User) -> Q:
    apply_orgs = orgs_with(user, P.APPLY)
    condition = Q(users__user_id=user.pk)
    if apply_orgs:
        condition |= Q(applicant_id__in=apply_orgs) | Q(co_applicants__id__in=apply_orgs)
    return condition


def applications_of_applicant(user: User) -> QuerySet[Application]:
    """The applications the user writes or reads as the applicant side (drafts included)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(pk__in=Application.objects.filter(_applicant_condition(user)).values("pk"))


def applications_as_funder(user: User, *perms: str) -> QuerySet[Application]:
    """Submitted (not draft) applications of calls in which an organisation of the user funds
    with one of ``perms`` (review, decide, pay, advise by default), or of programmes it runs."""
    if not user.is_authenticated:
        return Application.objects.none()
    funder_orgs = orgs_with(user, *(perms or FUNDER_PERMS))
    condition = Q(call__funders__organisation_id__in=funder_orgs) if funder_orgs else Q(pk__in=[])
    managed = orgs_with(user, P.MANAGE)
    if managed and not perms:
        condition |= Q(call__programme__organisation_id__in=managed)
    inner = Application.objects.filter(condition, status__in=NOT_DRAFT).values("pk")
    return Application.objects.filter(pk__in=inner)


def application_visible_to(user: User) -> QuerySet[Application]:
    """Every application the user may open: the applicant side's (drafts included), the funders'
    and runners' (submitted ones), and the funded projects of programmes the user steers."""
    if not user.is_authenticated:
        return Application.objects.none()
    condition = _applicant_condition(user)
    funder_orgs = orgs_with(user, *FUNDER_PERMS)
    managed = orgs_with(user, P.MANAGE)
    officer = Q(call__funders__organisation_id__in=funder_orgs) | Q(call__programme__organisation_id__in=managed)
    condition |= officer & Q(status__in=NOT_DRAFT)
    steer = orgs_with(user, P.STEER)
    if steer:
        condition |= Q(
            call__programme__organisation_id__in=steer,
            status__in=(Application.Status.DECIDED, Application.Status.CLOSED),
        )
    return Application.objects.filter(pk__in=Application.objects.filter(condition).values("pk"))


applications_visible_to = application_visible_to


def is_applicant_side(user: User, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    if application.users.filter(user_id=user.pk).exists():
        return True
    apply_orgs = orgs_with(user, P.APPLY)
    if application.applicant_id in apply_orgs:
        return True
    return application.co_applicants.filter(pk__in=apply_orgs).exists()


def call_is_open(call: Call, *, at: object = None) -> bool:
    now = at or timezone.now()
    return call.opens_at <= now < call.closes_at  # type: ignore[operator]


def can_start_application(user: User, call: Call) -> Decision:
    if not orgs_with(user, P.APPLY):
        return Decision(False, _("Only an applicant organisation's staff can apply."))
    if not call_is_open(call):
        return Decision(False, _("This call is not open."))
    return ALLOW


def can_edit_application(user: User, application: Application) -> Decision:
    if not is_applicant_side(user, application):
        return Decision(False, _("Only the applicant's users can change the application."))
    if application.status != Application.Status.DRAFT:
        return Decision(False, _("Only a draft can be changed."))
    return ALLOW


def can_submit(user: User, application: Application, *, at: object = None) -> Decision:
    edit = can_edit_application(user, application)
    if not edit:
        return edit
    if not call_is_open(application.call, at=at):
        return Decision(False, _("The call has closed: the application can no longer be submitted."))
    return ALLOW


def can_withdraw(user: User, application: Application) -> Decision:
    if not is_applicant_side(user, application):
        return Decision(False, _("Only the applicant's users can withdraw the application."))
    if application.status not in (Application.Status.DRAFT, Application.Status.SUBMITTED):
        return Decision(False, _("A decided or withdrawn application cannot be withdrawn."))
    return ALLOW


def can_resubmit(user: User, application: Application) -> Decision:
    if not is_applicant_side(user, application):
        return Decision(False, _("Only the applicant's users can resubmit the application."))
    if application.status == Application.Status.DRAFT:
        return Decision(False, _("A draft is still open: continue it instead."))
    return ALLOW


def can_manage_users(user: User, application: Application) -> Decision:
    if application.applicant_id in orgs_with(user, P.APPLY) or application.users.filter(user_id=user.pk).exists():
        return ALLOW
    return Decision(False, _("Only the applicant's users can add people to the application."))


# -- review ------------------------------------------------------------------------------------------
def review_funders(user: User, application: Application) -> QuerySet[Funder]:
    """The call's funders for which the user may review."""
    return call_funders_of(user, application.call, P.REVIEW)


def can_review(user: User, application: Application) -> Decision:
    if not review_funders(user, application).exists():
        return Decision(False, _("Only the officers of the call's funders can review this application."))
    if application.status != Application.Status.SUBMITTED:
        return Decision(False, _("Only a submitted application can be reviewed."))
    return ALLOW


def has_reviewed(user: User, application: Application) -> bool:
    return Review.objects.filter(application=application, reviewer_id=user.pk, submitted_at__isnull=False).exists()


def can_see_others_reviews(user: User, application: Application) -> bool:
    """A reviewer sees the others' reviews only after writing her own; the applicant never does
    (she sees the recommendation summary once decided)."""
    return has_reviewed(user, application)


def can_recommend(user: User, application: Application) -> Decision:
    return can_review(user, application)


def can_hold_hearing(user: User, application: Application) -> Decision:
    if not review_funders(user, application).exists():
        return Decision(False, _("Only the officers of the call's funders can schedule a hearing."))
    if application.status not in (Application.Status.SUBMITTED, Application.Status.DECIDED):
        return Decision(False, _("A hearing is held only after the application is submitted."))
    return ALLOW


def can_see_hearing(user: User, application: Application) -> bool:
    return is_applicant_side(user, application) or review_funders(user, application).exists()


# -- decisions ---------------------------------------------------------------------------------------
def decide_funders(user: User, application: Application) -> QuerySet[Funder]:
    """The call's funders for which the user may decide."""
    return call_funders_of(user, application.call, P.DECIDE)


def can_decide(user: User, application: Application) -> Decision:
    if not decide_funders(user, application).exists():
        return Decision(False, _("Only the deciders of the call's funders can decide on this application."))
    if application.status not in (Application.Status.SUBMITTED, Application.Status.DECIDED):
        return Decision(False, _("Only a submitted application can be decided."))
    return ALLOW


def can_see_decisions(user: User, application: Application) -> bool:
    return application_visible_to(user).filter(pk=application.pk).exists()
