"""What the identity module keeps, and for how long: waiting logins go after 30 days, used or
expired invitations after 30 more, session records 90 days after they ended; a session that
ended here without a logout is marked expired first. A new invitation ends the earlier one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from osallisuus.identity import services
from osallisuus.identity.models import Invitation, LoginSession, PendingLink

pytestmark = pytest.mark.django_db


def test_cleanup__removes_only_what_is_past_its_time(county, personas):
    now = timezone.now()
    link = county.link(personas.participant, "sub-1")
    old_pending = PendingLink.objects.create(
        provider="county", issuer="i", subject="old", last_seen_at=now - dt.timedelta(days=31)
    )
    fresh_pending = PendingLink.objects.create(provider="county", issuer="i", subject="new")
    old_invitation = Invitation.objects.create(
        user=personas.participant, provider="county", token_hash="a" * 64, expires_at=now - dt.timedelta(days=31)
    )
    live_invitation = Invitation.objects.create(
        user=personas.participant, provider="county", token_hash="b" * 64, expires_at=now + dt.timedelta(days=1)
    )
    lost = LoginSession.objects.create(link=link, session_key="gone", started_at=now - dt.timedelta(days=2))
    ended_long_ago = LoginSession.objects.create(
        link=link, session_key="x", ended_at=now - dt.timedelta(days=91), end_reason="logout"
    )
    ended_lately = LoginSession.objects.create(
        link=link, session_key="y", ended_at=now - dt.timedelta(days=5), end_reason="logout"
    )

    counts = services.cleanup(now=now)

    assert counts == {"sessions_expired": 1, "pending_removed": 1, "invitations_removed": 1, "sessions_removed": 1}
    assert set(PendingLink.objects.all()) == {fresh_pending}
    assert set(Invitation.objects.all()) == {live_invitation}
    assert set(LoginSession.objects.all()) == {lost, ended_lately}
    lost.refresh_from_db()
    assert lost.end_reason == LoginSession.EndReason.EXPIRED
    assert not PendingLink.objects.filter(pk=old_pending.pk).exists()
    assert not LoginSession.objects.filter(pk=ended_long_ago.pk).exists()
    assert not Invitation.objects.filter(pk=old_invitation.pk).exists()


def test_new_invitation__ends_the_earlier_one(county, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_send(user=personas.participant, provider_key="county", actor=personas.administrator)
        second = services.invitation_send(
            user=personas.participant, provider_key="county", actor=personas.administrator
        )
    from osallisuus.identity import selectors

    assert selectors.invitation_usable(pk=first.pk) is None
    assert selectors.invitation_usable(pk=second.pk) == second


def test_data_subject_rights__her_connected_login_is_in_her_export_and_erasure_removes_it(county, personas):
    from osallisuus.privacy import services as privacy

    aino = personas.participant
    link = county.link(aino, "aino-at-county")
    LoginSession.objects.create(link=link, session_key="secret-session-key", sid="secret-sid", acr="loa3")

    export = privacy.subject_export(subject=aino, actor=aino)

    (row,) = export["models"]["identity.providerlink"]["rows"]
    assert row["subject"] == "aino-at-county"
    (session_row,) = export["models"]["identity.loginsession"]["rows"]
    assert session_row["acr"] == "loa3"
    assert "secret-session-key" not in str(export)
    assert "secret-sid" not in str(export)

    privacy.subject_erase(subject=aino, actor=personas.administrator)
    assert not LoginSession.objects.exists()
    assert not type(link).objects.filter(pk=link.pk).exists()
