"""Who may see a plan: the participant, their own worker and people the participant chooses.
Providers see sign-ups only. Every read by someone else is in the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.activation import services
from osallisuus.activation.demo import build_aino
from osallisuus.activation.models import Plan
from osallisuus.core.models import AccessLogEntry

from .people import participant as new_participant


@pytest.fixture
def aino_data(personas):
    return build_aino(personas.users, personas.organisations)


def _other_worker(personas):
    """An own worker in the same county with a client of their own, but not Aino."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from osallisuus.accounts import services as account_services
    from osallisuus.accounts.models import User

    worker = User.objects.create_user("liisa@example.test", "x", full_name="Liisa Vartiainen")
    TOTPDevice.objects.create(user=worker, name="Test", confirmed=True)
    account_services.membership_grant(user=worker, organisation=personas.organisations["county"], roles=("own_worker",))
    account_services.relationship_start(
        worker=worker, person=personas.participant2, organisation=personas.organisations["county"], kind="own_worker"
    )
    return worker


def test_plan__provider__never_sees_a_plan(personas, login, aino_data):
    # given Riikka, who runs the activity Aino signed up for
    client = login(personas.activity_provider)
    plan = aino_data["plan_of_aino"]
    before = AccessLogEntry.objects.count()
    # when she opens the plan, its PDF and its FHIR export
    answers = [
        client.get(reverse(name, kwargs={"pk": plan.pk})).status_code
        for name in ("activation:plan", "activation:plan_pdf", "activation:plan_fhir", "activation:plan_edit")
    ]
    # then every answer is the same 404 and nothing was read
    assert answers == [404, 404, 404, 404]
    assert AccessLogEntry.objects.count() == before


