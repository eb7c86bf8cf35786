"""Pages of an application: the page itself (plan, outputs, costs, financing, attachments, the
decisions and the combined financing table), the draft form (save and continue, submit), the
confirmation, withdrawal, resubmission, users, attachments and EURA identifiers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.access import Shown, log_access
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate

from .. import permissions, selectors, services
from ..forms import ApplicationForm, AttachmentForm, EuraForm, ResubmitForm, UserAddForm
from ..models import Application, Attachment
from ..selectors.money import decisions_with_money_visible_to
from ._base import refused, require


@login_required
@require_GET
def my_applications(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not permissions.orgs_with(user, permissions.P.APPLY):
        raise Http404
    sorts = {"updated": ("-updated_at", "-pk"), "title": (finnish("title"), "pk")}
    listing = paginate(request, selectors.my_applications(user), sorts=sorts, default_sort="updated", per_page=25)
    return render(request, "funding/my_applications.html", {"listing": listing})


def application_context(user: Any, application: Application, route: str = "", **extra: Any) -> dict[str, Any]:
    applicant_side = permissions.is_applicant_side(user, application)
    context: dict[str, Any] = {
        "a": application,
        "applicant_side": applicant_side,
        "totals": services.totals_of(application),
        "outputs": list(application.outputs.all()),
        "costs": list(application.costs.all()),
        "financing": list(application.financing.all()),
        "attachments": list(application.attachments.all()),
        "users": list(application.users.select_related("user")),
        "co_applicants": list(application.co_applicants.all()),
        "decisions": list(application.decisions.select_related("funder__organisation", "decider")),
        "combined": selectors.combined_financing(application),
        # The granted decisions whose payments, outputs and reports this person may open.
        "money_ids": set(
            decisions_with_money_visible_to(user).filter(application=application).values_list("pk", flat=True)
        ),
        "hearings": list(application.hearings.all()) if permissions.can_see_hearing(user, application) else [],
        "can_edit": permissions.can_edit_application(user, application),
        "can_withdraw": permissions.can_withdraw(user, application),
        "can_review": permissions.can_review(user, application),
        "can_decide": permissions.can_decide(user, application),
        "can_hear": permissions.can_hold_hearing(user, application),
        "is_funder": permissions.review_funders(user, application).exists()
        or permissions.decide_funders(user, application).exists(),
    }
    if context["is_funder"]:
        context["summary"] = selectors.recommendation_summary(application)
        context["reviews"] = selectors.reviews_for(user, application)
        context["eura_form"] = extra.pop("eura_form", None) or EuraForm(
            initial={
                "eura_application_number": application.eura_application_number,
                "eura_project_code": application.eura_project_code,
                "diary_number": application.diary_number,
            }
        )
    if applicant_side and application.status != Application.Status.DRAFT:
        context["resubmit_form"] = extra.pop("resubmit_form", None) or ResubmitForm(
            calls=selectors.later_open_calls(user, application)
        )
    if applicant_side and application.status != Application.Status.WITHDRAWN:
        context["attachment_form"] = extra.pop("attachment_form", None) or AttachmentForm()
        context["user_form"] = extra.pop("user_form", None) or UserAddForm()
    context.update(extra)
    shown = Shown(user, "funding application", route)
    shown.add(*[u.user for u in context["users"]], *[d.decider for d in context["decisions"]])
    if "reviews" in context:
        own = context["reviews"]["own"]
        shown.add(*[r.reviewer for r in context["reviews"]["others"]], own.reviewer if own else None)
    shown.log()
    return context


@login_required
@require_GET
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "funding/application.html", application_context(request.user, application, request.path))


def _row_counts(application: Application, data: Any = None) -> tuple[int, int]:
    def count(name: str, existing: int) -> int:
        if data is not None:
            raw = str(data.get(f"{name}-count", "")).strip()
            if raw.isdigit():
                return min(max(int(raw), 1), 60)
        return existing + ApplicationForm.BLANK_ROWS

    return count("outputs", application.outputs.count()), count("costs", application.costs.count())


def _initial(application: Application) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for i, output in enumerate(application.outputs.all()):
        initial.update(
            {
                f"outputs-{i}-description": output.description,
                f"outputs-{i}-indicator": output.indicator,
                f"outputs-{i}-target": f"{output.target.normalize():f}".replace(".", ","),
                f"outputs-{i}-unit": output.unit,
            }
        )
    for i, cost in enumerate(application.costs.all()):
        initial.update(
            {
                f"costs-{i}-category": cost.category,
                f"costs-{i}-description": cost.description,
                f"costs-{i}-amount": f"{cost.amount:f}".replace(".", ","),
            }
        )
    for line in application.financing.all():
        initial[f"financing-{line.source}"] = f"{line.amount:f}".replace(".", ",")
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_for_applicant(actor=user, pk=pk, route=request.path)
    require(permissions.can_edit_application(user, application))
    outputs, costs = _row_counts(application, request.POST if request.method == "POST" else None)
    partners = [o for o in accounts.organisations_all() if o.pk != application.applicant_id]
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "add_output":
            outputs += 1
        elif action == "add_cost":
            costs += 1
        data = request.POST.copy()
        data["outputs-count"], data["costs-count"] = str(outputs), str(costs)
        form = ApplicationForm(data, instance=application, outputs=outputs, costs=costs, partners=partners)
        if action in ("add_output", "add_cost"):
            form.is_valid()
            form.errors.clear()
            return render(
                request,
                "funding/application_form.html",
                {"form": form, "a": application, "totals": services.totals_of(application)},
            )
        if form.is_valid():
            try:
                services.application_save(
                    actor=user,
                    application=application,
                    plan=form.plan_data(),
                    outputs=form.output_data(),
                    costs=form.cost_data(),
                    financing=form.financing_data(),
                    co_applicants=form.cleaned_data.get("co_applicants") or [],
                )
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                if action != "submit":
                    messages.success(request, _("The draft has been saved. You can continue it later."))
                    return redirect("funding:application_edit", application.pk)
                try:
                    services.application_submit(actor=user, application=application)
                except Refusal as refusal:
                    refusal_to_form(form, refusal)
                    messages.info(request, _("The draft has been saved, but it was not submitted yet."))
                else:
                    return redirect("funding:application_submitted", application.pk)
    else:
        initial = {
            **_initial(application),
            "co_applicants": [str(pk) for pk in application.co_applicants.values_list("pk", flat=True)],
        }
        form = ApplicationForm(initial=initial, instance=application, outputs=outputs, costs=costs, partners=partners)
    application.refresh_from_db()
    return render(
        request,
        "funding/application_form.html",
        {"form": form, "a": application, "totals": services.totals_of(application)},
        status=form_status(request),
    )


@login_required
@require_GET
def application_submitted(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_applicant(actor=request.user, pk=pk, route=request.path)
    if application.status == Application.Status.DRAFT:
        return redirect("funding:application_edit", application.pk)
    return render(request, "funding/application_submitted.html", {"a": application})


@login_required
@require_POST
def application_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_for_applicant(actor=user, pk=pk, route=request.path)
    try:
        services.application_withdraw(actor=user, application=application)
    except Refusal as refusal:
        refused(request, refusal)
    else:
        messages.success(request, _("The application has been withdrawn. You can resubmit it to a later call."))
    return redirect("funding:application", application.pk)


@login_required
@require_POST
def application_resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_for_applicant(actor=user, pk=pk, route=request.path)
    form = ResubmitForm(request.POST, calls=selectors.later_open_calls(user, application))
    if form.is_valid():
        try:
            copy = services.application_resubmit(actor=user, application=application, call=form.cleaned_data["call"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("A new draft has been made from the application. Check it and submit it."))
            return redirect("funding:application_edit", copy.pk)
    return render(
        request,
        "funding/application.html",
        application_context(user, application, request.path, resubmit_form=form),
        status=400,
    )


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_for_applicant(actor=user, pk=pk, route=request.path)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=user, application=application, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect("funding:application", application.pk)
    return render(
        request,
        "funding/application.html",
        application_context(user, application, request.path, attachment_form=form),
        status=400,
    )


@login_required
@require_GET
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    attachment = Attachment.objects.filter(pk=pk, application__in=permissions.application_visible_to(user)).first()
    if attachment is None:
        raise Http404
    if attachment.uploaded_by_id and attachment.uploaded_by_id != user.pk:
        log_access(
            actor=user,
            subject_id=attachment.uploaded_by_id,
            obj=attachment,
            action="download",
            purpose="funding application",
            route=request.path,
        )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def application_user_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_for_applicant(actor=user, pk=pk, route=request.path)
    form = UserAddForm(request.POST)
    if form.is_valid():
        try:
            services.application_user_add(actor=user, application=application, email=form.cleaned_data["email"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("She can now write and read the application."))
            return redirect("funding:application", application.pk)
    return render(
        request,
        "funding/application.html",
        application_context(user, application, request.path, user_form=form),
        status=400,
    )


@login_required
@require_POST
def application_eura(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_as_funder(actor=user, pk=pk, route=request.path)
    form = EuraForm(request.POST)
    if form.is_valid():
        try:
            services.eura_update(actor=user, application=application, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The EURA identifiers have been saved."))
            return redirect("funding:application", application.pk)
    return render(
        request,
        "funding/application.html",
        application_context(user, application, request.path, eura_form=form),
        status=400,
    )
