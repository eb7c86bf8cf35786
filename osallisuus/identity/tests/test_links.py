"""The verified paths from a provider login to an account: Aino's invitation link, and an
administrator's confirmation of a login that waits. A subject already linked to someone else
is never moved to another account; refusals change nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from osallisuus.core.errors import Forbidden
from osallisuus.core.models import ChangeEvent, Notification
from osallisuus.identity import services
from osallisuus.identity.errors import IdentityError
from osallisuus.identity.models import Invitation, PendingLink, ProviderLink

pytestmark = pytest.mark.django_db


def invite(personas, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(user=user, provider_key="county", actor=personas.administrator)
    link = re.search(r"http://\S+/login/oidc/invitation/\S+/", mail.outbox[-1].body).group(0)
    return invitation, link.split("127.0.0.1:8000", 1)[1]


def test_invitation__aino_opens_the_link_and_logs_in__her_login_is_connected(
    client, county, personas, django_capture_on_commit_callbacks
):
    aino = personas.participant
    subject = county.person(aino)
    invitation, path = invite(personas, aino, django_capture_on_commit_callbacks)
    message = mail.outbox[-1]
    assert message.to == [aino.email]
    assert "Hyvinvointialueen tunnus" in message.subject  # the provider's name in her language

    opened = client.get(path)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("identity:invitation")
    page = client.get(opened["Location"])
    assert page.status_code == 200
    assert path.split("/")[-2] not in page.content.decode()  # the secret is not in the page
    response = county.login(client, "aino.makinen", method="strong")

    assert response.status_code == 302
    assert response["Location"] == reverse("activation:my_plan")
    assert client.session["_auth_user_id"] == str(aino.pk)
    link = ProviderLink.objects.get(user=aino)
    assert (link.subject, link.made_by) == (subject, ProviderLink.MadeBy.INVITATION)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert ChangeEvent.objects.filter(verb="identity.link.created", subject=aino).exists()

    client.logout()
    assert client.get(path).status_code == 410  # used once only


def test_invitation__subject_already_linked_to_someone_else__is_refused_and_nothing_changes(
    client, county, personas, django_capture_on_commit_callbacks
):
    aino, jari = personas.participant, personas.participant2
    jaris_login = county.link(jari, county.person(jari))
    invitation, path = invite(personas, aino, django_capture_on_commit_callbacks)
    client.get(path)

    response = county.login(client, "jari.koopikka")  # Jari logs in on Aino's invitation

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert list(ProviderLink.objects.all()) == [jaris_login]
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_invitation__account_already_connected_to_another_login__is_refused(
    client, county, personas, django_capture_on_commit_callbacks
):
    aino = personas.participant
    old = county.link(aino, county.person(aino, username="aino-old"))
    with pytest.raises(IdentityError) as refused:
        services.invitation_send(user=aino, provider_key="county", actor=personas.administrator)
    assert refused.value.code == "already_linked"
    assert not Invitation.objects.exists()
    # An invitation sent before she was connected cannot add a second login either.
    old.delete()
    _invitation, path = invite(personas, aino, django_capture_on_commit_callbacks)
    county.link(aino, county.person(aino, username="aino-old"))
    county.person(aino)
    client.get(path)
    response = county.login(client, "aino.makinen")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert ProviderLink.objects.filter(user=aino).count() == 1


def test_invitation__expired_or_unknown_link__is_a_calm_410(
    client, county, personas, django_capture_on_commit_callbacks
):
    invitation, path = invite(personas, personas.participant, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at="2020-01-01T00:00:00Z")
    for target in (path, "/login/oidc/invitation/no-such-link/", "/login/oidc/invitation/"):
        response = client.get(target)
        assert response.status_code == 410
        assert "Tämä kutsulinkki ei toimi" in response.content.decode()


def test_invitation__only_administrators_send_and_only_to_people_the_provider_serves(county, personas):
    with pytest.raises(Forbidden):
        services.invitation_send(user=personas.participant, provider_key="county", actor=personas.own_worker)
    with pytest.raises(IdentityError) as refused:  # Kaisa is at the NGO; the provider serves the county
        services.invitation_send(user=personas.coordinator, provider_key="county", actor=personas.administrator)
    assert refused.value.code == "not_served"
    assert not Invitation.objects.exists()


def test_administrator_confirms_a_waiting_login_in_the_admin_site(client, county, personas, login):
    aino = personas.participant
    subject = county.person(aino, username="aino-new-phone")
    county.login(client, "aino-new-phone")
    pending = PendingLink.objects.get(subject=subject)
    assert pending.account == aino  # suggested by the verified e-mail, not linked
    client.logout()

    admin = login(personas.administrator)
    page = admin.get(f"/admin/identity/pendinglink/{pending.pk}/change/")
    assert page.status_code == 200
    assert "Yhdistä kirjautuminen valittuun tiliin" in page.content.decode()
    response = admin.post(
        f"/admin/identity/pendinglink/{pending.pk}/change/", {"account": aino.pk, "_confirm_link": "1"}
    )

    assert response.status_code == 302
    link = ProviderLink.objects.get(user=aino)
    assert (link.subject, link.made_by) == (subject, ProviderLink.MadeBy.ADMINISTRATOR)
    assert not PendingLink.objects.exists()
    assert Notification.objects.filter(user=aino, kind="identity.linked").exists()
    assert ChangeEvent.objects.filter(verb="identity.link.confirmed", actor=personas.administrator).exists()

    admin.logout()
    assert county.login(client, "aino-new-phone").status_code == 302
    assert client.session["_auth_user_id"] == str(aino.pk)


def test_administrator_confirmation__refused_for_an_account_the_provider_does_not_serve(
    client, county, personas, login
):
    subject = county.server.add_user("someone", "provider-password-1", first_name="Someone", last_name="Else")
    county.login(client, "someone")
    pending = PendingLink.objects.get(subject=subject)
    admin = login(personas.administrator)
    response = admin.post(
        f"/admin/identity/pendinglink/{pending.pk}/change/",
        {"account": personas.coordinator.pk, "_confirm_link": "1"},
        follow=True,
    )
    assert "ei palvele" in response.content.decode()
    assert not ProviderLink.objects.exists()
    assert PendingLink.objects.filter(pk=pending.pk).exists()


def test_confirmation_by_someone_not_an_administrator__is_refused(county, personas):
    pending = PendingLink.objects.create(provider="county", issuer=county.server.issuer, subject="x")
    with pytest.raises(Forbidden):
        services.pending_link_confirm(pending=pending, account=personas.participant, actor=personas.coordinator)
    assert not ProviderLink.objects.exists()


def test_administrator_refuses_a_waiting_login(county, personas, login):
    pending = PendingLink.objects.create(provider="county", issuer=county.server.issuer, subject="x")
    admin = login(personas.administrator)
    response = admin.post(f"/admin/identity/pendinglink/{pending.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not PendingLink.objects.exists()
    assert ChangeEvent.objects.filter(verb="identity.pending.refused").exists()


def test_administrator_sends_an_invitation_in_the_admin_site(
    county, personas, login, django_capture_on_commit_callbacks
):
    admin = login(personas.administrator)
    assert admin.get("/admin/identity/invitation/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/identity/invitation/add/", {"user": personas.participant.pk, "provider": "county"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.user == personas.participant
    assert invitation.created_by == personas.administrator
    assert len(mail.outbox) == 1
    assert "/login/oidc/invitation/" in mail.outbox[0].body
    assert invitation.token_hash not in mail.outbox[0].body
