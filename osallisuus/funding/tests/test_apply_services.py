"""Applying: the financing plan must add up to the cost estimate (Decimal, to the cent), the
lump-sum limit is a rule with a source, amounts are read as people type them, submission before
the call closes (the server's clock decides), withdrawal, resubmission and attachments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from osallisuus.funding import permissions, services
from osallisuus.funding.models import Application, FundingRule

from .factories import COSTS, FINANCING, OUTPUTS, PLAN, build_world, draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_the_factory_world_has_two_funders_with_their_caps(world):
    assert world.ely_envelope.cap == Decimal("300000.00")
    assert world.city_envelope.cap == Decimal("100000.00")
    totals = services.totals_of(world.application)
    assert totals.costs == Decimal("60000.00") == totals.financing
    assert totals.balanced


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.50")),
        ("12 000 €", Decimal("12000.00")),
        ("", Decimal("0.00")),
    ],
)
def test_amounts_are_read_with_the_finnish_decimal_comma(typed, expected):
    assert services.money(typed, field="x") == expected


@pytest.mark.parametrize(("typed", "code"), [("-5", "negative"), ("kymppi", "not_number"), ("1,005", "cents")])
def test_negative_and_non_numeric_amounts_are_refused_with_the_field_named(typed, code):
    with pytest.raises(services.FundingError) as refusal:
        services.money(typed, field="costs-0-amount")
    assert refusal.value.field == "costs-0-amount"
    assert refusal.value.code == code


def test_a_negative_cost_saves_nothing(world):
    app = world.application
    bad = [*COSTS[:1], {"category": "travel", "description": "Matkat", "amount": "-100"}]
    with pytest.raises(services.FundingError) as refusal:
        services.application_save(
            actor=world.tiina, application=app, plan={**PLAN, "title": "Muutettu"}, costs=bad, financing=FINANCING
        )
    assert refusal.value.field == "costs-1-amount"
    app.refresh_from_db()
    assert app.title == "Pärskeen polku"
    assert app.costs.count() == len(COSTS)


def test_an_unbalanced_plan_is_saved_as_a_draft_but_not_submitted(world):
    app = world.application
    services.application_save(
        actor=world.tiina, application=app, plan={}, financing={**FINANCING, "own_money": "2 999,99"}
    )
    totals = services.totals_of(app)
    assert totals.difference == Decimal("-0.01")
    with pytest.raises(services.FundingError) as refusal:
        services.application_submit(actor=world.tiina, application=app)
    assert refusal.value.field == "financing"
    message = refusal.value.message.replace("\xa0", " ")
    assert "59 999,99" in message
    assert "60 000,00" in message
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT


def test_the_lump_sum_limit_is_the_rule_in_force_with_its_source(world):
    app = world.application
    big = [{"category": "staff", "description": "Palkat", "amount": "200 000,01"}]
    with pytest.raises(services.FundingError) as refusal:
        services.application_save(actor=world.tiina, application=app, plan={"lump_sum": True}, costs=big)
    assert refusal.value.field == "lump_sum"
    assert "200 000,00" in refusal.value.message.replace("\xa0", " ")
    assert FundingRule.objects.get(kind="lump_sum_max_total").source in refusal.value.message
    # Exactly at the limit is allowed; without a lump sum, any size is.
    services.application_save(
        actor=world.tiina,
        application=app,
        plan={},
        costs=[{"category": "staff", "description": "P", "amount": "200000"}],
    )
    services.application_save(actor=world.tiina, application=app, plan={"lump_sum": False}, costs=big)


def test_submit_before_the_deadline_gives_a_tracking_number_by_email(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://osallisuus.example.fi"
    app = world.application
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=world.tiina, application=app)
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert app.submitted_at is not None
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert app.tracking_number in mail.outbox[0].subject
    assert f"https://osallisuus.example.fi/funding/applications/{app.pk}/" in body


def test_the_server_clock_decides_the_deadline(world):
    app = world.application
    late = world.call.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(services.FundingError) as refusal:
        services.application_submit(actor=world.tiina, application=app, now=late)
    assert refusal.value.code == "closed"
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT
    services.application_submit(actor=world.tiina, application=app, now=world.call.closes_at - dt.timedelta(seconds=1))


def test_a_submitted_application_cannot_be_changed_but_can_be_withdrawn(world):
    app = submitted(world, title="Toinen")
    with pytest.raises(services.FundingForbidden):
        services.application_save(actor=world.tiina, application=app, plan={"title": "X"})
    services.application_withdraw(actor=world.tiina, application=app)
    app.refresh_from_db()
    assert app.status == Application.Status.WITHDRAWN


def test_resubmit_copies_into_a_new_draft_of_a_later_call(world):
    app = submitted(world, title="Uudelleen")
    services.application_withdraw(actor=world.tiina, application=app)
    later = services.call_create(
        actor=world.pekka,
        programme=world.programme,
        name="Syksyn haku",
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=world.call.closes_at + dt.timedelta(days=60),
        year=2027,
        funders=[world.ely, world.city],
        criteria=[("Vaikuttavuus", 100)],
    )
    copy = services.application_resubmit(actor=world.tiina, application=app, call=later)
    assert copy.status == Application.Status.DRAFT
    assert copy.call == later
    assert copy.resubmission_of == app
    assert copy.tracking_number != app.tracking_number
    assert services.totals_of(copy).costs == Decimal("60000.00")
    assert copy.outputs.count() == len(OUTPUTS)
    with pytest.raises(services.FundingError):
        services.application_resubmit(actor=world.tiina, application=app, call=world.call)


def test_another_applicant_cannot_see_a_draft(world, personas):
    app = world.application
    assert not permissions.application_visible_to(personas.coordinator).filter(pk=app.pk).exists()
    # The funders see it only once it is submitted.
    assert not permissions.application_visible_to(world.helena).filter(pk=app.pk).exists()
    services.application_submit(actor=world.tiina, application=app)
    assert permissions.application_visible_to(world.helena).filter(pk=app.pk).exists()


def _pdf(size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile("suunnitelma.pdf", b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_attachments_only_pdf_odf_or_office_within_the_size_rule(world):
    app = world.application
    attachment = services.attachment_add(actor=world.tiina, application=app, kind="plan", file=_pdf())
    assert attachment.size > 0
    exe = SimpleUploadedFile("ohjelma.pdf", b"MZ\x90\x00rest", content_type="application/pdf")
    with pytest.raises(services.FundingError) as refusal:
        services.attachment_add(actor=world.tiina, application=app, kind="plan", file=exe)
    assert refusal.value.code == "file_type"
    png = SimpleUploadedFile("kuva.png", b"\x89PNG\r\n", content_type="image/png")
    with pytest.raises(services.FundingError):
        services.attachment_add(actor=world.tiina, application=app, kind="plan", file=png)
    FundingRule.objects.filter(kind="attachment_max_mb").update(value=Decimal("0.001"))
    with pytest.raises(services.FundingError) as refusal:
        services.attachment_add(actor=world.tiina, application=app, kind="plan", file=_pdf(5000))
    assert refusal.value.code == "file_size"
    assert app.attachments.count() == 1


def test_several_users_write_one_application(world, personas):
    app = world.application
    with pytest.raises(services.FundingError):
        services.application_user_add(actor=world.tiina, application=app, email=personas.coordinator.email)
    assert app.users.count() == 1


def test_a_draft_can_be_started_only_in_an_open_call(world):
    world.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    world.call.opens_at = world.call.closes_at - dt.timedelta(days=5)
    world.call.save()
    with pytest.raises(services.FundingForbidden):
        draft(world, title="Myöhässä")
