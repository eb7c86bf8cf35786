"""The pages: a wrong input is shown beside its field with what was typed kept, nothing saved; the
coordinator's meeting from the rotation, attendance and the picture that follows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.networks import services
from osallisuus.networks.models import Meeting, NetworkMembership, Snapshot

from .factories import build_world, network

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_meeting_ending_before_start_keeps_what_was_typed(world, personas, login):
    client = login(personas.network_coordinator)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("networks:meeting_new", args=[world.a.pk]),
        {
            "kind": "regular",
            "title": "Syyskokous",
            "starts_at": f"{day}T14:00",
            "ends_at": f"{day}T13:00",
            "place": "Kirjaston kokoushuone",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kokouksen täytyy päättyä alkamisensa jälkeen." in body
    assert "Kirjaston kokoushuone" in body
    assert not Meeting.objects.filter(title="Syyskokous").exists()


def test_negative_cost_refused_beside_the_field(world, personas, login):
    client = login(personas.network_coordinator)
    response = client.post(
        reverse("networks:resources", args=[world.a.pk]),
        {
            "kind": "catering",
            "organisation": personas.organisations["city"].pk,
            "cost": "-12,50",
            "spent_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Kustannus ei voi olla negatiivinen." in response.content.decode()
    assert "-12,50" in response.content.decode()


def test_meeting_from_the_rotation_attendance_and_the_picture(
    world, personas, login, django_capture_on_commit_callbacks
):
    client = login(personas.network_coordinator)
    village = personas.organisations["village"]
    services.rotation_set(
        actor=personas.network_coordinator,
        network=world.a,
        organisation_ids=[personas.organisations["city"].pk, village.pk],
    )
    page = client.get(reverse("networks:meeting_new", args=[world.a.pk]))
    assert page.context["form"].initial["host"] == personas.organisations["city"]
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("networks:meeting_new", args=[world.a.pk]),
        {
            "kind": "regular",
            "title": "Kokous",
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T11:00",
            "place": "Kaupungintalo",
            "host": personas.organisations["city"].pk,
        },
    )
    meeting = Meeting.objects.get(title="Kokous")
    assert response.status_code == 302
    response = client.post(
        reverse("networks:meeting_attendance", args=[meeting.pk]), {"present": [world.leena.pk, world.matti.pk]}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("networks:snapshot_new", args=[world.a.pk]), {})
    snapshot = Snapshot.objects.get(network=world.a)
    assert snapshot.result["analysis"]["ties"] == 1
    page = client.get(reverse("networks:picture", args=[world.a.pk]))
    body = page.content.decode()
    assert "<svg" in body
    assert "<title" in body
    assert personas.network_member.full_name in body
    # The next meeting proposes the next host in the rotation.
    assert client.get(reverse("networks:meeting_new", args=[world.a.pk])).context["form"].initial["host"] == village


def test_graphml_of_a_network_one_may_not_see_is_404(world, personas, login):
    client = login(personas.network_member)
    assert client.get(reverse("networks:export_graphml", args=[world.b.pk])).status_code == 404
    assert client.get(reverse("networks:export_csv", args=[world.b.pk, "ties"])).status_code == 404


def _grow(network, organisation, count: int) -> None:
    joined = timezone.localdate() - dt.timedelta(days=30)
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(network=network, name=f"Jäsen {i:04d}", organisation=organisation, joined_on=joined)
            for i in range(count)
        ]
    )


def test_member_and_picture_tables_are_paged_with_the_same_queries_at_10_and_1000_members(world, personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = network(personas, "Pieni verkosto"), network(personas, "Iso verkosto")
    village = personas.organisations["village"]
    _grow(small, village, 10 - small.memberships.count())
    _grow(big, village, 1000 - big.memberships.count())
    today = timezone.localdate()
    for each in (small, big):
        Snapshot.objects.create(
            network=each,
            on=today,
            level=Snapshot.Level.MEMBERS,
            status=Snapshot.Status.READY,
            result=services.snapshot_result(each.pk, today, Snapshot.Level.MEMBERS),
        )
    client = login(personas.network_coordinator)
    counts = {}
    for name in ("networks:network", "networks:picture"):
        for each in (small, big):
            url = reverse(name, args=[each.pk])
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                page = client.get(url)
            assert page.status_code == 200
            counts[(name, each.pk)] = len(ctx.captured_queries)
        assert counts[(name, small.pk)] == counts[(name, big.pk)], counts
    # 1,000 members: 50 rows a page, the pager to the next ones
    page = client.get(reverse("networks:network", args=[big.pk]))
    assert len(page.context["members"]) == 50
    assert "Sivu 1 / 20" in page.content.decode()
    last = client.get(reverse("networks:picture", args=[big.pk]) + "?page=20")
    assert len(last.context["rows"]) == 50
    assert last.context["listing"].page.number == 20
