"""Activation's notices go through the notification centre: registered kinds, the recipient's
language, a link to the page (whose gate decides and logs), nothing from the plan in the text,
and e-mail only through core (no send_mail in the module)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from osallisuus.activation import notices, services
from osallisuus.core.models import Notification
from osallisuus.core.notifications import kinds


def _notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


def test_kinds__every_activation_notice_is_a_registered_kind():
    codes = {k.code for k in kinds()}
    for code in (
        notices.MEETING_REQUEST,
        notices.MEETING_TIME,
        notices.MEETING_CANCELLED,
        notices.GOAL_PROPOSED,
        notices.GOAL_ACCEPTED,
        notices.PLAN_SHARED,
        notices.WAITING_LIST_PLACE,
    ):
        assert code in codes


def test_meeting_request__the_own_worker_is_told__without_the_topic_or_a_name(personas):
    aino, ville = personas.participant, personas.own_worker
    plan = services.plan_ensure(participant=aino)
    meeting = services.meeting_request(plan=plan, actor=aino, with_whom="own_worker", topic="Velat ja vuokra")
    [notice] = _notices(ville, notices.MEETING_REQUEST)
    assert notice.url == reverse("activation:meeting", args=[meeting.pk])
    assert "Velat" not in notice.message
    assert aino.full_name not in notice.message
    assert notice.message.startswith("Yksi asiakkaistasi")  # Ville reads Finnish


def test_meeting_time__the_participant_is_told_in_her_own_language(personas, django_capture_on_commit_callbacks):
    aino, ville = personas.participant, personas.own_worker
    aino.preferred_language = "sv"
    aino.save(update_fields=["preferred_language"])
    plan = services.plan_ensure(participant=aino)
    meeting = services.meeting_request(plan=plan, actor=aino, with_whom="own_worker", topic="Hej")
    starts = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(meeting=meeting, actor=ville, starts_at=starts, duration_minutes=45, place="Kontoret")
    [notice] = _notices(aino, notices.MEETING_TIME)
    assert "Tiden för ditt möte har bestämts" in notice.message
    assert "kl.\u00a09.30" in notice.message
    [sent] = [m for m in mail.outbox if aino.email in m.to]
    assert "http" in sent.body
    assert reverse("activation:meeting", args=[meeting.pk]) in sent.body


def test_goal_proposed_and_accepted__each_side_is_told(personas):
    aino, ville = personas.participant, personas.own_worker
    plan = services.plan_ensure(participant=aino)
    goal = services.goal_create(plan=plan, actor=ville, title="Kuntoutusraha", basket="material")
    [proposed] = _notices(aino, notices.GOAL_PROPOSED)
    assert proposed.url == reverse("activation:goal", args=[goal.pk])
    assert "Kuntoutusraha" not in proposed.message
    services.goal_accept(goal=goal, actor=aino)
    assert len(_notices(ville, notices.GOAL_ACCEPTED)) == 1
    # taking a proposal on by saving it changed tells the worker too
    other = services.goal_create(plan=plan, actor=ville, title="Kuntosali", basket="service")
    services.goal_update(goal=other, actor=aino, title="Kuntosali kahdesti viikossa", lifecycle_status="active")
    assert len(_notices(ville, notices.GOAL_ACCEPTED)) == 2
    # a goal the participant writes herself tells nobody
    services.goal_create(plan=plan, actor=aino, title="Oma", basket="doing")
    assert len(_notices(aino, notices.GOAL_PROPOSED)) == 2  # the two Ville proposed


def test_waiting_list__the_first_waiting_is_told_when_a_place_frees(personas):
    activity = services.activity_create(
        provider=personas.organisations["ngo2"],
        actor=personas.activity_provider,
        data={"title": "Paja", "summary": "x", "baskets": ["doing"], "area": "A", "schedule": "ti", "capacity": 1},
    )
    first = services.signup_create(activity=activity, participant=personas.participant)
    services.signup_create(activity=activity, participant=personas.participant2, join_waiting_list=True)
    assert not _notices(personas.participant2, notices.WAITING_LIST_PLACE)
    services.signup_cancel(signup=first, actor=personas.participant)
    [notice] = _notices(personas.participant2, notices.WAITING_LIST_PLACE)
    assert "Paja" in notice.message
    assert notice.url == reverse("activation:activity", args=[activity.pk])


def test_plan_shared__the_person_chosen_is_told(personas):
    plan = services.plan_ensure(participant=personas.participant)
    services.plan_share(plan=plan, actor=personas.participant, email=personas.participant2.email)
    [notice] = _notices(personas.participant2, notices.PLAN_SHARED)
    assert notice.url == reverse("activation:plan", args=[plan.pk])


def test_module__sends_no_mail_of_its_own():
    root = Path(__file__).resolve().parent.parent
    sources = [p for p in root.rglob("*.py") if "tests" not in p.parts]
    assert sources
    assert not [p.name for p in sources if "send_mail" in p.read_text(encoding="utf-8")]
