"""Oversized and malformed requests get 400 or 413, never 500; CSRF failures get the
friendly 403 page in the user's language. Every refusal leaves the data unchanged."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.test.client import encode_multipart

from osallisuus.core.models import Feedback

FEEDBACK_URL = "/feedback/"
API_URL = "/api/v1/jobs/access-log-export"
GOOD_FEEDBACK = {"topic": "service", "message": "Sivu toimii hyvin.", "page_url": "", "email": ""}
BOUNDARY = "OsallisuusRajaXYZ"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def feedback_client(db) -> Client:
    return Client(raise_request_exception=False)


def _assert_nothing_saved() -> None:
    assert Feedback.objects.count() == 0


def test_feedback__good_post__is_saved(feedback_client):
    # the control case: the requests below differ from this only in what is wrong
    response = feedback_client.post(FEEDBACK_URL, GOOD_FEEDBACK)
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


# -- too large: 413 ------------------------------------------------------------------------


def test_oversized__declared_length_over_the_limit__is_413_before_reading(feedback_client):
    # given a request that says its body is larger than the limit (the body is never read)
    response = feedback_client.post(
        FEEDBACK_URL, GOOD_FEEDBACK, CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1)
    )
    # then the answer is 413 with the friendly page in the user's language
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="fi">' in response.content.decode()
    _assert_nothing_saved()


def test_oversized__form_fields_over_memory_limit__is_413(feedback_client):
    # a real urlencoded body just over DATA_UPLOAD_MAX_MEMORY_SIZE
    body = "topic=service&message=" + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = feedback_client.post(FEEDBACK_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    _assert_nothing_saved()


@override_settings(MAX_REQUEST_BODY_BYTES=200_000)
def test_oversized__file_upload_over_the_limit__is_413(feedback_client):
    upload = SimpleUploadedFile("liite.pdf", b"%PDF-" + b"x" * 250_000, content_type="application/pdf")
    response = feedback_client.post(FEEDBACK_URL, {**GOOD_FEEDBACK, "attachment": upload})
    assert response.status_code == 413
    _assert_nothing_saved()


def test_oversized__multipart_text_field_over_memory_limit__is_413(feedback_client):
    data = {**GOOD_FEEDBACK, "message": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    response = feedback_client.post(FEEDBACK_URL, data)  # the test client sends multipart
    assert response.status_code == 413
    _assert_nothing_saved()


def test_oversized__api_body__is_413_json(client, personas, login):
    login(personas.participant)
    body = '{"since": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = client.post(API_URL, body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_oversized__api_declared_length_over_the_limit__is_413_json(client, personas, login):
    login(personas.participant)
    response = client.post(
        API_URL, "{}", content_type="application/json", CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1)
    )
    assert response.status_code == 413
    assert "detail" in response.json()


# -- malformed: 400 ------------------------------------------------------------------------


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "+5", " 12x", "١٢", "0x10"])
def test_bad_content_length__page__is_400(feedback_client, length):
    response = feedback_client.post(FEEDBACK_URL, GOOD_FEEDBACK, CONTENT_LENGTH=length)
    assert response.status_code == 400
    _assert_nothing_saved()


def test_bad_content_length__api__is_400_json(client, personas, login):
    login(personas.participant)
    response = client.post(API_URL, "{}", content_type="application/json", CONTENT_LENGTH="lots")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (MULTIPART, b"this is not multipart at all"),
        (MULTIPART, f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="topic"\r\n\r\nservice'.encode()),
        (MULTIPART, f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode()),
        ("multipart/form-data", b"--x\r\n\r\n"),
        ("multipart/form-data; boundary=", b"--\r\n"),
        ("multipart/form-data; boundary=" + "b" * 200, b"--x"),
        (MULTIPART, b"\xff\xfe\x00garbage\r\n--" + BOUNDARY.encode() + b"--"),
    ],
    ids=["not-multipart", "cut-off", "no-name", "no-boundary", "empty-boundary", "long-boundary", "binary"],
)
def test_malformed_multipart__is_400_not_500(feedback_client, content_type, body):
    response = feedback_client.post(FEEDBACK_URL, body, content_type=content_type)
    assert response.status_code == 400
    _assert_nothing_saved()


def test_malformed_multipart__with_csrf_checks__is_400_or_403_not_500(db):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post(FEEDBACK_URL, b"this is not multipart at all", content_type=MULTIPART)
    assert response.status_code in {400, 403}
    _assert_nothing_saved()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", "{not json"),
        ("application/json", '{"since": "2026-13-45"}'),
        ("application/json", '{"since": "2026-02-01", "until": "2026-01-01"}'),
        ("text/plain", "since=2026-01-01"),
    ],
    ids=["broken-json", "bad-date", "wrong-order", "not-json"],
)
def test_malformed_api_body__is_4xx_not_500(client, personas, login, content_type, body):
    from osallisuus.core.models import JobProgress

    login(personas.participant)
    response = client.post(API_URL, body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content[:500]
    assert "detail" in response.json()
    assert not JobProgress.objects.exists()


def test_too_many_fields__urlencoded__is_400(feedback_client):
    fields = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    body = "topic=service&message=hei&" + fields
    response = feedback_client.post(FEEDBACK_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    _assert_nothing_saved()


def test_too_many_fields__multipart__is_400(feedback_client):
    data = {**GOOD_FEEDBACK, **{f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    response = feedback_client.post(FEEDBACK_URL, encode_multipart(BOUNDARY, data), content_type=MULTIPART)
    assert response.status_code == 400
    _assert_nothing_saved()


def test_too_many_fields__query_string__is_400(feedback_client):
    query = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = feedback_client.get(f"{FEEDBACK_URL}?{query}")
    assert response.status_code == 400


def test_too_many_files__is_400(feedback_client):
    files = [SimpleUploadedFile(f"f{i}.txt", b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = feedback_client.post(FEEDBACK_URL, {**GOOD_FEEDBACK, "files": files})
    assert response.status_code == 400
    _assert_nothing_saved()


@pytest.mark.parametrize(
    "data",
    [
        {**GOOD_FEEDBACK, "message": "nul\x00merkki"},
        {**GOOD_FEEDBACK, "topic": "x" * 10_000},
        {**GOOD_FEEDBACK, "email": "a@" + "b" * 300 + ".fi"},
    ],
    ids=["nul", "long-choice", "long-email"],
)
def test_odd_characters_in_form__are_400_not_500(feedback_client, data):
    body = "&".join(f"{k}={v}" for k, v in data.items()).encode("utf-8", "surrogatepass")
    response = feedback_client.post(FEEDBACK_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    _assert_nothing_saved()


# -- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "headers"),
    [
        ("fi", {}),
        ("sv", {"HTTP_ACCEPT_LANGUAGE": "sv"}),
        ("en", {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}),
    ],
)
def test_csrf_failure__is_403_page_in_the_users_language(db, language, headers):
    # given a form sent without its CSRF token (a forged request or an old page)
    client = Client(enforce_csrf_checks=True)
    response = client.post(FEEDBACK_URL, GOOD_FEEDBACK, **headers)
    # then the friendly 403 page answers, in the person's own language
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "csrf" not in html.lower()  # no technical reason shown
    _assert_nothing_saved()


def test_csrf_failure__language_cookie__wins(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = client.post(FEEDBACK_URL, GOOD_FEEDBACK, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert '<html lang="sv">' in response.content.decode()


def test_csrf_failure__wrong_token__is_403_and_logged_in_user_unchanged(personas):
    client = Client(enforce_csrf_checks=True)
    aino = personas.participant
    client.force_login(aino, backend="django.contrib.auth.backends.ModelBackend")
    password_before = aino.password
    response = client.post(
        "/account/password/",
        {
            "csrfmiddlewaretoken": "x" * 64,
            "old_password": "whatever",
            "new_password1": "Kesä-mökki-järven-rannalla-7",
            "new_password2": "Kesä-mökki-järven-rannalla-7",
        },
    )
    assert response.status_code == 403
    aino.refresh_from_db()
    assert aino.password == password_before


def test_csrf__right_token__passes(db):
    # the control case: with the token from the page, the same post goes through
    client = Client(enforce_csrf_checks=True)
    client.get(FEEDBACK_URL)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(FEEDBACK_URL, {**GOOD_FEEDBACK, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_csrf_failure__login_form__is_403_and_nobody_is_logged_in(personas):
    from osallisuus.core.demo import DEMO_PASSWORD

    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"username": personas.participant.email, "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_nul_character__in_query_or_json_body__is_400_not_a_database_error(client, personas, login):
    # given a logged-in participant
    login(personas.participant)
    # when a NUL character arrives in a query string or a JSON body
    in_query = client.get("/api/v1/activation/activities?q=a%00b")
    in_json = client.post("/api/v1/jobs/access-log-export", data='{"x": "a\\u0000b"}', content_type="application/json")
    # then both are refused plainly
    assert in_query.status_code == 400
    assert in_json.status_code == 400
