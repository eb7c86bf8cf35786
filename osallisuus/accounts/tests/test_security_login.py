"""Login by e-mail, errors that never tell whether an account exists, and the lockout
(django-axes with its database handler) that holds across app processes."""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.translation import gettext, ngettext, override

from osallisuus.core.demo import DEMO_PASSWORD

LOGIN_URL = "/account/login/"
UNKNOWN_EMAIL = "ei.ketaan@demo.osallisuus.fi"
WRONG_PASSWORD = "Väärä-salasana-123"
REPO = Path(settings.BASE_DIR)


def _normalised(html: str, email: str) -> str:
    """The page without what differs on every request (CSRF tokens) and with the typed e-mail
    replaced, so two answers can be compared as text."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', html)
    return html.replace(email, "EMAIL")


def _post_login(client: Client, email: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


def _fail(client: Client, email: str, times: int) -> list[int]:
    return [_post_login(client, email, WRONG_PASSWORD).status_code for _ in range(times)]


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# -- login ----------------------------------------------------------------------------


def test_login__participant_with_email_and_password__is_logged_in(client, personas):
    # given Aino, whose role needs no second factor
    aino = personas.participant
    # when she logs in with her e-mail and password
    response = _post_login(client, aino.email, DEMO_PASSWORD)
    # then she is taken to the front page, logged in
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(aino.pk)


def test_login__email_in_other_letter_case__is_the_same_account(client, personas):
    aino = personas.participant
    response = _post_login(client, aino.email.upper(), DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(aino.pk)


def test_login__unknown_email__gives_same_message_as_wrong_password(client, personas):
    # given an existing account and an e-mail nobody has
    kaisa = personas.coordinator
    # when both are tried with a wrong password
    wrong_password = _post_login(client, kaisa.email, WRONG_PASSWORD)
    unknown_email = _post_login(Client(), UNKNOWN_EMAIL, WRONG_PASSWORD)
    # then the answers are the same page with the same status
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert _normalised(wrong_password.content.decode(), kaisa.email) == _normalised(
        unknown_email.content.decode(), UNKNOWN_EMAIL
    )
    with override("fi"):
        expected = gettext("The e-mail address or password is wrong. Check them and try again.")
    assert expected in wrong_password.content.decode()
    assert not _is_logged_in(client)


def test_login__inactive_account_with_right_password__gives_same_message_as_wrong_password(client, personas):
    # given Ville, whose account has been closed
    ville = personas.own_worker
    ville.is_active = False
    ville.save(update_fields=["is_active"])
    # when he logs in with the right password, and someone tries a wrong one
    inactive = _post_login(client, ville.email, DEMO_PASSWORD)
    unknown = _post_login(Client(), UNKNOWN_EMAIL, WRONG_PASSWORD)
    # then nothing tells that the account exists but is closed
    assert inactive.status_code == unknown.status_code == 400
    assert _normalised(inactive.content.decode(), ville.email) == _normalised(unknown.content.decode(), UNKNOWN_EMAIL)
    assert not _is_logged_in(client)


def test_login__wrong_password__keeps_the_email_but_not_the_password(client, personas):
    kaisa = personas.coordinator
    response = _post_login(client, kaisa.email, WRONG_PASSWORD)
    html = response.content.decode()
    assert f'value="{kaisa.email}"' in html
    assert WRONG_PASSWORD not in html


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("", ""),
        ("not-an-email", "x"),
        ("a" * 300 + "@example.fi", "x"),
        ("nul\x00byte@example.fi", "x"),
        ("kaisa@example.fi", "nul\x00byte"),
    ],
    ids=["empty", "not-email", "too-long", "nul-in-email", "nul-in-password"],
)
def test_login__malformed_input__is_400_with_a_message(client, personas, email, password):
    response = _post_login(client, email, password)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not _is_logged_in(client)


def test_login__next_to_another_site__goes_to_the_front_page(client, personas):
    aino = personas.participant
    response = client.post(
        LOGIN_URL, {"username": aino.email, "password": DEMO_PASSWORD, "next": "https://evil.example/steal"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login__user_with_preferred_language__gets_the_language_cookie(client, personas):
    leena = personas.network_coordinator  # prefers Swedish
    response = _post_login(client, leena.email, DEMO_PASSWORD)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "sv"
    assert cookie["samesite"] == "Lax"


# -- lockout --------------------------------------------------------------------------


def test_lockout__after_failure_limit__answers_429_with_the_calm_page(client, personas):
    # given Kaisa's e-mail tried with wrong passwords up to the limit
    kaisa = personas.coordinator
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _fail(client, kaisa.email, limit)
    # then the attempts before the limit are ordinary refusals and the last one locks
    assert statuses[:-1] == [400] * (limit - 1)
    assert statuses[-1] == 429
    # and even the right password is refused while the lock lasts
    response = _post_login(client, kaisa.email, DEMO_PASSWORD)
    assert response.status_code == 429
    assert not _is_logged_in(client)
    html = response.content.decode()
    assert '<html lang="fi">' in html
    with override("fi"):
        assert gettext("Logging in is paused for a while") in html
    minutes = max(1, math.ceil(float(settings.AXES_COOLOFF_TIME or 0) * 60))
    with override("fi"):
        paused = ngettext(
            "There were several unsuccessful attempts to log in, so logging in is paused for %(minutes)s minute"
            " to protect your account.",
            "There were several unsuccessful attempts to log in, so logging in is paused for %(minutes)s minutes"
            " to protect your account.",
            minutes,
        ) % {"minutes": minutes}
    assert paused in html
    assert int(response["Retry-After"]) == round(settings.AXES_COOLOFF_TIME * 3600)
    assert kaisa.email not in html


def test_lockout__unknown_email__gets_the_same_answer_as_existing(client, personas):
    # given an existing and an unknown e-mail, both tried up to the limit
    kaisa = personas.coordinator
    limit = settings.AXES_FAILURE_LIMIT
    existing = _fail(Client(), kaisa.email, limit)
    unknown = _fail(Client(), UNKNOWN_EMAIL, limit)
    # then every answer on the way is the same
    assert existing == unknown
    # and the lockout pages are the same
    locked_existing = _post_login(Client(), kaisa.email, DEMO_PASSWORD)
    locked_unknown = _post_login(Client(), UNKNOWN_EMAIL, DEMO_PASSWORD)
    assert locked_existing.status_code == locked_unknown.status_code == 429
    assert _normalised(locked_existing.content.decode(), kaisa.email) == _normalised(
        locked_unknown.content.decode(), UNKNOWN_EMAIL
    )


def test_lockout__email_in_other_letter_cases__counts_as_one(client, personas):
    # given an attacker who changes the letter case of the e-mail on every try
    kaisa = personas.coordinator
    variants = [kaisa.email, kaisa.email.upper(), kaisa.email.title(), kaisa.email.capitalize(), kaisa.email.swapcase()]
    statuses = [_post_login(client, variants[i % len(variants)], WRONG_PASSWORD).status_code for i in range(5)]
    # then the lock still comes at the limit
    assert statuses[-1] == 429
    assert AccessAttempt.objects.filter(username=kaisa.email).count() == 1


def test_lockout__failures_with_one_client__lock_out_a_brand_new_client(personas):
    # given failures made through one connection (one browser, one app process)
    kaisa = personas.coordinator
    _fail(Client(), kaisa.email, settings.AXES_FAILURE_LIMIT - 1)
    # when a brand-new client (no cookies, no session) makes one more failure
    fresh = Client()
    last = _post_login(fresh, kaisa.email, WRONG_PASSWORD)
    # then it is locked out: the counter lives in the database, not in the client or the process
    assert last.status_code == 429
    assert _post_login(Client(), kaisa.email, DEMO_PASSWORD).status_code == 429


def test_lockout__other_user_agent__does_not_reset_the_count(personas):
    kaisa = personas.coordinator
    limit = settings.AXES_FAILURE_LIMIT
    # given failures from a different browser (user agent) every time
    statuses = [
        _post_login(Client(HTTP_USER_AGENT=f"agent-{i}"), kaisa.email, WRONG_PASSWORD).status_code for i in range(limit)
    ]
    # then the lock still comes at the limit
    assert statuses[-1] == 429
    assert _post_login(Client(HTTP_USER_AGENT="yet-another"), kaisa.email, DEMO_PASSWORD).status_code == 429


def test_lockout__right_password_before_limit__resets_the_count(client, personas):
    aino = personas.participant
    _fail(client, aino.email, settings.AXES_FAILURE_LIMIT - 1)
    assert _post_login(Client(), aino.email, DEMO_PASSWORD).status_code == 302
    # the count starts again: the next failures are ordinary refusals
    assert _fail(Client(), aino.email, settings.AXES_FAILURE_LIMIT - 1) == [400] * (settings.AXES_FAILURE_LIMIT - 1)


def test_lockout__one_locked_email__does_not_lock_others_from_the_same_address(client, personas):
    kaisa, aino = personas.coordinator, personas.participant
    _fail(client, kaisa.email, settings.AXES_FAILURE_LIMIT)
    assert _post_login(Client(), aino.email, DEMO_PASSWORD).status_code == 302


# -- several app processes ---------------------------------------------------------------
#
# Each step below runs in its own Python process (``manage.py shell``), like app processes
# behind a load balancer. They share nothing but a database of their own, copied from the
# migrated test database: a SQLite file, or a PostgreSQL database made from it as a template.

APP_PROCESS = """
import json, os
from django.test import Client

