"""The database away (restarted, failed over): a calm 503 page in the user's language, not a
traceback; under /api/ a JSON answer. Any other error stays a 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from config import urls as site_urls
from osallisuus.core import views

FAILURE: list[Exception] = []


def _boom(request):
    raise FAILURE[0]


# The real pages too: the error page links to the front page and the feedback form.
urlpatterns = [path("boom/", _boom), path("api/boom/", _boom), *site_urls.urlpatterns]
handler500 = views.server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def failing(settings):
    settings.DEBUG = False

    def fail(exc: Exception) -> Client:
        FAILURE[:] = [exc]
        return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fi")

    return fail


@pytest.mark.parametrize("exc", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_database_gone__page_is_a_calm_503_with_retry_after(failing, exc):
    response = failing(exc).get("/boom/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Traceback" not in body
    assert "server closed" not in body
    assert "Palvelu on hetken poissa käytöstä" in body


def test_database_gone__api_answers_json_503(failing):
    response = failing(OperationalError("gone")).get("/api/boom/")
    assert response.status_code == 503
    assert response.json()["detail"] == "Palvelu on hetken poissa käytöstä. Yritä hetken kuluttua uudelleen."


def test_any_other_error__stays_500(failing):
    assert failing(ValueError("bug")).get("/boom/").status_code == 500
