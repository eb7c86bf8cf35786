"""Field-level visibility: an orderer never receives a diagnosis or the experience story
without the expert's recorded consent — in pages, the API or exports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.experts import services
from osallisuus.experts.models import Agreement, ExpenseReport

from .factories import SECRET_DIAGNOSIS, SECRET_STORY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(personas):
    world = build_world(personas)
    req = world.request()
    offer = services.offer_make(actor=personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=personas.expert, offer=offer)
    return world, agreement


def _bodies(client, agreement):
    return [
        client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode(),
        client.get(reverse("experts:request_detail", args=[agreement.request_id])).content.decode(),
        json.dumps(client.get(f"/api/v1/experts/agreements/{agreement.pk}").json(), ensure_ascii=False),
    ]


def test_orderer__without_consent__never_receives_diagnosis_story_or_contact(agreed, client, login):
    world, agreement = agreed
    login(world.personas.orderer)
    for body in _bodies(client, agreement):
        assert "Eero Väisänen" in body
        assert SECRET_DIAGNOSIS not in body
        assert SECRET_STORY not in body
        assert world.personas.expert.email not in body
        assert world.personas.expert.phone not in body
    api = client.get(f"/api/v1/experts/agreements/{agreement.pk}").json()
    assert api["expert"]["diagnoses"] is None
    assert api["expert"]["story"] is None
    assert api["expert"]["email"] is None
    pdf = client.get(reverse("experts:agreement_pdf", args=[agreement.pk]))
    assert pdf.status_code == 200
    ics = client.get(reverse("experts:agreement_ics", args=[agreement.pk])).content.decode()
    assert SECRET_DIAGNOSIS not in ics
    assert SECRET_STORY not in ics


def test_partner_worker__without_consent__does_not_see_the_story(agreed, client, login):
    world, agreement = agreed
    login(world.personas.partner_worker)
    body = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Eero Väisänen" in body
    assert SECRET_DIAGNOSIS not in body
    assert SECRET_STORY not in body


def test_orderer__with_recorded_consent__sees_the_shared_parts_only(agreed, client, login):
    world, agreement = agreed
    services.expert_profile_update(actor=world.personas.expert, expert=world.eero, changes={"share_story": True})
    login(world.personas.orderer)
    for body in _bodies(client, agreement):
        assert SECRET_STORY in body
        assert SECRET_DIAGNOSIS not in body


def test_consent_flag_without_recorded_time__is_not_consent(agreed, client, login):
    world, agreement = agreed
    type(world.eero).objects.filter(pk=world.eero.pk).update(share_diagnoses=True, consent_recorded_at=None)
    login(world.personas.orderer)
    for body in _bodies(client, agreement):
        assert SECRET_DIAGNOSIS not in body


def test_coordinator__sees_diagnoses_but_not_the_unshared_story(agreed, client, login):
    world, _agreement = agreed
    login(world.personas.coordinator)
    body = client.get(reverse("experts:expert_detail", args=[world.eero.pk])).content.decode()
    assert SECRET_DIAGNOSIS in body
    assert SECRET_STORY not in body


def test_payment_export__never_contains_diagnosis_or_story(agreed, client, login):
    world, agreement = agreed
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DONE)
    ExpenseReport.objects.create(agreement=agreement)
    login(world.personas.coordinator)
    year = timezone.localtime(agreement.starts_at).year
    csv = client.get(reverse("experts:payments_export"), {"format": "csv", "year": year}).content.decode("utf-8-sig")
    assert "Eero Väisänen" in csv
    assert SECRET_DIAGNOSIS not in csv
    assert SECRET_STORY not in csv


def test_payment_export__by_the_orderer__is_forbidden(agreed, client, login):
    world, _agreement = agreed
    login(world.personas.orderer)
    response = client.get(reverse("experts:payments_export"), {"format": "csv", "year": 2026})
    assert response.status_code == 403


def test_export__formula_in_a_title__is_written_as_text(agreed, client, login):
    world, agreement = agreed
    type(agreement.request).objects.filter(pk=agreement.request_id).update(title='=HYPERLINK("http://x","y")')
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DONE)
    login(world.personas.coordinator)
    year = timezone.localtime(agreement.starts_at).year
    csv = client.get(reverse("experts:payments_export"), {"format": "csv", "year": year}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    import io

    from openpyxl import load_workbook

    xlsx = client.get(reverse("experts:payments_export"), {"format": "xlsx", "year": year}).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(row=2, column=3).data_type == "s"
    assert str(sheet.cell(row=2, column=3).value).startswith("'=")


def test_reading_an_agreement__writes_one_access_log_row_about_the_expert(agreed, client, login):
    from osallisuus.core.models import AccessLogEntry

    world, agreement = agreed
    login(world.personas.orderer)
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.get(reverse("experts:agreement_detail", args=[agreement.pk]))
    rows = list(AccessLogEntry.objects.filter(pk__gt=last))
    assert [r.subject_id for r in rows if r.subject_id == world.personas.expert.pk] == [world.personas.expert.pk]
    assert all(r.actor_id == world.personas.orderer.pk for r in rows)


def test_api_journey__request_candidates_offer_accept_confirm_expenses(personas, client, login):
    world = build_world(personas)
    ngo = personas.organisations["ngo"]
    login(personas.orderer)
    starts = (timezone.now() + dt.timedelta(days=5)).isoformat()
    created = client.post(
        "/api/v1/experts/requests",
        {
            "broker_id": ngo.pk,
            "task_type": "lecture",
            "title": "API-tilaus",
            "description": "Kuvaus",
            "starts_at": starts,
            "duration_minutes": 60,
            "remote": True,
            "experience_area": "mental_health",
            "partner_worker_id": personas.partner_worker.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    login(personas.coordinator)
    assert (
        client.post(
            f"/api/v1/experts/requests/{rid}/review",
            {"approve": True, "fee_item_code": "event"},
            content_type="application/json",
        ).status_code
        == 200
    )
    cands = client.get(f"/api/v1/experts/requests/{rid}/candidates").json()
    assert {c["name"] for c in cands} == {"Eero Väisänen", "Päivi Törmänen"}
    assert cands[0]["reasons"]
    offers = client.post(
        f"/api/v1/experts/requests/{rid}/offers", {"expert_ids": [world.eero.pk]}, content_type="application/json"
    )
    assert offers.status_code == 201
    oid = offers.json()[0]["id"]
    login(personas.expert)
    detail = client.get(f"/api/v1/experts/offers/{oid}").json()
    assert detail["fee"] == "100.00"
    accepted = client.post(f"/api/v1/experts/offers/{oid}/accept", {"volunteer": True}, content_type="application/json")
    assert accepted.status_code == 201
    assert accepted.json()["fee"] == "0.00"
    aid = accepted.json()["id"]
    again = client.post(f"/api/v1/experts/offers/{oid}/accept", {}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["detail"]
    Agreement.objects.filter(pk=aid).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    login(personas.orderer)
    assert (
        client.post(
            f"/api/v1/experts/agreements/{aid}/confirm", {"took_place": True}, content_type="application/json"
        ).status_code
        == 200
    )
    login(personas.expert)
    exp = client.post(
        f"/api/v1/experts/agreements/{aid}/expenses",
        {"lines": [{"kind": "km", "kilometres": "10"}]},
        content_type="application/json",
    )
    assert exp.status_code == 201
    assert exp.json()["tax_free"] == "5.70"
    assert exp.json()["taxable"] == "0"


def test_api__coordinator_of_another_organisation__gets_404_for_candidates(personas, client, login):
    world = build_world(personas)
    req = world.request()
    login(personas.orderer)
    assert client.get(f"/api/v1/experts/requests/{req.pk}/candidates").status_code == 404
    login(personas.expert)
    assert client.get(f"/api/v1/experts/requests/{req.pk}").status_code == 404


def test_api_request__naming_someone_outside_the_workplace_as_partner__is_refused(personas, client, login):
    # An orderer cannot make a stranger a party to the placement (a party sees the agreement).
    build_world(personas)
    login(personas.orderer)
    answer = client.post(
        "/api/v1/experts/requests",
        {
            "broker_id": personas.organisations["ngo"].pk,
            "task_type": "lecture",
            "title": "API-tilaus",
            "description": "Kuvaus",
            "starts_at": (timezone.now() + dt.timedelta(days=5)).isoformat(),
            "duration_minutes": 60,
            "remote": True,
            "partner_worker_id": personas.participant.pk,
        },
        content_type="application/json",
    )
    assert answer.status_code == 400
    from osallisuus.experts.models import TaskRequest

    assert not TaskRequest.objects.exists()
