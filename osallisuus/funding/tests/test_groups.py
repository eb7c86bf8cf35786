"""The steering group convened by the city and a project's own group, as Pekka, Olli and Tiina use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from osallisuus.funding.models import Group, GroupDecision, GroupMember
from osallisuus.funding.services import groups

from . import money_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    with translation.override("en"):
        yield money_world.build(personas)


def test_one_steering_group_per_programme_convened_by_the_city(world):
    pekka = world.personas.civic_unit
    group = groups.steering_group_create(actor=pekka, programme=world.programme, name="Ohjausryhmä")
    assert group.kind == Group.Kind.STEERING
    with pytest.raises(groups.GroupError) as refused:
        groups.steering_group_create(actor=pekka, programme=world.programme, name="Toinen")
    assert "already" in refused.value.message
    with pytest.raises(groups.GroupForbidden):
        groups.steering_group_create(actor=world.personas.funder_officer, programme=world.programme, name="ELY")


def test_steering_meeting__members_see_it_minutes_and_decisions_are_kept(world):
    pekka, olli, helena = world.personas.civic_unit, world.personas.steering_group, world.personas.funder_officer
    group = groups.steering_group_create(actor=pekka, programme=world.programme, name="Ohjausryhmä")
    groups.member_add(actor=pekka, group=group, user=helena, organisation=world.ely.organisation, role="ELY")
    with pytest.raises(groups.GroupError):
        groups.member_add(actor=pekka, group=group, user=helena, organisation=world.ely.organisation)
    assert group in groups.groups_visible_to(helena)
    assert group in groups.groups_visible_to(olli)  # the convener's steering people
    assert group not in groups.groups_visible_to(world.personas.analyst)
    start = timezone.now() - dt.timedelta(hours=2)
    meeting = groups.meeting_create(
        actor=olli, group=group, starts_at=start, ends_at=start + dt.timedelta(hours=1), place="Kaupungintalo"
    )
    with pytest.raises(groups.GroupError):
        groups.meeting_create(actor=olli, group=group, starts_at=start, ends_at=start)
    groups.minutes_save(actor=olli, meeting=meeting, minutes="Käytiin läpi hankkeet.")
    groups.decision_record(
        actor=olli, meeting=meeting, text="Hyväksyttiin väliraportit.", application=world.application
    )
    with pytest.raises(groups.GroupForbidden):
        groups.decision_record(actor=helena, meeting=meeting, text="Ei oikeutta")
    assert GroupDecision.objects.filter(meeting=meeting).count() == 1
    cal = Calendar.from_ical(groups.meeting_ics(meeting))
    event = next(iter(cal.walk("VEVENT")))
    assert str(meeting.uid) in str(event["uid"])
    assert str(event["location"]) == "Kaupungintalo"


def test_project_group__the_project_keeps_it_other_ngos_do_not_see_it(world):
    tiina = world.personas.applicant
    group = groups.project_group_create(actor=tiina, application=world.application, name="Pajan hankeryhmä")
    assert groups.can_keep(tiina, group)
    assert group not in groups.groups_visible_to(world.personas.coordinator)
    with pytest.raises(groups.GroupForbidden):
        groups.project_group_create(actor=world.personas.coordinator, application=world.application, name="X")


def test_pages__wrong_meeting_times_shown_beside_the_field_and_nothing_saved(world, login):
    pekka = world.personas.civic_unit
    group = groups.steering_group_create(actor=pekka, programme=world.programme, name="Ohjausryhmä")
    client = login(pekka)
    answer = client.post(
        reverse("funding:group_meeting_add", args=[group.pk]),
        {"starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T09:00", "place": "Sali"},
    )
    assert answer.status_code == 400
    assert answer.context["meeting_form"].errors["ends_at"]
    assert 'value="Sali"' in answer.content.decode()
    assert not group.meetings.exists()
    ok = client.post(
        reverse("funding:group_meeting_add", args=[group.pk]),
        {"starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T12:00", "place": "Sali"},
    )
    assert ok.status_code == 302
    meeting = group.meetings.get()
    ics = client.get(reverse("funding:group_meeting_ics", args=[meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    added = client.post(
        reverse("funding:group_member_add", args=[group.pk]), {"email": world.personas.steering_group.email}
    )
    assert added.status_code == 302
    assert GroupMember.objects.filter(group=group, user=world.personas.steering_group).exists()
    olli = login(world.personas.steering_group)
    page = olli.get(reverse("funding:group", args=[group.pk]))
    assert page.status_code == 200
    analyst = login(world.personas.analyst)
    assert analyst.get(reverse("funding:group", args=[group.pk])).status_code == 404
    assert analyst.get(reverse("funding:group_meeting_ics", args=[meeting.pk])).status_code == 404
