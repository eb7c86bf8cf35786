"""Joint review: only the officers of the call's funders review; a reviewer sees the others'
reviews only after writing her own; scores against every criterion 0–5; the summary per funder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from osallisuus.core.models import Notification
from osallisuus.funding import permissions, selectors, services

from .factories import build_world, open_window, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def _scores(app, value=4):
    return {c.pk: value for c in app.call.criteria.all()}


def test_a_reviewer_sees_others_reviews_only_after_writing_her_own(world):
    app = submitted(world, title="Arvioitava")
    services.review_write(actor=world.pekka, application=app, comment="Kaupunki: hyvä.", scores=_scores(app))
    before = selectors.reviews_for(world.helena, app)
    assert before["own"] is None
    assert before["others"] == []
    assert before["others_hidden"] is True
    services.review_write(actor=world.helena, application=app, comment="ELY: hyvä.", scores=_scores(app, 3))
    after = selectors.reviews_for(world.helena, app)
    assert after["own"].comment == "ELY: hyvä."
    assert [r.comment for r in after["others"]] == ["Kaupunki: hyvä."]


def test_a_reviewer_whose_organisation_does_not_fund_the_call_is_refused(world):
    opens, closes = open_window()
    city_only = services.call_create(
        actor=world.pekka,
        programme=world.programme,
        name="Kaupungin pienhaku",
        opens_at=opens,
        closes_at=closes,
        year=2027,
        funders=[world.city],
        criteria=[("Osallisuus", 100)],
    )
    app = submitted(world, title="Vain kaupunki", call=city_only)
    decision = permissions.can_review(world.helena, app)
    assert not decision
    with pytest.raises(services.FundingForbidden):
        services.review_write(actor=world.helena, application=app, comment="x", scores=_scores(app))
    # Helena does not even see it: it is outside her reach.
    assert not permissions.applications_as_funder(world.helena).filter(pk=app.pk).exists()
    services.review_write(actor=world.pekka, application=app, comment="Hyvä", scores=_scores(app))


def test_every_criterion_needs_a_score_from_0_to_5(world):
    app = submitted(world, title="Pisteet")
    scores = _scores(app)
    first = next(iter(scores))
    with pytest.raises(services.FundingError) as refusal:
        services.review_write(actor=world.helena, application=app, comment="x", scores={**scores, first: 6})
    assert refusal.value.field == f"score_{first}"
    with pytest.raises(services.FundingError):
        services.review_write(actor=world.helena, application=app, comment="x", scores={})


def test_a_draft_cannot_be_reviewed(world):
    assert not permissions.can_review(world.helena, world.application)


def test_the_summary_gives_each_funders_position_and_weighted_score(world):
    app = submitted(world, title="Yhteenveto")
    criteria = list(app.call.criteria.all())  # weights 40, 30, 30
    services.review_write(
        actor=world.helena,
        application=app,
        comment="ok",
        scores={criteria[0].pk: 5, criteria[1].pk: 3, criteria[2].pk: 2},
    )
    services.recommendation_write(actor=world.helena, application=app, agrees=True, amount="40 000", note="Hyvä")
    with pytest.raises(services.FundingError):
        services.recommendation_write(actor=world.pekka, application=app, agrees=False, note="")
    services.recommendation_write(actor=world.pekka, application=app, agrees=False, note="Päällekkäinen hanke")
    rows = {row.funder.share: row for row in selectors.recommendation_summary(app)}
    assert rows["esf_state"].mean_score == Decimal("3.50")  # (5*40 + 3*30 + 2*30) / 100
    assert rows["esf_state"].recommendation.agrees is True
    assert rows["city"].recommendation.agrees is False
    assert rows["city"].reviews == 0


def test_the_hearing_invites_the_applicants_users_with_a_calendar_file(world, django_capture_on_commit_callbacks):
    app = submitted(world, title="Kuultava")
    start = timezone.now() + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        hearing = services.hearing_schedule(
            actor=world.helena, application=app, starts_at=start, ends_at=start + dt.timedelta(hours=1), place="ELY"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.tiina.email]
    assert mail.outbox[0].attachments[0][0] == "hearing.ics"
    moved = services.hearing_schedule(
        actor=world.helena,
        application=app,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=1),
        place="ELY",
        hearing=hearing,
    )
    assert moved.sequence == 1
    assert b"SEQUENCE:1" in services.hearing_ics(moved)
    services.hearing_minutes(actor=world.pekka, hearing=moved, minutes="Hakija esitteli hankkeen.")
    with pytest.raises(services.FundingForbidden):
        services.hearing_minutes(actor=world.tiina, hearing=moved, minutes="x")


def test_ideas_get_advice_the_ngo_sees_and_an_invitation(world, django_capture_on_commit_callbacks):
    idea = services.idea_present(
        actor=world.tiina,
        programme=world.programme,
        organisation=world.personas.organisations["ngo2"],
        title="Pajakahvila",
        summary="Nuorten kahvila.",
    )
    services.advice_add(actor=world.helena, idea=idea, text="Mieti mitattavat tuotokset.")
    assert permissions.ideas_visible_to(world.tiina).filter(pk=idea.pk).exists()
    assert [a.text for a in idea.advice.all()] == ["Mieti mitattavat tuotokset."]
    with pytest.raises(services.FundingForbidden):
        services.advice_add(actor=world.tiina, idea=idea, text="Itse")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_invite(actor=world.pekka, idea=idea, call=world.call)
    assert Notification.objects.filter(user=world.tiina, kind="funding.invited").exists()
    idea.refresh_from_db()
    assert idea.status == "invited"
    assert idea.invited_to == world.call
    assert not permissions.ideas_visible_to(world.personas.coordinator).filter(pk=idea.pk).exists()
