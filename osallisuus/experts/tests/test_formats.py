"""Numbers the Finnish way in the experts module (issue 14, item 1): the earnings warning, the
terms of an agreement, the pages, the PDF's context and the XLSX number formats all go
through ``core.formatting``; Swedish and English readers get their own conventions, and the
agreement's terms are written at display time in the reader's language."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from osallisuus.experts import documents, earnings, fees, services

from .factories import build_world

NBSP = "\u00a0"
pytestmark = pytest.mark.django_db


def _limit_result(after: str) -> earnings.LimitResult:
    spec = earnings.LimitSpec(kind="Työkyvyttömyyseläke", amount=Decimal("976.59"), period="month")
    return earnings.LimitResult(limit=spec, before=Decimal("100.00"), after=Decimal(after), over=True)


def test_earnings_warning__money_with_a_decimal_comma_and_no_break_spaces():
    result = _limit_result("1234.50")
    with override("fi"):
        message = result.message
    assert f"976,59{NBSP}€" in message
    assert f"1{NBSP}234,50{NBSP}€" in message
    assert "976.59" not in message
    with override("en"):
        assert "€976.59" in result.message
        assert "€1,234.50" in result.message


@given(st.decimals(min_value=0, max_value=999_999, places=2, allow_nan=False, allow_infinity=False))
def test_terms__the_fee_reads_back_as_the_same_amount_in_finnish(fee):
    with override("fi"):
        lines = fees.terms_lines(
            fee=fee, travel_per_km=Decimal("0.570"), free_cancellation_hours=24, fee_due_on_no_show=True
        )
    fee_text = lines[0].removeprefix("Palkkio: ").removesuffix(".")
    assert fee_text.endswith(f"{NBSP}€")
    assert Decimal(fee_text.removesuffix(f"{NBSP}€").replace(NBSP, "").replace(",", ".")) == fee
    assert "0,57 €/km".replace(" ", NBSP) in lines[1]


def _agreement(world):
    req = world.request()
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    return services.offer_accept(actor=world.personas.expert, offer=offer)


def test_agreement_page__terms_in_the_readers_language_from_the_kept_figures(personas, client, login):
    world = build_world(personas)
    agreement = _agreement(world)
    login(personas.expert)
    url = reverse("experts:agreement_detail", args=[agreement.pk])
    body_fi = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert f"Matkat: 0,57{NBSP}€/km" in body_fi
    assert "0.570" not in body_fi
    client.post(reverse("set_language"), {"language": "sv", "next": url})
    body_sv = client.get(url).content.decode()
    assert f"Resor: 0,57{NBSP}€/km" in body_sv
    assert "Matkat:" not in body_sv
    client.post(reverse("set_language"), {"language": "en", "next": url})
    body_en = client.get(url).content.decode()
    assert "Travel: €0.57/km" in body_en
    assert "Matkat:" not in body_en


def test_agreement_page__money_and_times_one_way(personas, client, login):
    world = build_world(personas)
    agreement = _agreement(world)
    login(personas.expert)
    body = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    assert f"{agreement.fee:.2f}".replace(".", ",") + f"{NBSP}€" in body
    assert f"klo{NBSP}" in body
    assert "a.m." not in body
    assert "p.m." not in body


def test_xlsx__amounts_counts_and_dates_carry_their_number_formats():
    rows = [
        ["Päivä", "Palkkio", "Tehtäviä", "Osuus"],
        [dt.date(2026, 12, 4), Decimal("1234.56"), 20, Decimal("12.5")],
    ]
    sheet = load_workbook(io.BytesIO(documents.xlsx_bytes(rows, title="Testi"))).active
    date_cell, money_cell, count_cell, share_cell = sheet[2]
    assert money_cell.number_format == '#,##0.00\\ "€"'
    assert count_cell.number_format == "#,##0"
    assert date_cell.number_format == "d.m.yyyy"
    assert share_cell.number_format == "0.0"
    assert Decimal(str(money_cell.value)) == Decimal("1234.56")


def test_fee_item_names__in_the_readers_language_with_finnish_as_fallback(personas, client, login):
    from osallisuus.experts.models import FeeItem

    build_world(personas)
    item = FeeItem.objects.filter(name="Luento tai koulutus").first()
    assert item is not None
    with override("sv"):
        assert item.shown_name == "Föreläsning eller utbildning"
    with override("en"):
        assert str(item).startswith("Lecture or training: €100.00")
    item.name_en = ""
    with override("en"):
        assert item.shown_name == "Luento tai koulutus"
    login(personas.coordinator)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert "Föreläsning eller utbildning" in client.get(reverse("experts:reference")).content.decode()
