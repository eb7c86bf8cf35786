"""The public service API other modules use (docs/measurement.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from osallisuus.core.models import ChangeEvent
from osallisuus.measurement import services
from osallisuus.measurement.models import Answer, Response


def test_shipped_instruments__are_imported_after_migrate(db):
    from osallisuus.measurement.models import Instrument

    codes = set(Instrument.objects.values_list("code", flat=True))
    assert {
        "expert-task-feedback",
        "orderer-task-feedback",
        "plan-checkin",
        "demo-belonging",
        "kykyviisari",
        "avain-mittari",
    } <= codes
    assert not Instrument.objects.get(code="kykyviisari").items.exists()


def test_orderer_task_feedback__is_ours_in_three_languages_and_shown_only_as_groups(db):
    """The orderer's side of the task feedback: our own text (CC BY 4.0), fi/sv/en, scored as a mean,
    never shareable with a worker, and the file passes the published JSON Schema."""
    import json

    import jsonschema
    from django.conf import settings

    from osallisuus.measurement.models import Instrument
    from osallisuus.measurement.signals import INSTRUMENT_DIR

    raw = json.loads((INSTRUMENT_DIR / "orderer-task-feedback.json").read_text(encoding="utf-8"))
    schema = json.loads((settings.BASE_DIR / "docs/measurement-instrument.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(raw)
    instrument = Instrument.objects.get(code="orderer-task-feedback")
    assert instrument.licence.startswith("CC BY 4.0")
    assert instrument.languages == ["fi", "sv", "en"]
    assert instrument.scoring == "mean"
    assert not instrument.allow_sharing_with_worker
    items = list(instrument.items.order_by("order"))
    assert [i.code for i in items] == ["useful", "arrangements", "new_view", "again", "comment"]
    assert all(set(i.text) == {"fi", "sv", "en"} for i in items)
    assert items[-1].kind == "text"
    assert not items[-1].required


def test_response_start__twice_for_the_same_context__returns_the_same_response(personas):
    eero = personas.expert
    first = services.response_start(
        instrument_code="expert-task-feedback", respondent=eero, context_module="experts", context_ref="task:7"
    )
    second = services.response_start(
        instrument_code="expert-task-feedback", respondent=eero, context_module="experts", context_ref="task:7"
    )
    assert first.pk == second.pk
    assert services.response_url(first) == f"/measurement/r/{first.pk}/"


def test_response_start__unknown_instrument__is_refused(personas):
    with pytest.raises(services.MeasurementError):
        services.response_start(instrument_code="nope", respondent=personas.expert, context_module="experts")
    assert not Response.objects.exists()


def test_plan_checkin__save_then_submit__scores_with_the_reverse_item(personas):
    aino = personas.participant
    response = services.response_start(
        instrument_code="plan-checkin", respondent=aino, context_module="activation", context_ref="plan:1"
    )
    services.response_save(response=response, values={"goals": 5, "support": 4})
    services.response_save(response=response, values={"activities": 3, "stuck": 1}, texts={"next": "More walks"})
    sent = services.response_submit(response=response)
    # stuck is reverse-coded on 1–5: 1 counts as 5. Mean of 5, 4, 3, 5 = 4.25
    assert sent.status == Response.Status.SUBMITTED
    assert sent.score == Decimal("4.250")
    assert ChangeEvent.objects.filter(verb="measurement.response.submitted", target_id=str(sent.pk)).exists()


def test_response_save__value_out_of_scale__is_refused_and_nothing_is_saved(personas):
    response = services.response_start(
        instrument_code="plan-checkin", respondent=personas.participant, context_module="activation"
    )
    with pytest.raises(services.AnswersInvalid) as caught:
        services.response_save(response=response, values={"goals": 5, "support": 9})
    assert "support" in caught.value.errors
    assert not Answer.objects.filter(response=response).exists()


def test_response_submit__required_missing__is_refused_and_stays_in_progress(personas):
    response = services.response_start(
        instrument_code="plan-checkin", respondent=personas.participant, context_module="activation"
    )
    services.response_save(response=response, values={"goals": 5})
    with pytest.raises(services.AnswersInvalid) as caught:
        services.response_submit(response=response)
    assert set(caught.value.errors) == {"support", "activities", "stuck"}
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS
    assert response.score is None


def test_response_submit__answered_at__counts_when_given_and_never_in_the_future(personas):
    import datetime as dt

    from django.utils import timezone

    def filled():
        response = services.response_start(
            instrument_code="plan-checkin",
            respondent=personas.participant,
            context_module="activation",
            context_ref=f"plan:{timezone.now().timestamp()}",
        )
        return services.response_save(response=response, values={"goals": 4, "support": 4, "activities": 4, "stuck": 2})

    future = filled()
    with pytest.raises(services.MeasurementError):
        services.response_submit(response=future, answered_at=timezone.now() + dt.timedelta(days=1))
    future.refresh_from_db()
    assert future.status == Response.Status.IN_PROGRESS
    assert future.submitted_at is None
    given = timezone.now() - dt.timedelta(days=40)
    sent = services.response_submit(response=filled(), answered_at=given)
    assert sent.submitted_at == given


def test_response_withdraw__deletes_the_answers_and_the_score(personas):
    response = services.response_start(
        instrument_code="plan-checkin", respondent=personas.participant, context_module="activation"
    )
    services.response_save(response=response, values={"goals": 5, "support": 4, "activities": 3, "stuck": 2})
    services.response_submit(response=response)
    services.response_withdraw(response=response, actor=personas.participant)
    response.refresh_from_db()
    assert response.status == Response.Status.WITHDRAWN
    assert response.score is None
    assert not Answer.objects.filter(response=response).exists()


def test_responses_for_context__tells_another_module_whether_the_person_answered(personas):
    from osallisuus.measurement import selectors

    eero = personas.expert
    response = services.response_start(
        instrument_code="expert-task-feedback", respondent=eero, context_module="experts", context_ref="task:9"
    )
    found = list(selectors.responses_for_context(respondent=eero, context_module="experts", context_ref="task:9"))
    other = selectors.responses_for_context(respondent=eero, context_module="experts", context_ref="task:10")
    assert [r.pk for r in found] == [response.pk]
    assert found[0].status == Response.Status.IN_PROGRESS
    assert not other.exists()


def test_breakdown_report__with_items__gives_each_items_distribution_suppressed(personas):
    from osallisuus.measurement import reports
    from osallisuus.measurement.models import Instrument

    ngo = personas.organisations["ngo"]
    people = [personas.expert, personas.expert2, personas.coordinator, personas.orderer, personas.partner_worker]
    for person in people:
        response = services.response_start(
            instrument_code="expert-task-feedback",
            respondent=person,
            context_module="experts",
            context_ref=f"agreement:{person.pk}",
            organisation=ngo,
        )
        services.response_save(response=response, values={"prepared": 5, "welcome": 4, "heard": 5, "again": 5})
        services.response_submit(response=response)
    instrument = Instrument.objects.get(code="expert-task-feedback")
    report = reports.breakdown_report(
        instrument=instrument, organisation_ids=[ngo.pk], dimension="quarter", threshold=5, module="experts"
    )
    assert report.shown
    assert report.n == 5
    assert len(report.tables) == 2
    with_items = reports.breakdown_report(
        instrument=instrument,
        organisation_ids=[ngo.pk],
        dimension="quarter",
        threshold=5,
        module="experts",
        with_items=True,
    )
    welcome = next(t for t in with_items.tables if t.title == "I was made welcome.")
    assert [c.n for c in welcome.cells if c.shown] == [0, 0, 0, 5, 0]
    assert (
        reports.breakdown_report(
            instrument=instrument, organisation_ids=[ngo.pk], dimension="quarter", threshold=6, module="experts"
        ).tables
        == []
    )
