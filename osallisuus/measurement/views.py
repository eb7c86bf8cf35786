"""Pages of the measurement module. Rules live in services, reads in selectors and reports."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.access import Action, log_access
from osallisuus.core.exports import csv_bytes, safe_cell

from . import context_links, reports, selectors, services
from .definition import DefinitionError
from .forms import (
    AnswersImportForm,
    BreakdownForm,
    ExternalAssessmentForm,
    InstrumentUploadForm,
    InviteForm,
    RoundForm,
    ShareForm,
    answer_form_class,
)
from .models import Item, Response
from .permissions import can_manage_instruments, external_organisations, report_organisations, round_organisations

LINK_SESSION_KEY = "measurement_link_responses"
SCHEMA_PATH = "docs/measurement-instrument.schema.json"


def _link_ids(request: HttpRequest) -> list[int]:
    return [int(i) for i in request.session.get(LINK_SESSION_KEY, []) if str(i).isdigit()]


def _own_response(request: HttpRequest, response_id: int) -> Response:
    user = request.user if request.user.is_authenticated else None
    return selectors.response_get_for_respondent(person=user, link_ids=_link_ids(request), pk=response_id)


# -- the respondent ------------------------------------------------------------------------------
@login_required
@require_GET
def my_questionnaires(request: HttpRequest) -> HttpResponse:
    user = request.user
    return TemplateResponse(
        request,
        "measurement/my_questionnaires.html",
        {
            "invitations": list(selectors.my_invitations(person=user)),  # type: ignore[arg-type]
            "responses": list(selectors.my_responses(person=user)),  # type: ignore[arg-type]
            "external": list(selectors.external_assessments_visible(actor=user).filter(person=user)),  # type: ignore[arg-type,misc]
        },
    )


@login_required
@require_POST
def invitation_start(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.my_invitations(person=request.user).filter(pk=invitation_id).first()  # type: ignore[arg-type]
    if invitation is None:
        raise Http404
    try:
        response = services.invitation_start(invitation=invitation, person=request.user)  # type: ignore[arg-type]
    except services.MeasurementError as exc:
        messages.error(request, exc.message)
        return redirect("measurement:my_questionnaires")
    return redirect("measurement:respond", response_id=response.pk)


@require_GET
def link(request: HttpRequest, token: str) -> HttpResponse:
    """A personal link: no login needed. The session remembers the response it opened."""
    try:
        response = services.link_open(token=token)
    except services.LinkInvalid as exc:
        return TemplateResponse(request, "measurement/link_invalid.html", {"message": exc.message}, status=410)
    ids = _link_ids(request)
    if response.pk not in ids:
        request.session[LINK_SESSION_KEY] = [*ids, response.pk][-20:]
    return redirect("measurement:respond", response_id=response.pk)


def _answer_items(response: Response) -> list[Item]:
    return list(Item.objects.filter(instrument=response.instrument).order_by("order"))


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, response_id: int) -> HttpResponse:
    """Answer: purpose first, then all questions on one page or one question at a time."""
    response = _own_response(request, response_id)
    if response.status != Response.Status.IN_PROGRESS:
        return redirect("measurement:response_answers", response_id=response.pk)
    items = _answer_items(response)
    view = request.POST.get("view") or request.GET.get("view") or ""
    if view not in {"all", "one"}:
        return TemplateResponse(
            request,
            "measurement/respond_intro.html",
            {"response": response, "instrument": response.instrument, "round": response.round, "items": items},
            status=400 if request.method == "POST" else 200,
        )
    one = view == "one"
    try:
        position = int(request.POST.get("q") or request.GET.get("q") or 1)
    except ValueError:
        position = 1
    position = min(max(position, 1), len(items))
    shown = [items[position - 1]] if one else items
    form_class = answer_form_class(instrument=response.instrument, items=shown)
    saved = services.answers_of(response)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            values = {i.code: form.cleaned_data.get(i.code) for i in shown if i.kind == Item.Kind.CHOICE}
            texts = {i.code: form.cleaned_data.get(i.code) or "" for i in shown if i.kind == Item.Kind.TEXT}
            try:
                services.response_save(response=response, values=values, texts=texts)
                if action == "submit":
                    services.response_submit(response=response)
                    return redirect("measurement:response_answers", response_id=response.pk)
            except services.AnswersInvalid as exc:
                missing_here = {code: msg for code, msg in exc.errors.items() if code in form.fields}
                for code, message in missing_here.items():
                    form.add_error(code, message)
                if not missing_here:
                    first = next(i for i, item in enumerate(items, start=1) if item.code in exc.errors)
                    messages.error(request, _("Some required questions are still unanswered."))
                    return redirect(f"{reverse('measurement:respond', args=[response.pk])}?view={view}&q={first}")
                status = 400
            except services.MeasurementError as exc:
                messages.error(request, exc.message)
                return redirect("measurement:response_answers", response_id=response.pk)
            else:
                if action == "next" and one:
                    return redirect(f"{reverse('measurement:respond', args=[response.pk])}?view=one&q={position + 1}")
                if action == "previous" and one:
                    return redirect(f"{reverse('measurement:respond', args=[response.pk])}?view=one&q={position - 1}")
                messages.success(
                    request,
                    _("Your answers are saved. You can continue later with the same link or under Questionnaires."),
                )
                return redirect(f"{reverse('measurement:respond', args=[response.pk])}?view={view}&q={position}")
        else:
            status = 400
    else:
        form = form_class(initial=dict(saved.items()))
    return TemplateResponse(
        request,
        "measurement/respond.html",
        {
            "response": response,
            "instrument": response.instrument,
            "form": form,
            "view": view,
            "one": one,
            "position": position,
            "count": len(items),
            "is_last": not one or position == len(items),
            "answered": len(saved),
        },
        status=status,
    )


def _own_workers(user: Any) -> list[Any]:
    from osallisuus.accounts.models import Relationship

    if not user.is_authenticated:
        return []
    return [r.worker for r in Relationship.objects.current().filter(person=user).select_related("worker")]


@require_GET
def response_answers(request: HttpRequest, response_id: int) -> HttpResponse:
    """The respondent's own answers and a thank-you; never a score or a verdict."""
    response = _own_response(request, response_id)
    items = _answer_items(response)
    saved = services.answers_of(response)
    rows = []
    for item in items:
        value = saved.get(item.code)
        if item.kind == Item.Kind.CHOICE and value is not None:
            labels = {p["value"]: p["label"] for p in response.instrument.scale(item.scale)["points"]}
            from .models import in_language

            shown = in_language(labels.get(value))
        else:
            shown = value or ""
        rows.append({"question": item.display_text, "answer": shown})
    can_share = (
        request.user.is_authenticated
        and response.respondent_id == request.user.pk
        and response.status == Response.Status.SUBMITTED
        and response.instrument.allow_sharing_with_worker
        and not response.instrument.group_reporting_only
    )
    workers = _own_workers(request.user) if can_share else []
    if workers:
        from osallisuus.accounts.selectors import people_log_listing

        people_log_listing(
            actor=request.user,  # type: ignore[arg-type]
            people=workers,
            purpose="own workers offered as a choice for sharing answers",
            route=request.path,
        )
    share_form = ShareForm(workers=workers, initial={"worker": response.shared_with_id}) if workers else None
    return TemplateResponse(
        request,
        "measurement/response_answers.html",
        {
            "response": response,
            "instrument": response.instrument,
            "rows": rows,
            "share_form": share_form,
            "back": context_links.link_for(response=response, viewer=request.user),
        },
    )


