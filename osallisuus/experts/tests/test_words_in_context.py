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


def test_optional__is_never_the_word_for_a_volunteer_beside_the_volunteer_choice():
    """The Finnish "vapaaehtoinen" and the Swedish "frivillig" also mean a volunteer: the offer
    page shows the decline reason beside "Teen tämän tehtävän vapaaehtoisena", so "optional" is
    said otherwise."""
    from osallisuus.experts.forms import AcceptForm, DeclineForm, ExpertStatusForm

    labels = [
        DeclineForm.base_fields["reason"].label,
        Offer._meta.get_field("decline_reason").verbose_name,
        ExpertStatusForm.base_fields["pause_reason"].label,
    ]
    with override("fi"):
        assert "vapaaehtoisena" in str(AcceptForm.base_fields["volunteer"].label)
        assert [word for word in map(str, labels) if "vapaaehtoi" in word.lower()] == []
    with override("sv"):
        assert [word for word in map(str, labels) if "frivillig" in word.lower()] == []


def test_languages__are_named_in_the_readers_language_not_as_codes():
    from django.template import Context, Template

    page = Template("{% load experts_fmt %}{{ codes|language_names }} / {{ code|language_names }}")
    with override("fi"):
        assert page.render(Context({"codes": ["fi", "en", "so"], "code": "sv"})) == "suomi, englanti, somali / ruotsi"
    with override("sv"):
        assert page.render(Context({"codes": ["fi", "ar"], "code": "ru"})) == "finska, arabiska / ryska"
