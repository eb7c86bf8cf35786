"""The registry of experts by experience: the coordinator adds experts, changes their status,
records earnings limits together with them (the API's cancel and reschedule, the admin site and
the password link: test_registry_api.py).

Kaisa is the coordinator of "ngo"; Olli (made here) coordinates "ngo2", another organisation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from osallisuus.accounts.models import Membership, User
from osallisuus.core.models import AccessLogEntry, ChangeEvent, Notification
from osallisuus.experts import matching, services
from osallisuus.experts.models import (
    Agreement,
    ExperienceArea,
    Expert,
    Offer,
)

from .factories import build_world

pytestmark = pytest.mark.django_db

PAUSE_REASON = "Sairaalajakso, palaan keväällä"
LIMIT_KIND = "Työkyvyttömyyseläkkeen ansioraja"


def fi(message: str, **values: Any) -> str:
    """The message as the Finnish page shows it (escaped like the template does)."""
    with override("fi"):
        text = gettext(message)
    return escape(text % values if values else text)


def fi_plain(message: str, **values: Any) -> str:
    with override("fi"):
        text = gettext(message)
    return text % values if values else text


@pytest.fixture
def world(personas):
    return build_world(personas)


def _register_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Hanna Uusi",
        "email": "Hanna.Uusi@Example.fi",
        "preferred_language": "sv",
        "languages_list": ["fi", "sv"],
        "region": "Järvi-Suomi",
        "experience_areas": [ExperienceArea.objects.get(code="substance_use").pk],
        "perspective": "relative",
        "status": "active",
    }
    data.update(overrides)
    return data


def _counts() -> tuple[int, int, int, int]:
    return (User.objects.count(), Expert.objects.count(), Membership.objects.count(), ChangeEvent.objects.count())


# -- adding an expert ------------------------------------------------------------------------------


def test_expert_new__new_person__gets_an_account_without_password_the_expert_role_and_a_link(
    world, client, login, mailoutbox, django_capture_on_commit_callbacks
):
    p = world.personas
    ngo = p.organisations["ngo"]
    # Given Kaisa opens "Add an expert" from the expert list
    login(p.coordinator)
    listing = client.get(reverse("experts:expert_list")).content.decode()
    assert reverse("experts:expert_new") in listing
    assert client.get(reverse("experts:expert_new")).status_code == 200
    # When she adds Hanna with the least data
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experts:expert_new"), _register_form())
    # Then Hanna is an active expert of Kaisa's organisation, with what Kaisa recorded
    hanna = User.objects.get(email="hanna.uusi@example.fi")
    expert = Expert.objects.get(user=hanna)
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:expert_detail", args=[expert.pk])
    assert expert.organisation == ngo
    assert expert.status == Expert.Status.ACTIVE
    assert expert.language_list == ["fi", "sv"]
    assert expert.region == "Järvi-Suomi"
    assert expert.perspective == "relative"
    assert [a.code for a in expert.experience_areas.all()] == ["substance_use"]
    # and an account without a password, in the language chosen for her messages
    assert hanna.full_name == "Hanna Uusi"
    assert hanna.preferred_language == "sv"
    assert not hanna.has_usable_password()
    # and the expert role in the coordinator's organisation
    membership = Membership.objects.get(user=hanna, organisation=ngo)
    assert list(membership.roles.values_list("code", flat=True)) == ["expert"]
    assert hanna.permissions.has("experts.act", organisation_id=ngo.pk)
    # and a welcome in the app, and one e-mail (in Swedish) with a link to choose a password
    assert Notification.objects.filter(user=hanna, url=reverse("experts:profile")).count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["hanna.uusi@example.fi"]
    body = mailoutbox[0].body
    with override("sv"):
        assert mailoutbox[0].subject == gettext("Osallisuus: welcome to the experts by experience")
    assert mailoutbox[0].subject != "Osallisuus: welcome to the experts by experience"
    link = re.search(re.escape(settings.SITE_URL) + r"(/account/password/set/\S+/)", body)
    assert link is not None
    # and the link itself is not kept anywhere in the database
    assert not Notification.objects.filter(url__contains="/password/set/").exists()
    assert ChangeEvent.objects.filter(verb="experts.expert.registered", subject=hanna).count() == 1

    # When Hanna opens the link and chooses a password
    client.logout()
    opened = client.get(link.group(1))
    assert opened.status_code == 302
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200
    new_password = "Kesä-järvi-laituri-2027"
    done = client.post(opened["Location"], {"new_password1": new_password, "new_password2": new_password})
    # Then she can log in with it, and the link does not work a second time
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:login")
    hanna.refresh_from_db()
    assert hanna.check_password(new_password)
    assert client.get(link.group(1)).status_code == 410


def test_expert_new__person_with_an_account__keeps_account_and_password_and_gets_the_role(
    world, client, login, mailoutbox, django_capture_on_commit_callbacks
):
    p = world.personas
    matti = p.network_member  # already a network member of the village association
    login(p.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("experts:expert_new"),
            _register_form(full_name="Joku Muu Nimi", email=matti.email.upper(), preferred_language="fi"),
        )
    assert response.status_code == 302
    matti.refresh_from_db()
    expert = Expert.objects.get(user=matti)
    assert expert.organisation == p.organisations["ngo"]
    # The account stays as it was: name and password are the person's own
    assert matti.full_name == "Matti Ylä-Outinen"
    assert matti.has_usable_password()
    assert Membership.objects.filter(user=matti, organisation=p.organisations["ngo"], roles__code="expert").exists()
    assert Membership.objects.filter(user=matti, roles__code="network_member").exists()
    # and no password link is sent to someone who already has a password
    assert len(mailoutbox) == 1
    assert "/password/set/" not in mailoutbox[0].body


def test_expert_new__email_already_an_expert_here__is_refused_by_the_field_and_nothing_is_saved(world, client, login):
    p = world.personas
    login(p.coordinator)
    before = _counts()
    response = client.post(
        reverse("experts:expert_new"), _register_form(full_name="Eero Toinen", email=p.expert.email.upper())
    )
    assert response.status_code == 400
    html = response.content.decode()
    message = fi("%(email)s is already in your organisation's registry of experts by experience.", email=p.expert.email)
    assert message in html
    # The error belongs to the e-mail field, and what Kaisa typed is kept
    assert response.context["form"].errors["email"] == [
        fi_plain("%(email)s is already in your organisation's registry of experts by experience.", email=p.expert.email)
    ]
    assert 'value="Eero Toinen"' in html
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "ei-sähköposti"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"languages_list": []}, "languages_list"),
        ({"status": "ended"}, "status"),
    ],
)
def test_expert_new__bad_input__is_shown_by_the_field_and_nothing_is_saved(world, client, login, overrides, field):
    login(world.personas.coordinator)
    before = _counts()
    response = client.post(reverse("experts:expert_new"), _register_form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _counts() == before


def test_expert_new__coordinator_of_another_organisation__cannot_add_to_ours(world, client, login, other_coordinator):
    ngo, ngo2 = world.personas.organisations["ngo"], world.personas.organisations["ngo2"]
    login(other_coordinator)
    # Olli coordinates one organisation: a new expert always goes to it, whatever is posted
    response = client.post(reverse("experts:expert_new"), _register_form(organisation=ngo.pk))
    assert response.status_code == 302
    assert list(Expert.objects.filter(user__email="hanna.uusi@example.fi").values_list("organisation", flat=True)) == [
        ngo2.pk
    ]
    before = _counts()
    # The service refuses to add to ours
    with pytest.raises(services.ExpertsError):
        services.expert_register(
            actor=other_coordinator,
            organisation_id=world.personas.organisations["ngo"].pk,
            email="x@example.fi",
            full_name="X",
        )
    assert _counts() == before


@pytest.mark.parametrize("persona", ["orderer", "expert", "partner_worker", "administrator"])
def test_expert_new__not_a_coordinator__is_refused(world, client, login, persona):
    login(world.personas[persona])
    before = _counts()
    assert client.get(reverse("experts:expert_new")).status_code == 403
    assert client.post(reverse("experts:expert_new"), _register_form()).status_code == 403
    assert _counts() == before


def test_expert_invite__resends_the_link_only_to_someone_without_a_password(
    world, client, login, mailoutbox, django_capture_on_commit_callbacks
):
    p = world.personas
    registered = services.expert_register(
        actor=p.coordinator, organisation_id=p.organisations["ngo"].pk, email="uusi@example.fi", full_name="Uusi"
    )
    login(p.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experts:expert_invite", args=[registered.expert.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/account/password/set/" in mailoutbox[0].body
    # Eero has a password: a calm refusal, no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("experts:expert_invite", args=[world.eero.pk]), follow=True)
    assert fi("%(name)s has already chosen a password and can log in.", name="Eero Väisänen") in (
        refused.content.decode()
    )
    assert len(mailoutbox) == 1


# -- status ------------------------------------------------------------------------------------------


def _eligible(request: Any) -> set[int]:
    return set(matching.eligible(request).values_list("pk", flat=True))


def test_status__pause__hides_the_expert_from_matching_until_the_date_and_withdraws_offers_in_it(world, client, login):
    p = world.personas
    soon = world.request(title="Pian")
    later = world.request(title="Myöhemmin", starts_in=dt.timedelta(days=30))
    offer = services.offer_make(actor=p.coordinator, request=soon, experts=[world.eero])[0]
    assert world.eero.pk in _eligible(later)
    until = timezone.localdate() + dt.timedelta(days=10)
    login(p.coordinator)
    response = client.post(
        reverse("experts:expert_status", args=[world.eero.pk]),
        {"status": "paused", "paused_until": until.isoformat(), "pause_reason": PAUSE_REASON},
    )
    assert response.status_code == 302
    world.eero.refresh_from_db()
    assert world.eero.status == Expert.Status.ACTIVE
    assert world.eero.paused_until == until
    assert world.eero.pause_reason == PAUSE_REASON
    # Matching leaves Eero out of the task in the pause, and offers him the one after it
    soon2 = world.request(title="Pian 2")
    assert world.eero.pk not in _eligible(soon2)
    assert world.paivi.pk in _eligible(soon2)
    assert world.eero.pk in _eligible(later)
    # The open offer in the pause was withdrawn; Eero is told
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert Notification.objects.filter(user=p.expert, url=reverse("experts:profile")).exists()
    # The reason is seen by the coordinator and by Eero himself
    assert PAUSE_REASON in client.get(reverse("experts:expert_detail", args=[world.eero.pk])).content.decode()
    login(p.expert)
    assert PAUSE_REASON in client.get(reverse("experts:profile")).content.decode()
    # and not kept in the change event
    event = ChangeEvent.objects.get(verb="experts.expert.status_changed")
    assert PAUSE_REASON not in str(event.data)


def test_status__pause_reason__is_never_shown_to_the_orderer(world, client, login):
    p = world.personas
    req = world.request()
    offer = services.offer_make(actor=p.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=p.expert, offer=offer)
    services.expert_status_change(
        actor=p.coordinator,
        expert=world.eero,
        status=Expert.Status.ACTIVE,
        paused_until=timezone.localdate() + dt.timedelta(days=60),
        pause_reason=PAUSE_REASON,
    )
    for persona in ("orderer", "partner_worker"):
        login(p[persona])
        page = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
        api = client.get(f"/api/v1/experts/agreements/{agreement.pk}").content.decode()
        assert page
        assert PAUSE_REASON not in page
        assert PAUSE_REASON not in api


def test_status__pause_ending_in_the_past__is_refused_in_finnish_with_the_input_kept(world, client, login):
    p = world.personas
    login(p.coordinator)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    before = Expert.objects.values().get(pk=world.eero.pk)
    events_before = ChangeEvent.objects.count()
    response = client.post(
        reverse("experts:expert_status", args=[world.eero.pk]),
        {"status": "paused", "paused_until": yesterday.isoformat(), "pause_reason": PAUSE_REASON},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert fi("The pause cannot end in the past. Give today's date or a later one.") in html
    assert "paused_until" in response.context["form"].errors
    assert PAUSE_REASON in html
    assert yesterday.isoformat() in html
    assert Expert.objects.values().get(pk=world.eero.pk) == before
    assert ChangeEvent.objects.count() == events_before


def test_status__pause_without_a_date__asks_for_the_date(world, client, login):
    login(world.personas.coordinator)
    response = client.post(reverse("experts:expert_status", args=[world.eero.pk]), {"status": "paused"})
    assert response.status_code == 400
    assert fi("Give the date until which the pause lasts.") in response.content.decode()


def test_status__ended__keeps_the_history_and_leaves_matching__and_can_be_undone(world, client, login):
    p = world.personas
    req = world.request()
    offer = services.offer_make(actor=p.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=p.expert, offer=offer)
    login(p.coordinator)
    url = reverse("experts:expert_status", args=[world.eero.pk])
    # An agreed task ahead: the coordinator is asked to settle it first; nothing changes
    refused = client.post(url, {"status": "ended"})
    assert refused.status_code == 400
    message = fi(
        "%(name)s still has %(count)d agreed task ahead. Cancel it or agree on it with the orderer before the "
        "expert leaves the registry.",
        name="Eero Väisänen",
        count=1,
    )
    assert message in refused.content.decode()
    world.eero.refresh_from_db()
    assert world.eero.status == Expert.Status.ACTIVE
    assert world.eero.ended_on is None
    # When the task is cancelled, Eero can leave the registry
    services.agreement_cancel(actor=p.orderer, agreement=agreement)
    open_offer = services.offer_make(actor=p.coordinator, request=world.request(title="Toinen"), experts=[world.eero])[
        0
    ]
    assert client.post(url, {"status": "ended"}).status_code == 302
    world.eero.refresh_from_db()
    assert world.eero.status == Expert.Status.ENDED
    assert world.eero.ended_on == timezone.localdate()
    # Nothing was deleted: the profile, the agreement, the training and the membership stay
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert world.eero.courses.exists()
    assert Membership.objects.filter(user=p.expert, roles__code="expert").exists()
    # He is no longer offered tasks; the open offer was withdrawn
    open_offer.refresh_from_db()
    assert open_offer.status == Offer.Status.WITHDRAWN
    assert world.eero.pk not in _eligible(world.request(title="Kolmas"))
    with pytest.raises(services.ExpertsError):
        services.offer_make(actor=p.coordinator, request=world.request(title="Neljäs"), experts=[world.eero])
    # He still sees his own tasks and fee statements
    login(p.expert)
    assert client.get(reverse("experts:offers")).status_code == 200
    assert client.get(reverse("experts:limits")).status_code == 200
    # The coordinator can bring him back
    login(p.coordinator)
    assert client.post(url, {"status": "active"}).status_code == 302
    world.eero.refresh_from_db()
    assert world.eero.status == Expert.Status.ACTIVE
    assert world.eero.ended_on is None
    assert world.eero.pk in _eligible(world.request(title="Viides"))


def test_status__in_training__leaves_matching(world):
    p = world.personas
    services.expert_status_change(actor=p.coordinator, expert=world.eero, status=Expert.Status.IN_TRAINING)
    assert world.eero.pk not in _eligible(world.request())


def test_status_service__coordinator_of_another_organisation__is_refused_and_nothing_changes(world, other_coordinator):
    before = Expert.objects.values().get(pk=world.eero.pk)
    with pytest.raises(services.ExpertsError):
        services.expert_status_change(actor=other_coordinator, expert=world.eero, status=Expert.Status.ENDED)
    with pytest.raises(services.ExpertsError):
        services.expert_status_change(actor=world.personas.orderer, expert=world.eero, status=Expert.Status.ENDED)
    assert Expert.objects.values().get(pk=world.eero.pk) == before


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("experts:expert_detail", "get", None),
        ("experts:expert_status", "get", None),
        ("experts:expert_status", "post", {"status": "ended"}),
        ("experts:expert_limits", "get", None),
        ("experts:expert_limits", "post", {"remove": "1"}),
        ("experts:expert_invite", "post", {}),
        ("experts:certificate_pdf", "get", None),
    ],
)
def test_coordinator_of_another_organisation__gets_the_same_404_as_for_a_missing_expert(
    world, client, login, other_coordinator, name, method, data
):
    login(other_coordinator)
    before = Expert.objects.values().get(pk=world.eero.pk)
    log_before = AccessLogEntry.objects.count()
    theirs = getattr(client, method)(reverse(name, args=[world.eero.pk]), data or {})
    missing = getattr(client, method)(reverse(name, args=[999_999]), data or {})
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert Expert.objects.values().get(pk=world.eero.pk) == before
    assert AccessLogEntry.objects.count() == log_before
