"""Pages of the participant's one plan, the activity catalogue, the worker's caseload,
the provider's activities and the municipality's reports. The rules are in services,
the reads and gates in selectors; views only connect them to forms and templates."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import exports, permissions, reports, selectors, services
from .forms import (
    ActivityForm,
    ActivityProposalForm,
    AttendanceForm,
    CatalogueFilterForm,
    GoalEditForm,
    GoalForm,
    MeetingRequestForm,
    MeetingScheduleForm,
    NoteForm,
    OutcomeForm,
    PlanSectionsForm,
    ShareForm,
)
from .models import Activity, Goal, Meeting, Outcome, Plan, SignUp
from .permissions import P

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

CASELOAD_PAGE_SIZE = 25
CATALOGUE_PAGE_SIZE = 20


def _me(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind ``login_required``)."""
    return cast("User", request.user)


def _require(request: HttpRequest, perm: str) -> None:
    if not _me(request).permissions.has(perm):
        raise PermissionDenied


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _apply_rule_error(form: Any, error: services.RuleError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _plan_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    overview = selectors.plan_overview(plan=plan, actor=_me(request), route=request.path)
    return {"o": overview, "plan": plan, "today": timezone.localdate()}


# -- the plan --------------------------------------------------------------------------------
@login_required
@require_GET
def my_plan(request: HttpRequest) -> HttpResponse:
    """The participant's own plan: what happens next, own worker, the official, goals, activities."""
    if not permissions.can_have_plan(_me(request)):
        raise PermissionDenied
    plan = services.plan_ensure(participant=_me(request))
    return TemplateResponse(request, "activation/plan.html", _plan_context(request, plan))


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="read the plan", route=request.path)
    return TemplateResponse(request, "activation/plan.html", _plan_context(request, plan))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="edit the plan", route=request.path, for_edit=True)
    form = PlanSectionsForm(request.POST or None, instance=plan, prefix=None)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=plan, actor=_me(request), data=form.cleaned_data)
        messages.success(request, _("The plan has been saved."))
        return redirect(_plan_url(request, plan))
    return TemplateResponse(request, "activation/plan_edit.html", {"form": form, "plan": plan}, status=_status(request))


def _plan_url(request: HttpRequest, plan: Plan) -> str:
    from django.urls import reverse

    if plan.participant_id == request.user.pk:
        return reverse("activation:my_plan")
    return reverse("activation:plan", kwargs={"pk": plan.pk})


# -- goals -----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="write a goal", route=request.path, for_edit=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(plan=plan, actor=_me(request), **form.cleaned_data)
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            if goal.lifecycle_status == Goal.Lifecycle.PROPOSED:
                messages.success(
                    request,
                    _("The goal has been proposed. It becomes part of the plan when the participant accepts it."),
                )
            else:
                messages.success(request, _("Your goal has been saved."))
            return redirect(_plan_url(request, plan))
    return TemplateResponse(
        request, "activation/goal_form.html", {"form": form, "plan": plan, "goal": None}, status=_status(request)
    )


def _goal_context(request: HttpRequest, goal: Goal, **extra: Any) -> dict[str, Any]:
    versions = selectors.goal_versions(goal=goal)
    notes = list(goal.notes.all())
    plan = goal.plan
    viewer = _me(request)
    for v in versions:
        v.who = selectors.who_label(person_id=v.changed_by_id, viewer=viewer, plan=plan)  # type: ignore[attr-defined]
    for n in notes:
        n.who = selectors.who_label(person_id=n.author_id, viewer=viewer, plan=plan)  # type: ignore[attr-defined]
    can_edit = permissions.plans_editable_by(viewer).filter(pk=plan.pk).exists()
    context = {
        "goal": goal,
        "plan": plan,
        "versions": versions,
        "notes": notes,
        "can_edit": can_edit,
        "is_participant": plan.participant_id == viewer.pk,
        "note_form": NoteForm(),
        "expressed_by": selectors.who_label(person_id=goal.expressed_by_id, viewer=viewer, plan=plan),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=_me(request), pk=pk, purpose="read a goal", route=request.path)
    return TemplateResponse(request, "activation/goal_detail.html", _goal_context(request, goal))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=_me(request), pk=pk, purpose="change a goal", route=request.path, for_edit=True)
    initial = {
        name: getattr(goal, name)
        for name in (
            "title",
            "basket",
            "description",
            "lifecycle_status",
            "achievement_status",
            "target_on",
            "review_on",
        )
    }
    if initial["lifecycle_status"] == Goal.Lifecycle.PROPOSED:
        initial["lifecycle_status"] = Goal.Lifecycle.ACTIVE
    form = GoalEditForm(request.POST or None, initial=initial)
    if goal.lifecycle_status == Goal.Lifecycle.PROPOSED and goal.plan.participant_id != request.user.pk:
        form.fields.pop("lifecycle_status")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        try:
            services.goal_update(goal=goal, actor=_me(request), reason=reason, **data)
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("The goal has been saved. The earlier version is kept in the history."))
            return redirect("activation:goal", pk=goal.pk)
    return TemplateResponse(
        request, "activation/goal_form.html", {"form": form, "plan": goal.plan, "goal": goal}, status=_status(request)
    )