@require_POST
def response_withdraw(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _own_response(request, response_id)
    services.response_withdraw(response=response, actor=request.user if request.user.is_authenticated else None)
    back = context_links.link_for(response=response, viewer=request.user)
    return TemplateResponse(request, "measurement/withdrawn.html", {"instrument": response.instrument, "back": back})


@login_required
@require_POST
def response_share(request: HttpRequest, response_id: int) -> HttpResponse:
    response = selectors.response_get_for_respondent(person=request.user, link_ids=[], pk=response_id)  # type: ignore[arg-type]
    workers = _own_workers(request.user)
    form = ShareForm(request.POST, workers=workers)
    if not form.is_valid():
        messages.error(request, _("Choose a worker from the list."))
        return redirect("measurement:response_answers", response_id=response.pk)
    worker = next((w for w in workers if w.pk == form.cleaned_data["worker"]), None)
    try:
        services.response_share(response=response, respondent=request.user, worker=worker)  # type: ignore[arg-type]
    except services.MeasurementError as exc:
        messages.error(request, exc.message)
    else:
        if worker is None:
            messages.success(request, _("Your answers are no longer shared."))
        else:
            messages.success(request, _("Your answers are now shared with %(name)s.") % {"name": worker.full_name})
    return redirect("measurement:response_answers", response_id=response.pk)


# -- the worker ---------------------------------------------------------------------------------
@login_required
@require_GET
def shared_with_me(request: HttpRequest) -> HttpResponse:
    found = list(selectors.responses_shared_with(worker=request.user))  # type: ignore[arg-type]
    from osallisuus.accounts.selectors import people_log_listing

    people_log_listing(
        actor=request.user,  # type: ignore[arg-type]
        people=list({r.respondent_id: r.respondent for r in found if r.respondent}.values()),
        purpose="questionnaire answers shared by clients (list)",
        route=request.path,
    )
    return TemplateResponse(request, "measurement/shared_list.html", {"responses": found})


@login_required
@require_GET
def shared_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = selectors.response_get_for_worker(worker=request.user, pk=response_id, route=request.path)  # type: ignore[arg-type]
    saved = services.answers_of(response)
    rows = []
    from .models import in_language

    for item in _answer_items(response):
        value = saved.get(item.code)
        if item.kind == Item.Kind.CHOICE and value is not None:
            labels = {p["value"]: p["label"] for p in response.instrument.scale(item.scale)["points"]}
            value = in_language(labels.get(value))
        rows.append({"question": item.display_text, "answer": value or ""})
    return TemplateResponse(request, "measurement/shared_detail.html", {"response": response, "rows": rows})


# -- rounds ---------------------------------------------------------------------------------------
def _require(request: HttpRequest, organisations: set[int]) -> None:
    if not organisations:
        raise PermissionDenied(_("You do not have the right to do this."))


@login_required
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    _require(request, round_organisations(request.user))  # type: ignore[arg-type]
    found = list(selectors.rounds_managed(actor=request.user))  # type: ignore[arg-type]
    return TemplateResponse(request, "measurement/rounds.html", {"rounds": found})


def _organisations(ids: set[int]) -> list[Any]:
    from osallisuus.accounts.selectors import organisations_all

    return list(organisations_all().filter(pk__in=ids))


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    org_ids = round_organisations(request.user)  # type: ignore[arg-type]
    _require(request, org_ids)
    organisations = _organisations(org_ids)
    form = RoundForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            tz = timezone.get_current_timezone()
            try:
                created = services.round_create(
                    actor=request.user,  # type: ignore[arg-type]
                    instrument=data["instrument"],
                    organisation=next(o for o in organisations if o.pk == data["organisation"]),
                    name=data["name"],
                    group_kind=data["group_kind"],
                    group_key=data["group_key"],
                    phase=data["phase"],
                    context_module=data["context_module"],
                    area=data["area"],
                    purpose=data["purpose"],
                    opens_at=dt.datetime.combine(data["opens_on"], dt.time.min, tzinfo=tz),
                    closes_at=dt.datetime.combine(data["closes_on"], dt.time(23, 59), tzinfo=tz),
                    retention_until=data["retention_until"],
                    retention_action=data["retention_action"],
                    min_cell_size=data["min_cell_size"],
                )
            except services.MeasurementError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The round has been created. Now invite the people in the group."))
                return redirect("measurement:round_detail", round_id=created.pk)
        status = 400
    return TemplateResponse(request, "measurement/round_form.html", {"form": form}, status=status)


def _round_page(
    request: HttpRequest,
    round_id: int,
    *,
    invite_form: Any = None,
    import_form: Any = None,
    links: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    invitations = list(selectors.invitations_of_round(round=round_))
    from osallisuus.accounts.selectors import people_log_listing

    people_log_listing(
        actor=request.user,  # type: ignore[arg-type]
        people=[i.person for i in invitations],
        purpose="measurement round: who is invited",
        route=request.path,
    )
    invited_ids = {i.person_id for i in invitations}
    candidates = [
        p
        for p in request.user.permissions.people_visible().exclude(pk=request.user.pk)  # type: ignore[union-attr,misc]
        if p.pk not in invited_ids
    ]
    rows = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        rows.append(
            {"invitation": invitation, "status": response.get_status_display() if response else _("Not started")}
        )
    return TemplateResponse(
        request,
        "measurement/round_detail.html",
        {
            "round": round_,
            "rows": rows,
            "invite_form": invite_form or (InviteForm(people=candidates) if candidates else None),
            "import_form": import_form or AnswersImportForm(),
            "links": links,
        },
        status=status,
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_page(request, round_id)


@login_required
@require_POST
def round_invite(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    visible = list(request.user.permissions.people_visible().exclude(pk=request.user.pk))  # type: ignore[union-attr,misc]
    form = InviteForm(request.POST, people=visible)
    if not form.is_valid():
        return _round_page(request, round_id, invite_form=form, status=400)
    chosen = [p for p in visible if p.pk in set(form.cleaned_data["people"])]
    created = services.round_invite(actor=request.user, round=round_, people=chosen)  # type: ignore[arg-type]
    messages.success(
        request,
        ngettext("%(count)d person invited.", "%(count)d people invited.", len(created)) % {"count": len(created)},
    )
    return redirect("measurement:round_detail", round_id=round_.pk)


@login_required
@require_POST
def round_links(request: HttpRequest, round_id: int) -> HttpResponse:
    """Make new personal links for everyone who has not answered. Shown once; only hashes are kept."""
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    links = []
    for invitation in selectors.invitations_of_round(round=round_):
        response = getattr(invitation, "response", None)
        if response is not None and response.status != Response.Status.IN_PROGRESS:
            continue
        token = services.invitation_issue_link(invitation=invitation)
        links.append({"person": invitation.person, "url": request.build_absolute_uri(services.link_url(token))})
    return _round_page(request, round_id, links=links)


@login_required
@require_POST
def round_remind(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    from osallisuus.core.jobs import job_start

    from .tasks import round_reminders

    job = job_start(
        owner=request.user,  # type: ignore[arg-type]
        kind="measurement.reminders",
        label=_("Reminders for %(round)s") % {"round": round_.name},
        task=round_reminders,
        round_id=round_.pk,
    )
    return redirect("core:job_progress", job_id=job.pk)


@login_required
@require_POST
def round_import(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    form = AnswersImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stream = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            result = services.answers_import(round=round_, stream=stream, actor=request.user)  # type: ignore[arg-type]
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."))
        except services.MeasurementError as exc:
            form.add_error("file", exc.message + " " + _("Nothing was imported."))
        else:
            messages.success(
                request,
                ngettext("%(count)d response imported.", "%(count)d responses imported.", result.responses)
                % {"count": result.responses},
            )
            return redirect("measurement:round_detail", round_id=round_.pk)
    return _round_page(request, round_id, import_form=form, status=400)


# -- reports ---------------------------------------------------------------------------------------
def _report_orgs(request: HttpRequest) -> set[int]:
    orgs = report_organisations(request.user)  # type: ignore[arg-type]
    _require(request, orgs)
    return orgs


@login_required
@require_GET
def reports_index(request: HttpRequest) -> HttpResponse:
    _report_orgs(request)
    found = list(selectors.rounds_reportable(actor=request.user))  # type: ignore[arg-type]
    groups: dict[str, list[Any]] = {}
    for round_ in found:
        groups.setdefault(round_.group_key, []).append(round_)
    changes = []
    for key, members in groups.items():
        members.sort(key=lambda r: r.phase)
        for first, second in itertools.pairwise(members):
            if first.instrument_id == second.instrument_id and first.phase != second.phase:
                changes.append({"group": key, "first": first, "second": second})
    return TemplateResponse(
        request,
        "measurement/reports.html",
        {"rounds": found, "changes": changes, "form": BreakdownForm()},
    )


@login_required
@require_GET
def round_report(request: HttpRequest, round_id: int) -> HttpResponse:
    _report_orgs(request)
    round_ = selectors.round_get_for_report(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    report = reports.round_report(round=round_)
    return TemplateResponse(request, "measurement/round_report.html", {"round": round_, "report": report})


def _xlsx_cell(value: Any) -> Any:
    """Numbers stay numbers; text goes through the formula-safe cell of the CSV writer."""
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float):
        return value
    return safe_cell(value)


def _export(report: reports.Report, fmt: str, name: str) -> HttpResponse:
    rows = reports.report_rows(report)
    if fmt == "csv":
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Report")[:31])
    for row in rows:
        sheet.append([_xlsx_cell(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def round_report_export(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    _report_orgs(request)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    round_ = selectors.round_get_for_report(actor=request.user, pk=round_id)  # type: ignore[arg-type]
    return _export(reports.round_report(round=round_), fmt, f"round-{round_.pk}")


@login_required
@require_GET
def change_report(request: HttpRequest, first_id: int, second_id: int) -> HttpResponse:
    _report_orgs(request)
    first = selectors.round_get_for_report(actor=request.user, pk=first_id)  # type: ignore[arg-type]
    second = selectors.round_get_for_report(actor=request.user, pk=second_id)  # type: ignore[arg-type]
    if first.group_key != second.group_key or first.instrument_id != second.instrument_id:
        raise Http404
    change = reports.change_report(first=first, second=second)
    return TemplateResponse(request, "measurement/change_report.html", {"change": change})


@login_required
@require_GET
def breakdown(request: HttpRequest) -> HttpResponse:
    orgs = _report_orgs(request)
    form = BreakdownForm(request.GET or None)
    report = None
    status = 200
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            from django.conf import settings

            report = reports.breakdown_report(
                instrument=data["instrument"],
                organisation_ids=orgs,
                dimension=data["dimension"],
                threshold=settings.SUPPRESSION_MIN_CELL_SIZE,
                module=data["module"],
                area=data["area"].strip(),
                since=data["since"],
                until=data["until"],
            )
            if request.GET.get("export") in {"csv", "xlsx"}:
                return _export(report, request.GET["export"], "inclusion-report")
        else:
            status = 400
    return TemplateResponse(
        request,
        "measurement/breakdown.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
        status=status,
    )


# -- instruments -----------------------------------------------------------------------------------
def _instrument_admin(request: HttpRequest) -> None:
    decision = can_manage_instruments(request.user)  # type: ignore[arg-type]
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
@require_GET
def instruments(request: HttpRequest) -> HttpResponse:
    _instrument_admin(request)
    return TemplateResponse(request, "measurement/instruments.html", {"instruments": list(selectors.instruments_all())})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_upload(request: HttpRequest) -> HttpResponse:
    _instrument_admin(request)
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.instrument_import(raw=form.cleaned_data["file"].read(), actor=request.user)  # type: ignore[arg-type]
            except DefinitionError as exc:
                problems = exc.problems
                form.add_error("file", _("The file has problems; nothing was imported. See the list below."))
            except (services.MeasurementError, IntegrityError) as exc:
                form.add_error("file", getattr(exc, "message", _("Nothing was imported.")))
            else:
                if result.created:
                    messages.success(request, _("The instrument has been imported and locked."))
                else:
                    messages.info(
                        request, _("This version was already imported with the same content; nothing changed.")
                    )
                return redirect("measurement:instrument_detail", instrument_id=result.instrument.pk)
        status = 400
    return TemplateResponse(
        request, "measurement/instrument_upload.html", {"form": form, "problems": problems}, status=status
    )


@login_required
@require_GET
def instrument_detail(request: HttpRequest, instrument_id: int) -> HttpResponse:
    _instrument_admin(request)
    instrument = selectors.instrument_get(pk=instrument_id)
    return TemplateResponse(
        request,
        "measurement/instrument_detail.html",
        {"instrument": instrument, "items": list(instrument.items.order_by("order"))},
    )


@login_required
@require_GET
def instrument_export(request: HttpRequest, instrument_id: int) -> HttpResponse:
    _instrument_admin(request)
    instrument = selectors.instrument_get(pk=instrument_id)
    response = HttpResponse(services.instrument_export(instrument=instrument), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{instrument.code}-{instrument.version}.json"'
    return response


@require_GET
def instrument_schema(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    path = settings.BASE_DIR / SCHEMA_PATH
    return HttpResponse(path.read_bytes(), content_type="application/schema+json")


# -- external instruments --------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def external(request: HttpRequest) -> HttpResponse:
    orgs = external_organisations(request.user)  # type: ignore[arg-type]
    _require(request, orgs)
    people = list(request.user.permissions.people_visible().exclude(pk=request.user.pk))  # type: ignore[union-attr,misc]
    form = ExternalAssessmentForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = next(p for p in people if p.pk == data["person"])
            from osallisuus.accounts.models import Organisation

            try:
                services.external_assessment_record(
                    actor=request.user,  # type: ignore[arg-type]
                    instrument=data["instrument"],
                    person=person,
                    organisation=Organisation.objects.get(pk=min(orgs)),
                    done_on=data["done_on"],
                    result_location=data["result_location"],
                )
            except services.MeasurementError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Recorded."))
                return redirect("measurement:external")
        status = 400
    records = list(selectors.external_assessments_visible(actor=request.user).exclude(person=request.user))  # type: ignore[arg-type,misc]
    for record in {r.person_id: r for r in records}.values():
        log_access(
            actor=request.user,  # type: ignore[arg-type]
            subject_id=record.person_id,
            obj=record,
            action=Action.LIST,
            purpose="external instruments recorded (list)",
            route=request.path,
        )
    return TemplateResponse(
        request,
        "measurement/external.html",
        {"form": form, "records": records, "instruments": list(selectors.external_instruments())},
        status=status,
    )
