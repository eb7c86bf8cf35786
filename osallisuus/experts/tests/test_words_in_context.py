"""Short words that mean different things in different places carry a context (pgettext), so
Django's merged catalog shows the right one (issue 9, item 5)."""

from __future__ import annotations

from django.utils.translation import override

from osallisuus.accounts.models import Membership
from osallisuus.experts.models import ExpenseReport, Expert, Offer, PeerEvent, TaskRequest


def test_title__of_a_task_is_a_heading_not_a_job_title():
    with override("fi"):
        assert str(TaskRequest._meta.get_field("title").verbose_name) == "otsikko"
        assert str(PeerEvent._meta.get_field("title").verbose_name) == "otsikko"
        assert str(Membership._meta.get_field("title").verbose_name) == "tehtävänimike"


def test_statuses__agree_in_gender_in_swedish():
    with override("sv"):
        assert str(ExpenseReport.Status.APPROVED.label) == "Godkänd"  # en kostnadsredovisning
        assert str(Offer.Status.ACCEPTED.label) == "Godkänt"  # ett erbjudande
        assert str(Offer.Status.DECLINED.label) == "Avböjt"
        assert str(Expert.Status.ACTIVE.label) == "Aktiv"  # en erfarenhetsexpert
