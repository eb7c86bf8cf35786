"""The rules of networked work: who sees what, and every wrong input refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from osallisuus.core.errors import Conflict, Refusal
from osallisuus.networks import permissions, selectors, services
from osallisuus.networks.models import Invitation, MapPerson, Meeting, NetworkMembership, Resource, Tie

from .factories import aware, build_world, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_member_of_a_sees_nothing_of_b(world, personas):
    matti = personas.network_member
    assert world.a in permissions.networks_visible_to(matti)
    assert world.b not in permissions.networks_visible_to(matti)
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.network_get(actor=matti, pk=world.b.pk)
    with pytest.raises(Http404):
        selectors.network_get_for_member(actor=matti, pk=world.b.pk)


def test_owner_visibility_shows_staff_only_without_contacts(world, personas):
    services.network_update(actor=personas.network_coordinator, network=world.a, data={"visibility": "owners"})
    # Olli (steering group of the city) is of the owner organisation but not a member.
    olli = personas.steering_group
    assert world.a in permissions.networks_visible_to(olli)
    rows = selectors.members_for(actor=olli, network=world.a)
    names = {r.membership.name for r in rows}
    assert "Asukas Kaarina" not in names
    assert personas.expert.full_name not in names
    assert not any(r.contacts for r in rows)
    # A member sees every member with the contact details.
    rows = selectors.members_for(actor=personas.network_member, network=world.a)
    assert "Asukas Kaarina" in {r.membership.name for r in rows}
    assert all(r.contacts for r in rows)
    # Members only: Olli sees nothing.
    services.network_update(actor=personas.network_coordinator, network=world.a, data={"visibility": "members"})
    assert world.a not in permissions.networks_visible_to(olli)


def test_meeting_ending_before_it_starts_is_refused(world, personas):
    day = timezone.localdate()
    with pytest.raises(Refusal) as exc:
        services.meeting_create(
            actor=personas.network_coordinator,
            network=world.a,
            data={"title": "Kokous", "starts_at": aware(day, 12), "ends_at": aware(day, 10), "place": "Kirjasto"},
        )
    assert exc.value.field == "ends_at"
    assert not Meeting.objects.exists()


def test_invitation_to_a_member_email_is_refused(world, personas):
    with pytest.raises(Refusal) as exc:
        services.invitation_create(
            actor=personas.network_coordinator, network=world.a, email=personas.network_member.email.upper()
        )
    assert exc.value.field == "email"
    assert not Invitation.objects.exists()


def test_invitation_is_one_use_and_expires(world, personas):
    invitation, token = services.invitation_create(
        actor=personas.network_coordinator, network=world.a, email="uusi@example.fi", kind="resident"
    )
    assert invitation.token_hash != token
    membership = services.invitation_accept(token=token, user=None, name="Uusi Asukas")
    assert membership.user is None
    assert membership.kind == "resident"
    with pytest.raises(Refusal) as exc:
        services.invitation_accept(token=token, user=None, name="Toinen")
    assert exc.value.code == "used"
    other, token2 = services.invitation_create(
        actor=personas.network_coordinator, network=world.a, email="myohassa@example.fi"
    )
    Invitation.objects.filter(pk=other.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Refusal) as exc:
        services.invitation_accept(token=token2, user=None, name="Myöhässä")
    assert exc.value.code == "expired"
    assert NetworkMembership.objects.filter(network=world.a, name="Myöhässä").count() == 0


def test_resident_accepts_without_a_name_is_refused(world, personas):
    _inv, token = services.invitation_create(actor=personas.network_coordinator, network=world.a, email="x@example.fi")
    with pytest.raises(Refusal) as exc:
        services.invitation_accept(token=token, user=None, name="  ")
    assert exc.value.field == "name"


def test_tie_to_oneself_is_refused(world, personas):
    with pytest.raises(Refusal) as exc:
        services.tie_declare(actor=personas.network_member, network=world.a, target=world.matti, reason="Itse")
    assert exc.value.field == "target"
    tie = services.tie_declare(
        actor=personas.network_member, network=world.a, target=world.eero, reason="Kyläillat yhdessä"
    )
    assert (tie.a_id, tie.b_id) == tuple(sorted((world.matti.pk, world.eero.pk)))


def test_map_person_without_sector_is_refused(world, personas):
    before = MapPerson.objects.count()
    with pytest.raises(Refusal) as exc:
        services.map_person_add(
            actor=personas.participant,
            personal_map=world.aino_map,
            data={"name": "Naapuri", "sector": "", "circle": 2, "quality": "supportive"},
        )
    assert exc.value.field == "sector"
    assert MapPerson.objects.count() == before


def test_negative_resource_cost_is_refused(world, personas):
    with pytest.raises(Refusal) as exc:
        services.resource_add(
            actor=personas.network_coordinator,
            network=world.a,
            data={
                "kind": "catering",
                "organisation": personas.organisations["city"],
                "cost": Decimal("-5.00"),
                "spent_on": timezone.localdate(),
            },
        )
    assert exc.value.field == "cost"
    assert not Resource.objects.exists()


def test_snapshot_in_the_future_is_refused(world, personas):
    with pytest.raises(Refusal) as exc:
        services.snapshot_request(
            actor=personas.network_coordinator, network=world.a, on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert exc.value.field == "on"


def test_closed_network_is_read_only(world, personas):
    services.network_close(actor=personas.network_coordinator, network=world.a)
    with pytest.raises(Conflict):
        services.network_update(actor=personas.network_coordinator, network=world.a, data={"name": "Uusi nimi"})
    with pytest.raises(Conflict):
        services.meeting_create(actor=personas.network_coordinator, network=world.a, data={})
    with pytest.raises(Conflict):
        services.tie_declare(actor=personas.network_member, network=world.a, target=world.eero, reason="x")
    world.a.refresh_from_db()
    assert world.a.name == "Päihdetyön verkosto"


def test_member_changes_own_role_coordinator_only_proposes(world, personas):
    services.membership_update(
        actor=personas.network_member, membership=world.matti, role="guide", strengths=["trust", "broker", "nonsense"]
    )
    world.matti.refresh_from_db()
    assert world.matti.role == "guide"
    assert world.matti.strengths == ["trust", "broker"]
    services.membership_update(actor=personas.network_coordinator, membership=world.matti, role="seeker", strengths=[])
    world.matti.refresh_from_db()
    assert world.matti.role == "guide"
    assert world.matti.proposed_role == "seeker"
    assert world.matti.strengths == ["trust", "broker"]


def test_rotation_proposes_the_next_host(world, personas):
    city, village = personas.organisations["city"], personas.organisations["village"]
    services.rotation_set(actor=personas.network_coordinator, network=world.a, organisation_ids=[village.pk, city.pk])
    assert services.next_host(world.a) == village
    day = timezone.localdate() - dt.timedelta(days=10)
    services.meeting_create(
        actor=personas.network_coordinator,
        network=world.a,
        data={"title": "K", "starts_at": aware(day), "ends_at": aware(day, 10), "place": "Kylätalo", "host": village},
    )
    assert services.next_host(world.a) == city
    with pytest.raises(Refusal):
        services.rotation_set(
            actor=personas.network_coordinator, network=world.a, organisation_ids=[personas.organisations["funder"].pk]
        )


def test_ties_from_meetings_are_weighted_and_end_a_year_after(world):
    d1 = timezone.localdate() - dt.timedelta(days=300)
    d2 = timezone.localdate() - dt.timedelta(days=200)
    meeting(world, d1, [world.leena, world.matti, world.eero])
    meeting(world, d2, [world.leena, world.matti])
    tie = Tie.objects.get(
        a=min(world.leena, world.matti, key=lambda m: m.pk), b=max(world.leena, world.matti, key=lambda m: m.pk)
    )
    assert tie.weight == 2
    assert tie.valid_from == d1
    assert tie.valid_to == d2 + dt.timedelta(days=365)
    eero_ties = Tie.objects.filter(source="meetings").filter(a=world.eero) | Tie.objects.filter(b=world.eero)
    assert all(t.weight == 1 and t.valid_to == d1 + dt.timedelta(days=365) for t in eero_ties)


def test_leaving_ends_the_ties_and_keeps_history(world, personas):
    d1 = timezone.localdate() - dt.timedelta(days=30)
    meeting(world, d1, [world.leena, world.matti])
    services.membership_leave(actor=personas.network_member, membership=world.matti)
    world.matti.refresh_from_db()
    assert world.matti.left_on == timezone.localdate()
    assert not selectors.ties_on(world.a, timezone.localdate()).exists()
    assert selectors.ties_on(world.a, d1).count() == 1
    shown = {
        r.membership.pk: r.membership
        for r in selectors.members_for(actor=personas.network_coordinator, network=world.a)
    }
    assert shown[world.matti.pk].left_on == timezone.localdate()


def test_snapshot_computes_in_the_job_and_change_between_dates(world, personas, django_capture_on_commit_callbacks):
    d1 = timezone.localdate() - dt.timedelta(days=60)
    meeting(world, d1, [world.leena, world.matti, world.eero])
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = services.snapshot_request(actor=personas.network_coordinator, network=world.a, on=None)
    snapshot.refresh_from_db()
    assert snapshot.status == "ready"
    figures = snapshot.result["analysis"]
    assert figures["ties"] == 3
    assert figures["isolates"] == [world.resident.pk]
    diff = selectors.change_between(world.a, d1 - dt.timedelta(days=1), d1)
    assert len(diff["gained"]) == 3
    assert diff["lost"] == []


def test_absent_members_from_the_last_meetings(world):
    base = timezone.localdate() - dt.timedelta(days=90)
    for i in range(3):
        meeting(world, base + dt.timedelta(days=20 * i), [world.leena, world.matti])
    absent = services.absent_members(world.a.pk, timezone.localdate())
    assert absent == sorted([world.eero.pk, world.resident.pk])


def test_closing_is_asked_near_the_end_or_when_goals_are_reached(world, personas):
    project = services.network_create(
        actor=personas.network_coordinator,
        organisation=personas.organisations["city"],
        data={
            "name": "Hanke",
            "purpose": "p",
            "type": "innovation",
            "lifecycle": "project",
            "goal": "Malli",
            "ends_on": timezone.localdate() + dt.timedelta(days=200),
        },
    )
    assert not services.closing_due(project)
    goal = services.goal_create(actor=personas.network_coordinator, network=project, title="Malli valmis")
    services.goal_set_status(actor=personas.network_coordinator, goal=goal, status="reached")
    assert services.closing_due(project)
    assert selectors.closing_due_count(actor=personas.network_coordinator) == 1
    with pytest.raises(Refusal) as exc:
        services.network_create(
            actor=personas.network_coordinator,
            organisation=personas.organisations["city"],
            data={"name": "Hanke 2", "purpose": "p", "type": "innovation", "lifecycle": "project", "goal": "x"},
        )
    assert exc.value.field == "ends_on"


def test_resource_totals_add_up(world, personas):
    city, village = personas.organisations["city"], personas.organisations["village"]
    for org, cost, day in [
        (city, "100.50", dt.date(2025, 3, 1)),
        (village, "20.25", dt.date(2025, 5, 1)),
        (city, "9.25", dt.date(2026, 1, 2)),
    ]:
        services.resource_add(
            actor=personas.network_coordinator,
            network=world.a,
            data={"kind": "room", "organisation": org, "cost": Decimal(cost), "spent_on": day},
        )
    totals = selectors.resource_totals(world.a)
    assert totals.total == Decimal("130.00")
    assert [(y, c) for y, c, _h in totals.by_year] == [(2025, Decimal("120.75")), (2026, Decimal("9.25"))]
    assert sum(c for _n, c, _h in totals.by_organisation) == totals.total


def test_map_is_private_and_each_read_logs_once(world, personas):
    from django.http import Http404

    from osallisuus.core.models import AccessLogEntry

    for user in (personas.network_coordinator, personas.administrator, personas.coordinator, personas.participant2):
        with pytest.raises(Http404):
            selectors.map_get(actor=user, pk=world.aino_map.pk)
    for user in (personas.participant, personas.own_worker):
        before = AccessLogEntry.objects.filter(subject_id=personas.participant.pk, purpose="network map").count()
        selectors.map_get(actor=user, pk=world.aino_map.pk)
        after = AccessLogEntry.objects.filter(subject_id=personas.participant.pk, purpose="network map").count()
        assert after - before == 1
    # Sharing stops: Ville no longer sees it.
    services.map_share(actor=personas.participant, personal_map=world.aino_map, worker_id=None)
    with pytest.raises(Http404):
        selectors.map_get(actor=personas.own_worker, pk=world.aino_map.pk)


def test_map_shared_only_with_own_worker(world, personas):
    with pytest.raises(Refusal) as exc:
        services.map_share(actor=personas.participant, personal_map=world.aino_map, worker_id=personas.coordinator.pk)
    assert exc.value.field == "worker"


def test_map_versions_keep_the_earlier(world, personas):
    version = services.map_version_new(actor=personas.own_worker, personal_map=world.aino_map, note="Vuosi myöhemmin")
    services.map_person_add(
        actor=personas.own_worker,
        personal_map=world.aino_map,
        data={"name": "Ohjaaja Pasi", "sector": "workers", "circle": 2, "quality": "strained"},
    )
    first = world.aino_map.versions.order_by("made_on", "pk").first()
    assert [p.name for p in first.people.all()] == ["Äiti"]
    assert sorted(p.name for p in version.people.all()) == ["Ohjaaja Pasi", "Äiti"]


def test_a_resident_accepting_may_ask_for_an_account_with_the_password_link(
    world, personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    _invitation, token = services.invitation_create(
        actor=personas.network_coordinator, network=world.a, email="Liisa.Asukas@example.fi", kind="resident"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invitation_accept(token=token, user=None, name="Liisa Asukas", create_account=True)
    assert membership.user is not None
    assert membership.user.email == "liisa.asukas@example.fi"
    assert not membership.user.has_usable_password()  # she chooses it herself
    assert membership.kind == "resident"
    [sent] = mail.outbox
    assert sent.to == ["liisa.asukas@example.fi"]
    assert "/account/" in sent.body
    assert "http" in sent.body


def test_an_account_that_exists_is_not_taken_over_by_the_link(world, personas):
    _invitation, token = services.invitation_create(
        actor=personas.network_coordinator, network=world.a, email=personas.participant.email
    )
    with pytest.raises(Refusal) as exc:
        services.invitation_accept(token=token, user=None, name="Joku", create_account=True)
    assert exc.value.field == "create_account"
    assert not NetworkMembership.objects.filter(network=world.a, email__iexact=personas.participant.email).exists()


def test_a_declared_tie_is_ended_by_one_of_its_two_members_and_stays_in_the_past(world, personas):
    tie = services.tie_declare(
        actor=personas.network_member,
        network=world.a,
        target=world.eero,
        reason="Kylätalon kahvila",
        valid_from=timezone.localdate() - dt.timedelta(days=10),
    )
    with pytest.raises(Refusal):  # Leena is not one of its two ends
        services.tie_end(actor=personas.network_coordinator, tie=tie)
    services.tie_end(actor=personas.expert, tie=tie)
    tie.refresh_from_db()
    assert tie.valid_to == timezone.localdate()
    assert tie not in selectors.ties_on(world.a, timezone.localdate())
    assert tie in selectors.ties_on(world.a, timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(Refusal) as exc:
        services.tie_end(actor=personas.network_member, tie=tie)
    assert exc.value.code == "ended"


def test_the_monthly_snapshot_is_made_once_for_each_open_network(world, personas):
    from osallisuus.core import schedule
    from osallisuus.networks.models import Snapshot

    assert "networks.monthly_snapshots" in {p.name for p in schedule.registered()}
    services.network_close(actor=personas.network_coordinator, network=world.b)
    today = timezone.localdate()
    made = services.monthly_snapshots(today=today)
    assert made == 2  # network A at both levels; B is closed
    first = today.replace(day=1)
    assert set(Snapshot.objects.filter(network=world.a).values_list("on", "level", "status")) == {
        (first, "members", "ready"),
        (first, "organisations", "ready"),
    }
    assert services.monthly_snapshots(today=today) == 0
