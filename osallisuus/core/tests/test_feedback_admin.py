"""Administrators read feedback and mark it handled (permission feedback.handle)."""

from __future__ import annotations

import pytest

from osallisuus.core.models import AccessLogEntry, ChangeEvent, Feedback
from osallisuus.core.tests.shell_html import find, text

pytestmark = pytest.mark.django_db

NOT_HANDLERS = ["participant", "own_worker", "coordinator", "expert", "analyst", "funder_officer"]


def _feedback(*, sender=None, message="Painike ei näy.", handled=False):
    return Feedback.objects.create(topic="accessibility", message=message, sender=sender, handled=handled)


def test_feedback_admin__administrator__sees_open_feedback_and_each_read_is_logged(client, personas, login):
    aino = personas.participant
    from_aino = _feedback(sender=aino, message="Fonttikoko on pieni.")
    anonymous = _feedback(message="Linkki ei toimi.")
    _feedback(message="Vanha asia.", handled=True)
    admin = personas.administrator
    login(admin)

    response = client.get("/manage/feedback/")

    assert response.status_code == 200
    page = text(response.content.decode())
    assert "Fonttikoko on pieni." in page
    assert "Linkki ei toimi." in page
    assert "Vanha asia." not in page
    entries = list(AccessLogEntry.objects.filter(actor=admin))
    assert [(e.subject_id, e.object_type, e.object_id, e.action) for e in entries] == [
        (aino.pk, "core.feedback", str(from_aino.pk), "list")
    ]
    assert entries[0].purpose
    assert entries[0].actor_organisation
    assert "Fonttikoko" not in entries[0].purpose + entries[0].actor_label + entries[0].route
    assert anonymous.pk  # anonymous feedback has nobody to log against


def test_feedback_admin__show_all__includes_handled_feedback(client, personas, login):
    _feedback(message="Vanha asia.", handled=True)
    login(personas.administrator)

    response = client.get("/manage/feedback/?show=all")

    assert "Vanha asia." in text(response.content.decode())


@pytest.mark.parametrize("persona", NOT_HANDLERS)
def test_feedback_admin__without_permission__is_refused_and_nothing_is_logged(client, personas, login, persona):
    _feedback(sender=personas.participant2)
    login(personas[persona])

    response = client.get("/manage/feedback/")

    assert response.status_code == 403
    assert "Painike ei näy." not in response.content.decode()
    assert AccessLogEntry.objects.count() == 0


def test_feedback_admin__anonymous__is_sent_to_login(client):
    response = client.get("/manage/feedback/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_feedback_admin__administrator_without_second_factor__must_give_the_code(client, personas, login):
    login(personas.administrator, second_factor=False)

    response = client.get("/manage/feedback/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/second-factor/")


def test_feedback_mark_handled__administrator__marks_it_and_records_an_event(client, personas, login):
    feedback = _feedback(sender=personas.participant)
    admin = personas.administrator
    login(admin)

    response = client.post(f"/manage/feedback/{feedback.pk}/handled/", {"next": "/manage/feedback/?show=all"})

    assert response.status_code == 302
    assert response["Location"] == "/manage/feedback/?show=all"
    feedback.refresh_from_db()
    assert feedback.handled is True
    event = ChangeEvent.objects.get(verb="core.feedback.handled")
    assert (event.actor_id, event.subject_id, event.target_id) == (admin.pk, personas.participant.pk, str(feedback.pk))


def test_feedback_mark_handled__twice__records_one_event(client, personas, login):
    feedback = _feedback()
    login(personas.administrator)

    client.post(f"/manage/feedback/{feedback.pk}/handled/")
    client.post(f"/manage/feedback/{feedback.pk}/handled/")

    assert ChangeEvent.objects.filter(verb="core.feedback.handled").count() == 1


def test_feedback_mark_handled__next_to_another_site__goes_back_to_the_list(client, personas, login):
    feedback = _feedback()
    login(personas.administrator)

    response = client.post(f"/manage/feedback/{feedback.pk}/handled/", {"next": "//evil.example/"})

    assert response["Location"] == "/manage/feedback/"


@pytest.mark.parametrize("persona", NOT_HANDLERS)
def test_feedback_mark_handled__without_permission__is_refused_and_nothing_changes(client, personas, login, persona):
    feedback = _feedback()
    login(personas[persona])

    response = client.post(f"/manage/feedback/{feedback.pk}/handled/")

    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.handled is False
    assert not ChangeEvent.objects.filter(verb="core.feedback.handled").exists()


def test_feedback_mark_handled__missing_feedback__is_404(client, personas, login):
    login(personas.administrator)

    response = client.post("/manage/feedback/999999/handled/")

    assert response.status_code == 404
    assert not ChangeEvent.objects.filter(verb="core.feedback.handled").exists()


def test_feedback_mark_handled__get__is_not_allowed(client, personas, login):
    feedback = _feedback()
    login(personas.administrator)

    response = client.get(f"/manage/feedback/{feedback.pk}/handled/")

    assert response.status_code == 405
    feedback.refresh_from_db()
    assert feedback.handled is False


def test_feedback_admin__handled_feedback__has_no_button_and_open_feedback_has_one(client, personas, login):
    open_one = _feedback(message="Auki.")
    done = _feedback(message="Valmis.", handled=True)
    login(personas.administrator)

    html = client.get("/manage/feedback/?show=all").content.decode()

    actions = {f.get("action") for f in find(html, "form") if f.get("method") == "post"}
    assert f"/manage/feedback/{open_one.pk}/handled/" in actions
    assert f"/manage/feedback/{done.pk}/handled/" not in actions
