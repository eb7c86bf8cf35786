"""The feedback form (the accessibility statement's feedback channel) and the form pattern on it."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from osallisuus.core.models import Feedback
from osallisuus.core.tests.shell_html import find, one, text

pytestmark = pytest.mark.django_db


def _post(client, data, *, lang="fi"):
    client.cookies["django_language"] = lang
    return client.post("/feedback/", data)


def test_feedback__valid_post__saves_one_message_and_thanks_the_sender(client):
    response = _post(
        client,
        {
            "topic": "accessibility",
            "message": "  Kontrasti on liian heikko etusivulla.  ",
            "page_url": "/",
            "email": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    assert feedback.message == "Kontrasti on liian heikko etusivulla."
    assert feedback.topic == "accessibility"
    assert feedback.sender is None
    assert feedback.handled is False


def test_feedback__logged_in_sender__is_recorded(client, personas, login):
    login(personas.participant)

    client.post("/feedback/", {"topic": "service", "message": "Hyvä palvelu."})

    assert Feedback.objects.get().sender == personas.participant


def test_feedback__invalid_post__answers_400_keeps_the_text_and_saves_nothing(client):
    typed = "Lomake ei toimi, kun painan Lähetä – äöå"

    response = _post(client, {"message": typed, "page_url": "/account/people/", "email": "aino@"})

    assert response.status_code == 400
    html = response.content.decode()
    assert one(html, "textarea", name="message").text.strip() == typed
    assert one(html, "input", name="email").get("value") == "aino@"
    assert one(html, "input", name="page_url").get("value") == "/account/people/"
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_feedback__invalid_post__explains_each_error_in_the_users_language(client, lang):
    response = _post(client, {"topic": "", "message": "   ", "email": "not-an-address"}, lang=lang)

    assert response.status_code == 400
    html = response.content.decode()
    assert one(html, "html").get("lang") == lang
    with translation.override(lang):
        expected = [
            gettext("Please check the following"),
            gettext("Choose what your feedback is about."),
            gettext("Write your feedback."),
            gettext("Check the e-mail address, for example name@example.fi."),
        ]
        title_prefix = gettext("Error:")
    page_text = text(html)
    for message in expected:
        assert text(message) in page_text
    assert one(html, "title").text.strip().startswith(title_prefix)
    assert Feedback.objects.count() == 0


def test_feedback__invalid_post__links_each_error_to_its_field(client):
    response = _post(client, {"topic": "", "message": "", "email": "x"})
    html = response.content.decode()

    summary = one(html, "div", id="error-summary")
    assert summary.get("role") == "alert"
    assert summary.get("tabindex") == "-1"
    assert "autofocus" in summary.attrs
    links = [a.get("href") for a in find(html, "a") if a.inside("div") and "error-summary" in _ids(a)]
    assert links == ["#id_topic_0", "#id_message", "#id_email"]
    for target in ("id_topic_0", "id_message", "id_email"):
        assert len(find(html, "input", id=target)) + len(find(html, "textarea", id=target)) == 1

    message = one(html, "textarea", name="message")
    assert message.get("aria-invalid") == "true"
    assert message.get("aria-describedby") == "id_message_error id_message_helptext"
    assert gettext("Write your feedback.") in one(html, "p", id="id_message_error").text
    assert one(html, "p", id="id_message_helptext")

    email = one(html, "input", name="email")
    assert email.get("aria-invalid") == "true"
    assert email.get("aria-describedby") == "id_email_error"

    # The radio group is a fieldset with a legend; its error is linked from the fieldset.
    radios = find(html, "input", type="radio", name="topic")
    assert len(radios) == 2
    fieldset = radios[0].inside("fieldset")
    assert fieldset is not None
    assert fieldset.get("aria-describedby") == "id_topic_error"
    assert all(r.inside("fieldset") is fieldset for r in radios)
    assert len([e for e in find(html, "legend") if e.inside("fieldset") is fieldset]) == 1
    assert all(r.get("aria-invalid") == "true" for r in radios)


def _ids(element):
    return {p.get("id") for p in element.parents}


def test_feedback__required_marks__are_explained(client):
    html = client.get("/feedback/").content.decode()

    note = one(html, "p", class_="form-required-note")
    assert "*" in note.text
    marks = find(html, "span", class_="hds-text-input__required")
    assert len(marks) == 2  # topic and message; page address and e-mail are optional
    assert all(m.get("aria-hidden") == "true" for m in marks)
    assert "required" in one(html, "textarea", name="message").attrs
    assert "required" not in one(html, "input", name="email").attrs


def test_feedback__unknown_topic__is_refused(client):
    response = _post(client, {"topic": "spam", "message": "Hei"})

    assert response.status_code == 400
    assert one(response.content.decode(), "textarea", name="message").text.strip() == "Hei"
    assert Feedback.objects.count() == 0


def test_feedback__message_over_5000_characters__is_refused(client):
    response = _post(client, {"topic": "service", "message": "ä" * 5001})

    assert response.status_code == 400
    assert Feedback.objects.count() == 0
    assert one(response.content.decode(), "textarea", name="message").get("aria-invalid") == "true"


def test_feedback__page_address_from_the_footer_link__is_filled_in(client):
    html = client.get("/feedback/?page=/accessibility/").content.decode()

    assert one(html, "input", name="page_url").get("value") == "/accessibility/"


def test_feedback__form__posts_to_its_own_address_without_javascript(client):
    html = client.get("/feedback/").content.decode()

    form = [f for f in find(html, "form") if f.get("action") == "/feedback/"]
    assert len(form) == 1
    assert form[0].get("method") == "post"
