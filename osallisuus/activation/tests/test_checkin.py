"""The plan check-in goes through the measurement engine: the participant answers on her own plan
page, may share the answers with her own worker, and the worker sees only whether and when
check-ins were done and the answers the participant chose to share."""

from __future__ import annotations

import pytest
from django.urls import reverse

from osallisuus.activation import services
from osallisuus.activation.demo import build_aino
from osallisuus.core.models import AccessLogEntry
from osallisuus.measurement import services as measurement
from osallisuus.measurement.models import Response

SECRET = "Toivon, ettei kukaan muu lue tätä."


def fi(message: str, plural: str = "", count: int = 1, **values: object) -> str:
    """The message as the Finnish interface shows it (the default language)."""
    from django.utils.html import escape
    from django.utils.translation import gettext, ngettext, override

    with override("fi"):
        text = ngettext(message, plural, count) if plural else gettext(message)
    return escape(text % values if values else text)


def _day(response: Response) -> str:
    from django.utils import timezone

    response.refresh_from_db()
    return f"{timezone.localtime(response.submitted_at):%-d.%-m.%Y}"


@pytest.fixture
def aino_data(personas):
    return build_aino(personas.users, personas.organisations)


def _sent(plan, aino, *, text: str = "", share_with=None) -> Response:
    response = services.checkin_start(plan=plan, actor=aino)
    measurement.response_save(
        response=response, values={"goals": 4, "support": 4, "activities": 3, "stuck": 2}, texts={"next": text}
    )
    measurement.response_submit(response=response)
    if share_with is not None:
        measurement.response_share(response=response, respondent=aino, worker=share_with)
    return response


def test_checkin_start__twice__continues_the_same_response_in_the_measurement_engine(personas, login, aino_data):
    # Given Aino on her own plan page
    plan = aino_data["plan_of_aino"]
    client = login(personas.participant)
    url = reverse("activation:checkin_start", kwargs={"pk": plan.pk})
    # When she starts the check-in twice (for example with the back button)
    first = client.post(url)
    second = client.post(url)
    # Then both lead to the same unfinished answer form of plan-checkin, made for her plan
    response = Response.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == measurement.response_url(response)
    assert response.instrument.code == "plan-checkin"
    assert response.respondent == personas.participant
    assert (response.context_module, response.context_ref) == ("activation", f"plan:{plan.pk}")
    assert response.organisation == plan.organisation
    # And the plan page offers to continue it
    page = client.get(reverse("activation:my_plan")).content.decode()
    assert fi("How is it going? (check-in)") in page
    assert fi("Continue the check-in") in page


def test_checkin__sent__the_participant_can_share_it_with_her_own_worker(personas, login, aino_data):
    plan = aino_data["plan_of_aino"]
    client = login(personas.participant)
    answer_form = client.post(reverse("activation:checkin_start", kwargs={"pk": plan.pk}))["Location"]
    response = Response.objects.get()
    # When she answers every question and sends them
    sent = client.post(
        answer_form,
        {"view": "all", "action": "submit", "goals": 4, "support": 5, "activities": 4, "stuck": 2, "next": ""},
    )
    # Then she sees her answers with the choice to share them with Ville, her own worker
    assert sent.status_code == 302
    assert sent["Location"] == f"/measurement/r/{response.pk}/answers/"
    thanks = client.get(sent["Location"]).content.decode()
    assert fi("Share with your worker") in thanks
    assert personas.own_worker.full_name in thanks
    shared = client.post(f"/measurement/r/{response.pk}/share/", {"worker": personas.own_worker.pk})
    assert shared.status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.shared_with == personas.own_worker
    # And her plan page shows when the last check-in was done, and that it is shared
    page = client.get(reverse("activation:my_plan")).content.decode()
    assert fi("Your last check-in was on %(date)s.", date=_day(response)) in page
    assert fi("You have shared it with your own worker.") in page
    assert fi("Do a new check-in") in page


