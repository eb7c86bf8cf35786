"""Picture."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from osallisuus.core import formatting
from osallisuus.core.access import Action as LogAction
from osallisuus.core.access import log_access
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.jobs import job_get_for_owner

from .. import exports, picture, selectors, services
from ..forms import (
    ChangeForm,
    PictureForm,
)
from ..models import Network, Snapshot
from .base import _list_page


# -- the picture ------------------------------------------------------------------------------------
def _picture_params(request: HttpRequest) -> tuple[PictureForm, dt.date, str, str]:
    form = PictureForm(request.GET or None)
    today = timezone.localdate()
    on, level, colour = today, Snapshot.Level.MEMBERS, "role"
    if form.is_valid():
        on = form.cleaned_data["on"] or today
        level = form.cleaned_data["level"] or level
        colour = form.cleaned_data["colour"] or colour
    return form, on, level, colour


def picture_context(
    network: Network, snapshot: Snapshot, colour: str, *, actor: Any = None, route: str = ""
) -> dict[str, Any]:
    result = snapshot.result
    figures = result["analysis"]
    ids = [int(k) for k in result["layout"]]
    labels = selectors.node_labels(network, snapshot.level, ids, actor=actor, route=route)
    colour_by = "group" if snapshot.level == Snapshot.Level.ORGANISATIONS else colour
    summary = _("%(nodes)s members and %(ties)s ties on %(date)s.") % {
        "nodes": formatting.count(figures["nodes"]),
        "ties": formatting.count(figures["ties"]),
        "date": formatting.date(snapshot.on),
    }
    svg, legend = picture.network_svg(
        title=_("The picture of %(network)s on %(date)s")
        % {"network": network.name, "date": formatting.date(snapshot.on)},
        description=summary,
        layout=result["layout"],
        edges=figures["edges"],
        labels=labels,
        colour_by=colour_by,
        highlight=figures["articulation"],
        ties_layer=snapshot.ties_svg or None,
    )
    betweenness = {int(k): v for k, v in figures["betweenness"].items()}
    degree = {int(k): v for k, v in figures["degree"].items()}
    community_of = {n: i + 1 for i, group in enumerate(figures["communities"]) for n in group}
    all_rows = sorted(
        (
            {
                "id": i,
                "label": labels.get(i, {}).get("label", str(i)),
                "role": labels.get(i, {}).get("role", ""),
                "group": labels.get(i, {}).get("group", ""),
                "degree": degree.get(i, 0),
                "betweenness": betweenness.get(i, 0.0),
                "articulation": i in figures["articulation"],
                "community": community_of.get(i),
            }
            for i in ids
        ),
        key=lambda r: (-r["betweenness"], -r["degree"], r["label"]),
    )
    return {
        "snapshot": snapshot,
        "svg": svg,
        "legend": legend,
        "summary": summary,
        "all_rows": all_rows,
        "answers": selectors.answers(result, labels, snapshot.level),
        "figures": figures,
    }


@login_required
@require_GET
def picture_page(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    form, on, level, colour = _picture_params(request)
    context: dict[str, Any] = {
        "network": network,
        "form": form,
        "on": on,
        "level": level,
        "colour": colour,
        "future": on > timezone.localdate(),
        "snapshots": list(selectors.snapshots_of(network)[:24]),
    }
    snapshot = selectors.snapshot_of(network, on, level)
    context["snapshot"] = snapshot
    if snapshot is not None and snapshot.status == Snapshot.Status.READY:
        context.update(picture_context(network, snapshot, colour, actor=user, route=request.path))
        keep = {
            "on": request.GET.get("on", ""),
            "level": request.GET.get("level", ""),
            "colour": request.GET.get("colour", ""),
        }
        context["listing"] = _list_page(request, context.pop("all_rows"), keep=keep)
        context["rows"] = context["listing"].rows
    elif snapshot is not None and snapshot.job_id:
        try:
            context["job"] = job_get_for_owner(owner=user, job_id=snapshot.job_id)
        except Http404:
            context["job"] = None
    return render(request, "networks/picture.html", context)


@login_required
@require_POST
def snapshot_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    form = PictureForm(request.POST)
    on, level = None, Snapshot.Level.MEMBERS
    if form.is_valid():
        on = form.cleaned_data["on"]
        level = form.cleaned_data["level"] or level
    else:
        messages.error(request, _("Give the date as day, month and year."))
        return redirect("networks:picture", network.pk)
    try:
        snapshot = services.snapshot_request(actor=user, network=network, on=on, level=level)
    except Refusal as refusal:
        return render(
            request,
            "networks/picture.html",
            {
                "network": network,
                "form": form,
                "error": refusal.message,
                "on": on,
                "level": level,
                "snapshots": list(selectors.snapshots_of(network)[:24]),
            },
            status=400,
        )
    back = reverse("networks:picture", args=[network.pk]) + f"?on={snapshot.on.isoformat()}&level={snapshot.level}"
    return redirect(back)


@login_required
@require_GET
def change(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    form = ChangeForm(request.GET or None)
    context: dict[str, Any] = {"network": network, "form": form}
    if form.is_valid():
        before, after = form.cleaned_data["before"], form.cleaned_data["after"]
        try:
            services.check_snapshot_date(before)
            services.check_snapshot_date(after)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            diff = selectors.change_between(network, before, after)
            ids = sorted({*diff["joined"], *diff["left"], *[n for pair in diff["gained"] + diff["lost"] for n in pair]})
            labels = selectors.node_labels(network, Snapshot.Level.MEMBERS, ids, actor=user, route=request.path)

            def name(i: int) -> str:
                return labels.get(i, {}).get("label", str(i))

            context["diff"] = {
                "joined": [name(i) for i in diff["joined"]],
                "left": [name(i) for i in diff["left"]],
                "gained": [(name(a), name(b)) for a, b in diff["gained"]],
                "lost": [(name(a), name(b)) for a, b in diff["lost"]],
            }
            context.update(before=before, after=after)
    return render(request, "networks/change.html", context, status=400 if form.errors else 200)


def _export_data(request: AuthedRequest, pk: int) -> tuple[Network, Snapshot, dict[int, dict[str, str]]]:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _form, on, level, _colour = _picture_params(request)
    snapshot = selectors.snapshot_of(network, on, level)
    if snapshot is None or snapshot.status != Snapshot.Status.READY:
        raise Http404
    ids = [int(k) for k in snapshot.result["layout"]]
    labels = selectors.node_labels(network, level, ids)
    for info in labels.values():
        if info.get("user_id") and info["user_id"] != str(user.pk):
            log_access(
                actor=user,
                subject_id=int(info["user_id"]),
                object_type="networks.network",
                object_id=str(network.pk),
                action=LogAction.EXPORT,
                purpose="network export",
                route=request.path,
            )
    for info in labels.values():
        info.pop("user_id", None)
        info.pop("role_code", None)
    return network, snapshot, labels


@login_required
@require_GET
def export_graphml(request: AuthedRequest, pk: int) -> HttpResponse:
    network, snapshot, labels = _export_data(request, pk)
    edges = [tuple(e) for e in snapshot.result["analysis"]["edges"]]
    response = HttpResponse(
        exports.graphml(nodes=labels, edges=edges, figures=snapshot.result["analysis"]),
        content_type="application/graphml+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="network-{network.pk}-{snapshot.on.isoformat()}.graphml"'
    return response


@login_required
@require_GET
def export_csv(request: AuthedRequest, pk: int, what: str) -> HttpResponse:
    network, snapshot, labels = _export_data(request, pk)
    figures = snapshot.result["analysis"]
    if what == "nodes":
        data = exports.nodes_csv(labels, figures)
    elif what == "ties":
        data = exports.ties_csv([tuple(e) for e in figures["edges"]])
    else:
        raise Http404
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="network-{network.pk}-{snapshot.on.isoformat()}-{what}.csv"'
    )
    return response
