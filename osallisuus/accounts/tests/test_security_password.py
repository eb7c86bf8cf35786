"""Password policy and changing one's own password."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import gettext, override

from osallisuus.core.demo import DEMO_PASSWORD
from osallisuus.core.models import ChangeEvent

URL = "/account/password/"
NEW_PASSWORD = "Kesä-mökki-järven-rannalla-7"


def _change(client: Client, *, old: str = DEMO_PASSWORD, new1: str = NEW_PASSWORD, new2: str | None = None):
    return client.post(
        URL, {"old_password": old, "new_password1": new1, "new_password2": new1 if new2 is None else new2}
    )


def test_password_policy__settings__have_the_four_validators_and_length_12():
    names = {v["NAME"].rsplit(".", 1)[-1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert set(names) >= {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "UserAttributeSimilarityValidator",
    }
    assert names["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12


def test_password_change__anonymous__is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_password_change__page__shows_the_three_fields_with_the_rules(client, personas, login):
    login(personas.participant)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html
    assert 'autocomplete="new-password"' in html
    assert "12" in response.context["form"].fields["new_password1"].help_text
    assert 'aria-describedby="id_new_password1_helptext"' in html


def test_password_change__staff_without_second_factor__is_sent_to_give_the_code(client, personas, login):
    login(personas.coordinator, second_factor=False)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/second-factor/")


def test_password_change__right_old_and_good_new__changes_it_and_keeps_the_session(client, personas, login):
    # given Aino logged in, and also logged in on another device
    aino = personas.participant
    other_device = Client()
    other_device.force_login(aino, backend="django.contrib.auth.backends.ModelBackend")
    login(aino)
    # when she changes her password
    response = _change(client)
    # then she is told so, the password works and she stays logged in here
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200
    with override("fi"):
        assert gettext("Your password has been changed.") in page.content.decode()
    aino.refresh_from_db()
    assert aino.check_password(NEW_PASSWORD)
    assert not aino.check_password(DEMO_PASSWORD)
    # and the session on the other device has ended
    assert other_device.get("/account/").status_code == 302
    # and the change is recorded, without the password
    event = ChangeEvent.objects.get(verb="accounts.password.changed", subject=aino)
    assert event.actor_id == aino.pk
    assert event.target_id == str(aino.pk)
    assert NEW_PASSWORD not in str(event.data)


def test_password_change__new_password__works_for_login(client, personas, login):
    aino = personas.participant
    login(aino)
    _change(client)
    client.post("/account/logout/")
    fresh = Client()
    assert fresh.post("/account/login/", {"username": aino.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"old": "Väärä-vanha-salasana"}, "Your old password was entered incorrectly."),
        ({"new1": "Lyhyt-12"}, "This password is too short."),
        ({"new1": "123456789012345"}, "This password is entirely numeric."),
        ({"new1": "qwerty123456"}, "This password is too common."),
        ({"new1": "aino.makinen@demo"}, "The password is too similar to the"),
        ({"new2": "Eri-salasana-kuin-ensin-99"}, "The two password fields didn"),
        ({"new1": "", "new2": ""}, "This field is required."),
        ({"old": ""}, "This field is required."),
        ({"new1": "Kesä\x00mökki-järvellä-7"}, "Null characters are not allowed."),
    ],
    ids=["wrong-old", "too-short", "numeric", "common", "like-email", "mismatch", "new-empty", "old-empty", "nul"],
)
def test_password_change__bad_input__is_400_with_message_and_nothing_changes(client, personas, login, fields, message):
    # given Aino logged in
    aino = personas.participant
    login(aino)
    hash_before = aino.password
    # when she sends a bad password change
    with_lang = {"HTTP_ACCEPT_LANGUAGE": "en"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        URL,
        {
            "old_password": fields.get("old", DEMO_PASSWORD),
            "new_password1": fields.get("new1", NEW_PASSWORD),
            "new_password2": fields.get("new2", fields.get("new1", NEW_PASSWORD)),
        },
        **with_lang,
    )
    # then the page answers 400 with a message linked to the field
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'").replace("’", "'")
    assert "data-error-summary" in html
    # and nothing changed: the password, the session, the audit trail
    aino.refresh_from_db()
    assert aino.password == hash_before
    assert client.get("/account/").status_code == 200
    assert not ChangeEvent.objects.filter(verb="accounts.password.changed").exists()


def test_password_change__bad_input__passwords_are_not_written_back(client, personas, login):
    login(personas.participant)
    response = _change(client, old="Väärä-vanha-salasana-1")
    assert "Väärä-vanha-salasana-1" not in response.content.decode()
    assert NEW_PASSWORD not in response.content.decode()
