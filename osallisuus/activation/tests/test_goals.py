"""Goals: written by the participant, kept in versions, compared; bad input keeps what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.activation import selectors, services
from osallisuus.activation.models import Goal, GoalVersion


@pytest.fixture
def plan(personas):
    return services.plan_ensure(participant=personas.participant)


def test_goal_create__by_participant__is_active_and_expressed_by_them(personas, plan):
    goal = services.goal_create(plan=plan, actor=personas.participant, title="Haluan oppia leipomaan", basket="doing")
    assert goal.lifecycle_status == Goal.Lifecycle.ACTIVE
    assert goal.expressed_by == personas.participant
    assert goal.versions.count() == 1


def test_goal_create__by_worker__is_a_proposal_until_accepted(personas, plan):
    goal = services.goal_create(plan=plan, actor=personas.own_worker, title="Kuntoutus", basket="service")
    assert goal.lifecycle_status == Goal.Lifecycle.PROPOSED
    with pytest.raises(services.RuleError):
        services.goal_accept(goal=goal, actor=personas.own_worker)
    goal = services.goal_accept(goal=goal, actor=personas.participant)
    assert goal.lifecycle_status == Goal.Lifecycle.ACTIVE
    assert [v.lifecycle_status for v in goal.versions.all()] == ["proposed", "active"]


def test_goal_update__every_change__is_kept_and_the_comparison_shows_it(personas, plan):
    # given a goal changed twice
    goal = services.goal_create(plan=plan, actor=personas.participant, title="Haluan liikkua", basket="service")
    services.goal_update(
        goal=goal, actor=personas.participant, title="Haluan liikkua kolme kertaa viikossa", reason="Tarkensin"
    )
    goal = services.goal_update(goal=goal, actor=personas.own_worker, achievement_status="improving")
    # then all three versions are kept, numbered, with who changed them
    versions = list(goal.versions.all())
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.title for v in versions] == [
        "Haluan liikkua",
        "Haluan liikkua kolme kertaa viikossa",
        "Haluan liikkua kolme kertaa viikossa",
    ]
    assert versions[2].changed_by == personas.own_worker
    # and comparing 1 with 3 shows the title and the status changed, word by word
    rows = {r["name"]: r for r in selectors.goal_versions_compare(goal=goal, old=1, new=3)}
    assert rows["title"]["changed"]
    assert rows["achievement_status"]["changed"]
    assert not rows["basket"]["changed"]
    assert ("added", "kolme kertaa viikossa") in rows["title"]["words"]


def test_goal_update__with_no_change__makes_no_new_version(personas, plan):
    goal = services.goal_create(plan=plan, actor=personas.participant, title="A", basket="doing")
    services.goal_update(goal=goal, actor=personas.participant, title="A")
    assert goal.versions.count() == 1


def test_goal_compare_page__shows_old_and_new_text(personas, plan, login):
    goal = services.goal_create(plan=plan, actor=personas.participant, title="Vanha teksti", basket="doing")
    services.goal_update(goal=goal, actor=personas.participant, title="Uusi teksti")
    response = login(personas.participant).get(reverse("activation:goal_compare", kwargs={"pk": goal.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vanha teksti" in body
    assert "<ins>Uusi</ins>" in body
    assert "<del>Vanha</del>" in body


def test_goal_create__with_no_basket__gives_a_clear_message_and_keeps_the_text(personas, plan, login):
    response = login(personas.participant).post(
        reverse("activation:goal_create", kwargs={"pk": plan.pk}), {"title": "Oma tavoitteeni"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Oma tavoitteeni" in body
    assert not Goal.objects.filter(plan=plan).exists()


def test_goal_create__target_before_today__is_refused_and_nothing_saved(personas, plan, login):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = login(personas.participant).post(
        reverse("activation:goal_create", kwargs={"pk": plan.pk}),
        {"title": "Tavoite", "basket": "doing", "target_on": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert "Tavoite" in response.content.decode()
    assert not Goal.objects.filter(plan=plan).exists()


def test_goal_edit_page__participant_drops_a_goal__history_keeps_it(personas, plan, login):
    goal = services.goal_create(plan=plan, actor=personas.participant, title="Tavoite", basket="doing")
    response = login(personas.participant).post(
        reverse("activation:goal_edit", kwargs={"pk": goal.pk}),
        {
            "title": "Tavoite",
            "basket": "doing",
            "lifecycle_status": "cancelled",
            "achievement_status": "in-progress",
            "reason": "Ei tunnu enää omalta",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.lifecycle_status == "cancelled"
    assert GoalVersion.objects.filter(goal=goal).count() == 2
    assert GoalVersion.objects.get(goal=goal, number=2).reason == "Ei tunnu enää omalta"


def test_outcome__in_the_future__is_refused(personas, plan):
    with pytest.raises(services.RuleError):
        services.outcome_record(
            plan=plan,
            actor=personas.participant,
            kind="studies",
            achieved_on=timezone.localdate() + dt.timedelta(days=3),
        )
    assert not plan.outcomes.exists()


def test_meeting_schedule__in_the_past__is_refused(personas, plan):
    meeting = services.meeting_request(plan=plan, actor=personas.participant, with_whom="own_worker", topic="Hei")
    with pytest.raises(services.RuleError):
        services.meeting_schedule(
            meeting=meeting,
            actor=personas.own_worker,
            starts_at=timezone.now() - dt.timedelta(hours=1),
            duration_minutes=30,
            place="X",
        )
    meeting.refresh_from_db()
    assert meeting.status == "requested"
    assert meeting.starts_at is None


def test_plan_edit__participant_lets_the_plan_rest__and_nothing_else_is_lost(personas, plan, login):
    services.plan_update(plan=plan, actor=personas.participant, data={"about_me": "Minä"})
    response = login(personas.participant).post(
        reverse("activation:plan_edit", kwargs={"pk": plan.pk}), {"about_me": "Minä", "status": "resting"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "resting"
    assert plan.about_me == "Minä"


def test_plan_edit__bad_email_of_official__answers_400_and_keeps_input(personas, plan, login):
    response = login(personas.own_worker).post(
        reverse("activation:plan_edit", kwargs={"pk": plan.pk}),
        {"about_me": "Uusi teksti", "status": "active", "official_email": "ei-osoite"},
    )
    assert response.status_code == 400
    assert "Uusi teksti" in response.content.decode()
    plan.refresh_from_db()
    assert plan.about_me == ""


def test_api_signup__full_activity__answers_409_then_the_waiting_list(personas, client):
    from osallisuus.accounts.api_auth import token_issue
    from osallisuus.activation.models import SignUp

    activity = services.activity_create(
        provider=personas.organisations["ngo2"],
        actor=personas.activity_provider,
        data={"title": "Paja", "summary": "x", "baskets": ["doing"], "area": "A", "schedule": "ti", "capacity": 1},
    )
    services.signup_create(activity=activity, participant=personas.participant2)
    _token, raw = token_issue(user=personas.participant, name="test")
    url = f"/api/v1/activation/activities/{activity.pk}/sign-up"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    full = client.post(url, **auth)
    assert full.status_code == 409
    assert "detail" in full.json()
    assert not SignUp.objects.filter(participant=personas.participant).exists()
    waiting = client.post(f"{url}?join_waiting_list=true", **auth)
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waiting"