from axes.models import AccessAttempt
from osallisuus.accounts.models import User

if os.environ.get("CREATE_USER"):
    User.objects.create_user(os.environ["CREATE_USER"], os.environ["RIGHT_PASSWORD"], full_name="Prosessi Testi")
email = os.environ.get("LOGIN_EMAIL")
statuses = []
if email:
    client = Client()
    wrong = {"username": email, "password": "wrong-in-this-process"}
    statuses = [client.post("/account/login/", wrong).status_code for _ in range(int(os.environ["FAILURES"]))]
    if os.environ.get("THEN_RIGHT_PASSWORD"):
        right = {"username": email, "password": os.environ["RIGHT_PASSWORD"]}
        statuses.append(Client().post("/account/login/", right).status_code)
failures = {a.username: a.failures_since_start for a in AccessAttempt.objects.all()}
print("RESULT=" + json.dumps({"statuses": statuses, "failures": failures}))
"""

PROCESS_EMAIL = "prosessi.testi@demo.osallisuus.fi"


@pytest.fixture
def shared_database(tmp_path, django_db_setup, django_db_blocker):
    """A DATABASE_URL of a database of its own for app processes to share: a copy of the
    migrated, still empty test database (no test data is committed in it)."""
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        target = tmp_path / "shared.sqlite3"
        with sqlite3.connect(s["NAME"]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        yield f"sqlite:///{target}"
        return
    import psycopg

    name = f"{s['NAME']}_processes"
    conninfo = {
        "host": s.get("HOST") or "127.0.0.1",
        "port": s.get("PORT") or 5432,
        "user": s.get("USER") or "postgres",
        "password": s.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with django_db_blocker.unblock():
        connection.close()  # a template database must have no other sessions
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{s["NAME"]}"')
    password = f":{conninfo['password']}" if conninfo["password"] else ""
    yield f"postgres://{conninfo['user']}{password}@{conninfo['host']}:{conninfo['port']}/{name}"
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _app_process(database_url: str, **env_extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "OSALLISUUS_TEST_DB"} and not key.startswith("PYTEST")
    }
    env.update(
        DATABASE_URL=database_url,
        OSALLISUUS_TESTING="1",
        ALLOWED_HOSTS="testserver",
        RIGHT_PASSWORD=DEMO_PASSWORD,
        LOG_LEVEL="ERROR",
        **env_extra,
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(REPO / "manage.py"), "shell", "-c", APP_PROCESS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT="))
    return json.loads(line.removeprefix("RESULT="))


def test_lockout__failures_in_two_processes__lock_out_a_third_process(shared_database):
    # given two app processes (the first also creates the account), each
    # making fewer failures than the limit for the same e-mail
    email = PROCESS_EMAIL
    limit = settings.AXES_FAILURE_LIMIT
    first, second = (limit - 1) // 2, limit - 1 - (limit - 1) // 2
    one = _app_process(shared_database, CREATE_USER=email, LOGIN_EMAIL=email, FAILURES=str(first))
    assert one["statuses"] == [400] * first
    two = _app_process(shared_database, LOGIN_EMAIL=email, FAILURES=str(second))
    assert two["statuses"] == [400] * second
    assert two["failures"][email] == limit - 1  # one counter for both processes
    # when a third process gets the failure that reaches the limit, and then the right password
    three = _app_process(shared_database, LOGIN_EMAIL=email, FAILURES="1", THEN_RIGHT_PASSWORD="1")
    # then it locks, and even the right password is refused there
    assert three["statuses"] == [429, 429]
