"""Goals: writing one, the goal page with its notes and versions, changing, accepting, comparing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.errors import refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import permissions, selectors, services
from ..forms import GoalEditForm, GoalForm, NoteForm
from ..models import GOAL_VERSIONED_FIELDS, Goal
from ._common import plan_url


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="write a goal", route=request.path, for_edit=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(plan=plan, actor=request.user, **form.cleaned_data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            if goal.is_proposal:
                messages.success(
                    request,
                    _("The goal has been proposed. It becomes part of the plan when the participant accepts it."),
                )
            else:
                messages.success(request, _("Your goal has been saved."))
            return redirect(plan_url(request.user, plan))
    context = {
        "form": form,
        "plan": plan,
        "goal": None,
        "by_participant": plan.participant_id == request.user.pk,
        "back_url": plan_url(request.user, plan),
    }
    return render(request, "activation/goal_form.html", context, status=form_status(request))


def _goal_page(request: AuthedRequest, goal: Goal, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "goal": goal,
        "plan": goal.plan,
        "page": selectors.goal_page(goal=goal, viewer=request.user),
        "note_form": NoteForm(),
        "back_url": plan_url(request.user, goal.plan),
        **extra,
    }
    return render(request, "activation/goal_detail.html", context, status=status)


@login_required
@require_GET
def goal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=request.user, pk=pk, purpose="read a goal", route=request.path)
    return _goal_page(request, goal)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=request.user, pk=pk, purpose="change a goal", route=request.path, for_edit=True)
    initial = {name: getattr(goal, name) for name in GOAL_VERSIONED_FIELDS}
    if goal.is_proposal:
        initial["lifecycle_status"] = Goal.Lifecycle.ACTIVE  # the participant accepts it by saving
    form = GoalEditForm(request.POST or None, initial=initial)
    if not permissions.can_set_goal_status(request.user, goal):
        form.fields.pop("lifecycle_status")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        try:
            services.goal_update(goal=goal, actor=request.user, reason=reason, **data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The goal has been saved. The earlier version is kept in the history."))
            return redirect("activation:goal", pk=goal.pk)
    context = {"form": form, "plan": goal.plan, "goal": goal, "back_url": plan_url(request.user, goal.plan)}
    return render(request, "activation/goal_form.html", context, status=form_status(request))


@login_required
@require_POST
def goal_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=request.user, pk=pk, purpose="accept a goal", route=request.path, for_edit=True)
    try:
        services.goal_accept(goal=goal, actor=request.user)
    except services.RuleError as error:
        messages.error(request, error.message)
        return _goal_page(request, goal, status=400)
    messages.success(request, _("The goal is now part of your plan."))
    return redirect("activation:goal", pk=goal.pk)


@login_required
@require_POST
def goal_note(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(
        actor=request.user, pk=pk, purpose="write a progress note", route=request.path, for_edit=True
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.goal_note_add(goal=goal, actor=request.user, text=form.cleaned_data["text"])
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Your note has been saved."))
            return redirect("activation:goal", pk=goal.pk)
    return _goal_page(request, goal, status=400, note_form=form)


@login_required
@require_GET
def goal_compare(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_get(actor=request.user, pk=pk, purpose="compare goal versions", route=request.path)
    numbers = selectors.goal_version_numbers(goal=goal)
    context: dict[str, Any] = {"goal": goal, "numbers": numbers, "rows": []}
    try:
        new = int(request.GET.get("new") or numbers[-1])
        old = int(request.GET.get("old") or (numbers[-2] if len(numbers) > 1 else numbers[-1]))
        context.update(rows=selectors.goal_versions_compare(goal=goal, old=old, new=new), old=old, new=new)
    except (ValueError, KeyError, IndexError):
        context["error"] = _("Choose two versions of this goal.")
        return render(request, "activation/goal_compare.html", context, status=400)
    return render(request, "activation/goal_compare.html", context)
