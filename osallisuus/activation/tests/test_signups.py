"""Sign-ups: capacity and a waiting list, never overbooked; double sign-up refused."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from osallisuus.activation import services
from osallisuus.activation.models import Activity, SignUp


def _activity(personas, capacity: int) -> Activity:
    return services.activity_create(
        provider=personas.organisations["ngo2"],
        actor=personas.activity_provider,
        data={
            "title": "Puutyöpaja",
            "summary": "Puuta",
            "baskets": ["doing"],
            "area": "Keskusta",
            "schedule": "ti 9–12",
            "capacity": capacity,
            "language": "fi",
            "cost": "free",
        },
    )


def test_signup__full_activity__offers_the_waiting_list(personas):
    activity = _activity(personas, capacity=1)
    services.signup_create(activity=activity, participant=personas.participant)
    with pytest.raises(services.RuleError) as refused:
        services.signup_create(activity=activity, participant=personas.participant2)
    assert refused.value.code == "full"
    assert not SignUp.objects.filter(participant=personas.participant2).exists()
    waiting = services.signup_create(activity=activity, participant=personas.participant2, join_waiting_list=True)
    assert waiting.status == SignUp.Status.WAITING


def test_signup__twice__is_refused_and_nothing_changes(personas):
    activity = _activity(personas, capacity=5)
    services.signup_create(activity=activity, participant=personas.participant)
    with pytest.raises(services.RuleError) as refused:
        services.signup_create(activity=activity, participant=personas.participant)
    assert refused.value.code == "double"
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_signup_cancel__gives_the_place_to_the_first_on_the_waiting_list(personas):
    activity = _activity(personas, capacity=1)
    first = services.signup_create(activity=activity, participant=personas.participant)
    waiting = services.signup_create(activity=activity, participant=personas.participant2, join_waiting_list=True)
    services.signup_cancel(signup=first, actor=personas.participant)
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.SIGNED_UP


def test_signup_page__full_activity__answers_400_with_the_waiting_list_button(personas, login):
    activity = _activity(personas, capacity=1)
    services.signup_create(activity=activity, participant=personas.participant2)
    response = login(personas.participant).post(reverse("activation:activity_signup", kwargs={"pk": activity.pk}))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'name="waiting_list" value="1"' in body
    assert not SignUp.objects.filter(participant=personas.participant).exists()


def test_attendance__future_day__is_refused(personas, login):
    import datetime as dt

    from django.utils import timezone

    activity = _activity(personas, capacity=3)
    signup = services.signup_create(activity=activity, participant=personas.participant)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login(personas.activity_provider).post(
        reverse("activation:provider_activity", kwargs={"pk": activity.pk}),
        {"on": tomorrow.isoformat(), "present": [str(signup.pk)]},
    )
    assert response.status_code == 400
    assert not signup.attendances.exists()


def test_attendance__marked_by_the_provider(personas, login):
    from django.utils import timezone

    activity = _activity(personas, capacity=3)
    signup = services.signup_create(activity=activity, participant=personas.participant)
    response = login(personas.activity_provider).post(
        reverse("activation:provider_activity", kwargs={"pk": activity.pk}),
        {"on": timezone.localdate().isoformat(), "present": [str(signup.pk)]},
    )
    assert response.status_code == 302
    assert signup.attendances.get().present is True


# Row locks (select_for_update) need PostgreSQL; SQLite serialises writes, so conftest.py
# deselects this test there.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_signup__50_parallel_for_10_places__exactly_10_get_a_place_and_40_wait():
    from osallisuus.accounts.models import Organisation, User

    org = Organisation.objects.create(name="Pärske", kind="ngo")
    activity = Activity.objects.create(
        provider=org, title="Paja", summary="x", baskets=",doing,", area="A", schedule="ti", capacity=10
    )
    from osallisuus.accounts import services as account_services
    from osallisuus.accounts.models import Role

    org = Organisation.objects.get(pk=org.pk)
    people = [User.objects.create_user(f"p{i}@example.test", "x", full_name=f"P {i}") for i in range(50)]
    assert Role.objects.filter(code="participant").exists()
    for person in people:  # signing up is for participants
        account_services.membership_grant(user=person, organisation=org, roles=("participant",))
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def sign_up(person: User) -> None:
        try:
            barrier.wait()
            services.signup_create(activity=activity, participant=person, join_waiting_list=True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert SignUp.objects.filter(activity=activity, status=SignUp.Status.SIGNED_UP).count() == 10
    assert SignUp.objects.filter(activity=activity, status=SignUp.Status.WAITING).count() == 40


def test_offer_help__participant_offers__provider_sees_the_name_and_it_is_logged(personas, login):
    from osallisuus.core.models import AccessLogEntry

    activity = _activity(personas, capacity=3)
    services.signup_create(activity=activity, participant=personas.participant)
    response = login(personas.participant).post(reverse("activation:activity_help", kwargs={"pk": activity.pk}))
    assert response.status_code == 302
    assert activity.people.filter(person=personas.participant, part="co_runner").exists()
    body = (
        login(personas.activity_provider)
        .get(reverse("activation:provider_activity", kwargs={"pk": activity.pk}))
        .content.decode()
    )
    assert "Aino Mäkinen" in body
    # signed up and helping: still one access-log row about her for the page
    assert (
        AccessLogEntry.objects.filter(actor=personas.activity_provider, subject_id=personas.participant.pk).count() == 1
    )
