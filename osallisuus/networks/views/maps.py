"""Maps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core import formatting
from osallisuus.core.access import Action as LogAction
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import exports, permissions, picture, selectors, services
from ..forms import (
    MapForm,
    MapPersonForm,
    MapShareForm,
    MapVersionForm,
)
from ..models import MapPerson, Quality, Sector
from .base import _refused, _require


# -- personal network maps ------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def maps(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = MapForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_map = services.map_create(actor=user, title=form.cleaned_data["title"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Your map has been started. Add the people around you."))
            return redirect("networks:map", personal_map.pk)
    rows = list(selectors.maps_for(actor=user))
    from osallisuus.core.access import log_listing  # noqa: PLC0415 - one listing of the shared maps

    log_listing(actor=user, rows=rows, subject_of=lambda m: m.owner_id, purpose="network map", route=request.path)
    selectors.log_users_shown(
        actor=user,
        users=[m.shared_with for m in rows if m.owner_id == user.pk],
        purpose="network map sharing",
        route=request.path,
    )
    return render(
        request,
        "networks/maps.html",
        {
            "own": [m for m in rows if m.owner_id == user.pk],
            "shared": [m for m in rows if m.owner_id != user.pk],
            "form": form,
        },
        status=form_status(request),
    )


def _map_page(
    request: AuthedRequest,
    personal_map: Any,
    *,
    status: int = 200,
    person_form: Any = None,
    version_form: Any = None,
    share_form: Any = None,
) -> HttpResponse:
    user = request.user
    versions = selectors.map_versions(personal_map)
    latest = versions[-1]
    compare_id = request.GET.get("compare")
    earlier = (
        next((v for v in versions if str(v.pk) == compare_id), None)
        if compare_id
        else (versions[0] if len(versions) > 1 else None)
    )
    if earlier is not None and earlier.pk == latest.pk:
        earlier = None
    sector_labels = dict(Sector.choices)
    circle_labels = dict(MapPerson.Circle.choices)
    owner_label = _("%(name)s herself") % {"name": personal_map.owner.full_name}

    def drawing(version: Any) -> Any:
        return picture.map_svg(
            title=_("Network map of %(date)s") % {"date": formatting.date(version.made_on)},
            owner_label=owner_label,
            people=list(version.people.all()),
            sector_labels={k: str(v) for k, v in sector_labels.items()},
            circle_labels={k: str(v) for k, v in circle_labels.items()},
        )

    is_owner = personal_map.owner_id == user.pk
    workers = list(accounts.workers_of(person_id=user.pk)) if is_owner else []
    selectors.log_users_shown(actor=user, users=workers, purpose="network map sharing", route=request.path)
    context = {
        "map": personal_map,
        "latest": latest,
        "earlier": earlier,
        "versions": versions,
        "latest_svg": drawing(latest),
        "earlier_svg": drawing(earlier) if earlier else None,
        "person_form": person_form or MapPersonForm(),
        "version_form": version_form or MapVersionForm(),
        "share_form": share_form
        or MapShareForm(initial={"worker": personal_map.shared_with_id or ""}, workers=workers),
        "is_owner": is_owner,
        "legend": picture.legend_quality(),
        "sectors": [(k, str(v)) for k, v in Sector.choices],
        "qualities": dict(Quality.choices),
    }
    return render(request, "networks/map.html", context, status=status)


@login_required
@require_GET
def map_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _map_page(request, selectors.map_get(actor=request.user, pk=pk, route=request.path))


@login_required
@require_POST
def map_person_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    personal_map = selectors.map_get(actor=user, pk=pk, route=request.path)
    form = MapPersonForm(request.POST)
    if form.is_valid():
        try:
            services.map_person_add(actor=user, personal_map=personal_map, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("%(name)s has been added to the map.") % {"name": form.cleaned_data["name"]})
            return redirect(reverse("networks:map", args=[personal_map.pk]) + "#people")
    return _map_page(request, personal_map, status=400, person_form=form)


@login_required
@require_POST
def map_person_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.map_person_get(actor=user, pk=pk, route=request.path)
    try:
        services.map_person_remove(actor=user, person=person)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The person has been taken off the map."))
    return redirect(reverse("networks:map", args=[person.version.map_id]) + "#people")


@login_required
@require_POST
def map_version_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    personal_map = selectors.map_get(actor=user, pk=pk, route=request.path)
    form = MapVersionForm(request.POST)
    if form.is_valid():
        try:
            services.map_version_new(actor=user, personal_map=personal_map, note=form.cleaned_data["note"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("A new version has been started. The earlier one is kept for comparison."))
            return redirect("networks:map", personal_map.pk)
    return _map_page(request, personal_map, status=400, version_form=form)


@login_required
@require_POST
def map_share(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    personal_map = selectors.map_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_share_map(user, personal_map))
    form = MapShareForm(request.POST, workers=list(accounts.workers_of(person_id=user.pk)))
    if form.is_valid():
        try:
            worker = form.cleaned_data["worker"]
            services.map_share(actor=user, personal_map=personal_map, worker_id=int(worker) if worker else None)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Saved. Only you and the person you chose can see the map."))
            return redirect("networks:map", personal_map.pk)
    return _map_page(request, personal_map, status=400, share_form=form)


@login_required
@require_GET
def map_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    personal_map = selectors.map_get(actor=request.user, pk=pk, route=request.path, action=LogAction.EXPORT)
    latest = selectors.map_versions(personal_map)[-1]
    svg = picture.map_svg(
        title=personal_map.title,
        owner_label=personal_map.owner.full_name,
        people=list(latest.people.all()),
        sector_labels={k: str(v) for k, v in Sector.choices},
        circle_labels={k: str(v) for k, v in MapPerson.Circle.choices},
    )
    pdf = exports.map_pdf({"map": personal_map, "version": latest, "svg": svg})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="network-map-{latest.made_on.isoformat()}.pdf"'
    return response
