"""The programme's own pages for the unit that runs it: yearly envelopes, frame documents, info
events and calls. The rules (a cap never below what is decided, weights adding up to 100 %, a call
that closes after it opens) are in the services, whose refusals are shown beside the field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render

from .. import selectors, services
from ..forms import CallForm, EnvelopeForm, FrameDocumentForm, InfoEventForm
from ..models import Programme


def _page(request: AuthedRequest, programme: Programme, status: int = 200, **forms: Any) -> HttpResponse:
    funders = list(programme.funders.select_related("organisation"))
    context = {
        "programme": programme,
        "envelopes": selectors.envelope_rows(programme),
        "envelope_form": forms.get("envelope_form") or EnvelopeForm(funders=funders, prefix="envelope"),
        "document_form": forms.get("document_form") or FrameDocumentForm(prefix="document"),
        "event_form": forms.get("event_form") or InfoEventForm(prefix="event"),
        "call_form": forms.get("call_form") or CallForm(funders=funders, prefix="call"),
    }
    return render(request, "funding/manage.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def manage(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_manager(actor=request.user, pk=pk, route=request.path)
    return _page(request, programme)


@login_required
@require_POST
def envelope_save(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get_for_manager(actor=user, pk=pk, route=request.path)
    funders = list(programme.funders.select_related("organisation"))
    form = EnvelopeForm(request.POST, funders=funders, prefix="envelope")
    if form.is_valid():
        funder = next(f for f in funders if str(f.pk) == form.cleaned_data["funder"])
        try:
            services.envelope_set(
                actor=user,
                funder=funder,
                year=form.cleaned_data["year"],
                cap=form.cleaned_data["cap"],
                source=form.cleaned_data["source"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The envelope has been saved."))
            return redirect("funding:manage", programme.pk)
    return _page(request, programme, 400, envelope_form=form)


@login_required
@require_POST
def document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get_for_manager(actor=user, pk=pk, route=request.path)
    form = FrameDocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("kind", "title", "url", "dated")}
        try:
            services.frame_document_add(actor=user, programme=programme, data=data, file=form.cleaned_data["file"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The document has been added to the programme."))
            return redirect("funding:manage", programme.pk)
    return _page(request, programme, 400, document_form=form)


@login_required
@require_POST
def event_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get_for_manager(actor=user, pk=pk, route=request.path)
    form = InfoEventForm(request.POST, prefix="event")
    if form.is_valid():
        try:
            services.info_event_create(actor=user, programme=programme, data=form.data_for_service())
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The info event has been saved."))
            return redirect("funding:manage", programme.pk)
    return _page(request, programme, 400, event_form=form)


@login_required
@require_POST
def call_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get_for_manager(actor=user, pk=pk, route=request.path)
    funders = list(programme.funders.select_related("organisation"))
    form = CallForm(request.POST, funders=funders, prefix="call")
    if form.is_valid():
        opens, closes = form.moments()
        chosen = [f for f in funders if str(f.pk) in form.cleaned_data["funders"]]
        try:
            call = services.call_create(
                actor=user,
                programme=programme,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                opens_at=opens,
                closes_at=closes,
                year=form.cleaned_data["year"],
                funders=chosen,
                criteria=form.cleaned_data["criteria"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The call has been created."))
            return redirect("funding:call", call.pk)
    return _page(request, programme, 400, call_form=form)