def test_own_worker__sees_when_checkins_were_done__and_only_the_shared_answers(personas, login, aino_data):
    # Given Aino sent two check-ins and shared only the later one with Ville
    plan, aino, ville = aino_data["plan_of_aino"], personas.participant, personas.own_worker
    private = _sent(plan, aino, text=SECRET)
    shared = _sent(plan, aino, text="Jaettu toive", share_with=ville)
    client = login(ville)
    # When Ville opens Aino's plan
    page = client.get(reverse("activation:plan", kwargs={"pk": plan.pk})).content.decode()
    # Then he sees that two check-ins were done and a link only to the shared answers
    done = fi(
        "The participant has done %(counter)s check-in, on %(date)s.",
        "The participant has done %(counter)s check-ins, the last on %(date)s.",
        2,
        counter=2,
        date=_day(shared),
    )
    assert done in page
    assert f"/measurement/shared/{shared.pk}/" in page
    assert f"/measurement/shared/{private.pk}/" not in page
    assert f"/measurement/r/{private.pk}/" not in page
    assert SECRET not in page
    assert "Jaettu toive" not in page
    # And opening the plan with its check-in dates is in the access log about Aino
    assert AccessLogEntry.objects.filter(
        actor=ville, subject_id=aino.pk, purpose="read the plan", object_id=str(plan.pk)
    ).exists()
    # And the unshared answers stay closed to him in the pages and in the API
    assert client.get(f"/measurement/shared/{private.pk}/").status_code == 404
    assert client.get(f"/measurement/r/{private.pk}/answers/").status_code == 404
    assert client.get(f"/api/v1/measurement/shared/{private.pk}").status_code == 404
    api = client.get(f"/api/v1/activation/plans/{plan.pk}")
    assert api.status_code == 200
    checkins = api.json()["checkins"]
    assert sorted((c["shared"], c["answers_id"]) for c in checkins) == [(False, None), (True, shared.pk)]
    assert SECRET not in api.content.decode()
    # While the shared answers open for him, and that read is logged too
    detail = client.get(f"/measurement/shared/{shared.pk}/")
    assert detail.status_code == 200
    assert "Jaettu toive" in detail.content.decode()
    assert AccessLogEntry.objects.filter(actor=ville, subject_id=aino.pk, object_id=str(shared.pk)).exists()


def test_own_worker__after_the_participant_stops_sharing__loses_the_link(personas, login, aino_data):
    plan, aino, ville = aino_data["plan_of_aino"], personas.participant, personas.own_worker
    response = _sent(plan, aino, share_with=ville)
    measurement.response_share(response=response, respondent=aino, worker=None)
    client = login(ville)
    page = client.get(reverse("activation:plan", kwargs={"pk": plan.pk})).content.decode()
    assert fi("not shared") in page
    assert f"/measurement/shared/{response.pk}/" not in page
    assert client.get(f"/measurement/shared/{response.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["own_worker", "participant2", "coordinator", "activity_provider"])
def test_checkin_start__on_someone_elses_plan__is_404_and_starts_nothing(personas, login, aino_data, persona):
    plan = aino_data["plan_of_aino"]
    client = login(personas[persona])
    response = client.post(reverse("activation:checkin_start", kwargs={"pk": plan.pk}))
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_checkin_start__service__refuses_anyone_but_the_participant(personas, aino_data):
    with pytest.raises(services.RuleError):
        services.checkin_start(plan=aino_data["plan_of_aino"], actor=personas.own_worker)
    assert not Response.objects.exists()


def test_checkin_start__closed_plan__is_refused_with_a_message(personas, login, aino_data):
    plan = aino_data["plan_of_aino"]
    services.plan_update(plan=plan, actor=personas.participant, data={"status": "closed"})
    client = login(personas.participant)
    response = client.post(reverse("activation:checkin_start", kwargs={"pk": plan.pk}), follow=True)
    assert fi("The plan is closed. Open it again if you want to do a check-in.") in response.content.decode()
    assert not Response.objects.exists()


def test_person_the_plan_is_shared_with__sees_no_checkins(personas, login, aino_data):
    plan, aino = aino_data["plan_of_aino"], personas.participant
    _sent(plan, aino, text=SECRET)
    services.plan_share(plan=plan, actor=aino, email=personas.participant2.email)
    client = login(personas.participant2)
    page = client.get(reverse("activation:plan", kwargs={"pk": plan.pk})).content.decode()
    assert 'id="checkin-title"' not in page
    assert SECRET not in page
    assert client.get(f"/api/v1/activation/plans/{plan.pk}").json()["checkins"] == []


def test_demo__participants_have_checkins__some_shared_with_their_own_worker(personas):
    from osallisuus.activation import demo
    from osallisuus.core.demo import DemoContext

    ctx = DemoContext(users=personas.users, organisations=personas.organisations)
    demo.load(ctx)
    checkins = Response.objects.submitted().filter(instrument__code="plan-checkin", context_module="activation")
    plan = ctx.extra["plan_of_aino"]
    aino = checkins.filter(respondent=personas.participant, context_ref=f"plan:{plan.pk}")
    assert aino.count() == 2
    assert aino.filter(shared_with=personas.own_worker).count() == 1
    assert checkins.count() > 5
    assert 0 < checkins.filter(shared_with__isnull=False).count() < checkins.count()