@login_required
@require_POST
def goal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=_me(request), pk=pk, purpose="accept a goal", route=request.path, for_edit=True)
    try:
        services.goal_accept(goal=goal, actor=_me(request))
    except services.RuleError as error:
        messages.error(request, error.message)
        return TemplateResponse(request, "activation/goal_detail.html", _goal_context(request, goal), status=400)
    messages.success(request, _("The goal is now part of your plan."))
    return redirect("activation:goal", pk=goal.pk)


@login_required
@require_POST
def goal_note(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(
        actor=_me(request), pk=pk, purpose="write a progress note", route=request.path, for_edit=True
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        services.goal_note_add(goal=goal, actor=_me(request), text=form.cleaned_data["text"])
        messages.success(request, _("Your note has been saved."))
        return redirect("activation:goal", pk=goal.pk)
    return TemplateResponse(
        request, "activation/goal_detail.html", _goal_context(request, goal, note_form=form), status=400
    )


@login_required
@require_GET
def goal_compare(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=_me(request), pk=pk, purpose="compare goal versions", route=request.path)
    numbers = list(goal.versions.values_list("number", flat=True))
    try:
        new = int(request.GET.get("new") or numbers[-1])
        old = int(request.GET.get("old") or (numbers[-2] if len(numbers) > 1 else numbers[-1]))
        rows = selectors.goal_versions_compare(goal=goal, old=old, new=new)
    except (ValueError, KeyError, IndexError):
        return TemplateResponse(
            request,
            "activation/goal_compare.html",
            {"goal": goal, "numbers": numbers, "rows": [], "error": _("Choose two versions of this goal.")},
            status=400,
        )
    return TemplateResponse(
        request,
        "activation/goal_compare.html",
        {"goal": goal, "numbers": numbers, "rows": rows, "old": old, "new": new},
    )


# -- sharing ---------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def plan_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant chooses who else may read the plan."""
    from osallisuus.core.access import gate

    plan = gate(
        Plan.objects.filter(participant=_me(request)),
        pk=pk,
        actor=_me(request),
        purpose="plan sharing",
        subject_of=lambda p: p.participant_id,
    )
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.plan_share(plan=plan, actor=_me(request), email=form.cleaned_data["email"])
        messages.success(request, _("If the person has an account in this service, they can now read your plan."))
        return redirect("activation:share", pk=plan.pk)
    shares = selectors.shares_of(plan=plan, actor=_me(request), route=request.path)
    return TemplateResponse(
        request, "activation/share.html", {"plan": plan, "form": form, "shares": shares}, status=_status(request)
    )


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    share = selectors.share_get(actor=_me(request), pk=pk)
    services.plan_share_revoke(share=share, actor=_me(request))
    messages.success(request, _("The person can no longer read your plan."))
    return redirect("activation:share", pk=share.plan_id)


# -- check-in --------------------------------------------------------------------------------
@login_required
@require_POST
def checkin_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start or continue the participant's check-in; the questions are answered in the
    measurement engine's accessible form, which afterwards offers sharing with the own worker."""
    from osallisuus.core.access import gate
    from osallisuus.measurement import services as measurement

    plan = gate(
        Plan.objects.filter(participant=_me(request)),
        pk=pk,
        actor=_me(request),
        purpose="own check-in",
        subject_of=lambda p: p.participant_id,
    )
    try:
        response = services.checkin_start(plan=plan, actor=_me(request))
    except services.RuleError as error:
        messages.error(request, error.message)
        return redirect("activation:my_plan")
    return redirect(measurement.response_url(response))


# -- meetings --------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def meeting_request(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="ask for a meeting", route=request.path, for_edit=True)
    wanted = Meeting.With.OFFICIAL if request.GET.get("with") == "official" else Meeting.With.OWN_WORKER
    form = MeetingRequestForm(request.POST or None, initial={"with_whom": wanted})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request(plan=plan, actor=_me(request), **form.cleaned_data)
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(
                request, _("Your request has been sent. Your own worker will contact you to agree on a time.")
            )
            return redirect(_plan_url(request, plan))
    return TemplateResponse(
        request, "activation/meeting_request.html", {"form": form, "plan": plan}, status=_status(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=_me(request), pk=pk, purpose="read a meeting", route=request.path)
    is_worker = permissions.is_own_worker_of(_me(request), meeting.plan)
    form = MeetingScheduleForm(request.POST or None) if is_worker else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.meeting_schedule(meeting=meeting, actor=_me(request), **form.cleaned_data)
            except services.RuleError as error:
                _apply_rule_error(form, error)
            else:
                messages.success(request, _("The time has been agreed. The participant sees it in their plan."))
                return redirect("activation:meeting", pk=meeting.pk)
    return TemplateResponse(
        request,
        "activation/meeting_detail.html",
        {
            "meeting": meeting,
            "form": form,
            "is_worker": is_worker,
            "who": selectors.who_label(person_id=meeting.requested_by_id, viewer=_me(request), plan=meeting.plan),
        },
        status=_status(request),
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(
        actor=_me(request), pk=pk, purpose="cancel a meeting", route=request.path, for_edit=True
    )
    try:
        services.meeting_cancel(meeting=meeting, actor=_me(request))
    except services.RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting has been cancelled."))
    return redirect("activation:meeting", pk=meeting.pk)


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=_me(request), pk=pk, purpose="calendar invitation", route=request.path)
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at is None:
        raise Http404
    response = HttpResponse(
        exports.meeting_ics(meeting, site=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# -- outcomes --------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="record an outcome", route=request.path, for_edit=True)
    form = OutcomeForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(plan=plan, actor=_me(request), **form.cleaned_data)
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("Saved. Well done!"))
            return redirect(_plan_url(request, plan))
    return TemplateResponse(
        request, "activation/outcome_form.html", {"form": form, "plan": plan}, status=_status(request)
    )


@login_required
@require_GET
def outcome_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable statement of one outcome (for example competence shown in work activity)."""
    from osallisuus.core.access import gate

    outcome = gate(
        Outcome.objects.filter(plan__in=permissions.plans_visible_to(_me(request))).select_related(
            "plan", "plan__participant", "plan__organisation", "goal"
        ),
        pk=pk,
        actor=_me(request),
        purpose="print an outcome",
        subject_of=lambda o: o.plan.participant_id,
        route=request.path,
    )
    return TemplateResponse(request, "activation/outcome_print.html", {"outcome": outcome})


# -- exports ---------------------------------------------------------------------------------
@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="print the plan", route=request.path)
    overview = selectors.plan_overview(plan=plan, actor=_me(request), route=request.path, with_checkins=False)
    pdf = exports.plan_pdf({"o": overview, "plan": plan, "today": timezone.localdate()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.pdf"'
    return response


@login_required
@require_GET
def plan_fhir(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=_me(request), pk=pk, purpose="FHIR export of the plan", route=request.path)
    worker = selectors.own_worker_shown(plan=plan, actor=_me(request), route=request.path)
    bundle = exports.plan_fhir_bundle(plan, own_worker=worker)
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.fhir.json"'
    return response


# -- catalogue -------------------------------------------------------------------------------
@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None, areas=selectors.catalogue_areas())
    filters = selectors.CatalogueFilter()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.CatalogueFilter(
            basket=d["basket"],
            area=d["area"],
            language=d["language"],
            accessible=d["accessible"],
            free_places=d["free_places"],
            query=d["q"].strip(),
        )
    page = Paginator(selectors.catalogue(filters=filters), CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "activation/catalogue.html#results" if getattr(request, "htmx", False) else "activation/catalogue.html"
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_sign_up": permissions.can_have_plan(_me(request)),
        },
    )


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(pk=pk)
    return TemplateResponse(request, "activation/activity_detail.html", _activity_context(request, activity))


def _activity_context(request: HttpRequest, activity: Activity, **extra: Any) -> dict[str, Any]:
    context = {
        "activity": activity,
        "free": max(0, activity.capacity - activity.taken),  # type: ignore[attr-defined]
        "my_signup": selectors.own_signup_for(activity=activity, participant=_me(request)),
        "can_sign_up": permissions.can_have_plan(_me(request)),
        "offer_waiting_list": False,
        "offers_help": selectors.offers_help(activity=activity, participant=_me(request)),
        "error": "",
    }
    context.update(extra)
    return context


@login_required
@require_POST
def activity_signup(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_have_plan(_me(request)):
        raise PermissionDenied
    activity = selectors.activity_get(pk=pk)
    try:
        signup = services.signup_create(
            activity=activity,
            participant=_me(request),
            join_waiting_list=request.POST.get("waiting_list") == "1",
        )
    except services.RuleError as error:
        activity = selectors.activity_get(pk=pk)
        return TemplateResponse(
            request,
            "activation/activity_detail.html",
            _activity_context(request, activity, error=error.message, offer_waiting_list=error.code == "full"),
            status=400,
        )
    if signup.status == SignUp.Status.SIGNED_UP:
        messages.success(request, _("You have signed up. Welcome! The activity is now in your plan."))
    else:
        messages.success(
            request,
            _("You are on the waiting list. You get a place when one becomes free, and you see it in your plan."),
        )
    return redirect("activation:activity", pk=activity.pk)


@login_required
@require_POST
def activity_help(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant offers to help run the activity."""
    if not permissions.can_have_plan(_me(request)):
        raise PermissionDenied
    activity = selectors.activity_get(pk=pk)
    services.activity_offer_help(activity=activity, participant=_me(request))
    messages.success(request, _("Thank you! The organiser sees that you would like to help and will contact you."))
    return redirect("activation:activity", pk=activity.pk)


@login_required
@require_POST
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = selectors.own_signup_get(actor=_me(request), pk=pk)
    services.signup_cancel(signup=signup, actor=_me(request))
    messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("activation:my_plan")


@login_required
@require_http_methods(["GET", "POST"])
def activity_propose(request: HttpRequest) -> HttpResponse:
    if not permissions.can_have_plan(_me(request)):
        raise PermissionDenied
    form = ActivityProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_propose(participant=_me(request), data=form.cleaned_data)
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("Thank you! Your idea has been sent to the organisations that run activities."))
            return redirect("activation:catalogue")
    return TemplateResponse(request, "activation/activity_propose.html", {"form": form}, status=_status(request))


# -- the worker ------------------------------------------------------------------------------
@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    _require(request, P.VIEW_CASELOAD)
    page = Paginator(selectors.caseload(actor=_me(request)), CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.caseload_log(actor=_me(request), plans=list(page.object_list), route=request.path)
    return TemplateResponse(request, "activation/caseload.html", {"page": page})


# -- providers -------------------------------------------------------------------------------
@login_required
@require_GET
def provider_home(request: HttpRequest) -> HttpResponse:
    _require(request, P.MANAGE_ACTIVITIES)
    return TemplateResponse(
        request,
        "activation/provider_home.html",
        {
            "activities": selectors.provider_activities(actor=_me(request)),
            "proposals": selectors.proposed_activities(),
        },
    )


def _provider_org(request: HttpRequest) -> Any:
    from osallisuus.accounts.models import Organisation

    orgs = _me(request).permissions.organisations_with(P.MANAGE_ACTIVITIES)
    return Organisation.objects.filter(pk__in=orgs).order_by("name").first()


@login_required
@require_http_methods(["GET", "POST"])
def provider_activity_new(request: HttpRequest) -> HttpResponse:
    _require(request, P.MANAGE_ACTIVITIES)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                provider=_provider_org(request),
                actor=_me(request),
                data=form.cleaned_data,
            )
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("The activity has been published."))
            return redirect("activation:provider_activity", pk=activity.pk)
    return TemplateResponse(
        request, "activation/provider_activity_form.html", {"form": form, "activity": None}, status=_status(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.managed_activity_get(actor=_me(request), pk=pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, actor=_me(request), data=form.cleaned_data)
        except services.RuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect("activation:provider_activity", pk=activity.pk)
    return TemplateResponse(
        request, "activation/provider_activity_form.html", {"form": form, "activity": activity}, status=_status(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has signed up (names only) and attendance for one day."""
    activity = selectors.managed_activity_get(actor=_me(request), pk=pk)
    form = AttendanceForm(request.POST or request.GET or None, initial={"on": timezone.localdate()})
    on = timezone.localdate()
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["on"]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            signups = list(activity.signups.filter(status=SignUp.Status.SIGNED_UP))
            present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
            try:
                services.attendance_mark(signups=signups, on=on, present_ids=present, actor=_me(request))
            except services.RuleError as error:
                _apply_rule_error(form, error)
                status = 400
            else:
                messages.success(request, _("Attendance has been saved."))
                return redirect(f"{request.path}?on={on.isoformat()}")
        else:
            status = 400
    rows, helpers = selectors.activity_roster(actor=_me(request), activity=activity, on=on, route=request.path)
    return TemplateResponse(
        request,
        "activation/provider_activity.html",
        {"activity": activity, "rows": rows, "helpers": helpers, "form": form, "on": on},
        status=status,
    )


@login_required
@require_POST
def provider_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, P.MANAGE_ACTIVITIES)
    try:
        activity = selectors.proposed_activities().get(pk=pk)
    except (Activity.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    try:
        services.activity_adopt(activity=activity, provider=_provider_org(request), actor=_me(request))
    except services.RuleError as error:
        messages.error(request, error.message)
        return redirect("activation:provider_home")
    messages.success(request, _("The activity is now yours and open for sign-up. Check its details."))
    return redirect("activation:provider_activity_edit", pk=activity.pk)


# -- reports ---------------------------------------------------------------------------------
@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    _require(request, P.VIEW_REPORTS)
    orgs = _me(request).permissions.organisations_with(P.VIEW_REPORTS)
    return TemplateResponse(request, "activation/reports.html", {"r": reports.report(organisation_ids=orgs)})
