"""The whole journey through the pages: orderer → coordinator → expert → orderer → expert → coordinator."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from osallisuus.core.models import AccessLogEntry
from osallisuus.experts.models import (
    Agreement,
    EarningsLimit,
    ExpenseReport,
    Offer,
    TaskRequest,
    TaskType,
)

from .factories import build_world

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def world(personas):
    return build_world(personas)


def fi(message: str) -> str:
    """The message as the Finnish UI shows it."""
    from django.utils.html import escape
    from django.utils.translation import gettext, override

    with override("fi"):
        return escape(gettext(message))


def _request_form(world, **overrides):
    data = {
        "broker": world.personas.organisations["ngo"].pk,
        "task_type": TaskType.objects.get(code="lecture").pk,
        "setting": "education",
        "title": "Luento opiskelijoille",
        "description": "Kokemuspuheenvuoro.",
        "starts_at": (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT10:00"),
        "duration_minutes": 90,
        "sessions": 1,
        "address": "Kirkkokatu 1",
        "region": "Järvi-Suomi",
        "language": "fi",
        "partner_worker": world.personas.partner_worker.pk,
        "places": 1,
        "compensation": "fee",
    }
    data.update(overrides)
    return data


def test_journey__from_request_to_payment_export__works_through_the_pages(world, client, login):
    p = world.personas
    # Given Eero has a monthly limit that one lecture fee crosses
    EarningsLimit.objects.create(
        expert=world.eero,
        kind="Työkyvyttömyyseläke",
        amount=Decimal("50.00"),
        period="month",
        consecutive_months=3,
        valid_from=dt.date(2020, 1, 1),
        source="Eläkepäätös",
    )
    # When Sari (orderer) files a request
    login(p.orderer)
    response = client.post(reverse("experts:request_new"), _request_form(world))
    assert response.status_code == 302
    req = TaskRequest.objects.get()
    assert req.status == TaskRequest.Status.SUBMITTED
    # And Kaisa (coordinator) approves it with the event fee and sees ranked candidates with reasons
    login(p.coordinator)
    response = client.post(
        reverse("experts:request_review", args=[req.pk]), {"decision": "approve", "fee_item_code": "event"}
    )
    assert response.status_code == 302
    page = client.get(reverse("experts:request_detail", args=[req.pk]))
    body = page.content.decode()
    assert "Eero Väisänen" in body
    assert "Päivi Törmänen" in body
    assert page.context["candidates"][0].reasons
    # And offers it to both
    response = client.post(
        reverse("experts:request_offer", args=[req.pk]), {"experts": [world.eero.pk, world.paivi.pk]}
    )
    assert response.status_code == 302
    assert Offer.objects.filter(request=req).count() == 2
    # And Eero sees the earnings warning and accepts
    login(p.expert)
    offer = Offer.objects.get(request=req, expert=world.eero)
    page = client.get(reverse("experts:offer_detail", args=[offer.pk]))
    assert page.context["check"].flagged
    assert "earnings-warning" in page.content.decode()
    response = client.post(reverse("experts:offer_accept", args=[offer.pk]), {})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert agreement.fee == Decimal("100.00")
    # Then Päivi's offer is marked taken
    assert Offer.objects.get(request=req, expert=world.paivi).status == Offer.Status.TAKEN
    # When the task has taken place and Sari confirms it
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    login(p.orderer)
    response = client.post(reverse("experts:agreement_confirm", args=[agreement.pk]), {"outcome": "done"})
    assert response.status_code == 302
    # And Eero reports kilometres and a ticket with its receipt
    login(p.expert)
    response = client.post(
        reverse("experts:expenses", args=[agreement.pk]),
        {
            "kilometres": "42",
            "ticket_amount": "7.50",
            "ticket_receipt": SimpleUploadedFile("lippu.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ExpenseReport.objects.get()
    # Then kilometres of a paid task are kept as taxable, the receipt cost as tax-free
    assert {(i.kind, i.amount, i.taxable) for i in report.items.all()} == {
        ("km", Decimal("23.94"), True),
        ("ticket", Decimal("7.50"), False),
    }
    # When Kaisa approves and exports
    login(p.coordinator)
    response = client.post(reverse("experts:payments"), {"report": report.pk, "decision": "approve"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ExpenseReport.Status.APPROVED
    year = timezone.localtime(agreement.starts_at).year
    xlsx = client.get(reverse("experts:payments_export"), {"format": "xlsx", "year": year})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "Eero Väisänen"
    assert Decimal(str(rows[1][3])) == Decimal("100.00")
    csv = client.get(reverse("experts:payments_export"), {"format": "csv", "year": year})
    assert "Eero Väisänen" in csv.content.decode("utf-8-sig")
    # And each export logged that Eero's data was read
    assert (
        AccessLogEntry.objects.filter(actor=p.coordinator, subject_id=p.expert.pk, purpose="payment export").count()
        == 2
    )


def test_request_new__in_the_past__is_refused_with_a_message_and_nothing_saved(world, client, login):
    login(world.personas.orderer)
    data = _request_form(world, starts_at="2020-01-01T10:00", title="=HYPERLINK(1)")
    response = client.post(reverse("experts:request_new"), data)
    assert response.status_code == 400
    assert fi("The task must start in the future.") in response.content.decode()
    assert 'value="=HYPERLINK(1)"' in response.content.decode()
    assert not TaskRequest.objects.exists()


def test_request_new__by_the_expert__is_forbidden(world, client, login):
    login(world.personas.expert)
    response = client.post(reverse("experts:request_new"), _request_form(world))
    assert response.status_code == 403
    assert not TaskRequest.objects.exists()


def test_request_detail__of_another_organisation__is_404_for_the_orderer(world, client, login):
    req = world.request()
    TaskRequest.objects.filter(pk=req.pk).update(organisation=world.personas.organisations["school"])
    login(world.personas.orderer)
    assert client.get(reverse("experts:request_detail", args=[req.pk])).status_code == 404
    assert client.post(reverse("experts:request_review", args=[req.pk]), {"decision": "approve"}).status_code == 404


def test_expenses__wrong_receipt_type__is_refused_and_nothing_saved(world, client, login):
    req = world.request()
    from osallisuus.experts import services

    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DONE)
    login(world.personas.expert)
    response = client.post(
        reverse("experts:expenses", args=[agreement.pk]),
        {
            "ticket_amount": "7.50",
            "ticket_receipt": SimpleUploadedFile("lippu.png", b"MZ\x90\x00 not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert fi("The receipt must be a PDF, JPEG or PNG file.") in response.content.decode()
    assert not ExpenseReport.objects.exists()


def test_expenses__absurd_kilometres__get_a_clear_message(world, client, login):
    req = world.request()
    from osallisuus.experts import services

    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DONE)
    login(world.personas.expert)
    response = client.post(reverse("experts:expenses", args=[agreement.pk]), {"kilometres": "-5"})
    assert response.status_code == 400
    assert fi("Kilometres cannot be negative.") in response.content.decode()
    response = client.post(reverse("experts:expenses", args=[agreement.pk]), {"kilometres": "99999"})
    assert response.status_code == 400
    assert not ExpenseReport.objects.exists()


def test_pdfs_and_calendar__render_for_the_people_of_the_agreement(world, client, login):
    from osallisuus.experts import services

    req = world.request()
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
    login(world.personas.expert)
    pdf = client.get(reverse("experts:agreement_pdf", args=[agreement.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    ics = client.get(reverse("experts:agreement_ics", args=[agreement.pk]))
    assert b"BEGIN:VEVENT" in ics.content
    assert req.title.encode() in ics.content
    statement = client.get(reverse("experts:statement_pdf"), {"year": timezone.localdate().year})
    assert statement.content.startswith(b"%PDF")
    login(world.personas.coordinator)
    cert = client.get(reverse("experts:certificate_pdf", args=[world.eero.pk]))
    assert cert.content.startswith(b"%PDF")


def test_sessions__coordinator_records_supervision_and_wellbeing_shows_it(world, client, login):
    from osallisuus.experts.models import SupportSession

    login(world.personas.coordinator)
    today = timezone.localdate()
    response = client.post(
        reverse("experts:sessions"), {"kind": "supervision", "held_on": today.isoformat(), "attendees": [world.eero.pk]}
    )
    assert response.status_code == 302
    assert list(SupportSession.objects.get().attendees.all()) == [world.eero]
    signals = client.get(reverse("experts:wellbeing")).context["signals"]
    eero = next(s for s in signals if s.expert.pk == world.eero.pk)
    assert eero.days_since_supervision == 0


def test_sessions__in_the_future__is_refused_and_nothing_saved(world, client, login):
    from osallisuus.experts.models import SupportSession

    login(world.personas.coordinator)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("experts:sessions"), {"kind": "supervision", "held_on": future, "attendees": [world.eero.pk]}
    )
    assert response.status_code == 400
    assert fi("Record a session after it has been held.") in response.content.decode()
    assert not SupportSession.objects.exists()


def test_review__fee_outside_the_range_is_refused_with_the_range_and_the_input_kept(world, client, login):
    from django.utils.translation import gettext, override

    p = world.personas
    login(p.orderer)
    assert client.post(reverse("experts:request_new"), _request_form(world)).status_code == 302
    req = TaskRequest.objects.get()
    login(p.coordinator)
    url = reverse("experts:request_review", args=[req.pk])
    response = client.post(url, {"decision": "approve", "fee_item_code": "event", "fee_amount": "700"})
    assert response.status_code == 400
    with override("fi"):
        expected = gettext("The fee must be between %(range)s.") % {"range": "100,00–600,00\u00a0€"}
    body = response.content.decode()
    assert expected in body
    assert 'value="700"' in body
    req.refresh_from_db()
    assert req.status == TaskRequest.Status.SUBMITTED
    # A Finnish decimal comma is understood
    response = client.post(url, {"decision": "approve", "fee_item_code": "event", "fee_amount": "250,50"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.fee_amount == Decimal("250.50")
    assert req.status == TaskRequest.Status.OPEN
