"""A personal link is a key to answering, never to reading (issue 9.1).

Aino answers from a link sent to her by e-mail. Ville, who manages the round, never sees the
link; if he gets it anyway and opens it in his own browser after she sent her answers, he sees only
the thank-you; he cannot send in her name; and a browser session that opened a link gains nothing.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from osallisuus.core.models import AccessLogEntry, ChangeEvent, Notification
from osallisuus.measurement import services
from osallisuus.measurement.models import Answer, Invitation, Response

from .factories import make_round

ANSWERS = {"goals": "4", "support": "3", "activities": "5", "stuck": "2", "next": "Haluan oppia uimaan"}
SECRET = ANSWERS["next"]


def browser(user=None) -> Client:
    """A browser of its own (its own session), logged in as ``user`` or not logged in."""
    from conftest import verify_second_factor

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        verify_second_factor(client, user)
    return client


@pytest.fixture
def round_(personas):
    """Ville's open plan check-in round with Aino invited."""
    made = make_round(organisation=personas.organisations["county"], code="plan-checkin", actor=personas.own_worker)
    services.round_invite(actor=personas.own_worker, round=made, people=[personas.participant])
    return made


def emailed_link(round_, person) -> str:
    """Send the invitations by e-mail and read the person's link from their e-mail."""
    mail.outbox.clear()
    services.invitations_email(round=round_)
    message = next(m for m in mail.outbox if m.to == [person.email])
    return re.search(r"https?://[^/\s]+(/measurement/a/[\w-]+/)", message.body).group(1)


def answer_with_link(link: str, action: str) -> Client:
    """Aino opens her link in her own browser and saves or sends her answers on the page it opens."""
    aino = browser()
    opened = aino.get(link)
    form = opened["Location"] if opened.status_code == 302 else link
    page = aino.post(form, {"view": "all", "action": action, **ANSWERS})
    assert page.status_code == 302
    return aino


def send_with_link(link: str) -> Client:
    return answer_with_link(link, "submit")


def test_worker_opens_the_clients_link_after_she_sent__sees_only_the_thank_you(personas, round_):
    link = emailed_link(round_, personas.participant)
    send_with_link(link)
    # Ville logged in, in his own browser: the link is not his
    logged_in = browser(personas.own_worker).get(link)
    # Ville logged out (any browser without a login): only the thank-you and the way to take it back
    logged_out = browser().get(link)
    assert logged_in.status_code == 403
    assert logged_out.status_code == 200
    for page in (logged_in, logged_out):
        body = page.content.decode()
        assert SECRET not in body
        assert 'name="goals"' not in body
        assert "Somewhat" not in body  # no answer labels
        assert "Agree" not in body
    assert "Thank you for your answers" in logged_out.content.decode()
    assert "/withdraw/" in logged_out.content.decode()


def test_after_she_sent__nobody_can_send_or_change_answers_in_her_name(personas, round_):
    link = emailed_link(round_, personas.participant)
    send_with_link(link)
    response = Response.objects.get(round=round_)
    before = (
        response.submitted_at,
        response.score,
        list(Answer.objects.filter(response=response).order_by("item__order").values_list("value", "text")),
    )
    worker = browser()
    changed = {**ANSWERS, "goals": "1", "next": "Ei mitään"}
    for data in ({"view": "all", "action": "submit", **changed}, {"view": "all", "action": "save", **changed}):
        page = worker.post(link, data)
        assert page.status_code in (200, 302)
    as_ville = browser(personas.own_worker).post(link, {"view": "all", "action": "submit", **changed})
    assert as_ville.status_code == 403
    response.refresh_from_db()
    after = (
        response.submitted_at,
        response.score,
        list(Answer.objects.filter(response=response).order_by("item__order").values_list("value", "text")),
    )
    assert after == before


