"""'My data': what is kept about me, and the JSON file made by a background job."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import translation

from osallisuus.accounts.models import User
from osallisuus.core.models import AccessLogEntry, JobProgress
from osallisuus.privacy import services

URL = "/privacy/my-data/"


def test_my_data__lists_what_is_kept_with_counts(personas, login, aino_everywhere):
    response = login(aino_everywhere.aino).get(URL)

    assert response.status_code == 200
    labels = {line.label for line in response.context["summary"]}
    assert {"accounts.user", "accounts.membership", "core.accesslogentry", "accounts.apitoken"} <= labels
    assert all(line.rows > 0 for line in response.context["summary"])


def test_my_data__says_why_each_record_is_kept__in_finnish(personas, login):
    response = login(personas.participant).get(reverse("privacy:my_data"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Jotta henkilö tunnistetaan, hän voi kirjautua palveluun ja häneen saadaan yhteys." in html
    assert "Identify the person" not in html


def test_my_data__says_why_each_record_is_kept__in_swedish(personas, login):
    response = login(personas.participant).get(reverse("privacy:my_data"), HTTP_ACCEPT_LANGUAGE="sv")

    html = response.content.decode()
    assert "Så att personen kan identifieras, logga in och kontaktas." in html
    assert "Identify the person" not in html


def test_my_data_export__purposes_are_plain_text_in_the_persons_language(personas):
    aino = personas.participant

    with translation.override("sv"):
        data = services.subject_export(subject=aino, actor=aino)
        swedish = str(User.personal_data.purpose)

    purpose = data["models"]["accounts.user"]["purpose"]
    assert type(purpose) is str
    assert purpose == swedish
    assert "Identify the person" not in purpose
    assert json.loads(json.dumps(data))["models"]["accounts.user"]["purpose"] == swedish


def test_my_data__make_the_file__runs_a_job_and_the_file_holds_my_data(
    personas, login, django_capture_on_commit_callbacks
):
    aino = personas.participant
    client = login(aino)
    log_before = AccessLogEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL)

    job = JobProgress.objects.get(owner=aino, kind="privacy.subject_export")
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobProgress.Status.DONE
    progress = client.get(response["Location"])
    assert f"/jobs/{job.pk}/download/" in progress.content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    data = json.loads(b"".join(download.streaming_content))
    assert data["subject_id"] == aino.pk
    assert data["models"]["accounts.user"]["rows"][0]["email"] == aino.email
    assert AccessLogEntry.objects.count() == log_before  # one's own data: nothing to log


def test_my_data__someone_elses_file__is_404(personas, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(personas.participant).post(URL)
    job = JobProgress.objects.get(owner=personas.participant)

    response = login(personas.own_worker).get(f"/jobs/{job.pk}/download/")

    assert response.status_code == 404


def test_my_data__anonymous__is_sent_to_login(client, db):
    for response in (client.get(URL), client.post(URL)):
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    assert not JobProgress.objects.exists()


def test_my_data_api__returns_the_export(personas, login):
    aino = personas.participant

    response = login(aino).get("/api/v1/privacy/my-data")

    assert response.status_code == 200
    data = response.json()
    assert data["subject_id"] == aino.pk
    assert data["models"]["accounts.user"]["rows"][0]["email"] == aino.email


def test_my_data_api__token__returns_only_the_token_owners_data(personas, client):
    from osallisuus.accounts.api_auth import token_issue

    _token, raw = token_issue(user=personas.participant, name="test")

    response = client.get("/api/v1/privacy/my-data", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.json()["subject_id"] == personas.participant.pk


def test_my_data_api__anonymous__gets_401(client, db):
    assert client.get("/api/v1/privacy/my-data").status_code == 401
