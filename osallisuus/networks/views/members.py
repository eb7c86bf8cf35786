"""Members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import permissions, selectors, services
from ..forms import (
    AcceptForm,
    InvitationForm,
    MembershipForm,
    RotationForm,
    TieForm,
)
from .base import _network_url, _refused, _require


# -- members and invitations -------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=user, network=network, **form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The invitation has been sent. The link can be used once."))
            return redirect(_network_url(network, "members"))
    return render(request, "networks/invite.html", {"form": form, "network": network}, status=form_status(request))


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: accept with one's account or, without one, by name; or decline."""
    try:
        found = services.invitation_for_token(token)
    except Refusal as refusal:
        return render(request, "networks/invitation_gone.html", {"message": refusal.message}, status=410)
    form = AcceptForm(request.POST if request.method == "POST" else None, initial={"name": found.name})
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("answer") == "decline":
                services.invitation_decline(token=token)
                return render(
                    request,
                    "networks/invitation_gone.html",
                    {"message": _("You declined the invitation. Thank you for letting us know.")},
                )
            membership = services.invitation_accept(
                token=token,
                user=user,
                name=form.cleaned_data["name"],
                create_account=user is None and form.cleaned_data.get("create_account", False),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            if user is not None:
                messages.success(request, _("Welcome to the network."))
                return redirect(_network_url(membership.network))
            message = (
                _("Welcome to the network. The link for choosing your password is on its way to your e-mail.")
                if membership.user_id
                else _("Welcome to the network. The coordinator will be in touch.")
            )
            return render(request, "networks/invitation_gone.html", {"message": message})
    return render(
        request,
        "networks/invitation.html",
        {"form": form, "invitation": found, "signed_in": user},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    membership = selectors.membership_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_edit_membership(user, membership))
    own = membership.user_id == user.pk
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        initial={"role": membership.proposed_role or membership.role, "strengths": membership.strengths},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=user,
                membership=membership,
                role=form.cleaned_data["role"],
                strengths=form.cleaned_data["strengths"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Saved.") if own else _("Your proposal has been saved for the member to see."))
            return redirect(_network_url(membership.network, "members"))
    return render(
        request,
        "networks/membership_form.html",
        {"form": form, "membership": membership, "own": own},
        status=form_status(request),
    )


@login_required
@require_POST
def membership_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    membership = selectors.membership_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_leave(user, membership))
    try:
        services.membership_leave(actor=user, membership=membership)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("Leaving has been recorded. The history stays."))
    if membership.user_id == user.pk:
        return redirect("networks:mine")
    return redirect(_network_url(membership.network, "members"))


@login_required
@require_http_methods(["GET", "POST"])
def rotation(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    organisations = selectors.network_organisations(network)
    current = [o.pk for o in services.rotation_organisations(network)]
    form = RotationForm(
        request.POST if request.method == "POST" else None, organisations=organisations, current=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rotation_set(actor=user, network=network, organisation_ids=form.order())
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The order of the hosts has been saved."))
            return redirect(_network_url(network, "meetings"))
    return render(request, "networks/rotation.html", {"form": form, "network": network}, status=form_status(request))


@login_required
@require_POST
def tie_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    member = permissions.membership_of(user, network)
    others = [m for m in selectors.current_members(network) if member is None or m.pk != member.pk]
    form = TieForm(request.POST, members=[*others, *([member] if member else [])])
    if form.is_valid():
        target = next((m for m in [*others, member] if m and str(m.pk) == form.cleaned_data["target"]), None)
        try:
            if target is None:
                raise services.NetworkRefusal(_("Choose a current member of this network."), field="target")
            services.tie_declare(
                actor=user,
                network=network,
                target=target,
                reason=form.cleaned_data["reason"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The tie has been saved. It shows in the picture from its date on."))
            return redirect(_network_url(network, "ties"))
    return render(request, "networks/tie_form.html", {"form": form, "network": network}, status=400)