def test_in_progress_answers__cannot_be_read_from_another_session(personas, round_):
    link = emailed_link(round_, personas.participant)
    aino = answer_with_link(link, "save")
    response = Response.objects.get(round=round_)
    assert response.status == Response.Status.IN_PROGRESS
    # Ville, logged in, tries the response's own pages
    ville = browser(personas.own_worker)
    for url in (f"/measurement/r/{response.pk}/", f"/measurement/r/{response.pk}/answers/"):
        page = ville.get(url)
        assert page.status_code == 404
        assert SECRET not in page.content.decode()
    # Even the session that opened the link gets nothing without the link itself
    for url in (f"/measurement/r/{response.pk}/", f"/measurement/r/{response.pk}/answers/"):
        page = aino.get(url)
        assert page.status_code == 302
        assert "/account/login/" in page["Location"]
    assert not [key for key, _value in aino.session.items() if key.startswith("measurement")]


def test_session_that_opened_a_link__gains_nothing_once_the_answers_are_sent(personas, round_):
    link = emailed_link(round_, personas.participant)
    aino = send_with_link(link)
    response = Response.objects.get(round=round_)
    assert response.status == Response.Status.SUBMITTED
    thanks = aino.get(link)
    answers = aino.get(f"/measurement/r/{response.pk}/answers/")
    assert SECRET not in thanks.content.decode()
    assert answers.status_code == 302
    assert "/account/login/" in answers["Location"]
    # The respondent's own account is the only reader
    own = browser(personas.participant).get(f"/measurement/r/{response.pk}/answers/")
    assert own.status_code == 200
    assert SECRET in own.content.decode()


def test_link_pages__are_not_kept_in_the_browser_cache(personas, round_):
    link = emailed_link(round_, personas.participant)
    page = browser().get(link)
    assert "no-store" in page["Cache-Control"]


def test_save_and_continue_on_a_link__reopens_where_she_stopped(personas, round_):
    link = emailed_link(round_, personas.participant)
    aino = browser()
    aino.post(link, {"view": "one", "q": "1", "action": "next", "goals": "4"})
    aino.post(link, {"view": "one", "q": "2", "action": "save", "support": "3"})
    # Later, from the e-mail again, in a new browser
    later = browser().get(link)
    assert later.status_code == 302
    assert later["Location"] == f"{link}?view=one&q=2"
    page = browser().get(later["Location"])
    assert re.search(r'name="support" value="3"[^>]*checked', page.content.decode())


