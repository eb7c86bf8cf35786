"""The module's notices go through the foundation's notification centre: registered kinds, the
recipient's own language, full links in the e-mail; the old experts notices were copied there
(issue 10, item 6)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from osallisuus.accounts.models import User
from osallisuus.core import notifications
from osallisuus.core.models import Notification
from osallisuus.experts import notices, services

from .factories import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_every_kind__is_registered_with_a_label():
    registered = {k.code: k for k in notifications.kinds()}
    for kind in notices.KINDS:
        assert registered[kind.code].label == kind.label


def test_new_offer__reaches_the_expert_in_his_language_with_a_full_link(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    p = world.personas
    User.objects.filter(pk=p.expert.pk).update(preferred_language="sv")
    p.expert.refresh_from_db()
    request = world.request(title="Luento opiskelijoille")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.offer_make(actor=p.coordinator, request=request, experts=[world.eero])[0]
    notice = Notification.objects.get(user=p.expert, kind=notices.NEW_OFFER)
    assert notice.message.startswith("Du har ett nytt uppdragserbjudande: Luento opiskelijoille")
    assert notice.url == reverse("experts:offer_detail", args=[offer.pk])
    (mail,) = [m for m in mailoutbox if m.to == [p.expert.email]]
    assert mail.subject == "Nytt uppdragserbjudande: Luento opiskelijoille"
    assert f"{settings.SITE_URL}{notice.url}" in mail.body


def test_reminder__says_tomorrow_and_the_time_in_finnish(world):
    p = world.personas
    starts = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    request = world.request(starts_in=starts - timezone.now())
    offer = services.offer_make(actor=p.coordinator, request=request, experts=[world.eero])[0]
    services.offer_accept(actor=p.expert, offer=offer)
    now = starts - dt.timedelta(hours=20)
    assert services.send_reminders(now=now) == 1
    subjects = set(Notification.objects.filter(kind=notices.REMINDER).values_list("subject", flat=True))
    assert subjects == {"Muistutus: Luento mielenterveydestä huomenna klo\xa010.00"}


def test_status_change__is_told_in_the_experts_language_whoever_changes_it(world):
    p = world.personas
    User.objects.filter(pk=p.expert.pk).update(preferred_language="sv")
    world.eero.user.refresh_from_db()
    until = timezone.localdate() + dt.timedelta(days=30)
    services.expert_status_change(actor=p.coordinator, expert=world.eero, status="active", paused_until=until)
    notice = Notification.objects.get(user=p.expert, kind=notices.REGISTRY)
    assert notice.message == (
        f"Du har paus till och med {until.day}.{until.month}.{until.year}. Du erbjuds inga uppdrag före det."
    )


def test_migration__copies_the_old_experts_notices_into_the_notification_centre(personas):
    """0008 on a table of the old shape: every notice is copied with its text, link, time and
    read mark (kind ``experts.legacy``), and moved back when the migration is undone."""
    old_apps = (
        MigrationLoader(connection)
        .project_state([("experts", "0007_request_fee_amount"), ("core", "0004_notifications")])
        .apps
    )
    old_notification = old_apps.get_model("experts", "Notification")
    editor = connection.SchemaEditorClass(connection, collect_sql=True)
    editor.deferred_sql = []
    editor.create_model(old_notification)
    with connection.cursor() as cursor:
        for statement in [*editor.collected_sql, *editor.deferred_sql]:
            cursor.execute(str(statement))
    made = timezone.now() - dt.timedelta(days=3)
    old_notification.objects.create(
        user_id=personas.expert.pk, message="Uusi tehtävätarjous", url="/experts/offers/", created_at=made
    )
    old_notification.objects.create(
        user_id=personas.orderer.pk, message="Tehtävä peruttiin", url="", created_at=made, read_at=made
    )
    migration = importlib.import_module("osallisuus.experts.migrations.0008_notifications_to_core")

    migration.to_core(old_apps, None)

    copied = Notification.objects.filter(kind=notices.LEGACY).order_by("user_id")
    assert {(n.user_id, n.message, n.url, n.read_at is not None) for n in copied} == {
        (personas.expert.pk, "Uusi tehtävätarjous", "/experts/offers/", False),
        (personas.orderer.pk, "Tehtävä peruttiin", "", True),
    }
    assert all(n.created_at == made and n.emailed_at is not None for n in copied)  # no e-mail again
    migration.back_to_experts(old_apps, None)
    assert not Notification.objects.filter(kind=notices.LEGACY).exists()
    assert old_notification.objects.count() == 4
