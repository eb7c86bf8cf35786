"""The round manager's pages: rounds, invitations, e-mailed links and reminders, printed answer
sheets, importing answers from a file.

The manager never sees a personal link on a page: links go to the people by e-mail, or on a
printed answer sheet (a PDF) made by a deliberate, logged action for people who do not use e-mail.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts.selectors import acting_organisation, organisations_acting_for
from osallisuus.core.access import Action, log_listing
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.jobs import job_start
from osallisuus.core.paging import paginate

from .. import documents, selectors, services, tasks
from ..forms import AnswersImportForm, InviteForm, RoundForm, SheetsForm
from ..models import Round
from ..permissions import P, can_manage_rounds, can_send_round_links
from .common import require

ROUNDS_PAGE_SIZE = 25
INVITEES_PAGE_SIZE = 50


@login_required
@require_GET
def rounds(request: AuthedRequest) -> HttpResponse:
    require(can_manage_rounds(request.user))
    listing = paginate(
        request,
        selectors.rounds_managed(actor=request.user),
        sorts={"opens": ("-opens_at", "pk"), "name": (finnish("name"), "pk")},
        default_sort="opens",
        per_page=ROUNDS_PAGE_SIZE,
    )
    return render(request, "measurement/rounds.html", {"listing": listing}, fragment="results")


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: AuthedRequest) -> HttpResponse:
    require(can_manage_rounds(request.user))
    organisations = list(organisations_acting_for(user=request.user, permission=P.MANAGE_ROUNDS))
    form = RoundForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            created = services.round_create(
                actor=request.user,
                instrument=data["instrument"],
                organisation=acting_organisation(
                    user=request.user, permission=P.MANAGE_ROUNDS, chosen=data.get("organisation")
                ),
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
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The round has been created. Now invite the people in the group."))
            return redirect("measurement:round_detail", round_id=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "measurement/round_form.html", {"form": form}, status=status)


def _round_page(
    request: AuthedRequest,
    round_: Round,
    *,
    invite_form: InviteForm | None = None,
    import_form: AnswersImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    listing = paginate(
        request,
        selectors.invitations_of_round(round=round_),
        sorts={"name": (finnish("person__full_name"), "pk")},
        default_sort="name",
        per_page=INVITEES_PAGE_SIZE,
    )
    selectors.log_invitees(
        actor=user, invitations=listing.rows, purpose="measurement round: who is invited", route=request.path
    )
    if invite_form is None:
        invited = selectors.invitations_of_round(round=round_).values("person_id")
        candidates = list(
            user.permissions.people_visible().exclude(pk=user.pk).exclude(pk__in=invited).order_by(finnish("full_name"))
        )
        log_listing(
            actor=user,
            rows=candidates,
            subject_of=lambda p: p.pk,
            purpose="people one may invite to a measurement round",
            route=request.path,
        )
        invite_form = InviteForm(people=candidates) if candidates else None
    rows = []
    for invitation in listing.rows:
        response = getattr(invitation, "response", None)
        rows.append(
            {"invitation": invitation, "status": response.get_status_display() if response else _("Not started")}
        )
    return render(
        request,
        "measurement/round_detail.html",
        {
            "round": round_,
            "listing": listing,
            "rows": rows,
            "links": can_send_round_links(user, round_),
            "to_email": services.invitations_to_email(round=round_).count(),
            "invite_form": invite_form,
            "import_form": import_form or AnswersImportForm(),
        },
        status=status,
    )


@login_required
@require_GET
def round_detail(request: AuthedRequest, round_id: int) -> HttpResponse:
    return _round_page(request, selectors.round_get_for_manager(actor=request.user, pk=round_id))


@login_required
@require_POST
def round_invite(request: AuthedRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)
    visible = list(request.user.permissions.people_visible().exclude(pk=request.user.pk).order_by(finnish("full_name")))
    form = InviteForm(request.POST, people=visible)
    if not form.is_valid():
        return _round_page(request, round_, invite_form=form, status=400)
    chosen = [p for p in visible if p.pk in set(form.cleaned_data["people"])]
    created = services.round_invite(actor=request.user, round=round_, people=chosen)
    messages.success(
        request,
        ngettext("%(count)d person invited.", "%(count)d people invited.", len(created)) % {"count": len(created)},
    )
    return redirect("measurement:round_detail", round_id=round_.pk)


def _emails_job(request: AuthedRequest, round_id: int, *, kind: str) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)
    decision = can_send_round_links(request.user, round_)
    if not decision:
        messages.error(request, str(decision.reason))
        return redirect("measurement:round_detail", round_id=round_.pk)
    label = (_("Invitations for %(round)s") if kind == services.INVITATION_KIND else _("Reminders for %(round)s")) % {
        "round": round_.name
    }
    job = job_start(
        owner=request.user,
        kind="measurement.round_emails",
        label=label,
        task=tasks.round_emails,
        round_id=round_.pk,
        kind_code=kind,
        actor_id=request.user.pk,
    )
    return redirect("core:job_progress", job_id=job.pk)


@login_required
@require_POST
def round_send(request: AuthedRequest, round_id: int) -> HttpResponse:
    """E-mail the personal links to the invited who have not yet been sent one (a background job)."""
    return _emails_job(request, round_id, kind=services.INVITATION_KIND)


@login_required
@require_POST
def round_remind(request: AuthedRequest, round_id: int) -> HttpResponse:
    return _emails_job(request, round_id, kind=services.REMINDER_KIND)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def round_sheets(request: AuthedRequest, round_id: int) -> HttpResponse:
    """Print the answer sheets: a PDF with a personal link for each chosen person who does not use
    e-mail. Recorded as an event, and in the access log of each person whose sheet was printed."""
    user = request.user
    round_ = selectors.round_get_for_manager(actor=user, pk=round_id)
    decision = can_send_round_links(user, round_)
    unanswered = list(selectors.invitations_unanswered(round=round_).order_by(finnish("person__full_name"), "pk"))
    form = SheetsForm(request.POST or None, invitations=unanswered)
    if request.method == "POST" and decision and form.is_valid():
        chosen = [i for i in unanswered if i.pk in set(form.cleaned_data["invitations"])]
        try:
            sheets = services.sheets_issue(actor=user, round=round_, invitations=chosen)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            log_listing(
                actor=user,
                rows=[s.invitation for s in sheets],
                subject_of=lambda i: i.person_id,
                object_of=lambda i: ("measurement.invitation", i.pk),
                purpose="answer sheets printed for people without e-mail",
                action=Action.PRINT,
                route=request.path,
            )
            pdf = documents.answer_sheets_pdf(round_=round_, sheets=sheets)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="answer-sheets-{round_.pk}.pdf"'
            return response
    log_listing(
        actor=user,
        rows=unanswered,
        subject_of=lambda i: i.person_id,
        object_of=lambda i: ("measurement.invitation", i.pk),
        purpose="measurement round: who is invited",
        route=request.path,
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "measurement/round_sheets.html", {"round": round_, "form": form, "decision": decision}, status=status
    )


@login_required
@require_POST
def round_import(request: AuthedRequest, round_id: int) -> HttpResponse:
    round_ = selectors.round_get_for_manager(actor=request.user, pk=round_id)
    form = AnswersImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stream = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            result = services.answers_import(round=round_, stream=stream, actor=request.user)
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
    return _round_page(request, round_, import_form=form, status=400)