def test_managers_pages__never_show_a_personal_link(
    personas, round_, login, settings, django_capture_on_commit_callbacks
):
    # the immediate backend runs the job at commit (setting it resets the cached backend)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ville = login(personas.own_worker)
    before = ville.get(f"/measurement/rounds/{round_.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        sent = ville.post(f"/measurement/rounds/{round_.pk}/send/")
    after = ville.get(f"/measurement/rounds/{round_.pk}/")
    progress = ville.get(sent["Location"])
    assert sent.status_code == 302
    assert len(mail.outbox) == 1  # the link went to Aino by e-mail
    token_path = re.search(r"/measurement/a/[\w-]+/", mail.outbox[0].body).group(0)
    for page in (before, after, progress):
        body = page.content.decode()
        assert "/measurement/a/" not in body
        assert token_path not in body
    assert Invitation.objects.get(round=round_).sent_at is not None


def test_link_is_kept_only_as_a_fingerprint__not_in_a_notice(personas, round_):
    link = emailed_link(round_, personas.participant)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(round=round_)
    assert token not in invitation.token_hash
    assert not Notification.objects.filter(message__contains=token).exists()
    assert not Notification.objects.filter(url__contains=token).exists()
    # the in-app notice of the invitation points to Questionnaires
    notice = Notification.objects.get(user=personas.participant, kind="measurement.invitation")
    assert notice.url == "/measurement/"


def test_invitation_email__in_the_recipients_language_with_a_full_link_and_a_clear_subject(personas, round_):
    aino = personas.participant
    aino.preferred_language = "sv"
    aino.save(update_fields=["preferred_language"])
    emailed_link(round_, aino)
    message = mail.outbox[0]
    assert round_.instrument.name["sv"] in message.subject
    assert message.subject.startswith("Enkät:")
    assert "Svara på enkäten" in message.body
    assert "http://" in message.body or "https://" in message.body
    assert message.alternatives  # an HTML part too


def test_invitation_email__not_sent_to_a_person_who_turned_it_off(personas, round_):
    from osallisuus.core.notifications import preferences_save

    preferences_save(user=personas.participant, email_kinds=set())
    mail.outbox.clear()
    assert services.invitations_email(round=round_) == 0
    assert mail.outbox == []
    # the invitation is still there under Questionnaires
    page = browser(personas.participant).get("/measurement/")
    assert round_.instrument.display_name in page.content.decode()


def test_print_sheets__a_logged_pdf_that_replaces_the_link(personas, round_, login):
    link = emailed_link(round_, personas.participant)
    invitation = Invitation.objects.get(round=round_)
    ville = login(personas.own_worker)
    form = ville.get(f"/measurement/rounds/{round_.pk}/sheets/")
    assert form.status_code == 200
    assert "/measurement/a/" not in form.content.decode()
    before = AccessLogEntry.objects.count()
    pdf = ville.post(f"/measurement/rounds/{round_.pk}/sheets/", {"invitations": [invitation.pk]})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF")
    entries = AccessLogEntry.objects.filter(pk__gt=0).order_by("-pk")[: AccessLogEntry.objects.count() - before]
    assert [(e.subject_id, e.action) for e in entries] == [(personas.participant.pk, "print")]
    assert ChangeEvent.objects.filter(verb="measurement.round.sheets_printed", target_id=str(round_.pk)).exists()
    invitation.refresh_from_db()
    assert invitation.sheet_printed_at is not None
    assert browser().get(link).status_code == 410  # the e-mailed link was replaced by the sheet's
    # and no reminder e-mail will replace the sheet's link
    assert services.reminders_due(round=round_, now=invitation.sheet_printed_at.replace(year=2100)) == []


def test_print_sheets__nobody_chosen__answers_400_and_changes_nothing(personas, round_, login):
    invitation = Invitation.objects.get(round=round_)
    page = login(personas.own_worker).post(f"/measurement/rounds/{round_.pk}/sheets/", {})
    assert page.status_code == 400
    invitation.refresh_from_db()
    assert invitation.token_hash == ""
    assert invitation.sheet_printed_at is None


def test_link_withdraw__deletes_the_answers_and_the_link_says_so(personas, round_):
    link = emailed_link(round_, personas.participant)
    worker = send_with_link(link)
    page = worker.post(f"{link}withdraw/")
    response = Response.objects.get(round=round_)
    assert page.status_code == 200
    assert response.status == Response.Status.WITHDRAWN
    assert not Answer.objects.filter(response=response).exists()
    again = browser().get(link)
    assert "taken back" in again.content.decode()


def test_respondent_logged_in__opening_her_own_sent_link__is_offered_her_answers(personas, round_):
    link = emailed_link(round_, personas.participant)
    send_with_link(link)
    response = Response.objects.get(round=round_)
    page = browser(personas.participant).get(link).content.decode()
    assert f"/measurement/r/{response.pk}/answers/" in page
    assert SECRET not in page


def test_group_only_instrument__a_worker_gets_no_score_from_the_link(personas):
    round_ = make_round(organisation=personas.organisations["county"], code="demo-belonging")
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    link = emailed_link(round_, personas.participant)
    values = {i.code: "5" for i in round_.instrument.items.all()}
    browser().post(link, {"view": "all", "action": "submit", **values})
    response = Response.objects.get(round=round_)
    assert response.score is not None
    body = browser().get(link).content.decode()
    assert str(response.score) not in body
    assert "100" not in body
    assert 'value="5"' not in body
