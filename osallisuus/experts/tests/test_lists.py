"""Finnish order and search in the experts lists, and the coordinator's experts list with a
real search, filters and paging in the address (issue 9, item 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.accounts.models import User
from osallisuus.core.models import AccessLogEntry
from osallisuus.experts import selectors
from osallisuus.experts.models import ExperienceArea, Expert, TaskRequest

from .factories import build_world, make_expert

pytestmark = pytest.mark.django_db

# Finnish alphabetical order: … Z, Å, Ä, Ö (and case and accents aside, "Émile" sorts as "Emile").
IN_ORDER = ["Aapo Aalto", "Émile Eskola", "Zaida Zetterberg", "Åke Åberg", "Äijälä Äinö", "Örjan Öhman"]


@pytest.fixture
def world(personas):
    return build_world(personas)


def _add_experts(world: Any, names: list[str], **fields: Any) -> list[Expert]:
    ngo = world.personas.organisations["ngo"]
    made = []
    for i, name in enumerate(names):
        user = User.objects.create_user(f"lista-{User.objects.count()}-{i}@example.test", "x", full_name=name)
        made.append(make_expert(user, ngo, **fields))
    return made


def _listed(client: Any, query: str = "") -> list[str]:
    response = client.get(reverse("experts:expert_list") + query)
    assert response.status_code == 200
    return [e.user.full_name for e, _trained in response.context["experts"]]


def _finnish_order(world: Any, client: Any, login: Any) -> None:
    _add_experts(world, list(reversed(IN_ORDER)))
    login(world.personas.coordinator)
    names = [n for n in _listed(client) if n in IN_ORDER]
    assert names == IN_ORDER
    in_db = [
        e.user.full_name for e in selectors.experts_of(actor=world.personas.coordinator) if e.user.full_name in IN_ORDER
    ]
    assert in_db == IN_ORDER


def test_expert_list__is_in_finnish_order_z_a_ring_a_umlaut_o_umlaut(world, client, login):
    _finnish_order(world, client, login)


@pytest.mark.postgres
def test_expert_list__is_in_finnish_order_on_postgresql_too(world, client, login):
    _finnish_order(world, client, login)


def test_expert_list__search_ignores_case_of_every_letter(world, client, login):
    _add_experts(world, ["Äijälä Äinö", "Aapo Aalto"])
    login(world.personas.coordinator)
    assert _listed(client, "?q=äijälä") == ["Äijälä Äinö"]
    assert _listed(client, "?q=ÄIJÄLÄ") == ["Äijälä Äinö"]
    # every word must be found, in the name, the e-mail or the region
    assert _listed(client, "?q=aapo+järvi-suomi") == ["Aapo Aalto"]
    assert _listed(client, "?q=nobody") == []


def test_expert_list__filters_by_status_and_experience_area(world, client, login):
    _add_experts(world, ["Tauko Tuominen"], status=Expert.Status.INACTIVE)
    (other,) = _add_experts(world, ["Päihde Pekkala"])
    other.experience_areas.set([ExperienceArea.objects.get(code="substance_use")])
    login(world.personas.coordinator)
    assert _listed(client, "?status=inactive") == ["Tauko Tuominen"]
    assert _listed(client, "?area=substance_use") == ["Päihde Pekkala"]
    # an unknown filter value is ignored, never an error
    assert "Päihde Pekkala" in _listed(client, "?status=nonsense")


def test_expert_list__pages_of_25_in_the_address_and_logs_only_the_rows_shown(world, client, login):
    _add_experts(world, [f"Kokemus Nro {i:02d}" for i in range(30)])  # + Eero and Päivi = 32
    coordinator = world.personas.coordinator
    login(coordinator)
    first = client.get(reverse("experts:expert_list"))
    second = client.get(reverse("experts:expert_list") + "?page=2")
    assert len(first.context["experts"]) == 25
    assert len(second.context["experts"]) == 7
    assert first.context["listing"].total == 32
    logged = AccessLogEntry.objects.filter(actor=coordinator, purpose="expert list")
    assert logged.count() == 32  # 25 + 7, each person once per page they were shown on
    # sorted by region, then Finnish order of the name, descending with "-region"
    assert client.get(reverse("experts:expert_list") + "?sort=-region").status_code == 200


def test_expert_list__htmx_gets_the_results_fragment_only(world, client, login):
    login(world.personas.coordinator)
    response = client.get(reverse("experts:expert_list") + "?q=eero", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="expert-results"' in body
    assert "<h1>" not in body
    assert "Eero Väisänen" in body


def test_requests_list__searched_by_title_in_any_letter_case(world, client, login):
    world.request(title="Äänestysluento")
    world.request(title="Muu tehtävä")
    login(world.personas.orderer)
    response = client.get(reverse("experts:requests") + "?q=ÄÄNESTYS")
    assert [r.title for r in response.context["listing"].rows] == ["Äänestysluento"]


# -- lists that scale (issue 14 item 4, issue 15 item 2) -------------------------------------------


def test_wellbeing__paged_in_sql_and_logs_only_the_rows_shown(world, client, login):
    from osallisuus.experts.models import SupportSession

    _add_experts(world, [f"Jaksaja Nro {i:02d}" for i in range(30)])  # + Eero and Päivi = 32
    session = SupportSession.objects.create(
        organisation=world.personas.organisations["ngo"], kind="supervision", held_on=timezone.localdate()
    )
    session.attendees.set([world.eero])
    coordinator = world.personas.coordinator
    login(coordinator)
    first = client.get(reverse("experts:wellbeing"))
    assert len(first.context["signals"]) == 25
    assert first.context["listing"].total == 32
    assert AccessLogEntry.objects.filter(actor=coordinator, purpose="wellbeing signals").count() == 25
    # Eero had supervision today: every other expert has the prompt and comes first
    names = [s.expert.user.full_name for s in first.context["signals"]]
    assert "Eero Väisänen" not in names
    filtered = client.get(reverse("experts:wellbeing") + "?signal=no_supervision")
    assert filtered.context["listing"].total == 31
    by_supervision = client.get(reverse("experts:wellbeing") + "?sort=supervision")
    eero = by_supervision.context["signals"][0]
    assert eero.expert.pk == world.eero.pk
    assert eero.days_since_supervision == 0
    assert eero.prompts == []


def test_wellbeing__query_count_does_not_grow_with_the_experts(world, client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(world.personas.coordinator)
    client.get(reverse("experts:wellbeing"))  # warm the caches of the page shell
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("experts:wellbeing")).status_code == 200
    _add_experts(world, [f"Jaksaja Nro {i:02d}" for i in range(40)])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("experts:wellbeing")).status_code == 200
    assert len(many) == len(few)


def test_requests_list__upcoming_and_past_in_the_address(world, client, login):
    world.request(title="Tuleva luento")
    past = world.request(title="Mennyt luento")
    TaskRequest.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=3))
    login(world.personas.coordinator)
    upcoming = client.get(reverse("experts:requests") + "?period=upcoming")
    assert [r.title for r in upcoming.context["listing"].rows] == ["Tuleva luento"]
    gone = client.get(reverse("experts:requests") + "?period=past")
    assert [r.title for r in gone.context["listing"].rows] == ["Mennyt luento"]