def test_plan__provider__sees_only_names_of_signed_up_people(personas, login, aino_data):
    client = login(personas.activity_provider)
    response = client.get(reverse("activation:provider_activity", kwargs={"pk": aino_data["activity_of_ngo2"].pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Aino Mäkinen" in body
    assert personas.participant.email not in body
    assert personas.participant.phone not in body
    assert "Olen 44-vuotias" not in body  # nothing from the plan itself
    assert AccessLogEntry.objects.filter(
        actor=personas.activity_provider, subject_id=personas.participant.pk, purpose="activity roster"
    ).exists()


def test_plan__worker_of_another_client__gets_the_same_404_as_a_missing_plan(personas, client, aino_data):
    # given Liisa, an own worker whose client is Jari, not Aino
    from conftest import verify_second_factor

    liisa = _other_worker(personas)
    client.force_login(liisa, backend="django.contrib.auth.backends.ModelBackend")
    verify_second_factor(client, liisa)
    plan = aino_data["plan_of_aino"]
    missing = Plan.objects.order_by("-pk").first().pk + 1000
    # when she opens Aino's plan and a plan that does not exist
    forbidden = client.get(reverse("activation:plan", kwargs={"pk": plan.pk}))
    absent = client.get(reverse("activation:plan", kwargs={"pk": missing}))
    # then both answers are the same
    assert forbidden.status_code == absent.status_code == 404
    assert forbidden.content == absent.content


def test_caseload__worker__sees_only_own_clients(personas, login, aino_data):
    liisa = _other_worker(personas)
    services.plan_ensure(participant=personas.participant2)
    client = login(personas.own_worker)
    body = client.get(reverse("activation:caseload")).content.decode()
    assert "Aino Mäkinen" in body
    assert "Jari Kööpikkä" not in body
    client = login(liisa)
    body = client.get(reverse("activation:caseload")).content.decode()
    assert "Jari Kööpikkä" in body
    assert "Aino Mäkinen" not in body


def test_plan__worker_read__is_logged_and_shown_to_the_participant(personas, login, aino_data):
    plan = aino_data["plan_of_aino"]
    # when Ville opens Aino's plan
    login(personas.own_worker).get(reverse("activation:plan", kwargs={"pk": plan.pk}))
    # then Aino sees him on "who has seen my data"
    entry = AccessLogEntry.objects.filter(actor=personas.own_worker, subject_id=personas.participant.pk).last()
    assert entry is not None
    assert entry.object_type == "activation.plan"
    body = login(personas.participant).get(reverse("privacy:my_access_log")).content.decode()
    assert "Ville Häkkinen" in body


def test_share__person_chosen_by_participant__can_read_but_not_edit(personas, login, aino_data):
    plan = aino_data["plan_of_aino"]
    jari = personas.participant2
    client = login(jari)
    assert client.get(reverse("activation:plan", kwargs={"pk": plan.pk})).status_code == 404
    services.plan_share(plan=plan, actor=personas.participant, email=jari.email)
    page = client.get(reverse("activation:plan", kwargs={"pk": plan.pk}))
    assert page.status_code == 200
    assert reverse("activation:plan_edit", kwargs={"pk": plan.pk}) not in page.content.decode()
    assert client.get(reverse("activation:plan_edit", kwargs={"pk": plan.pk})).status_code == 404
    share = plan.shares.get(person=jari)
    services.plan_share_revoke(share=share, actor=personas.participant)
    assert client.get(reverse("activation:plan", kwargs={"pk": plan.pk})).status_code == 404


def test_share__by_someone_else_than_the_participant__is_refused(personas, aino_data):
    plan = aino_data["plan_of_aino"]
    with pytest.raises(services.RuleError):
        services.plan_share(plan=plan, actor=personas.own_worker, email=personas.participant2.email)
    assert not plan.shares.filter(person=personas.participant2).exists()


def test_edit_plan__of_someone_else__gives_404_and_changes_nothing(personas, login, aino_data):
    plan = aino_data["plan_of_aino"]
    before = Plan.objects.get(pk=plan.pk).about_me
    response = login(personas.participant2).post(
        reverse("activation:plan_edit", kwargs={"pk": plan.pk}), {"about_me": "hacked"}
    )
    assert response.status_code == 404
    assert Plan.objects.get(pk=plan.pk).about_me == before


def test_meeting__worker_agrees_a_time__and_the_invite_is_icalendar(personas, login, aino_data):
    from icalendar import Calendar

    meeting = aino_data["meeting_request_of_aino"]
    client = login(personas.own_worker)
    when = (timezone.localtime() + dt.timedelta(days=2)).replace(tzinfo=None).replace(second=0, microsecond=0)
    response = client.post(
        reverse("activation:meeting", kwargs={"pk": meeting.pk}),
        {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45, "place": "Toimisto"},
    )
    assert response.status_code == 302
    ics = login(personas.participant).get(reverse("activation:meeting_ics", kwargs={"pk": meeting.pk}))
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.get("location") == "Toimisto"
    assert int((event.decoded("dtend") - event.decoded("dtstart")).total_seconds()) == 45 * 60


def test_caseload_and_catalogue__query_count__does_not_grow_with_rows(personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from osallisuus.accounts import services as account_services

    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add_clients(n, start):
        for i in range(start, start + n):
            person = new_participant(personas.organisations["county"], f"c{i}@example.test", f"Client {i}")
            account_services.relationship_start(
                worker=personas.own_worker,
                person=person,
                organisation=personas.organisations["county"],
                kind="own_worker",
            )
            plan = services.plan_ensure(participant=person)
            services.goal_create(plan=plan, actor=person, title="T", basket="doing")
            services.meeting_request(plan=plan, actor=person, with_whom="own_worker", topic="Hei")
            services.activity_create(
                provider=personas.organisations["ngo2"],
                actor=personas.activity_provider,
                data={
                    "title": f"A{i}",
                    "summary": "s",
                    "baskets": ["doing"],
                    "area": "X",
                    "schedule": "ti",
                    "capacity": 3,
                },
            )

    worker, participant = login(personas.own_worker), None
    add_clients(2, 0)
    few = count(worker, reverse("activation:caseload"))
    participant = login(personas.participant)
    few_catalogue = count(participant, reverse("activation:catalogue") + "?area=X")
    add_clients(10, 2)
    worker = login(personas.own_worker)
    assert count(worker, reverse("activation:caseload")) == few
    participant = login(personas.participant)
    assert count(participant, reverse("activation:catalogue") + "?area=X") == few_catalogue


def test_plan__missing_official_details__each_reader_is_told_what_they_can_do(personas, login, aino_data):
    from django.utils.translation import gettext, override

    plan = aino_data["plan_of_aino"]
    Plan.objects.filter(pk=plan.pk).update(official_name="", official_title="", official_phone="", official_email="")
    url = reverse("activation:plan", kwargs={"pk": plan.pk})
    with override("fi"):
        to_participant = gettext(
            "The contact details of the official have not been written here yet. Your own worker can add them, "
            "or you can ask for a meeting with the official."
        )
        to_worker = gettext("You can add them when you edit the plan.")
    worker_page = login(personas.own_worker).get(url).content.decode()
    assert to_worker in worker_page
    assert to_participant not in worker_page
    participant_page = login(personas.participant).get(url).content.decode()
    assert to_participant in participant_page
    assert to_worker not in participant_page
