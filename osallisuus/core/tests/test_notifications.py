"""The notification centre: notices in the recipient's language, e-mail with full links after the
transaction, the person's own choice per kind, nobody else's notices, and the retention rule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import notifications
from osallisuus.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kind():
    notifications.register_kind(notifications.Kind("test.reminder", _("Reminders of your tasks")))


def test_notify__is_written_in_the_recipients_language_whoever_triggers_it(
    personas, settings, django_capture_on_commit_callbacks
):
    # Given Aino reads Swedish
    aino = personas.participant
    aino.preferred_language = "sv"
    aino.save()
    # When a notice is made while the page is in Finnish
    with django_capture_on_commit_callbacks(execute=True):
        notice = notifications.notify(
            user=aino, kind="test.reminder", message=_("Your own details"), subject=_("Front page"), url="/plan/"
        )
    # Then it is stored and e-mailed in Swedish
    assert notice.message == "Dina egna uppgifter"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Startsida"


def test_notify__the_email_has_a_text_and_an_html_part_and_only_full_links(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://osallisuus.example.fi"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=personas.participant, kind="test.reminder", message="Muistutus", url="/plan/")
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "https://osallisuus.example.fi/plan/" in message.body
    assert 'href="https://osallisuus.example.fi/plan/"' in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs
    assert all(h.startswith("https://osallisuus.example.fi/") for h in hrefs)
    assert not re.findall(r"(?:^|\s)(/\S*)", message.body), "a link in the text part is only a path"


def test_notify__nothing_is_emailed_before_the_transaction_commits(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify(user=personas.participant, kind="test.reminder", message="Muistutus")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_notify__a_kind_turned_off_is_shown_in_the_app_but_not_emailed(personas, django_capture_on_commit_callbacks):
    aino = personas.participant
    notifications.preferences_save(user=aino, email_kinds=set())
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=aino, kind="test.reminder", message="Muistutus")
    assert mail.outbox == []
    assert notifications.unread_count(user=aino) == 1


def test_notify__an_unknown_kind_is_refused(personas):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notifications.notify(user=personas.participant, kind="nobody.knows", message="x")


def test_notify__an_address_outside_the_site_is_not_kept(personas):
    notice = notifications.notify(
        user=personas.participant, kind="test.reminder", message="x", url="https://evil.example/", email=False
    )
    assert notice.url == ""


def test_email_send__sends_a_notice_once_only(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notifications.notify(user=personas.participant, kind="test.reminder", message="x")
    assert notifications.email_send(notification_id=notice.pk) is False
    assert len(mail.outbox) == 1


def test_pages__the_header_counts_unread_notices_and_opening_one_marks_it_read(personas, login):
    aino = personas.participant
    notice = notifications.notify(user=aino, kind="test.reminder", message="Uusi tehtävä", url="/plan/", email=False)
    client = login(aino)
    page = client.get(reverse("core:home")).content.decode()
    assert 'class="badge">1' in page
    response = client.post(reverse("core:notification_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/plan/"
    assert Notification.objects.get(pk=notice.pk).read_at is not None
    assert 'class="badge"' not in client.get(reverse("core:home")).content.decode()


def test_pages__another_persons_notice_is_404_and_stays_unread(personas, login):
    notice = notifications.notify(
        user=personas.participant, kind="test.reminder", message="Ainon oma viesti", email=False
    )
    client = login(personas.own_worker)
    assert client.post(reverse("core:notification_open", args=[notice.pk])).status_code == 404
    assert Notification.objects.get(pk=notice.pk).read_at is None
    assert notice.message not in client.get(reverse("core:notifications")).content.decode()


def test_pages__the_person_chooses_per_kind_whether_to_get_email(personas, login):
    client = login(personas.participant)
    page = client.get(reverse("core:notification_settings")).content.decode()
    assert "Reminders of your tasks" in page or "test.reminder" in page
    client.post(reverse("core:notification_settings"), {"email": ["core.general"]})
    assert not notifications.wants_email(user=personas.participant, kind="test.reminder")
    assert notifications.wants_email(user=personas.participant, kind="core.general")


def test_cleanup__removes_read_notices_past_the_retention_and_keeps_unread_ones(personas, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 30
    aino = personas.participant
    old_read = notifications.notify(user=aino, kind="test.reminder", message="vanha", email=False)
    old_unread = notifications.notify(user=aino, kind="test.reminder", message="lukematon", email=False)
    fresh_read = notifications.notify(user=aino, kind="test.reminder", message="uusi", email=False)
    long_ago = timezone.now() - dt.timedelta(days=40)
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=long_ago)
    Notification.objects.filter(pk__in=[old_read.pk, fresh_read.pk]).update(read_at=timezone.now())
    assert notifications.cleanup() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, fresh_read.pk}
