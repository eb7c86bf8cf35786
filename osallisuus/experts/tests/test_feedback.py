"""Feedback after a task goes through the measurement engine: the expert answers
``expert-task-feedback``, the orderer ``orderer-task-feedback``; the agreement page shows each of
them only their own status and date, and the coordinator sees group figures with small groups
hidden, never one person's answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from osallisuus.experts import selectors, services
from osallisuus.experts.models import Agreement
from osallisuus.measurement import services as measurement
from osallisuus.measurement.models import Response

from .factories import build_world

SECRET = "Järjestelyt olivat sekavat, kerron tästä vain teille."


@pytest.fixture
def world(personas):
    return build_world(personas)


def fi(message: str, **values: object) -> str:
    """The message as the Finnish interface shows it."""
    with override("fi"):
        text = gettext(message)
    return escape(text % values if values else text)


def _agreement(world, *, done: bool = True, day: int = 1) -> Agreement:
    req = world.request(starts_in=dt.timedelta(days=day))
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
    if done:
        Agreement.objects.filter(pk=agreement.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
        services.agreement_confirm(actor=world.personas.orderer, agreement=agreement, took_place=True)
    agreement.refresh_from_db()
    return agreement


def _answer(response: Response, *, comment: str = "") -> Response:
    codes = [i.code for i in response.instrument.items.all() if i.kind == "choice"]
    measurement.response_save(response=response, values=dict.fromkeys(codes, 4), texts={"comment": comment})
    return measurement.response_submit(response=response)


def test_task_feedback_model__is_gone():
    assert "taskfeedback" not in {m._meta.model_name for m in apps.get_app_config("experts").get_models()}
    assert not hasattr(Agreement, "feedback")


@pytest.mark.parametrize(
    ("persona", "code"), [("expert", "expert-task-feedback"), ("orderer", "orderer-task-feedback")]
)
def test_feedback__after_the_task__starts_the_sides_questionnaire_in_measurement(world, login, persona, code):
    # Given a task that took place
    agreement = _agreement(world)
    client = login(world.personas[persona])
    page = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    assert fi("Give feedback on this task") in page
    # When the expert (or the orderer) gives feedback
    answer = client.post(reverse("experts:agreement_feedback", args=[agreement.pk]))
    # Then a response of their side's questionnaire is started in the measurement engine,
    # for this agreement (no personal data in the reference) and the brokering organisation
    response = Response.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == measurement.response_url(response)
    assert response.instrument.code == code
    assert response.respondent == world.personas[persona]
    assert (response.context_module, response.context_ref) == ("experts", f"agreement:{agreement.pk}")
    assert response.organisation == world.personas.organisations["ngo"]
    # And asking again continues the same one
    again = client.post(reverse("experts:agreement_feedback", args=[agreement.pk]))
    assert again["Location"] == answer["Location"]
    assert Response.objects.count() == 1
    assert (
        fi("Continue the feedback")
        in client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    )


def test_feedback__sent__the_page_shows_the_date_and_a_second_one_is_refused(world, login):
    agreement = _agreement(world)
    sent = _answer(services.feedback_start(actor=world.personas.orderer, agreement=agreement), comment=SECRET)
    client = login(world.personas.orderer)
    page = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    day = f"{timezone.localtime(sent.submitted_at):%-d.%-m.%Y}"
    assert fi("Feedback given on %(date)s. Thank you!", date=day) in page
    assert f"/measurement/r/{sent.pk}/answers/" in page
    assert fi("Give feedback on this task") not in page
    refused = client.post(reverse("experts:agreement_feedback", args=[agreement.pk]))
    assert refused.status_code == 400
    assert fi("You have already given feedback on this task.") in refused.content.decode()
    assert Response.objects.count() == 1


def test_feedback__the_other_side_sees_only_their_own_status_never_the_answers(world, login):
    agreement = _agreement(world)
    _answer(services.feedback_start(actor=world.personas.orderer, agreement=agreement), comment=SECRET)
    for persona in ("expert", "coordinator", "partner_worker"):
        page = login(world.personas[persona]).get(reverse("experts:agreement_detail", args=[agreement.pk]))
        body = page.content.decode()
        assert page.status_code == 200
        assert SECRET not in body
        assert fi("Feedback given on %(date)s. Thank you!", date="X").split("X")[0] not in body, persona
    # and the orderer's answers stay closed to the expert and the coordinator
    sent = Response.objects.get()
    for persona in ("expert", "coordinator"):
        assert login(world.personas[persona]).get(f"/measurement/r/{sent.pk}/answers/").status_code == 404


def test_feedback__before_the_task__is_refused_with_a_message(world, login):
    agreement = _agreement(world, done=False)
    client = login(world.personas.expert)
    page = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    assert fi("Give feedback on this task") not in page
    refused = client.post(reverse("experts:agreement_feedback", args=[agreement.pk]))
    assert refused.status_code == 400
    assert fi("Feedback can be given after the task.") in refused.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 403), ("partner_worker", 403), ("participant", 404)])
def test_feedback__by_others_than_the_two_sides__is_refused_and_starts_nothing(world, login, persona, status):
    agreement = _agreement(world)
    response = login(world.personas[persona]).post(reverse("experts:agreement_feedback", args=[agreement.pk]))
    assert response.status_code == status
    assert not Response.objects.exists()


def test_feedback_start__service__refuses_the_coordinator(world):
    agreement = _agreement(world)
    with pytest.raises(services.FeedbackNotYours):
        services.feedback_start(actor=world.personas.coordinator, agreement=agreement)
    assert not Response.objects.exists()


def _many_orderers(world, count: int) -> list:
    """More orderers in the county, each of whom gives feedback on a task of their own."""
    from osallisuus.accounts.models import User
    from osallisuus.accounts.services import membership_grant

    people = []
    for i in range(count):
        user = User.objects.create_user(f"tilaaja{i}@example.test", "x", full_name=f"Tilaaja {i}")
        membership_grant(user=user, organisation=world.personas.organisations["county"], roles=["orderer"])
        people.append(user)
    return people


def test_coordinator_report__shows_only_suppressed_group_figures(world, login):
    # Given six orderers gave feedback, one of them very critical with a comment
    orderers = _many_orderers(world, 6)
    for i, orderer in enumerate(orderers):
        agreement = _agreement(world, day=i + 1)
        response = services.feedback_start(actor=orderer, agreement=agreement)
        codes = [item.code for item in response.instrument.items.all() if item.kind == "choice"]
        value = 1 if i == 0 else 5
        measurement.response_save(response=response, values=dict.fromkeys(codes, value), texts={"comment": SECRET})
        measurement.response_submit(response=response)
    year = timezone.localdate().year
    # When the coordinator reads the year's report
    found = {r.side: r.report for r in selectors.feedback_reports(actor=world.personas.coordinator, year=year)}
    # Then the orderers' figures are there as a group, and the single critical answer is hidden
    orderers_report = found["orderer"]
    assert orderers_report.shown
    assert orderers_report.n == 6
    question = orderers_report.instrument.items.get(code="useful").display_text
    useful = next(t for t in orderers_report.tables if t.title == question)
    assert not useful.cells[0].shown
    assert not useful.cells[-1].shown
    # And the experts' side (nobody answered) says too few answered
    assert not found["expert"].shown
    page = login(world.personas.coordinator).get(reverse("experts:reports")).content.decode()
    assert SECRET not in page
    assert orderers[0].full_name not in page
    assert fi("Orderers' feedback") in page
    assert fi("Experts' feedback") in page
    xlsx = login(world.personas.coordinator).get(reverse("experts:reports") + "?format=xlsx")
    assert xlsx.status_code == 200


def test_coordinator_report__of_another_brokering_organisation__counts_nothing_of_ours(world, personas):
    agreement = _agreement(world)
    _answer(services.feedback_start(actor=world.personas.orderer, agreement=agreement))
    # Ville is no coordinator of the NGO: nothing of the NGO's feedback is counted for him
    found = selectors.feedback_reports(actor=personas.own_worker, year=timezone.localdate().year)
    assert all(r.report.n == 0 for r in found)


def test_demo__feedback_goes_through_measurement__reports_show_figures_and_hide_small_groups(personas):
    from osallisuus.core.demo import DemoContext
    from osallisuus.experts import demo

    ctx = DemoContext(users=personas.users, organisations=personas.organisations, scale=0.1)
    demo.load(ctx)
    feedback = Response.objects.filter(context_module="experts")
    assert feedback.filter(instrument__code="orderer-task-feedback", status="submitted").count() >= 20
    assert feedback.filter(instrument__code="expert-task-feedback", status="submitted").exists()
    assert all(r.context_ref.startswith("agreement:") for r in feedback)
    waiting = feedback.get(respondent=personas.expert, status="in_progress")
    assert waiting.instrument.code == "expert-task-feedback"
    found = {
        r.side: r.report for r in selectors.feedback_reports(actor=personas.coordinator, year=timezone.localdate().year)
    }
    assert found["orderer"].shown
    assert found["orderer"].n >= 20
    assert any(table.any_hidden for report in found.values() for table in report.tables)
    # Jussi works beside Eero through the demo's agreed task, not through a static relationship
    from osallisuus.accounts.models import Relationship

    placements = Relationship.objects.current().filter(
        worker=personas.partner_worker, person=personas.expert, kind=Relationship.Kind.PLACEMENT_PARTNER
    )
    assert placements.count() == 1
    ref = placements.get().source_ref
    assert ref.startswith("experts.agreement:")
    agreement = Agreement.objects.get(pk=int(ref.split(":")[1]))
    assert agreement.status == Agreement.Status.ACTIVE
    assert agreement.request.partner_worker == personas.partner_worker
