"""Background jobs: the database backend and its worker, progress, failure, the fragment, the download."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.utils.translation import gettext, override
from django_tasks_db.models import DBTaskResult

from osallisuus.core import services, tasks
from osallisuus.core.access import log_access
from osallisuus.core.jobs import JobError, job_start, job_task
from osallisuus.core.models import AccessLogEntry, JobProgress

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
with override("fi"):
    FAILED_PLAINLY = gettext("The job could not be finished because of an error on our side. Try again later.")


@job_task()
def failing_job(*, job_id: str) -> None:
    """A task that breaks halfway, as a real one might."""
    services.job_started(job_id=job_id, total=4)
    services.job_advance(job_id=job_id, by=2)
    raise RuntimeError("internal detail: connection to 10.0.0.5 refused")


@job_task()
def refusing_job(*, job_id: str) -> None:
    raise JobError("There is nothing to export for the chosen days.")


@job_task()
def quiet_job(*, job_id: str) -> None:
    """Does its work and returns without calling job_finish."""


def start_job(capture_on_commit, **kwargs) -> JobProgress:
    """``job_start`` as a view calls it; the task is queued when the transaction commits."""
    with capture_on_commit(execute=True):
        return job_start(**kwargs)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def read_csv(job: JobProgress) -> list[list[str]]:
    with job.result_file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def database_tasks(settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """The real database backend, as in production, and files under a temporary directory.

    The worker runs in this test's transaction, so it sees the test's rows. Its loop calls
    ``close_old_connections`` to recycle connections in a long-running process; inside a
    test transaction that would close the connection, so here it does nothing. The queued
    tasks are enqueued when ``job_start``'s transaction would commit.
    """
    settings.TASKS = DATABASE_TASKS
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return django_capture_on_commit_callbacks


def test_job_start__database_backend_and_worker__take_progress_to_done_with_a_file(personas, database_tasks):
    # Given Ville and Kaisa have read Aino's data, and Aino read her own
    aino = personas.participant
    log_access(actor=personas.own_worker, subject_id=aino.pk, obj=aino, purpose="client meeting")
    log_access(actor=personas.coordinator, subject_id=aino.pk, obj=aino, purpose="person details")
    log_access(actor=aino, subject_id=aino.pk, obj=aino, purpose="own data")
    log_access(actor=personas.own_worker, subject_id=personas.expert.pk, obj=personas.expert, purpose="other")
    # When Aino starts the export
    job = start_job(
        database_tasks,
        owner=aino,
        kind="core.access_log_export",
        label="Kuka on katsonut tietojani",
        task=tasks.access_log_export,
    )
    # Then it waits in the database queue
    job.refresh_from_db()
    assert job.status == JobProgress.Status.QUEUED
    queued = DBTaskResult.objects.get()
    assert str(queued.id) == job.task_result_id
    assert queued.status == "READY"
    # When the worker runs
    run_worker()
    # Then the job is done, counted, and holds a CSV of exactly the entries about Aino by others
    job.refresh_from_db()
    assert job.status == JobProgress.Status.DONE
    assert job.total == job.done == 2
    assert job.percent == 100
    assert job.finished_at is not None
    assert job.result_name.endswith(".csv")
    rows = read_csv(job)
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {str(personas.own_worker), str(personas.coordinator)}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_job__task_that_raises__marks_the_job_failed_with_a_plain_message(personas, database_tasks):
    # Given a job whose task breaks halfway
    job = start_job(database_tasks, owner=personas.participant, kind="test.failing", label="Testi", task=failing_job)
    # When the worker runs it
    run_worker()
    # Then the job is failed with a calm message that does not leak the internal error
    job.refresh_from_db()
    assert job.status == JobProgress.Status.FAILED
    assert job.message == FAILED_PLAINLY
    assert "10.0.0.5" not in job.message
    assert job.done == 2
    assert job.finished_at is not None
    assert not job.result_file
    # And the worker keeps the traceback for the operators
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert "10.0.0.5" in result.traceback


def test_job__task_that_raises_job_error__shows_its_message(personas, database_tasks):
    job = start_job(database_tasks, owner=personas.participant, kind="test.refusing", label="Testi", task=refusing_job)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobProgress.Status.FAILED
    assert job.message == "There is nothing to export for the chosen days."


def test_job__task_that_returns_without_finishing__is_marked_done(personas, database_tasks):
    job = start_job(database_tasks, owner=personas.participant, kind="test.quiet", label="Testi", task=quiet_job)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobProgress.Status.DONE
    assert not job.result_file


def test_job__deleted_before_the_worker_runs__is_skipped_quietly(personas, database_tasks):
    job = start_job(database_tasks, owner=personas.participant, kind="test.failing", label="Testi", task=failing_job)
    JobProgress.objects.filter(pk=job.pk).delete()
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# -- the example export --------------------------------------------------------------------


def test_access_log_export__cells_that_look_like_formulas__are_written_as_text(
    personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    # Given an entry whose recorded actor name looks like a spreadsheet formula
    settings.MEDIA_ROOT = tmp_path
    aino = personas.participant
    AccessLogEntry.objects.create(
        actor=None,
        actor_label='=HYPERLINK("http://evil.example","Avaa")',
        actor_organisation="@SUM(A1)",
        subject=aino,
        object_type="accounts.user",
        object_id=str(aino.pk),
        action=AccessLogEntry.Action.VIEW,
        purpose="-2+3",
    )
    # When Aino exports her log (the immediate backend runs it at commit)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(owner=aino, kind="core.access_log_export", label="Loki", task=tasks.access_log_export)
    # Then those cells start with an apostrophe and nothing starts a formula
    job.refresh_from_db()
    assert job.status == JobProgress.Status.DONE
    row = read_csv(job)[1]
    assert row[1] == '\'=HYPERLINK("http://evil.example","Avaa")'
    assert row[2] == "'@SUM(A1)"
    assert row[5] == "'-2+3"


def test_access_log_export__date_range__keeps_only_those_days(
    personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    aino = personas.participant
    log_access(actor=personas.own_worker, subject_id=aino.pk, obj=aino, purpose="today")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            owner=aino,
            kind="core.access_log_export",
            label="Loki",
            task=tasks.access_log_export,
            since="2000-01-01",
            until="2000-12-31",
        )
    job.refresh_from_db()
    assert job.status == JobProgress.Status.DONE
    assert job.total == 0
    assert len(read_csv(job)) == 1


# -- the progress page, its fragment and the download ---------------------------------------


@pytest.fixture
def running_job(personas):
    job = services.job_create(owner=personas.participant, kind="test", label="Tuonti")
    services.job_started(job_id=job.pk, total=10)
    services.job_advance(job_id=job.pk, by=3)
    job.refresh_from_db()
    return job


@pytest.fixture
def done_job(personas, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    job = services.job_create(owner=personas.participant, kind="test", label="Vienti")
    services.job_finish(job_id=job.pk, file=ContentFile(b"a;b\r\n"), filename="vienti.csv")
    job.refresh_from_db()
    return job


def test_job_page__running__polls_every_second_and_offers_a_refresh_link(client, personas, login, running_job):
    # Given Aino's job is at 3 of 10
    login(personas.participant)
    # When she opens its page
    response = client.get(f"/jobs/{running_job.pk}/")
    # Then the progress bar shows 30 %, htmx polls every second, and a link works without JavaScript
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert 'value="30"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="/jobs/{running_job.pk}/"' in html
    assert f'<a href="/jobs/{running_job.pk}/">' in html


def test_job_page__htmx_request__gets_only_the_fragment(client, personas, login, running_job):
    login(personas.participant)
    response = client.get(f"/jobs/{running_job.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="job-{running_job.pk}-body"' in html
    assert 'hx-trigger="every 1s"' in html


def test_job_page__finished__stops_polling_and_offers_the_download(client, personas, login, done_job):
    login(personas.participant)
    html = client.get(f"/jobs/{done_job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html
    assert "hx-get" not in html
    assert f'href="/jobs/{done_job.pk}/download/"' in html
    assert 'role="status"' in html


def test_job_page__failed__shows_the_message_and_stops_polling(client, personas, login, running_job):
    services.job_fail(job_id=running_job.pk, message="Tiedostossa ei ollut rivejä.")
    login(personas.participant)
    html = client.get(f"/jobs/{running_job.pk}/").content.decode()
    assert "Tiedostossa ei ollut rivejä." in html
    assert "hx-trigger" not in html


@pytest.mark.parametrize("path", ["/jobs/{pk}/", "/jobs/{pk}/download/"])
def test_job_urls__someone_elses_missing_or_malformed__give_the_same_404(client, personas, login, done_job, path):
    # Given Kaisa, who does not own Aino's job
    login(personas.coordinator)
    # When she tries Aino's job, a job that does not exist, and a malformed id
    others = client.get(path.format(pk=done_job.pk))
    missing = client.get(path.format(pk="00000000-0000-0000-0000-000000000000"))
    malformed = client.get(path.format(pk="not-a-job"))
    # Then all three answers are the same 404
    assert others.status_code == missing.status_code == malformed.status_code == 404


def test_job_download__owner__gets_the_file(client, personas, login, done_job):
    login(personas.participant)
    response = client.get(f"/jobs/{done_job.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a;b\r\n"
    assert 'filename="vienti.csv"' in response["Content-Disposition"]


def test_job_download__before_the_job_is_done__is_404(client, personas, login, running_job):
    login(personas.participant)
    assert client.get(f"/jobs/{running_job.pk}/download/").status_code == 404


def test_job_page__anonymous__is_sent_to_login(client, db, done_job):
    response = client.get(f"/jobs/{done_job.pk}/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


# -- the jobs API ------------------------------------------------------------------------------


def test_api_job__owner__gets_the_progress(client, personas, login, running_job):
    login(personas.participant)
    response = client.get(f"/api/v1/jobs/{running_job.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "running"
    assert (body["done"], body["total"], body["percent"]) == (3, 10, 30)
    assert body["download_url"] is None
    assert body["progress_url"] == f"/jobs/{running_job.pk}/"


def test_api_job__done__links_the_download(client, personas, login, done_job):
    login(personas.participant)
    body = client.get(f"/api/v1/jobs/{done_job.pk}").json()
    assert body["status"] == "done"
    assert body["download_url"] == f"/jobs/{done_job.pk}/download/"


def test_api_job__someone_elses_or_missing__is_the_same_404(client, personas, login, done_job):
    login(personas.coordinator)
    others = client.get(f"/api/v1/jobs/{done_job.pk}")
    missing = client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000")
    assert others.status_code == missing.status_code == 404
    assert others.content == missing.content


def test_api_access_log_export__starts_a_job_and_returns_202(client, personas, login, settings, tmp_path):
    # Given Aino (the immediate backend of the tests runs the job at once)
    settings.MEDIA_ROOT = tmp_path
    login(personas.participant)
    # When she asks for the export through the API
    response = client.post("/api/v1/jobs/access-log-export", data={}, content_type="application/json")
    # Then a job of hers is created and reported
    assert response.status_code == 202
    job = JobProgress.objects.get()
    assert job.owner == personas.participant
    assert response.json()["id"] == str(job.pk)
    assert response.json()["progress_url"] == f"/jobs/{job.pk}/"


def test_job_start__queue_refuses__marks_the_job_failed(personas, django_capture_on_commit_callbacks):
    # Given a queue that cannot take the task (its database is unreachable, say)
    class UnreachableQueue:
        def enqueue(self, **kwargs):
            raise ConnectionError("queue down")

    # When a job is started
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        job_start(owner=personas.participant, kind="test.quiet", label="Testi", task=UnreachableQueue())
    # Then the job does not wait forever: it is failed with a plain message
    job = JobProgress.objects.get(owner=personas.participant)
    assert job.status == JobProgress.Status.FAILED
    with override("fi"):
        assert job.message == gettext("The job could not be started. Try again later.")
